"""Sphinx extension for the bilingual book "Understanding LSTMs / 理解 LSTM".

1. Reading switch: puts ``<div class="lang-switch" data-lang-switch>`` with three buttons (``data-lang="en"``,
   ``"zh"``, ``"both"``) at the top of every content page, and loads ``lang-switch.js`` (in <head>, not deferred, so
   <html data-lang> is set before the body paints) and ``lang-switch.css`` from ``book/_static``.
2. Chinese search: Sphinx's Chinese indexer (``html_search_language = "zh"``) splits words with jieba, whose general
   dictionary cuts course terms apart (循环神经网络 -> 循环 / 神经网络). At ``config-inited`` this writes every
   canonical Chinese term of ``book/terms.yml`` into a jieba user dictionary and points ``html_search_options["dict"]``
   at it (an absolute path, so the build works from any working directory).
"""
from __future__ import annotations

from pathlib import Path

import yaml

SWITCH_HTML = (
    '<div class="lang-switch" data-lang-switch role="group" aria-label="Reading language / 阅读语言">'
    '<span class="lang-switch-label">Read in · 阅读</span>'
    '<button type="button" data-lang="en" aria-pressed="false" title="English only">English</button>'
    '<button type="button" data-lang="zh" aria-pressed="false" title="只显示中文">中文</button>'
    '<button type="button" data-lang="both" aria-pressed="false" '
    'title="Both, paragraph by paragraph · 中英对照">EN + 中文</button>'
    "</div>\n"
)


def jieba_words(terms_file: Path) -> list[str]:
    """Canonical Chinese words of terms.yml (``zh`` and ``also_zh`` of every entry), without ones containing spaces."""
    data = yaml.safe_load(terms_file.read_text(encoding="utf-8"))
    words: list[str] = []
    for entry in data["terms"]:
        for word in [entry["zh"], *entry.get("also_zh", [])]:
            if word and " " not in word and word not in words:
                words.append(word)
    return words


def _setup_search_dict(app, config) -> None:
    terms_file = Path(app.confdir) / "book" / "terms.yml"
    if not terms_file.is_file():
        raise FileNotFoundError(f"langswitch: expected the term list at {terms_file}; it is missing")
    words = jieba_words(terms_file)
    # jieba user dictionary: "word frequency"; a high frequency makes the whole term win over its parts.
    # Written beside the doctrees (inside _build), regenerated on every build.
    path = Path(app.doctreedir) / "jieba-course-terms.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{word} 100000\n" for word in words), encoding="utf-8")
    options = dict(config.html_search_options or {})
    options["dict"] = str(path)
    config.html_search_options = options


# The book's icon, inline: browsers ask for /favicon.ico (a 404) unless a page names an icon, and a data: URL costs
# no request at all.
FAVICON = ('<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27 viewBox=%270 0 32 32%27%3E'
           '%3Crect x=%272%27 y=%276%27 width=%2728%27 height=%2720%27 rx=%276%27 fill=%27%23F4F1EA%27 stroke=%27%23E69F00%27 '
           'stroke-width=%272%27/%3E%3Cpath d=%27M4 12h24%27 stroke=%27%23E69F00%27 stroke-width=%273%27/%3E'
           '%3Ccircle cx=%2711%27 cy=%2720%27 r=%273%27 fill=%27%23D55E00%27/%3E%3Ccircle cx=%2721%27 cy=%2720%27 r=%273%27 '
           'fill=%27%230072B2%27/%3E%3C/svg%3E">\n')


def _add_switch(app, pagename, templatename, context, doctree) -> None:
    context["metatags"] = context.get("metatags", "") + FAVICON
    if doctree is not None and "body" in context:
        context["body"] = SWITCH_HTML + context["body"]


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """Drop repeated identical <script> entries.

    sphinx-thebe 0.3.1 registers its inline configuration script (``const THEBE_JS_URL = ...``) once per
    ``env-before-read-docs`` event, which fires more than once in a Jupyter Book build; the second copy redeclares
    a ``const`` and every page logs "Identifier 'THEBE_JS_URL' has already been declared".
    """
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        # the two copies differ only in filename None vs "" (both mean an inline script)
        key = (str(getattr(script, "filename", script) or ""), tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("config-inited", _setup_search_dict)
    app.connect("html-page-context", _add_switch)
    app.connect("html-page-context", _dedupe_scripts)
    app.add_js_file("lang-switch.js", priority=100)
    app.add_css_file("lang-switch.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
