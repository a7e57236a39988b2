// Site-wide behaviour. Loaded as a file: the CSP allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
});

// A form htmx swapped back with errors: move to its error summary ([data-focus-on-swap]), so the
// user who pressed Save at the bottom of a long form sees what was refused (and a screen reader says it).
document.addEventListener("htmx:afterSwap", function () {
  var summary = document.querySelector("[data-focus-on-swap]");
  if (summary) { summary.focus(); }
});
