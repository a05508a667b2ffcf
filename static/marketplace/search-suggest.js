// Suggestions under the header search box as the visitor types (characters,
// pinyin or initials), from /search/suggest/, as an ARIA 1.2 combobox: the
// input (role=combobox, aria-expanded, aria-controls) owns a role=listbox;
// Down/Up move through the options (aria-activedescendant, focus stays in the
// box), Enter searches the highlighted one, Escape closes the list; a polite
// live region says how many suggestions there are.
(function () {
  "use strict";
  var input = document.querySelector('input[name="q"][data-suggest]');
  if (!input || !window.fetch) { return; }
  var listId = input.getAttribute("data-suggest");
  var list = document.createElement("ul");
  list.id = listId;
  list.className = "mkt-suggest__list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
  list.hidden = true;
  var status = document.createElement("div");
  status.className = "sr-only";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  input.parentNode.appendChild(list);
  input.parentNode.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  var timer = null, last = "", active = -1, controller = null;

  function options() { return list.querySelectorAll('[role="option"]'); }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var all = options();
    if (!all.length) { return; }
    active = (index + all.length) % all.length;
    for (var i = 0; i < all.length; i++) {
      all[i].setAttribute("aria-selected", i === active ? "true" : "false");
    }
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  function choose(text) {
    input.value = text;
    close();
    if (input.form) { input.form.submit(); }
  }

  function show(suggestions) {
    list.innerHTML = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    suggestions.forEach(function (text, i) {
      var item = document.createElement("li");
      item.id = listId + "-" + i;
      item.className = "mkt-suggest__option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = text;
      // mousedown, not click: the box keeps focus and the list stays for the click.
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(text); });
      list.appendChild(item);
    });
    if (suggestions.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = (input.getAttribute("data-suggest-count") || "%(count)s")
        .replace("%(count)s", String(suggestions.length));
    } else {
      close();
      status.textContent = "";
    }
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (!q) { show([]); last = ""; return; }
      if (q === last) { return; }
      last = q;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch("/search/suggest/?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (r) { return r.json(); })
        .then(function (data) { if (input.value.trim() === q) { show(data.suggestions || []); } })
        .catch(function () {});
    }, 150);
  });

  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && options().length;
    if (event.key === "ArrowDown") {
      if (!open && options().length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      if (options().length) { event.preventDefault(); highlight(active + 1); }
    } else if (event.key === "ArrowUp") {
      if (open) { event.preventDefault(); highlight(active - 1); }
    } else if (event.key === "Enter") {
      if (open && active >= 0) { event.preventDefault(); choose(options()[active].textContent); }
    } else if (event.key === "Escape") {
      if (open) { event.preventDefault(); close(); }
    }
  });
  input.addEventListener("blur", close);
})();
