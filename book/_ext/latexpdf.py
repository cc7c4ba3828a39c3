r"""Sphinx extension for the PDF of "Understanding LSTMs / 理解 LSTM" (``jupyter-book build . --builder pdflatex``).

Long tables: Sphinx sets a table of more than 30 rows as a ``longtable`` whose columns all get the same width, so the
instructor guide's exercise table (85 rows, six columns from "chapter" to "practises") squeezed its one long column
into a sixth of the line and pushed its short ones ("points", "kind") past their cells. At ``doctree-resolved``, for
the LaTeX builder only, such a table gets column widths from its content (``column_widths``), which Sphinx turns into
``p{...}`` columns. The HTML is not touched. Inline code in a table (the grade ids ``ch01-rnn-step-backward``) may
break after a hyphen: ``\sphinxhyphenininlineliteral`` in the preamble of ``_config.yml``.
"""
from __future__ import annotations

import re
import unicodedata

from docutils import nodes

LONG_TABLE_ROWS = 30      # Sphinx's own threshold for a longtable
LINE_CHARS = 80           # the text width (A4, 10 pt) less the column padding of a six-column table, in characters

_TOKEN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\-_/\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def _width(text: str) -> int:
    """Width in Latin characters: a CJK (wide) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(rows: list[list[str]], line: int = LINE_CHARS) -> list[int]:
    """Column widths (in characters) for a table whose cells, as plain text, are ``rows``.

    Every column gets at least its longest unbreakable piece (a word; an identifier breaks after ``-``, ``_`` and
    ``/``, Chinese after any character) and one character more; what is left of the ``line`` goes to the columns in
    proportion to how much longer than that their longest cell is.

    >>> column_widths([["chapter", "a long description of what the exercise practises, in a few words"],
    ...                ["3", "short"]], line=40)
    [8, 32]
    """
    columns = max(len(r) for r in rows)
    least, natural = [], []
    for c in range(columns):
        cells = [r[c] for r in rows if c < len(r)]
        word = max((_width(t) for cell in cells for t in _TOKEN.findall(cell)), default=1)
        least.append(word + 1)
        natural.append(max(word + 1, max((_width(cell) for cell in cells), default=1)))
    if sum(natural) <= line:
        return natural
    spare = line - sum(least)
    if spare <= 0:
        return least
    extra = [n - m for n, m in zip(natural, least)]
    return [m + round(spare * e / sum(extra)) for m, e in zip(least, extra)]


def _widen_long_tables(app, doctree, docname) -> None:
    for table in doctree.findall(nodes.table):
        if "colwidths-given" in table.get("classes", []):
            continue
        group = next(table.findall(nodes.tgroup), None)
        if group is None:
            continue
        rows = [[entry.astext() for entry in row.findall(nodes.entry)] for row in group.findall(nodes.row)]
        if len(rows) <= LONG_TABLE_ROWS:
            continue
        specs = [c for c in group.children if isinstance(c, nodes.colspec)]
        widths = column_widths(rows)
        if len(specs) != len(widths):
            continue
        for spec, width in zip(specs, widths):
            spec["colwidth"] = width
        table["classes"].append("colwidths-given")


ABOUT_TITLE = "About this book · 关于本书"


def _parts_from_toc(app, doctree) -> None:
    """The book's structure in the PDF: one LaTeX part per part of _toc.yml, one chapter per page.

    Sphinx assembles the PDF from the root page with every page of its toctrees inlined where the toctree stands: in
    ``book/index.md`` that is under its last heading, so every chapter would become a section of "Contents · 目录"
    and the front page's own headings chapters. Here the assembled tree is rebuilt as::

        part  Front matter · 前言    chapter "About this book · 关于本书" (the front page), chapter Preface, ...
        part  Chapters · 章节        chapter 1 ..., chapter 8
        part  Appendices · 附录 ...

    with the part titles taken from the captions of _toc.yml; the front page's "Contents" heading (a toctree only)
    is dropped, as the PDF has its own table of contents.
    """
    root = next((c for c in doctree.children if isinstance(c, nodes.section)), None)
    site_map = getattr(app.env, "external_site_map", None) or getattr(app.config, "external_site_map", None)
    if root is None or site_map is None:
        return
    captions = [tree.caption for tree in site_map.root.subtrees]
    wrappers = [n for n in root.findall(nodes.compound) if "toctree-wrapper" in n.get("classes", [])]
    if len(wrappers) != len(captions) or not all(captions):
        return
    for wrapper in wrappers:
        wrapper.parent.remove(wrapper)
    # the front page: its text and headings, without its now empty "Contents" section, as one chapter
    about = nodes.section(ids=["lstm-pdf-about"], names=["lstm-pdf-about"])
    about += nodes.title(text=ABOUT_TITLE)
    for child in list(root.children):
        if isinstance(child, nodes.title):
            continue
        root.remove(child)
        if not (isinstance(child, nodes.section) and child.next_node(nodes.paragraph) is None):
            about += child
    parts = []
    for k, (caption, wrapper) in enumerate(zip(captions, wrappers)):
        part = nodes.section(ids=[f"lstm-pdf-part-{k}"], names=[f"lstm-pdf-part-{k}"])
        part += nodes.title(text=caption)
        if k == 0:
            part += about
        part.extend(list(wrapper.children))
        parts.append(part)
    # the root section stays: Sphinx's LaTeX writer takes its title as the document's title (its content starts at
    # the top level, here that of parts)
    root.extend(parts)


HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
WIDE_IN_CJK = re.compile("[\u2018\u2019\u201c\u201d\u2014\u2026]")


def _latin_quotes_in_english(doctree) -> None:
    r"""English paragraphs get Latin quotes, apostrophes, dashes and ellipses.

    xeCJK sets ‘ ’ “ ” — … in the CJK font, full width, which is right in Chinese and wrong in English ("network’ s").
    An English paragraph (Chinese characters, if any, fewer than a fifth of its letters: the title of a chapter it
    links to) is wrapped in a group that gives those characters back to the Latin font (``\lstmlatinquotes`` in the
    preamble of ``_config.yml``; character classes follow TeX's grouping).
    """
    for paragraph in list(doctree.findall(nodes.paragraph)):
        text = paragraph.astext()
        if not WIDE_IN_CJK.search(text) or len(HAN.findall(text)) >= 0.2 * len(re.findall("[A-Za-z]", text)):
            continue
        paragraph.insert(0, nodes.raw("", "\\begingroup\\lstmlatinquotes{}", format="latex"))
        paragraph.append(nodes.raw("", "\\endgroup{}", format="latex"))


def _on_doctree_resolved(app, doctree, docname) -> None:
    if app.builder.format != "latex":
        return
    if docname == app.config.root_doc:
        _parts_from_toc(app, doctree)
    _widen_long_tables(app, doctree, docname)
    _latin_quotes_in_english(doctree)


def setup(app):
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
