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
    // Print buttons (the service report, 维修服务报告).
    if (t.closest("[data-print]")) {
      window.print();
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

  // Saving a view (工作台 › 保存为视图) takes the filter as it is now, which htmx may have changed
  // since the page loaded.
  document.addEventListener("submit", function (e) {
    var f = e.target, src = document.getElementById("queue-filter");
    if (!(f instanceof HTMLFormElement) || f.id !== "view-save-form" || !src) return;
    ["tab", "status", "priority", "type", "group", "category", "q", "sort"].forEach(function (n) {
      if (src.elements[n] && f.elements[n]) f.elements[n].value = src.elements[n].value;
    });
  }, true);

  // htmx error responses carry an alert fragment for #alerts; scroll it into view.
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "alerts") {
      e.detail.target.scrollIntoView({ block: "nearest" });
    }
  });
})();

// Tickets: the queue polls every 30 s (hx-trigger on #queue-table) but not while the browser tab is
// hidden, tickets are ticked for a bulk action, or further pages were loaded; single-key shortcuts on
// the workspace and the ticket page, ignored while typing.
(function () {
  "use strict";
  var loadedMore = false;
  document.addEventListener("htmx:beforeRequest", function (e) {
    var el = e.detail && e.detail.elt;
    if (!el || !el.dataset) return;
    if (el.dataset.more) { loadedMore = true; return; }
    if (el.dataset.poll && e.detail.requestConfig && e.detail.requestConfig.triggeringEvent == null &&
        (document.hidden || loadedMore || document.querySelector("#queue-table input[name=ids]:checked"))) {
      e.preventDefault();
    }
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "queue-table") loadedMore = false;
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName))) return;
    var open = function (id) {
      var d = document.getElementById(id);
      if (!d) return false;
      d.open = true;
      var f = d.querySelector("select, input:not([type=hidden]), textarea");
      if (f) f.focus();
      return true;
    };
    var done = false;
    if (e.key === "r") { var b = document.getElementById("f-body"); if (b) { b.focus(); done = true; } }
    else if (e.key === "a") done = open("act-assign");
    else if (e.key === "e") done = open("act-edit");
    else if (e.key === "/") { var q = document.getElementById("f-q"); if (q) { q.focus(); done = true; } }
    else if (e.key === "n" && document.querySelector('a[href="/tickets/new"]')) { location.href = "/tickets/new"; done = true; }
    if (done) e.preventDefault();
  });
})();
