"""How notebooks show a matplotlib Figure: a 2x PNG that records its smallest text, displayed at 100 CSS px per inch.

``figure_png(fig)`` renders at 200 dpi (sharp on high-density screens) and returns ``(png_bytes, metadata)`` where
``metadata = {"width": ..., "height": ...}`` is the size in CSS px (half the pixel size), which myst-nb writes on
the book's ``<img>``. The PNG carries a text chunk ``lstm:text`` = ``"min_pt=<smallest font size>;width_in=<width>"``
so that a test can compute how large the smallest text appears in the book (``tests/test_browser_reading.py``:
>= 11 CSS px at 1280 px). ``register()`` makes IPython use it for every ``Figure`` (the course's diagrams and
pyplot figures alike); it is called on import of ``lstm_lib.diagrams`` and by ``lstm_lib.fonts.use_cjk_font()``.
"""
from __future__ import annotations

import io

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


def figure_png(fig):
    """(png bytes at 200 dpi, {"width", "height"} in CSS px) for a Figure; see the module docstring."""
    ours = getattr(fig, "lstm_diagram", False)
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
    data = _with_text_chunk(data, "lstm:text", record)
    return data, {"width": round(width_px / SCALE), "height": round(height_px / SCALE)}


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
