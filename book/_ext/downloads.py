"""Sphinx extension: every chapter downloadable, as the instructor and the student notebook, and all of them as a zip.

At ``build-finished`` (HTML builder) this writes, beside the pages::

    downloads/instructor/<chapter>.ipynb    the notebook as stored (outputs and solutions)
    downloads/student/<chapter>.ipynb       ``python -m lstm_lib.homework`` (stubs, answer cells, no model answer)
    downloads/understanding-lstms-notebooks.zip

The chapters are the notebooks of ``_toc.yml`` (the documents Sphinx read whose source is a .ipynb). The zip is what an
offline classroom needs: ``understanding-lstms/`` holding ``student/`` and ``instructor/``, the course package as a
wheel built here from ``pyproject.toml`` (so it installs with ``pip`` and no network, no setuptools), the lean
``requirements.txt`` of ``binder/``, the licences and a bilingual ``README.md`` saying how to install and start.
Nothing generated is committed.

Every chapter page gets a bilingual line under its title linking the three files, and the theme's download menu gets
the same entries (their labels are split by lang-switch.js like every one-line bilingual text). The Colab launch button
opens the chapter on the branch ``lstm_student_branch`` (default ``student``), which the publishing workflow fills with
the student versions on every push to main: Colab opens notebooks from GitHub only, and there the instructor notebook
would hand out the solutions.

In a build without solutions (``LSTM_BOOK_NO_SOLUTIONS=1``, book/_ext/solutions.py) no instructor notebook is written,
linked or zipped.

The PDF of the book (``jupyter-book build . --builder pdflatex``, README "The book as a PDF") is offered once it has
been built: when ``_build/latex/understanding-lstms.pdf`` lies beside the HTML output (or the config value
``lstm_pdf`` names a file), it is copied to ``downloads/understanding-lstms.pdf`` and put into the zip, and every page's
download menu and every chapter's line link it. The file's path and size are a config value, so a PDF that appears or
changes makes Sphinx write every page again (the publishing workflow builds the PDF, then the HTML once more).
"""
from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil
import time
import zipfile
from pathlib import Path

DOWNLOADS = "downloads"
ZIP_NAME = "understanding-lstms-notebooks.zip"
ZIP_ROOT = "understanding-lstms"
STUDENT_BRANCH = "student"
PDF_NAME = "understanding-lstms.pdf"

LABELS = {
    "student": ("Student notebook", "学生版笔记本"),
    "student_note": ("exercises to solve, no answers", "练习待完成，不含答案"),
    "instructor": ("Instructor notebook", "教师版笔记本"),
    "instructor_note": ("with solutions and outputs", "含答案与输出"),
    "zip": ("All chapters (.zip)", "全部章节（.zip）"),
    "zip_note": ("for offline classrooms", "供离线课堂使用"),
    "pdf": ("The book as a PDF", "全书 PDF"),
    "pdf_note": ("both languages, {size}", "中英对照，{size}"),
    "lead": ("Download this chapter:", "下载本章："),
}


def chapters(app) -> list[str]:
    """Docnames of the notebook chapters, in the order of _toc.yml."""
    env = app.env
    found = [d for d in env.found_docs if Path(env.doc2path(d)).suffix == ".ipynb"]
    order = {d: k for k, d in enumerate(_toc_order(app))}
    return sorted(found, key=lambda d: (order.get(d, len(order)), d))


def _toc_order(app) -> list[str]:
    site_map = getattr(app.env, "external_site_map", None)
    if site_map is None:
        return []
    names, seen = [], set()

    def walk(docname):
        if docname in seen or docname not in site_map:
            return
        seen.add(docname)
        names.append(docname)
        for subtree in site_map[docname].subtrees:
            for item in subtree.items:
                if isinstance(item, str):
                    walk(item)

    walk(site_map.root.docname)
    return names


def with_instructor(app) -> bool:
    return not getattr(app.config, "lstm_no_solutions", False)


def _label(key, sep=" · ", **fill):
    en, zh = LABELS[key]
    return f"{en.format(**fill)}{sep}{zh.format(**fill)}"


# --------------------------------------------------------------------------------------------------- the PDF
def find_pdf(app) -> str:
    """``"<path>|<size in bytes>"`` of the book's PDF if built, else ``""`` (the value of ``lstm_pdf_found``)."""
    named = getattr(app.config, "lstm_pdf", "")
    path = Path(named) if named else Path(app.outdir).parent / "latex" / PDF_NAME
    return f"{path.resolve()}|{path.stat().st_size}" if path.is_file() else ""


def _note_pdf(app, config) -> None:
    config.lstm_pdf_found = find_pdf(app)


def built_pdf(app) -> tuple[Path, int] | None:
    """(path, size in bytes) of the PDF this build links, read back from ``lstm_pdf_found``; None without one."""
    found = getattr(app.config, "lstm_pdf_found", "")
    if not found:
        return None
    path, size = found.rsplit("|", 1)
    return Path(path), int(size)


def pdf_size(app) -> str:
    pdf = built_pdf(app)
    return f"{pdf[1] / 1e6:.1f} MB" if pdf else ""


# --------------------------------------------------------------------------------------------------- the page
def _links(app, pagename, pathto):
    name = Path(pagename).name
    links = [("student", pathto(f"{DOWNLOADS}/student/{name}.ipynb", 1))]
    if with_instructor(app):
        links.append(("instructor", pathto(f"{DOWNLOADS}/instructor/{name}.ipynb", 1)))
    links.append(("zip", pathto(f"{DOWNLOADS}/{ZIP_NAME}", 1)))
    if built_pdf(app):
        links.append(("pdf", pathto(f"{DOWNLOADS}/{PDF_NAME}", 1)))
    return links


def downloads_html(links, size: str = "") -> str:
    """The line under a chapter's title: one English and one Chinese span (lang-switch.css shows the reader's)."""
    def half(k):
        open_, close, sep = (" (", ")", " · ") if k == 0 else ("（", "）", "；")
        return sep.join(f'<a class="lstm-download-{key}" href="{url}" download>{LABELS[key][k]}</a>'
                        f'<span class="lstm-download-note">{open_}{LABELS[key + "_note"][k].format(size=size)}'
                        f'{close}</span>'
                        for key, url in links)

    return ('<div class="lstm-downloads" data-lstm-downloads>'
            f'<span class="lang-en" lang="en">{LABELS["lead"][0]} {half(0)}</span>'
            f'<span class="lang-zh" lang="zh-CN">{LABELS["lead"][1]}{half(1)}</span>'
            "</div>\n")


def _is_chapter(app, pagename, doctree) -> bool:
    return doctree is not None and pagename in app.env.found_docs and \
        Path(app.env.doc2path(pagename)).suffix == ".ipynb"


ICONS = {"zip": "fas fa-file-archive", "pdf": "fas fa-file-pdf"}


def _menu_entries(app, links):
    size = pdf_size(app)
    return [{"type": "link", "url": url, "text": _label(key), "tooltip": _label(key + "_note", size=size),
             "icon": ICONS.get(key, "fas fa-code"), "label": f"download-{key}-button"} for key, url in links]


def _on_page(app, pagename, templatename, context, doctree) -> None:
    """After the theme's header buttons (priority 501): downloads in the menu and under the title; Colab -> student.
    A page that is not a chapter gets the PDF in its download menu, when there is one."""
    if not _is_chapter(app, pagename, doctree):
        if built_pdf(app) and "pathto" in context:
            pdf = [("pdf", context["pathto"](f"{DOWNLOADS}/{PDF_NAME}", 1))]
            for group in context.get("header_buttons", []):
                if group.get("label") == "download-buttons":
                    group["buttons"] = _menu_entries(app, pdf) + group.get("buttons", [])
        return
    links = _links(app, pagename, context["pathto"])
    body = context.get("body", "")
    end = body.find("</h1>")
    if end >= 0:
        context["body"] = body[:end + 5] + "\n" + downloads_html(links, pdf_size(app)) + body[end + 5:]
    branch = app.config.lstm_student_branch
    for group in context.get("header_buttons", []):
        buttons = group.get("buttons", [])
        if group.get("label") == "download-buttons":
            # the theme's ".ipynb" and source entries are the stored notebook: replaced by the labelled ones
            kept = [b for b in buttons if b.get("label") not in ("download-notebook-button", "download-source-button")]
            group["buttons"] = _menu_entries(app, links) + kept
        for button in buttons:
            url = button.get("url", "")
            if button.get("text") == "Colab" and "/blob/" in url:
                button["url"] = colab_student_url(url, branch)


def colab_student_url(url: str, branch: str) -> str:
    """https://colab.research.google.com/github/O/R/blob/main/./P -> .../blob/<branch>/P (the theme writes the book's
    path "." into the URL)."""
    url = re.sub(r"(/github/[^/]+/[^/]+/blob/)[^/]+/", lambda m: f"{m.group(1)}{branch}/", url, count=1)
    return re.sub(r"/(\./)+", "/", url)


# ------------------------------------------------------------------------------------------------- the files
def build_wheel(root: Path, out_dir: Path) -> Path:
    """A pure-Python wheel of lstm_lib from ``pyproject.toml``: the .py files of every package (folders with an
    ``__init__.py``) and the ``[tool.setuptools.package-data]`` files. Written here rather than by setuptools so that
    the book builds without network or a build backend in the environment."""
    import tomllib

    meta = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    project = meta["project"]
    name, version = project["name"], project["version"]
    package = root / name
    files = set()
    for init in package.rglob("__init__.py"):
        folder = init.parent
        # a package only if every folder from lstm_lib down to it has an __init__.py (setuptools' find_packages)
        if all((package / Path(*folder.relative_to(package).parts[:k]) / "__init__.py").is_file()
               for k in range(len(folder.relative_to(package).parts) + 1)):
            files |= set(folder.glob("*.py"))
    patterns = meta.get("tool", {}).get("setuptools", {}).get("package-data", {}).get(name, [])
    for pattern in patterns:
        files |= {p for p in package.glob(pattern) if p.is_file()}
    files = sorted(p for p in files if "__pycache__" not in p.parts)
    dist_info = f"{name}-{version}.dist-info"
    metadata = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
                f"Summary: {project.get('description', '')}"]
    if "requires-python" in project:
        metadata.append(f"Requires-Python: {project['requires-python']}")
    metadata += [f"Requires-Dist: {dep}" for dep in project.get("dependencies", [])]
    if "license" in project:
        metadata.append(f"License: {project['license']}")
    wheel_meta = "Wheel-Version: 1.0\nGenerator: book/_ext/downloads.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries = [(p.relative_to(root).as_posix(), p.read_bytes()) for p in files]
    entries += [(f"{dist_info}/licenses/{lic.name}", lic.read_bytes())
                for lic in (root / "LICENSE", root / "LICENSE-CC-BY-4.0.md") if lic.is_file()]
    entries += [(f"{dist_info}/METADATA", ("\n".join(metadata) + "\n").encode()),
                (f"{dist_info}/WHEEL", wheel_meta.encode())]
    record = "".join(f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},"
                     f"{len(data)}\n" for path, data in entries) + f"{dist_info}/RECORD,,\n"
    entries.append((f"{dist_info}/RECORD", record.encode()))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as whl:
        for path, data in entries:
            whl.writestr(zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return target


def lean_requirements(root: Path) -> str:
    lines = [line for line in (root / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    return ("# Understanding LSTMs / 理解 LSTM: what the notebooks need (the same pins as binder/requirements.txt).\n"
            "# Install with the course package: see README.md / 安装方法见 README.md\n" + "\n".join(lines) + "\n")


def readme(wheel: str, instructor: bool, chapter_names: list[str], pdf: bool = False) -> str:
    listing = "\n".join(f"- `{n}.ipynb`" for n in chapter_names)
    folders_en = ("- `student/`: the student version of every chapter — each coding exercise a stub to fill, an "
                  "answer cell after each question, no model answer, no outputs; hand these out.\n")
    folders_zh = "- `student/`：每章的学生版——编程题是待填写的桩代码，每道思考题后有答案单元格，不含参考答案，也没有输出；发给学生的就是这些。\n"
    if instructor:
        folders_en += ("- `instructor/`: the chapters as the book shows them, with solutions, model answers and "
                       "outputs; keep these for the teacher.\n")
        folders_zh += "- `instructor/`：与书中一致的各章，含参考解答、参考答案和输出；留给教师使用。\n"
    if pdf:
        folders_en += f"- `{PDF_NAME}`: the whole book to read or print, English and Chinese paragraph by paragraph.\n"
        folders_zh += f"- `{PDF_NAME}`：全书，供阅读或打印，中英文逐段对照。\n"
    return f"""# Understanding LSTMs · 理解 LSTM — notebooks for offline use · 离线使用的笔记本

## English

{folders_en}- `{wheel}`: the course package `lstm_lib`, installed by pip without network.
- `requirements.txt`: what the notebooks need (numpy, matplotlib, ipywidgets, JupyterLab, the Chinese font for plots).

**On a machine with internet** (once, for the classroom): `python3 -m pip download -r requirements.txt -d wheels`
downloads every package for that machine's Python and system into `wheels/`; copy `wheels/` next to this file.

**On each classroom machine** (Python 3.11 to 3.13), in this folder:

```bash
python3 -m venv .venv
.venv/bin/pip install --no-index --find-links wheels -r requirements.txt {wheel}
.venv/bin/jupyter lab student/
```

(With internet, leave out `--no-index --find-links wheels`. On Windows use `.venv\\Scripts\\` instead of `.venv/bin/`.)
Run each notebook from the top; its first cell installs things only in Colab and does nothing here. Appendix A's
explorers need a trusted notebook (JupyterLab: the shield icon, or File → Trust Notebook). The book online:
https://lstm-course.github.io/understanding-lstms/ — the sources: https://github.com/lstm-course/understanding-lstms

Text and figures: CC BY 4.0 (`LICENSE-CC-BY-4.0.md`); code: MIT (`LICENSE`).

## 中文

{folders_zh}- `{wheel}`：课程程序包 `lstm_lib`，pip 无需联网即可安装。
- `requirements.txt`：笔记本需要的程序包（numpy、matplotlib、ipywidgets、JupyterLab 以及作图用的中文字体）。

**在一台能上网的机器上**（为整个课堂做一次）：运行 `python3 -m pip download -r requirements.txt -d wheels`，把适合该机器的 Python 版本和操作系统的全部程序包下载到 `wheels/`，再把 `wheels/` 复制到本文件旁边。

**在课堂的每台机器上**（Python 3.11 至 3.13），在本文件夹中运行：

```bash
python3 -m venv .venv
.venv/bin/pip install --no-index --find-links wheels -r requirements.txt {wheel}
.venv/bin/jupyter lab student/
```

（能上网时，去掉 `--no-index --find-links wheels` 即可。Windows 上把 `.venv/bin/` 换成 `.venv\\Scripts\\`。）每个笔记本请从头运行；第一个单元格只在 Colab 中安装程序包，在这里什么也不做。附录 A 的交互探索需要笔记本处于受信任状态（JupyterLab：点击盾牌图标，或选择 File → Trust Notebook）。在线阅读本书：https://lstm-course.github.io/understanding-lstms/ ——源代码：https://github.com/lstm-course/understanding-lstms

文字与图：知识共享 署名 4.0（`LICENSE-CC-BY-4.0.md`）；代码：MIT 许可证（`LICENSE`）。

## Chapters · 章节

{listing}
"""


def write_downloads(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from lstm_lib.homework import write_student_versions

    root = Path(app.confdir)
    out = Path(app.outdir) / DOWNLOADS
    if out.exists():
        shutil.rmtree(out)
    sources = [Path(app.env.doc2path(d)) for d in chapters(app)]
    if not sources:
        return
    instructor = with_instructor(app)
    found = built_pdf(app)
    pdf = found[0] if found else None
    written = write_student_versions(sources, out / "student", lang="both", answers="remove")
    if instructor:
        (out / "instructor").mkdir(parents=True)
        for src in sources:
            shutil.copyfile(src, out / "instructor" / src.name)
    staging = Path(app.doctreedir) / "downloads-wheel"
    wheel = build_wheel(root, staging)
    stamp = time.localtime()[:6]

    def add(zf, arcname, data):
        zf.writestr(zipfile.ZipInfo(f"{ZIP_ROOT}/{arcname}", date_time=stamp), data, zipfile.ZIP_DEFLATED)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        add(zf, "README.md", readme(wheel.name, instructor, [s.stem for s in sources], pdf is not None))
        add(zf, "requirements.txt", lean_requirements(root))
        add(zf, wheel.name, wheel.read_bytes())
        for name in ("LICENSE", "LICENSE-CC-BY-4.0.md"):
            if (root / name).is_file():
                add(zf, name, (root / name).read_bytes())
        for target, _ in written:
            add(zf, f"student/{Path(target).name}", Path(target).read_bytes())
        if instructor:
            for src in sources:
                add(zf, f"instructor/{src.name}", src.read_bytes())
        if pdf is not None:
            add(zf, PDF_NAME, pdf.read_bytes())
    (out / ZIP_NAME).write_bytes(buffer.getvalue())
    if pdf is not None:
        shutil.copyfile(pdf, out / PDF_NAME)


def setup(app):
    app.add_config_value("lstm_student_branch", STUDENT_BRANCH, "html", [str])
    app.add_config_value("lstm_pdf", "", "html", [str])
    # set at config-inited from the file found: part of the HTML's configuration, so a new PDF rewrites every page
    app.add_config_value("lstm_pdf_found", "", "html", [str])
    app.connect("config-inited", _note_pdf)
    # after sphinx-book-theme's add_header_buttons / add_launch_buttons (priority 501)
    app.connect("html-page-context", _on_page, priority=600)
    app.connect("build-finished", write_downloads)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
