"""The exercise format, the student-version generator (python -m lstm_lib.homework) and the no-solutions book build.

The generator is tested on a small sample notebook built here (so the tests mean something before any chapter exists)
and on every notebook in notebooks/: each student version keeps the instructor's code up to its first exercise, which
is a stub; the cheap chapters are run and must stop there with NotImplementedError, never earlier.
"""
import html
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from lstm_lib import homework
from lstm_lib.homework import check_metadata, solution_metadata

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Chapters whose student version is executed up to its first exercise (seconds each); the others are checked by
# the identity of their code with the instructor version, which nbval runs (test_chapter_student_version).
RUN_AS_A_STUDENT = ("01_recurrent_neural_networks.ipynb", "A1_explorers.ipynb", "B1_lstm_backward.ipynb",
                    "D1_history.ipynb")

# ------------------------------------------------------------------------------------------------ the sample notebook
SOLUTION_LINE = "return np.tanh(np.concatenate([h_prev, x_t], axis=1) @ W + b)"
SOLUTION_CODE = f'''\
import numpy as np


def rnn_step(x_t, h_prev, W, b):
    """One RNN step: h_t = tanh([h_prev, x_t] @ W + b)."""
    # BEGIN SOLUTION
    {SOLUTION_LINE}
    # END SOLUTION
'''
CLIP_CODE = '''\
def clip_by_global_norm(grads, max_norm):
    """Scale all gradients by one factor so that their global norm is at most max_norm."""
    # BEGIN SOLUTION
    total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    scale = max_norm / total if total > max_norm else 1.0
    clipped = {k: g * scale for k, g in grads.items()}
    # END SOLUTION
    return clipped, total
'''
MODEL_ANSWER_EN = "Because the gradient is multiplied by the same Jacobian at every step."
MODEL_ANSWER_ZH = "因为梯度在每个时间步都乘以同一个雅可比矩阵。"


def bi(en, zh):
    return f'<div class="lang-en">\n\n{en}\n\n</div>\n<div class="lang-zh">\n\n{zh}\n\n</div>'


def sample_notebook():
    """A miniature chapter in the course's exercise format, with stored outputs."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    question = bi("Why does the gradient vanish over many steps?", "为什么梯度会在许多时间步之后消失？")
    cells = [
        md("# 1 Recurrent neural networks · 循环神经网络\n\n" + bi("A network with a loop.", "一个带有环路的网络。")),
        code("import numpy as np\nimport lstm_lib\nprint('ready')"),
        md("## 1.2 Unrolling the loop · 展开循环\n\n" + bi("Unrolled, it is a deep network.", "展开后，它是一个很深的网络。")
           + "\n\n$$h_t = \\tanh(W\\cdot[h_{t-1}, x_t] + b)$$"),
        code("x = np.ones(3)\nx.sum()"),
        md("## Exercises · 练习"),
        md("### Exercise 1 · 练习 1\n\n" + question + "\n\n"
           '<details class="solution">\n<summary>Model answer · 参考答案</summary>\n\n'
           + bi(MODEL_ANSWER_EN, MODEL_ANSWER_ZH) + "\n\n</details>"),
        md("### Exercise 2 · 练习 2\n\n" + bi("Write `rnn_step`.", "编写 `rnn_step`。")),
        code(SOLUTION_CODE, metadata=solution_metadata("rnn_step")),
        code("assert lstm_lib.check.rnn_step(rnn_step)", metadata=check_metadata("rnn_step-check", 2)),
        md("### Exercise 3 · 练习 3\n\n" + bi("Write `clip_by_global_norm`.", "编写 `clip_by_global_norm`。")),
        code(CLIP_CODE, metadata=solution_metadata("clip_by_global_norm")),
        code("assert lstm_lib.check.clip_by_global_norm(clip_by_global_norm)",
             metadata=check_metadata("clip_by_global_norm-check", 1)),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def run(nb, cwd):
    """Execute ``nb`` in ``cwd``; returns (executed notebook, index of the failing cell or None, exception)."""
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    try:
        client.execute()
        return nb, None, None
    except CellExecutionError as err:
        failing = next(i for i, c in enumerate(nb.cells)
                       if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", [])))
        return nb, failing, err


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    d = tmp_path_factory.mktemp("instructor")
    nb = sample_notebook()
    executed, failing, err = run(nbformat.from_dict(json.loads(json.dumps(nb))), d)
    assert failing is None, f"the instructor sample must run clean: {err}"
    path = d / "01_sample.ipynb"
    nbformat.write(executed, path)
    return path


def student(path, lang, tmp_path):
    out = tmp_path / f"student-{lang}"
    homework.write_student_versions([path], out, lang)
    return nbformat.read(out / path.name, as_version=4)


def markdown(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


# ---------------------------------------------------------------------------------------------------------- metadata
def test_metadata_helpers_give_the_fixed_format():
    assert solution_metadata("rnn_step") == {
        "nbgrader": {"schema_version": 3, "grade": False, "solution": True, "locked": False,
                     "grade_id": "rnn_step", "points": 0, "task": False},
        "tags": ["solution"]}
    assert check_metadata("rnn_step-check", 2) == {
        "nbgrader": {"schema_version": 3, "grade": True, "solution": False, "locked": True,
                     "grade_id": "rnn_step-check", "points": 2, "task": False},
        "tags": ["check"]}


@pytest.mark.parametrize("bad", ["", "rnn step", "rnn.step", "练习1", None, 3])
def test_metadata_rejects_ids_nbgrader_would_reject(bad):
    with pytest.raises(ValueError, match="grade_id.*nbgrader.*/.*grade_id"):
        solution_metadata(bad)


def test_check_metadata_rejects_negative_points():
    with pytest.raises(ValueError, match="points.*/.*points"):
        check_metadata("x-check", -1)


# ------------------------------------------------------------------------------------------------------------ stubs
def test_stub_keeps_signature_docstring_and_trailing_lines():
    stub = homework.stub_solution_code(CLIP_CODE, "clip")
    assert "BEGIN SOLUTION" not in stub and "END SOLUTION" not in stub
    assert "total = float" not in stub and "scale =" not in stub
    lines = stub.splitlines()
    assert lines[0] == "def clip_by_global_norm(grads, max_norm):"
    assert lines[1].strip().startswith('"""Scale all gradients')
    assert lines[2] == "    # your code here / 在此处写代码"
    assert lines[3] == '    raise NotImplementedError("clip_by_global_norm: not written yet / 尚未完成")'
    assert "在此处写代码" in stub
    assert lines[-1] == "    return clipped, total"
    compile(stub, "<stub>", "exec")


@pytest.mark.parametrize("src, words", [
    ("def f():\n    # BEGIN SOLUTION\n    return 1\n", ("without '# END SOLUTION'", "没有")),
    ("def f():\n    return 1\n    # END SOLUTION\n", ("without '# BEGIN SOLUTION'", "却没有")),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n", ("nested", "嵌套")),
])
def test_stub_rejects_unbalanced_markers(src, words):
    with pytest.raises(homework.HomeworkError) as info:
        homework.stub_solution_code(src, "ex")
    for w in words:
        assert w in str(info.value)


def test_cell_without_markers_is_replaced_entirely_like_nbgrader():
    stub = homework.stub_solution_code("x = 42\n", "answer")
    assert "42" not in stub and "NotImplementedError" in stub


# ---------------------------------------------------------------------------------------------- student notebooks
def test_student_version_removes_solutions_and_keeps_checks(sample, tmp_path):
    original = nbformat.read(sample, as_version=4)
    nb = student(sample, "both", tmp_path)
    text = json.dumps(nb, ensure_ascii=False)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert SOLUTION_LINE not in text and "scale = max_norm" not in text
    assert MODEL_ANSWER_EN not in text and MODEL_ANSWER_ZH not in text
    assert 'class="solution"' not in text and "Model answer" not in text
    kept = _kept(nb)
    assert len(kept) == len(original.cells)
    for before, after in zip(original.cells, kept):
        assert after.cell_type == before.cell_type
        assert after.metadata.get("nbgrader") == before.metadata.get("nbgrader")      # metadata intact
        assert after.metadata.get("tags") == before.metadata.get("tags")
        if after.cell_type == "code":
            assert after.outputs == [] and after.execution_count is None
            if "check" in after.metadata.get("tags", []):
                assert after.source == before.source                                 # checks kept verbatim
            elif "solution" in after.metadata.get("tags", []):
                assert after.source.count("raise NotImplementedError(") == 1
                assert "# your code here / 在此处写代码" in after.source
                assert after.source.splitlines()[:4] == before.source.splitlines()[:4] or \
                    after.source.splitlines()[0] == before.source.splitlines()[0]
            else:
                assert after.source == before.source
    assert any(c.outputs for c in original.cells if c.cell_type == "code")          # the test would notice outputs
    assert "Why does the gradient vanish" in text and "为什么梯度会" in text           # questions stay
    assert nb.metadata["lstm_course"] == {"student_version": True, "lang": "both", "answers": "remove"}
    # the question got an answer cell right after it, which nbgrader grades by hand
    q = next(i for i, c in enumerate(nb.cells) if "Why does the gradient vanish" in c.source)
    answer = nb.cells[q + 1]
    assert answer.cell_type == "markdown" and answer.source == homework.MARKDOWN_STUB
    assert answer.metadata["nbgrader"] == {"schema_version": 3, "grade": True, "solution": True, "locked": False,
                                           "grade_id": "ch01-ex1-answer", "points": 1, "task": False}


def test_lang_en_keeps_english_prose_only(sample, tmp_path):
    nb, original = student(sample, "en", tmp_path), nbformat.read(sample, as_version=4)
    md = markdown(nb)
    assert "lang-zh" not in md and "lang-en" not in md                                # dropped / unwrapped
    assert not re.search(r"[\u4e00-\u9fff]", md), md                                  # no Chinese prose left
    assert "A network with a loop." in md and "Why does the gradient vanish" in md
    assert "# 1 Recurrent neural networks\n" in md and "## 1.2 Unrolling the loop\n" in md
    assert re.search(r"^## Exercises$", md, re.M) and "### Exercise 3\n" in md
    assert "$$h_t = \\tanh(W\\cdot[h_{t-1}, x_t] + b)$$" in md                       # shared equations kept
    codes = [c.source for c in nb.cells if c.cell_type == "code" and "solution" not in c.metadata.get("tags", [])]
    assert codes == [c.source for c in original.cells
                     if c.cell_type == "code" and "solution" not in c.metadata.get("tags", [])]


def test_lang_zh_keeps_chinese_prose_only(sample, tmp_path):
    md = markdown(student(sample, "zh", tmp_path))
    assert "lang-en" not in md and "lang-zh" not in md
    assert "A network with a loop" not in md and "Unrolling" not in md and "Exercises" not in md
    assert "一个带有环路的网络。" in md and "为什么梯度会在许多时间步之后消失？" in md
    assert "# 1 循环神经网络\n" in md and "## 1.2 展开循环\n" in md
    assert re.search(r"^## 练习$", md, re.M) and "### 练习 2\n" in md
    assert "$$h_t" in md


def test_lang_both_keeps_both_languages(sample, tmp_path):
    md = markdown(student(sample, "both", tmp_path))
    assert md.count('<div class="lang-en">') == md.count('<div class="lang-zh">') == 5   # 6 in the original, minus the model answer
    assert "## 1.2 Unrolling the loop · 展开循环" in md


def test_filter_language_ignores_code_fences_and_nested_divs():
    text = ('<div class="lang-en">\n\nKeep <div class="note">inner</div> this.\n\n</div>\n'
            '<div class="lang-zh">\n\n保留<div class="note">内</div>。\n\n</div>\n\n'
            '```html\n<div class="lang-zh">\n\nshown as code\n\n</div>\n```')
    en = homework.filter_language(text, "en")
    assert "Keep <div class=\"note\">inner</div> this." in en and "保留" not in en and "内</div>" not in en
    assert '```html\n<div class="lang-zh">\n\nshown as code\n\n</div>\n```' in en


def test_unclosed_div_is_reported_not_swallowed():
    with pytest.raises(homework.HomeworkError, match="never closed.*/.*没有闭合"):
        homework.filter_language('<div class="lang-zh">\n\n中文', "en")


def test_student_notebook_runs_until_the_first_exercise(sample, tmp_path):
    nb = student(sample, "both", tmp_path)
    _assert_stops_at_first_exercise(nb, tmp_path / "student-both", "sample")


def test_instructor_sample_checks_pass(sample):
    nb = nbformat.read(sample, as_version=4)
    outputs = [o.get("text", "") for c in nb.cells if "check" in c.metadata.get("tags", []) for o in c.outputs]
    assert any("✓ rnn_step passed" in t for t in outputs) and any("✓ clip_by_global_norm passed" in t for t in outputs)


def _kept(nb):
    """The cells of a student version that come from the instructor's notebook (not generated by homework.py)."""
    return [c for c in nb.cells if "generated" not in c.metadata.get("lstm_course", {})]


def _is_exercise(cell):
    return bool({"solution", "check"} & set(cell.metadata.get("tags", [])))


def _assert_stops_at_first_exercise(nb, cwd, name):
    exercise = [i for i, c in enumerate(nb.cells) if _is_exercise(c)]
    executed, failing, err = run(nb, cwd)
    if not exercise:
        assert failing is None, f"{name}: a notebook without exercises must run clean: {err}"
        return
    first_solution = exercise[0]
    first_check = next(i for i in exercise if "check" in nb.cells[i].metadata.get("tags", []))
    assert failing is not None, f"{name}: the student version ran to the end; its first exercise did not stop it"
    error = next(o for o in executed.cells[failing].outputs if o.get("output_type") == "error")
    assert error["ename"] == "NotImplementedError", \
        f"{name}: stopped in cell {failing} with {error['ename']}: {error['evalue']} (expected NotImplementedError)"
    assert first_solution <= failing <= first_check, \
        f"{name}: stopped in cell {failing}, expected the first exercise (cells {first_solution}..{first_check})"
    for i, cell in enumerate(executed.cells[:failing]):
        if cell.cell_type == "code" and cell.source.strip():
            assert cell.execution_count is not None, f"{name}: cell {i} before the first exercise did not run"


# ------------------------------------------------------------------------------------ every notebook of the book
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_chapter_student_version(chapter, tmp_path):
    original = nbformat.read(chapter, as_version=4)
    for lang in ("both", "zh", "en"):
        out = tmp_path / lang
        homework.write_student_versions([chapter], out, lang)
        nb = nbformat.read(out / chapter.name, as_version=4)
        text = json.dumps(nb, ensure_ascii=False)
        assert "BEGIN SOLUTION" not in text and 'class="solution"' not in text
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
        for before, after in zip(original.cells, _kept(nb)):
            assert after.metadata.get("nbgrader") == before.metadata.get("nbgrader")
        other = {"en": "lang-zh", "zh": "lang-en"}.get(lang)
        if other:
            assert other not in markdown(nb)
    zh = nbformat.read(tmp_path / "zh" / chapter.name, as_version=4)
    # Up to its first exercise a student version runs the instructor's code cells unchanged (the generator adds
    # markdown only: answer cells, captions, references) -- and nbval runs those. So every chapter is checked for
    # that identity, and the cheap ones are also run, in the Chinese version (the one furthest from the original),
    # in a directory of their own as a student would; re-running the expensive ones (chapter 2's experiments take
    # 50 s) would only repeat nbval.
    student_code = [c for c in _kept(zh) if c.cell_type == "code"]
    instructor_code = [c for c in original.cells if c.cell_type == "code"]
    assert len(student_code) == len(instructor_code), chapter.name
    first = next((i for i, c in enumerate(instructor_code) if _is_exercise(c)), len(instructor_code))
    assert [c.source for c in student_code[:first]] == [c.source for c in instructor_code[:first]], \
        f"{chapter.name}: the student version changed code before its first exercise"
    if first < len(instructor_code) and "solution" in instructor_code[first].metadata.get("tags", []):
        assert "NotImplementedError" in student_code[first].source, f"{chapter.name}: its first exercise is no stub"
    if chapter.name in RUN_AS_A_STUDENT:
        _assert_stops_at_first_exercise(zh, tmp_path / "zh", chapter.name)


def test_chapters_solutions_use_the_format():
    for chapter in CHAPTERS:
        nb = nbformat.read(chapter, as_version=4)
        for i, cell in enumerate(nb.cells):
            meta = cell.metadata.get("nbgrader")
            if meta and meta.get("solution"):
                assert cell.metadata == solution_metadata(meta["grade_id"]) | {
                    k: v for k, v in cell.metadata.items() if k not in ("nbgrader", "tags")}, (chapter.name, i)
                assert "# BEGIN SOLUTION" in cell.source and "# END SOLUTION" in cell.source, (chapter.name, i)
                following = nb.cells[i + 1]
                assert following.metadata.get("nbgrader", {}).get("grade_id") == meta["grade_id"] + "-check"
                assert following.metadata["nbgrader"]["grade"] is True and "assert" in following.source


# ---------------------------------------------------------------------------------------------- command line
def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "lstm_lib.homework", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_cli_writes_student_versions(sample, tmp_path):
    result = cli("--out", tmp_path / "out", "--lang", "zh", sample)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "已写入" in result.stdout and "2 solution(s)" in result.stdout
    assert "1 answer cell(s)" in result.stdout
    nb = nbformat.read(tmp_path / "out" / sample.name, as_version=4)
    assert "lang-en" not in markdown(nb)


@pytest.mark.parametrize("case, words", [
    ("missing", ("notebook not found", "找不到笔记本")),
    ("not_ipynb", ("expected a .ipynb notebook", "应为 .ipynb 笔记本")),
    ("bad_json", ("cannot read", "无法将")),
    ("overwrite", ("would overwrite the instructor notebook", "会覆盖教师版笔记本")),
    ("unbalanced", ("without '# END SOLUTION'", "却没有")),
])
def test_cli_reports_bad_input_in_both_languages(case, words, sample, tmp_path):
    target, out = tmp_path / "in.ipynb", tmp_path / "out"
    if case == "missing":
        target = tmp_path / "nope.ipynb"
    elif case == "not_ipynb":
        target = tmp_path / "in.md"
        target.write_text("# hi")
    elif case == "bad_json":
        target.write_text("{not json")
    elif case == "overwrite":
        target, out = sample, sample.parent
    elif case == "unbalanced":
        nb = sample_notebook()
        nb.cells[7].source = nb.cells[7].source.replace("    # END SOLUTION\n", "")
        nbformat.write(nb, target)
    result = cli("--out", out, target)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for w in words:
        assert w in result.stderr, result.stderr
    assert not (tmp_path / "out").exists() or case == "overwrite"       # nothing written on error


def test_cli_rejects_unknown_language(sample, tmp_path):
    result = cli("--out", tmp_path, "--lang", "fr", sample)
    assert result.returncode == 2 and "invalid choice" in result.stderr


# ------------------------------------------------------------------------------------- the no-solutions book build
BOOK_CONF = textwrap.dedent(f"""\
    import sys
    sys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})
    project = "tiny"
    extensions = ["myst_nb", "solutions"]
    nb_execution_mode = "off"
    myst_enable_extensions = ["dollarmath"]
    html_theme = "basic"
    exclude_patterns = ["_build"]
""")


def build_book(src, out, no_solutions):
    env = {k: v for k, v in os.environ.items() if k != "LSTM_BOOK_NO_SOLUTIONS"}
    if no_solutions:
        env["LSTM_BOOK_NO_SOLUTIONS"] = "1"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(src), str(out)],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    raw = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in Path(out).rglob("*") if p.is_file())
    # highlighted code is split into <span>s: search the text without tags too
    return raw + "\n" + html.unescape(re.sub(r"<[^>]+>", "", raw))


@pytest.fixture(scope="module")
def tiny_book(sample, tmp_path_factory):
    src = tmp_path_factory.mktemp("book")
    (src / "conf.py").write_text(BOOK_CONF)
    (src / "index.md").write_text(
        "# Tiny book\n\n```{toctree}\nchapter\npage\n```\n", encoding="utf-8")
    nb = nbformat.read(sample, as_version=4)
    nb.cells[7].outputs = [nbformat.v4.new_output("stream", name="stdout", text="SOLUTION_CELL_OUTPUT\n")]
    nbformat.write(nb, src / "chapter.ipynb")
    (src / "page.md").write_text(
        "# A page\n\nBefore.\n\n" '<details class="solution">\n<summary>Model answer · 参考答案</summary>\n\n'
        + bi("PAGE_ANSWER_EN", "PAGE_ANSWER_ZH") + "\n\n</details>\n\nAfter the answer.\n", encoding="utf-8")
    with_solutions = build_book(src, src / "_build" / "with", no_solutions=False)
    without = build_book(src, src / "_build" / "without", no_solutions=True)
    return with_solutions, without


SECRETS = (SOLUTION_LINE, "scale = max_norm", MODEL_ANSWER_EN, MODEL_ANSWER_ZH, "PAGE_ANSWER_EN", "PAGE_ANSWER_ZH",
           "SOLUTION_CELL_OUTPUT")


def test_book_with_solutions_shows_them_collapsed(tiny_book):
    text, _ = tiny_book
    for secret in SECRETS:
        assert secret in text, secret
    assert "Show solution · 显示参考解答" in text                     # solution code cells folded behind a toggle
    assert '<details class="solution">' in text


def test_book_without_solutions_has_none(tiny_book):
    _, text = tiny_book
    for secret in SECRETS:
        assert secret not in text, secret
    assert "NotImplementedError" in text and "在此处写代码" in text          # the stub is shown instead
    assert "lstm_lib.check.rnn_step(rnn_step)" in text                      # checks stay
    assert "Why does the gradient vanish" in text and "After the answer." in text   # questions and prose stay
    assert 'class="solution"' not in text


# ---------------------------------------------------------------------------------------------- instructor guide
def test_instructor_guide_lists_every_coding_exercise_with_its_points():
    guide = (ROOT / "book" / "instructor-guide.md").read_text(encoding="utf-8")
    for chapter in CHAPTERS:
        nb = nbformat.read(chapter, as_version=4)
        points = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
                  for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution"):
                gid = meta["grade_id"]
                row = next((line for line in guide.splitlines() if line.startswith("|") and f"`{gid}`" in line), None)
                assert row is not None, f"{chapter.name}: exercise {gid} is missing from book/instructor-guide.md"
                assert f"| {points[gid + '-check']:g} |" in row, f"{gid}: points in the guide differ: {row}"


def test_tags_in_inline_code_are_text():
    text = 'Write `<details class="solution">` around it.\n\n<details class="solution">\n\nAnswer.\n\n</details>\n\nEnd.'
    assert homework.remove_model_answers(text) == 'Write `<details class="solution">` around it.\n\nEnd.'


def test_book_config_enables_the_solutions_extension():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    local = (config.get("sphinx") or {}).get("local_extensions") or {}
    assert local.get("solutions") == "book/_ext", \
        "_config.yml must list `solutions: book/_ext` under sphinx: local_extensions (collapsed solutions, and the " \
        "LSTM_BOOK_NO_SOLUTIONS=1 build)"
