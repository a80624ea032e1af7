// /assets/role-search.js: hides the roles whose label does not contain what was
// typed in the search box. Progressive: without it every radio is still shown.
export const ROLE_SEARCH_SCRIPT = `(function () {
  var input = document.querySelector('[data-role-search]');
  var list = document.querySelector('[data-role-list]');
  if (!input || !list) return;
  var items = Array.prototype.slice.call(list.querySelectorAll('.nhsuk-radios__item'));
  input.addEventListener('input', function () {
    var terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    items.forEach(function (item) {
      var text = item.textContent.toLowerCase();
      var shown = terms.every(function (t) { return text.indexOf(t) !== -1; });
      var radio = item.querySelector('input');
      item.hidden = !shown && !(radio && radio.checked);
    });
  });
})();
`;
