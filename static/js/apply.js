// The wizard's enhancements: 全选, showing the fields that an answer calls for, 添加一条, autosave, one submit.
// Without JavaScript the form posts and the server renders the same fields (the 更新需要填写的项目 button).
(function () {
  "use strict";
  var all = document.querySelector("[data-check-all]");
  if (all) {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-condition]"));
    var sync = function () { all.checked = boxes.every(function (b) { return b.checked; }); };
    all.addEventListener("change", function () { boxes.forEach(function (b) { b.checked = all.checked; }); });
    boxes.forEach(function (b) { b.addEventListener("change", sync); });
    // 全选 ticked before this script ran (a slow phone) stands: tick the conditions rather than untick it.
    if (all.checked) { boxes.forEach(function (b) { b.checked = true; }); } else { sync(); }
  }

  var form = document.getElementById("apply-form");
  if (form) {
    var status = document.getElementById("draft-status");
    var announce = document.getElementById("form-changes");
    var sequence = 0;

    // Posts the form (without its files) and returns the form the server renders for it.
    var render = function (action) {
      var body = new FormData(form);
      Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (f) { body.delete(f.name); });
      body.set("action", action);
      var mine = ++sequence;
      return fetch(window.location.href, {
        method: "POST", body: body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
      }).then(function (r) { return r.text(); }).then(function (html) {
        if (mine !== sequence) { return null; } // a later change is on its way
        return new DOMParser().parseFromString(html, "text/html").getElementById("apply-form");
      });
    };
    var keyOf = function (el) { return el.getAttribute("data-part"); };
    var labelOf = function (el) {
      var l = el.querySelector("legend, label");
      return l ? l.textContent.replace(/（选填）/, "").trim() : "";
    };

    // Brings in the fields the server now asks for and takes away those it no longer does. Fields already on
    // the page stay as they are (what was typed, where the focus is); nothing is moved.
    var merge = function (fresh) {
      var old = {};
      Array.prototype.forEach.call(form.querySelectorAll(":scope > [data-part]"), function (el) { old[keyOf(el)] = el; });
      var keep = {};
      var added = [];
      var previous = null;
      Array.prototype.forEach.call(fresh.querySelectorAll(":scope > [data-part]"), function (el) {
        var key = keyOf(el);
        keep[key] = true;
        if (old[key]) { previous = old[key]; return; }
        var node = document.importNode(el, true);
        if (previous) { previous.after(node); } else { form.prepend(node); }
        previous = node;
        if (node.matches(".field, fieldset")) { added.push(labelOf(node)); }
      });
      var removed = [];
      Object.keys(old).forEach(function (key) {
        if (!keep[key]) {
          if (old[key].matches(".field, fieldset")) { removed.push(labelOf(old[key])); }
          old[key].remove();
        }
      });
      if (announce && (added.length || removed.length)) {
        announce.textContent = (added.length ? "已增加填写项目：" + added.join("、") + "。" : "") +
          (removed.length ? "已去掉不需填写的项目：" + removed.join("、") + "。" : "");
      }
    };

    var timer = null;
    var refresh = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { render("refresh").then(function (fresh) { if (fresh) { merge(fresh); } }); }, 250);
    };
    form.addEventListener("change", function (e) { if (e.target.closest("[data-controls]")) { refresh(); } });
    form.addEventListener("input", function (e) {
      if (e.target.matches("input[type=date][data-controls]")) { refresh(); }
    });

    // 添加一条: the new row appears in place and takes the focus.
    form.addEventListener("click", function (e) {
      var button = e.target.closest("button[value^='add_row:']");
      if (!button) { return; }
      e.preventDefault();
      var fieldset = button.closest("fieldset");
      render(button.value).then(function (fresh) {
        var replacement = fresh && fresh.querySelector("#" + fieldset.id);
        if (!replacement) { return; }
        var node = document.importNode(replacement, true);
        fieldset.replaceWith(node);
        var cards = node.querySelectorAll(".row-card");
        var first = cards.length ? cards[cards.length - 1].querySelector("input, select, textarea") : null;
        (first || node.querySelector("button")).focus();
        if (announce) { announce.textContent = "已添加第" + cards.length + "条" + labelOf(node); }
      });
    });

    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    setInterval(function () {
      if (!dirty) { return; }
      dirty = false;
      var body = new FormData(form);
      Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (f) { body.delete(f.name); });
      fetch(form.getAttribute("data-autosave"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) { if (j && status) { status.textContent = "草稿已于" + j.saved_at + "自动保存"; } });
    }, 30000);
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-once]"), function (button) {
    button.form.addEventListener("submit", function () {
      setTimeout(function () { button.disabled = true; button.textContent = "正在提交…"; }, 0);
    });
  });
})();
