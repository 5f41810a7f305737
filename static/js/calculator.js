// The cost calculators (/pricing/ and each comparison): keep the token fields and the preset in
// step before htmx sends the form. Choosing a preset writes its token counts into the fields the
// reader sees; typing other counts turns the preset into "Custom". The server applies the same
// rule (comparisons/views/prices.py: resolve_preset), so the page agrees without JavaScript too.
(function () {
  "use strict";

  function calculator(target) {
    return target && target.form && target.form.classList.contains("calculator") ? target.form : null;
  }

  document.addEventListener("change", function (event) {
    var form = calculator(event.target);
    if (!form || event.target.name !== "preset") return;
    var option = event.target.selectedOptions[0];
    if (option && option.dataset.inputTokens !== undefined) {
      form.elements.input_tokens.value = option.dataset.inputTokens;
      form.elements.output_tokens.value = option.dataset.outputTokens;
    }
    form.elements.applied.value = event.target.value;
  }, true);

  document.addEventListener("input", function (event) {
    var form = calculator(event.target);
    if (!form || (event.target.name !== "input_tokens" && event.target.name !== "output_tokens")) return;
    var option = form.elements.preset.selectedOptions[0];
    if (!option || option.dataset.inputTokens === undefined) return;
    if (form.elements.input_tokens.value !== option.dataset.inputTokens ||
        form.elements.output_tokens.value !== option.dataset.outputTokens) {
      form.elements.preset.value = "";
      form.elements.applied.value = "";
    }
  }, true);
})();
