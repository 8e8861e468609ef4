// Trends charts, drawn with the vendored Chart.js from the numbers the server computed.
(function () {
  "use strict";
  var source = document.getElementById("trends-data");
  if (!source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  var css = getComputedStyle(document.documentElement);
  function color(name) { return css.getPropertyValue(name).trim(); }
  var ink = color("--fg"), muted = color("--muted"), line = color("--line");
  var accent = color("--accent"), warm = color("--region-on"), night = color("--night") || muted;

  Chart.defaults.color = muted;
  Chart.defaults.borderColor = line;
  Chart.defaults.font.family = css.fontFamily;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  function shortDate(iso) {
    var d = new Date(iso + "T12:00:00");
    return d.toLocaleDateString(undefined, { day: "numeric", month: "short" });
  }
  var weekLabels = data.weeks.map(function (w) { return shortDate(w.start); });

  // Open flags: a marker on the week in which each first fired.
  var flagWeeks = {};
  document.querySelectorAll("[data-flag-date]").forEach(function (item) {
    var date = item.dataset.flagDate;
    data.weeks.forEach(function (w, i) {
      var end = new Date(w.start + "T12:00:00"); end.setDate(end.getDate() + 6);
      if (date >= w.start && date <= end.toISOString().slice(0, 10)) {
        (flagWeeks[i] = flagWeeks[i] || []).push(item.dataset.flagTitle);
      }
    });
  });
  var flagMarks = {
    id: "flagMarks",
    afterDatasetsDraw: function (chart) {
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      Object.keys(flagWeeks).forEach(function (i) {
        var px = x.getPixelForValue(Number(i));
        ctx.save();
        ctx.strokeStyle = color("--danger");
        ctx.setLineDash([4, 3]);
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
        ctx.fillStyle = color("--danger");
        ctx.fillText("⚑", px + 3, area.top + 10);
        ctx.restore();
      });
    }
  };

  new Chart(document.getElementById("chart-weeks"), {
    data: {
      labels: weekLabels,
      datasets: [
        { type: "bar", label: "Episodes", data: data.weeks.map(function (w) { return w.episodes; }), backgroundColor: accent, yAxisID: "y" },
        { type: "line", label: "Days logged", data: data.weeks.map(function (w) { return w.days_logged; }), borderColor: warm, backgroundColor: warm, yAxisID: "days", pointRadius: 2 }
      ]
    },
    options: {
      scales: {
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "episodes" } },
        days: { position: "right", min: 0, max: 7, grid: { drawOnChartArea: false }, title: { display: true, text: "days logged" } }
      }
    },
    plugins: [flagMarks]
  });

  // Severity: each episode at its week position, with the weekly mean as a line.
  var firstWeek = new Date(data.weeks[0].start + "T00:00:00");
  var points = data.severities.map(function (p) {
    var t = new Date(p.started_at);
    return { x: (t - firstWeek) / (7 * 864e5) - 0.5, y: p.severity };
  });
  new Chart(document.getElementById("chart-severity"), {
    data: {
      labels: weekLabels,
      datasets: [
        { type: "scatter", label: "Episode", data: points, backgroundColor: warm, pointRadius: 3, xAxisID: "pos" },
        { type: "line", label: "Weekly mean", data: data.weeks.map(function (w) { return w.mean_severity; }), borderColor: accent, backgroundColor: accent, spanGaps: true, pointRadius: 2 }
      ]
    },
    options: {
      scales: {
        y: { min: 0, max: 10, ticks: { stepSize: 2 }, title: { display: true, text: "severity" } },
        pos: { type: "linear", display: false, min: -0.5, max: data.weeks.length - 0.5 }
      }
    },
    plugins: [flagMarks]
  });

  new Chart(document.getElementById("chart-duration"), {
    type: "bar",
    data: {
      labels: weekLabels,
      datasets: [{ label: "Median minutes", data: data.weeks.map(function (w) { return w.median_minutes; }), backgroundColor: accent }]
    },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: "minutes" } } } }
  });

  var nightHours = data.night_hours;
  new Chart(document.getElementById("chart-hours"), {
    type: "bar",
    data: {
      labels: data.hours.map(function (_, h) { return (h < 10 ? "0" : "") + h; }),
      datasets: [{
        label: "Episodes started",
        data: data.hours,
        backgroundColor: data.hours.map(function (_, h) { return nightHours.indexOf(h) >= 0 ? night : accent; })
      }]
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
