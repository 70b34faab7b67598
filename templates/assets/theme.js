// Light, dark or automatic (the system's choice), kept in localStorage across pages. Loaded
// without defer so the pinned theme applies before the first paint; the button cycles the three.
(function () {
  "use strict";
  var KEY = "headroom-theme";
  var THEMES = ["auto", "light", "dark"];
  var LABELS = { auto: "Theme: automatic", light: "Theme: light", dark: "Theme: dark" };
  var root = document.documentElement;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return THEMES.indexOf(value) >= 0 ? value : "auto";
    } catch (e) {
      return "auto"; // storage disabled: automatic only
    }
  }

  function apply(theme) {
    if (theme === "auto") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", theme);
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    var theme = stored();
    button.textContent = LABELS[theme];
    button.hidden = false;
    button.addEventListener("click", function () {
      theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
      try {
        window.localStorage.setItem(KEY, theme);
      } catch (e) {
        // not kept, but still applied to this page
      }
      apply(theme);
      button.textContent = LABELS[theme];
    });
  });
})();
