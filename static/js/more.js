// 更多 (图9): the link opens /more/ without JavaScript; with it, the same links open in a sheet.
(function () {
  "use strict";
  var button = document.getElementById("more-button");
  var sheet = document.getElementById("more-sheet");
  if (!button || !sheet) { return; }
  var body = sheet.querySelector(".sheet-body");
  button.setAttribute("role", "button");
  button.setAttribute("aria-haspopup", "dialog");
  button.setAttribute("aria-expanded", "false");

  function focusable() {
    return Array.prototype.slice.call(body.querySelectorAll("a[href], button:not([disabled])"));
  }
  function open() {
    sheet.hidden = false;
    button.setAttribute("aria-expanded", "true");
    document.body.classList.add("sheet-open");
    focusable()[0].focus();
  }
  function close() {
    sheet.hidden = true;
    button.setAttribute("aria-expanded", "false");
    document.body.classList.remove("sheet-open");
    button.focus();
  }
  button.addEventListener("click", function (e) { e.preventDefault(); open(); });
  button.addEventListener("keydown", function (e) {
    if (e.key === " " || e.key === "Spacebar") { e.preventDefault(); open(); }
  });
  sheet.querySelector("[data-more-close]").addEventListener("click", close);
  sheet.addEventListener("click", function (e) { if (e.target === sheet) { close(); } });
  sheet.addEventListener("keydown", function (e) {
    if (e.key === "Escape" || e.key === "Esc") { e.preventDefault(); close(); return; }
    if (e.key !== "Tab") { return; }
    var items = focusable();
    var first = items[0], last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });
})();
