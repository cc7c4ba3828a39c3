"""The course's diagrams, drawn by code in one style with bilingual labels.

``FIGURES[name]()`` returns a matplotlib Figure (no argument needed); ``CAPTIONS[name]`` holds its caption and alt
text in English and Chinese (``"en"``, ``"zh"``, ``"alt_en"``, ``"alt_zh"``). Every cell picture comes from one
parametric drawing, ``draw_cell(ax, kind, highlight, values)`` (module ``cell``); ``lstm_live(cell, x_t, state)``
draws a real step of an ``lstm_lib.LSTM`` with its values on the wires.

In a notebook::

    from lstm_lib import diagrams
    diagrams.FIGURES["focus-forget"]()          # the Figure is displayed as the cell's output
    print(diagrams.CAPTIONS["focus-forget"]["en"])

To give the figure a numbered, bilingual caption and alt text in the book, put
``diagrams.mystnb_metadata("focus-forget")`` into that code cell's metadata (myst-nb's ``mystnb.figure`` /
``mystnb.image`` keys); the caption is one paragraph of two ``<span class="lang-en|zh">``.

Importing this module registers the CJK font (``lstm_lib.fonts.use_cjk_font``) on first drawing.
"""
from .cell import draw_cell, KINDS, VALUE_SLOTS
from .figures import FIGURES, EQ, cell_figure, lstm_live, live_example, live_values
from .captions import CAPTIONS, caption_markdown, alt_text, mystnb_metadata
from .family import FAMILY_FIGURES, FAMILY_CAPTIONS
from .figures import _legible_figure

FIGURES.update({name: _legible_figure(make) for name, make in FAMILY_FIGURES.items()})   # Appendix C
CAPTIONS.update(FAMILY_CAPTIONS)

__all__ = ["FIGURES", "CAPTIONS", "EQ", "KINDS", "VALUE_SLOTS", "draw_cell", "cell_figure", "lstm_live",
           "live_example", "live_values", "draw", "caption_markdown", "alt_text", "mystnb_metadata", "figure_png"]


from . import _display
from ._display import figure_png

_display.register()   # notebooks show every Figure as a 2x PNG that records its smallest text


def draw(name):
    """``FIGURES[name]()``, with a clear error for an unknown name."""
    if name not in FIGURES:
        raise KeyError(f"no figure named {name!r} / 没有名为 {name!r} 的图; expected one of {sorted(FIGURES)}")
    return FIGURES[name]()
