// 人脸识别 with the camera: one JPEG frame per prompt (canvas → blob), posted as frame_0..n with the form.
// Without a camera (or permission) the page keeps its file input; nothing here is needed for that path.
(function () {
  "use strict";
  var box = document.getElementById("camera");
  if (!box) { return; }
  var form = document.getElementById("face-form");
  var fallback = document.getElementById("fallback");
  var error = document.getElementById("camera-error");
  var video = document.getElementById("camera-video");
  var prompt = document.getElementById("camera-prompt");
  var start = document.getElementById("camera-start");
  var off = document.getElementById("camera-off");
  var offRow = document.getElementById("camera-off-row");
  var count = document.getElementById("camera-count");
  var upload = document.getElementById("id_frame_0");
  var steps = box.getAttribute("data-steps").split(",");
  var items = box.querySelectorAll("[data-step]");
  var HOLD_SECONDS = 3; // time to read the prompt, turn and hold still before the frame is taken
  var stream = null;

  function showFallback(message) {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    box.hidden = true;
    fallback.hidden = false;
    if (message) { error.textContent = message; error.hidden = false; }
  }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof DataTransfer === "undefined") {
    showFallback("此浏览器无法使用摄像头。");
    return;
  }

  start.disabled = true;
  navigator.mediaDevices.getUserMedia({ video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false })
    .then(function (s) {
      stream = s;
      video.srcObject = s;
      box.hidden = false;
      fallback.hidden = true;
      var ready = function () { if (video.videoWidth > 0) { start.disabled = false; } };
      video.addEventListener("loadeddata", ready);
      ready();
    })
    .catch(function (err) {
      showFallback(err && err.name === "NotAllowedError"
        ? "未获得摄像头权限。请在浏览器设置中允许使用摄像头后刷新本页，或改为上传照片。"
        : "未找到可用的摄像头，请改为上传照片。");
    });

  off.addEventListener("click", function () { showFallback(""); });

  function countdown(seconds) {
    return new Promise(function (resolve) {
      var left = seconds;
      var tick = function () {
        if (left === 0) { count.textContent = "拍摄中…"; resolve(); return; }
        count.textContent = "请保持姿势，" + left + " 秒后拍摄";
        left -= 1;
        setTimeout(tick, 1000);
      };
      tick();
    });
  }

  function grab() {
    var canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) { if (blob) { resolve(blob); } else { reject(new Error("toBlob")); } }, "image/jpeg", 0.9);
    });
  }

  function mark(index) {
    for (var i = 0; i < items.length; i++) {
      items[i].className = i < index ? "done" : (i === index ? "current" : "");
    }
  }

  start.addEventListener("click", function () {
    start.hidden = true;
    offRow.hidden = true;
    count.hidden = false;
    var frames = [];
    var chain = Promise.resolve();
    steps.forEach(function (step, i) {
      chain = chain
        .then(function () { mark(i); prompt.textContent = items[i].textContent; box.setAttribute("data-current", step); return countdown(HOLD_SECONDS); })
        .then(grab)
        .then(function (blob) { frames.push(blob); });
    });
    chain.then(function () {
      mark(steps.length);
      prompt.textContent = "正在识别，请稍候…";
      count.hidden = true;
      stream.getTracks().forEach(function (t) { t.stop(); });
      upload.disabled = true; // the camera frames replace the file input
      frames.forEach(function (blob, i) {
        var input = document.createElement("input");
        var files = new DataTransfer();
        files.items.add(new File([blob], "frame_" + i + ".jpg", { type: "image/jpeg" }));
        input.type = "file";
        input.name = "frame_" + i;
        input.hidden = true;
        input.files = files.files;
        form.appendChild(input);
      });
      form.submit();
    }).catch(function () {
      showFallback("拍摄失败，请改为上传照片，或刷新本页重试。");
    });
  });
})();
