// candidate.js enhances the question pages; without it they work by their
// forms alone. Two things: each answer is saved as it is given (so a reload
// or an interrupted phone keeps it), and a timed part's countdown runs live
// in the candidate's own time zone. The server stays the authority: it
// refuses late answers, and at time-up the page is reloaded so the server's
// page says what happens next.
(function () {
  "use strict";
  var loaded = performance.now();

  // Saving. The form names the save address; the page's hidden "shown"
  // (server time, ms) times the answers, so each save moves it on.
  var form = document.querySelector("form[data-save]");
  var shown = form && form.querySelector('input[name="shown"]');
  var status = document.getElementById("save-status");
  var base = shown ? Number(shown.value) : 0;
  function say(text) { if (status) status.textContent = text; }
  // The progress line counts a question once it is whole (a forced-choice
  // group needs both picks), as the server counts it.
  function whole(q) { return q.querySelectorAll("input:checked").length >= (q.querySelector("fieldset") ? 2 : 1); }
  var counted = new Set();
  document.querySelectorAll("fieldset.q").forEach(function (q) { if (whole(q)) counted.add(q); });
  function count(q) {
    if (counted.has(q) || !whole(q)) return;
    counted.add(q);
    var p = document.getElementById("progress"), m = document.querySelector("progress.meter");
    if (m) m.value = Number(m.value) + 1;
    if (p) p.textContent = p.textContent.replace(/(\d+)( of \d+ questions answered)/, function (_, n, rest) { return (Number(n) + 1) + rest; });
  }
  if (form && shown) {
    form.addEventListener("change", function (e) {
      var q = e.target.closest("fieldset.q");
      if (!q) return;
      var body = new URLSearchParams();
      body.set("shown", shown.value);
      q.querySelectorAll("input:checked").forEach(function (i) { body.append(i.name, i.value); });
      var at = base + Math.round(performance.now() - loaded);
      fetch(form.dataset.save, { method: "POST", body: body, credentials: "same-origin" }).then(function (r) {
        if (r.ok && whole(q)) {
          shown.value = String(at);
          q.classList.remove("blank");
          count(q);
          var mark = q.querySelector('[id^="b-"]');
          if (mark) { mark.remove(); q.removeAttribute("aria-describedby"); }
          say("Answer saved.");
        } else if (r.ok) {
          say("");
        } else if (r.status === 409) {
          location.reload();
        } else {
          r.text().then(function (t) { say("Not saved: " + t); });
        }
      }, function () {
        say("Not saved yet: no connection. Your answers are sent when you go to the next page.");
      });
    });
  }

  // Countdown. The server sent the time left; counting from the page's
  // load keeps the candidate's clock out of it, and only the end time is
  // shown in their local time.
  var timer = document.getElementById("timer");
  if (!timer) return;
  var clock = timer.querySelector(".clock");
  var text = timer.querySelector(".timer-text");
  var warnAt = Number(timer.dataset.warn);
  var end = loaded + Number(timer.dataset.remaining);
  var local = new Date(Date.now() + Number(timer.dataset.remaining))
    .toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  var announced = "";
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function minutes(m) { return m === 1 ? "1 minute" : m + " minutes"; }
  function tick() {
    var left = Math.max(0, end - performance.now());
    var s = Math.ceil(left / 1000);
    clock.hidden = false;
    clock.textContent = Math.floor(s / 60) + ":" + two(s % 60) + " left";
    var warn = left <= warnAt;
    timer.classList.toggle("alert", warn);
    timer.classList.toggle("warn", warn);
    // The spoken text changes only at sensible moments: each five
    // minutes, each of the last two, the last 30 seconds, and the end.
    var m = Math.ceil(s / 60), say;
    if (s === 0) say = "Time is up.";
    else if (s <= 30) say = "Less than 30 seconds left. Time is up at " + local + ".";
    else if (m <= 2) say = "Less than " + minutes(m) + " left. Time is up at " + local + ".";
    else if (announced === "" || m % 5 === 0) say = "About " + minutes(m) + " left. Time is up at " + local + ".";
    else say = announced;
    if (say !== announced) { text.textContent = say; announced = say; }
    if (s === 0) { setTimeout(function () { location.reload(); }, 1500); return; }
    setTimeout(tick, 1000 - (left % 1000 || 1000) + 20);
  }
  tick();
})();
