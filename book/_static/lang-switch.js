/* Reading switch for "Understanding LSTMs / 理解 LSTM": English, 中文 or both.
 *
 * Loaded in <head> without defer, so the chosen mode is on <html data-lang="..."> before the body is painted
 * (lang-switch.css hides the other language from that attribute: no flash of the wrong language).
 * The choice is kept in localStorage under "lstm-course-lang"; a first visit follows navigator.language
 * (zh* -> 中文, anything else -> English). The buttons are in the page's HTML (book/_ext/langswitch.py puts
 * <div data-lang-switch> at the top of every article); this script wires them up.
 */
(function () {
  "use strict";
  var KEY = "lstm-course-lang";
  var MODES = ["en", "zh", "both"];

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return MODES.indexOf(value) >= 0 ? value : null;
    } catch (e) {  // storage disabled (privacy mode, file:// in some browsers): fall back to the browser language
      return null;
    }
  }

  function fromBrowser() {
    var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
    return String(langs[0] || "").toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
  }

  function apply(mode) {
    document.documentElement.setAttribute("data-lang", mode);
    var buttons = document.querySelectorAll("[data-lang-switch] [data-lang]");
    for (var k = 0; k < buttons.length; k++) {
      var on = buttons[k].getAttribute("data-lang") === mode;
      buttons[k].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[k].classList.toggle("active", on);
    }
  }

  function choose(mode) {
    if (MODES.indexOf(mode) < 0) return;
    try { window.localStorage.setItem(KEY, mode); } catch (e) { /* not persisted, still applied */ }
    apply(mode);
  }

  // 1. As early as possible: set the attribute the CSS reads.
  apply(stored() || fromBrowser());

  // 2. Once the body exists: wire the buttons, mark Chinese blocks for fonts and screen readers.
  function init() {
    var zh = document.querySelectorAll(".lang-zh");
    for (var k = 0; k < zh.length; k++) if (!zh[k].hasAttribute("lang")) zh[k].setAttribute("lang", "zh-CN");
    var en = document.querySelectorAll(".lang-en");
    for (var j = 0; j < en.length; j++) if (!en[j].hasAttribute("lang")) en[j].setAttribute("lang", "en");
    var switches = document.querySelectorAll("[data-lang-switch]");
    for (var s = 0; s < switches.length; s++) {
      switches[s].addEventListener("click", function (event) {
        var button = event.target.closest("[data-lang]");
        if (button && this.contains(button)) choose(button.getAttribute("data-lang"));
      });
    }
    apply(document.documentElement.getAttribute("data-lang"));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();

  // 3. Another tab changed the mode: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY && MODES.indexOf(event.newValue) >= 0) apply(event.newValue);
  });

  window.lstmCourseLang = { choose: choose, modes: MODES.slice() };
})();
