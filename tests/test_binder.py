"""Binder's configuration (binder/): a lean environment, a pinned Python, and a postBuild that makes the chapters a
student opens the student versions. postBuild is run here on a copy of the repository, with the running Python."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def pins(path):
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", path.read_text(encoding="utf-8"), re.M))


def test_binder_environment_is_lean_and_agrees_with_requirements():
    lean, full = pins(BINDER / "requirements.txt"), pins(ROOT / "requirements.txt")
    assert {"numpy", "matplotlib", "ipywidgets", "jupyterlab", "noto-cjk-sans-otc"} <= set(lean)
    for heavy in ("jupyter-book", "Sphinx", "playwright", "pytest", "nbval", "myst-nb"):
        assert heavy not in lean, f"{heavy} does not belong in Binder's environment"
    for name, version in lean.items():
        assert full.get(name) == version, f"{name}: binder {version}, requirements.txt {full.get(name)}"
    assert re.fullmatch(r"python-3\.(1[1-3])\n?", (BINDER / "runtime.txt").read_text()), "runtime.txt pins 3.11-3.13"


def test_full_requirements_install_on_python_3_11_0():
    # soupsieve >= 3.0 requires Python >= 3.11.5 (Debian 12 ships 3.11.2)
    assert pins(ROOT / "requirements.txt")["soupsieve"].split(".")[0] in ("1", "2")


def test_postbuild_turns_notebooks_into_student_versions(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", ".venv", "_build", "*.egg-info", "__pycache__",
                                                              ".instructor"))
    originals = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    # the pip step is replaced by PYTHONPATH (no network, no install into the test environment)
    script = (BINDER / "postBuild").read_text().replace("python -m pip install --no-deps .", "true")
    assert script != (BINDER / "postBuild").read_text()
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (bindir / "python").chmod(0o755)
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(repo)}
    result = subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (repo / "notebooks").glob("*.ipynb")) == originals
    assert sorted(p.name for p in (repo / ".instructor").glob("*.ipynb")) == originals
    for name in originals:
        nb = nbformat.read(repo / "notebooks" / name, as_version=4)
        assert nb.metadata["lstm_course"]["student_version"] is True
        assert nb.metadata["lstm_course"]["answers"] == "collapse"
        assert "# BEGIN SOLUTION" not in nbformat.writes(nb)
        assert nbformat.read(repo / ".instructor" / name, 4) == nbformat.read(ROOT / "notebooks" / name, 4)
