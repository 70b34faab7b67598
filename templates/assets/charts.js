// Chart tooltips, as progressive enhancement. The hover layer of each time chart carries what the
// build wrote for it: the edges of its columns (data-edges, in the chart's own units), the names
// of the series shown (data-series, separated by "|"), and each column's time and values
// (data-tips: columns separated by ";", fields by "|"). This script only finds the column under
// the pointer and shows its text; it computes and formats nothing. No dependencies; without
// script the charts are as built, and the table behind each chart holds its data.
(function () {
  "use strict";
  var tip = null;
  var parsed = new WeakMap();

  function columns(layer) {
    var known = parsed.get(layer);
    if (known) return known;
    known = {
      edges: (layer.getAttribute("data-edges") || "").split(" ").map(Number),
      series: (layer.getAttribute("data-series") || "").split("|"),
      tips: (layer.getAttribute("data-tips") || "").split(";").map(function (column) { return column.split("|"); }),
      more: layer.getAttribute("data-more")
    };
    parsed.set(layer, known);
    return known;
  }

  // The column whose edges hold x, or -1.
  function find(edges, x) {
    var low = 0, high = edges.length - 2;
    if (high < 0 || x < edges[0] || x > edges[edges.length - 1]) return -1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (edges[middle] <= x) low = middle; else high = middle - 1;
    }
    return low;
  }

  function hide() {
    if (tip) tip.hidden = true;
    var shown = document.querySelectorAll("svg.chart .hover-column");
    for (var i = 0; i < shown.length; i++) shown[i].parentNode.removeChild(shown[i]);
  }

  function show(layer, event) {
    var svg = layer.ownerSVGElement;
    var matrix = svg && svg.getScreenCTM();
    if (!matrix) return hide();
    var point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    var data = columns(layer);
    var index = find(data.edges, point.x);
    if (index < 0 || index >= data.tips.length) return hide();
    var fields = data.tips[index];
    var lines = [fields[0]];
    for (var i = 0; i < data.series.length && i + 1 < fields.length; i++) lines.push(data.series[i] + ": " + fields[i + 1]);
    if (data.more) lines.push(data.more);
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "chart-tip";
      tip.setAttribute("role", "tooltip");
      document.body.appendChild(tip);
    }
    tip.textContent = lines.join("\n");
    tip.hidden = false;
    // The column, shaded under the pointer.
    var area = layer.querySelector("rect");
    var column = layer.querySelector(".hover-column");
    if (!column) {
      column = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      column.setAttribute("class", "hover-column");
      layer.appendChild(column);
    }
    column.setAttribute("x", data.edges[index]);
    column.setAttribute("width", Math.max(0, data.edges[index + 1] - data.edges[index]));
    column.setAttribute("y", area.getAttribute("y"));
    column.setAttribute("height", area.getAttribute("height"));
    // Beside the pointer, kept inside the window.
    var width = tip.offsetWidth, height = tip.offsetHeight;
    var left = event.clientX + 14, top = event.clientY + 14;
    if (left + width > document.documentElement.clientWidth - 4) left = Math.max(4, event.clientX - width - 14);
    if (top + height > document.documentElement.clientHeight - 4) top = Math.max(4, event.clientY - height - 14);
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
  }

  function pointer(event) {
    var target = event.target;
    var layer = target && target.closest ? target.closest("svg.chart g.hover") : null;
    if (layer) show(layer, event); else if (tip && !tip.hidden) hide();
  }

  document.addEventListener("pointermove", pointer);
  document.addEventListener("pointerdown", pointer);
  document.addEventListener("scroll", hide, true);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
})();
