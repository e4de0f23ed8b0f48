// The review console's keyboard shortcuts and drafts. Progressive enhancement: every page works without it.
(function () {
  "use strict";

  // ------------------------------------------------------------ drafts
  // What a reviewer types in a 补正 / decision form is kept in this browser (localStorage) as it is typed, and put
  // back when the same page shows the same form again: after the session ended and they signed in again, after
  // a refused submission. A draft whose form is gone from its page (the decision was made) is deleted; signing
  // out deletes all, and none lives longer than DRAFT_HOURS.
  var PREFIX = "jianli.draft:";
  var DRAFT_HOURS = 12;
  var store = null;
  try { store = window.localStorage; store.getItem(PREFIX); } catch (e) { store = null; }

  var fieldsOf = function (form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
        (el.tagName === "INPUT" && (el.type === "text" || el.type === "search")));
    });
  };
  var keyOf = function (form) { return PREFIX + location.pathname + "#" + form.getAttribute("data-draft"); };

  if (store) {
    var forms = document.querySelectorAll("form[data-draft]");
    var present = {};
    Array.prototype.forEach.call(forms, function (form) { present[keyOf(form)] = true; });
    for (var i = store.length - 1; i >= 0; i--) {
      var k = store.key(i);
      if (!k || k.indexOf(PREFIX) !== 0) { continue; }
      var old = null;
      try { old = JSON.parse(store.getItem(k)); } catch (e) { old = null; }
      var stale = !old || Date.now() - old.t > DRAFT_HOURS * 3600 * 1000;
      var done = k.indexOf(PREFIX + location.pathname + "#") === 0 && !present[k];
      if (stale || done) { store.removeItem(k); }
    }
    Array.prototype.forEach.call(forms, function (form) {
      var key = keyOf(form);
      var saved = null;
      try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
      if (saved && saved.v) {
        var restored = false;
        fieldsOf(form).forEach(function (el) {
          var v = saved.v[el.name];
          if (v && !el.value) { el.value = v; restored = true; }
        });
        if (restored) {
          var note = document.createElement("p");
          note.className = "notice notice-info draft-restored";
          note.setAttribute("role", "status");
          note.textContent = "已恢复您上次未提交的内容（" + new Date(saved.t).toLocaleString("zh-CN") + "），请核对后提交。";
          form.insertBefore(note, form.firstChild);
          var details = form.closest("details");
          if (details) { details.open = true; }
        }
      }
      var save = function () {
        var v = {};
        var any = false;
        fieldsOf(form).forEach(function (el) { if (el.value) { v[el.name] = el.value; any = true; } });
        if (any) { store.setItem(key, JSON.stringify({ t: Date.now(), v: v })); } else { store.removeItem(key); }
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-clears-drafts]"), function (form) {
      form.addEventListener("submit", function () {
        for (var j = store.length - 1; j >= 0; j--) {
          var key = store.key(j);
          if (key && key.indexOf(PREFIX) === 0) { store.removeItem(key); }
        }
      });
    });
  }

  // ------------------------------------------------------------ select all on the queue
  Array.prototype.forEach.call(document.querySelectorAll("[data-check-all]"), function (box) {
    box.addEventListener("change", function () {
      var name = box.getAttribute("data-check-all");
      Array.prototype.forEach.call(document.querySelectorAll("input[type=checkbox][name='" + name + "']"),
        function (b) { b.checked = box.checked; });
    });
  });

  // ------------------------------------------------------------ keyboard shortcuts
  // A single key acts only when no text field has the focus (typing "a" in a 补正 note types an "a"); Esc leaves a
  // field. A decision is never made by one key: A moves the focus to 准予注册, Enter then presses it.
  var typing = function (el) {
    if (!el) { return false; }
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable) { return true; }
    return tag === "INPUT" && ["checkbox", "radio", "button", "submit", "reset"].indexOf(el.type) < 0;
  };
  var visible = function (el) { return el && el.offsetParent !== null; };
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.key === "Escape" && typing(document.activeElement)) { document.activeElement.blur(); return; }
    if (typing(e.target)) { return; }
    var sheet = document.getElementById("idle-warning");
    if (sheet && !sheet.hidden) { return; }
    var key = (e.key || "").toLowerCase();
    if (key.length !== 1) { return; }
    var focusTarget = document.querySelector("[data-key-target='" + key + "']");
    if (focusTarget && visible(focusTarget)) { e.preventDefault(); focusTarget.focus(); return; }
    var target = document.querySelector("[data-key='" + key + "']");
    if (!target) { return; }
    e.preventDefault();
    if (target.tagName === "DETAILS") {
      target.open = true;
      target.scrollIntoView({ block: "nearest" });
      var first = target.querySelector("select, textarea, input:not([type=hidden])");
      if (first) { first.focus(); }
    } else if (target.tagName === "BUTTON" && target.getAttribute("data-key") === "a") {
      var d = target.closest("details");
      if (d) { d.open = true; }
      target.focus();
      target.scrollIntoView({ block: "nearest" });
    } else {
      target.click();
    }
  });
})();
