// The oversight overview's charts, drawn with ECharts (static/vendor/echarts)
// from the figures the page carries in <script type="application/json"
// id="oversight-chart-data"> (oversight.charts): the money trend against the
// same periods last year, the channel shares, the units' progress ranking and
// the map of money reaching provinces or a province's counties. The map's
// outlines come from static/vendor/china-geo/ on this host; clicking a place
// opens its overview (a province or city) or its producers (a county).
// Every label comes translated from the page; amounts are exact decimal strings
// turned into numbers for drawing only. The same numbers are in the tables.
(function () {
  "use strict";
  var source = document.getElementById("oversight-chart-data");
  if (!source || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var charts = [];
  var RED = "#c0392b";
  var GREY = "#95a5a6";
  var CHANNEL_COLOURS = ["#c0392b", "#e67e22", "#16a085", "#2980b9"];

  function number(value) { return Number(value); }

  function start(id, option) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  function trend() {
    start("chart-trend", {
      color: [RED, GREY],
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [labels.current, labels.last_year] },
      grid: { left: 60, right: 20, top: 50, bottom: 70 },
      xAxis: { type: "category", data: data.trend.periods, axisLabel: { rotate: 30 } },
      yAxis: { type: "value", name: labels.amount },
      series: [
        { name: labels.current, type: "line", data: data.trend.current.map(number) },
        {
          name: labels.last_year, type: "line", data: data.trend.last_year.map(number),
          lineStyle: { type: "dashed" }
        }
      ]
    });
  }

  function channels() {
    var items = data.channels.map(function (c) { return { name: c.name, value: number(c.value) }; });
    var any = items.some(function (c) { return c.value > 0; });
    start("chart-channels", {
      color: CHANNEL_COLOURS,
      title: any ? undefined : { text: labels.no_data, left: "center", top: "middle" },
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], data: any ? items : [] }]
    });
  }

  function ranking() {
    var names = data.ranking.names.slice().reverse();
    var percents = data.ranking.percents.map(number).reverse();
    start("chart-ranking", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 150, right: 40, top: 20, bottom: 30 },
      xAxis: { type: "value", name: labels.percent },
      yAxis: { type: "category", data: names, axisLabel: { width: 140, overflow: "truncate" } },
      series: [{
        type: "bar", data: percents, itemStyle: { color: RED },
        markLine: {
          symbol: "none", lineStyle: { color: GREY, type: "dashed" },
          label: { formatter: labels.expected + " {c}%" },
          data: [{ xAxis: number(data.ranking.expected) }]
        }
      }]
    });
  }

  function map() {
    var spec = data.map;
    var element = document.getElementById("chart-map");
    if (!spec || !element) { return; }
    fetch(spec.geo, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (geo) {
        window.echarts.registerMap(spec.key, geo);
        var values = spec.items.map(function (i) { return number(i.value); });
        var chart = start("chart-map", {
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              return p.data ? p.data.place + ": " + p.data.amount : p.name;
            }
          },
          visualMap: {
            min: 0, max: Math.max.apply(null, values.concat([1])), calculable: true,
            left: 0, bottom: 0, inRange: { color: ["#fde2e2", RED] }
          },
          series: [{
            type: "map", map: spec.key, nameProperty: "adcode", roam: true,
            emphasis: { label: { show: false } },
            data: spec.items.map(function (i) {
              return { name: i.name, value: number(i.value), place: i.label, amount: i.value, url: i.url };
            })
          }]
        });
        chart.on("click", function (p) {
          if (p.data && p.data.url) { window.location.assign(p.data.url); }
        });
      })
      .catch(function () {
        element.setAttribute("hidden", "");
      });
  }

  trend();
  channels();
  ranking();
  map();
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
