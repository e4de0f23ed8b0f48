// The wizard's enhancements: 全选, re-rendering when a controlling answer changes, autosave, one submit.
(function () {
  "use strict";
  var all = document.querySelector("[data-check-all]");
  if (all) {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-condition]"));
    var sync = function () { all.checked = boxes.every(function (b) { return b.checked; }); };
    all.addEventListener("change", function () { boxes.forEach(function (b) { b.checked = all.checked; }); });
    boxes.forEach(function (b) { b.addEventListener("change", sync); });
    sync();
  }

  var form = document.getElementById("apply-form");
  if (form) {
    var submitWith = function (action) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "action"; input.value = action;
      form.appendChild(input);
      form.submit();
    };
    Array.prototype.forEach.call(form.querySelectorAll("[data-controls]"), function (el) {
      el.addEventListener("change", function () { submitWith("refresh"); });
    });
    var status = document.getElementById("draft-status");
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    setInterval(function () {
      if (!dirty) { return; }
      dirty = false;
      var body = new FormData(form);
      Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (f) { body.delete(f.name); });
      fetch(form.getAttribute("data-autosave"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) { if (j && status) { status.textContent = "草稿已于 " + j.saved_at + " 自动保存"; } });
    }, 30000);
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-once]"), function (button) {
    button.form.addEventListener("submit", function () {
      setTimeout(function () { button.disabled = true; button.textContent = "正在提交…"; }, 0);
    });
  });
})();
