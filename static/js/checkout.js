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

// The checkout's live total: the number of tickets of each type times its price.
// Without this the page shows the all-adult total, and the server prices the choice.
(function () {
  "use strict";

  var form = document.querySelector("form[data-ticket-types]");
  var total = form && form.querySelector("[data-total]");
  if (!total) {
    return;
  }
  var inputs = form.querySelectorAll("input[data-ticket-count]");

  function update() {
    var cents = 0;
    inputs.forEach(function (input) {
      var count = parseInt(input.value, 10);
      if (count > 0) {
        cents += count * Math.round(parseFloat(input.dataset.price) * 100);
      }
    });
    total.textContent = (cents / 100).toFixed(2);
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", update);
  });
  update();
})();
