// Links and buttons that Oscar's templates wire with onclick="" carry
// data-behaviours in ours, because the Content-Security-Policy runs no inline
// script: "history-back" goes back a page, "print" prints it.
(function () {
  "use strict";
  var actions = {
    "history-back": function () { window.history.back(); },
    "print": function () { window.print(); }
  };
  document.addEventListener("click", function (event) {
    var element = event.target.closest ? event.target.closest("[data-behaviours]") : null;
    if (!element) { return; }
    var names = element.getAttribute("data-behaviours").split(/\s+/);
    for (var i = 0; i < names.length; i++) {
      if (actions[names[i]]) {
        event.preventDefault();
        actions[names[i]]();
        return;
      }
    }
  });
})();

// After a failed submit the error summary (oscar/partials/form_fields.html)
// takes focus, so keyboard and screen-reader users land on it. Messages a page
// brings (“已加入购物车”) are put into the live region again once the page has
// loaded: screen readers announce changes to role="status", not what it held
// at load.
(function () {
  "use strict";
  function start() {
    var summary = document.querySelector(".mkt-error-summary");
    if (summary) { summary.focus(); }
    var region = document.getElementById("messages");
    if (region && region.children.length && !summary) {
      var nodes = Array.prototype.slice.call(region.children);
      nodes.forEach(function (node) { region.removeChild(node); });
      window.requestAnimationFrame(function () {
        nodes.forEach(function (node) { region.appendChild(node); });
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// Wide tables scroll sideways inside themselves on phones (marketplace.css):
// one that does is made focusable, so keyboard users can scroll it too
// (WCAG 2.1.1; axe "scrollable-region-focusable").
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("table").forEach(function (table) {
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && table.hasAttribute("data-scroll-focus")) {
        table.removeAttribute("tabindex");
        table.removeAttribute("data-scroll-focus");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("resize", mark);
})();
