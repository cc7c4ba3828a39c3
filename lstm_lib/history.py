"""A history of the LSTM in numbers: the dated entries of Appendix D, one per paper, each with the result that
mattered and, where the paper gives one, its number.

``ENTRIES`` is a tuple of :class:`Entry`, in order of year (ties in order of appearance). Every ``key`` is a bibtex key
of ``book/references.bib``; every ``number`` is copied from the paper's abstract or results (Appendix D says where
each was checked). An entry whose paper states no single headline number has ``number = None``: the result is then
said in words only. ``table_html()`` renders the entries as the bilingual table of the appendix;
``lstm_lib.diagrams.FIGURES["history-timeline"]`` draws them.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

ERAS = {   # era -> (English, Chinese); the timeline figure colours entries by era
    "foundations": ("foundations", "奠基"),
    "applications": ("applications", "应用"),
    "attention": ("attention", "注意力"),
    "revival": ("recurrent revival", "循环网络复兴"),
}


@dataclass(frozen=True)
class Entry:
    year: int
    label_en: str          # a short name for the figure
    label_zh: str
    key: str               # bibtex key in book/references.bib
    result_en: str         # the result that mattered, in a sentence
    result_zh: str
    number: str | None     # the headline number as the paper reports it (words bilingual: "… · …"), or None
    era: str               # a key of ERAS
    chapter: str | None = None   # the course notebook that takes the idea up, e.g. "04_core_idea"


ENTRIES = (
    Entry(1990, "Simple recurrent network", "简单循环网络", "elman1990finding",
          "A network that feeds its hidden layer back as context learns to predict the next word, and word classes "
          "(nouns, verbs) appear in its hidden states without being taught.",
          "把隐藏层作为上下文反馈回来的网络学会预测下一个词，名词、动词等词类无须教授就出现在它的隐藏状态里。",
          None, "foundations", "01_recurrent_neural_networks"),
    Entry(1991, "Vanishing gradient", "梯度消失", "hochreiter1991untersuchungen",
          "A diploma thesis analyses why error signals sent back through time shrink or blow up exponentially.",
          "一篇毕业论文分析了误差信号沿时间往回传递时为什么会指数式地衰减或爆炸。",
          None, "foundations", "02_long_term_dependencies"),
    Entry(1997, "LSTM", "长短期记忆", "hochreiter1997long",
          "Constant error carousels with multiplicative input and output gates bridge time lags of more than "
          "1000 steps on artificial tasks that earlier recurrent nets never solved.",
          "带乘法输入门和输出门的恒定误差传送带，在以前的循环网络从未解决过的人工任务上跨越了 1000 多个时间步的间隔。",
          "> 1000 steps · 步", "foundations", "04_core_idea"),
    Entry(2000, "Forget gate", "遗忘门", "gers2000learning",
          "Without resets the cell state of the 1997 LSTM grows on continual input streams; a forget gate lets the "
          "cell reset itself, and continual versions of the benchmark tasks become solvable.",
          "没有重置时，1997 年 LSTM 的细胞状态在连续输入流上不断增长；遗忘门让记忆单元学会自行重置，"
          "基准任务的连续版本由此可解。",
          None, "foundations", "05_lstm_step_by_step"),
    Entry(2000, "Peephole connections", "窥视孔连接", "gers2000recurrent",
          "Connections from the cell state to the gates let an LSTM tell apart spike trains whose spikes are 50 or "
          "49 steps apart, and generate precisely timed spikes.",
          "从细胞状态到各个门的连接让 LSTM 能区分脉冲间隔为 50 步还是 49 步的序列，并生成时间精确的脉冲。",
          "50 vs 49 steps · 步", "foundations", "06a_lstm_variants"),
    Entry(2005, "Bidirectional LSTM", "双向 LSTM", "graves2005framewise",
          "On framewise phoneme classification (TIMIT), bidirectional nets beat unidirectional ones, and LSTM is "
          "faster to train and more accurate than plain RNNs and time-windowed MLPs.",
          "在逐帧音素分类（TIMIT）上，双向网络胜过单向网络，LSTM 比普通循环神经网络和带时间窗的多层感知机训练更快、更准确。",
          None, "applications", None),
    Entry(2006, "CTC", "连接时序分类 (CTC)", "graves2006connectionist",
          "Connectionist temporal classification trains a recurrent net to label unsegmented sequences directly; "
          "on TIMIT it beats both an HMM baseline and a hybrid HMM–RNN.",
          "连接时序分类直接训练循环网络为未切分的序列打标签；在 TIMIT 上它同时胜过 HMM 基线和 HMM–RNN 混合系统。",
          None, "applications", None),
    Entry(2009, "Handwriting", "手写识别", "graves2009novel",
          "A bidirectional LSTM trained with CTC reads unconstrained handwritten lines with 79.7% word accuracy "
          "on online and 74.1% on offline data, well above a state-of-the-art HMM system.",
          "用 CTC 训练的双向 LSTM 识别无约束的手写文本行，联机数据的词准确率为 79.7%，脱机数据为 74.1%，"
          "明显高于当时最好的 HMM 系统。",
          "79.7% / 74.1%", "applications", None),
    Entry(2013, "Speech (TIMIT)", "语音识别 (TIMIT)", "graves2013speech",
          "Deep LSTM networks trained end to end reach a test-set error of 17.7% on TIMIT phoneme "
          "recognition, the best score recorded at the time.",
          "端到端训练的深层 LSTM 网络在 TIMIT 音素识别上的测试集错误率为 17.7%，是当时记录中的最好成绩。",
          "17.7%", "applications", None),
    Entry(2014, "Sequence to sequence", "序列到序列", "sutskever2014sequence",
          "One deep LSTM reads the English sentence, another writes the French one: 34.8 BLEU on WMT'14 "
          "English→French, against 33.3 for a phrase-based system (36.5 when the LSTM reranks that system's "
          "1000-best lists).",
          "一个深层 LSTM 读英文句子，另一个写出法文句子：WMT'14 英→法 BLEU 34.8，基于短语的系统为 33.3"
          "（用 LSTM 重排该系统的 1000 个候选时为 36.5）。",
          "34.8 BLEU", "applications", "08_lstm_that_writes"),
    Entry(2014, "GRU", "门控循环单元", "cho2014learning",
          "An RNN encoder–decoder with a new gated hidden unit (reset and update gates); its phrase scores, added "
          "as a feature, improve a statistical machine translation system.",
          "带有新门控隐藏单元（重置门和更新门）的循环网络编码器–解码器；把它给出的短语得分作为特征加入后，"
          "统计机器翻译系统的效果得到提升。",
          None, "applications", "06a_lstm_variants"),
    Entry(2014, "Attention", "注意力", "bahdanau2015neural",
          "The decoder learns to (soft-)search the source sentence instead of relying on one fixed-length vector; "
          "English→French quality becomes comparable to the phrase-based state of the art.",
          "解码器学会在源句中（软）搜索相关部分，而不再只依赖一个固定长度的向量；英→法翻译质量达到与最好的基于短语的系统相当的水平。",
          None, "attention", "07_attention_and_beyond"),
    Entry(2015, "Google speech", "谷歌语音识别", "sak2015fast",
          "Google's LSTM acoustic models, initialised with CTC, become more accurate and decode faster with "
          "stacked frames at a reduced frame rate.",
          "谷歌用 CTC 初始化的 LSTM 声学模型，在叠帧并降低帧率之后更准确、解码更快。",
          None, "applications", None),
    Entry(2016, "Google NMT", "谷歌神经机器翻译", "wu2016google",
          "An 8-layer LSTM encoder and 8-layer decoder with attention; in side-by-side human evaluation on simple "
          "sentences it reduces translation errors by 60% on average against Google's phrase-based production "
          "system.",
          "8 层 LSTM 编码器加 8 层解码器并带注意力；在人工并排评测（简单孤立句子）中，它比谷歌基于短语的生产系统平均减少 60% 的翻译错误。",
          "−60% errors · 错误", "applications", None),
    Entry(2017, "Transformer", "Transformer", "vaswani2017attention",
          "Attention alone, no recurrence: 28.4 BLEU on WMT 2014 English→German and 41.0 on English→French "
          "(41.8 in the later arXiv revision), at a fraction of the training cost.",
          "只用注意力、不用循环：WMT 2014 英→德 BLEU 28.4，英→法 41.0（后来的 arXiv 修订版为 41.8），训练成本只是以往的一小部分。",
          "28.4 / 41.0 BLEU", "attention", "07_attention_and_beyond"),
    Entry(2023, "RWKV", "RWKV", "peng2023rwkv",
          "A recurrent model trained in parallel like a Transformer, scaled to 14 billion parameters, performs on "
          "par with similarly sized Transformers.",
          "一种像 Transformer 那样并行训练的循环模型，规模达到 140 亿参数，表现与同等规模的 Transformer 相当。",
          "14B params · 参数", "revival", None),
    Entry(2023, "Mamba", "Mamba", "gu2023mamba",
          "A selective state-space model: 5× the inference throughput of Transformers, and Mamba-3B matches "
          "Transformers twice its size in language modelling.",
          "一种选择性状态空间模型：推理吞吐量是 Transformer 的 5 倍，Mamba-3B 在语言建模上与两倍大小的 Transformer 相当。",
          "5× throughput · 吞吐量", "revival", "07_attention_and_beyond"),
    Entry(2024, "xLSTM", "xLSTM", "beck2024xlstm",
          "Exponential gating and new memories (scalar sLSTM, matrix mLSTM) let LSTMs scaled to billions of "
          "parameters compare favourably with Transformers and state-space models.",
          "指数门控和新的记忆结构（标量的 sLSTM、矩阵的 mLSTM）让扩展到数十亿参数的 LSTM 与 Transformer 和状态空间模型相比毫不逊色。",
          None, "revival", "07_attention_and_beyond"),
    Entry(2024, "minLSTM / minGRU", "minLSTM / minGRU", "feng2024were",
          "Gates that no longer depend on the previous hidden state make LSTM and GRU trainable in parallel "
          "(175× faster at sequence length 512, arXiv v1) with competitive results.",
          "门不再依赖前一时刻的隐藏状态，于是 LSTM 和门控循环单元可以并行训练（arXiv 第 1 版：序列长度 512 时快 175 倍），"
          "效果依然有竞争力。",
          "175× faster · 更快", "revival", "07_attention_and_beyond"),
)


def check_entries(entries):
    """Raise ValueError unless ``entries`` is a non-empty sequence of Entry in order of year, with known eras."""
    entries = tuple(entries)
    if not entries:
        raise ValueError("expected at least one history entry / 至少需要一条历史条目; got none")
    for k, e in enumerate(entries):
        if not isinstance(e, Entry):
            raise TypeError(f"entry {k}: expected a lstm_lib.history.Entry / 应为 Entry, got {type(e).__name__}")
        if e.era not in ERAS:
            raise ValueError(f"entry {k} ({e.label_en}): unknown era {e.era!r} / 未知时期; expected one of "
                             f"{sorted(ERAS)}")
        if k and e.year < entries[k - 1].year:
            raise ValueError(f"entries out of order / 条目未按年份排序: {entries[k - 1].year} "
                             f"({entries[k - 1].label_en}) before {e.year} ({e.label_en})")
    return entries


def _both(en, zh):
    return f'<span class="lang-en">{html.escape(en)}</span><span class="lang-zh">{html.escape(zh)}</span>'


def table_html(entries=ENTRIES):
    """The entries as an HTML table: year, milestone, the result that mattered, its number, the bibtex key.

    Each bilingual cell holds a ``lang-en`` and a ``lang-zh`` span, which the book's reading switch shows or hides."""
    entries = check_entries(entries)
    head = ("Year · 年份", "Milestone · 里程碑", "Result that mattered · 关键结果", "Number · 数字", "Source · 来源")
    rows = ["<table class=\"history\">", "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>",
            "<tbody>"]
    for e in entries:
        cells = (str(e.year), _both(e.label_en, e.label_zh), _both(e.result_en, e.result_zh),
                 html.escape(e.number) if e.number else "—", f"<code>{html.escape(e.key)}</code>")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    rows += ["</tbody>", "</table>"]
    return "\n".join(rows)
