"""Downloads of the built book (issue 18) and Colab on the student branch (issue 10), checked on the session's one book
build (conftest.py):

- every chapter page of _toc.yml links, under its title and in the download menu, its student notebook, its
  instructor notebook and the zip of all chapters, and each link leads to a file of the build;
- the instructor download is the stored notebook, byte for byte; the student download is a valid notebook that gives
  no solution away (the assertions of test_student_versions.py);
- the zip holds student/ and instructor/ with every chapter of _toc.yml (notebooks that open with nbformat), a
  lstm_lib wheel that pip installs without network and that imports, the lean requirements and a bilingual README;
- every chapter's Colab button opens that chapter on the branch ``student`` (which .github/workflows/book.yml fills,
  see test_workflow.py), Binder stays on main (binder/postBuild makes the student versions there);
- in the browser the download labels follow the reading mode.
"""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import ROOT, toc_files, toc_source
from test_student_versions import solution_leaks

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import downloads

CHAPTERS = [d for d in toc_files() if toc_source(d).suffix == ".ipynb"]
REPO = "lstm-course/understanding-lstms"
BRANCH = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]["lstm_student_branch"]
LINE = re.compile(r'<div class="lstm-downloads" data-lstm-downloads>(.*?)</div>', re.DOTALL)
MENU = re.compile(r'<div class="dropdown dropdown-download-buttons">(.*?)</ul>', re.DOTALL)
HREF = re.compile(r'<a class="lstm-download-(\w+)" href="([^"]+)"')
MENU_HREF = re.compile(r'<a href="([^"]+)"[^>]*\bbtn-download-(\w+)-button\b')


def page(built_html, docname) -> str:
    return (built_html / f"{docname}.html").read_text(encoding="utf-8")


def test_the_book_has_chapters():
    assert len(CHAPTERS) >= 10, CHAPTERS


@pytest.mark.parametrize("docname", CHAPTERS)
def test_chapter_page_links_its_notebooks_and_the_zip(built_html, docname):
    html_path = built_html / f"{docname}.html"
    text = page(built_html, docname)
    line = LINE.search(text)
    assert line, f"{docname}: no download line under the title"
    assert text.find("</h1>") < line.start(), f"{docname}: the download line is not under the title"
    name = Path(docname).name
    expected = {"student": f"downloads/student/{name}.ipynb", "instructor": f"downloads/instructor/{name}.ipynb",
                "zip": f"downloads/{downloads.ZIP_NAME}"}
    in_line = HREF.findall(line.group(1))
    # one English and one Chinese half, each with the three links
    assert sorted(k for k, _ in in_line) == sorted(list(expected) * 2), in_line
    menu = MENU.search(text)
    assert menu, f"{docname}: no download menu"
    in_menu = [(kind, href) for href, kind in MENU_HREF.findall(menu.group(1)) if kind in expected]
    for kind, target in expected.items():
        for where, links in (("line", in_line), ("menu", in_menu)):
            hrefs = {h for k, h in links if k == kind}
            assert len(hrefs) == 1, f"{docname}: {where} links {kind} {len(hrefs)} ways: {hrefs}"
            resolved = (html_path.parent / hrefs.pop()).resolve()
            assert resolved == (built_html / target).resolve(), f"{docname}: {where} {kind} link -> {resolved}"
            assert resolved.is_file() and resolved.stat().st_size > 0, f"{docname}: {target} is not in the build"
    # the theme's own ".ipynb" entry (the stored notebook, unlabelled) is replaced by the labelled ones
    assert "btn-download-notebook-button" not in menu.group(1)
    assert 'class="lang-en"' in line.group(1) and 'class="lang-zh"' in line.group(1)


@pytest.mark.parametrize("docname", CHAPTERS)
def test_instructor_download_is_the_notebook_and_student_download_gives_nothing_away(built_html, docname):
    source = toc_source(docname)
    instructor = built_html / "downloads" / "instructor" / source.name
    student = built_html / "downloads" / "student" / source.name
    assert instructor.read_bytes() == source.read_bytes()
    original = nbformat.read(source, as_version=4)
    nb = nbformat.read(student, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["lstm_course"]["student_version"] is True and nb.metadata["lstm_course"]["answers"] == "remove"
    leaks = solution_leaks(original, nb)
    assert not leaks, f"{docname}: the student download gives away: " + "; ".join(leaks[:5])
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert len(nb.cells) >= len(original.cells)


@pytest.fixture(scope="module")
def course_zip(built_html):
    path = built_html / "downloads" / downloads.ZIP_NAME
    assert path.is_file(), "the zip of all chapters was not built"
    return zipfile.ZipFile(path)


def test_zip_holds_every_chapter_of_the_toc(course_zip):
    names = course_zip.namelist()
    assert all(n.startswith(downloads.ZIP_ROOT + "/") for n in names), names[:5]
    for folder in ("student", "instructor"):
        found = sorted(n.split("/")[-1] for n in names if n.startswith(f"{downloads.ZIP_ROOT}/{folder}/"))
        assert found == sorted(toc_source(d).name for d in CHAPTERS), f"{folder}/ holds {found}"
        for name in found:
            nb = nbformat.reads(course_zip.read(f"{downloads.ZIP_ROOT}/{folder}/{name}").decode("utf-8"), as_version=4)
            nbformat.validate(nb)
            assert bool(nb.metadata.get("lstm_course", {}).get("student_version")) == (folder == "student"), name
    source = toc_source(CHAPTERS[0])
    assert course_zip.read(f"{downloads.ZIP_ROOT}/instructor/{source.name}") == source.read_bytes()


def test_zip_has_what_an_offline_classroom_needs(course_zip, tmp_path):
    root = downloads.ZIP_ROOT
    names = set(course_zip.namelist())
    for name in ("README.md", "requirements.txt", "LICENSE", "LICENSE-CC-BY-4.0.md"):
        assert f"{root}/{name}" in names, name
    readme = course_zip.read(f"{root}/README.md").decode("utf-8")
    wheels = [n for n in names if n.endswith(".whl")]
    assert len(wheels) == 1, wheels
    wheel = wheels[0].split("/")[-1]
    assert "## English" in readme and "## 中文" in readme and readme.count(wheel) >= 4
    assert "--no-index" in readme and "pip download" in readme
    for chapter in CHAPTERS:
        assert Path(chapter).name in readme
    pins = [line for line in course_zip.read(f"{root}/requirements.txt").decode().splitlines()
            if line and not line.startswith("#")]
    binder = [line for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    assert pins == binder and not any("jupyter-book" in p or "pytest" in p for p in pins)
    # the wheel installs with no network and no build backend, and the package imports from it with its data
    (tmp_path / wheel).write_bytes(course_zip.read(wheels[0]))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target),
                    str(tmp_path / wheel)], check=True, capture_output=True, text=True, timeout=300)
    probe = ("import lstm_lib, pathlib; p = pathlib.Path(lstm_lib.__file__).parent; "
             "import lstm_lib.check, lstm_lib.cells, lstm_lib.diagrams, lstm_lib.tasks; "
             "print(p); print(sorted(str(f.relative_to(p)) for f in p.rglob('*') if f.is_file() "
             "and '__pycache__' not in f.parts))")
    out = subprocess.run([sys.executable, "-c", probe], check=False, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1",
                              "MPLBACKEND": "Agg", "HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr[-2000:]
    where, files = out.stdout.splitlines()
    assert Path(where) == target / "lstm_lib"
    package = ROOT / "lstm_lib"
    repo_files = sorted(str(f.relative_to(package)) for f in package.rglob("*")
                        if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc")
    assert eval(files) == repo_files, "the wheel's lstm_lib differs from the repository's (pyproject package-data?)"


@pytest.mark.parametrize("docname", CHAPTERS)
def test_colab_opens_the_student_branch(built_html, docname):
    text = page(built_html, docname)
    colab = re.findall(r'href="(https://colab\.research\.google\.com/[^"]+)"', text)
    assert colab == [f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/{docname}.ipynb"], colab
    binder = re.findall(r'href="(https://mybinder\.org/[^"]+)"', text)
    assert binder and all(f"/v2/gh/{REPO}/main?" in b for b in binder), binder


def test_colab_url_rewrite():
    theme = f"https://colab.research.google.com/github/{REPO}/blob/main/./notebooks/01_x.ipynb"
    assert downloads.colab_student_url(theme, "student") == \
        f"https://colab.research.google.com/github/{REPO}/blob/student/notebooks/01_x.ipynb"
    assert downloads.colab_student_url(theme, "student") != theme


def test_a_build_without_solutions_offers_no_instructor_notebook():
    class App:
        class config:
            lstm_no_solutions = True

    links = downloads._links(App, "notebooks/01_x", lambda target, resource: target)
    assert [k for k, _ in links] == ["student", "zip"]
    App.config.lstm_no_solutions = False
    assert [k for k, _ in downloads._links(App, "notebooks/01_x", lambda t, r: t)] == ["student", "instructor", "zip"]


def test_the_pdf_is_offered_once_built(tmp_path):
    """No PDF beside the HTML output: no link. Once _build/latex holds it: a link in the line and the menu, its size."""
    class App:
        outdir = str(tmp_path / "_build" / "html")

        class config:
            lstm_no_solutions = False
            lstm_pdf = ""
            lstm_pdf_found = ""

    assert downloads.find_pdf(App) == ""
    assert "pdf" not in [k for k, _ in downloads._links(App, "notebooks/01_x", lambda t, r: t)]
    pdf = tmp_path / "_build" / "latex" / downloads.PDF_NAME
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.5\n" + bytes(2_500_000))
    App.config.lstm_pdf_found = downloads.find_pdf(App)
    assert App.config.lstm_pdf_found == f"{pdf.resolve()}|{2_500_009}"
    links = downloads._links(App, "notebooks/01_x", lambda t, r: t)
    assert links[-1] == ("pdf", f"downloads/{downloads.PDF_NAME}")
    line = downloads.downloads_html(links, downloads.pdf_size(App))
    assert "The book as a PDF" in line and "全书 PDF" in line and "2.5 MB" in line
    menu = downloads._menu_entries(App, links)
    assert menu[-1]["icon"] == "fas fa-file-pdf" and "2.5 MB" in menu[-1]["tooltip"]


# ----------------------------------------------------------------------------------------------------- browser
from test_browser import browser, server, unavailable  # noqa: F401  (fixtures)
from test_browser_reading import open_mode

LABELS_SHOWN = """() => ({
  line: document.querySelector('.lstm-downloads').innerText.trim(),
  menu: Array.from(document.querySelectorAll('.dropdown-download-buttons .dropdown-item .btn__text-container'))
          .map(e => e.innerText.trim()),
})"""


@pytest.mark.parametrize("mode", ["en", "zh"])
def test_download_labels_follow_the_reading_mode(browser, server, mode):
    context, page_ = open_mode(browser, server, CHAPTERS[0], mode)
    try:
        page_.click(".dropdown-download-buttons .dropdown-toggle")
        page_.wait_for_timeout(300)
        shown = page_.evaluate(LABELS_SHOWN)
    finally:
        context.close()
    han = re.compile(r"[\u3400-\u9fff]")
    k = 0 if mode == "en" else 1
    assert shown["line"].startswith(downloads.LABELS["lead"][k]), shown
    for key in ("student", "instructor", "zip"):
        assert downloads.LABELS[key][k] in shown["menu"], shown
        assert downloads.LABELS[key][1 - k] not in " ".join(shown["menu"]) + shown["line"], shown
    if mode == "en":
        assert not han.search(shown["line"] + " ".join(shown["menu"])), shown
