"""The book as its readers see it (issue 11), in headless Chromium at a phone's 390 px and a laptop's 1280 px.

- the menu (☰) opens and shows the book's contents at both widths;
- no element of an article overflows its column unless it sits in a scroll container;
- in English mode no Han character is visible outside code, stored outputs, the switch itself and content marked
  ``<div class="bilingual">`` (the glossary's term table); in 中文 mode headings, figure captions ("图 N") and the
  interface strings (contents, previous / next, search) are Chinese;
- every figure's smallest text is at least 11 CSS px as displayed at 1280 px, in every mode (the PNG records its
  smallest font size and its width in inches; see lstm_lib.diagrams.figure_png);
- figures follow the mode: a figure with bilingual labels shows its English rendering in English mode (whose record
  counts no Han text), its Chinese one in 中文 mode and the bilingual one in EN + 中文 (book/_ext/figlang.py);
- with no system CJK font visible to Chromium (FONTCONFIG_FILE pointing at a configuration with DejaVu only), the
  Chinese still renders as glyphs, from the book's own subset web font.

Fixtures come from conftest.py and test_browser.py; like test_browser.py this skips without playwright/chromium and
fails instead when CI=true.
"""
from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import toc_files
from test_browser import CHROMIUM_ARGS, browser, open_page, server, unavailable  # noqa: F401  (fixtures)

WIDTHS = (390, 1280)
MIN_TEXT_PX = 11.0

OVERFLOW = """() => {
  const article = document.querySelector('article.bd-article');
  const col = article.getBoundingClientRect();
  const out = [];
  for (const el of article.querySelectorAll('*')) {
    if (!el.getClientRects().length || el.closest('mjx-assistive-mml')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let bound = col.right, scrolls = false, by = 'the column';
    for (let a = el.parentElement; a && a !== article.parentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible') {
        scrolls = /(auto|scroll)/.test(s.overflowX); bound = a.getBoundingClientRect().right;
        by = a.tagName.toLowerCase() + '.' + a.className; break;
      }
    }
    if (r.right > bound + 1 && !scrolls)
      out.push(`${el.tagName.toLowerCase()}.${el.className} ends ${Math.round(r.right - bound)} px past ${by}: ` +
               JSON.stringify((el.textContent || '').slice(0, 50)));
  }
  return out;
}"""

# Visible text nodes with Han characters, outside what may stay bilingual.
VISIBLE_HAN = """() => {
  const HAN = /[\\u3400-\\u9fff\\uf900-\\ufaff]/;
  const EXEMPT = 'pre, code, .cell_output, .output, [data-lang-switch], .bilingual, .avoid, mjx-container, [lang|="zh"], ' +
                 'script, style, noscript, dialog:not([open]), .d-print-only, #jb-print-toc, #print-main-content';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!HAN.test(n.nodeValue)) continue;
    const el = n.parentElement;
    if (!el || el.closest(EXEMPT) || el.closest('details:not([open])') && !el.closest('summary')) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    out.push(`${el.tagName.toLowerCase()}.${el.className}: ${n.nodeValue.trim().slice(0, 50)}`);
  }
  return out;
}"""

HEADINGS = """() => Array.from(document.querySelectorAll('article h1, article h2, article h3'))
  .filter(h => h.getClientRects().length).map(h => h.innerText.replace('#', '').trim())"""
CAPTIONS = """() => Array.from(document.querySelectorAll('article figcaption'))
  .filter(c => c.getClientRects().length).map(c => c.innerText.trim())"""
INTERFACE = """() => ({
  toc: (document.querySelector('.page-toc.tocsection') || {}).innerText || null,
  prev: Array.from(document.querySelectorAll('.prev-next-subtitle')).map(e => e.innerText.trim()),
  search: Array.from(document.querySelectorAll('.search-button__default-text')).filter(e => e.getClientRects().length)
            .map(e => e.innerText.trim()),
  placeholder: (document.querySelector('#pst-search-dialog input') || {}).placeholder || null,
  title: document.title,
})"""


def han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


READY = """async () => {
  // what the layout checks need: MathJax's first typeset (on pages that load it) and the fonts
  if (document.querySelector('script[src*="mathjax"]')) {
    for (let i = 0; i < 600 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
      await new Promise(r => setTimeout(r, 50));
    if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) return 'MathJax never started';
    await MathJax.startup.promise;
  }
  await document.fonts.ready;
  return 'ready';
}"""


def open_mode(browser, server, docname, mode, width=1280):
    """A page in reading mode ``mode`` at ``width``, once its maths is typeset and its fonts are loaded.

    (Waiting for "network idle" instead cost half a second of idleness per page, and Appendix B in EN + 中文 mode
    never reported it although no request was pending.)"""
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(f"localStorage.setItem('lstm-course-lang', '{mode}')")
    page = context.new_page()
    page.goto(f"{server}/{docname}.html", wait_until="load")
    state = page.evaluate(READY)
    assert state == "ready", f"{docname} ({mode}, {width} px): {state}"
    return context, page


IMAGES = """() => Array.from(document.querySelectorAll('article img'))
    .filter(i => i.getClientRects().length && i.closest('.cell_output, figure'))
    .map(i => ({src: i.getAttribute('src'), width: i.getBoundingClientRect().width, url: i.src,
                lang: (Array.from(i.classList).find(c => c.startsWith('lstm-fig-')) || '').slice(9) || null,
                shown_of: i.closest('.lstm-figlang') ? i.closest('.lstm-figlang').querySelectorAll('img').length : 1}))"""
# what each (page, mode, width) is asked, in one visit: the layout tests share a visit instead of loading the page
# once per test (a visit costs 1-4 s; there are about 20 pages)
ASKED = {"both": {"overflow": OVERFLOW, "images": IMAGES}, "en": {"han": VISIBLE_HAN, "images": IMAGES},
         "zh": {"headings": HEADINGS, "captions": CAPTIONS, "ui": INTERFACE, "images": IMAGES}}
_visits: dict = {}


def visit(browser, server, docname, mode, width=1280) -> dict:
    """The answers of ASKED[mode] on ``docname`` at ``width`` (one page load per key and test session)."""
    key = (docname, mode, width)
    if key not in _visits:
        context, page = open_mode(browser, server, docname, mode, width)
        try:
            _visits[key] = {name: page.evaluate(js) for name, js in ASKED[mode].items()}
        finally:
            context.close()
    return _visits[key]


@pytest.mark.parametrize("width", WIDTHS)
def test_menu_opens_and_shows_the_contents(browser, server, width):
    context, page = open_mode(browser, server, "notebooks/A1_explorers" if "notebooks/A1_explorers" in toc_files()
                              else toc_files()[-1], "en", width)
    try:
        buttons = page.locator(".primary-toggle:visible")
        assert buttons.count() == 1, f"{width} px: expected one visible menu button, found {buttons.count()}"
        chapters = [d for d in toc_files() if d != toc_files()[0]]

        def links_visible():
            return page.evaluate("""(hrefs) => hrefs.filter(h => Array.from(document.querySelectorAll(
                '.bd-sidenav a')).some(a => { const r = a.getBoundingClientRect();
                  return a.href.includes(h) && r.width > 0 && r.right > 0 && r.left < window.innerWidth &&
                         getComputedStyle(a).visibility !== 'hidden'; }))""", [d.split("/")[-1] + ".html" for d in chapters])

        before = links_visible()
        buttons.first.click()
        page.wait_for_timeout(400)
        after = links_visible()
        if width < 960:
            assert before == [], f"{width} px: the contents are visible before the menu is opened: {before}"
            assert page.evaluate("() => document.querySelector('#pst-primary-sidebar-modal').open"), \
                f"{width} px: the menu button did not open the navigation"
            assert len(after) == len(chapters), f"{width} px: the open menu shows {after}, expected all of {chapters}"
            page.keyboard.press("Escape")
            page.wait_for_timeout(200)
            assert not page.evaluate("() => document.querySelector('#pst-primary-sidebar-modal').open")
        else:
            # wide: the contents are shown; the button hides them and shows them again
            assert len(before) == len(chapters), f"{width} px: the sidebar shows {before}"
            assert after == [], f"{width} px: the menu button did not hide the sidebar"
            buttons.first.click()
            page.wait_for_timeout(200)
            assert len(links_visible()) == len(chapters)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("docname", toc_files())
def test_nothing_overflows_the_column(browser, server, docname, width):
    offenders = visit(browser, server, docname, "both", width)["overflow"]
    assert not offenders, f"{docname} at {width} px:\n" + "\n".join(offenders[:20])


@pytest.mark.parametrize("docname", toc_files())
def test_english_mode_shows_no_chinese(browser, server, docname):
    found = visit(browser, server, docname, "en")["han"]
    assert not found, (f"{docname} in English mode shows {len(found)} Chinese fragments outside code and outputs:\n"
                       + "\n".join(found[:25]))


def test_han_check_catches_a_bilingual_heading(browser, server):
    """Negative control: a heading that stays bilingual in English mode is reported."""
    context, page = open_mode(browser, server, toc_files()[0], "en")
    try:
        page.evaluate("() => { const h = document.createElement('h2'); h.textContent = 'A test · 测试';"
                      "document.querySelector('article').appendChild(h); }")
        found = page.evaluate(VISIBLE_HAN)
    finally:
        context.close()
    assert any("测试" in f for f in found), found


@pytest.mark.parametrize("docname", toc_files())
def test_chinese_mode_is_chinese(browser, server, docname):
    seen = visit(browser, server, docname, "zh")
    headings, captions, ui = seen["headings"], seen["captions"], seen["ui"]
    assert headings, f"{docname}: no heading"
    latin = [h for h in headings if not han(h)]
    assert not latin, f"{docname} in 中文 mode has headings without Chinese: {latin}"
    english_first = [h for h in headings if " · " in h and not han(h.split(" · ")[0])]
    assert not english_first, f"{docname} in 中文 mode still shows bilingual headings: {english_first}"
    bad = [c[:40] for c in captions if not c.startswith("图 ") or "Fig." in c]
    assert not bad, f"{docname} in 中文 mode has captions not starting with 图 N: {bad}"
    assert ui["toc"] is None or ui["toc"].strip() == "目录", ui
    assert all(s in ("上一页", "下一页") for s in ui["prev"]), ui
    assert all(s == "搜索" for s in ui["search"]), ui
    assert ui["placeholder"] is None or han(ui["placeholder"]), ui
    assert han(ui["title"]) and "Understanding" not in ui["title"], ui


def _png_text_record(path: Path) -> dict | None:
    from PIL import Image

    with Image.open(path) as image:
        record = (getattr(image, "text", None) or {}).get("lstm:text")
    if not record:
        return None
    return {k: (v if k == "lang" else float(v)) for k, v in (part.split("=") for part in record.split(";"))}


def _png_width(path: Path) -> int:
    from PIL import Image

    with Image.open(path) as image:
        return image.size[0]


NOTEBOOKS = [d for d in toc_files() if d.startswith("notebooks/")]


def shown_pngs(browser, server, built_html, docname, mode) -> list[dict]:
    """The PNG figures a page shows in ``mode`` at 1280 px, each with its file (``path``) and its ``record``."""
    shown = []
    for image in visit(browser, server, docname, mode, 1280)["images"]:
        path = built_html / urlsplit(image["url"]).path.lstrip("/")
        if path.suffix.lower() == ".png":
            shown.append({**image, "path": path, "record": _png_text_record(path)})
    return shown


def figure_mode_problems(shown: list[dict], mode: str) -> list[str]:
    """What is wrong with the figures a page shows in ``mode``; ``shown`` = the page's visible figure images, each
    with its ``lang`` (lstm-fig-en/zh/both class, None for a figure without variants), ``shown_of`` (images in its
    div.lstm-figlang) and ``record`` (its PNG's lstm:text record)."""
    problems = []
    for image in shown:
        record = image["record"] or {}
        if image["shown_of"] > 1 and image["lang"] != mode:
            problems.append(f"{image['src']}: the {image['lang']} rendering is shown in {mode} mode")
        if mode in ("en", "zh") and image["lang"] is not None and record.get("lang") != mode:
            problems.append(f"{image['src']}: shown as the {mode} rendering but its record says {record.get('lang')}")
        if mode == "en" and "han" not in record:
            problems.append(f"{image['src']}: its record does not count its Chinese labels (an output saved before "
                            "figure_png rendered the languages: re-execute the notebook)")
        elif mode == "en" and record["han"] > 0:
            problems.append(f"{image['src']}: {record['han']:.0f} Chinese labels in English mode")
    return problems


@pytest.mark.parametrize("mode", ["en", "zh", "both"])
@pytest.mark.parametrize("docname", NOTEBOOKS)
def test_figures_follow_the_reading_mode(browser, server, built_html, docname, mode):
    """In English mode a figure with bilingual labels is its English rendering (no Han text in it), in 中文 mode its
    Chinese one, in EN + 中文 the bilingual one; exactly one of the three is visible."""
    problems = figure_mode_problems(shown_pngs(browser, server, built_html, docname, mode), mode)
    assert not problems, f"{docname} ({mode}):\n" + "\n".join(problems)


def test_figure_mode_check_catches_chinese_in_english_mode():
    """Negative control: an English-mode figure whose record counts Han texts, the bilingual image shown in English
    mode, and a Chinese rendering shown in English mode are all reported; the right ones are not."""
    good = {"src": "a.png", "lang": "en", "shown_of": 3, "record": {"lang": "en", "han": 0.0}}
    assert figure_mode_problems([good], "en") == []
    assert figure_mode_problems([{**good, "record": {"lang": "en", "han": 2.0}}], "en")
    assert figure_mode_problems([{**good, "lang": "both", "record": {"width_in": 6.0, "han": 4.0}}], "en")
    assert figure_mode_problems([{**good, "lang": None, "shown_of": 1, "record": {"width_in": 6.0}}], "en")
    assert figure_mode_problems([{**good, "lang": None, "shown_of": 1, "record": {"han": 0.0}}], "en") == []
    assert figure_mode_problems([{**good, "lang": "zh", "record": {"lang": "zh", "han": 3.0}}], "en")
    assert figure_mode_problems([{**good, "lang": "both", "record": {}}], "both") == []


@pytest.mark.parametrize("mode", ["both", "en", "zh"])
@pytest.mark.parametrize("docname", NOTEBOOKS)
def test_figure_text_is_legible_at_1280(browser, server, built_html, docname, mode):
    """In every mode: what the reader sees in English and in 中文 mode are the single-language renderings."""
    problems = []
    for image in shown_pngs(browser, server, built_html, docname, mode):
        path, record = image["path"], image["record"]
        # every figure is held to the rule: the course's diagrams (lstm_lib.diagrams) and the plots chapters draw with
        # pyplot alike (tests/test_display.py checks the same computation on records that must fail)
        if record is None:
            problems.append(f"{image['src']}: a PNG without the lstm:text record (not shown through "
                            "lstm_lib.diagrams._display.figure_png?), so its text size is unknown")
            continue
        if "min_pt" not in record:   # a figure without text
            continue
        px = record["min_pt"] / 72 * image["width"] / record["width_in"]
        if px < MIN_TEXT_PX:
            problems.append(f"{image['src']}: smallest text {px:.1f} px at {image['width']:.0f} px wide "
                            f"({record['min_pt']:.1f} pt in a {record['width_in']:.2f} in figure)")
        # the PNG's own width (a lazily loaded image below the fold has no natural size yet)
        natural = _png_width(path)
        if natural < 1.9 * image["width"]:
            problems.append(f"{image['src']}: {natural} px image shown {image['width']:.0f} px wide "
                            "(not 2x: blurry on high-density screens)")
    assert not problems, f"{docname} ({mode}):\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def browser_without_cjk_fonts(browser):
    """Chromium that sees only DejaVu (no system CJK font), as on a bare Linux machine."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        unavailable("no `chromium` executable on PATH")
    dejavu = next((p for p in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu") if os.path.isdir(p)), None)
    if dejavu is None:
        unavailable("no DejaVu fonts directory to build a CJK-free font configuration from")
    tmp = tempfile.mkdtemp(prefix="fc-no-cjk-")
    conf = Path(tmp) / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{dejavu}</dir><cachedir>{tmp}/cache</cachedir></fontconfig>""", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    # a second Chromium from the same playwright instance (a second sync_playwright() cannot run beside the first)
    b = browser.browser_type.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True, env=env)
    yield b
    b.close()
    shutil.rmtree(tmp, ignore_errors=True)


GLYPHS = """async () => {
  await document.fonts.ready;
  const zh = Array.from(document.querySelectorAll('article .lang-zh p')).find(p => p.getClientRects().length);
  const family = getComputedStyle(zh).fontFamily;
  const draw = (fam, ch) => {
    const c = document.createElement('canvas'); c.width = 40; c.height = 40;
    const g = c.getContext('2d'); g.font = `28px ${fam}`; g.fillText(ch, 4, 32);
    return Array.from(g.getImageData(0, 0, 40, 40).data).join(',');
  };
  const faces = Array.from(document.fonts).filter(f => f.family.replace(/"/g, '') === 'LSTM Course CJK');
  return {
    loaded: faces.map(f => f.status),
    // with the page's Chinese font, two different characters draw two different shapes...
    distinct: draw(family, '循') !== draw(family, '环'),
    // ...while a font stack without the web font draws the same empty box for both (proves the machine has none)
    boxes: draw('sans-serif', '循') === draw('sans-serif', '环'),
  };
}"""


def test_chinese_renders_without_system_cjk_fonts(browser_without_cjk_fonts, server):
    page_name = next(d for d in toc_files() if d.startswith("notebooks/"))
    context = browser_without_cjk_fonts.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script("localStorage.setItem('lstm-course-lang', 'zh')")
    page = context.new_page()
    try:
        page.goto(f"{server}/{page_name}.html", wait_until="networkidle")
        result = page.evaluate(GLYPHS)
    finally:
        context.close()
    assert result["boxes"], "this Chromium still finds a system CJK font; the test would prove nothing"
    assert "loaded" in result["loaded"], f"the book's CJK web font was not loaded: {result}"
    assert result["distinct"], "Chinese characters render as identical boxes: the web font does not cover them"


def test_search_snippets_do_not_start_with_the_switch(browser, server):
    from urllib.parse import quote

    context, page = open_mode(browser, server, "book/glossary", "en")
    try:
        page.goto(f"{server}/search.html?q={quote('gate')}", wait_until="load")
        page.wait_for_function(
            "() => /found|match/i.test(document.querySelector('#search-results .search-summary')?.textContent || '')",
            timeout=20000)
        page.wait_for_function("() => document.querySelectorAll('#search-results p.context').length > 0",
                               timeout=20000)
        snippets = page.evaluate("() => Array.from(document.querySelectorAll('#search-results p.context'))"
                                 ".map(p => p.textContent)")
    finally:
        context.close()
    assert snippets
    bad = [s[:60] for s in snippets if "Read in" in s or "EN + 中文" in s]
    assert not bad, f"search snippets quote the reading switch: {bad}"
