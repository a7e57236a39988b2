// Lab trend charts on the patient overview. Data come from the
// <script type="application/json" id="lab-chart-data"> block (json_script);
// the CSP allows no inline script. Values are drawn as recorded: no smoothing.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("lab-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var colours = ["#0d6efd", "#d63384", "#198754", "#fd7e14"];
  charts.forEach(function (chart) {
    var canvas = document.querySelector('canvas[data-chart="' + chart.key + '"]');
    if (!canvas) { return; }
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
});
