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
      countdown.textContent = gettext("The hold has expired.");
      box.classList.replace("alert-info", "alert-warning");
      document.querySelectorAll("form button[type=submit]").forEach(function (button) {
        if (!button.form.querySelector("input[name=action][value=release]")) {
          button.disabled = true;
        }
      });
      window.setTimeout(function () { window.location.reload(); }, 1500);
      return;
    }
    var text = interpolate(gettext("%s left."), [minutes + ":" + (seconds < 10 ? "0" : "") + seconds]);
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

// The checkout's live lines and total: the types chosen go to the seats in seat
// order, in the order the inputs list the types, as the server assigns them.
// Without this the page shows the all-adult lines, and the server prices the choice.
(function () {
  "use strict";

  var form = document.querySelector("form[data-ticket-types]");
  var total = form && form.querySelector("[data-total]");
  if (!total) {
    return;
  }
  var inputs = form.querySelectorAll("input[data-ticket-count]");
  // As the server writes prices: the page's language and the theater's currency.
  var moneyFormat = new Intl.NumberFormat(document.documentElement.lang || "en", {
    style: "currency",
    currency: document.documentElement.dataset.currency || "EUR"
  });
  var lines = form.querySelectorAll("tr[data-line]");

  function update() {
    var chosen = [];
    inputs.forEach(function (input) {
      var count = Math.max(0, parseInt(input.value, 10) || 0);
      for (var i = 0; i < count && chosen.length <= lines.length; i += 1) {
        chosen.push({ name: input.dataset.name, cents: Math.round(parseFloat(input.dataset.price) * 100) });
      }
    });
    var cents = 0;
    chosen.forEach(function (ticket) { cents += ticket.cents; });
    var complete = chosen.length === lines.length;
    if (complete) {
      lines.forEach(function (line, index) {
        line.querySelector("[data-line-type]").textContent = chosen[index].name;
        line.querySelector("[data-line-price]").textContent = moneyFormat.format(chosen[index].cents / 100);
      });
    }
    total.textContent = moneyFormat.format(cents / 100) +
      (complete ? "" : " " + interpolate(gettext("(%(chosen)s of %(seats)s seats chosen)"),
        { chosen: chosen.length, seats: lines.length }, true));
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", update);
  });
  update();
})();
