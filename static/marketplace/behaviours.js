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
