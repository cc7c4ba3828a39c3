/* Reading switch for "Understanding LSTMs / 理解 LSTM": English, 中文 or both.
 *
 * Loaded in <head> without defer, so the chosen mode is on <html data-lang="..."> before the body is painted
 * (lang-switch.css hides the other language from that attribute: no flash of the wrong language).
 * The choice is kept in localStorage under "lstm-course-lang"; a first visit follows navigator.language
 * (zh* -> 中文, anything else -> English). The buttons are in the page's HTML (book/_ext/langswitch.py puts
 * <div data-lang-switch> at the top of every article); this script wires them up.
 *
 * Everything that is bilingual on one line — headings "1.2 Unrolling the loop · 展开循环", the sidebar, the page's
 * contents, page titles, prev/next links, table headers, toggles ("Show solution · 显示参考解答"), the footer — is split
 * here into <span class="lang-en">…</span><span class="lang-sep"> · </span><span class="lang-zh">…</span>, for every
 * page, including pages written after this script (CONTRIBUTING.md, "Headings and one-line bilingual text").
 * The split point is the last " · " with no Han character before it and one after it, so that
 * "Appendix A · Explorers · 附录 A · 交互探索" splits after "Explorers". The theme's own interface strings
 * (Contents, previous, next, Search …) get Chinese twins from INTERFACE; "Fig. N" becomes "图 N" in Chinese.
 */
(function () {
  "use strict";
  var KEY = "lstm-course-lang";
  var MODES = ["en", "zh", "both"];
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
  var SEP = " \u00b7 ";

  // The theme's interface strings (exact text, trimmed) and their Chinese.
  var INTERFACE = {
    "Contents": "目录",
    "previous": "上一页",
    "next": "下一页",
    "Search": "搜索",
    "Back to top": "回到顶部",
    "Skip to main content": "跳到正文",
    "Search Results": "搜索结果",
    "Repository": "源代码仓库",
    "Open issue": "提交问题",
    "Binder": "Binder",
    "By": "作者",
    "Please activate JavaScript to enable the search functionality.": "请启用 JavaScript 以使用搜索功能。",
    "Index": "索引"
  };
  // Attributes (placeholder, title, aria-label) of the theme's controls.
  var ATTRIBUTES = {
    "Search this book...": "搜索本书……",
    "Search the docs ...": "搜索本书……",
    "Search": "搜索",
    "Toggle primary sidebar": "显示或隐藏目录",
    "Site navigation": "全书目录",
    "On this page": "本页内容",
    "Launch interactive content": "在线运行",
    "Launch on Binder": "在 Binder 中运行",
    "Launch on Colab": "在 Colab 中运行",
    "Source repositories": "源代码",
    "Source repository": "源代码仓库",
    "Open an issue": "提交问题",
    "Download this page": "下载本页",
    "Download source file": "下载源文件",
    "Print to PDF": "打印为 PDF",
    "Fullscreen mode": "全屏模式",
    "Color mode": "颜色模式",
    "Link to this heading": "链接到本标题",
    "Link to this image": "链接到本图",
    "Link to this table": "链接到本表",
    "Copy to clipboard": "复制",
    "previous page": "上一页",
    "next page": "下一页",
    "Toggle hidden content": "显示或隐藏内容"
  };
  var ATTRIBUTE_NAMES = ["placeholder", "title", "aria-label", "data-bs-original-title"];

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

  /* Index of the " · " that separates English from Chinese in a one-line bilingual text, or -1. */
  function hanShare(text) {
    var han = 0, letters = 0;
    for (var k = 0; k < text.length; k++) {
      if (HAN.test(text[k])) { han++; letters++; } else if (/[A-Za-z]/.test(text[k])) letters += 0.25;
    }
    return letters ? han / letters : 0;
  }

  function splitPoint(text) {
    var best = -1, loose = -1, at = text.indexOf(SEP);
    while (at >= 0) {
      var left = text.slice(0, at), right = text.slice(at + SEP.length);
      if (!HAN.test(left) && HAN.test(right)) best = at;
      // an English half may quote a Chinese word ("English, 中文, or both · 英文、中文或双语")
      else if (loose < 0 && hanShare(left) < 0.5 && hanShare(right) >= 0.5) loose = at;
      at = text.indexOf(SEP, at + 1);
    }
    return best >= 0 ? best : loose;
  }

  /* "English · 中文" -> [english, chinese] or null. */
  function halves(text) {
    var k = splitPoint(text);
    return k < 0 ? null : [text.slice(0, k), text.slice(k + SEP.length)];
  }

  function span(cls, lang) {
    var s = document.createElement("span");
    s.className = cls;
    if (lang) s.setAttribute("lang", lang);
    return s;
  }

  /* Split el's children at the bilingual separator into lang-en / lang-sep / lang-zh spans. Children that must
   * stay outside (the heading's "#" link) stay after the spans. Returns true when el was split. */
  function splitElement(el) {
    if (el.hasAttribute("data-lang-split") || el.querySelector(".lang-en, .lang-zh")) return false;
    var keep = [], nodes = [];
    for (var c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1 && c.classList.contains("headerlink")) keep.push(c); else nodes.push(c);
    }
    var text = "";
    for (var k = 0; k < nodes.length; k++) text += nodes[k].textContent;
    var at = splitPoint(text);
    if (at < 0) return false;
    // find the text node holding the separator; give up if it sits inside an element (rare)
    var pos = 0, where = -1;
    for (var j = 0; j < nodes.length; j++) {
      var len = nodes[j].textContent.length;
      if (at >= pos && at + SEP.length <= pos + len) { where = j; break; }
      pos += len;
    }
    if (where < 0 || nodes[where].nodeType !== 3) return false;
    var node = nodes[where], offset = at - pos, value = node.nodeValue;
    var en = span("lang-en", "en"), sep = span("lang-sep"), zh = span("lang-zh", "zh-CN");
    sep.textContent = SEP;
    // a section number ("1.2 ", "A.3 ") that the Chinese half does not repeat is shared by both languages
    var number = where === 0 ? value.match(/^\s*((?:\d+|[A-Z])(?:\.\d+)*\.?\s+)(?=\S)/) : null;
    var shared = null, start = 0;
    if (number && value.slice(offset + SEP.length).indexOf(number[1].trim()) < 0 && number[0].length < offset) {
      shared = span("lang-num");
      shared.textContent = number[0];
      start = number[0].length;
    }
    for (var a = 0; a < where; a++) en.appendChild(nodes[a]);
    en.appendChild(document.createTextNode(value.slice(start, offset)));
    zh.appendChild(document.createTextNode(value.slice(offset + SEP.length)));
    for (var b = where + 1; b < nodes.length; b++) zh.appendChild(nodes[b]);
    el.removeChild(node);
    var first = keep.length ? keep[0] : null;
    if (shared) el.insertBefore(shared, first);
    el.insertBefore(en, first);
    el.insertBefore(sep, first);
    el.insertBefore(zh, first);
    el.setAttribute("data-lang-split", "");
    return true;
  }

  /* Inside an English (Chinese) block, a link whose text is bilingual shows only English (Chinese). */
  function pruneLink(el, lang) {
    if (el.children.length > 1) return;
    var h = halves(el.textContent);
    if (!h) return;
    var target = el.children.length === 1 ? el.children[0] : el;
    if (target.children.length) return;
    target.textContent = lang === "zh" ? h[1].trim() : h[0].trim();
  }

  /* Twin spans for a fixed interface string. */
  function twin(node, zhText) {
    var en = span("lang-en", "en"), zh = span("lang-zh", "zh-CN");
    en.textContent = node.nodeValue.trim();
    zh.textContent = zhText;
    var frag = document.createDocumentFragment();
    var lead = node.nodeValue.match(/^\s*/)[0], tail = node.nodeValue.match(/\s*$/)[0];
    if (lead) frag.appendChild(document.createTextNode(lead));
    var sep = span("lang-sep");
    sep.textContent = SEP;
    frag.appendChild(en);
    frag.appendChild(sep);
    frag.appendChild(zh);
    if (tail) frag.appendChild(document.createTextNode(tail));
    node.parentNode.replaceChild(frag, node);
  }

  function translateInterface(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, null), found = [];
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      var t = n.nodeValue.trim(), year = t.match(/^\u00a9 Copyright (\d{4})\.$/);
      if (year) INTERFACE[t] = "\u00a9 " + year[1] + " 版权所有";
      if (!t || !Object.prototype.hasOwnProperty.call(INTERFACE, t)) continue;
      if (n.parentNode.closest(".lang-en, .lang-zh, pre, code, .cell_output, article .cell, [data-lang-switch]")) continue;
      found.push(n);
    }
    for (var k = 0; k < found.length; k++) twin(found[k], INTERFACE[found[k].nodeValue.trim()]);
    var els = root.querySelectorAll("[placeholder], [title], [aria-label]");
    for (var j = 0; j < els.length; j++) {
      for (var a = 0; a < ATTRIBUTE_NAMES.length; a++) {
        var name = ATTRIBUTE_NAMES[a], value = els[j].getAttribute(name);
        if (value === null) continue;
        var zhValue = ATTRIBUTES[value.trim()];
        var h = zhValue ? null : halves(value);
        if (zhValue || h) {
          els[j].setAttribute("data-lang-en-" + name, h ? h[0] : value);
          els[j].setAttribute("data-lang-zh-" + name, h ? h[1] : zhValue);
        }
      }
    }
  }

  function applyAttributes(mode) {
    var els = document.querySelectorAll("[data-lang-en-title], [data-lang-en-placeholder], [data-lang-en-aria-label], " +
                                        "[data-lang-en-data-bs-original-title]");
    for (var j = 0; j < els.length; j++) {
      for (var a = 0; a < ATTRIBUTE_NAMES.length; a++) {
        var name = ATTRIBUTE_NAMES[a], en = els[j].getAttribute("data-lang-en-" + name);
        if (en === null) continue;
        var zh = els[j].getAttribute("data-lang-zh-" + name);
        els[j].setAttribute(name, mode === "zh" ? zh : mode === "en" ? en : en + SEP + zh);
      }
    }
  }

  var originalTitle = null;
  function applyTitle(mode) {
    if (originalTitle === null) originalTitle = document.title;
    if (mode === "both") { document.title = originalTitle; return; }
    document.title = originalTitle.split(" \u2014 ").map(function (part) {
      var h = halves(part);
      return h ? (mode === "zh" ? h[1] : h[0]) : part;
    }).join(" \u2014 ");
  }

  function apply(mode) {
    document.documentElement.setAttribute("data-lang", mode);
    var buttons = document.querySelectorAll("[data-lang-switch] [data-lang]");
    for (var k = 0; k < buttons.length; k++) {
      var on = buttons[k].getAttribute("data-lang") === mode;
      buttons[k].setAttribute("aria-pressed", on ? "true" : "false");
      buttons[k].classList.toggle("active", on);
    }
    if (document.body) {
      applyTitle(mode);
      applyAttributes(mode);
    }
  }

  /* The first block of the article that is on screen, to keep it in place when the mode changes. */
  function readingAnchor() {
    var candidates = document.querySelectorAll("article .lang-en, article .lang-zh, article h1, article h2, " +
                                                "article h3, article figure, article .cell, article .math");
    for (var k = 0; k < candidates.length; k++) {
      var r = candidates[k].getBoundingClientRect();
      if (r.height > 0 && r.bottom > 60) return candidates[k];
    }
    return null;
  }

  function choose(mode) {
    if (MODES.indexOf(mode) < 0) return;
    try { window.localStorage.setItem(KEY, mode); } catch (e) { /* not persisted, still applied */ }
    var anchor = readingAnchor(), top = anchor ? anchor.getBoundingClientRect().top : 0;
    apply(mode);
    if (anchor && anchor.getClientRects().length === 0) {
      // its language is now hidden: keep its twin (the paragraph in the other language) in place
      var twinBlock = anchor.classList.contains("lang-en") ? anchor.nextElementSibling : anchor.previousElementSibling;
      anchor = twinBlock && twinBlock.getClientRects().length ? twinBlock : null;
    }
    if (anchor) window.scrollBy(0, anchor.getBoundingClientRect().top - top);
  }

  // 1. As early as possible: set the attribute the CSS reads.
  apply(stored() || fromBrowser());

  // The menu (☰): the theme wires only the first .primary-toggle, which sits in a header bar this book hides.
  // Every other menu button opens the same navigation: on a narrow screen the theme's dialog (by clicking the
  // first toggle), on a wide one it shows or hides the sidebar.
  function wireMenu() {
    var toggles = document.querySelectorAll(".primary-toggle");
    if (toggles.length < 2) return;
    var first = toggles[0];
    for (var k = 1; k < toggles.length; k++) {
      toggles[k].addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        if (window.matchMedia("(min-width: 960px)").matches) {
          document.documentElement.classList.toggle("lstm-sidebar-hidden");
        } else {
          first.click();
        }
      });
    }
  }

  // 2. Once the body exists: split bilingual lines, translate the interface, wire the buttons.
  function init() {
    var zh = document.querySelectorAll(".lang-zh");
    for (var k = 0; k < zh.length; k++) if (!zh[k].hasAttribute("lang")) zh[k].setAttribute("lang", "zh-CN");
    var en = document.querySelectorAll(".lang-en");
    for (var j = 0; j < en.length; j++) if (!en[j].hasAttribute("lang")) en[j].setAttribute("lang", "en");

    var lines = document.querySelectorAll(
      "h1, h2, h3, h4, h5, h6, .bd-sidenav a, .caption-text, .logo__title, .page-toc a, .prev-next-title, " +
      "th, th p, summary, summary p, .admonition-title, .component-author, .lang-switch-label, .toggle-button, " +
      "figcaption p, .search a, #search-results a, .breadcrumb-item, .sd-card-title, caption, dt, a.reference, " +
      "strong, .prev-next-info p, .toctree-wrapper .caption-text, td, td p, li, .dropdown-item .btn__text-container");
    for (var s = 0; s < lines.length; s++) {
      if (lines[s].closest(".lang-en, .lang-zh, pre, code, .cell_output, .bilingual, [data-lang-switch] button")) continue;
      splitElement(lines[s]);
    }
    // bilingual link text inside one-language prose: keep that language
    var links = document.querySelectorAll(".lang-en a, .lang-zh a");
    for (var l = 0; l < links.length; l++) {
      pruneLink(links[l], links[l].closest(".lang-en, .lang-zh").classList.contains("lang-zh") ? "zh" : "en");
    }
    // figure and table numbers: "Fig. 3" / "图 3", "Table 2" / "表 2"
    var numbers = document.querySelectorAll(".caption-number, .std-numref");
    for (var f = 0; f < numbers.length; f++) {
      var el = numbers[f], m = el.textContent.match(/^(\s*)(Fig\.|Figure|Table|Listing)\s*([\d.]+)(\s*)$/);
      if (!m) continue;
      var zhWord = m[2] === "Table" ? "表" : m[2] === "Listing" ? "代码" : "图";
      var block = el.closest(".lang-en, .lang-zh");
      if (block && block.classList.contains("lang-zh")) { el.textContent = m[1] + zhWord + " " + m[3] + m[4]; continue; }
      if (block) continue;
      var enSpan = span("lang-en", "en"), zhSpan = span("lang-zh", "zh-CN");
      enSpan.textContent = m[2] + " " + m[3] + m[4];
      zhSpan.textContent = zhWord + " " + m[3] + m[4];
      el.textContent = m[1];
      el.appendChild(enSpan);
      el.appendChild(zhSpan);
    }
    translateInterface(document.body);

    var switches = document.querySelectorAll("[data-lang-switch]");
    for (var w = 0; w < switches.length; w++) {
      switches[w].addEventListener("click", function (event) {
        var button = event.target.closest("[data-lang]");
        if (button && this.contains(button)) choose(button.getAttribute("data-lang"));
      });
    }
    wireMenu();
    // Search results: Sphinx quotes the start of each page's text, which would be the switch's label and buttons
    // (and a chapter's download line)
    if (window.Search && typeof window.Search.htmlToText === "function" && !window.Search.lstmWrapped) {
      var htmlToText = window.Search.htmlToText;
      window.Search.htmlToText = function (html, anchor) {
        return htmlToText(String(html).replace(/<div class="lang-switch"[\s\S]*?<\/div>/, "")
          .replace(/<div class="lstm-downloads"[\s\S]*?<\/div>/, ""), anchor);
      };
      window.Search.lstmWrapped = true;
    }
    apply(document.documentElement.getAttribute("data-lang"));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();

  // 3. Another tab changed the mode: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY && MODES.indexOf(event.newValue) >= 0) apply(event.newValue);
  });

  window.lstmCourseLang = { choose: choose, modes: MODES.slice(), halves: halves };
})();
