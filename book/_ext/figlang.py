"""Figures whose labels follow the reading mode (issue 11).

A notebook shows every matplotlib Figure through ``lstm_lib.diagrams._display.figure_png``; a figure with Chinese
text also carries an English and a Chinese rendering in its output metadata,
``metadata["image/png"]["lstm_variants"] = {"en": {"png": base64, "width", "height"}, "zh": {...}}``
(JupyterLab, Colab and nbval never look there: they show and compare the bilingual PNG alone).

myst-nb writes each ``image/png`` output to ``<sha256 of the PNG>.png`` and makes an image node of it. In the HTML
builder only, at ``doctree-resolved`` (the doctree of this build, after images are collected and before the builder
picks the files to copy), this replaces each such image node by a ``div.lstm-figlang`` of three images -- the
bilingual one (``img.lstm-fig-both``), the English one (``img.lstm-fig-en``) and the Chinese one
(``img.lstm-fig-zh``) -- each with the alt text and its own width and height, and ``loading="lazy"`` so that the
browser fetches only the one the mode shows (``lang-switch.css``: "both" and no-JavaScript show the bilingual one).
A figure's caption (``{figure}`` from ``mystnb_metadata``) stays where it is: the three images sit inside the same
``<figure>``. The variant PNGs are written beside myst-nb's outputs and registered with the environment, so Sphinx
copies them into ``_images``. The LaTeX (PDF) build never runs this: the PDF keeps the bilingual figure.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from docutils import nodes

LANGS = ("both", "en", "zh")


def notebook_variants(path: Path) -> dict[str, dict]:
    """sha256 (hex) of each bilingual PNG output of the notebook at ``path`` -> its ``lstm_variants``."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = (output.get("data") or {}).get("image/png")
            variants = ((output.get("metadata") or {}).get("image/png") or {}).get("lstm_variants")
            if not data or not variants:
                continue
            png = base64.b64decode("".join(data) if isinstance(data, list) else data)
            found[hashlib.sha256(png).hexdigest()] = variants
    return found


def _image(like: nodes.image, uri: str, lang: str, width, height) -> nodes.image:
    node = nodes.image(uri=uri, candidates={"*": uri}, loading="lazy")
    for key in ("alt", "align"):
        if key in like:
            node[key] = like[key]
    node["classes"] = [c for c in like.get("classes", [])] + [f"lstm-fig-{lang}"]
    for key, value in (("width", width), ("height", height)):
        if value is not None:
            node[key] = str(value)     # CSS px, as myst-nb writes the output's own width and height
    return node


def _on_doctree_resolved(app, doctree, docname) -> None:
    if app.builder.format != "html":
        return
    source = Path(app.env.doc2path(docname))
    if source.suffix != ".ipynb":
        return
    variants = notebook_variants(source)
    if not variants:
        return
    srcdir = Path(app.srcdir)
    for image in list(doctree.findall(nodes.image)):
        uri = image.get("uri", "")
        sha = Path(uri).stem
        if sha not in variants or Path(uri).suffix != ".png" or "lstm-figlang" in image.parent.get("classes", []):
            continue
        box = nodes.container(classes=["lstm-figlang"])
        both = image.deepcopy()
        both["classes"] = list(image.get("classes", [])) + ["lstm-fig-both"]
        both["loading"] = "lazy"
        box += both
        for lang in ("en", "zh"):
            variant = variants[sha][lang]
            png = base64.b64decode(variant["png"])
            name = f"{hashlib.sha256(png).hexdigest()}.png"
            # beside myst-nb's own file, under a name relative to the source directory as Sphinx's collector writes it
            rel = os.path.join(os.path.dirname(uri), name)
            target = srcdir / rel if not os.path.isabs(rel) else Path(rel)
            if not target.exists() or target.read_bytes() != png:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(png)
            app.env.images.add_file(docname, rel)
            box += _image(image, rel, lang, variant.get("width"), variant.get("height"))
        image.replace_self(box)


def setup(app):
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": False}
