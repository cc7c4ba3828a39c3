"""What the tests of error messages share: a message in the library's words is English, " / ", then Chinese."""
import re

import pytest

CJK = re.compile(r"[\u4e00-\u9fff]")


def bilingual(excinfo, *words):
    """The message has English and Chinese halves and names every word given (expected vs got)."""
    msg = str(excinfo.value)
    assert " / " in msg and CJK.search(msg), msg
    for w in words:
        assert w in msg, (w, msg)


def bilingual_expected(excinfo, *fragments):
    """The cells' form (lstm_lib._validate): an English part, ' / ', a Chinese part saying 期望 (expected), and every
    given fragment (what was expected / what came). Returns the message."""
    msg = str(excinfo.value).strip("'\"")          # str() of a KeyError is the repr of its message
    assert " / " in msg and CJK.search(msg.split(" / ", 1)[1]), msg
    assert "期望" in msg, msg
    for frag in fragments:
        assert frag in msg, (frag, msg)
    return msg


def diagnosed(run, *words):
    """run() submits a wrong solution to a check: the check must fail, say that finite differences disagree (in both
    languages), and name every word of its diagnosis."""
    with pytest.raises(AssertionError) as e:
        run()
    msg = str(e.value)
    assert "finite differences" in msg and "有限差分" in msg
    for w in words:
        assert w in msg, (w, msg)
