// Model pickers as WAI-ARIA 1.2 comboboxes (list autocomplete): a text box whose listbox popup
// holds the server's matches, fetched by htmx as the reader types (templates/includes/
// model_picker.html). Arrow keys move the active option (aria-activedescendant), Enter picks it,
// Escape closes the list and then restores the text. Picking fires "picker:picked" on the form,
// which fetches the new comparison; focus returns to the same picker after the swap.
// Without this script the text box is a plain field of a GET form.
(function () {
  "use strict";

  var refocus = null; // {side, caret} of the picker to focus again after the comparison swaps

  function parts(picker) {
    return {
      input: picker.querySelector("[role=combobox]"),
      value: picker.querySelector("[data-picker-value]"),
      list: picker.querySelector("[role=listbox]")
    };
  }

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }

  function setActive(picker, option) {
    var p = parts(picker);
    options(p.list).forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      p.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      p.input.removeAttribute("aria-activedescendant");
    }
  }

  function active(picker) {
    var p = parts(picker);
    var id = p.input.getAttribute("aria-activedescendant");
    return id ? document.getElementById(id) : null;
  }

  function open(picker) {
    var p = parts(picker);
    p.list.hidden = false;
    p.input.setAttribute("aria-expanded", "true");
  }

  function close(picker) {
    var p = parts(picker);
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    setActive(picker, null);
  }

  function isOpen(picker) {
    return !parts(picker).list.hidden;
  }

  function pick(picker, option) {
    var p = parts(picker);
    p.value.value = option.dataset.value;
    p.input.value = option.dataset.name;
    p.input.dataset.pickerName = option.dataset.name;
    close(picker);
    refocus = picker.dataset.picker;
    htmx.trigger(p.input.form, "picker:picked");
  }

  function restore(picker) {
    var p = parts(picker);
    p.input.value = p.input.dataset.pickerName || "";
  }

  function move(picker, step) {
    var all = options(parts(picker).list);
    if (!all.length) return;
    var index = all.indexOf(active(picker));
    index = index === -1 ? (step > 0 ? 0 : all.length - 1) : (index + step + all.length) % all.length;
    setActive(picker, all[index]);
  }

  function onKeydown(event) {
    var picker = event.target.closest("[data-picker]");
    if (!picker || event.target.getAttribute("role") !== "combobox") return;
    var input = event.target;
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        event.preventDefault();
        if (!isOpen(picker)) {
          htmx.trigger(input, "picker:open");
          return;
        }
        move(picker, event.key === "ArrowDown" ? 1 : -1);
        break;
      case "Enter":
        event.preventDefault(); // never submit the whole form from the box
        var option = isOpen(picker) && active(picker);
        if (option) pick(picker, option);
        break;
      case "Escape":
        event.preventDefault();
        if (isOpen(picker)) close(picker);
        else restore(picker);
        break;
      case "Tab":
        close(picker);
        break;
    }
  }

  // The matches arrived: show them and make the first one active, so Enter picks what is visible.
  function onSwap(event) {
    var list = event.detail.target;
    if (!list || list.getAttribute("role") !== "listbox") return;
    var picker = list.closest("[data-picker]");
    if (document.activeElement !== parts(picker).input) return; // the reader has moved on
    open(picker);
    setActive(picker, options(list)[0] || null);
  }

  document.addEventListener("keydown", onKeydown);
  document.addEventListener("htmx:afterSwap", onSwap);

  // A pointer pick: mousedown keeps the focus in the text box; click picks.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest("[data-picker] [role=listbox]")) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-picker] [role=option]:not([aria-disabled=true])");
    if (option) pick(option.closest("[data-picker]"), option);
  });
  document.addEventListener("focusout", function (event) {
    var picker = event.target.closest && event.target.closest("[data-picker]");
    if (!picker || picker.contains(event.relatedTarget)) return;
    close(picker);
    if (refocus !== picker.dataset.picker) restore(picker);
  });

  // The comparison was replaced, pickers included: put the focus back where the reader was.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!refocus || event.detail.target.getAttribute("role") === "listbox") return;
    var input = document.getElementById("picker-" + refocus + "-input");
    refocus = null;
    if (input) {
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }
  });
})();
