// The seat map's live count and total, the seat limit, seats greying out as
// others take them, the companion seat hint and the zoom. The form works
// without this: the server checks everything again.
(function () {
  "use strict";

  function setUp(form) {
    var limit = parseInt(form.dataset.maxSeats, 10);
    var cents = toCents(form.dataset.price);
    var summary = form.querySelector("[data-seat-summary]");
    var warning = form.querySelector("[data-seat-limit]");
    var submit = form.querySelector("button[type=submit]");
    if (!summary) {
      return; // not bookable: nothing to count
    }

    function chosen() {
      return form.querySelectorAll("input[name=seats]:checked");
    }

    // Changing a booking's seats: kept seats keep the price they were sold at,
    // as the server will charge, so the bar can say the new total and the difference.
    var kept = keptPrices(form.dataset.keptPrices);
    var currentCents = form.dataset.currentTotal ? toCents(form.dataset.currentTotal) : null;

    function update() {
      var seats = chosen();
      var sum = 0;
      seats.forEach(function (seat) {
        sum += seat.value in kept ? kept[seat.value] : cents;
      });
      var text = interpolate(ngettext("%s seat selected", "%s seats selected", seats.length), [seats.length]);
      if (currentCents === null) {
        text += " · " + interpolate(gettext("total %s"), [money(sum)]);
      } else {
        text += " · " + interpolate(gettext("New total %(total)s (%(difference)s)"),
          { total: money(sum), difference: difference(sum - currentCents) }, true);
      }
      summary.textContent = text;
    }

    form.addEventListener("change", function (event) {
      var seat = event.target;
      if (seat.name !== "seats") {
        return;
      }
      if (seat.checked && chosen().length > limit) {
        seat.checked = false;
        warning.textContent = interpolate(gettext("You can book at most %s seats at once."), [limit]);
        warning.hidden = false;
      } else {
        warning.hidden = true;
      }
      companionHint();
      update();
    });

    // A companion seat is kept for a wheelchair user's companion until shortly
    // before the start: say so while one is ticked without a wheelchair space.
    var hint = form.querySelector("[data-seat-hint]");
    function companionHint() {
      if (!hint || !form.dataset.companionsKept) {
        return;
      }
      var companion = form.querySelector(".seat-companion input:checked");
      var wheelchair = form.querySelector(".seat-wheelchair input:checked");
      if (companion && !wheelchair) {
        hint.textContent = gettext("A companion seat can only be booked together with a wheelchair space: " +
          "tick one too, or choose another seat.");
        hint.hidden = false;
      } else {
        hint.hidden = true;
      }
    }

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
    companionHint();
    live(form, update);
    zoom(form);
  }

  // On a small screen the whole room fits the width; the zoom enlarges it to
  // comfortable tap targets (the grid scrolls sideways), keeping the selection
  // in view. Pinch-zoom works as well: nothing here prevents it.
  function zoom(form) {
    var controls = form.querySelector("[data-seat-zoom]");
    var box = form.querySelector(".seat-map-scroll");
    if (!controls || !box) {
      return;
    }
    var level = 1;
    controls.hidden = false;
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) {
        return;
      }
      level = Math.max(1, Math.min(3, level + (button.dataset.zoom === "in" ? 1 : -1)));
      box.classList.toggle("zoom-2", level === 2);
      box.classList.toggle("zoom-3", level === 3);
      var focus = form.querySelector("input[name=seats]:checked") || box.querySelector(".seat-row");
      if (focus && level > 1) {
        var seat = focus.getBoundingClientRect();
        var frame = box.getBoundingClientRect();
        box.scrollLeft += seat.left - frame.left - (frame.width - seat.width) / 2;
      }
      controls.querySelector("[data-zoom=out]").disabled = level === 1;
      controls.querySelector("[data-zoom=in]").disabled = level === 3;
    });
    controls.querySelector("[data-zoom=out]").disabled = true;
  }

  function toCents(amount) {
    return Math.round(parseFloat(amount) * 100);
  }

  // As the server writes prices: the page's language and the theater's currency.
  var moneyFormat = new Intl.NumberFormat(document.documentElement.lang || "en", {
    style: "currency",
    currency: document.documentElement.dataset.currency || "EUR"
  });

  function money(cents) {
    return moneyFormat.format(cents / 100);
  }

  function difference(cents) {
    if (cents === 0) {
      return gettext("no change");
    }
    return (cents > 0 ? "+" : "\u2212") + money(Math.abs(cents));
  }

  // "12:12.50 13:10.00" (seat id:price) into {"12": 1250, "13": 1000}.
  function keptPrices(list) {
    var prices = {};
    (list || "").split(" ").forEach(function (pair) {
      var parts = pair.split(":");
      if (parts.length === 2) {
        prices[parts[0]] = toCents(parts[1]);
      }
    });
    return prices;
  }

  // While the page is open, seats taken or held by others grey out: a conditional
  // GET on the seats' version every few seconds, and at once when the tab is back.
  function live(form, update) {
    var url = form.dataset.live;
    var news = form.querySelector("[data-seat-news]");
    if (!url || !window.fetch) {
      return;
    }
    var etag = null;
    var busy = false;
    // The seats' names as the page writes them, in its language: "Seat C5", "Seat C5 (taken)".
    var taken = gettext(" (taken)");
    var seatPrefix = gettext("Seat %(label)s").split("%(label)s")[0];

    function apply(takenIds) {
      var lost = [];
      form.querySelectorAll("input[name=seats]").forEach(function (seat) {
        var label = seat.getAttribute("aria-label");
        if (label.endsWith(taken)) {
          label = label.slice(0, -taken.length);
        }
        var isTaken = takenIds.has(parseInt(seat.value, 10));
        if (isTaken && !seat.disabled && !seat.dataset.mine) {
          if (seat.checked) {
            lost.push(label.startsWith(seatPrefix) ? label.slice(seatPrefix.length) : label);
            seat.checked = false;
          }
          seat.disabled = true;
          seat.setAttribute("aria-label", label + taken);
        } else if (!isTaken && seat.disabled) {
          seat.disabled = false;
          seat.setAttribute("aria-label", label);
        }
      });
      if (lost.length && news) {
        news.textContent = interpolate(ngettext(
          "Sorry, %(seats)s was just taken by someone else and left your selection.",
          "Sorry, %(seats)s were just taken by someone else and left your selection.",
          lost.length
        ), { seats: lost.join(", ") }, true);
        news.hidden = false;
      }
      update();
    }

    function refresh() {
      if (busy || document.hidden) {
        return;
      }
      busy = true;
      var headers = etag ? { "If-None-Match": etag } : {};
      fetch(url, { headers: headers, credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 200) {
            etag = response.headers.get("ETag");
            return response.json().then(function (body) { apply(new Set(body.taken)); });
          }
          return null;
        })
        .catch(function () { /* offline for a moment: the next poll tries again */ })
        .then(function () { busy = false; });
    }

    // The seats this page shows as yours (your hold) stay yours.
    form.querySelectorAll("input[name=seats]:checked").forEach(function (seat) {
      if (form.dataset.holding) {
        seat.dataset.mine = "1";
      }
    });
    window.setInterval(refresh, 5000);
    document.addEventListener("visibilitychange", refresh);
    window.addEventListener("focus", refresh);
  }

  document.querySelectorAll("form.seat-map").forEach(setUp);
})();
