"""Exercise cells and student versions of the chapters.

Every chapter ends with ``## Exercises · 练习``. A *coding exercise* is three cells:

1. a markdown cell with the task (``lang-en`` / ``lang-zh`` divs);
2. a **solution** code cell, metadata ``solution_metadata(grade_id)``, holding the function with the reference solution
   between a line ``# BEGIN SOLUTION`` and a line ``# END SOLUTION`` (single hash: nbgrader and otter-grader read it);
3. a **check** code cell, metadata ``check_metadata(grade_id + "-check", points)``, whose source is plain asserts,
   e.g. ``assert lstm_lib.check.rnn_step(rnn_step)``.

A *conceptual question* is one markdown cell: the question in language divs, then the model answer in
``<details class="solution">`` with ``<summary>Model answer · 参考答案</summary>`` and language divs inside.

Command line::

    python -m lstm_lib.homework --out DIR [--lang en|zh|both] [--answers remove|collapse] [--nbgrader] NOTEBOOK...

writes one student notebook per input into DIR: solution regions replaced by a stub raising ``NotImplementedError``,
an answer cell (nbgrader: manually graded) after each question, model answers removed (``--answers collapse``: kept
folded after the answer cell, for self-learners) and the sentences promising them rewritten, MyST made plain for
JupyterLab/Colab (linked author-year citations and a reference list from ``book/references.bib``, ``{doc}`` links,
``{ref}``/``{term}`` text, captions from the cell metadata shown), outputs cleared, check cells and nbgrader metadata
kept, prose reduced to one language on request. ``--nbgrader`` writes nbgrader's ``source/`` notebooks instead
(solutions kept, each model answer inside its answer cell, which ``generate_assignment`` empties).
"""
import copy
import re

# grade ids: nbgrader accepts ASCII letters, digits, "_" and "-" only
_GRADE_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def _validate_grade_id(grade_id):
    if not isinstance(grade_id, str) or not _GRADE_ID.match(grade_id):
        raise ValueError(
            f"grade_id must be a non-empty string of ASCII letters, digits, '_' or '-' (nbgrader's rule), got {grade_id!r} / "
            f"grade_id 必须是仅含 ASCII 字母、数字、'_' 或 '-' 的非空字符串（nbgrader 的规则），实际为 {grade_id!r}")
    return grade_id


def solution_metadata(grade_id):
    """Metadata of a solution code cell (nbgrader schema v3, plus the tag ``solution``).

    >>> solution_metadata("rnn_step")["nbgrader"]["grade_id"]
    'rnn_step'
    """
    _validate_grade_id(grade_id)
    return {
        "nbgrader": {"schema_version": 3, "grade": False, "solution": True, "locked": False,
                     "grade_id": grade_id, "points": 0, "task": False},
        "tags": ["solution"],
    }


def check_metadata(grade_id, points):
    """Metadata of a check (grade) code cell: locked, graded with ``points`` points, tag ``check``.

    By convention ``grade_id`` is the solution's id followed by ``-check``.

    >>> check_metadata("rnn_step-check", 2)["nbgrader"]["points"]
    2
    """
    _validate_grade_id(grade_id)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
        raise ValueError(f"points must be a number >= 0, got {points!r} / points 必须是 >= 0 的数，实际为 {points!r}")
    return {
        "nbgrader": {"schema_version": 3, "grade": True, "solution": False, "locked": True,
                     "grade_id": grade_id, "points": points, "task": False},
        "tags": ["check"],
    }


# ------------------------------------------------------------------------------------------------ student versions
BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
STUB_COMMENT = "# your code here / 在此处写代码"
MARKDOWN_STUB = "*Your answer here · 在此处写下你的答案*"
LANGS = ("en", "zh", "both")

_DEF = re.compile(r"^\s*def\s+([A-Za-z_]\w*)\s*\(")
_FENCE = re.compile(r"^(\s*)(```+|~~~+)")
_TAG = re.compile(r"<(/?)(details|div|span)\b([^>]*)>", re.IGNORECASE)
_CLASS = re.compile(r"""\bclass\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6}\s+)(.*?)(\s*)$")
_SUMMARY = re.compile(r"(<summary>)(.*?)(</summary>)", re.IGNORECASE)
_NUMBER = re.compile(r"^((?:\d+|[A-Z](?=\.\d))(?:\.\d+)*\.?\s+)")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


class HomeworkError(ValueError):
    """A notebook that cannot be turned into a student version; the message is bilingual ("English / 中文")."""

    def __init__(self, en, zh):
        super().__init__(f"{en} / {zh}")
        self.en, self.zh = en, zh


def _err(en, zh):
    return HomeworkError(en, zh)


def _stub_lines(indent, label):
    # short enough to fit a notebook cell (< 80 columns for a function name of 20 characters): the check cell's
    # traceback shows this line, and the exercise's heading already says what to write
    return [f"{indent}{STUB_COMMENT}",
            f'{indent}raise NotImplementedError("{label}: not written yet / 尚未完成")']


def stub_solution_code(source, label="exercise"):
    """Replace every ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` region of a code cell by a stub.

    The stub, at the indentation of the ``# BEGIN SOLUTION`` line, is the comment ``# your code here / 在此处写代码`` and
    ``raise NotImplementedError(...)`` naming the enclosing function (or ``label``). Lines outside the markers (the
    ``def`` line, the docstring, a final ``return``) are kept. A cell without markers is replaced entirely, as nbgrader
    does. Unbalanced markers raise :class:`HomeworkError`.
    """
    lines = source.splitlines()
    if not any(line.strip() == BEGIN for line in lines):
        if any(line.strip() == END for line in lines):
            raise _err(f"'{END}' without '{BEGIN}' in {label}", f"{label} 中有 '{END}' 却没有 '{BEGIN}'")
        return "\n".join(_stub_lines("", label))
    out, inside, name = [], False, label
    for line in lines:
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise _err(f"nested '{BEGIN}' in {label}", f"{label} 中的 '{BEGIN}' 出现了嵌套")
            inside = True
            out.extend(_stub_lines(line[:len(line) - len(line.lstrip())], name))
        elif stripped == END:
            if not inside:
                raise _err(f"'{END}' without '{BEGIN}' in {label}", f"{label} 中有 '{END}' 却没有 '{BEGIN}'")
            inside = False
        elif not inside:
            match = _DEF.match(line)
            if match:
                name = match.group(1)
            out.append(line)
    if inside:
        raise _err(f"'{BEGIN}' without '{END}' in {label}", f"{label} 中有 '{BEGIN}' 却没有 '{END}'")
    return "\n".join(out)


def _stub_markdown(source):
    if BEGIN.lstrip("# ") not in source:
        return MARKDOWN_STUB
    return re.sub(r"^.*BEGIN SOLUTION.*?$.*?^.*END SOLUTION.*?$", MARKDOWN_STUB, source, flags=re.M | re.S)


def _fenced_spans(text):
    """(start, end) character ranges of fenced code blocks, where tags and headings are not markup."""
    spans, pos, opener = [], 0, None
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if match:
            if opener is None:
                opener = (pos, match.group(2)[0])
            elif match.group(2)[0] == opener[1]:
                spans.append((opener[0], pos + len(line)))
                opener = None
        pos += len(line)
    if opener is not None:
        spans.append((opener[0], len(text)))
    return spans


_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1", re.S)


def _code_spans(text):
    """Fenced code blocks and inline code spans: tags inside them are shown, not interpreted."""
    spans = _fenced_spans(text)
    for m in _INLINE_CODE.finditer(text):
        if not any(a <= m.start() < b for a, b in spans):
            spans.append((m.start(), m.end()))
    return spans


def _tags(text):
    """(start, end, closing, name, classes) of every <div>/<details> tag outside code."""
    spans = _code_spans(text)
    found = []
    for m in _TAG.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        cls = _CLASS.search(m.group(3))
        found.append((m.start(), m.end(), bool(m.group(1)), m.group(2).lower(), (cls.group(1).split() if cls else [])))
    return found


def _matching_close(tags, k):
    """Index in ``tags`` of the tag closing tags[k] (same element name, nesting counted), or None."""
    name, depth = tags[k][3], 0
    for j in range(k, len(tags)):
        if tags[j][3] != name:
            continue
        depth += -1 if tags[j][2] else 1
        if depth == 0:
            return j
    return None


def _line_bounds(text, start, end):
    """Widen [start, end) to whole lines when the tag stands alone on its line(s)."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le == -1 else le + 1
    if text[ls:start].strip() == "" and text[end:le].strip() == "":
        return ls, le
    return start, end


def _remove_elements(text, predicate, unwrap=None):
    """Remove every element whose opening tag satisfies ``predicate(name, classes)`` (with its content); for elements
    satisfying ``unwrap(name, classes)`` remove only the two tags. Raises HomeworkError on an unclosed element."""
    while True:
        tags = _tags(text)
        for k, (start, end, closing, name, classes) in enumerate(tags):
            if closing:
                continue
            drop = predicate(name, classes)
            strip = unwrap is not None and unwrap(name, classes)
            if not (drop or strip):
                continue
            j = _matching_close(tags, k)
            if j is None:
                raise _err(f"<{name} class=\"{' '.join(classes)}\"> is never closed",
                           f"<{name} class=\"{' '.join(classes)}\"> 没有闭合")
            c_start, c_end = tags[j][0], tags[j][1]
            if drop:
                a, _ = _line_bounds(text, start, end)
                _, b = _line_bounds(text, c_start, c_end)
                text = text[:a] + text[b:]
            else:
                a, b = _line_bounds(text, c_start, c_end)
                text = text[:a] + text[b:]
                a, b = _line_bounds(text, start, end)
                text = text[:a] + text[b:]
            break
        else:
            return text


def remove_model_answers(markdown):
    """Remove every ``<details class="solution">`` ... ``</details>`` block (nested details counted)."""
    text = _remove_elements(markdown, lambda name, classes: name == "details" and "solution" in classes)
    return _tidy(text)


def _split_bilingual(title):
    """'1.2 Unrolling the loop · 展开循环' -> ('1.2 Unrolling the loop', '1.2 展开循环'); None if not bilingual."""
    parts = title.split(" · ")
    if len(parts) < 2:
        return None
    # split before the first part that starts the Chinese half
    for n in range(1, len(parts)):
        if _CJK.search(parts[n]) and not _CJK.search(" · ".join(parts[:n])):
            en, zh = " · ".join(parts[:n]).strip(), " · ".join(parts[n:]).strip()
            number = _NUMBER.match(en)
            if number and not _NUMBER.match(zh):
                zh = number.group(1) + zh
            return en, zh
    return None


def filter_language(markdown, lang):
    """Keep one language's prose: drop the other language's divs, unwrap the kept ones, halve bilingual headings.

    ``lang`` is "en", "zh" or "both" (unchanged). Headings ``## 1.2 English · 中文`` and ``<summary>English ·
    中文</summary>`` keep the chosen half (with the section number). Code fences are left alone.
    """
    if lang not in LANGS:
        raise _err(f"lang must be one of {LANGS}, got {lang!r}", f"lang 必须是 {LANGS} 之一，实际为 {lang!r}")
    if lang == "both":
        return markdown
    other = "zh" if lang == "en" else "en"
    text = _remove_elements(markdown,
                            lambda name, classes: name == "div" and f"lang-{other}" in classes,
                            lambda name, classes: name == "div" and f"lang-{lang}" in classes)
    half = 0 if lang == "en" else 1

    def reduce(title):
        pair = _split_bilingual(title)
        return pair[half] if pair else title

    spans = _fenced_spans(text)
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        inside = any(a <= pos < b for a, b in spans)
        pos += len(line)
        if not inside:
            m = _HEADING.match(line.rstrip("\n"))
            if m:
                line = m.group(1) + reduce(m.group(2)) + m.group(3) + ("\n" if line.endswith("\n") else "")
            line = _SUMMARY.sub(lambda s: s.group(1) + reduce(s.group(2)) + s.group(3), line)
        out.append(line)
    return _tidy("".join(out))


def _tidy(text):
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _is_solution(cell):
    meta = cell.get("metadata", {})
    return bool(meta.get("nbgrader", {}).get("solution")) or "solution" in meta.get("tags", [])


# ------------------------------------------------------------------------------------------ MyST -> plain markdown
# JupyterLab, Colab and GitHub show MyST roles and directives as written ({cite:p}`key`); the student versions are read
# there, so they get plain Markdown: author-year citations linked to the paper plus a reference list per notebook,
# links instead of {doc}/{ref}, text instead of {term}, and the figure captions of the cell metadata as visible cells.
_ROLE = re.compile(r"\{([A-Za-z][\w:.-]*)\}`([^`]*)`")
_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
_TARGET_LINE = re.compile(r"^\(([^()\s]+)\)=\s*$")
_DIRECTIVE = re.compile(r"^(\s*)(```+|:::+)\{([\w:-]+)\}\s*(.*?)\s*$")
_ADMONITIONS = {"note": ("Note", "注"), "tip": ("Tip", "提示"), "hint": ("Hint", "提示"), "warning": ("Warning", "注意"),
                "caution": ("Caution", "小心"), "important": ("Important", "重要"), "attention": ("Attention", "注意"),
                "danger": ("Danger", "危险"), "error": ("Error", "错误"), "seealso": ("See also", "另见")}
REPO_URL, REPO_BRANCH = "https://github.com/lstm-course/understanding-lstms", "main"


def parse_bibtex(text):
    """``{key: {"ENTRYTYPE": type, field: value}}`` of a .bib file (braces kept; enough for references.bib)."""
    entries, pos = {}, 0
    head = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", re.S)
    while True:
        m = head.search(text, pos)
        if not m:
            return entries
        i, depth = m.end(), 1
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body, pos = text[m.end():i - 1], i
        entry, k = {"ENTRYTYPE": m.group(1).lower()}, 0
        field = re.compile(r"\s*([\w-]+)\s*=\s*")
        while True:
            f = field.match(body, k)
            if not f:
                break
            k = f.end()
            if k < len(body) and body[k] in "{\"":
                close, depth, j = "}" if body[k] == "{" else "\"", 0, k
                while j < len(body):
                    c = body[j]
                    if c == "{":
                        depth += 1
                    elif c == "}":
                        depth -= 1
                    if (close == "}" and depth == 0 and c == "}") or (close == "\"" and c == "\"" and j > k and depth == 0):
                        break
                    j += 1
                value, k = body[k + 1:j], j + 1
            else:
                v = re.match(r"[^,]*", body[k:]).group(0)
                value, k = v.strip(), k + len(v)
            entry[f.group(1).lower()] = value
            k = body.find(",", k) + 1 if "," in body[k:] else len(body)
        entries[m.group(2)] = entry


_ACCENT = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "v": "\u030c", "=": "\u0304",
           ".": "\u0307", "u": "\u0306", "c": "\u0327", "H": "\u030b"}
_LETTER = {"i": "i", "L": "Ł", "l": "ł", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "aa": "å", "&": "&"}


def latex_to_text(s):
    """'Schmidhuber, J{\\"u}rgen' -> 'Schmidhuber, Jürgen'; braces dropped, '--' -> '–'."""
    import unicodedata

    s = re.sub(r"\\(ss|ae|AE|aa|[iLlOo&])(?![A-Za-z])\s?", lambda m: _LETTER[m.group(1)], s)
    s = re.sub(r"\\([\"'`^~=.]|[vucH](?=[{\s]))\s*\{?\s*([A-Za-z])\s*\}?",
               lambda m: m.group(2) + _ACCENT[m.group(1)], s)
    s = s.replace("{", "").replace("}", "").replace("---", "—").replace("--", "–").replace("~", " ")
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", s)).strip()


def _surnames(entry):
    people = [p.strip() for p in re.split(r"\s+and\s+", entry.get("author") or entry.get("editor") or "") if p.strip()]
    names = []
    for p in people:
        if p == "others":
            names.append(None)
            continue
        p = latex_to_text(p)
        names.append(p.split(",")[0].strip() if "," in p else p.split()[-1])
    return names


def _author_label(entry):
    names = _surnames(entry) or [latex_to_text(entry.get("organization", entry.get("title", "?")))]
    if len(names) == 1 and names[0]:
        return names[0]
    if len(names) == 2 and all(names):
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al."


def _entry_link(entry):
    if entry.get("doi"):
        return "https://doi.org/" + latex_to_text(entry["doi"]).replace(" ", "")
    if entry.get("url"):
        return latex_to_text(entry["url"]).replace(" ", "")
    if entry.get("eprint") and "arxiv" in (entry.get("archiveprefix", "") + entry.get("eprinttype", "")).lower():
        return "https://arxiv.org/abs/" + latex_to_text(entry["eprint"])
    return None


def _full_reference(entry):
    people = [latex_to_text(p) for p in re.split(r"\s+and\s+", entry.get("author", "")) if p.strip()]
    people = [("et al." if p == "others" else " ".join(reversed([q.strip() for q in p.split(",", 1)])) if "," in p else p)
              for p in people]
    authors = ", ".join(people[:-1]) + (" and " if len(people) > 1 else "") + people[-1] if people else ""
    where = next((latex_to_text(entry[k]) for k in ("journal", "booktitle", "school", "howpublished", "publisher",
                                                    "institution", "note") if entry.get(k)), "")
    bits = [f"{authors} ({latex_to_text(entry.get('year', 'n.d.'))}).", latex_to_text(entry.get('title', '')).rstrip(".") + ("" if entry.get("title", "").rstrip()[-1:] in "?!" else ".")]
    if where:
        extra = "".join(f", {latex_to_text(entry[k])}" for k in ("volume",) if entry.get(k))
        extra += f"({latex_to_text(entry['number'])})" if entry.get("volume") and entry.get("number") else ""
        extra += f", {latex_to_text(entry['pages'])}" if entry.get("pages") else ""
        bits.append(f"*{where}*{extra}.")
    link = _entry_link(entry)
    if link:
        bits.append(f"<{link}>")
    return " ".join(bits)


class Project:
    """What the MyST conversion needs to know about the course: the bibliography, the repository (for links to book
    pages), the chapters' titles and the figure and section labels. ``root`` is the repository root; found from a
    notebook's path by :func:`find_project` (the folder that holds ``book/references.bib``)."""

    def __init__(self, root=None, bib=None, repo_url=REPO_URL, branch=REPO_BRANCH):
        from pathlib import Path

        self.root = Path(root) if root is not None else None
        if bib is None and self.root is not None and (self.root / "book" / "references.bib").exists():
            bib = parse_bibtex((self.root / "book" / "references.bib").read_text(encoding="utf-8"))
        self.bib = bib or {}
        self.repo_url, self.branch = repo_url, branch
        if self.root is not None and (self.root / "_config.yml").exists():
            config = (self.root / "_config.yml").read_text(encoding="utf-8")
            url = re.search(r"^repository:\s*\n(?:[ \t]+.*\n)*?[ \t]+url:\s*(\S+)", config, re.M)
            branch_m = re.search(r"^repository:\s*\n(?:[ \t]+.*\n)*?[ \t]+branch:\s*(\S+)", config, re.M)
            self.repo_url = url.group(1).rstrip("/") if url else repo_url
            self.branch = branch_m.group(1) if branch_m else branch

    def title_of(self, relpath):
        """First heading of a notebook or page of the repository ('notebooks/02_x' or 'book/glossary'), or None."""
        if self.root is None:
            return None
        for suffix in (".ipynb", ".md", ""):
            p = self.root / f"{relpath}{suffix}"
            if p.is_file():
                try:
                    if p.suffix == ".ipynb":
                        import nbformat
                        text = "\n".join(c.source for c in nbformat.read(p, as_version=4).cells
                                         if c.cell_type == "markdown")
                    else:
                        text = p.read_text(encoding="utf-8")
                except Exception:
                    return None
                m = re.search(r"^#\s+(.+?)\s*$", text, re.M)
                return m.group(1) if m else None
        return None


def find_project(path):
    """The :class:`Project` of the repository holding ``path`` (searching upwards for book/references.bib)."""
    from pathlib import Path

    here = Path(path).resolve()
    for folder in [here, *here.parents]:
        if (folder / "book" / "references.bib").is_file():
            return Project(folder)
    return Project(None)


def _is_zh(text):
    return bool(_CJK.search(text))


def _role_text(role, content, ctx, line):
    """Plain Markdown for one role; ``ctx`` holds the project, the notebook's labels and the citations seen."""
    project, zh = ctx["project"], _is_zh(line)
    m = _EXPLICIT.match(content)
    text, target = (m.group(1).strip(), m.group(2).strip()) if m else (None, content.strip())
    if role.startswith("cite") or role == "footcite":
        keys = [k.strip() for k in target.split(",") if k.strip()]
        parts = []
        for key in keys:
            entry = project.bib.get(key)
            if entry is None:
                raise _err(f"citation key {key!r} is not in book/references.bib",
                           f"引用键 {key!r} 不在 book/references.bib 中")
            if key not in ctx["cited"]:
                ctx["cited"].append(key)
            who, year, link = _author_label(entry), latex_to_text(entry.get("year", "n.d.")), _entry_link(entry)
            label = {"t": f"{who} ({year})", "ts": f"{who} ({year})", "author": who, "year": year}.get(
                role.split(":", 1)[1] if ":" in role else "p", f"{who}, {year}")
            parts.append(f"[{label}]({link})" if link else label)
        kind = role.split(":", 1)[1] if ":" in role else "p"
        if kind in ("t", "ts", "author", "year"):
            return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        return "(" + "; ".join(parts) + ")"
    if role == "doc":
        rel = target.lstrip("/") if target.startswith("/") else f"{ctx['docdir']}/{target}".lstrip("/")
        rel = re.sub(r"\.(ipynb|md)$", "", str(_normpath(rel)))
        title = text or project.title_of(rel) or target
        pair = _split_bilingual(title)
        if pair and not text:
            title = pair[1 if zh else 0]
        if rel.startswith("notebooks/"):
            return f"[{title}]({rel.split('/', 1)[1]}.ipynb)"          # the student versions sit side by side
        suffix = ".ipynb" if project.root is not None and (project.root / f"{rel}.ipynb").exists() else ".md"
        return f"[{title}]({project.repo_url}/blob/{project.branch}/{rel}{suffix})"
    if role in ("ref", "numref", "eq", "numref:fig"):
        label = ctx["labels"].get(target)
        if label is None:
            return text or target
        shown = label["zh" if zh else "en"]
        if text:
            return text.replace("%s", str(label.get("number", ""))).replace("{number}", str(label.get("number", "")))
        return shown
    if role in ("math",):
        return f"${target}$"
    if role in ("code", "command", "file", "samp", "kbd"):
        return f"`{target}`"
    if role in ("sub",):
        return f"<sub>{target}</sub>"
    if role in ("sup",):
        return f"<sup>{target}</sup>"
    if role == "abbr":
        return re.sub(r"\s*\(.*\)$", "", content)
    return text or target          # {term} and anything else: the words themselves


def _normpath(rel):
    import posixpath
    return posixpath.normpath(rel)


def _convert_directives(text):
    """Fenced MyST directives (```{note}, :::{tip}, ```{math}, ```{figure}) -> plain Markdown."""
    lines, out, k = text.split("\n"), [], 0
    while k < len(lines):
        m = _DIRECTIVE.match(lines[k])
        if not m:
            out.append(lines[k])
            k += 1
            continue
        indent, fence, name, arg = m.groups()
        j = k + 1
        while j < len(lines) and not (lines[j].strip().startswith(fence[0] * len(fence))
                                      and lines[j].strip().strip(fence[0]) == ""):
            j += 1
        body = [ln for ln in lines[k + 1:j] if not re.match(r"^\s*:[\w-]+:", ln)]   # drop :option: lines
        body_text = "\n".join(body).strip("\n")
        if name in ("math",):
            out.append(f"{indent}$$\n{body_text}\n$$")
        elif name in ("figure", "image"):
            out.append(f"{indent}![{body_text.strip() or arg}]({arg})\n\n{body_text}")
        elif name in _ADMONITIONS or name == "admonition":
            title = arg if name == "admonition" else (_ADMONITIONS[name][1] if _is_zh(body_text) else _ADMONITIONS[name][0])
            out.append("\n".join(f"{indent}> {ln}" if ln.strip() else f"{indent}>" for ln in
                                 [f"**{title}**", ""] + body_text.split("\n")))
        elif name in ("code-block", "code", "sourcecode"):
            out.append(f"{indent}```{arg}\n{body_text}\n{indent}```")
        else:
            out.append(body_text)
        k = j + 1
    return "\n".join(out)


def myst_to_markdown(text, ctx):
    """Replace MyST roles, target lines and directives of one markdown cell (code spans and fences untouched)."""
    text = _convert_directives(text)
    text = "\n".join(ln for ln in text.split("\n") if not _TARGET_LINE.match(ln.strip()))
    spans = _fenced_spans(text) + [(m.start(), m.end()) for m in _INLINE_CODE.finditer(text)
                                   if not text[max(0, m.start() - 1)] == "}"]
    out, pos = [], 0
    for m in _ROLE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        ls = text.rfind("\n", 0, m.start()) + 1
        le = text.find("\n", m.end())
        line = text[ls:le if le != -1 else len(text)]
        out.append(text[pos:m.start()])
        out.append(_role_text(m.group(1), m.group(2), ctx, line))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _notebook_labels(nb):
    """Figure names (cell metadata) -> 'Figure k' / '图 k'; section targets '(label)=' -> the heading after them."""
    labels, k = {}, 0
    for cell in nb.cells:
        fig = (cell.metadata.get("mystnb") or {}).get("figure") or {}
        if cell.cell_type == "code" and fig.get("caption"):
            k += 1
            if fig.get("name"):
                labels[fig["name"]] = {"en": f"Figure {k}", "zh": f"图 {k}", "number": k}
        if cell.cell_type == "markdown":
            lines = cell.source.split("\n")
            for n, ln in enumerate(lines):
                t = _TARGET_LINE.match(ln.strip())
                if t:
                    heading = next((h for h in lines[n + 1:] if h.strip()), "")
                    title = re.sub(r"^#+\s*", "", heading).strip()
                    pair = _split_bilingual(title) or (title, title)
                    labels[t.group(1)] = {"en": pair[0], "zh": pair[1]}
    return labels


def _caption_cell(fig, number):
    """A markdown cell showing a figure's caption (cell metadata mystnb.figure.caption) below the figure."""
    import nbformat

    caption = fig["caption"]
    spans = re.findall(r'<span class="lang-(en|zh)">(.*?)</span>', caption, re.S)
    parts = dict(spans)
    if parts:
        source = (f'<div class="lang-en">\n\n**Figure {number}.** {parts.get("en", "").strip()}\n\n</div>\n'
                  f'<div class="lang-zh">\n\n**图 {number}** {parts.get("zh", "").strip()}\n\n</div>')
    else:
        source = f"**Figure {number} · 图 {number}.** {caption.strip()}"
    return nbformat.v4.new_markdown_cell(source, metadata={"lstm_course": {"caption": fig.get("name", str(number))}})


def _references_cell(keys, project):
    import nbformat

    items = "\n".join(f"- {_full_reference(project.bib[k])}" for k in keys)
    return nbformat.v4.new_markdown_cell("## References · 参考文献\n\n" + items,
                                         metadata={"lstm_course": {"references": list(keys)}})


# ------------------------------------------------------------------------------------- questions and answer cells
ANSWER_STUB = {"en": "*Your answer here*", "zh": "*在此处写下你的答案*", "both": MARKDOWN_STUB}
ANSWERS = ("remove", "collapse")
QUESTION_POINTS = 1
# "Exercise 5.2" in a chapter, "Exercise B.1" in an appendix (the letter alone before ".")
_EXERCISE_HEADING = re.compile(r"^#{2,4}\s+(?:Exercise|练习)\s*((?:[A-Z](?=\.\d)|[A-Z]?\d+)(?:\.\d+)*)", re.M)
# sentences that promise a model answer; "the model answers 512 sequences" (a verb) is not one
_PROMISE = re.compile(r"model answers?\b(?!\s+\d)|reference solutions?|参考答案|参考解答", re.I)
_PROMISE_REPLACEMENT = {"en": "Write your answer to each question in the answer cell below it.",
                        "zh": "请把每道思考题的答案写在题目下方的答案单元格里。"}


def answer_metadata(grade_id, points=QUESTION_POINTS):
    """Metadata of an answer cell for a conceptual question: nbgrader's *manually graded answer* (a markdown cell with
    ``solution: true, grade: true``), tag ``answer``."""
    _validate_grade_id(grade_id)
    return {"nbgrader": {"schema_version": 3, "grade": True, "solution": True, "locked": False,
                         "grade_id": grade_id, "points": points, "task": False},
            "tags": ["answer"]}


def _chapter_prefix(nb, name):
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        m = re.match(r"^([A-Za-z]*\d+)-", gid)
        if m:
            return m.group(1)
    m = re.match(r"^([A-Za-z]?\d+)", name)
    if not m:
        return "nb"
    return f"ch{m.group(1)}" if m.group(1).isdigit() else m.group(1).lower()


def _is_question(cell):
    meta = cell.metadata.get("lstm_course", {})
    if "question" in meta:
        return bool(meta["question"])
    return cell.cell_type == "markdown" and any(
        name == "details" and "solution" in classes and not closing for _, _, closing, name, classes in _tags(cell.source))


def _model_answers(markdown):
    """The inner text of every <details class="solution"> block (summary dropped)."""
    tags, found = _tags(markdown), []
    for k, (start, end, closing, name, classes) in enumerate(tags):
        if not closing and name == "details" and "solution" in classes:
            j = _matching_close(tags, k)
            inner = markdown[end:tags[j][0]] if j is not None else markdown[end:]
            found.append(_SUMMARY.sub("", inner).strip("\n"))
    return found


def _split_keep(text, seps):
    return re.split(f"(?<=[{seps}])", text)


def drop_promises(markdown):
    """Remove the sentences (or clauses) that promise a model answer; add one sentence pointing to the answer cells.

    English: a clause between ';' (or the whole sentence) that mentions a model answer goes; Chinese: the same with
    '；', then '，'. Returns ``(markdown, n_dropped)``. Code and fenced blocks are untouched."""
    spans = _code_spans(markdown)
    out, pos, dropped = [], 0, 0
    for line in markdown.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        if any(a <= start < b for a, b in spans) or not _PROMISE.search(line):
            out.append(line)
            continue
        zh = _is_zh(line)
        sentences = _split_keep(line.rstrip("\n"), "。！？" if zh else ".!?")
        kept = []
        for sentence in sentences:
            if not _PROMISE.search(sentence):
                kept.append(sentence)
                continue
            end = re.search(r"[。！？.!?]\s*$", sentence)
            stop = end.group(0).strip() if end else ("。" if zh else ".")
            body = sentence[:end.start()] if end else sentence
            clauses = [c for c in re.split("[；;]" if zh else ";", body)]
            good = []
            for c in clauses:
                if not _PROMISE.search(c):
                    good.append(c)
                elif zh:
                    sub = [s for s in c.split("，") if not _PROMISE.search(s)]
                    if sub:
                        good.append("，".join(sub))
            dropped += 1
            if any(g.strip() for g in good):
                kept.append(("；" if zh else ";").join(g for g in good if g.strip()).rstrip() + stop)
            lead = " " if not zh and kept and not kept[-1].endswith(" ") else ""
            kept.append(lead + _PROMISE_REPLACEMENT["zh" if zh else "en"])
        # one replacement sentence per line is enough
        text, seen = "", False
        for piece in kept:
            if piece.strip() in _PROMISE_REPLACEMENT.values():
                if seen:
                    continue
                seen = True
            text += piece
        out.append(re.sub(r"  +", " ", text).strip(" ") + ("\n" if line.endswith("\n") else ""))
    return "".join(out), dropped


def _reference_solution_cell(source, grade_id):
    import nbformat

    body = "\n".join(line for line in source.splitlines() if line.strip() not in (BEGIN, END))
    return nbformat.v4.new_markdown_cell(
        '<details class="solution">\n<summary>Reference solution · 参考解答</summary>\n\n```python\n'
        + body + "\n```\n\n</details>", metadata={"lstm_course": {"reference_solution": grade_id}})


def _generated(kind, extra=None):
    return {"lstm_course": {"generated": kind}, **(extra or {})}


def student_notebook(nb, lang="both", name="notebook", answers="remove", project=None, docdir="notebooks",
                     nbgrader=False):
    """The student version of an instructor notebook (a new nbformat NotebookNode; ``nb`` is not modified).

    - solution regions -> stubs raising NotImplementedError; outputs and execution counts cleared; metadata kept;
    - every conceptual question (a markdown cell with a ``<details class="solution">`` model answer, or metadata
      ``lstm_course.question: true``) is followed by an **answer cell**: a markdown cell nbgrader grades by hand
      (:func:`answer_metadata`, grade id ``chNN-exN-M-answer``, ``lstm_course.points`` of the question or 1 point);
    - ``answers="remove"``: model answers removed, and the sentences of the exercises section that promise one are
      replaced by one pointing to the answer cells; ``answers="collapse"`` (self-learners, never a graded release):
      each model answer stays, collapsed, in a cell after the answer cell, and each reference solution likewise after
      its check cell;
    - MyST made plain: citations -> linked author-year text and a reference list at the end, ``{doc}`` -> links
      (chapters: to the student version beside it; pages: to the repository), ``{ref}``/``{numref}``/``{term}`` ->
      text, figure captions of the cell metadata -> a visible cell below the figure;
    - prose reduced to ``lang``.

    ``nbgrader=True`` writes the *instructor* source for nbgrader instead: solutions kept, and each question's model
    answer moved into its answer cell (which ``nbgrader generate_assignment`` empties in the release).
    Returns ``(notebook, stats)``.
    """
    import nbformat

    if lang not in LANGS:
        raise _err(f"lang must be one of {LANGS}, got {lang!r}", f"lang 必须是 {LANGS} 之一，实际为 {lang!r}")
    if answers not in ANSWERS:
        raise _err(f"answers must be one of {ANSWERS}, got {answers!r}", f"answers 必须是 {ANSWERS} 之一，实际为 {answers!r}")
    if nbgrader and answers != "remove":
        raise _err("an nbgrader source is a graded release: it cannot keep collapsed model answers",
                   "nbgrader 源文件用于评分发放，不能保留折叠的参考答案")
    if project is None:
        from pathlib import Path
        project = find_project(Path.cwd())
    nb = nbformat.from_dict(copy.deepcopy(dict(nb)))
    ctx = {"project": project, "labels": _notebook_labels(nb), "cited": [], "docdir": docdir}
    prefix = _chapter_prefix(nb, name)
    stats = {"solutions": 0, "model_answers": 0, "questions": 0, "captions": 0, "promises": 0}
    exercises_from = next((n for n, c in enumerate(nb.cells) if c.cell_type == "markdown"
                           and re.search(r"^##\s+(Exercises|练习)\b", c.source, re.M)), len(nb.cells))
    cells, figure, pending, grade_ids = [], 0, None, set()

    def convert(source, label):
        try:
            return filter_language(myst_to_markdown(source, ctx), lang)
        except HomeworkError as err:
            raise _err(f"{label}: {err.en}", f"{label}：{err.zh}") from None

    for n, cell in enumerate(nb.cells):
        label = f"{name}, cell {n}"
        if cell.cell_type == "code":
            meta = cell.metadata.get("nbgrader", {})
            if pending is not None and not meta.get("grade"):
                cells.append(pending)
                pending = None
            if _is_solution(cell):
                grade_id = meta.get("grade_id", label)
                if answers == "collapse":
                    pending = _reference_solution_cell(cell.source, grade_id)
                    pending.metadata = _generated("reference-solution")
                if not nbgrader:
                    try:
                        cell.source = stub_solution_code(cell.source, grade_id)
                    except HomeworkError as err:
                        raise _err(f"{label}: {err.en}", f"{label}：{err.zh}") from None
                stats["solutions"] += 1
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
            cells.append(cell)
            if meta.get("grade") and pending is not None:
                cells.append(pending)
                pending = None
            fig = (cell.metadata.get("mystnb") or {}).get("figure") or {}
            if fig.get("caption"):
                figure += 1
                caption = _caption_cell(fig, figure)
                caption.source = convert(caption.source, label)
                caption.metadata = _generated("caption")
                cells.append(caption)
                stats["captions"] += 1
            continue
        if cell.cell_type != "markdown":
            cells.append(cell)
            continue
        if pending is not None:
            cells.append(pending)
            pending = None
        source = cell.source
        question = _is_question(cell)
        model = _model_answers(source)
        if _is_solution(cell) and not nbgrader:
            source = _stub_markdown(source)
            stats["solutions"] += 1
        try:
            removed = remove_model_answers(source)
        except HomeworkError as err:
            raise _err(f"{label}: {err.en}", f"{label}：{err.zh}") from None
        stats["model_answers"] += len(model)
        if answers == "remove" and n >= exercises_from:
            removed, k = drop_promises(removed)
            stats["promises"] += k
        cell.source = convert(removed, label)
        cells.append(cell)
        if question:
            stats["questions"] += 1
            number = _EXERCISE_HEADING.search(source)
            grade_id = (f"{prefix}-ex{number.group(1).replace('.', '-')}-answer" if number
                        else f"{prefix}-question-{stats['questions']}-answer")
            if grade_id in grade_ids:
                grade_id = f"{grade_id}-{stats['questions']}"
            grade_ids.add(grade_id)
            points = cell.metadata.get("lstm_course", {}).get("points", QUESTION_POINTS)
            text = ("\n\n".join(convert(a, label) for a in model) if nbgrader and model else ANSWER_STUB[lang])
            cells.append(nbformat.v4.new_markdown_cell(
                text, metadata=answer_metadata(grade_id, points) | _generated("answer")))
            if answers == "collapse" and model:
                block = ('<details class="solution">\n<summary>Model answer · 参考答案</summary>\n\n'
                         + "\n\n".join(model) + "\n\n</details>")
                cells.append(nbformat.v4.new_markdown_cell(convert(block, label),
                                                           metadata=_generated("model-answer")))
    if pending is not None:
        cells.append(pending)
    if ctx["cited"]:
        refs = _references_cell(ctx["cited"], project)
        refs.source = filter_language(refs.source, lang)
        refs.metadata = _generated("references")
        cells.append(refs)
    stats["citations"] = len(ctx["cited"])
    nb.cells = cells
    nb.metadata.setdefault("lstm_course", {})
    nb.metadata["lstm_course"] = {**nb.metadata["lstm_course"], "student_version": not nbgrader, "lang": lang,
                                  "answers": "nbgrader-source" if nbgrader else answers}
    return nb, stats


def write_student_versions(paths, out_dir, lang="both", answers="remove", nbgrader=False):
    """Write the student version of each notebook in ``paths`` into ``out_dir`` (same file names).

    Validates everything before writing anything; raises :class:`HomeworkError` with a bilingual message.
    Returns a list of ``(output_path, stats)``.
    """
    from pathlib import Path

    import nbformat

    if lang not in LANGS:
        raise _err(f"--lang must be one of en, zh, both; got {lang!r}", f"--lang 必须是 en、zh、both 之一，实际为 {lang!r}")
    if not paths:
        raise _err("no notebook given", "没有给出笔记本")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise _err(f"--out {out_dir} exists and is not a directory", f"--out {out_dir} 已存在且不是目录")
    notebooks, seen = [], {}
    for p in map(Path, paths):
        if not p.exists():
            raise _err(f"notebook not found: {p}", f"找不到笔记本：{p}")
        if not p.is_file():
            raise _err(f"not a file: {p}", f"不是文件：{p}")
        if p.suffix != ".ipynb":
            raise _err(f"expected a .ipynb notebook, got {p}", f"应为 .ipynb 笔记本，实际为 {p}")
        target = out_dir / p.name
        if target.resolve() == p.resolve():
            raise _err(f"{target} would overwrite the instructor notebook {p}; choose another --out",
                       f"{target} 会覆盖教师版笔记本 {p}；请换一个 --out 目录")
        if p.name in seen:
            raise _err(f"two notebooks named {p.name}: {seen[p.name]} and {p}",
                       f"有两个同名笔记本 {p.name}：{seen[p.name]} 与 {p}")
        seen[p.name] = p
        try:
            nb = nbformat.read(p, as_version=4)
        except Exception as err:  # JSON or schema errors, in nbformat's words, wrapped in ours
            raise _err(f"cannot read {p} as a Jupyter notebook ({type(err).__name__}: {err})",
                       f"无法将 {p} 读取为 Jupyter 笔记本（{type(err).__name__}：{err}）") from None
        project = find_project(p.parent)
        try:
            docdir = p.resolve().parent.relative_to(project.root).as_posix() if project.root else "notebooks"
        except ValueError:
            docdir = "notebooks"
        notebooks.append((p, target, *student_notebook(nb, lang, name=p.name, answers=answers, project=project,
                                                       docdir=docdir, nbgrader=nbgrader)))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for p, target, nb, stats in notebooks:
        nbformat.write(nb, target)
        written.append((target, stats))
    return written


def main(argv=None):
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m lstm_lib.homework",
        description="Write student versions of course notebooks: solutions replaced by stubs, an answer cell after "
                    "each question, model answers removed, citations and cross-references made plain Markdown, "
                    "captions shown, outputs cleared, checks and nbgrader metadata kept. / 生成学生版笔记本：答案换成"
                    "待填写的桩代码，每道思考题后加一个答案单元格，删去参考答案，引用与交叉引用改为普通 Markdown，显示图注，"
                    "清空输出，保留检查单元格与 nbgrader 元数据。")
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="instructor notebooks (.ipynb) / 教师版笔记本")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory / 输出目录")
    parser.add_argument("--lang", default="both", choices=LANGS,
                        help="prose language to keep (code is unchanged) / 保留的文字语言（代码不变）")
    parser.add_argument("--answers", default="remove", choices=ANSWERS,
                        help="remove (default; for homework) or collapse (self-learners: model answers and reference "
                             "solutions kept, collapsed, after the answer cells) / remove（默认，用于作业）或 collapse"
                             "（自学：参考答案与参考解答折叠保留在答案单元格之后）")
    parser.add_argument("--nbgrader", action="store_true",
                        help="write nbgrader source notebooks (solutions kept, model answers in the answer cells) / "
                             "生成 nbgrader 源笔记本（保留答案，参考答案放进答案单元格）")
    args = parser.parse_args(argv)
    try:
        written = write_student_versions(args.notebooks, args.out, args.lang, args.answers, args.nbgrader)
    except HomeworkError as err:
        print(f"error / 错误: {err}", file=sys.stderr)
        return 2
    for target, stats in written:
        print(f"wrote {target}: {stats['solutions']} solution(s) stubbed, {stats['questions']} answer cell(s), "
              f"{stats['model_answers']} model answer(s) removed, {stats['citations']} reference(s) / "
              f"已写入 {target}：{stats['solutions']} 处答案换成桩代码，{stats['questions']} 个答案单元格，"
              f"删去 {stats['model_answers']} 个参考答案，{stats['citations']} 条参考文献")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
