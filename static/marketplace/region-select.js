// Province → city → county selects: each choice reloads the options below it.
// Municipalities have no city level, so their districts fill the county select
// directly and the city select is emptied.
//
// Race-free (issue 16): arrow keys on a closed select fire one "change" per
// step, so the request waits until the choice has rested (debounce), a newer
// choice aborts the request still under way (AbortController), and a reply is
// used only if its parent is still the one chosen. While options load, the
// dependent selects are aria-busy; once they are in, a polite live region says
// "已载入 N 个城市" (texts from the county select's data-* attributes).
(function () {
  "use strict";
  var DEBOUNCE_MS = 250;

  function byName(form, name) { return form.querySelector('select[name$="' + name + '"]'); }

  function fill(select, items) {
    var keep = select.options.length ? select.options[0].text : "";
    select.innerHTML = "";
    select.appendChild(new Option(keep, ""));
    items.forEach(function (item) { select.appendChild(new Option(item.name, item.id)); });
  }

  function say(template, count) {
    return (template || "%(count)s").replace("%(count)s", String(count));
  }

  document.querySelectorAll("form").forEach(function (form) {
    var province = byName(form, "province"), city = byName(form, "city"), county = byName(form, "county");
    if (!province || !city || !county) { return; }
    var status = document.createElement("div");
    status.className = "sr-only mkt-region-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    county.parentNode.appendChild(status);

    var pending = null, timer = null;

    function busy(selects, on) {
      selects.forEach(function (s) {
        if (on) { s.setAttribute("aria-busy", "true"); } else { s.removeAttribute("aria-busy"); }
      });
    }

    // Load ``parent.value``'s children after the choice rests; ``apply`` fills
    // the selects if the reply still belongs to the current choice.
    function load(parent, targets, apply) {
      clearTimeout(timer);
      if (pending) { pending.abort(); pending = null; }
      targets.forEach(function (s) { fill(s, []); });
      var id = parent.value;
      if (!id) { busy(targets, false); return; }
      busy(targets, true);
      status.textContent = county.dataset.loading || "";
      timer = setTimeout(function () {
        var controller = window.AbortController ? new AbortController() : null;
        pending = controller;
        fetch("/regions/" + id + "/children/", {
          headers: { Accept: "application/json" },
          signal: controller ? controller.signal : undefined
        })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            if (parent.value !== id) { return; }  // a stale reply: the choice moved on
            if (pending === controller) { pending = null; }
            busy(targets, false);
            status.textContent = apply(data.children);
          })
          .catch(function (error) {
            if (error && error.name === "AbortError") { return; }
            busy(targets, false);
            status.textContent = "";
          });
      }, DEBOUNCE_MS);
    }

    province.addEventListener("change", function () {
      load(province, [city, county], function (items) {
        var cities = items.filter(function (i) { return i.level === "city"; });
        var counties = items.filter(function (i) { return i.level === "county"; });
        fill(city, cities);
        fill(county, counties);
        return cities.length
          ? say(county.dataset.loadedCities, cities.length)
          : say(county.dataset.loadedCounties, counties.length);
      });
    });
    city.addEventListener("change", function () {
      load(city, [county], function (items) {
        fill(county, items);
        return say(county.dataset.loadedCounties, items.length);
      });
    });
  });
})();
