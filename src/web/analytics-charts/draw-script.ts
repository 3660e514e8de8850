/**
 * The browser side of the analytics plots, as plain ES5-compatible JavaScript: served as a
 * static file to the console (never inline: the console's CSP forbids inline script) and
 * inlined in the MCP App's HTML. It defines `InterchangeCharts` with:
 * - draw(canvas, spec): draws one ChartSpec (charts.ts) with chart.js (the global `Chart`);
 * - build(container, specs): builds each plot's heading, canvas and table, then draws it
 *   (the MCP App has no server-rendered markup);
 * - drawPage(): the console page: reads the specs from <script type="application/json"
 *   id="chart-data"> and draws every <canvas data-chart="id"> the server rendered.
 * A drawn canvas gets data-drawn="true" (what the browser tests wait for).
 */
export const drawScript = String.raw`(function () {
  'use strict';
  var palette = ['#1f3a93', '#b45309', '#047857'];

  function draw(canvas, spec) {
    var hasLine = spec.series.some(function (s) { return s.draw === 'line'; });
    var hasBar = spec.series.some(function (s) { return s.draw === 'bar'; });
    var valueAxis = spec.horizontal ? 'x' : 'y';
    var datasets = spec.series.map(function (s, i) {
      var color = palette[i % palette.length];
      var line = s.draw === 'line';
      var set = {
        type: line ? 'line' : 'bar',
        label: s.label,
        data: s.values,
        backgroundColor: color,
        borderColor: color,
        borderWidth: line ? 3 : 0,
        pointRadius: line ? 5 : 0,
        pointStyle: line ? 'rectRot' : 'rect'
      };
      if (line && hasBar) set.yAxisID = 'y1';
      return set;
    });
    var scales = {};
    scales[valueAxis] = { beginAtZero: true, ticks: { color: '#1f2937', precision: 0 } };
    scales[valueAxis === 'x' ? 'y' : 'x'] = { ticks: { color: '#1f2937' } };
    var percentOnly = spec.series.every(function (s) { return s.format === 'percent'; });
    if (percentOnly) scales[valueAxis] = percentAxis();
    if (hasLine && hasBar) {
      scales.y1 = percentAxis();
      scales.y1.position = 'right';
      scales.y1.grid = { drawOnChartArea: false };
    }
    var chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? 'y' : 'x',
        scales: scales,
        plugins: {
          legend: { display: spec.series.length > 1, labels: { color: '#1f2937' } },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var s = spec.series[ctx.datasetIndex];
                return s.label + ': ' + s.display[ctx.dataIndex];
              }
            }
          }
        }
      }
    });
    canvas.setAttribute('data-drawn', 'true');
    return chart;
  }

  function percentAxis() {
    return {
      beginAtZero: true,
      min: 0,
      max: 1,
      ticks: {
        color: '#1f2937',
        callback: function (v) { return Math.round(v * 100) + '%'; }
      }
    };
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function build(container, specs) {
    container.textContent = '';
    specs.forEach(function (spec) {
      var section = el('section', { 'class': 'chart', 'aria-labelledby': 'chart-' + spec.id + '-title' });
      section.appendChild(el('h2', { id: 'chart-' + spec.id + '-title' }, spec.title));
      section.appendChild(el('p', { id: 'chart-' + spec.id + '-summary', 'class': 'summary' }, spec.summary));
      if (spec.labels.length === 0) {
        section.appendChild(el('p', { 'class': 'empty' }, spec.emptyText));
        container.appendChild(section);
        return;
      }
      var box = el('div', { 'class': 'chart-box' });
      var canvas = el('canvas', {
        role: 'img',
        'aria-label': spec.title + ': the table below gives the values',
        'data-chart': spec.id
      });
      box.appendChild(canvas);
      section.appendChild(box);
      var table = el('table', {});
      table.appendChild(el('caption', {}, spec.title + ' (data)'));
      var head = el('tr', {});
      head.appendChild(el('th', { scope: 'col' }, spec.labelHeading));
      spec.series.forEach(function (s) { head.appendChild(el('th', { scope: 'col' }, s.label)); });
      var thead = el('thead', {});
      thead.appendChild(head);
      table.appendChild(thead);
      var tbody = el('tbody', {});
      spec.labels.forEach(function (label, i) {
        var row = el('tr', {});
        row.appendChild(el('th', { scope: 'row' }, label));
        spec.series.forEach(function (s) { row.appendChild(el('td', {}, s.display[i])); });
        tbody.appendChild(row);
      });
      table.appendChild(tbody);
      section.appendChild(table);
      container.appendChild(section);
      draw(canvas, spec);
    });
  }

  function drawPage() {
    var data = document.getElementById('chart-data');
    if (!data) return;
    var specs = JSON.parse(data.textContent || '[]');
    specs.forEach(function (spec) {
      var canvas = document.querySelector('canvas[data-chart="' + spec.id + '"]');
      if (canvas) draw(canvas, spec);
    });
  }

  window.InterchangeCharts = { draw: draw, build: build, drawPage: drawPage };
})();
`;

/** The console's own static script: draw the plots of the page it is loaded on. */
export const consolePageScript = `${drawScript}
if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', window.InterchangeCharts.drawPage);
} else {
  window.InterchangeCharts.drawPage();
}
`;
