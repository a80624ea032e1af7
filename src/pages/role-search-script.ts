// /assets/role-search.js: narrows the roles as the person types in the search
// box, where without script the search form renders the page again. A radio
// already selected stays shown; the status line says how many match.
export const ROLE_SEARCH_SCRIPT = `(function () {
  var input = document.querySelector('[data-role-search]');
  var list = document.querySelector('[data-role-list]');
  var count = document.querySelector('[data-role-count]');
  if (!input || !list) return;
  var items = Array.prototype.slice.call(list.querySelectorAll('.nhsuk-radios__item'));
  input.addEventListener('input', function () {
    var terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shownCount = 0;
    items.forEach(function (item) {
      var text = item.textContent.toLowerCase();
      var shown = terms.every(function (t) { return text.indexOf(t) !== -1; });
      var radio = item.querySelector('input');
      item.hidden = !shown && !(radio && radio.checked);
      if (!item.hidden) shownCount++;
    });
    if (count) {
      count.textContent = terms.length ? shownCount + ' of ' + items.length + ' roles shown.' : 'You hold ' + items.length + ' roles.';
    }
  });
})();
`;
