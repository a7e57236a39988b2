// The assessment's evidence groups (<details>): a link to a group opens it, "Open all" / "Close all"
// toggle every group, and printing opens them all (closed again afterwards). Delegated from the
// document, so the groups htmx swaps in (#assessment) behave the same. Loaded as a file (CSP).
(function () {
  function groups() { return document.querySelectorAll("details.evidence"); }

  function openTarget(hash) {
    if (!hash || hash.length < 2) { return; }
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    var group = target && target.closest("details.evidence");
    if (group) { group.open = true; }
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-evidence-toggle]");
    if (toggle) {
      var open = toggle.getAttribute("data-evidence-toggle") === "open";
      groups().forEach(function (d) { d.open = open; });
      return;
    }
    var link = event.target.closest("a[href^='#']");
    if (link) { openTarget(link.getAttribute("href")); }
  });
  window.addEventListener("hashchange", function () { openTarget(window.location.hash); });
  document.addEventListener("DOMContentLoaded", function () { openTarget(window.location.hash); });

  var closedBeforePrint = [];
  window.addEventListener("beforeprint", function () {
    closedBeforePrint = Array.prototype.filter.call(groups(), function (d) { return !d.open; });
    closedBeforePrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedBeforePrint.forEach(function (d) { d.open = false; });
    closedBeforePrint = [];
  });
})();
