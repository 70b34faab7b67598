// Sortable tables, as progressive enhancement: each column heading of a table.figures becomes a
// button that sorts the body rows by that column, numbers by value (units and signs understood,
// "—" last), text alphabetically. No dependencies; without script the tables are as built.
(function () {
  "use strict";
  var scale = { ms: 1, s: 1000, min: 60000, h: 3600000, d: 86400000, bytes: 1, KB: 1024, MB: 1048576, GB: 1073741824 };

  function value(cell) {
    var text = (cell ? cell.textContent : "").trim().replace(/\u2212/g, "-").replace(/,/g, "").replace(/^[≤<]\s*/, "");
    var match = /^([-+]?\d*\.?\d+)\s*(ms|s|min|h|d|bytes|KB|MB|GB)?/.exec(text);
    if (!match) return { text: text.toLowerCase() };
    return { number: parseFloat(match[1]) * (match[2] ? scale[match[2]] : 1) };
  }

  function compare(a, b) {
    if (a.number !== undefined && b.number !== undefined) return a.number - b.number;
    if (a.number !== undefined) return -1;
    if (b.number !== undefined) return 1;
    if (a.text === "—" || b.text === "—") return a.text === "—" ? 1 : -1;
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  }

  function sort(table, column, heading) {
    var body = table.tBodies[0];
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
      return { row: row, key: value(row.cells[column]), index: index };
    });
    rows.sort(function (a, b) {
      var order = compare(a.key, b.key);
      if (a.key.text === "—" || b.key.text === "—") return order || a.index - b.index;
      return (ascending ? order : -order) || a.index - b.index;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.figures"), function (table) {
    if (!table.tHead || !table.tBodies.length || table.tBodies[0].rows.length < 2) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (heading.firstChild) button.appendChild(heading.firstChild);
      heading.appendChild(button);
      button.addEventListener("click", function () { sort(table, column, heading); });
    });
  });
})();
