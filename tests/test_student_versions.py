"""Issue 10's done-when for every chapter: the student versions python -m lstm_lib.homework writes hold no solution
body, no model-answer text and no sentence promising one, an answer cell (nbgrader, manually graded) after every
question, no raw MyST ({cite}, {doc}, any {role}`…`, (label)= targets, ```{directive}), a visible caption per figure
and a reference list resolving every citation. No kernel runs here (test_homework.py runs the student versions)."""
import json
import re
from pathlib import Path

import nbformat
import pytest

from lstm_lib import homework

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# a role `{name}` + backtick, not a subscript in code such as `h_{t-1}`; a `(label)=` target; a fenced directive
RAW_MYST = re.compile(r"(?<![\w^_\\])\{[A-Za-z][\w:.-]*\}`|^\([^()\s]+\)=\s*$|^\s*(```+|:::+)\{", re.M)


def fragments(markdown_answer):
    """Distinctive pieces of a model answer: the first 40 characters of each paragraph of 40 characters or more."""
    text = re.sub(r"<[^>]+>", "\n", markdown_answer)
    return [p.strip()[:40] for p in re.split(r"\n\s*\n", text) if len(p.strip()) >= 40]


def generated(cell, kind):
    return cell.metadata.get("lstm_course", {}).get("generated") == kind


@pytest.fixture(scope="module", params=CHAPTERS, ids=[p.name for p in CHAPTERS])
def chapter(request, tmp_path_factory):
    path = request.param
    out = tmp_path_factory.mktemp(path.stem)
    versions = {lang: nbformat.read(homework.write_student_versions([path], out / lang, lang)[0][0], as_version=4)
                for lang in ("both", "en", "zh")}
    return path, nbformat.read(path, as_version=4), versions


def solution_leaks(original, nb) -> list[str]:
    """What of the instructor notebook ``original`` a student version ``nb`` still gives away: solution markers, a
    model-answer block, a distinctive piece of a model answer, a line of a reference solution (one the chapter does not
    also show openly). Also used by test_downloads.py on the book's student downloads."""
    answers = [f for c in original.cells if c.cell_type == "markdown" for a in homework._model_answers(c.source)
               for f in fragments(a)]
    solutions = [line.strip() for c in original.cells if homework._is_solution(c)
                 for line in re.search(r"# BEGIN SOLUTION\n(.*?)# END SOLUTION", c.source, re.S).group(1).splitlines()
                 if len(line.strip()) > 12]
    elsewhere = "\n".join(c.source for c in original.cells if not homework._is_solution(c))
    solutions = [line for line in solutions if line not in elsewhere]      # lines the chapter also shows openly
    text = json.dumps(nb, ensure_ascii=False)
    leaks = [marker for marker in ("BEGIN SOLUTION", 'class="solution"') if marker in text]
    leaks += [f"model answer text left: {piece!r}" for piece in answers if piece in text]
    leaks += [f"solution line left: {line!r}" for line in solutions if line in text]
    return leaks


def test_no_solution_and_no_model_answer(chapter):
    path, original, versions = chapter
    for lang, nb in versions.items():
        leaks = solution_leaks(original, nb)
        assert not leaks, f"{path.name} ({lang}): " + "; ".join(leaks[:5])


def test_leak_check_catches_the_instructor_notebook(chapter):
    """Negative control: the instructor notebook itself leaks (every chapter has a solution or a model answer)."""
    path, original, versions = chapter
    has_exercise = any(homework._is_solution(c) or homework._model_answers(c.source) for c in original.cells
                       if c.cell_type in ("code", "markdown"))
    if not has_exercise:
        pytest.skip(f"{path.name} has no exercise")
    assert solution_leaks(original, original)


def test_an_answer_cell_after_every_question(chapter):
    path, original, versions = chapter
    questions = [c for c in original.cells if homework._is_question(c)]
    headings = [re.search(r"^###.*$", c.source, re.M).group(0) for c in questions]
    for lang, nb in versions.items():
        answers = [i for i, c in enumerate(nb.cells) if generated(c, "answer")]
        assert len(answers) == len(questions), (path.name, lang)
        ids = set()
        for i in answers:
            cell, question = nb.cells[i], nb.cells[i - 1]
            meta = cell.metadata["nbgrader"]
            assert cell.cell_type == "markdown" and meta["solution"] and meta["grade"] and meta["points"] > 0
            assert re.match(r"^[A-Za-z0-9_-]+$", meta["grade_id"]) and meta["grade_id"] not in ids
            ids.add(meta["grade_id"])
            assert question.cell_type == "markdown" and homework._EXERCISE_HEADING.search(question.source)
        if lang == "both":
            assert [re.search(r"^###.*$", nb.cells[i - 1].source, re.M).group(0) for i in answers] == headings


def test_no_raw_myst_and_no_promise(chapter):
    path, original, versions = chapter
    for lang, nb in versions.items():
        start = next((i for i, c in enumerate(nb.cells) if re.search(r"^##\s+(Exercises|练习)", c.source, re.M)),
                     len(nb.cells))
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "markdown":
                continue
            assert not RAW_MYST.search(cell.source), f"{path.name} ({lang}) cell {i}: raw MyST: " \
                                                     f"{RAW_MYST.search(cell.source).group(0)!r}"
            assert "{cite" not in cell.source and "{doc" not in cell.source
            if i >= start:
                assert not homework._PROMISE.search(cell.source), \
                    f"{path.name} ({lang}) cell {i} still promises a model answer: {cell.source[:200]!r}"


def test_citations_resolve_to_a_reference_list_and_captions_show(chapter):
    path, original, versions = chapter
    keys = []
    for c in original.cells:
        if c.cell_type == "markdown":
            for m in re.finditer(r"\{cite(?::\w+)?\}`([^`]*)`", c.source):
                keys += [k.strip() for k in m.group(1).split(",") if k.strip() not in keys]
    keys = list(dict.fromkeys(keys))
    figures = [c for c in original.cells if ((c.metadata.get("mystnb") or {}).get("figure") or {}).get("caption")]
    nb = versions["both"]
    refs = [c for c in nb.cells if generated(c, "references")]
    if keys:
        assert len(refs) == 1 and refs[0] is nb.cells[-1]
        assert refs[0].metadata["lstm_course"] == {"generated": "references"}
        assert refs[0].source.count("\n- ") == len(keys)
        bib = homework.Project(ROOT).bib
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for key in keys:        # cited as linked author-year text in the prose, listed at the end
            label = homework._author_label(bib[key])
            assert any(f in text for f in (f"[{label}", f"({label}, ", f"; {label}, ", f"{label} (")), (path.name, key)
            assert label.split()[0] in refs[0].source, (path.name, key)
    else:
        assert not refs
    captions = [i for i, c in enumerate(nb.cells) if generated(c, "caption")]
    assert len(captions) == len(figures)
    for i in captions:
        assert nb.cells[i - 1].cell_type == "code" and (nb.cells[i - 1].metadata.get("mystnb") or {}).get("figure")
        assert "**Figure" in nb.cells[i].source and "**图" in nb.cells[i].source
    assert all("图" not in c.source for c in versions["en"].cells if generated(c, "caption"))


def test_chapter_links_point_to_the_student_version_beside_it(chapter):
    path, original, versions = chapter
    for c in versions["both"].cells:
        for target in re.findall(r"\]\(([^)\s]+)\)", c.source if c.cell_type == "markdown" else ""):
            if not target.startswith(("http://", "https://", "#")):
                assert (ROOT / "notebooks" / target).exists(), f"{path.name}: link to {target} leads nowhere"


# ------------------------------------------------------------------------------------------------- unit tests
def test_citation_roles_become_author_year_links():
    project = homework.Project(ROOT)
    ctx = {"project": project, "labels": {}, "cited": [], "docdir": "notebooks"}
    out = homework.myst_to_markdown("LSTM {cite:p}`hochreiter1997long,gers2000learning`; "
                                    "{cite:t}`bengio1994learning` showed it. `{cite:p}`not_a_key`` stays code.", ctx)
    assert "([Hochreiter & Schmidhuber, 1997](https://doi.org/10.1162/neco.1997.9.8.1735); [Gers et al., 2000](" in out
    assert "[Bengio et al. (1994)](https://doi.org/10.1109/72.279181) showed it" in out
    assert "`{cite:p}`not_a_key``" in out                       # inside inline code: left alone
    assert ctx["cited"] == ["hochreiter1997long", "gers2000learning", "bengio1994learning"]
    with pytest.raises(homework.HomeworkError, match="nope.*references.bib"):
        homework.myst_to_markdown("{cite:p}`nope`", ctx)


def test_doc_ref_term_and_directives_become_plain_markdown():
    ctx = {"project": homework.Project(ROOT), "labels": {"fig-x": {"en": "Figure 2", "zh": "图 2", "number": 2},
                                                          "sec-y": {"en": "Gates", "zh": "门"}}, "cited": [],
           "docdir": "notebooks"}
    out = homework.myst_to_markdown(
        "See {doc}`02_long_term_dependencies`, {doc}`the glossary </book/glossary>`, {numref}`fig-x`, "
        "{ref}`sec-y` and {term}`cell state`.\n\n(sec-z)=\n## Next\n\n```{note}\nMind the gap.\n```\n\n"
        "见{numref}`fig-x`。", ctx)
    assert "[2 The problem of long-term dependencies](02_long_term_dependencies.ipynb)" in out or \
        "](02_long_term_dependencies.ipynb)" in out
    assert "[the glossary](https://github.com/lstm-course/understanding-lstms/blob/main/book/glossary.md)" in out
    assert "Figure 2, Gates and cell state." in out and "见图 2。" in out
    assert "(sec-z)=" not in out and "> **Note**" in out and "> Mind the gap." in out and "{note}" not in out


def test_latex_accents_in_names():
    assert homework.latex_to_text(r"Schmidhuber, J{\"u}rgen") == "Schmidhuber, Jürgen"
    assert homework.latex_to_text(r"Koutn{\'\i}k and {\v{C}}ernock{\'y} and Kaiser, {\L}ukasz, 1--2") == \
        "Koutník and Černocký and Kaiser, Łukasz, 1–2"


@pytest.mark.parametrize("before, after", [
    ("The others are questions to think about; open the model answer only after you have an answer of your own.",
     "The others are questions to think about. " + homework._PROMISE_REPLACEMENT["en"]),
    ("Read it. The last three are questions; a model answer is folded under each.",
     "Read it. The last three are questions. " + homework._PROMISE_REPLACEMENT["en"]),
    ("后三道是需要思考的问题，每题下面折叠着一份参考答案。", "后三道是需要思考的问题。" + homework._PROMISE_REPLACEMENT["zh"]),
    ("Then the model answers 512 held-out sequences.", "Then the model answers 512 held-out sequences."),
])
def test_promises_of_a_model_answer_are_rewritten(before, after):
    assert homework.drop_promises(before)[0] == after


def test_collapse_keeps_answers_after_the_answer_cell_and_nbgrader_source_holds_them(tmp_path):
    path = ROOT / "notebooks" / "02_long_term_dependencies.ipynb"
    if not path.exists():
        pytest.skip("chapter 2 is not in this tree")
    original = nbformat.read(path, as_version=4)
    answers = [a for c in original.cells if c.cell_type == "markdown" for a in homework._model_answers(c.source)]
    nb = nbformat.read(homework.write_student_versions([path], tmp_path / "c", answers="collapse")[0][0], 4)
    for i, cell in enumerate(nb.cells):
        if generated(cell, "answer"):
            assert generated(nb.cells[i + 1], "model-answer") and '<details class="solution">' in nb.cells[i + 1].source
        if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
            assert generated(nb.cells[i + 1], "reference-solution")
            assert "BEGIN SOLUTION" not in nb.cells[i + 1].source
    src = nbformat.read(homework.write_student_versions([path], tmp_path / "n", nbgrader=True)[0][0], 4)
    assert sum("# BEGIN SOLUTION" in c.source for c in src.cells) == sum(homework._is_solution(c) for c in original.cells)
    held = [c.source for c in src.cells if generated(c, "answer")]
    assert len(held) == len(answers) and all(fragments(a)[0] in h for a, h in zip(answers, held))
    assert 'class="solution"' not in json.dumps(src, ensure_ascii=False)
    with pytest.raises(homework.HomeworkError, match="nbgrader"):
        homework.write_student_versions([path], tmp_path / "x", answers="collapse", nbgrader=True)
