"""Prose checks over every book page (book/*.md) and every notebook markdown cell (notebooks/*.ipynb).

1. Terms: no variant that book/terms.yml forbids (单元状态 where the glossary says 细胞状态, ...). A failure names the
   file, the variant and the canonical term. Occurrences inside a canonical term (时间反向传播 inside 随时间反向传播)
   or inside an allowed phrase of terms.yml, and variants shown in <span class="avoid">, are not flagged.
2. Structure (CONTRIBUTING.md, "Bilingual prose"): in each page / markdown cell, every <div class="lang-en"> block is
   immediately followed by a <div class="lang-zh"> block (same count, alternating, English first), the opening tag
   stands alone on its line (so the Markdown inside is parsed), and no prose stands outside a language div. Allowed
   outside: headings, display math, images, tables, HTML tag lines (details/summary/figure...), fenced code and
   directives, MyST targets and block breaks, front matter, HTML comments.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TERMS = yaml.safe_load((ROOT / "book" / "terms.yml").read_text(encoding="utf-8"))["terms"]


# ---------------------------------------------------------------------------------------------------------------------
# sources

def markdown_units() -> list[tuple[str, str]]:
    """(label, markdown text) for every book page and every notebook markdown cell."""
    units = []
    for path in sorted((ROOT / "book").rglob("*.md")):
        if "_static" in path.parts or "_ext" in path.parts or "_build" in path.parts:
            continue
        units.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for k, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") == "markdown":
                source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                units.append((f"{path.relative_to(ROOT)} cell {k}", source))
    return units


# ---------------------------------------------------------------------------------------------------------------------
# 1. terms

AVOID_SPAN = re.compile(r'<span class="avoid[^"]*">.*?</span>', re.S)


ZH_BLOCK = re.compile(r'<div class="lang-zh">(.*?)</div>', re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`|\]\([^)\s]*\)|https?://\S+")


def _blank(match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def find_forbidden(text: str, terms=TERMS) -> list[tuple[str, str, int]]:
    """[(variant, canonical, line)] for each forbidden variant in text.

    Plain variants (``forbidden``) anywhere; patterns (``forbidden_re``) anywhere outside inline code and link targets;
    ``forbidden_zh_re`` patterns only inside <div class="lang-zh"> blocks, outside inline code and link targets.
    For a pattern the reported variant is the matched text and the canonical term is the entry's ``say``."""
    text = AVOID_SPAN.sub(lambda m: " " * len(m.group(0)), text)  # keep offsets, hence line numbers
    lowered = text.lower()
    protected = []  # (start, end) of canonical terms and allowed phrases
    for entry in terms:
        for phrase in [entry["zh"], *entry.get("also_zh", []), *entry.get("allow", [])]:
            for m in re.finditer(re.escape(phrase.lower()), lowered):
                protected.append((m.start(), m.end()))
    spans = []  # (start, end, variant, canonical)
    for entry in terms:
        for variant in entry.get("forbidden", []):
            for m in re.finditer(re.escape(variant.lower()), lowered):
                if any(a <= m.start() and m.end() <= b for a, b in protected):
                    continue
                spans.append((m.start(), m.end(), variant, entry["zh"]))
    prose = CODE_SPAN.sub(_blank, text)          # same length: offsets still hold
    zh_only = " " * len(prose)
    for block in ZH_BLOCK.finditer(prose):
        zh_only = zh_only[:block.start(1)] + block.group(1) + zh_only[block.end(1):]
    for entry in terms:
        for key, where in (("forbidden_re", prose), ("forbidden_zh_re", zh_only)):
            for rule in entry.get(key, []):
                for m in re.finditer(rule["re"], where):
                    if any(a <= m.start() and m.end() <= b for a, b in protected):
                        continue
                    spans.append((m.start(), m.end(), m.group(0), rule["say"]))
    # report 通过时间反向传播 once, not also the 时间反向传播 inside it
    spans = [s for s in spans if not any(o is not s and o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0]
                                         for o in spans)]
    seen, unique = set(), []
    for s in sorted(spans):
        if (s[0], s[1]) not in seen:
            seen.add((s[0], s[1]))
            unique.append(s)
    return [(variant, canonical, text.count("\n", 0, start) + 1) for start, _, variant, canonical in unique]


def test_terms_yml_is_consistent():
    seen = {}
    for entry in TERMS:
        assert {"en", "zh", "forbidden"} <= set(entry), f"terms.yml entry {entry} lacks en/zh/forbidden"
        for variant in entry["forbidden"]:
            assert variant not in seen, f"{variant} is forbidden twice in terms.yml"
            seen[variant] = entry["zh"]
            assert variant != entry["zh"], f"{variant} is both canonical and forbidden"
    canonical = {e["zh"] for e in TERMS} | {a for e in TERMS for a in e.get("also_zh", [])}
    clash = canonical & set(seen)
    assert not clash, f"canonical and forbidden at once: {clash}"


def test_glossary_lists_every_term():
    """book/glossary.md shows each canonical term, each mistranslation as <span class="avoid">, and each accepted
    alternative of another text as <span class="avoid alternative"> with its source named on the same line."""
    glossary = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    for entry in TERMS:
        assert entry["zh"] in glossary, f"glossary.md lacks the canonical term {entry['zh']} ({entry['en']})"
        alternatives = {a["zh"]: a["source"] for a in entry.get("alternatives", [])}
        for variant in entry["forbidden"]:
            if variant in alternatives:
                line = next((l for l in glossary.splitlines()
                             if f'<span class="avoid alternative">{variant}</span>' in l), None)
                assert line is not None, f"glossary.md does not show {variant} as another text's rendering"
                source = alternatives[variant].split()[0]
                assert source in line, f"glossary.md shows {variant} without naming its source ({source})"
            else:
                assert f'<span class="avoid">{variant}</span>' in glossary, f"glossary.md does not show {variant} as avoided"


@pytest.mark.parametrize("label, text", markdown_units(), ids=lambda v: v if "\n" not in v and len(v) < 80 else "")
def test_no_forbidden_terms(label, text):
    hits = find_forbidden(text)
    assert not hits, "\n".join(f"{label} line {line}: '{variant}' is not our term; write '{canonical}' "
                               f"(book/terms.yml, glossary)" for variant, canonical, line in hits)


def test_readme_has_no_forbidden_terms():
    hits = find_forbidden((ROOT / "README.md").read_text(encoding="utf-8"))
    assert not hits, "\n".join(f"README.md line {line}: '{v}' -> '{c}'" for v, c, line in hits)


def test_checker_flags_a_variant():
    """Negative controls: a made-up sentence with 单元状态 is flagged with the replacement; canonical uses are not."""
    hits = find_forbidden('<div class="lang-zh">\n\nLSTM 的单元状态沿着顶部贯穿。\n\n</div>')
    assert hits == [("单元状态", "细胞状态", 3)]
    assert find_forbidden("随时间反向传播把梯度传回去；偏差-方差权衡；细胞状态。") == []
    assert find_forbidden("通过时间反向传播") == [("通过时间反向传播", "随时间反向传播", 1)]
    assert [v for v, _, _ in find_forbidden("偏差项 $b$ 初始化为 0。")] == ["偏差项"]
    assert find_forbidden('不要写 <span class="avoid">单元状态</span>。') == []
    assert find_forbidden("Cell状态") == [("cell状态", "细胞状态", 1)]


@pytest.mark.parametrize("text, expected", [
    ("LSTM 细胞的输入", ["细胞"]),                                  # a cell is 单元
    ("细胞状态沿顶部流动。", []),
    ("这是一个概念题。", ["概念题"]),
    ("运行检查单元即可。", ["检查单元"]),
    ("运行检查单元格即可。", []),
    ("用时间差分学习。", []),                                        # temporal difference, not a time lag
    ("遗忘门偏差 $b_f$ 很大", ["门偏差"]),
    ("估计有偏差，偏差-方差权衡。", []),                              # ordinary uses of 偏差
    ("调用程序库；数据库；仓库。", []),
    ("调用这个库。", ["库"]),
    ("把环路展开；不要写展开循环。", ["展开循环"]),
    ('<div class="lang-zh">\n\n打开 notebook 运行。\n\n</div>', ["notebook"]),
    ('<div class="lang-zh">\n\n打开 `notebooks/01_x.ipynb`。\n\n</div>', []),
    ('<div class="lang-en">\n\nOpen the notebook.\n\n</div>', []),
    ("d2l-zh 写作隐状态。", ["隐状态"]),
])
def test_checker_catches_the_mix(text, expected):
    assert [variant for variant, _, _ in find_forbidden(text)] == expected


# ---------------------------------------------------------------------------------------------------------------------
# 2. structure

OPEN = re.compile(r'^\s*<div class="lang-(en|zh)">\s*$')
OPEN_LOOSE = re.compile(r'<div\s+class="lang-(en|zh)"')
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,}|:{3,})")
SHARED_LINE = [
    re.compile(r"^\s{0,3}#{1,6}\s"),                     # heading (bilingual on one line)
    re.compile(r"^\s*!\[.*\]\(.*\)\s*$"),                  # image
    re.compile(r"^\s*\|"),                                  # table row
    re.compile(r"^\s*(</?[A-Za-z][^>]*>\s*)+$"),            # line of HTML tags only: <details ...>, </details>
    re.compile(r"^\s*<summary\b.*</summary>\s*$"),          # <summary>Model answer · 参考答案</summary>
    re.compile(r"^\s*\([\w:.\-]+\)=\s*$"),                  # MyST target (label)=
    re.compile(r"^\s*(\+\+\+|---|\*\*\*|___)\s*$"),         # block break / thematic break
]


def lint_structure(text: str) -> list[str]:
    """Problems in one page or markdown cell, each naming its line."""
    lines = text.split("\n")
    problems = []
    blocks = []  # (lang, first line, last line)
    k = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        k = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), len(lines) - 1) + 1
    last_block_end = None  # line index where the previous language block closed
    while k < len(lines):
        line = lines[k]
        stripped = line.strip()
        fence = FENCE.match(line)
        if fence:  # shared fenced block: code, code-cell, figure, directive
            marker = fence.group(1)
            j = k + 1
            while j < len(lines) and not lines[j].strip().startswith(marker[0] * len(marker)):
                j += 1
            k = j + 1
            continue
        if stripped.startswith("$$"):  # display math
            j = k
            if not (stripped.count("$$") >= 2 and len(stripped) > 2):
                j = k + 1
                while j < len(lines) and "$$" not in lines[j]:
                    j += 1
            k = j + 1
            continue
        if stripped.startswith("<!--"):
            j = k
            while j < len(lines) and "-->" not in lines[j]:
                j += 1
            k = j + 1
            continue
        m = OPEN.match(line)
        if m:
            lang = m.group(1)
            depth, j, content = 1, k + 1, False
            in_fence = None
            while j < len(lines):
                inner = lines[j]
                f = FENCE.match(inner)
                if in_fence:
                    if inner.strip().startswith(in_fence):
                        in_fence = None
                elif f:
                    in_fence = f.group(1)[0] * len(f.group(1))
                else:
                    depth += len(re.findall(r"<div\b", inner)) - len(re.findall(r"</div>", inner))
                    if depth <= 0:
                        break
                    if OPEN_LOOSE.search(inner):
                        problems.append(f"line {j + 1}: a language div inside another language div")
                if inner.strip():
                    content = True
                j += 1
            if j >= len(lines):
                problems.append(f"line {k + 1}: <div class=\"lang-{lang}\"> is never closed")
            if not content:
                problems.append(f"line {k + 1}: empty lang-{lang} block")
            if k + 1 < len(lines) and lines[k + 1].strip():
                problems.append(f"line {k + 1}: leave a blank line after <div class=\"lang-{lang}\"> "
                                "(or the Markdown inside is not parsed)")
            if lang == "zh":
                if not blocks or blocks[-1][0] != "en":
                    problems.append(f"line {k + 1}: lang-zh block without a lang-en block before it")
                elif any(lines[i].strip() for i in range(last_block_end + 1, k)):
                    problems.append(f"line {k + 1}: something stands between this lang-zh block and its lang-en block")
            elif blocks and blocks[-1][0] == "en":
                problems.append(f"line {blocks[-1][1] + 1}: lang-en block not followed by a lang-zh block")
            blocks.append((lang, k, j))
            last_block_end = j
            k = j + 1
            continue
        if OPEN_LOOSE.search(line):
            problems.append(f"line {k + 1}: put <div class=\"lang-..\"> alone on its line, followed by a blank line")
        elif stripped and not any(p.match(line) for p in SHARED_LINE):
            problems.append(f"line {k + 1}: prose outside a language div: {stripped[:60]!r}")
        k += 1
    if blocks and blocks[-1][0] == "en":
        problems.append(f"line {blocks[-1][1] + 1}: lang-en block not followed by a lang-zh block")
    n_en = sum(b[0] == "en" for b in blocks)
    n_zh = len(blocks) - n_en
    if n_en != n_zh:
        problems.append(f"{n_en} lang-en blocks but {n_zh} lang-zh blocks")
    return problems


@pytest.mark.parametrize("label, text", markdown_units(), ids=lambda v: v if "\n" not in v and len(v) < 80 else "")
def test_bilingual_structure(label, text):
    problems = lint_structure(text)
    assert not problems, f"{label}:\n" + "\n".join(problems)


GOOD = """# 1.2 Unrolling the loop · 展开循环

<div class="lang-en">

The **cell state** $C_t$ runs along the top.

</div>
<div class="lang-zh">

**细胞状态** $C_t$ 沿着图的上方贯穿而过。

</div>

$$
C_t = f_t \\odot C_{t-1} + i_t \\odot \\tilde C_t
$$

```python
print("shared code")
```

<details class="solution">
<summary>Model answer · 参考答案</summary>

<div class="lang-en">

Yes.

</div>
<div class="lang-zh">

是的。

</div>

</details>
"""


def test_structure_lint_accepts_the_convention():
    assert lint_structure(GOOD) == []


@pytest.mark.parametrize("bad, expected", [
    (GOOD.replace("Yes.", "Yes.\n\n</div>\n<div class=\"lang-en\">\n\nAgain."), "not followed by a lang-zh"),
    (GOOD + "\nA stray English paragraph.\n", "prose outside a language div"),
    (GOOD.replace('<div class="lang-en">\n\nThe', '<div class="lang-en">\nThe'), "leave a blank line"),
    (GOOD.replace('<div class="lang-zh">\n\n**细胞状态**', '<div class="lang-zh">\n\n'
                  '**细胞状态**', 1).replace("\n<div class=\"lang-zh\">\n\n**细胞", "\nlost\n<div class=\"lang-zh\">\n\n**细胞"),
     "between this lang-zh block"),
    ('<div class="lang-zh">\n\n只有中文。\n\n</div>\n', "without a lang-en block"),
    ('<div class="lang-en">Inline.</div>\n<div class="lang-zh">行内。</div>\n', "alone on its line"),
])
def test_structure_lint_catches(bad, expected):
    problems = lint_structure(bad)
    assert any(expected in p for p in problems), problems


def test_library_messages_use_the_terms():
    """lstm_lib's Chinese strings (errors, captions, plot labels) follow the glossary too: no 细胞 for a cell."""
    hits = []
    for path in sorted((ROOT / "lstm_lib").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for variant, canonical, _ in find_forbidden(line):
                if variant.startswith("细胞"):
                    hits.append(f"{path.relative_to(ROOT)} line {n}: '{variant}' -> '{canonical}'")
    assert not hits, "\n".join(hits)
