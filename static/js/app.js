// Site-wide behaviour. Loaded as a file: the CSP allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
});

// Errors you can see (issue 12). htmx 2 swaps no 4xx or 5xx answer by default, so a form the
// server refused (a wrong password, a missing code, an unticked check: 422 with the form and its
// errors) looked as if nothing had happened.
// - A refusal the server answers with the form again (400, 403, 409, 422) is swapped into its
//   target like a success.
// - A server error (5xx), another refusal (404, 405, 429 …) or no answer at all shows the banner
//   of base.html (#request-error, role="alert") in the page's language; nothing is swapped.
// - An answer that ended on the login page (the session expired: the server redirected) opens the
//   login page itself instead of putting it inside the form.
(function () {
  var SWAPPED = [400, 403, 409, 422];

  function banner() { return document.getElementById("request-error"); }

  function show(text) {
    var el = banner();
    if (!el) { return; }
    el.textContent = text;
    el.classList.add("alert", "alert-danger");
    el.hidden = false;
    el.scrollIntoView({block: "nearest"});
  }

  function hide() {
    var el = banner();
    if (el) { el.hidden = true; el.textContent = ""; el.classList.remove("alert", "alert-danger"); }
  }

  function endedOnLogin(xhr) {
    if (!xhr.responseURL) { return false; }
    return new URL(xhr.responseURL, window.location.href).pathname === "/login/";
  }

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    if (endedOnLogin(xhr) && window.location.pathname !== "/login/") {
      evt.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
      return;
    }
    if (SWAPPED.indexOf(xhr.status) !== -1) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
    if (evt.detail.shouldSwap) { hide(); }
  });

  document.addEventListener("htmx:responseError", function (evt) {
    var el = banner();
    if (el) { show(el.dataset.serverError.replace("{status}", String(evt.detail.xhr.status))); }
  });

  function noAnswer() {
    var el = banner();
    if (el) { show(el.dataset.networkError); }
  }
  document.addEventListener("htmx:sendError", noAnswer);
  document.addEventListener("htmx:timeout", noAnswer);
})();

// A form htmx swapped back with errors: move to its error summary ([data-focus-on-swap]), so the
// user who pressed Save at the bottom of a long form sees what was refused (and a screen reader says it).
document.addEventListener("htmx:afterSwap", function () {
  var summary = document.querySelector("[data-focus-on-swap]");
  if (summary) { summary.focus(); }
});
