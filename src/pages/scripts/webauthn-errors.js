// What the passkey scripts (enrol.js, passkey-signin.js) share, loaded after
// @simplewebauthn/browser and before them: the JSON calls to the WebAuthn
// endpoints, whose refusals carry the server's own words (error_description),
// and the error summary in which a failure is told.
(function () {
  'use strict';

  /** POSTs `body` (JSON text); answers the JSON, or throws an Error with the server's description. */
  async function postJson(url, body) {
    var res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body,
    });
    var json = null;
    try {
      json = await res.json();
    } catch (e) {
      json = null;
    }
    if (!res.ok) {
      throw new Error((json && json.error_description) || 'The service could not be reached (' + res.status + '). Try again.');
    }
    return json;
  }

  // The NHS error summary, as src/pages/error-summary.tsx renders it (`id`, and
  // `id`-title for its heading), written into `box` and focused so it is announced.
  function showErrorSummary(box, id, message) {
    box.innerHTML = '';
    var summary = document.createElement('div');
    summary.className = 'nhsuk-error-summary';
    summary.id = id;
    summary.setAttribute('tabindex', '-1');
    summary.setAttribute('aria-labelledby', id + '-title');
    var alertBox = document.createElement('div');
    alertBox.setAttribute('role', 'alert');
    var heading = document.createElement('h2');
    heading.className = 'nhsuk-error-summary__heading';
    heading.id = id + '-title';
    heading.textContent = 'There is a problem';
    var body = document.createElement('div');
    body.className = 'nhsuk-error-summary__body';
    var list = document.createElement('ul');
    list.className = 'nhsuk-list nhsuk-error-summary__list';
    var item = document.createElement('li');
    item.textContent = message;
    list.appendChild(item);
    body.appendChild(list);
    alertBox.appendChild(heading);
    alertBox.appendChild(body);
    summary.appendChild(alertBox);
    box.appendChild(summary);
    summary.focus();
  }

  window.WebAuthnErrors = { postJson: postJson, showErrorSummary: showErrorSummary };
})();
