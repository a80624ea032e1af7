// Passkey sign-in for the sign-in page (contract §6), with @simplewebauthn/browser
// and webauthn-errors.js loaded before this script. The page provides:
//   <button type="button" data-passkey-signin>Sign in with a passkey</button>
//   optionally <div data-passkey-error></div> where an error summary is written (made when absent),
//   optionally <input autocomplete="username webauthn"> for autofill (conditional mediation),
//   optionally data-options-url / data-verify-url on the button (defaults below).
// The options request body is {} unless the button has data-options-body (JSON).
//
// Two ceremonies can start on this page: the autofill (conditional) one on load
// and the modal one behind the button. Only one may run at a time (W3C WebAuthn
// §5.1.4.1: a pending conditional request blocks a modal one), and only the
// first success may navigate: each options call names the authorization
// request of this page, and the browser goes where its verify answers.
(function () {
  'use strict';
  var webauthn = window.SimpleWebAuthnBrowser;
  var shared = window.WebAuthnErrors; // webauthn-errors.js
  var button =
    document.querySelector('[data-passkey-signin]') ||
    Array.prototype.find.call(document.querySelectorAll('button'), function (b) {
      return /passkey/i.test(b.textContent || '');
    });
  if (!button) return;
  var optionsUrl = button.getAttribute('data-options-url') || '/webauthn/authentication/options';
  var verifyUrl = button.getAttribute('data-verify-url') || '/webauthn/authentication/verify';
  var optionsBody = button.getAttribute('data-options-body') || '{}';
  var errorBox = document.querySelector('[data-passkey-error]');
  if (!errorBox) {
    errorBox = document.createElement('div');
    errorBox.setAttribute('data-passkey-error', '');
    button.parentNode.insertBefore(errorBox, button);
  }

  function showError(message) {
    shared.showErrorSummary(errorBox, 'passkey-error-summary', message);
  }

  function clearError() {
    errorBox.innerHTML = '';
  }

  function describe(err) {
    var name = err && err.name;
    if (name === 'NotAllowedError') return 'Sign-in was cancelled or timed out. Try again.';
    var message = (err && err.message) || 'Sign-in with a passkey failed. Try again.';
    return message.charAt(0).toUpperCase() + message.slice(1);
  }

  function isAbort(err) {
    return err && (err.name === 'AbortError' || err.code === 'ERROR_CEREMONY_ABORTED');
  }

  var navigating = false;
  var autofillCancelled = false;
  var autofill = null; // the autofill ceremony, settled (never rejected) when it ends

  /** One ceremony; answers where the verify sends the browser, or null when it was called off. */
  async function ceremony(useBrowserAutofill) {
    var optionsJSON = await shared.postJson(optionsUrl, optionsBody);
    // The button may have been pressed while the options were on their way.
    if (useBrowserAutofill && autofillCancelled) return null;
    var response = await webauthn.startAuthentication({ optionsJSON: optionsJSON, useBrowserAutofill: useBrowserAutofill });
    var result = await shared.postJson(verifyUrl, JSON.stringify(response));
    if (!result || typeof result.redirect_to !== 'string') throw new Error('The service gave no next step. Try again.');
    return result.redirect_to;
  }

  /** The first success navigates; a later one (there should be none) is ignored. */
  function go(next) {
    if (!next || navigating) return;
    navigating = true;
    window.location.assign(next);
  }

  if (!webauthn || !webauthn.browserSupportsWebAuthn()) {
    button.disabled = true;
    showError('This browser cannot use passkeys. Use an up-to-date browser on a device with a screen lock, or sign in with a password and authenticator app.');
    return;
  }

  button.addEventListener('click', async function () {
    if (navigating || button.disabled) return;
    button.disabled = true;
    clearError();
    try {
      // Abort the pending autofill request and wait for it to end before the modal one starts.
      if (autofill) {
        autofillCancelled = true;
        webauthn.WebAuthnAbortService.cancelCeremony();
        await autofill;
        if (navigating) return; // the autofill had already finished: its answer wins
      }
      go(await ceremony(false));
    } catch (err) {
      showError(describe(err));
      button.disabled = false;
    }
  });

  // Conditional mediation (WebAuthn §5.1.4.1): passkeys offered in the username field's autofill.
  var autofillInput = document.querySelector('input[autocomplete~="webauthn"]');
  if (autofillInput) {
    autofill = webauthn.browserSupportsWebAuthnAutofill().then(function (supported) {
      if (!supported || autofillCancelled) return;
      return ceremony(true).then(go, function (err) {
        if (isAbort(err) || autofillCancelled) return;
        showError(describe(err));
      });
    }).catch(function () {});
  }
})();
