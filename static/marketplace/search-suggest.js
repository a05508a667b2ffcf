// Suggestions under the search box as the visitor types (characters, pinyin or
// initials), from /search/suggest/, offered through a native <datalist>.
(function () {
  "use strict";
  var input = document.querySelector('input[name="q"][list="search-suggestions"]');
  if (!input || !window.fetch) { return; }
  var list = document.createElement("datalist");
  list.id = "search-suggestions";
  input.parentNode.appendChild(list);
  var timer = null, last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (!q || q === last) { return; }
      last = q;
      fetch("/search/suggest/?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          list.innerHTML = "";
          data.suggestions.forEach(function (text) { list.appendChild(new Option(text)); });
        });
    }, 150);
  });
})();
