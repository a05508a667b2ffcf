// Province → city → county selects: each choice reloads the options below it.
// Municipalities have no city level, so their districts fill the county select
// directly and the city select is emptied.
(function () {
  "use strict";
  function byName(form, name) { return form.querySelector('select[name$="' + name + '"]'); }

  function fill(select, items, placeholder) {
    var keep = select.options.length ? select.options[0].text : placeholder;
    select.innerHTML = "";
    select.appendChild(new Option(keep, ""));
    items.forEach(function (item) { select.appendChild(new Option(item.name, item.id)); });
  }

  function children(id) {
    return fetch("/regions/" + id + "/children/", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) { return data.children; });
  }

  document.querySelectorAll("form").forEach(function (form) {
    var province = byName(form, "province"), city = byName(form, "city"), county = byName(form, "county");
    if (!province || !city || !county) { return; }
    province.addEventListener("change", function () {
      fill(city, []); fill(county, []);
      if (!province.value) { return; }
      children(province.value).then(function (items) {
        var cities = items.filter(function (i) { return i.level === "city"; });
        var counties = items.filter(function (i) { return i.level === "county"; });
        fill(city, cities);
        fill(county, counties);
      });
    });
    city.addEventListener("change", function () {
      fill(county, []);
      if (!city.value) { return; }
      children(city.value).then(function (items) { fill(county, items); });
    });
  });
})();
