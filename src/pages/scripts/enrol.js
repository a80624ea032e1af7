// The enrolment page's "Create a passkey" button (contract §5): asks the server
// for creation options, runs navigator.credentials.create() through
// @simplewebauthn/browser and sends the result back (both that library and
// webauthn-errors.js are loaded before this script).
(function () {
  'use strict';
  var button = document.getElementById('enrol-button');
  var status = document.getElementById('enrol-status');
  var errorBox = document.getElementById('enrol-error');
  var saved = document.getElementById('enrol-saved');
  if (!button || !status || !errorBox) return;
  var code = button.getAttribute('data-enrol-code');
  var webauthn = window.SimpleWebAuthnBrowser;
  var shared = window.WebAuthnErrors; // webauthn-errors.js

  function showError(message) {
    status.textContent = '';
    shared.showErrorSummary(errorBox, 'enrol-error-summary', message);
  }

  function clearError() {
    errorBox.innerHTML = '';
  }

  // Saving spends the invitation (contract §5): its forms would now only answer that
  // it was used, so they go and the page says what to do next.
  function showSaved() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-enrol-offer]'), function (part) {
      part.hidden = true;
    });
    status.textContent = 'Your passkey was saved. You can now sign in.';
    // The page now says something else, and its title says so too (WCAG 2.4.2).
    var suffix = document.title.indexOf(' – ');
    document.title = 'Your passkey is saved' + (suffix >= 0 ? document.title.slice(suffix) : '');
    if (saved) {
      saved.hidden = false;
      var title = document.getElementById('enrol-saved-title');
      if (title) title.focus();
    } else {
      status.focus();
    }
  }

  function postJson(path, body) {
    return shared.postJson(path, JSON.stringify(body));
  }

  // WebAuthn errors by DOMException name (W3C WebAuthn §5.1.3), said plainly.
  function describe(err) {
    var name = err && (err.name || '');
    var cause = err && err.cause && err.cause.name;
    if (name === 'InvalidStateError' || cause === 'InvalidStateError') {
      return 'This device already holds a passkey for your account. You can sign in with it.';
    }
    if (name === 'NotAllowedError' || cause === 'NotAllowedError') {
      return 'The passkey was not created: the request was cancelled or timed out. Try again.';
    }
    return (err && err.message) || 'The passkey could not be created. Try again.';
  }

  if (!webauthn || !webauthn.browserSupportsWebAuthn()) {
    button.disabled = true;
    showError('This browser cannot create passkeys. Use an up-to-date browser on a device with a screen lock.');
    return;
  }

  button.addEventListener('click', async function () {
    button.disabled = true;
    clearError();
    status.textContent = 'Follow the instructions from your browser or device to create your passkey.';
    try {
      var optionsJSON = await postJson('/webauthn/registration/options', { code: code });
      var response = await webauthn.startRegistration({ optionsJSON: optionsJSON });
      status.textContent = 'Saving your passkey…';
      await postJson('/webauthn/registration/verify', { code: code, response: response });
      showSaved();
    } catch (err) {
      showError(describe(err));
      button.disabled = false;
    }
  });
})();
