// opsdesk UI behaviour. No inline scripts: the Content-Security-Policy allows only files from 'self'.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Forms with data-confirm ask before they submit (delete, disable, revoke …).
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f instanceof HTMLFormElement && f.dataset.confirm && !window.confirm(f.dataset.confirm)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (e) {
    var t = e.target instanceof Element ? e.target : null;
    if (!t) return;
    // The navigation menu button on narrow screens.
    var toggle = t.closest("#nav-toggle");
    if (toggle) {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    // Copy buttons (the API token shown once).
    var copy = t.closest("[data-copy]");
    if (copy) {
      var src = document.querySelector(copy.getAttribute("data-copy"));
      if (src && navigator.clipboard) {
        navigator.clipboard.writeText(src.textContent.trim()).then(function () {
          copy.textContent = copy.getAttribute("data-copied") || copy.textContent;
        });
      } else if (src) {
        var range = document.createRange();
        range.selectNodeContents(src);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }
    }
  });

  // htmx error responses carry an alert fragment for #alerts; scroll it into view.
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "alerts") {
      e.detail.target.scrollIntoView({ block: "nearest" });
    }
  });
})();
