// The checkout's live countdown. Without this the page still says until when
// the seats are held, and the server refuses a confirm after that.
(function () {
  "use strict";

  var box = document.querySelector("[data-hold-expiry]");
  if (!box) {
    return;
  }
  var expiresAt = Date.parse(box.dataset.expiresAt);
  var countdown = box.querySelector("[data-countdown]");
  var confirm = document.querySelector("button[type=submit]");
  var lastSpoken = null;

  function tick() {
    var left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
    var minutes = Math.floor(left / 60);
    var seconds = left % 60;
    if (left === 0) {
      countdown.textContent = "The hold has expired.";
      box.classList.replace("alert-info", "alert-warning");
      document.querySelectorAll("form button[type=submit]").forEach(function (button) {
        if (button.textContent !== "Release seats") {
          button.disabled = true;
        }
      });
      window.setTimeout(function () { window.location.reload(); }, 1500);
      return;
    }
    var text = minutes + ":" + (seconds < 10 ? "0" : "") + seconds + " left.";
    // A screen reader hears the time left each minute, not every second.
    if (lastSpoken === null || seconds === 0 || left <= 10) {
      countdown.setAttribute("aria-live", "polite");
      lastSpoken = left;
    } else {
      countdown.setAttribute("aria-live", "off");
    }
    countdown.textContent = text;
    window.setTimeout(tick, 1000);
  }

  if (confirm) {
    tick();
  }
})();
