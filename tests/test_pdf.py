"""The book as a PDF (issue 18): Jupyter Book's LaTeX path, XeLaTeX, xeCJK with the Noto CJK fonts.

    jupyter-book build . --builder pdflatex        ->  _build/latex/understanding-lstms.pdf

The build needs TeX (Debian: texlive-xetex texlive-lang-chinese texlive-latex-extra texlive-fonts-recommended latexmk
fonts-noto-cjk fonts-freefont-otf fonts-dejavu-core, and poppler-utils for the checks), so the tests that build it are
marked ``pdf`` and left out of the README's test command (``addopts`` in pyproject.toml); ``.ci/run`` runs them
whenever TeX is installed (it installs it as root): ``python -m pytest -m pdf tests/test_pdf.py``. They build into a
temporary directory, or into ``$LSTM_PDF_OUTPUT`` when set (the publishing workflow keeps the PDF for the site).

What is checked, on the text that ``pdftotext`` extracts and on XeLaTeX's log: the page count; every page of
``_toc.yml`` by its title in both languages; a sentence of each language from every page, English before Chinese as
in the "EN + 中文" mode; every reference of ``book/references.bib``; one embedded image per figure the pages show; no
"Missing character" (a glyph the fonts lack), no line wider than the text block by more than ``OVERFULL_PT``, no
Chinese punctuation mark that starts a line, no raw TeX or MyST in the text. Then the README's HTML build, run into
the same output, must link the PDF from every page and carry it on the site and in the offline zip. The parsers of the log and of the
text are unmarked and run in every suite, each with a negative control.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, jupyter_book_command, toc_files, toc_source

PDF_NAME = "understanding-lstms.pdf"
OVERFULL_PT = 2.0            # TeX reports boxes 0.1 pt too wide; 2 pt is where a line visibly enters the margin
PAGES = (150, 450)           # 253 pages on 2026-12-08; a PDF outside this range lost or duplicated whole chapters
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CLOSING = "，。、；：？！）》」』】"


# ------------------------------------------------------------------------------------------------- parsers
def missing_characters(log: str) -> list[str]:
    """XeLaTeX's "Missing character: There is no X in font F!" lines (a glyph none of the fonts has: a box)."""
    return [line.strip() for line in log.splitlines() if line.startswith("Missing character:")]


def overfull_lines(log: str, limit: float = OVERFULL_PT) -> list[str]:
    """Overfull \\hbox warnings wider than ``limit`` pt: a line of text, an equation or a table past the margin."""
    found = []
    for m in re.finditer(r"^Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\) (.*)$", log, re.M):
        if float(m.group(1)) > limit:
            found.append(m.group(0))
    return found


def closing_punctuation_at_line_start(bbox: str) -> list[str]:
    """Words that begin with ， 。 、 ； ： ？ ！ ） ... and have nothing to their left on their line, from the output of
    ``pdftotext -bbox`` (one ``<word xMin= yMin= xMax= yMax=>`` per word): Chinese punctuation that starts a line,
    which xeCJK's line breaking forbids. pdftotext's plain text cannot tell: it splits a line where xeCJK squeezes two
    punctuation marks together ("（LSTM）：")."""
    found = []
    for page in re.findall(r"<page .*?</page>", bbox, re.S):
        words = [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)]
        for x0, y0, x1, y1, word in words:
            if not word or word[0] not in CLOSING:
                continue
            same_line = [w for w in words if abs(w[3] - y1) < 2.0 and w[0] < x0 - 1.0]   # starts to its left
            if not same_line:
                found.append(f"{word[:30]} at ({x0:.0f}, {y1:.0f})")
    return found


def comparable(text: str) -> str:
    """Only the letters (lower case) and the Han characters of ``text``, in order: what survives line breaks,
    hyphenation, ligatures, quotes, spacing and punctuation both in the sources and in pdftotext's output."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(re.findall(f"[a-z{HAN}]", text))


def split_title(title: str) -> tuple[str, str]:
    """("Appendix B · The LSTM backward pass, derived", "附录 B · LSTM 的反向传播推导") from a bilingual title: the
    Chinese half starts at the first " · " followed by a part with Han characters."""
    parts = title.split(" · ")
    for k in range(1, len(parts)):
        if re.search(f"[{HAN}]", parts[k]):
            return " · ".join(parts[:k]), " · ".join(parts[k:])
    raise ValueError(f"not a bilingual title: {title!r}")


# ------------------------------------------------------------------------------------------------- sources
def markdown_of(path: Path) -> str:
    """The markdown of a page: a .md file, or the markdown cells of a notebook joined."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def title_of(path: Path) -> str:
    for line in markdown_of(path).splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise ValueError(f"{path}: no '# ' title")


def _plain(paragraph: str) -> str:
    """A markdown paragraph without its markup: math, roles, links, emphasis and code dropped or unwrapped."""
    p = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", paragraph, flags=re.S)       # math
    p = re.sub(r"`[^`]*`", " ", p)                                       # inline code, a role's target
    p = re.sub(r"\{[a-z:]+\}", " ", p)                                   # the role: {cite:p}, {doc}
    p = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", p)                      # links, images
    p = re.sub(r"<[^>]+>", " ", p)                                       # html tags
    return p.replace("**", "").replace("*", "")


def _blocks(markdown: str, lang: str) -> list[str]:
    """The prose paragraphs inside ``<div class="lang-<lang>">`` blocks, in order."""
    out = []
    for m in re.finditer(rf'<div class="lang-{lang}"[^>]*>(.*?)</div>', markdown, re.S):
        out.extend(p for p in re.split(r"\n\s*\n", m.group(1)) if p.strip())
    return out


def samples(path: Path) -> tuple[str, str]:
    """(English, Chinese) sample of a page, as ``comparable`` text: the first 8 plain words in a row of its first
    English paragraphs, the first 12 Han characters in a row of its Chinese ones."""
    md = markdown_of(path)
    english = chinese = None
    for p in _blocks(md, "en"):
        if p.lstrip().startswith(("|", "#", "-", ">", ":", "```", "1.")):
            continue
        words = _plain(p).split()
        for k in range(len(words) - 7):
            window = words[k:k + 8]
            if all(re.fullmatch(r"[A-Za-z]+[,.;:]?", w) for w in window):
                english = comparable(" ".join(window))
                break
        if english:
            break
    for p in _blocks(md, "zh"):
        if p.lstrip().startswith(("|", "#", "-", ">", ":", "```", "1.")):
            continue
        run = re.search(f"[{HAN}]{{12,}}", _plain(p))
        if run:
            chinese = run.group(0)[:12]
            break
    if english is None or chinese is None:
        raise ValueError(f"{path}: no English or no Chinese prose paragraph to sample")
    return english, chinese


# ------------------------------------------------------------------------------------------------- negative controls
def test_log_parsers_catch_what_they_look_for():
    log = ("Overfull \\hbox (0.80087pt too wide) in paragraph at lines 10--12\n"
           "Missing character: There is no 门 (U+95E8) in font [lmroman10-regular]:mapping=tex-text;!\n"
           "Overfull \\hbox (15.61469pt too wide) in paragraph at lines 16627--16629\n"
           "Overfull \\vbox (1.1pt too high) detected at line 3231\n")
    assert missing_characters(log) == [log.splitlines()[1]]
    assert overfull_lines(log) == ["Overfull \\hbox (15.61469pt too wide) in paragraph at lines 16627--16629"]
    assert missing_characters("Package xeCJK Info: ...\n") == [] and overfull_lines("") == []


def test_text_checks_catch_what_they_look_for():
    def word(x, y, text):
        return f'<word xMin="{x}" yMin="{y - 10}" xMax="{x + 10 * len(text)}" yMax="{y}">{text}</word>'

    page = ('<page width="595" height="842">' + word(72, 100, "这是一句话") + word(72, 112, "，然后断行")
            + word(72, 124, "（LSTM）") + word(132, 124, "：正是") + "</page>")
    assert closing_punctuation_at_line_start(page) == ["，然后断行 at (72, 112)"]
    assert comparable("recur-\nrent ﬁlter “gates”, 细胞\n状态。") == "recurrentfiltergates细胞状态"
    assert split_title("Appendix B · The LSTM backward pass, derived · 附录 B · LSTM 的反向传播推导") == \
        ("Appendix B · The LSTM backward pass, derived", "附录 B · LSTM 的反向传播推导")
    with pytest.raises(ValueError):
        split_title("English only")


@pytest.mark.parametrize("docname", toc_files())
def test_every_page_has_samples_to_look_for(docname):
    """The samples the PDF test searches exist for every page (else the PDF test would check less than it says)."""
    english, chinese = samples(toc_source(docname))
    assert len(english) >= 25 and len(chinese) == 12


# ------------------------------------------------------------------------------------------------- the PDF
@dataclass
class PdfBuild:
    returncode: int
    output: str
    pdf: Path
    log: str
    text: str            # pdftotext, reading order
    bbox: str            # pdftotext -bbox (every word and where it is)
    pages: int
    seconds: float


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"`{tool}` is not installed: the PDF needs TeX and poppler (Debian: apt-get install "
                    "texlive-xetex texlive-lang-chinese texlive-latex-extra texlive-fonts-recommended latexmk "
                    "fonts-noto-cjk fonts-freefont-otf fonts-dejavu-core poppler-utils)")
    return found


@pytest.fixture(scope="module")
def pdf_build(tmp_path_factory) -> PdfBuild:
    for tool in ("xelatex", "latexmk", "pdftotext", "pdfinfo", "pdfimages"):
        _need(tool)
    out = Path(os.environ["LSTM_PDF_OUTPUT"]) if os.environ.get("LSTM_PDF_OUTPUT") else tmp_path_factory.mktemp("pdf")
    start = time.monotonic()
    proc = subprocess.run([*jupyter_book_command(), "build", str(ROOT), "--builder", "pdflatex", "--path-output",
                           str(out)], cwd=ROOT, capture_output=True, text=True, timeout=1200, check=False)
    seconds = time.monotonic() - start
    latex = out / "_build" / "latex"
    pdf = latex / PDF_NAME
    if proc.returncode != 0 or not pdf.is_file():
        pytest.fail(f"the PDF build failed (exit {proc.returncode}):\n{(proc.stdout + proc.stderr)[-4000:]}")
    log = (latex / PDF_NAME.replace(".pdf", ".log")).read_text(encoding="utf-8", errors="replace")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    print(f"PDF: {pdf.stat().st_size / 1e6:.1f} MB, {pages} pages, built in {seconds:.0f} s")
    return PdfBuild(proc.returncode, proc.stdout + proc.stderr, pdf, log, text, bbox, pages, seconds)


@pytest.mark.pdf
def test_the_pdf_has_the_whole_book(pdf_build):
    assert PAGES[0] <= pdf_build.pages <= PAGES[1], f"{pdf_build.pages} pages, expected {PAGES}"
    text = comparable(pdf_build.text)
    missing = []
    for docname in toc_files():
        for half in split_title(title_of(toc_source(docname))):
            if comparable(half) not in text:
                missing.append(f"{docname}: title {half!r}")
    assert not missing, "not in the PDF:\n" + "\n".join(missing)


@pytest.mark.pdf
def test_every_page_in_both_languages_english_first(pdf_build):
    text = comparable(pdf_build.text)
    problems = []
    for docname in toc_files():
        english, chinese = samples(toc_source(docname))
        at_en, at_zh = text.find(english), text.find(chinese)
        if at_en < 0:
            problems.append(f"{docname}: English sample {english!r} not found")
        if at_zh < 0:
            problems.append(f"{docname}: Chinese sample {chinese!r} not found")
        if at_en >= 0 and at_zh >= 0 and at_zh < at_en:
            problems.append(f"{docname}: the Chinese sample comes before the English one")
    assert not problems, "\n".join(problems)


@pytest.mark.pdf
def test_every_cited_reference_is_listed(pdf_build):
    """The references the pages cite (the References page lists those, as in the HTML), each by its title."""
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    entries = dict(re.findall(r"^@\w+\{([^,\s]+),(.*?)^\}", bib, re.M | re.S))
    cited = set()
    for docname in toc_files():
        for keys in re.findall(r"(?<!`)\{cite:[pt]\}`([^`]+)`", markdown_of(toc_source(docname))):
            cited.update(k.strip() for k in keys.split(","))
    titles = [re.search(r"^\s*title\s*=\s*\{(.+)\},?\s*$", entries[key], re.M).group(1) for key in sorted(cited)]
    assert len(titles) >= 20
    text = comparable(pdf_build.text)
    missing = [t for t in titles if comparable(re.sub(r"[{}\\]", "", t)) not in text]
    assert not missing, "references not in the PDF:\n" + "\n".join(missing)


@pytest.mark.pdf
def test_every_figure_is_embedded(pdf_build):
    shown = 0
    for docname in toc_files():
        path = toc_source(docname)
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            shown += sum("image/png" in o.get("data", {}) for c in nb["cells"] if c["cell_type"] == "code"
                         for o in c.get("outputs", []))
    listed = subprocess.run(["pdfimages", "-list", str(pdf_build.pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    images = [line for line in listed if line.split()[2] == "image"]
    assert shown > 20 and len(images) >= shown, f"{len(images)} images in the PDF for {shown} figures in the notebooks"


@pytest.mark.pdf
def test_no_missing_glyph_and_no_line_in_the_margin(pdf_build):
    assert not missing_characters(pdf_build.log), "\n".join(missing_characters(pdf_build.log)[:20])
    assert not overfull_lines(pdf_build.log), "\n".join(overfull_lines(pdf_build.log)[:20])


@pytest.mark.pdf
def test_chinese_is_set_by_its_rules_and_nothing_raw_is_left(pdf_build):
    starts = closing_punctuation_at_line_start(pdf_build.bbox)
    assert not starts, "\n".join(starts[:10])
    raw = [m.group(0) for m in re.finditer(r"\$\$|\\begin\{|\\frac|\{cite:[pt]\}`|\{doc\}`|\{numref\}`|\\text\{",
                                           pdf_build.text)]
    assert not raw, f"raw TeX or MyST in the PDF's text: {raw[:10]}"
    assert "\ufffd" not in pdf_build.text


@pytest.mark.pdf
def test_the_site_links_and_carries_the_pdf(pdf_build):
    """The README's build, run after the PDF's into the same output: every chapter links the PDF, the site and the
    offline zip hold it byte for byte."""
    import zipfile

    out = pdf_build.pdf.parents[2]          # <out>/_build/latex/understanding-lstms.pdf
    proc = subprocess.run([*jupyter_book_command(), "build", str(ROOT), "-W", "-n", "--keep-going", "--path-output",
                           str(out)], cwd=ROOT, capture_output=True, text=True, timeout=1200, check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    html = out / "_build" / "html"
    copied = html / "downloads" / PDF_NAME
    assert copied.read_bytes() == pdf_build.pdf.read_bytes()
    for docname in toc_files():
        page = (html / f"{docname}.html").read_text(encoding="utf-8")
        hrefs = set(re.findall(rf'href="([^"]*{re.escape(PDF_NAME)})"', page))
        assert hrefs, f"{docname}: no link to the PDF"
        for href in hrefs:
            assert ((html / docname).parent / href).resolve() == copied.resolve(), f"{docname}: {href}"
    with zipfile.ZipFile(html / "downloads" / "understanding-lstms-notebooks.zip") as zf:
        assert zf.read(f"understanding-lstms/{PDF_NAME}") == pdf_build.pdf.read_bytes()
