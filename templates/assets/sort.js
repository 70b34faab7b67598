// Sortable tables, as progressive enhancement: each column heading of a table.figures becomes a
// button that sorts the body rows by that column, numbers by value (units and signs understood,
// "—" last), text alphabetically. A table of functions also gets a filter box that keeps the rows
// whose name holds what is typed. A list split over pages (data-rows: its rows file, written by
// the build) is sorted and filtered whole: the first sort or filter loads every row of the list
// into the table and hides the links between its pages. No dependencies; without script the
// tables are as built.
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

  // Every row of a split list, once: from its rows file (a script that sets HEADROOM_ROWS), parsed
  // as the table's own rows are. `then` runs at once for a table that is not split.
  function whole(table, then) {
    var file = table.getAttribute("data-rows");
    if (!file || table.getAttribute("data-whole") === "yes") { then(); return; }
    var key = new URL(file, document.baseURI).pathname.replace(/^.*\/(weeks\/[^/]+\/)?services\//, "services/");
    function fill() {
      var rows = (window.HEADROOM_ROWS || {})[key];
      if (!rows) return false;
      var parsed = document.createElement("template");
      parsed.innerHTML = "<table><tbody>" + rows.join("") + "</tbody></table>";
      var body = table.tBodies[0];
      while (body.firstChild) body.removeChild(body.firstChild);
      Array.prototype.forEach.call(parsed.content.querySelectorAll("tbody > tr"), function (row) { body.appendChild(row); });
      table.setAttribute("data-whole", "yes");
      Array.prototype.forEach.call(document.querySelectorAll("nav.pages"), function (nav) { nav.hidden = true; });
      var holder = table.closest(".table-scroll") || table;
      var note = holder.previousElementSibling && holder.previousElementSibling.querySelector(".filter-status");
      if (note) note.textContent = "Every one of the " + rows.length.toLocaleString("en-US") + " functions, from all pages.";
      return true;
    }
    if (fill()) { then(); return; }
    var script = document.createElement("script");
    script.src = file;
    script.addEventListener("load", function () { if (fill()) then(); });
    document.head.appendChild(script);
  }

  function filter(table, text, status) {
    var query = text.trim().toLowerCase();
    var shown = 0;
    var rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (row) {
      var match = !query || row.cells[0].textContent.toLowerCase().indexOf(query) >= 0;
      row.hidden = !match;
      if (match) shown += 1;
    });
    status.textContent = query
      ? shown.toLocaleString("en-US") + " of " + rows.length.toLocaleString("en-US") + " functions match “" + text.trim() + "”."
      : "";
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.figures"), function (table) {
    if (!table.tHead || !table.tBodies.length || table.tBodies[0].rows.length < 2) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (heading.firstChild) button.appendChild(heading.firstChild);
      heading.appendChild(button);
      button.addEventListener("click", function () {
        whole(table, function () { sort(table, column, heading); });
      });
    });
    if (!table.hasAttribute("data-filter")) return;
    var box = document.createElement("p");
    box.className = "table-filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.autocomplete = "off";
    label.appendChild(document.createTextNode("Filter functions "));
    label.appendChild(input);
    var status = document.createElement("span");
    status.className = "filter-status";
    status.setAttribute("role", "status");
    box.appendChild(label);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(status);
    var holder = table.closest(".table-scroll") || table;
    holder.parentNode.insertBefore(box, holder);
    input.addEventListener("input", function () {
      whole(table, function () { filter(table, input.value, status); });
    });
  });
})();
