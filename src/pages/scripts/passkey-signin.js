// Passkey sign-in for the sign-in page (contract §6), with @simplewebauthn/browser
// loaded before this script. The page provides:
//   <button type="button" data-passkey-signin>Sign in with a passkey</button>
//   optionally <div role="alert" data-passkey-error></div> (made when absent),
//   optionally <input autocomplete="username webauthn"> for autofill (conditional mediation),
//   optionally data-options-url / data-verify-url on the button (defaults below).
// The options request body is {} unless the button has data-options-body (JSON).
(function () {
  'use strict';
  var webauthn = window.SimpleWebAuthnBrowser;
  var button =
    document.querySelector('[data-passkey-signin]') ||
    Array.prototype.find.call(document.querySelectorAll('button'), function (b) {
      return /passkey/i.test(b.textContent || '');
    });
  if (!button) return;
  var optionsUrl = button.getAttribute('data-options-url') || '/webauthn/authentication/options';
  var verifyUrl = button.getAttribute('data-verify-url') || '/webauthn/authentication/verify';
  var optionsBody = button.getAttribute('data-options-body') || '{}';
  var alertBox = document.querySelector('[data-passkey-error]');
  if (!alertBox) {
    alertBox = document.createElement('div');
    alertBox.setAttribute('role', 'alert');
    alertBox.setAttribute('data-passkey-error', '');
    button.parentNode.insertBefore(alertBox, button);
  }

  function showError(message) {
    alertBox.className = 'nhsuk-error-message';
    alertBox.textContent = message;
  }

  function clearError() {
    alertBox.className = '';
    alertBox.textContent = '';
  }

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

  function describe(err) {
    var name = err && err.name;
    if (name === 'NotAllowedError') return 'Sign-in was cancelled or timed out. Try again.';
    return (err && err.message) || 'Sign-in with a passkey failed. Try again.';
  }

  // One ceremony at a time: starting another aborts the previous (the library does so).
  async function signIn(useBrowserAutofill) {
    var optionsJSON = await postJson(optionsUrl, optionsBody);
    var response = await webauthn.startAuthentication({
      optionsJSON: optionsJSON,
      useBrowserAutofill: useBrowserAutofill,
    });
    var result = await postJson(verifyUrl, JSON.stringify(response));
    if (!result || typeof result.redirect_to !== 'string') throw new Error('The service gave no next step. Try again.');
    window.location.assign(result.redirect_to);
  }

  if (!webauthn || !webauthn.browserSupportsWebAuthn()) {
    button.disabled = true;
    showError('This browser cannot use passkeys. Use an up-to-date browser on a device with a screen lock.');
    return;
  }

  button.addEventListener('click', async function () {
    button.disabled = true;
    clearError();
    try {
      await signIn(false);
    } catch (err) {
      showError(describe(err));
      button.disabled = false;
    }
  });

  // Conditional mediation (WebAuthn §5.1.4.1): passkeys offered in the username field's autofill.
  var autofillInput = document.querySelector('input[autocomplete~="webauthn"]');
  if (autofillInput) {
    webauthn.browserSupportsWebAuthnAutofill().then(function (supported) {
      if (!supported) return;
      signIn(true).catch(function (err) {
        // An autofill ceremony is aborted whenever the button starts another: not an error.
        if (err && (err.name === 'AbortError' || err.code === 'ERROR_CEREMONY_ABORTED')) return;
        showError(describe(err));
      });
    });
  }
})();
