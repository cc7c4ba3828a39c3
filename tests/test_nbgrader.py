"""nbgrader on the course (issue 10): the sources that ``python -m lstm_lib.homework --nbgrader`` writes pass
``nbgrader validate``; ``generate_assignment`` releases them with no model answer and no solution; ``autograde``
scores a submission made from the student version (one exercise solved, one not, questions answered).

nbgrader is not a dependency of the course: it runs from a scratch environment (.ci/run makes one, a virtual
environment with ``pip install -r binder/requirements.txt nbgrader==0.9.6``) named by
LSTM_NBGRADER_PYTHON. Without it the test skips with a message; with CI=true it fails instead.
"""
import json
import os
import re
import subprocess
import textwrap
from pathlib import Path

import nbformat
import pytest

from lstm_lib import homework

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
GRADED = ROOT / "notebooks" / "01_recurrent_neural_networks.ipynb"     # the one run (validate, autograde)


@pytest.fixture(scope="module")
def nbgrader_python():
    python = os.environ.get("LSTM_NBGRADER_PYTHON")
    if not python or not Path(python).exists():
        reason = "LSTM_NBGRADER_PYTHON does not name a Python with nbgrader installed"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"nbgrader test cannot run in CI: {reason}")
        pytest.skip(f"{reason} (python -m venv /tmp/nbg && /tmp/nbg/bin/pip install -r binder/requirements.txt "
                    "nbgrader==0.9.6; LSTM_NBGRADER_PYTHON=/tmp/nbg/bin/python)")
    return python


def nbgrader(python, course, *args):
    # nbgrader runs `alembic` from PATH: its environment's bin/ first
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "PATH": f"{Path(python).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run([python, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def course(nbgrader_python, tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    (course / "nbgrader_config.py").write_text(textwrap.dedent(f"""\
        c = get_config()
        c.CourseDirectory.course_id = "lstm"
        c.CourseDirectory.root = {str(course)!r}
        c.ExecutePreprocessor.timeout = 300
    """))
    homework.write_student_versions(CHAPTERS, course / "source" / "ps1", nbgrader=True)
    nbgrader(nbgrader_python, course, "generate_assignment", "ps1", "--force")
    return course


def test_validate_accepts_the_source(nbgrader_python, course):
    out = nbgrader(nbgrader_python, course, "validate", str(course / "source" / "ps1" / GRADED.name))
    assert "Success! Your notebook passes all the tests." in out, out[-2000:]


def test_release_holds_no_model_answer_and_no_solution(course):
    for chapter in CHAPTERS:
        original = nbformat.read(chapter, as_version=4)
        released = nbformat.read(course / "release" / "ps1" / chapter.name, as_version=4)
        text = json.dumps(released, ensure_ascii=False)
        assert "BEGIN SOLUTION" not in text and 'class="solution"' not in text
        for cell in original.cells:
            for answer in homework._model_answers(cell.source) if cell.cell_type == "markdown" else []:
                for para in re.split(r"\n\s*\n", re.sub(r"<[^>]+>", "\n", answer)):
                    if len(para.strip()) >= 40:
                        assert para.strip()[:40] not in text, f"{chapter.name}: model answer in the release"
        answers = [c for c in released.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-answer")]
        assert len(answers) == sum(homework._is_question(c) for c in original.cells)
        assert all(c.source.strip() == "YOUR ANSWER HERE" for c in answers)      # nbgrader's own answer stub


def test_autograde_scores_a_student_version_submission(nbgrader_python, course, tmp_path):
    student = homework.write_student_versions([GRADED], tmp_path, lang="zh")[0][0]
    nb = nbformat.read(student, as_version=4)
    source = nbformat.read(GRADED, as_version=4)
    solved = next(c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "ch01-rnn-step")
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if gid == "ch01-rnn-step":
            cell.source = "\n".join(line for line in solved.source.splitlines()
                                    if line.strip() not in ("# BEGIN SOLUTION", "# END SOLUTION"))
        elif gid.endswith("-answer"):
            cell.source = "权重在各时间步之间共享。"
    target = course / "submitted" / "student1" / "ps1"
    target.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target / GRADED.name)
    nbgrader(nbgrader_python, course, "autograde", "ps1", "--force")
    script = textwrap.dedent("""\
        from nbgrader.api import Gradebook
        with Gradebook("sqlite:///gradebook.db") as gb:
            s = gb.find_submission("ps1", "student1")
            print(s.code_score, s.max_code_score, s.needs_manual_grade)
            for nb in s.notebooks:
                for g in nb.grades:
                    print(g.name, g.auto_score, g.max_score)
    """)
    result = subprocess.run([nbgrader_python, "-c", script], cwd=course, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    code, max_code, manual = lines[0].split()
    grades = {name: (auto, mx) for name, auto, mx in (ln.split() for ln in lines[1:] if ln.strip())}
    assert grades["ch01-rnn-step-check"][0] == "2.0"              # solved: full points
    assert grades["ch01-rnn-step-backward-check"][0] == "0.0"     # the stub raised NotImplementedError
    assert float(code) == 2.0 and manual == "True"                 # questions await the instructor
    answers = {g: v for g, v in grades.items() if g.endswith("-answer") and g.startswith("ch01-")}
    assert len(answers) == 3 and all(v == ("None", "1.0") for v in answers.values()), answers   # by hand
