"""lstm_lib.corpus: the shipped texts are the ones recorded, bad input gets a bilingual error, the vocabulary round-
trips, the split keeps every piece once, and the truncated-BPTT chunks continue each other."""
import hashlib
import os

import numpy as np
import pytest

from lstm_lib import corpus


@pytest.mark.parametrize("name", sorted(corpus.CORPORA))
def test_shipped_corpus_matches_its_checksum_and_readme(name):
    text = corpus.load(name)
    with open(corpus.path(name), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    assert digest == corpus.CORPORA[name]["sha256"]
    with open(os.path.join(corpus.DATA_DIR, "README.md"), encoding="utf-8") as f:
        assert digest in f.read(), "the data README must state the checksum the code checks"
    assert text.endswith("\n") and "\x1b" not in text and "\r" not in text


def test_tang300_is_the_313_poems_with_title_and_poet():
    text = corpus.load("tang300")
    poems = text.strip("\n").split("\n\n")
    assert len(poems) == 313
    assert all(p.startswith("《") and p.split("\n")[1].startswith("作者：") for p in poems)
    assert "%" not in text
    assert "床前明月光，疑是地上霜。" in text


def test_psalms_are_the_150_psalms_one_verse_per_line():
    text = corpus.load("kjv_psalms")
    psalms = text.strip("\n").split("\n\n")
    assert [p.split("\n")[0] for p in psalms] == [f"Psalm {k}" for k in range(1, 151)]
    assert "The LORD is my shepherd; I shall not want." in psalms[22].split("\n")
    assert len(psalms[118].split("\n")) == 1 + 176          # Psalm 119 has 176 verses


def test_bad_path_names_what_was_expected(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no such file .* / .*文件 .*不存在"):
        corpus.load(tmp_path / "missing.txt")
    with pytest.raises(FileNotFoundError, match="tang300"):
        corpus.load("tang_300")                              # a misspelt name is taken for a path and named
    with pytest.raises(TypeError, match="语料名称"):
        corpus.load(3)
    with pytest.raises(KeyError, match="corpus name"):
        corpus.path("nope")


def test_wrong_checksum_is_refused(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("床前明月光\n", encoding="utf-8")
    good = hashlib.sha256(p.read_bytes()).hexdigest()
    assert corpus.load(p, sha256=good) == "床前明月光\n"
    with pytest.raises(ValueError, match=r"not the file expected.*SHA-256.* / .*不是预期的文件"):
        corpus.load(p, sha256="0" * 64)


def test_a_changed_shipped_file_is_refused(tmp_path, monkeypatch):
    changed = tmp_path / "tang300.txt"
    changed.write_text(corpus.load("tang300").replace("明月", "明日", 1), encoding="utf-8")
    monkeypatch.setattr(corpus, "DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="re-install lstm_lib"):
        corpus.load("tang300")


def test_empty_and_non_utf8_text_is_refused(tmp_path):
    (tmp_path / "empty.txt").write_text(" \n\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"holds no text.* / .*没有文本"):
        corpus.load(tmp_path / "empty.txt")
    (tmp_path / "gbk.txt").write_bytes("唐诗".encode("gbk"))
    with pytest.raises(ValueError, match=r"not UTF-8 .* / .*不是 UTF-8"):
        corpus.load(tmp_path / "gbk.txt")
    with pytest.raises(ValueError, match="不能为空"):
        corpus.Vocab("")


def test_vocab_round_trip_and_characters_outside_it():
    text = corpus.load("tang300")
    vocab = corpus.Vocab(text)
    assert len(vocab) == 2578 and vocab.chars == sorted(vocab.chars)
    ids = vocab.encode(text)
    assert ids.dtype == np.int64 and ids.shape == (len(text),) and vocab.decode(ids) == text
    with pytest.raises(KeyError, match=r"2 character\(s\) outside the vocabulary.*'QZ'.* / .*有 2 个字符不在词表"):
        vocab.encode("明月QZ")
    with pytest.raises(ValueError, match=r"\[0, 2578\)"):
        vocab.decode([0, 2578])
    with pytest.raises(TypeError, match="整数"):
        vocab.decode(np.array([0.5]))
    assert vocab.decode([]) == ""


def test_split_keeps_every_piece_once_and_spreads_the_held_out_ones():
    text = corpus.load("tang300")
    train, held = corpus.split(text, held_out=0.1)
    pieces = text.strip("\n").split("\n\n")
    tr, ho = train.strip("\n").split("\n\n"), held.strip("\n").split("\n\n")
    assert sorted(tr + ho) == sorted(pieces) and len(ho) == 31
    assert ho == pieces[9::10]                              # every 10th poem: all forms are represented
    with pytest.raises(ValueError, match="held_out"):
        corpus.split(text, held_out=0.9)
    with pytest.raises(ValueError, match="至少需要"):
        corpus.split("one poem only", held_out=0.1)


def test_tbptt_chunks_continue_each_other_and_targets_are_next_ids():
    ids = np.arange(1000)
    chunks = list(corpus.tbptt_batches(ids, batch_size=4, seq_len=10, offset=3))
    assert len(chunks) == corpus.n_chunks(997, 4, 10) == 24
    for x, y in chunks:
        assert x.shape == y.shape == (10, 4) and np.array_equal(y, x + 1)
    for (x0, _), (x1, _) in zip(chunks, chunks[1:]):
        assert np.array_equal(x1[0], x0[-1] + 1)            # each column continues where the previous chunk stopped
    assert chunks[0][0][0, 0] == 3
    assert len({int(x[0, b]) for x, _ in chunks[:1] for b in range(4)}) == 4   # four different tracks
    with pytest.raises(ValueError, match="too few"):
        next(corpus.tbptt_batches(np.arange(10), batch_size=4, seq_len=10))
    with pytest.raises(TypeError, match="integer ids"):
        next(corpus.tbptt_batches(np.zeros(100), batch_size=2, seq_len=5))
