// The door's page: scan with the camera where the browser has BarcodeDetector
// (the typed form works everywhere without it), and keep the count live.
(function () {
  "use strict";

  var page = document.querySelector("[data-checkin]");
  if (!page) {
    return;
  }
  var form = page.querySelector("[data-door-form]");
  var input = form.querySelector("input[name=code]");
  var count = page.querySelector("[data-door-count]");

  function refreshCount() {
    fetch(page.dataset.countUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) {
          count.textContent = interpolate(gettext("admitted %(admitted)s of %(sold)s"), data, true);
        }
      })
      .catch(function () { /* the next tick tries again */ });
  }
  window.setInterval(refreshCount, 15000);

  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  var camera = page.querySelector("[data-camera]");
  var start = camera.querySelector("[data-camera-start]");
  var video = camera.querySelector("[data-camera-video]");
  var status = camera.querySelector("[data-camera-status]");
  camera.hidden = false;

  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        start.hidden = true;
        status.textContent = gettext("Point the camera at the ticket's QR code.");
        return video.play().then(function () { scan(detector, stream); });
      })
      .catch(function () {
        status.textContent = gettext("The camera is not available: type the code instead.");
      });
  });

  function scan(detector, stream) {
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        stream.getTracks().forEach(function (track) { track.stop(); });
        input.value = codes[0].rawValue;
        form.submit();
        return;
      }
      window.setTimeout(function () { scan(detector, stream); }, 250);
    }).catch(function () {
      window.setTimeout(function () { scan(detector, stream); }, 500);
    });
  }
})();
