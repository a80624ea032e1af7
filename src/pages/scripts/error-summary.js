// Every page: when the server rendered an error summary, focus moves to it so
// that it is announced and the next Tab reaches its links (NHS service manual,
// error summary). Its links move focus to their field, scrolled to show the label.
(function () {
  'use strict';
  var summary = document.querySelector('[data-error-summary]');
  if (!summary) return;
  summary.focus();
  summary.addEventListener('click', function (event) {
    var link = event.target && event.target.closest ? event.target.closest('a[href^="#"]') : null;
    if (!link) return;
    var field = document.getElementById(link.getAttribute('href').slice(1));
    if (!field) return;
    event.preventDefault();
    var legendOrLabel = (field.closest('fieldset') && field.closest('fieldset').querySelector('legend')) || document.querySelector('label[for="' + field.id + '"]');
    (legendOrLabel || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
