// Form answers with an error status (400 invalid input, 429 too many) are re-rendered forms that
// htmx swaps in place (see the htmx-config meta in base.html). With DEBUG on, django-htmx's
// debug script replaces the whole document with any 400 answer, which left a bare form that htmx
// no longer drove; such an answer is a fragment for its target, so it stops here, on <html>,
// before reaching that document-level handler. Django's real error pages still reach it.
(function () {
  "use strict";
  document.documentElement.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail.xhr;
    var fragment = typeof xhr.response === "string" && !/^\s*<!doctype|<html/i.test(xhr.response);
    if ((xhr.status === 400 || xhr.status === 429) && fragment) event.stopPropagation();
  });
})();

// After htmx swaps a comparison in, the <head> still named the old pair: htmx updates <title>
// only, so the canonical link and the Open Graph URL and title follow the new page here.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function () {
    var page = document.querySelector("[data-canonical]");
    if (!page) return;
    var canonical = document.querySelector("link[rel=canonical]");
    var ogUrl = document.querySelector("meta[property='og:url']");
    var ogTitle = document.querySelector("meta[property='og:title']");
    if (canonical) canonical.href = page.dataset.canonical;
    if (ogUrl) ogUrl.content = page.dataset.canonical;
    if (ogTitle && page.dataset.ogTitle) ogTitle.content = page.dataset.ogTitle;
  });
})();
