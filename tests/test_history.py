"""lstm_lib.history (Appendix D's timeline data) and its figure: every entry cites a key of book/references.bib, the
years are in order, both languages are there, each printed number is the one the entry's sentence states, and the
figure draws what the data holds."""
from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path

import pytest

from lstm_lib import history
from lstm_lib.history import ENTRIES, Entry, check_entries, table_html

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
NUM = re.compile(r"\d+(?:\.\d+)?")


def bib_keys():
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\s*\{\s*([^,\s]+)\s*,", text, re.MULTILINE))


def test_every_key_is_in_references_bib():
    keys = bib_keys()
    missing = [e.key for e in ENTRIES if e.key not in keys]
    assert missing == []
    assert "nobody2099nothing" not in keys        # negative control: the lookup can fail


def test_keys_are_distinct_and_years_ordered():
    assert len({e.key for e in ENTRIES}) == len(ENTRIES)
    years = [e.year for e in ENTRIES]
    assert years == sorted(years) and years[0] == 1990 and years[-1] == 2024
    assert check_entries(ENTRIES) == ENTRIES


def test_out_of_order_and_bad_input_are_caught():
    with pytest.raises(ValueError, match="out of order"):
        check_entries(ENTRIES[::-1])
    with pytest.raises(ValueError, match="at least one"):
        check_entries(())
    with pytest.raises(TypeError, match="Entry"):
        check_entries([("1997", "LSTM")])
    with pytest.raises(ValueError, match="unknown era"):
        check_entries([dataclasses.replace(ENTRIES[0], era="bronze age")])


def test_both_languages():
    for e in ENTRIES:
        for text in (e.label_en, e.result_en):
            assert text.strip() and not CJK.search(text), (e.key, text)
        assert CJK.search(e.result_zh), e.key
        assert CJK.search(e.label_zh) or e.label_zh == e.label_en, e.key   # names like "RWKV" stay as they are
        if e.number and re.search(r"[A-Za-z]{4,}", e.number.replace("BLEU", "")):
            assert " · " in e.number and CJK.search(e.number), f"{e.key}: words in {e.number!r} need a Chinese half"


def test_each_number_is_stated_in_its_sentence():
    """The figure's short number must say what the entry's sentence says, in both languages."""
    with_numbers = [e for e in ENTRIES if e.number]
    assert len(with_numbers) >= 10
    for e in with_numbers:
        for n in NUM.findall(e.number):
            assert n in e.result_en, (e.key, n, "en")
            assert n in e.result_zh.replace("140 亿", "14 billion"), (e.key, n, "zh")
    # negative control: a mistyped number is noticed
    wrong = dataclasses.replace(with_numbers[0], number="3.14")
    assert not all(n in wrong.result_en for n in NUM.findall(wrong.number))


def test_chapters_exist():
    for e in ENTRIES:
        if e.chapter:
            assert (ROOT / "notebooks" / f"{e.chapter}.ipynb").exists(), (e.key, e.chapter)


def test_table_has_one_row_per_entry():
    t = table_html()
    assert t.count("<tr>") == len(ENTRIES) + 1                    # header + rows
    assert t.count('<span class="lang-en">') == t.count('<span class="lang-zh">') == 2 * len(ENTRIES)
    for e in ENTRIES:
        assert f"<code>{e.key}</code>" in t
    assert "<td>&gt; 1000" in t and "<td>> 1000" not in t                # escaped
    assert table_html(ENTRIES[:2]).count("<tr>") == 3


def test_timeline_draws_the_entries():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from lstm_lib.diagrams import FIGURES
    from lstm_lib.diagrams.timeline import history_timeline

    fig = FIGURES["history-timeline"]()
    FigureCanvasAgg(fig).draw()
    assert [(y, label) for y, label, _ in fig.lstm_rows] == [(e.year, e.label_en) for e in ENTRIES]
    sides = [side for *_, side in fig.lstm_rows]
    assert all(a != b for a, b in itertools.pairwise(sides))          # alternating, so labels don't collide
    years = [t.get_text() for t in fig.findobj(Text) if t.get_gid() == "year"]
    assert years == [str(e.year) for e in ENTRIES]
    numbers = [t.get_text() for t in fig.findobj(Text) if (t.get_gid() or "").startswith("number:")]
    assert numbers == [e.number for e in ENTRIES if e.number]
    small = history_timeline(ENTRIES[:3])
    assert len(small.lstm_rows) == 3 and small.get_size_inches()[1] < fig.get_size_inches()[1]
    with pytest.raises(ValueError, match="out of order"):
        history_timeline(ENTRIES[::-1])


def test_module_docstring_names_the_figure():
    assert "history-timeline" in history.__doc__
    assert isinstance(ENTRIES[0], Entry)
