/* The search page's filters: folded behind their summary line on narrow screens, so the first
 * results are on the first screen; always open on wide screens (where the summary is hidden).
 * Without this script the filters are simply open. */
(function () {
  "use strict";

  function setup() {
    var panel = document.querySelector("details[data-facets]");
    if (!panel || !window.matchMedia) return;
    var wide = window.matchMedia("(min-width: 52rem)");
    panel.open = wide.matches;
    var follow = function (event) { if (event.matches) panel.open = true; };
    if (wide.addEventListener) wide.addEventListener("change", follow);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
