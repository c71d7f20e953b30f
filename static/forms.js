// Forms show only what applies. An element marked
// data-shown-by="mode" data-shown-for="workflow inline" is shown while the
// form's "mode" choice is one of those values, and hidden otherwise; its
// controls are disabled while hidden, so that a hidden value is never sent.
// Without this script every section shows, each under its own heading.
(function () {
  "use strict";
  function chosen(form, name) {
    var el = form.elements[name];
    if (!el) return "";
    // A lone radio is an element; several are a RadioNodeList, whose value
    // is the checked one's. A select's value is its choice.
    if (el.tagName === "INPUT" && el.type === "radio") return el.checked ? el.value : "";
    return el.value;
  }
  function apply(form) {
    var parts = form.querySelectorAll("[data-shown-by]");
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      var show = part.getAttribute("data-shown-for").split(" ")
        .indexOf(chosen(form, part.getAttribute("data-shown-by"))) >= 0;
      part.hidden = !show;
      var controls = part.querySelectorAll("input, select, textarea");
      for (var j = 0; j < controls.length; j++) controls[j].disabled = !show;
    }
  }
  function init() {
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      if (!form.querySelector("[data-shown-by]")) continue;
      form.addEventListener("change", function (e) { apply(e.currentTarget); });
      apply(form);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
