// The admin's showtime form: while a new showtime's start is typed, each empty
// price field shows (as its placeholder) what the price card covering that start
// would give it. Without this the saved showtime's page shows the prices.
(function () {
  "use strict";

  function ready() {
    var date = document.getElementById("id_starts_at_0");
    var time = document.getElementById("id_starts_at_1");
    var fields = document.querySelectorAll("input[data-ticket-type]");
    // Only a new showtime takes the card's prices; a scheduled one shows its own.
    if (!date || !time || !fields.length || !/\/add\/$/.test(window.location.pathname)) {
      return;
    }
    var url = "../price-preview/";
    var status = document.createElement("p");
    status.className = "help";
    status.setAttribute("aria-live", "polite");
    fields[0].closest(".form-row, .fieldBox, div").after(status);

    function update() {
      if (!date.value || !time.value) {
        return;
      }
      var query = "?date=" + encodeURIComponent(date.value) + "&time=" + encodeURIComponent(time.value);
      fetch(url + query, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (!answer) {
            return;
          }
          fields.forEach(function (field) {
            field.placeholder = answer.prices[field.dataset.ticketType] || "";
          });
          status.textContent = answer.card
            ? "Empty prices come from the “" + answer.card + "” card."
            : "No price card covers this start: give the adult price.";
        });
    }

    date.addEventListener("change", update);
    time.addEventListener("change", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
