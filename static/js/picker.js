// Searchable model pickers: a filter box above each <select data-searchable>.
// Progressive enhancement only: without this script the plain <select> works as is.
(function () {
  "use strict";

  function enhance(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "picker-filter";
    input.placeholder = "Filter models…";
    input.setAttribute("aria-label", "Filter the list: " + (select.getAttribute("aria-label") || select.name));
    input.setAttribute("autocomplete", "off");
    select.parentNode.insertBefore(input, select);

    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      var groups = select.querySelectorAll("optgroup");
      groups.forEach(function (group) {
        var visible = 0;
        var providerMatch = group.label.toLowerCase().indexOf(needle) !== -1;
        group.querySelectorAll("option").forEach(function (option) {
          var show = !needle || providerMatch || option.textContent.toLowerCase().indexOf(needle) !== -1 || option.selected;
          option.hidden = !show;
          if (show) visible += 1;
        });
        group.hidden = visible === 0;
      });
    });

    // Enter in the filter picks the first visible match.
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var first = Array.prototype.find.call(select.options, function (o) { return !o.hidden && !o.selected; });
      if (first) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[data-searchable]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { enhanceAll(event.target); });
})();
