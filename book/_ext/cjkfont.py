"""Sphinx extension: a CJK web font made at build time from the characters the built pages use.

A reader whose system has no Chinese font (many Linux installs, some e-readers, locked-down classroom machines) would
see boxes. At ``build-finished`` this collects every character of U+2E80 and above that occurs in the built HTML and
JavaScript (pages, search index, the reading switch's interface strings, explorers' outputs), cuts those glyphs out of
the Noto Sans CJK SC face that the pip package ``noto-cjk-sans-otc`` installs (OFL-1.1), with fontTools, and writes
``_static/fonts/lstm-cjk.woff`` (WOFF2 when the ``brotli`` module is present) plus ``_static/fonts/lstm-cjk.css``
(its ``@font-face``, family "LSTM Course CJK"). ``lang-switch.css`` lists that family after the system CJK fonts, so
a browser downloads it only when no system font has the glyphs. Nothing is committed: a new chapter's characters
are in the next build's subset automatically. The subset is cached in the doctree directory by character set.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

FAMILY = "LSTM Course CJK"
FACE = "Noto Sans CJK SC"
# text files of the build whose characters the subset must cover
SCANNED = (".html", ".js")
# characters always included (interface strings added at run time, punctuation a page may gain by JavaScript)
ALWAYS = "目录上一页下一页搜索回到顶部跳到正文结果图表代码阅读中文作者版权所有显示隐藏答案正在找到，。：；！？、（）“”‘’《》…—·"


def font_path() -> Path:
    import noto_cjk_sans_otc

    path = Path(noto_cjk_sans_otc.__file__).parent / "NotoSansCJK-Regular.ttc"
    if not path.is_file():
        raise FileNotFoundError(f"cjkfont: expected the Noto Sans CJK collection at {path}; "
                                "install it with `pip install noto-cjk-sans-otc` (requirements.txt)")
    return path


def characters(html_dir: Path) -> set[str]:
    """Every character >= U+2E80 in the built HTML/JS (MathJax's own files excluded), plus ALWAYS."""
    chars = set(ALWAYS)
    for path in html_dir.rglob("*"):
        if path.suffix not in SCANNED or "mathjax" in path.parts or not path.is_file():
            continue
        chars |= {ch for ch in path.read_text(encoding="utf-8", errors="ignore") if ord(ch) >= 0x2E80}
    return chars


def make_subset(chars: set[str], out: Path, flavor: str | None = None) -> Path:
    """Subset the SC face of the Noto Sans CJK collection to ``chars``; write a WOFF/WOFF2 file at ``out``."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    if flavor is None:
        try:
            import brotli  # noqa: F401
            flavor = "woff2"
        except ImportError:
            flavor = "woff"
    collection = TTCollection(str(font_path()), lazy=True)
    faces = [f for f in collection.fonts if f["name"].getDebugName(1) == FACE]
    if not faces:
        raise RuntimeError(f"cjkfont: no face named {FACE!r} in {font_path()}")
    font = faces[0]
    options = subset.Options()
    options.flavor = flavor
    options.hinting = False             # screen rendering hints are not worth their bytes in a web font
    options.desubroutinize = True       # smaller after compression
    options.layout_features = ["kern", "vert", "vrt2", "locl", "palt", "halt"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]   # keep copyright and licence names (OFL)
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = flavor
    font.save(str(out))
    return out


def font_face_css(filename: str, fmt: str) -> str:
    return ("/* Subset of Noto Sans CJK SC (SIL Open Font License 1.1), generated at build time by book/_ext/cjkfont.py:\n"
            "   only the characters of this book. Used only where no system font has the glyph. */\n"
            f"@font-face {{\n  font-family: \"{FAMILY}\";\n  src: url(\"{filename}\") format(\"{fmt}\");\n"
            "  font-weight: 100 900;\n  font-style: normal;\n  font-display: swap;\n}\n")


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    html_dir = Path(app.outdir)
    chars = characters(html_dir)
    key = hashlib.sha256("".join(sorted(chars)).encode("utf-8")).hexdigest()[:16]
    cache = Path(app.doctreedir) / f"lstm-cjk-{key}"
    fonts = html_dir / "_static" / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    cached = sorted(cache.parent.glob(cache.name + ".woff*"))
    if not cached:
        made = make_subset(chars, cache.with_suffix(".tmp"))
        flavor = "woff2" if made.read_bytes()[:4] == b"wOF2" else "woff"
        final = cache.parent / f"{cache.name}.{flavor}"
        os.replace(made, final)
        cached = [final]
    src = cached[0]
    flavor = src.suffix.lstrip(".")
    shutil.copyfile(src, fonts / f"lstm-cjk.{flavor}")
    (fonts / "lstm-cjk.css").write_text(font_face_css(f"lstm-cjk.{flavor}", flavor), encoding="utf-8")
    from sphinx.util import logging

    logging.getLogger(__name__).info(f"cjkfont: {len(chars)} characters, {src.stat().st_size // 1024} KiB ({flavor})")


def setup(app):
    app.connect("build-finished", _build_finished)
    app.add_css_file("fonts/lstm-cjk.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
