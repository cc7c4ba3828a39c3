"""Sphinx extension: solutions in the book are collapsed, or — for instructors who want it — absent.

Normal build
    Every solution code cell (nbgrader ``solution: true`` or tag ``solution``) is collapsed behind a
    "Show solution · 显示参考解答" toggle (MyST-NB's hide-input mechanism; no ``hide-input`` tag needed in the notebook).
    Model answers to conceptual questions are ``<details class="solution">`` blocks, which the browser keeps closed
    until the reader opens them.

``LSTM_BOOK_NO_SOLUTIONS=1`` (environment variable at build time, e.g. ``LSTM_BOOK_NO_SOLUTIONS=1 jupyter-book build .``)
    The built HTML contains no solution at all:

    - each ``<details class="solution">`` ... ``</details>`` block is removed from the document tree (so from the pages
      and from the search index);
    - each solution code cell shows the student's stub instead (the ``# BEGIN SOLUTION`` ... ``# END SOLUTION``
      region replaced by ``raise NotImplementedError``, as in ``python -m lstm_lib.homework``), and its outputs are
      dropped;
    - the copies of the sources Sphinx puts in ``_sources/`` (the book's "download .ipynb / .md" buttons) are replaced
      by their student versions.

The setting is the config value ``lstm_no_solutions`` (rebuild: env), taken from the environment variable, so switching
it re-reads every page instead of reusing cached doctrees.

Enable in ``_config.yml``::

    sphinx:
      local_extensions:
        solutions: book/_ext
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from docutils import nodes

ENV_VAR = "LSTM_BOOK_NO_SOLUTIONS"
PROMPT_SHOW = "Show solution · 显示参考解答"
PROMPT_HIDE = "Hide solution · 隐藏参考解答"

_OPEN = re.compile(r"<details\b[^>]*>", re.IGNORECASE)
_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
_SOLUTION_OPEN = re.compile(r"""<details\b[^>]*\bclass\s*=\s*["'][^"']*\bsolution\b[^"']*["'][^>]*>""", re.IGNORECASE)


def no_solutions_from_env() -> bool:
    return os.environ.get(ENV_VAR, "").strip().lower() not in ("", "0", "false", "no")


def _is_solution_cell(node) -> bool:
    meta = node.get("cell_metadata") or {}
    return bool((meta.get("nbgrader") or {}).get("solution")) or "solution" in (meta.get("tags") or [])


def _code_cells(doctree):
    for node in list(doctree.findall(nodes.container)):
        if node.get("nb_element") == "cell_code" and _is_solution_cell(node):
            yield node


def _collapse(cell) -> None:
    """Ask MyST-NB's HideInputCells post-transform to fold the input of this cell."""
    has_output = any(child.get("nb_element") == "cell_code_output" for child in cell.children)
    # an output of a solution cell may give the answer away too: fold it with the input
    cell["hide_mode"] = "all" if has_output else "input"
    cell["prompt_show"] = PROMPT_SHOW
    cell["prompt_hide"] = PROMPT_HIDE


def _stub_cell(cell) -> None:
    from lstm_lib.homework import stub_solution_code

    meta = cell.get("cell_metadata") or {}
    label = (meta.get("nbgrader") or {}).get("grade_id", "exercise")
    for child in list(cell.children):
        if child.get("nb_element") == "cell_code_output":
            cell.remove(child)
    for block in list(cell.findall(nodes.literal_block)):
        stub = stub_solution_code(block.astext(), label)
        new = nodes.literal_block(stub, stub, **{k: v for k, v in block.attributes.items() if k != "ids"})
        block.replace_self(new)


def _remove_details(doctree) -> int:
    """Remove every <details class="solution"> ... </details> span of raw HTML siblings; returns how many."""
    removed = 0
    while True:
        start = None
        for raw in doctree.findall(nodes.raw):
            if "html" in raw.get("format", "").split() and _SOLUTION_OPEN.search(raw.astext()):
                start = raw
                break
        if start is None:
            return removed
        parent = start.parent
        siblings = list(parent.children)
        k = siblings.index(start)
        text = start.astext()
        m = _SOLUTION_OPEN.search(text)
        before, rest = text[:m.start()], text[m.start():]
        # walk forward through this node and its siblings, counting nested <details>
        depth, end_index, after = 0, None, ""
        for j in range(k, len(siblings)):
            node = siblings[j]
            piece = rest if j == k else (node.astext() if isinstance(node, nodes.raw) else "")
            if j != k and not isinstance(node, nodes.raw):
                continue
            for tag in sorted([*_OPEN.finditer(piece), *_CLOSE.finditer(piece)], key=lambda t: t.start()):
                depth += -1 if tag.group(0).startswith("</") else 1
                if depth == 0:
                    end_index, after = j, piece[tag.end():]
                    break
            if end_index is not None:
                break
        if end_index is None:            # unclosed: drop to the end of the parent, never leak the answer
            end_index, after = len(siblings) - 1, ""
        for node in siblings[k:end_index + 1]:
            parent.remove(node)
        keep = [t for t in (before, after) if t.strip()]
        for n, t in enumerate(keep):
            parent.insert(k + n, nodes.raw(t, t, format="html"))
        removed += 1


def _on_doctree_read(app, doctree) -> None:
    cells = list(_code_cells(doctree))
    if app.config.lstm_no_solutions:
        for cell in cells:
            _stub_cell(cell)
        _remove_details(doctree)
    else:
        for cell in cells:
            _collapse(cell)


def _scrub_sources(app, exception) -> None:
    """Replace the copied sources (download buttons) by student versions in a no-solutions build."""
    if exception is not None or not app.config.lstm_no_solutions or app.builder.format != "html":
        return
    from lstm_lib.homework import remove_model_answers, student_notebook

    sources = Path(app.outdir) / "_sources"
    if not sources.is_dir():
        return
    for path in sources.rglob("*"):
        if not path.is_file():
            continue
        name = path.name[:-4] if path.name.endswith(".txt") else path.name
        text = path.read_text(encoding="utf-8")
        if name.endswith(".ipynb"):
            import nbformat

            nb, _ = student_notebook(nbformat.reads(text, as_version=4), "both", name=name)
            path.write_text(nbformat.writes(nb), encoding="utf-8")
        elif name.endswith(".md"):
            path.write_text(remove_model_answers(text) + "\n", encoding="utf-8")


def setup(app):
    app.add_config_value("lstm_no_solutions", no_solutions_from_env(), "env", [bool])
    # after MyST-NB has built the cell containers (doctree-read handlers run in priority order; default 500)
    app.connect("doctree-read", _on_doctree_read, priority=600)
    app.connect("build-finished", _scrub_sources)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
