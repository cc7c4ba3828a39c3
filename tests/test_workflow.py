"""The publishing workflow (.github/workflows/book.yml) cannot run here, so its promises are checked by reading it:
valid YAML; it runs exactly the README's two commands, in order; it deploys _build/html to Pages only from a push
to main, and a pull request builds and tests without deploying; the site it deploys carries the PDF, built and checked
by tests/test_pdf.py into _build/latex before the HTML is built the last time; the branch the Colab button opens
(``student``) is replaced by the student versions only after a tested push to main."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def readme_commands() -> list[str]:
    """The two commands of the README's English 'Run locally' block (comment lines dropped)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    english = text.split("## 中文")[0]
    block = re.search(r"```bash\n(.*?)```", english.split("### Run locally")[1], re.S).group(1)
    return [line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow):
    return workflow.get("on", workflow.get(True))   # YAML 1.1 reads the key `on` as True


def test_readme_has_two_commands():
    assert len(readme_commands()) == 2


def test_workflow_runs_the_readme_commands_in_order(workflow):
    runs = [step.get("run", "") for step in workflow["jobs"]["build-and-test"]["steps"]]
    positions = []
    for command in readme_commands():
        hits = [k for k, run in enumerate(runs) if run.strip() == command]
        assert hits, f"the workflow does not run the README command {command!r}"
        positions.append(hits[0])
    assert positions == sorted(positions) and len(set(positions)) == 2


def test_the_pdf_is_built_checked_and_attached_to_the_site(workflow):
    steps = workflow["jobs"]["build-and-test"]["steps"]
    runs = [str(step.get("run", "")) for step in steps]
    readme_build, readme_tests = (next(k for k, run in enumerate(runs) if run.strip() == c) for c in readme_commands())
    tex = [k for k, run in enumerate(runs) if "apt-get install" in run and "texlive-xetex" in run]
    pdf = [k for k, run in enumerate(runs) if re.search(r"\bpytest -m pdf tests/test_pdf\.py\b", run)]
    assert len(tex) == 1 and len(pdf) == 1, (tex, pdf)
    # the test builds into _build/latex (LSTM_PDF_OUTPUT=., i.e. the checkout), beside _build/html
    assert re.search(r"\bLSTM_PDF_OUTPUT=\.(\s|$)", runs[pdf[0]]) or steps[pdf[0]].get("env", {}).get("LSTM_PDF_OUTPUT") == "."
    for package in ("texlive-lang-chinese", "latexmk", "fonts-noto-cjk", "fonts-freefont-otf", "poppler-utils"):
        assert package in runs[tex[0]], f"the TeX step does not install {package}"
    # then the HTML is built again (it links and copies the PDF it finds), before the site is uploaded
    rebuilds = [k for k, run in enumerate(runs) if "jupyter-book build ." in run and k > pdf[0]]
    upload = next(k for k, step in enumerate(steps) if str(step.get("uses", "")).startswith("actions/upload-pages"))
    assert readme_build < tex[0] < pdf[0] and rebuilds and rebuilds[0] < upload
    assert "--builder" not in runs[rebuilds[0]]


def test_pull_requests_build_and_test(workflow):
    on = triggers(workflow)
    assert "pull_request" in on and on["push"]["branches"] == ["main"]
    assert "if" not in workflow["jobs"]["build-and-test"]      # the tests run for every event


def test_deploys_built_html_only_from_a_push_to_main(workflow):
    deploy = workflow["jobs"]["deploy"]
    condition = deploy["if"].replace(" ", "")
    assert "github.event_name=='push'" in condition and "github.ref=='refs/heads/main'" in condition
    assert deploy["needs"] == "build-and-test"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in deploy["steps"])
    uploads = [s for s in workflow["jobs"]["build-and-test"]["steps"]
               if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@")]
    assert len(uploads) == 1 and uploads[0]["with"]["path"] == "_build/html"
    assert uploads[0]["if"].replace(" ", "") == condition
    # nothing else in the workflow may write to the repository or Pages
    assert workflow["permissions"] == {"contents": "read"}
    writers = {name for name, job in workflow["jobs"].items()
               if any(v == "write" for v in (job.get("permissions") or {}).values())}
    assert writers == {"deploy", "student-branch"}, writers


def student_branch():
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]["lstm_student_branch"]


def test_student_branch_is_pushed_only_from_a_tested_push_to_main(workflow):
    job = workflow["jobs"]["student-branch"]
    condition = job["if"].replace(" ", "")
    assert condition == "github.event_name=='push'&&github.ref=='refs/heads/main'"
    assert job["needs"] == "build-and-test"
    assert job["permissions"] == {"contents": "write"}
    runs = [step.get("run", "") for step in job["steps"]]
    generate = [k for k, run in enumerate(runs) if "python -m lstm_lib.homework" in run]
    assert len(generate) == 1
    command = next(line for line in runs[generate[0]].splitlines() if "lstm_lib.homework" in line)
    # the same student versions as Binder's postBuild: model answers folded, to open on purpose
    assert "--answers collapse" in command and "notebooks/*.ipynb" in command
    out = re.search(r'--out\s+"?([^"\s]+)', command).group(1)
    assert out.endswith("/notebooks"), "Colab opens blob/<branch>/notebooks/<chapter>.ipynb: keep the folder"
    branch = student_branch()
    push = [k for k, run in enumerate(runs) if re.search(rf"git push --force origin {branch}\s*$", run, re.M)]
    assert len(push) == 1 and push[0] > generate[0]
    assert f"git switch --orphan {branch}" in runs[push[0]]       # one commit, nothing of main's tree or history
    assert all("pull_request" not in str(job.get(key, "")) for key in ("if", "needs"))


def test_binder_postbuild_and_the_student_branch_make_the_same_versions(workflow):
    postbuild = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    runs = "\n".join(step.get("run", "") for step in workflow["jobs"]["student-branch"]["steps"])
    def answers(text):
        return re.search(r"python -m lstm_lib\.homework (--answers \w+)", text).group(1)

    assert answers(postbuild) == answers(runs)
