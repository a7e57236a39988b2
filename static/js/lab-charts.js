// Lab trend charts on the patient overview. Data come from the
// <script type="application/json" id="lab-chart-data"> block (json_script) of the
// lab section, which htmx loads after the page (or the page holds it when asked for
// without JavaScript); the CSP allows no inline script. Values are drawn as
// recorded: no smoothing.
(function () {
  var colours = ["#0d6efd", "#d63384", "#198754", "#fd7e14"];

  function draw(root) {
    if (typeof Chart === "undefined" || !root || !root.querySelector) { return; }
    var source = root.id === "lab-chart-data" ? root : root.querySelector("#lab-chart-data");
    if (!source) { return; }
    JSON.parse(source.textContent).forEach(function (chart) {
      var canvas = document.querySelector('canvas[data-chart="' + chart.key + '"]');
      if (!canvas || Chart.getChart(canvas)) { return; }  // drawn already
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
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: chart.series.length > 1 } },
          scales: { y: { title: { display: true, text: chart.unit } } }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document.body); });
  // htmx:load fires on every element htmx swaps in, e.g. the lab section.
  document.addEventListener("htmx:load", function (event) { draw(event.detail.elt); });
})();
