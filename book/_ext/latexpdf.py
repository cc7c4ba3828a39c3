"""Sphinx extension for the PDF of "Understanding LSTMs / 理解 LSTM" (``jupyter-book build . --builder pdflatex``).

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
    if app.builder.format != "latex":
        return
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


def setup(app):
    app.connect("doctree-resolved", _widen_long_tables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
