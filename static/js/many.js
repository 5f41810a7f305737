// The "compare many" page: moving or removing a column swaps the whole matrix (htmx), which
// would drop the keyboard focus on <body>. The control carries where the focus belongs after the
// swap (data-refocus, e.g. "left-gpt-4-1"), and a second choice for when that control is gone
// (data-refocus-else: the model reached an end). A removed model's control is gone for good: it
// names the control to focus instead (data-refocus-after: the remove control of its neighbour).
(function () {
  "use strict";

  var wanted = null;

  function find(key) {
    if (!key) return null;
    return document.querySelector("[data-refocus='" + key + "']") || document.getElementById(key);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var control = event.detail.elt;
    wanted = control && control.dataset && control.dataset.refocus
      ? [control.dataset.refocusAfter || control.dataset.refocus, control.dataset.refocusElse]
      : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!wanted || event.detail.target.id !== "many") return;
    var target = find(wanted[0]) || find(wanted[1]) || document.querySelector("#many h1");
    wanted = null;
    if (target) {
      if (!target.matches("a, input, button")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
})();
