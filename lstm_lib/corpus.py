"""Text corpora for character-level language models (chapter 8): load, vocabulary, encode/decode, a train/held-out
split, and batches for truncated backpropagation through time.

Two corpora ship with the package, in ``lstm_lib/data/`` (provenance, licences and checksums in its README; the
script ``lstm_lib/data/extract.py`` made them from Debian packages; nothing is downloaded at run time):

==============  ==============================================================  ===========  ==========
name            text                                                            characters   distinct
==============  ==============================================================  ===========  ==========
``tang300``     唐诗三百首, 313 poems with title and poet (Debian fortunes-zh)    29,567       2,578
``kjv_psalms``  the Book of Psalms, King James Version (Debian bible-kjv-text)   225,273      73
==============  ==============================================================  ===========  ==========

Example::

    >>> from lstm_lib import corpus
    >>> text = corpus.load("tang300")                 # checks the file's SHA-256 first
    >>> vocab = corpus.Vocab(text)
    >>> len(vocab), vocab.decode(vocab.encode("明月"))
    (2578, '明月')
    >>> train, held_out = corpus.split(text, held_out=0.1)   # every 10th poem is held out
    >>> ids = vocab.encode(train)
    >>> x, y = next(corpus.tbptt_batches(ids, batch_size=4, seq_len=8))
    >>> x.shape, y.shape                              # (T, B) inputs and their next characters
    ((8, 4), (8, 4))

Errors are raised in English then Chinese, naming what was expected and what came.
"""
import hashlib
import os

import numpy as np

from .nn import _err, _positive_int

__all__ = ["CORPORA", "DATA_DIR", "load", "path", "Vocab", "split", "tbptt_batches", "n_chunks"]

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

CORPORA = {
    "tang300": {
        "file": "tang300.txt",
        "sha256": "b67ed30b05ff15c320bde4bd294f23c1238599c3711b2f5c4a5b00b0a3b5029e",
        "sep": "\n\n",   # poems are separated by a blank line
        "en": "300 Tang poems (唐诗三百首), 313 poems with title and poet, from Debian's fortunes-zh",
        "zh": "唐诗三百首（共 313 首，含题目与作者），取自 Debian 的 fortunes-zh",
    },
    "kjv_psalms": {
        "file": "kjv_psalms.txt",
        "sha256": "0f430603d596b85c906dd75bbdc2dbcc2191e8c2dffd0fd3bf117dcdb436309e",
        "sep": "\n\n",   # psalms are separated by a blank line; one verse per line
        "en": "the Book of Psalms, King James Version (1611), one verse per line, from Debian's bible-kjv-text",
        "zh": "《诗篇》，英王钦定本（1611 年），每行一节，取自 Debian 的 bible-kjv-text",
    },
}


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def path(name):
    """The file of a shipped corpus, e.g. ``path("tang300")`` -> ``.../lstm_lib/data/tang300.txt``."""
    if name not in CORPORA:
        raise _err(f"corpus: expected a corpus name among {sorted(CORPORA)}, got {name!r}",
                   f"corpus：语料名称应为 {sorted(CORPORA)} 之一，实际为 {name!r}", KeyError)
    return os.path.join(DATA_DIR, CORPORA[name]["file"])


def load(name_or_path, sha256=None):
    """The text of a corpus, as a ``str``.

    ``name_or_path`` is a shipped corpus name (``"tang300"``, ``"kjv_psalms"``: the file's SHA-256 is checked against
    the one recorded in ``CORPORA``) or the path of a UTF-8 text file of your own (checked only if you pass
    ``sha256``). Raises ``FileNotFoundError`` for a missing file, ``ValueError`` for a checksum that differs (the file
    is not the one expected: re-install the package or re-run ``lstm_lib/data/extract.py``), for a file that is not
    UTF-8 and for an empty text.
    """
    where = "corpus.load"
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise _err(f"{where}: expected a corpus name {sorted(CORPORA)} or a file path, got "
                   f"{type(name_or_path).__name__}",
                   f"{where}：应传入语料名称 {sorted(CORPORA)} 或文件路径，实际为 {type(name_or_path).__name__}",
                   TypeError)
    if isinstance(name_or_path, str) and name_or_path in CORPORA:
        file = path(name_or_path)
        if sha256 is None:
            sha256 = CORPORA[name_or_path]["sha256"]
    else:
        file = os.fspath(name_or_path)
    if not os.path.isfile(file):
        raise _err(f"{where}: no such file {file!r} (expected a corpus name among {sorted(CORPORA)} or the path of "
                   f"a text file)",
                   f"{where}：文件 {file!r} 不存在（应为 {sorted(CORPORA)} 中的语料名称或文本文件的路径）",
                   FileNotFoundError)
    with open(file, "rb") as f:
        data = f.read()
    if sha256 is not None and _sha256(data) != sha256:
        raise _err(f"{where}: {file!r} is not the file expected: its SHA-256 is {_sha256(data)}, expected {sha256} "
                   f"(the file was changed or damaged; re-install lstm_lib or re-run lstm_lib/data/extract.py)",
                   f"{where}：{file!r} 不是预期的文件：其 SHA-256 为 {_sha256(data)}，应为 {sha256}"
                   f"（文件已被改动或损坏；请重新安装 lstm_lib 或重新运行 lstm_lib/data/extract.py）")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _err(f"{where}: {file!r} is not UTF-8 text ({e})",
                   f"{where}：{file!r} 不是 UTF-8 文本（{e}）") from None
    if not text.strip():
        raise _err(f"{where}: {file!r} holds no text (expected at least one non-blank character, got "
                   f"{len(text)} characters of white space)",
                   f"{where}：{file!r} 没有文本（应至少有一个非空白字符，实际只有 {len(text)} 个空白字符）")
    return text


class Vocab:
    """The characters of a text, each given an integer id (sorted by code point, so the ids do not depend on the
    order of the text).

    ``encode(text)`` -> int64 array of ids; ``decode(ids)`` -> str; ``chars`` the list of characters (id -> char);
    ``index`` the dict char -> id; ``len(vocab)`` the vocabulary size V.
    """

    def __init__(self, text):
        if not isinstance(text, str):
            raise _err(f"Vocab: expected the text as a str, got {type(text).__name__}",
                       f"Vocab：文本应为 str，实际为 {type(text).__name__}", TypeError)
        if not text:
            raise _err("Vocab: expected a non-empty text, got an empty string",
                       "Vocab：文本不能为空，实际为空字符串")
        self.chars = sorted(set(text))
        self.index = {c: i for i, c in enumerate(self.chars)}

    def __len__(self):
        return len(self.chars)

    def __repr__(self):
        return f"Vocab({len(self)} characters)"

    def encode(self, text):
        """str (length N) -> int64 array (N,) of ids; characters outside the vocabulary raise a KeyError."""
        if not isinstance(text, str):
            raise _err(f"Vocab.encode: expected a str, got {type(text).__name__}",
                       f"Vocab.encode：应传入 str，实际为 {type(text).__name__}", TypeError)
        try:
            return np.fromiter((self.index[c] for c in text), dtype=np.int64, count=len(text))
        except KeyError:
            unknown = sorted(set(text) - set(self.index))
            shown = "".join(unknown[:10]) + ("…" if len(unknown) > 10 else "")
            raise _err(f"Vocab.encode: {len(unknown)} character(s) outside the vocabulary of {len(self)}: {shown!r} "
                       f"(build the Vocab from a text that contains them)",
                       f"Vocab.encode：有 {len(unknown)} 个字符不在词表（共 {len(self)} 个字符）中：{shown!r}"
                       f"（请用包含这些字符的文本构建 Vocab）", KeyError) from None

    def decode(self, ids):
        """ids (any shape, flattened) in [0, V) -> str."""
        arr = np.asarray(ids)
        if arr.size == 0:
            return ""
        if arr.dtype.kind not in "iu":
            raise _err(f"Vocab.decode: expected integer ids, got dtype {arr.dtype}",
                       f"Vocab.decode：应传入整数 id，实际 dtype 为 {arr.dtype}", TypeError)
        if arr.min() < 0 or arr.max() >= len(self):
            raise _err(f"Vocab.decode: ids must lie in [0, {len(self)}), got values in [{arr.min()}, {arr.max()}]",
                       f"Vocab.decode：id 应在 [0, {len(self)}) 内，实际取值范围为 [{arr.min()}, {arr.max()}]")
        return "".join(self.chars[i] for i in arr.reshape(-1))


def split(text, held_out=0.1, sep="\n\n"):
    """(train, held-out) texts: the text is cut into pieces at ``sep`` (poems, psalms) and every k-th piece, k =
    round(1 / held_out), starting with the k-th, is held out. Spreading the held-out pieces over the whole text keeps
    both parts alike (the Tang poems are ordered by form: a held-out tail would be all quatrains).

    >>> split("a\\n\\nb\\n\\nc\\n\\nd", held_out=0.5)
    ('a\\n\\nc\\n\\n', 'b\\n\\nd\\n\\n')
    """
    where = "corpus.split"
    if not isinstance(text, str) or not text.strip():
        raise _err(f"{where}: expected a non-empty text (str), got {text!r:.40}",
                   f"{where}：应传入非空文本（str），实际为 {text!r:.40}")
    if isinstance(held_out, bool) or not isinstance(held_out, (float, int)) or not 0 < held_out <= 0.5:
        raise _err(f"{where}: held_out must be a fraction in (0, 0.5], got {held_out!r}",
                   f"{where}：held_out 应为 (0, 0.5] 内的比例，实际为 {held_out!r}")
    pieces = [p for p in text.split(sep) if p.strip()]
    k = max(2, round(1 / held_out))
    if len(pieces) < k:
        raise _err(f"{where}: the text has {len(pieces)} piece(s) separated by {sep!r}; expected at least {k} to hold "
                   f"out a fraction {held_out}",
                   f"{where}：文本中以 {sep!r} 分隔的片段只有 {len(pieces)} 个；要留出比例 {held_out}，至少需要 {k} 个")
    train = "".join(p.strip("\n") + sep for j, p in enumerate(pieces) if j % k != k - 1)
    held = "".join(p.strip("\n") + sep for j, p in enumerate(pieces) if j % k == k - 1)
    return train, held


def n_chunks(n_ids, batch_size, seq_len):
    """How many (x, y) chunks ``tbptt_batches`` yields for a stream of ``n_ids`` ids."""
    return max(0, n_ids - 1) // batch_size // seq_len


def tbptt_batches(ids, batch_size, seq_len, offset=0):
    """Chunks ``(x, y)`` of a token stream for truncated BPTT, each (seq_len, B) int64, y the next token of x.

    The stream (after skipping ``offset`` tokens) is cut into ``batch_size`` contiguous tracks, one per batch
    column; chunk k holds steps k·seq_len … (k+1)·seq_len − 1 of every track. Column b of chunk k+1 continues column
    b of chunk k, so the final state of one chunk is the right initial state of the next: carry it forward, and
    stop the gradient at the boundary (that is the truncation). One pass over the generator is one epoch.

    >>> [x[:, 0].tolist() for x, y in tbptt_batches(np.arange(20), batch_size=2, seq_len=3)]
    [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    """
    where = "corpus.tbptt_batches"
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise _err(f"{where}: expected a 1-D array of integer ids, got shape {ids.shape}, dtype {ids.dtype}",
                   f"{where}：应传入一维整数 id 数组，实际形状为 {ids.shape}，dtype 为 {ids.dtype}", TypeError)
    B = _positive_int("batch_size", batch_size, where)
    T = _positive_int("seq_len", seq_len, where)
    if isinstance(offset, bool) or not isinstance(offset, (int, np.integer)) or offset < 0:
        raise _err(f"{where}: offset must be a non-negative integer, got {offset!r}",
                   f"{where}：offset 应为非负整数，实际为 {offset!r}", TypeError)
    ids = ids[offset:]
    K = n_chunks(len(ids), B, T)
    if K == 0:
        raise _err(f"{where}: {len(ids)} ids are too few for one chunk of {T} steps in {B} tracks (need at least "
                   f"{B * (T + 1) + 1})",
                   f"{where}：{len(ids)} 个 id 太少，凑不出 {B} 条轨道上的一个 {T} 步的块（至少需要 {B * (T + 1) + 1} 个）")
    L = (len(ids) - 1) // B                                  # length of one track (+1 for the last target)
    tracks = ids[:B * L].reshape(B, L).T                     # (L, B): column b is track b
    nexts = ids[1:B * L + 1].reshape(B, L).T                 # (L, B): track b shifted by one, its targets
    for k in range(K):
        s = slice(k * T, (k + 1) * T)
        yield np.ascontiguousarray(tracks[s]), np.ascontiguousarray(nexts[s])
