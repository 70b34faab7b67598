// Headroom's site search: a prebuilt index (search-index.js) and this script, no dependencies.
// Works from file:// and from any sub-path: URLs in the index are relative to the site root, which
// is found from this script's own address. Results are built with DOM calls, never as HTML.
(function () {
  "use strict";
  var script = document.currentScript;
  var index = window.HEADROOM_SEARCH;
  var form = document.getElementById("site-search");
  if (!script || !form || !Array.isArray(index)) return;
  var root = script.src.replace(/assets\/search\.js(\?.*)?$/, "");
  var input = form.querySelector("input");
  var list = form.querySelector("ul");
  var active = -1;
  form.hidden = false;

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  // Every term must match somewhere; a match at the start of the title counts most, then at the
  // start of a word of the title, then inside the title, then in the kind or detail.
  function score(entry, terms) {
    var title = entry.t.toLowerCase();
    var all = (entry.t + " " + entry.k + " " + entry.d).toLowerCase();
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      if (all.indexOf(term) < 0) return 0;
      var at = title.indexOf(term);
      total += at === 0 ? 4 : new RegExp("[^a-z0-9]" + term.replace(/[^a-z0-9]/g, "\\$&")).test(title) ? 3 : at > 0 ? 2 : 1;
    }
    return total;
  }

  function select(position) {
    var items = list.querySelectorAll("li");
    if (!items.length) return;
    active = (position + items.length) % items.length;
    for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === active ? "true" : "false");
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function show() {
    var terms = words(input.value);
    list.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!terms.length) {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      return;
    }
    var found = index
      .map(function (entry) { return { entry: entry, score: score(entry, terms) }; })
      .filter(function (hit) { return hit.score > 0; })
      .sort(function (a, b) {
        return b.score - a.score || a.entry.t.length - b.entry.t.length || (a.entry.t < b.entry.t ? -1 : 1);
      })
      .slice(0, 12);
    if (!found.length) {
      var none = document.createElement("li");
      none.className = "search-none";
      none.textContent = "Nothing matches";
      list.appendChild(none);
    }
    found.forEach(function (hit, position) {
      var item = document.createElement("li");
      item.id = "search-result-" + position;
      item.setAttribute("role", "option");
      var link = document.createElement("a");
      link.href = root + hit.entry.u;
      link.tabIndex = -1;
      var title = document.createElement("span");
      title.className = "search-title";
      title.textContent = hit.entry.t;
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = hit.entry.k + (hit.entry.d ? " · " + hit.entry.d : "");
      link.appendChild(title);
      link.appendChild(kind);
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  input.addEventListener("input", show);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { select(active + 1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { select(active - 1); event.preventDefault(); }
    else if (event.key === "Escape") { input.value = ""; show(); }
    else if (event.key === "Enter") {
      var links = list.querySelectorAll("li a");
      var chosen = links[active < 0 ? 0 : active];
      if (chosen) window.location.href = chosen.href;
      event.preventDefault();
    }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
})();
