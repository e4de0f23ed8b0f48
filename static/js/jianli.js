// Progressive enhancement only: every page works without it.
(function () {
  "use strict";
  var focusTarget = document.querySelector("[data-focus]");
  if (focusTarget) { focusTarget.focus(); }

  // An error summary's link takes the focus to its field (the first choice of a group), its label in view.
  document.addEventListener("click", function (e) {
    var link = e.target.closest(".error-summary a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) { return; }
    var input = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    if (!input) { return; }
    e.preventDefault();
    var label = target.closest("fieldset") ? target.closest("fieldset").querySelector("legend") : null;
    label = label || document.querySelector("label[for='" + input.id + "']") || input;
    label.scrollIntoView();
    input.focus({ preventScroll: true });
  });

  // Idle sign-out warning: shown 2 minutes before the session ends, with a button to extend it.
  var idle = parseInt(document.body.getAttribute("data-idle-seconds") || "0", 10);
  var sheet = document.getElementById("idle-warning");
  if (idle > 0 && sheet) {
    var warnAt, endAt, ticker;
    var countdown = document.getElementById("idle-countdown");
    var extend = document.getElementById("idle-extend");
    var csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
    var schedule = function () {
      endAt = Date.now() + idle * 1000;
      warnAt = endAt - Math.min(120, idle / 2) * 1000;
      sheet.hidden = true;
    };
    schedule();
    ticker = setInterval(function () {
      var now = Date.now();
      if (now >= endAt) {
        clearInterval(ticker);
        var out = document.body.getAttribute("data-signed-out") || "/signed-out/";
        document.dispatchEvent(new CustomEvent("jianli:session-ending"));
        window.location.href = out;
        return;
      }
      if (now >= warnAt) {
        if (sheet.hidden) { sheet.hidden = false; extend.focus(); }
        var left = Math.ceil((endAt - now) / 1000);
        countdown.textContent = left >= 60 ? Math.ceil(left / 60) + "分钟" : left + "秒";
      }
    }, 1000);
    extend.addEventListener("click", function () {
      fetch(extend.getAttribute("data-url"), { method: "POST", headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          if (!body) { return; }
          // The absolute lifetime may end before the idle timeout: the server says how long is left.
          if (body.seconds_left) { idle = body.seconds_left; }
          schedule();
        });
    });
  }
})();
