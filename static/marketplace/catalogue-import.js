// The catalogue import job page (templates/producers/workspace/catalogue_import_job.html):
// while the import runs, ask its status view every second and move the
// counts and progress bars; once it has finished, reload the page, which
// then shows the result or the rows' problems.
(function () {
  "use strict";
  var POLL_MS = 1000;
  var root = document.getElementById("mkt-import-job");
  if (!root || root.getAttribute("data-running") !== "1") {
    return;
  }
  var url = root.getAttribute("data-status-url");

  function show(state) {
    root.querySelectorAll("[data-import]").forEach(function (node) {
      var key = node.getAttribute("data-import");
      node.textContent = key === "status" ? state.status_label : String(state[key]);
    });
    root.querySelectorAll("progress[data-import-bar]").forEach(function (bar) {
      bar.max = Math.max(state.rows_total, 1);
      bar.value = state[bar.getAttribute("data-import-bar")];
      bar.textContent = String(bar.value);
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, POLL_MS);
        }
      })
      .catch(function () {
        // A network hiccup or a restarting server: try again a little later.
        window.setTimeout(poll, POLL_MS * 5);
      });
  }

  window.setTimeout(poll, POLL_MS);
})();
