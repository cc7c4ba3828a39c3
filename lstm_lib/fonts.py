"""A CJK font for matplotlib, so that Chinese plot labels ("forget gate / 遗忘门") render without tofu boxes.

``use_cjk_font()`` finds a font with Chinese glyphs, registers it with matplotlib and puts it first in the sans-serif
list, with DejaVu Sans (matplotlib's default) as fallback for any glyph the CJK font lacks. It has to come first, not
second: the plain-text parts of a label that also holds mathtext (``"细胞状态 $C_t$"``) are drawn with one font only,
the first family found, with no fallback. Math symbols keep coming from matplotlib's mathtext fonts.
Call it before drawing; calling it again is harmless.

Where the font comes from, in order:

1. a static (non-variable) system font, if the machine has one: Noto Sans CJK SC, Source Han Sans SC/CN, Noto Sans SC,
   WenQuanYi Zen Hei / Micro Hei (for example Debian's ``fonts-noto-cjk``);
2. the pip package ``noto-cjk-sans-otc`` (in ``requirements.txt``), which ships the static Noto Sans CJK Regular
   collection (OFL-1.1), so Binder, Colab, CI and laptops all have the same font without any system package.

If neither exists, ``use_cjk_font()`` raises ``RuntimeError`` saying how to install one.
"""
from __future__ import annotations

import os

# Family names that cover simplified Chinese, best first. The first four are static fonts found on Linux systems
# (Debian/Ubuntu fonts-noto-cjk, Adobe's Source Han Sans, Google's Noto Sans SC, WenQuanYi); "Noto Sans CJK SC" is
# also the family name of the simplified-Chinese face inside the pip package's collection.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
)

INSTALL_HINT = (
    "No CJK font found for matplotlib / 找不到可供 matplotlib 使用的中文字体. "
    "Install one with `pip install noto-cjk-sans-otc` (it is in requirements.txt) "
    "or a system font such as `apt-get install fonts-noto-cjk`, then restart the kernel."
)

_chosen: str | None = None  # family name registered by a previous call


def _package_font_path() -> str | None:
    """Path of the Noto Sans CJK collection shipped by the ``noto-cjk-sans-otc`` pip package, or None."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(noto_cjk_sans_otc.__file__), "NotoSansCJK-Regular.ttc")
    return path if os.path.isfile(path) else None


def _static_system_family(font_manager) -> str | None:
    """First family of CJK_FAMILIES that matplotlib already knows from a system (non-pip) font file."""
    package_path = _package_font_path()
    known = {
        entry.name
        for entry in font_manager.fontManager.ttflist
        if package_path is None or os.path.realpath(entry.fname) != os.path.realpath(package_path)
    }
    for family in CJK_FAMILIES:
        if family in known:
            return family
    return None


def find_cjk_font() -> tuple[str, str | None]:
    """Return ``(family_name, path_to_register_or_None)`` for the best available CJK font, without changing rcParams.

    Raises RuntimeError with installation advice when no CJK font exists.
    """
    from matplotlib import font_manager

    family = _static_system_family(font_manager)
    if family is not None:
        return family, None
    path = _package_font_path()
    if path is not None:
        return "Noto Sans CJK SC", path
    raise RuntimeError(INSTALL_HINT)


def use_cjk_font() -> str:
    """Register a CJK font with matplotlib and make Chinese labels render; return the font's family name.

    Sets ``rcParams["font.family"] = ["sans-serif"]`` and puts the CJK family first in ``rcParams["font.sans-serif"]``,
    DejaVu Sans second. Idempotent: a second call changes nothing.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from lstm_lib.fonts import use_cjk_font
    >>> use_cjk_font() in ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
    ...                    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei")
    True
    """
    global _chosen
    import matplotlib
    from matplotlib import font_manager

    if _chosen is None:
        family, path = find_cjk_font()
        if path is not None:
            font_manager.fontManager.addfont(path)
            registered = {entry.name for entry in font_manager.fontManager.ttflist}
            if family not in registered:  # a different package version that names its faces otherwise
                raise RuntimeError(f"{path} registered with matplotlib but has no face named {family!r}. {INSTALL_HINT}")
        _chosen = family

    sans = [name for name in matplotlib.rcParams["font.sans-serif"] if name not in ("DejaVu Sans", _chosen)]
    matplotlib.rcParams["font.sans-serif"] = [_chosen, "DejaVu Sans", *sans]
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    # in a notebook: show Figures as 2x PNGs that record their smallest text (lstm_lib.diagrams._display)
    from .diagrams import _display
    _display.register()
    return _chosen
