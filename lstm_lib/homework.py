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

    python -m lstm_lib.homework --out DIR [--lang en|zh|both] NOTEBOOK...

writes one student notebook per input into DIR: solution regions replaced by a stub raising ``NotImplementedError``,
model answers removed, outputs cleared, check cells and nbgrader metadata kept, prose reduced to one language on request.
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
_TAG = re.compile(r"<(/?)(details|div)\b([^>]*)>", re.IGNORECASE)
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
    return [f"{indent}{STUB_COMMENT}",
            f'{indent}raise NotImplementedError("exercise {label}: replace this line with your code / '
            f'练习 {label}：用你的代码替换这一行")']


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


def student_notebook(nb, lang="both", name="notebook"):
    """The student version of an instructor notebook (a new nbformat NotebookNode; ``nb`` is not modified).

    Solution regions -> stubs raising NotImplementedError; ``<details class="solution">`` removed; outputs and
    execution counts cleared; metadata (nbgrader, tags) kept; markdown prose reduced to ``lang``.
    Returns ``(notebook, stats)`` with ``stats = {"solutions": n, "model_answers": m}``.
    """
    import nbformat

    if lang not in LANGS:
        raise _err(f"lang must be one of {LANGS}, got {lang!r}", f"lang 必须是 {LANGS} 之一，实际为 {lang!r}")
    nb = nbformat.from_dict(copy.deepcopy(dict(nb)))
    stats = {"solutions": 0, "model_answers": 0}
    for n, cell in enumerate(nb.cells):
        label = f"{name}, cell {n}"
        if cell.cell_type == "code":
            if _is_solution(cell):
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", label)
                try:
                    cell.source = stub_solution_code(cell.source, grade_id)
                except HomeworkError as err:
                    raise _err(f"{label}: {err.en}", f"{label}：{err.zh}") from None
                stats["solutions"] += 1
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
        elif cell.cell_type == "markdown":
            source = cell.source
            if _is_solution(cell):
                source = _stub_markdown(source)
                stats["solutions"] += 1
            before = source.count("<details")
            try:
                source = remove_model_answers(source)
                stats["model_answers"] += before - source.count("<details")
                source = filter_language(source, lang)
            except HomeworkError as err:
                raise _err(f"{label}: {err.en}", f"{label}：{err.zh}") from None
            cell.source = source
    nb.metadata.setdefault("lstm_course", {})
    nb.metadata["lstm_course"] = {**nb.metadata["lstm_course"], "student_version": True, "lang": lang}
    return nb, stats


def write_student_versions(paths, out_dir, lang="both"):
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
        notebooks.append((p, target, *student_notebook(nb, lang, name=p.name)))
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
        description="Write student versions of course notebooks: solutions replaced by stubs, model answers removed, "
                    "outputs cleared, checks and nbgrader metadata kept. / 生成学生版笔记本：答案换成待填写的桩代码，"
                    "删去参考答案，清空输出，保留检查单元与 nbgrader 元数据。")
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="instructor notebooks (.ipynb) / 教师版笔记本")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory / 输出目录")
    parser.add_argument("--lang", default="both", choices=LANGS,
                        help="prose language to keep (code is unchanged) / 保留的文字语言（代码不变）")
    args = parser.parse_args(argv)
    try:
        written = write_student_versions(args.notebooks, args.out, args.lang)
    except HomeworkError as err:
        print(f"error / 错误: {err}", file=sys.stderr)
        return 2
    for target, stats in written:
        print(f"wrote {target}: {stats['solutions']} solution(s) stubbed, {stats['model_answers']} model answer(s) "
              f"removed / 已写入 {target}：{stats['solutions']} 处答案换成桩代码，删去 {stats['model_answers']} 个参考答案")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
