"""How notebooks show a matplotlib Figure: a 2x PNG that records its smallest text, displayed at 100 CSS px per inch.

``figure_png(fig)`` renders at 200 dpi (sharp on high-density screens) and returns ``(png_bytes, metadata)`` where
``metadata = {"width": ..., "height": ...}`` is the size in CSS px (half the pixel size), which myst-nb writes on
the book's ``<img>``. The PNG carries a text chunk ``lstm:text`` = ``"min_pt=<smallest font size>;width_in=<width>"``
so that a test can compute how large the smallest text appears in the book (``tests/test_browser_reading.py``:
>= 11 CSS px at 1280 px). ``register()`` makes IPython use it for every ``Figure`` (the course's diagrams and
pyplot figures alike); it is called on import of ``lstm_lib.diagrams`` and by ``lstm_lib.fonts.use_cjk_font()``.

Reading modes (issue 11): a figure with Chinese text is also rendered in English and in Chinese, each label replaced
by its half (``split_bilingual``; a Chinese-only text is hidden in the English one), and the two PNGs go into the
metadata, ``metadata["lstm_variants"] = {"en": {"png": base64, "width", "height"}, "zh": {...}}``, with records
ending ``;lang=en|zh;han=<visible texts with Han>`` (the bilingual record ends ``;han=<n>``). Only the book uses them (``book/_ext/figlang.py`` shows the one
of the reader's mode); JupyterLab, Colab and nbval show or compare the bilingual PNG alone. The figure is restored
exactly after each rendering.
"""
from __future__ import annotations

import base64
import io
import re

DPI = 200
SCALE = 2  # image pixels per CSS pixel


def smallest_text_pt(fig):
    """Smallest font size (pt) among the visible, non-empty texts drawn inside the figure, or None."""
    from matplotlib.text import Text

    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else None
    box = fig.bbox
    sizes = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip() or t.get_alpha() == 0:
            continue
        try:
            extent = t.get_window_extent(renderer)
        except Exception:      # a text that cannot be laid out is not drawn either
            continue
        if extent.width > 0 and extent.overlaps(box):
            sizes.append(t.get_fontsize())
    return min(sizes) if sizes else None


_HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LATIN = re.compile(r"[A-Za-z]")
_MATH = re.compile(r"\$[^$]*\$")
_SEPARATORS = (" / ", " · ", "\n")
_OPEN, _CLOSE = "(（", ")）"
# a leading name the Chinese half of "RNN, default init / 默认初始化" leaves implicit ("RNN", "LSTM $b_f$ = 1")
_GROUP = re.compile(r"([(（])([^()（）]*)([)）])")   # one parenthesised group, without nested parentheses
_PREFIX = re.compile(r"^([A-Z][A-Z0-9]+(?: \$[^$]*\$ = [\d.]+)?)(, |: )")


def has_han(s: str) -> bool:
    """True if ``s`` has a Han character or CJK punctuation."""
    return bool(_HAN.search(s))


def _segments(s: str):
    """Split ``s`` at the separators " / ", " · ", "\\n" outside $maths$ and (parentheses): ([segments], [separators])."""
    segments, seps, start, depth, math, k = [], [], 0, 0, False, 0
    while k < len(s):
        ch = s[k]
        if ch == "$":
            math = not math
        elif not math and ch in _OPEN:
            depth += 1
        elif not math and ch in _CLOSE and depth:
            depth -= 1
        elif not math and not depth:
            sep = next((p for p in _SEPARATORS if s.startswith(p, k)), None)
            if sep:
                segments.append(s[start:k])
                seps.append(sep)
                k += len(sep)
                start = k
                continue
        k += 1
    segments.append(s[start:])
    return segments, seps


def _split_groups(s: str):
    """(en, zh) of a string whose bilingual parts are inside parentheses: "LSTM: $C_t$ (cell state / 细胞状态)"."""
    en, zh, k, changed = [], [], 0, False
    for m in _GROUP.finditer(s):
        inner_en, inner_zh = split_bilingual(m.group(2))
        en.append(s[k:m.start()] + m.group(1) + inner_en + m.group(3))
        zh.append(s[k:m.start()] + m.group(1) + inner_zh + m.group(3))
        changed |= inner_en != inner_zh
        k = m.end()
    en.append(s[k:])
    zh.append(s[k:])
    return ("".join(en), "".join(zh)) if changed else (s, s)


def _join(kept, segments, seps):
    """Rejoin the kept segment indices with the original separators (a language separator next to a
    neutral segment becomes a space: "(< 0.1) · 左饱和比例" -> "(< 0.1) 左饱和比例")."""
    out = ""
    for n, (i, text, kind) in enumerate(kept):
        if n:
            j = kept[n - 1][0]
            between = seps[j:i]
            if "\n" in between:
                sep = "\n"
            else:
                sep = " " if "both" in (kind, kept[n - 1][2]) else between[-1]
            out += sep
        out += text
    return out


def split_bilingual(s: str) -> tuple[str, str]:
    """The English and the Chinese rendering of a bilingual figure label.

    Labels are written "English / 中文", "English · 中文" or "English\\n中文". The string is cut at those separators
    (not inside ``$maths$`` or parentheses); a segment with Han characters goes to the Chinese side, one with Latin
    letters and no Han to the English side, one with neither (numbers, "(< 0.1)", pure maths) to both; each side is
    rejoined with the original separators. Parentheses that hold their own bilingual pair are split inside
    ("(gradient norm / 梯度范数)"). Where the Chinese half leaves the English half's leading name implicit ("RNN,
    default init / 默认初始化") or its maths ("cell-state path $\\prod f$ / 细胞状态通路"), the Chinese side gets them,
    so that the legend entries of a single-language figure stay distinct. A string that is not bilingual is returned
    unchanged on both sides.

    >>> split_bilingual("forget gate\\n遗忘门")
    ('forget gate', '遗忘门')
    >>> split_bilingual("training loss / 训练损失")
    ('training loss', '训练损失')
    """
    if not has_han(s):
        return s, s
    segments, seps = _segments(s)
    if len(segments) == 1:
        return _split_groups(s)
    kinds = []
    for seg in segments:
        bare = _MATH.sub("", seg)
        if has_han(bare):
            outside = re.sub(r"[(（][^()（）]*[)）]", "", bare)
            kinds.append("zh" if has_han(outside) else "mixed")
        elif _LATIN.search(bare):
            kinds.append("en")
        else:
            kinds.append("both")
    if "en" not in kinds and "mixed" not in kinds:
        # "$\\prod f$ / 细胞状态通路": maths beside Chinese is the English half
        kinds = ["en" if k == "both" and _LATIN.search(seg) else k for seg, k in zip(segments, kinds)]
        if "en" not in kinds:
            return s, s
    en_kept, zh_kept = [], []
    for i, (seg, kind) in enumerate(zip(segments, kinds)):
        if kind == "mixed":
            seg_en, seg_zh = _split_groups(seg)
            en_kept.append((i, seg_en, kind))
            zh_kept.append((i, seg_zh, kind))
        elif kind == "both":
            en_kept.append((i, seg, kind))
            zh_kept.append((i, seg, kind))
        elif kind == "en":
            en_kept.append((i, seg, kind))
        else:
            if i and kinds[i - 1] == "en" and seps[i - 1] in (" / ", " · "):
                seg = _complete_chinese(segments[i - 1], seg)
            zh_kept.append((i, seg, kind))
    return _join(en_kept, segments, seps), _join(zh_kept, segments, seps)


def _complete_chinese(en: str, zh: str) -> str:
    """The Chinese half of an "English / 中文" pair with what it leaves implicit: the English half's leading
    name ("RNN, ...", "LSTM $b_f$ = 1: ...") and, if the Chinese has no maths, the English half's maths."""
    m = _PREFIX.match(en)
    prefix = ""
    if m and m.group(1).split()[0] not in zh:
        prefix = m.group(1) + ("，" if m.group(2) == ", " else "：")
        en = en[m.end():]
    if "$" not in zh:
        maths = _MATH.findall(en)
        if maths:
            zh = zh + " " + " ".join(maths)
    return prefix + zh


def _variants(fig, ours):
    """{"en": {...}, "zh": {...}} renderings of a figure with Chinese text, or None; the figure is restored."""
    from matplotlib.text import Text

    texts = [t for t in fig.findobj(Text) if t.get_text() and has_han(t.get_text())]
    if not texts:
        return None
    out = {}
    for lang in ("en", "zh"):
        saved = [(t, t.get_text(), t.get_visible()) for t in texts]
        try:
            for t, s, _ in saved:
                en, zh = split_bilingual(s)
                new = en if lang == "en" else zh
                t.set_text(new)
                if lang == "en" and has_han(new):
                    t.set_visible(False)   # a Chinese-only label has no English rendering
            data, size = _render(fig, ours, extra=f";lang={lang}")
        finally:
            for t, s, visible in saved:
                t.set_text(s)
                t.set_visible(visible)
        out[lang] = {"png": base64.b64encode(data).decode("ascii"), **size}
    fig.draw_without_rendering()   # lay the figure out again as it was
    return out


def visible_han_texts(fig) -> int:
    """How many visible texts of the figure have Han characters."""
    from matplotlib.text import Text

    return sum(1 for t in fig.findobj(Text) if t.get_visible() and t.get_text() and has_han(t.get_text()))


def _render(fig, ours, extra=""):
    min_pt = smallest_text_pt(fig)
    buf = io.BytesIO()
    # pyplot figures are cropped as the inline backend crops them; the course's diagrams are laid out to the edge
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches=None if ours else "tight",
                metadata={"Software": None})
    data = buf.getvalue()
    width_px = int.from_bytes(data[16:20], "big")
    height_px = int.from_bytes(data[20:24], "big")
    record = (f"width_in={width_px / DPI:.3f}" + ("" if min_pt is None else f";min_pt={min_pt:.2f}")
              + (";diagram=1" if ours else ""))
    record += f"{extra};han={visible_han_texts(fig)}"
    data = _with_text_chunk(data, "lstm:text", record)
    return data, {"width": round(width_px / SCALE), "height": round(height_px / SCALE)}


def figure_png(fig):
    """(png bytes at 200 dpi, {"width", "height"[, "lstm_variants"]} in CSS px) for a Figure; see the module docstring."""
    ours = getattr(fig, "lstm_diagram", False)
    data, metadata = _render(fig, ours)
    variants = _variants(fig, ours)
    if variants:
        metadata["lstm_variants"] = variants
    return data, metadata


def _with_text_chunk(png: bytes, key: str, value: str) -> bytes:
    """Insert a tEXt chunk after IHDR."""
    import struct
    import zlib

    body = key.encode("latin-1") + b"\x00" + value.encode("latin-1")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    end_of_ihdr = 8 + 4 + 4 + 13 + 4
    return png[:end_of_ihdr] + chunk + png[end_of_ihdr:]


def register() -> bool:
    """Use figure_png for every matplotlib Figure IPython displays; False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    ip = get_ipython()
    if ip is None:
        return False
    import matplotlib
    from matplotlib.figure import Figure

    # The inline backend puts its own PNG formatter (1x, no record) in place when its module is first loaded, and
    # pyplot loads it lazily, at the first figure -- after this call, so that every plt.show() would undo it unless
    # the notebook said %matplotlib inline first. Loading it now makes ours the one that stays.
    backend = (matplotlib.get_backend(auto_select=False) if matplotlib.__version_info__ >= (3, 10)
               else matplotlib.rcParams._get("backend"))
    if isinstance(backend, str) and backend in ("inline", "module://matplotlib_inline.backend_inline"):
        import matplotlib_inline.backend_inline  # noqa: F401
    ip.display_formatter.formatters["image/png"].for_type(Figure, figure_png)
    return True
