"""The book builds with zero warnings, and its HTML keeps the promises of issue 3.

- the build (`jupyter-book build . -W -n --keep-going`) exits 0 and logs no WARNING/ERROR line;
- every page of _toc.yml is built and carries both languages (class lang-en and lang-zh, as many of one as the other)
  and the reading switch (data-lang-switch with buttons en / zh / both) plus its script in <head>;
- math is served by the site itself (self-hosted MathJax, which exists in the build), and no HTML file loads a
  script, stylesheet, font, image or frame from another host; no CSS file in _static imports one;
- the search index was built by the Chinese splitter and contains 循环神经网络 and 梯度消失 for the pages using them.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, toc_files, toc_source

CHINESE_WORDS = ("循环神经网络", "梯度消失")


class Resources(HTMLParser):
    """Collects every URL an HTML page makes the browser fetch by itself (not links the reader may click)."""

    FETCHING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "icon",
                     "shortcut", "apple-touch-icon", "manifest", "font"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (what, url)
        self.scripts: list[str] = []  # src of <script> in order
        self.in_head = True
        self.head_scripts: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.in_head = False
        if tag == "script" and a.get("src"):
            self.urls.append(("script", a["src"]))
            self.scripts.append(a["src"])
            if self.in_head:
                self.head_scripts.append(a["src"])
        elif tag == "link" and a.get("href"):
            rels = set((a.get("rel") or "").lower().split())
            if rels & self.FETCHING_RELS:
                self.urls.append((f"link rel={a.get('rel')}", a["href"]))
        elif tag in ("img", "iframe", "embed", "audio", "video", "source", "track", "input") and a.get("src"):
            self.urls.append((tag, a["src"]))
        elif tag == "object" and a.get("data"):
            self.urls.append((tag, a["data"]))
        if a.get("srcset"):
            for part in a["srcset"].split(","):
                if part.strip():
                    self.urls.append((f"{tag} srcset", part.strip().split()[0]))
        if a.get("style"):
            self.styles.append(a["style"])

    def handle_data(self, data):
        if self.lasttag == "style":
            self.styles.append(data)


def is_remote(url: str) -> bool:
    """True for a URL that leaves the site: any scheme+host, protocol-relative //host, or a non-local scheme."""
    parts = urlsplit(url.strip())
    if parts.scheme in ("data", "blob", "about", "javascript", ""):
        return bool(parts.netloc)  # "//cdn.example.com/x.js" has no scheme but a host
    if parts.scheme == "file":
        return False
    return True


CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def parse(path: Path) -> Resources:
    parser = Resources()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_of(html_dir: Path, docname: str) -> Path:
    return html_dir / f"{docname}.html"


def test_build_is_clean(book):
    """-W -n --keep-going: exit status 0 and not a single warning in the log."""
    warnings = book.warnings()
    assert book.returncode == 0 and not warnings, (
        f"jupyter-book build exited {book.returncode} with {len(warnings)} warning(s):\n" + "\n".join(warnings[:50])
        + "\n--- end of log ---\n" + book.output[-3000:]
    )


def test_toc_lists_only_existing_files():
    for docname in toc_files():
        toc_source(docname)  # raises naming the missing file


@pytest.mark.parametrize("docname", toc_files())
def test_page_is_bilingual_with_switch(built_html, docname):
    path = html_of(built_html, docname)
    assert path.exists(), f"{docname} is in _toc.yml but {path.name} was not built"
    text = path.read_text(encoding="utf-8")
    n_en = len(re.findall(r'class="[^"]*\blang-en\b', text))
    n_zh = len(re.findall(r'class="[^"]*\blang-zh\b', text))
    assert n_en > 0 and n_zh > 0, f"{docname}: expected lang-en and lang-zh prose, found {n_en} and {n_zh}"
    assert n_en == n_zh, f"{docname}: {n_en} lang-en blocks but {n_zh} lang-zh blocks"
    switch = re.search(r"<div[^>]*\bdata-lang-switch\b[^>]*>(.*?)</div>", text, re.S)
    assert switch, f"{docname}: no element with data-lang-switch"
    modes = re.findall(r'<button[^>]*\bdata-lang="([a-z]+)"', switch.group(1))
    assert modes == ["en", "zh", "both"], f"{docname}: switch buttons {modes}, expected en, zh, both"
    resources = parse(path)
    head = [src.split("?")[0] for src in resources.head_scripts]
    assert any(src.endswith("_static/lang-switch.js") for src in head), (
        f"{docname}: lang-switch.js must be loaded in <head> (before the body paints); head scripts: {head}")
    assert (built_html / "_static" / "lang-switch.js").exists() and (built_html / "_static" / "lang-switch.css").exists()


def test_switch_script_is_not_deferred(built_html):
    """The script must run before the body is parsed, or the page flashes the wrong language."""
    text = html_of(built_html, toc_files()[0]).read_text(encoding="utf-8")
    tag = re.search(r"<script[^>]*lang-switch\.js[^>]*>", text).group(0)
    assert "defer" not in tag and "async" not in tag, tag


def test_mathjax_is_self_hosted(built_html):
    pages_with_math = 0
    for path in sorted(built_html.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if 'class="math' not in text:
            continue
        pages_with_math += 1
        mathjax = [src for src in parse(path).scripts if "mathjax" in src.lower()]
        assert mathjax, f"{path.relative_to(built_html)} has math but loads no MathJax"
        for src in mathjax:
            assert not is_remote(src), f"{path.relative_to(built_html)} loads MathJax from {src}"
            local = (path.parent / src.split("?")[0]).resolve()
            assert local.is_file(), f"{path.relative_to(built_html)}: MathJax script {src} is not in the build"
    assert pages_with_math > 0, "no page with math was built (the glossary has some); the check above checked nothing"
    fonts = list((built_html / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    assert len(fonts) >= 20, f"MathJax CHTML fonts missing from the build: found {len(fonts)} .woff files"


def test_no_third_party_resources(built_html):
    """No HTML page makes the browser fetch anything from another host; no CSS file imports from one."""
    offenders = []
    pages = sorted(built_html.rglob("*.html"))
    assert pages, "no HTML built"
    for path in pages:
        res = parse(path)
        for what, url in res.urls:
            if is_remote(url):
                offenders.append(f"{path.relative_to(built_html)}: {what} {url}")
        for style in res.styles:
            for url in CSS_URL.findall(style):
                if is_remote(url):
                    offenders.append(f"{path.relative_to(built_html)}: inline style url {url}")
    for css in sorted((built_html / "_static").rglob("*.css")):
        for url in CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
            if is_remote(url):
                offenders.append(f"{css.relative_to(built_html)}: url {url}")
    assert not offenders, "third-party resources:\n" + "\n".join(offenders[:40])


def test_remote_check_catches_a_cdn():
    """Negative control for the check above."""
    parser = Resources()
    parser.feed('<html><head><script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script>'
                '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Lato"></head>'
                '<body><a href="https://arxiv.org/abs/1409.0473">paper</a><img src="_static/x.png"></body></html>')
    remote = [url for _, url in parser.urls if is_remote(url)]
    assert remote == ["https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js", "//fonts.googleapis.com/css?family=Lato"]


def load_search_index(built_html: Path) -> dict:
    text = (built_html / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


@pytest.mark.parametrize("word", CHINESE_WORDS)
def test_chinese_search_index(built_html, word):
    """Each page whose source uses the word is found under that whole word in the search index."""
    index = load_search_index(built_html)
    docnames = index["docnames"]
    using = [d for d in toc_files() if word in toc_source(d).read_text(encoding="utf-8")]
    assert using, f"no page in _toc.yml uses {word}; the glossary should"
    # Sphinx files a word under titleterms for a page whose heading has it, under terms otherwise
    found = set()
    for table in ("terms", "titleterms"):
        entry = index[table].get(word)
        if entry is not None:
            found |= {docnames[i] for i in (entry if isinstance(entry, list) else [entry])}
    assert found, (f"{word} is not a word of searchindex.js: the Chinese splitter (jieba) or the course "
                   "dictionary from book/terms.yml was not used")
    missing = [d for d in using if d not in found]
    assert not missing, f"search for {word} misses {missing} (finds {sorted(found)})"


def test_footer_has_licences(built_html):
    text = html_of(built_html, toc_files()[0]).read_text(encoding="utf-8")
    assert "creativecommons.org/licenses/by/4.0" in text and "MIT" in text


def test_launch_buttons_for_notebooks(built_html):
    """Notebook chapters get Binder and Colab launch links (links only; checked remote-free above)."""
    notebooks = [d for d in toc_files() if toc_source(d).suffix == ".ipynb"]
    if not notebooks:
        pytest.skip("no notebook chapter in _toc.yml yet")
    for docname in notebooks:
        text = html_of(built_html, docname).read_text(encoding="utf-8")
        assert "mybinder.org/v2/gh/" in text, f"{docname}: no Binder launch button"
        assert "colab.research.google.com/github/" in text, f"{docname}: no Colab launch button"


CITATION = re.compile(r'<a class="reference internal" href="[^"]*references\.html#([\w-]+)"[^>]*>(.*?)</a>', re.S)
LABEL = re.compile(r'<div class="citation" id="([\w-]+)"[^>]*>\s*<span class="label"><span class="fn-bracket">\[</span>'
                   r'(.*?)<span class="fn-bracket">\]', re.S)
TAG = re.compile(r"<[^>]+>")


def citation_mismatches(labels: dict[str, str], citations: list[tuple[str, str]]) -> list[str]:
    """Citations whose text is not the References label of the entry they link to. {cite:p} prints the whole label
    ("Olah, 2015"); {cite:t} links the names and the year separately ("Gers and Schmidhuber" … "2000")."""
    bad = []
    for target, text in citations:
        text = " ".join(TAG.sub("", text).split())
        label = labels.get(target)
        if label is None:
            bad.append(f"{text!r} links to #{target}, which is not an entry of the References page")
        elif not (text == label or label.startswith(text + ",") or label.endswith(", " + text)
                  or label.rstrip("abcdefghijklmnopqrstuvwxyz") == text):
            bad.append(f"{text!r} is labelled [{label}] on the References page")
    return bad


def test_reference_labels_match_citations(built_html):
    refs = html_of(built_html, "book/references").read_text(encoding="utf-8")
    labels = {k: " ".join(TAG.sub("", v).split()) for k, v in LABEL.findall(refs)}
    assert labels, "the References page has no labelled entry"
    citations = []
    for docname in toc_files():
        citations += CITATION.findall(html_of(built_html, docname).read_text(encoding="utf-8"))
    assert citations, "no page cites anything; the check below checked nothing"
    bad = citation_mismatches(labels, citations)
    assert not bad, "\n".join(bad[:30])


def test_citation_check_catches_numbered_labels():
    """Negative control: the numbered labels of pybtex's plain style ([1], [2]) do not match author–year citations."""
    assert citation_mismatches({"id2": "1"}, [("id2", "Olah, 2015")]) == ["'Olah, 2015' is labelled [1] on the References page"]
    assert citation_mismatches({"id2": "Olah, 2015"}, [("id2", "Olah, 2015")]) == []
    assert citation_mismatches({"id7": "Bengio et al., 1994"}, [("id7", "Bengio <em>et al.</em>, 1994")]) == []


def test_cjk_web_font_is_a_subset_of_the_book(built_html):
    """The CJK web font exists, is small, covers every Han character of every built page, and is declared."""
    from fontTools.ttLib import TTFont

    fonts = list((built_html / "_static" / "fonts").glob("lstm-cjk.woff*"))
    assert len(fonts) == 1, f"expected one CJK subset font in _static/fonts, found {fonts}"
    size = fonts[0].stat().st_size
    assert size < 600 * 1024, f"the CJK subset is {size // 1024} KiB; it should be a few hundred KiB at most"
    cmap = TTFont(str(fonts[0])).getBestCmap()
    missing = set()
    for docname in toc_files():
        text = html_of(built_html, docname).read_text(encoding="utf-8")
        missing |= {ch for ch in text if "\u4e00" <= ch <= "\u9fff" and ord(ch) not in cmap}
    assert not missing, f"{len(missing)} Han characters of the book are not in the subset: {''.join(sorted(missing))[:80]}"
    assert len(cmap) < 5000, f"the subset maps {len(cmap)} characters: it is not a subset of the book's"
    css = (built_html / "_static" / "fonts" / "lstm-cjk.css").read_text(encoding="utf-8")
    assert "LSTM Course CJK" in css and fonts[0].name in css
    page = html_of(built_html, toc_files()[0]).read_text(encoding="utf-8")
    assert "_static/fonts/lstm-cjk.css" in page


class ProseText(HTMLParser):
    """The text of a page outside code, scripts and styles (what the reader reads as prose)."""

    SKIPPED = {"pre", "code", "script", "style", "kbd", "samp"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def unrendered_emphasis(html: str) -> list[str]:
    """Bits of prose that still show Markdown's ** (emphasis CommonMark did not close, e.g. between 》 and a hanzi)."""
    parser = ProseText()
    parser.feed(html)
    text = "".join(parser.parts)
    return [text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ") for m in re.finditer(r"\*\*", text)]


def test_emphasis_check_catches_an_unclosed_bold():
    assert unrendered_emphasis("<p>无需下载。**《诗篇》**取自 Debian</p>")
    assert not unrendered_emphasis("<p>《<strong>诗篇</strong>》取自</p><pre>x ** 2</pre><code>a**b</code>")


def test_no_unrendered_emphasis(built_html):
    found = {d: unrendered_emphasis(html_of(built_html, d).read_text(encoding="utf-8")) for d in toc_files()}
    found = {d: hits for d, hits in found.items() if hits}
    assert not found, "\n".join(f"{d}: {hits}" for d, hits in found.items())
