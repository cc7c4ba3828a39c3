"""Shared fixtures: one build of the book per test session, used by test_book.py and test_browser.py.

The book is built with exactly the README's command (``jupyter-book build . -W -n --keep-going``) but into a temporary
directory (``--path-output``), so the tests never touch ``_build/`` in the working tree and always see the current
sources.
"""
from __future__ import annotations

import os

# lstm_lib multiplies small matrices: OpenBLAS threads only add synchronisation, and on a busy 2-core machine they made
# the training tests about 4x slower (100 s against 25 s measured). Set before numpy is imported; notebook kernels
# started by nbval inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class BookBuild:
    returncode: int
    output: str  # stdout + stderr, ANSI colours removed
    html: Path  # .../_build/html
    seconds: float

    def warnings(self) -> list[str]:
        """Sphinx warning and error lines of the build log ("file:line: WARNING: ...")."""
        return [line for line in self.output.splitlines() if "WARNING:" in line or "ERROR:" in line
                or "CRITICAL:" in line]


def jupyter_book_command() -> list[str]:
    """The jupyter-book executable of the running interpreter's environment (falls back to PATH)."""
    beside = Path(sys.executable).parent / "jupyter-book"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("jupyter-book")
    if found is None:
        pytest.fail("jupyter-book is not installed in this environment; run `pip install -r requirements.txt`")
    return [found]


def toc_files() -> list[str]:
    """Every file listed in _toc.yml (root first), without extension, e.g. 'book/index', 'notebooks/01_...'."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [re.sub(r"\.(md|ipynb)$", "", f) for f in files]


def toc_source(docname: str) -> Path:
    """Source file (.md or .ipynb) of a _toc.yml entry."""
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{docname}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"_toc.yml lists {docname!r} but neither {docname}.md nor {docname}.ipynb exists")


def reusable_build() -> BookBuild | None:
    """The build that `.ci/run` has just made with the README's command (1), if no source changed since.

    `.ci/run` saves that command's log and exit code and names the log in LSTM_BOOK_BUILD_LOG (the HTML is in
    ``_build/html`` beside it); building the same sources again would only repeat it (45-90 s). Any file of the
    checkout (tracked or not, outside _build and .venv) newer than the log makes the tests build afresh.
    """
    log = os.environ.get("LSTM_BOOK_BUILD_LOG")
    if not log:
        return None
    log = Path(log)
    code = log.with_suffix(".exit")
    html = ROOT / "_build" / "html"
    if not (log.is_file() and code.is_file() and (html / "index.html").is_file()):
        return None
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode != 0:
        return None
    built = log.stat().st_mtime
    for name in listed.stdout.splitlines():
        path = ROOT / name
        if not name.startswith(("_build/", ".venv/")) and path.is_file() and path.stat().st_mtime > built:
            return None
    return BookBuild(int(code.read_text().strip()), ANSI.sub("", log.read_text(encoding="utf-8", errors="replace")),
                     html, 0.0)


@pytest.fixture(scope="session")
def book(tmp_path_factory) -> BookBuild:
    """Build the book once per session with -W -n --keep-going into a temporary directory (or reuse .ci/run's)."""
    reused = reusable_build()
    if reused is not None:
        return reused
    out = tmp_path_factory.mktemp("book")
    start = time.monotonic()
    proc = subprocess.run(
        [*jupyter_book_command(), "build", str(ROOT), "-W", "-n", "--keep-going", "--path-output", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
        env={**os.environ, "PYTHONWARNINGS": os.environ.get("PYTHONWARNINGS", "")},
    )
    seconds = time.monotonic() - start
    return BookBuild(proc.returncode, ANSI.sub("", proc.stdout + proc.stderr), out / "_build" / "html", seconds)


@pytest.fixture(scope="session")
def built_html(book) -> Path:
    """The HTML directory of the build. With --keep-going a build with warnings still writes HTML, and the HTML checks
    run on it (test_build_is_clean reports the warnings); a build that wrote no HTML fails every dependent test."""
    if not (book.html / "index.html").exists():
        pytest.fail(f"the book build wrote no HTML (exit {book.returncode}):\n{book.output[-4000:]}")
    return book.html
