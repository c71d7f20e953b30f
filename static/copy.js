// Copy buttons: a button with data-copy="#id" puts the text of that element
// on the clipboard. The buttons are hidden until this script runs, so
// without JavaScript the page shows only the value, as selectable text.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function say(msg) {
    if (status) {
      status.textContent = msg;
    }
  }

  // selectText is the fallback when the Clipboard API is refused (an
  // insecure origin): the value is selected so Ctrl+C copies it.
  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function copy(button) {
    var target = document.querySelector(button.getAttribute("data-copy"));
    if (!target) {
      return;
    }
    var text = target.textContent;
    var what = button.getAttribute("data-copy-what") || "Value";
    var done = function () {
      button.textContent = "Copied";
      say(what + " copied.");
      window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
    };
    var refused = function () {
      selectText(target);
      say(what + " selected: press Ctrl+C or ⌘C to copy it.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, refused);
    } else {
      refused();
    }
  }

  var buttons = document.querySelectorAll("button[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function (ev) { copy(ev.currentTarget); });
  }
})();
