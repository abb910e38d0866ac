// Dashboard chart: counts per month from the audit record (the tables carry the same figures).
(function () {
  var source = document.getElementById("per-month-data");
  var data = source ? JSON.parse(source.textContent) : {};
  var months = Object.keys(data);
  var kinds = [["cases_opened", "Cases opened", "#1d70b8"], ["warnings_issued", "Warnings", "#f47738"],
               ["strategies_introduced", "Strategies", "#00703c"], ["breaches", "Breaches", "#d4351c"],
               ["disputes", "Disputes", "#4c2c92"]];
  var canvas = document.getElementById("per-month");
  if (!canvas || !window.Chart) { return; }
  window.boundaryChart = new Chart(canvas, {
    type: "bar",
    data: { labels: months, datasets: kinds.map(function (k) {
      return { label: k[1], backgroundColor: k[2], data: months.map(function (m) { return data[m][k[0]] || 0; }) };
    }) },
    options: { animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
