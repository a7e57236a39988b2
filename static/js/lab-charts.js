// Lab trend charts on the patient overview. Data come from the
// <script type="application/json" id="lab-chart-data"> block (json_script) of the
// lab section, which htmx loads after the page (or the page holds it when asked for
// without JavaScript); the CSP allows no inline script. Values are drawn as
// recorded: no smoothing. The server (patients/presenters.py lab_charts) writes the
// dates dd.mm.åååå and chooses the y axis (values and reference limits inside it, at
// least the analyte's minimum span, so a small change does not look like a cliff);
// numbers on the axis use the page's language (decimal comma in bokmål).
(function () {
  var colours = ["#0d6efd", "#d63384", "#198754", "#fd7e14"];

  // The reference range of a one-analyte chart, shaded behind the line.
  var referenceBand = {
    id: "referenceBand",
    beforeDatasetsDraw: function (chart, args, options) {
      var range = options.range;
      if (!range) { return; }
      var y = chart.scales.y, area = chart.chartArea, ctx = chart.ctx;
      var top = Math.max(y.getPixelForValue(range[1]), area.top);
      var bottom = Math.min(y.getPixelForValue(range[0]), area.bottom);
      if (bottom <= top) { return; }
      ctx.save();
      ctx.fillStyle = "rgba(25, 135, 84, 0.12)";
      ctx.fillRect(area.left, top, area.right - area.left, bottom - top);
      ctx.restore();
    }
  };

  function draw(root) {
    if (typeof Chart === "undefined" || !root || !root.querySelector) { return; }
    var source = root.id === "lab-chart-data" ? root : root.querySelector("#lab-chart-data");
    if (!source) { return; }
    var language = document.documentElement.lang || "nb";
    JSON.parse(source.textContent).forEach(function (chart) {
      var canvas = document.querySelector('canvas[data-chart="' + chart.key + '"]');
      if (!canvas || Chart.getChart(canvas)) { return; }  // drawn already
      var y = chart.y || {};
      new Chart(canvas, {
        type: "line",
        data: {
          labels: chart.labels,
          datasets: chart.series.map(function (series, i) {
            return {
              label: series.label,
              data: series.data,
              borderColor: colours[i % colours.length],
              backgroundColor: colours[i % colours.length],
              spanGaps: true,
              tension: 0
            };
          })
        },
        plugins: [referenceBand],
        options: {
          locale: language,
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { display: chart.series.length > 1 },
            referenceBand: { range: chart.reference }
          },
          scales: {
            x: { ticks: { maxRotation: 0, autoSkip: true } },
            y: { suggestedMin: y.min, suggestedMax: y.max, title: { display: true, text: chart.unit } }
          }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document.body); });
  // htmx:load fires on every element htmx swaps in, e.g. the lab section.
  document.addEventListener("htmx:load", function (event) { draw(event.detail.elt); });
})();
