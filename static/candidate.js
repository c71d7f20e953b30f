// candidate.js enhances the question pages; without it they work by their
// forms alone. Two things: each answer is saved as it is given (so a reload
// or an interrupted phone keeps it), and a timed part's countdown runs live
// in the candidate's own time zone. The server stays the authority: it
// refuses late answers, and at time-up the page is reloaded so the server's
// page says what happens next. Every word shown comes from the page's
// data-t-* attributes, in the page's language; "{name}" marks where a
// figure goes.
(function () {
  "use strict";
  var loaded = performance.now();
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  // Saving. The form names the save address; the page's hidden "shown"
  // (server time, ms) times the answers, so each save moves it on.
  var form = document.querySelector("form[data-save]");
  var shown = form && form.querySelector('input[name="shown"]');
  var status = document.getElementById("save-status");
  // leaving is set once the page's own form is sent: from then on the
  // form carries every answer, so nothing more is saved, and an answer
  // from a save still under way changes nothing on a page being left.
  var leaving = false;
  if (form && shown && status) {
    var base = Number(shown.value);
    var say = function (key) { status.textContent = key ? status.dataset[key] : ""; };
    // The progress line counts a question once it is whole (a
    // forced-choice group needs both picks), as the server counts it.
    var whole = function (q) { return q.querySelectorAll("input:checked").length >= (q.querySelector("fieldset") ? 2 : 1); };
    var counted = new Set();
    document.querySelectorAll("fieldset.q").forEach(function (q) { if (whole(q)) counted.add(q); });
    var count = function (q) {
      var line = document.getElementById("answered"), meter = document.querySelector("progress.meter");
      if (counted.has(q) || !whole(q) || !line || !meter) return;
      counted.add(q);
      meter.value = Number(meter.value) + 1;
      line.textContent = fill(line.dataset.tAnswered, { n: meter.value });
    };
    var saved = function (q, at) {
      shown.value = String(at);
      q.classList.remove("blank");
      var mark = q.querySelector('[id^="b-"]');
      if (mark) { mark.remove(); q.removeAttribute("aria-describedby"); }
      count(q);
      say("tSaved");
    };
    // Saves go one at a time, in the order the answers were given, so an
    // older answer never lands after a newer one.
    var queue = Promise.resolve(), pending = 0, settled = null;
    var save = function (q) {
      if (leaving) return;
      var body = new URLSearchParams();
      body.set("shown", shown.value);
      q.querySelectorAll("input:checked").forEach(function (i) { body.append(i.name, i.value); });
      var at = base + Math.round(performance.now() - loaded);
      return fetch(form.dataset.save, { method: "POST", body: body, credentials: "same-origin" }).then(function (r) {
        if (leaving) return;
        if (r.ok) { if (whole(q)) saved(q, at); else say(""); }
        // The link can take no more answers (time up, finished): the
        // server's page says why.
        else if (r.status === 409) location.reload();
        else say("tFailed");
      }, function () { if (!leaving) say("tOffline"); });
    };
    form.addEventListener("change", function (e) {
      var q = e.target.closest("fieldset.q");
      if (!q || leaving) return;
      pending++;
      queue = queue.then(function () { return save(q); }).then(function () {
        if (--pending === 0 && settled) settled();
      });
    });
    // The page's own submit waits for a save under way (briefly: the
    // form carries the same answers anyway), so the server never sees a
    // save after the page it belongs to was sent.
    var released = false;
    form.addEventListener("submit", function (e) {
      if (released) return;
      if (pending === 0) { leaving = released = true; return; }
      // Sent again later, never from inside this event: a form being
      // submitted ignores a second submit.
      e.preventDefault();
      if (leaving) return;
      leaving = true;
      var submitter = e.submitter;
      var send = function () {
        if (released) return;
        released = true;
        if (form.requestSubmit) { form.requestSubmit(submitter); return; }
        if (submitter && submitter.name) {
          var nav = document.createElement("input");
          nav.type = "hidden"; nav.name = submitter.name; nav.value = submitter.value;
          form.append(nav);
        }
        form.submit();
      };
      settled = send;
      setTimeout(send, 3000);
    });
  }

  // Countdown. The server sent the time left; counting from the page's
  // load keeps the candidate's clock out of it, and only the end time is
  // shown in their local time.
  var timer = document.getElementById("timer");
  if (!timer) return;
  var t = timer.dataset;
  var clock = timer.querySelector(".clock");
  var text = timer.querySelector(".timer-text");
  var warnAt = Number(t.warn);
  var end = loaded + Number(t.remaining);
  var local = new Date(Date.now() + Number(t.remaining)).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  var announced = "";
  var two = function (n) { return (n < 10 ? "0" : "") + n; };
  var minutes = function (m) { return m === 1 ? t.tMinuteOne : fill(t.tMinuteOther, { n: m }); };
  var tick = function () {
    var left = Math.max(0, end - performance.now());
    var s = Math.ceil(left / 1000);
    clock.hidden = false;
    clock.textContent = fill(t.tClock, { clock: Math.floor(s / 60) + ":" + two(s % 60) });
    var warn = left <= warnAt;
    timer.classList.toggle("alert", warn);
    timer.classList.toggle("warn", warn);
    // The spoken text changes only at sensible moments: each five
    // minutes, each of the last two, the last seconds, and the end.
    var m = Math.ceil(s / 60), next = announced;
    if (s === 0) next = t.tUp;
    else if (s <= Number(t.last)) next = fill(t.tSeconds, { end: local });
    else if (m <= 2) next = fill(t.tLess, { minutes: minutes(m), end: local });
    else if (announced === "" || m % 5 === 0) next = fill(t.tAbout, { minutes: minutes(m), end: local });
    if (next !== announced) { text.textContent = next; announced = next; }
    if (s === 0) {
      setTimeout(function () { if (!leaving) location.reload(); }, 1500);
      return;
    }
    setTimeout(tick, 1000 - (left % 1000 || 1000) + 20);
  };
  tick();
})();
