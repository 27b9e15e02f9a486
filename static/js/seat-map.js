// The seat map's live count and total, and the seat limit. The form works
// without this: the server checks everything again.
(function () {
  "use strict";

  function setUp(form) {
    var limit = parseInt(form.dataset.maxSeats, 10);
    var cents = Math.round(parseFloat(form.dataset.price) * 100);
    var summary = form.querySelector("[data-seat-summary]");
    var warning = form.querySelector("[data-seat-limit]");
    var submit = form.querySelector("button[type=submit]");
    if (!summary) {
      return; // not bookable: nothing to count
    }

    function chosen() {
      return form.querySelectorAll("input[name=seats]:checked");
    }

    function update() {
      var count = chosen().length;
      var total = ((count * cents) / 100).toFixed(2);
      summary.textContent = count === 1 ? "1 seat selected · total " + total : count + " seats selected · total " + total;
    }

    form.addEventListener("change", function (event) {
      var seat = event.target;
      if (seat.name !== "seats") {
        return;
      }
      if (seat.checked && chosen().length > limit) {
        seat.checked = false;
        warning.textContent = "You can book at most " + limit + " seats at once.";
        warning.hidden = false;
      } else {
        warning.hidden = true;
      }
      update();
    });

    // One click, one booking: a second submit while the first is on its way is dropped.
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted) {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "1";
      if (submit) {
        submit.setAttribute("aria-disabled", "true");
      }
    });

    // Back from the next page, the browser may restore this one as it was left.
    window.addEventListener("pageshow", function () {
      delete form.dataset.submitted;
      if (submit) {
        submit.removeAttribute("aria-disabled");
      }
      update();
    });

    update();
  }

  document.querySelectorAll("form.seat-map").forEach(setUp);
})();
