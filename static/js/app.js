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

// Nothing typed is lost (stop 23): a form that redraws itself on change (hx-trigger="change": the new
// plan's form and dose preview) is answered with the values it sent. What the user typed into it while the
// answer was on its way (the start date changed, then the cycles typed at once) is put back into the
// redrawn form, which then asks again with it, so the preview shows what the form shows.
(function () {
  var typed = null;

  function redraws(form) {
    return form && form.tagName === "FORM" && form.getAttribute("hx-trigger") === "change";
  }

  function values(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "file") { return; }
      out[el.name + "\u0000" + (el.type === "radio" || el.type === "checkbox" ? el.value : "")] =
        el.type === "radio" || el.type === "checkbox" ? el.checked : el.value;
    });
    return out;
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    if (redraws(evt.detail.elt)) { evt.detail.elt.mpSent = values(evt.detail.elt); }
  });

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var form = evt.detail.requestConfig && evt.detail.requestConfig.elt;
    typed = null;
    if (!redraws(form) || !form.mpSent || !evt.detail.shouldSwap) { return; }
    var now = values(form), changed = {}, any = false;
    Object.keys(now).forEach(function (key) {
      if (now[key] !== form.mpSent[key]) { changed[key] = now[key]; any = true; }
    });
    if (any) { typed = {testid: form.getAttribute("data-testid"), values: changed}; }
  });

  // after the settle, when htmx has made the redrawn form its own: its change asks again
  document.addEventListener("htmx:afterSettle", function () {
    if (!typed) { return; }
    var form = typed.testid && document.querySelector('form[data-testid="' + typed.testid + '"]');
    var wanted = typed.values, last = null;
    typed = null;
    if (!form) { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      var key = el.name + "\u0000" + (el.type === "radio" || el.type === "checkbox" ? el.value : "");
      if (!el.name || !(key in wanted)) { return; }
      if (el.type === "radio" || el.type === "checkbox") { el.checked = wanted[key]; } else { el.value = wanted[key]; }
      last = el;
    });
    if (last) { last.dispatchEvent(new Event("change", {bubbles: true})); }
  });
})();
