"""Bilingual caption and alt text for every figure in ``FIGURES``: ``CAPTIONS[name] = {"en", "zh", "alt_en", "alt_zh"}``.

Captions say what the figure is for; alt texts describe what it shows, for a reader who cannot see it.
Captions are Markdown: their symbols become inline math (``$h_{t-1}$``) below, so the book typesets them; alt texts
stay plain text (a screen reader reads them aloud).
"""
import re

CAPTIONS = {
    "rnn-rolled": {
        "en": "A recurrent neural network, rolled up: block A reads x_t, emits h_t, and a loop carries its state to "
              "the next step.",
        "zh": "折叠起来的循环神经网络：模块 A 读入 x_t、输出 h_t，一条环路把状态带到下一个时间步。",
        "alt_en": "A green box labelled A with an input circle x_t below, an output circle h_t above, and an orange "
                  "arrow looping from the box back into itself.",
        "alt_zh": "一个标有 A 的绿色方框，下方是输入圆圈 x_t，上方是输出圆圈 h_t，一条橙色箭头从方框绕回自身。",
    },
    "rnn-unrolled": {
        "en": "Unrolling the loop: the same block A, copied once per time step, hands its state to the next copy.",
        "zh": "把环路展开：同一个模块 A 每个时间步复制一份，每一份都把状态交给下一份。",
        "alt_en": "Left, the rolled network with its loop; an equals sign; right, a row of identical A boxes for "
                  "x_1, x_2, x_3 … x_t, each with its output h_1, h_2, h_3 … h_t above and an orange arrow to the "
                  "next box.",
        "alt_zh": "左边是带环路的折叠网络，中间是等号，右边是一排相同的 A 方框，分别读入 x_1、x_2、x_3 … x_t，"
                  "每个方框上方是对应的输出 h_1、h_2、h_3 … h_t，并有橙色箭头指向下一个方框。",
    },
    "gap-short": {
        "en": "A short gap: the word that settles the prediction is only a few steps back, so a plain RNN can use it.",
        "zh": "间隔很短：决定预测的词就在几步之前，普通循环神经网络也能用上它。",
        "alt_en": "Five unrolled steps reading “the clouds are in the”; the input “clouds” and the last output "
                  "“sky” are filled in dark colour, three steps apart.",
        "alt_zh": "展开的五个时间步依次读入“the clouds are in the”；输入“clouds”和最后的输出“sky”用深色填充，相隔三步。",
    },
    "gap-long": {
        "en": "A long gap: the clue (“France”) lies far before the word it decides (“French”); this is a long-term "
              "dependency, which plain RNNs struggle to learn.",
        "zh": "间隔很长：线索（“France”）远在它所决定的词（“French”）之前，这就是普通循环神经网络难以学会的长期依赖。",
        "alt_en": "An unrolled chain reading “I grew up in France … I speak fluent”, with an ellipsis for the steps "
                  "in between; the input “France” and the final output “French” are filled in dark colour.",
        "alt_zh": "一条展开的链依次读入“I grew up in France … I speak fluent”，中间的步骤用省略号表示；"
                  "输入“France”和最后的输出“French”用深色填充。",
    },
    "rnn-module": {
        "en": "The repeating module of a plain RNN contains a single tanh layer.",
        "zh": "普通循环神经网络的重复模块只含一个 tanh 层。",
        "alt_en": "Three identical modules side by side; in each, h_{t-1} and x_t join, pass through one tanh box, "
                  "and the result leaves to the right as h_t and upward as the output.",
        "alt_zh": "三个相同的模块并排；每个模块里 h_{t-1} 与 x_t 汇合，经过一个 tanh 方框，结果向右作为 h_t 传出，也向上作为输出。",
    },
    "lstm-chain": {
        "en": "The repeating module of an LSTM contains four interacting layers, pointwise operations and the "
              "cell-state line along the top.",
        "zh": "LSTM 的重复模块包含四个相互作用的层、若干逐点运算，以及贯穿顶部的细胞状态线。",
        "alt_en": "Three modules in a row; the outer two are closed grey boxes marked A, the middle one is open: "
                  "an orange cell-state line across the top with a multiply and an add, and below it three sigmoid "
                  "boxes and one tanh box fed by h_{t-1} and x_t.",
        "alt_zh": "一排三个模块；两侧是标有 A 的灰色封闭方框，中间一个是打开的：顶部有一条橙色细胞状态线，线上有一个乘法和一个加法，"
                  "下面是三个 sigmoid 方框和一个 tanh 方框，输入为 h_{t-1} 和 x_t。",
    },
    "notation": {
        "en": "Notation used in every cell diagram: neural network layers, pointwise operations, vector transfer, concatenation "
              "and copying.",
        "zh": "所有单元示意图使用的记号：神经网络层、逐点运算、向量传递、拼接与复制。",
        "alt_en": "Five symbols with labels: a rounded box (neural network layer), a circle with a times sign "
                  "(pointwise operation), an arrow (vector transfer), two lines merging (concatenate), one line "
                  "splitting in two (copy).",
        "alt_zh": "五个带标注的符号：圆角方框（神经网络层）、带乘号的圆圈（逐点运算）、箭头（向量传递）、"
                  "两条线合并（拼接）、一条线分成两条（复制）。",
    },
    "cell-state-line": {
        "en": "The cell state runs straight through the module, touched only by one multiplication and one "
              "addition, so information can flow along it almost unchanged.",
        "zh": "细胞状态笔直穿过模块，只经过一次乘法和一次加法，信息可以几乎不变地沿着它流动。",
        "alt_en": "The LSTM module with everything faded except the orange line from C_{t-1} to C_t along the top "
                  "and its multiply and add circles.",
        "alt_zh": "LSTM 模块中除顶部从 C_{t-1} 到 C_t 的橙色线及线上的乘法、加法圆圈外，其余部分都被淡化。",
    },
    "gate": {
        "en": "A gate is a sigmoid layer followed by a pointwise multiplication: values near 0 block a component, "
              "values near 1 let it through.",
        "zh": "门由一个 sigmoid 层和一次逐点乘法组成：接近 0 的值挡住对应分量，接近 1 的值让它通过。",
        "alt_en": "A vector (0.90, −0.60, 0.70, 0.40) flows along a line into a multiply circle; a sigmoid box below "
                  "feeds gate values (0.02, 0.97, 0.50, 0.99); what passes is (0.02, −0.58, 0.35, 0.40).",
        "alt_zh": "向量 (0.90, −0.60, 0.70, 0.40) 沿线进入乘法圆圈；下方的 sigmoid 方框送入门的取值 "
                  "(0.02, 0.97, 0.50, 0.99)；通过的部分是 (0.02, −0.58, 0.35, 0.40)。",
    },
    "focus-forget": {
        "en": "Step 1: the forget gate looks at h_{t-1} and x_t and outputs, for each component of C_{t-1}, a number "
              "between 0 (drop it) and 1 (keep it).",
        "zh": "第一步：遗忘门根据 h_{t-1} 和 x_t，为 C_{t-1} 的每个分量给出一个 0（丢弃）到 1（保留）之间的数。",
        "alt_en": "The LSTM module with only the forget gate's sigmoid box, its inputs and the multiply on the cell "
                  "state in colour; below, the equation f_t = σ(W_f·[h_{t-1}, x_t] + b_f).",
        "alt_zh": "LSTM 模块中只有遗忘门的 sigmoid 方框、它的输入以及细胞状态上的乘法是彩色的；下方是公式 "
                  "f_t = σ(W_f·[h_{t-1}, x_t] + b_f)。",
    },
    "focus-input": {
        "en": "Step 2: the input gate decides which components to update, and a tanh layer proposes candidate "
              "values C̃_t.",
        "zh": "第二步：输入门决定更新哪些分量，再由 tanh 层给出候选值 C̃_t。",
        "alt_en": "The LSTM module with the input gate's sigmoid box, the candidate tanh box and their multiply in "
                  "colour; below, the equations for i_t and C̃_t.",
        "alt_zh": "LSTM 模块中输入门的 sigmoid 方框、候选值的 tanh 方框及二者的乘法是彩色的；下方是 i_t 与 C̃_t 的公式。",
    },
    "focus-update": {
        "en": "Step 3: the old cell state is scaled by the forget gate and the gated candidates are added: "
              "C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t.",
        "zh": "第三步：旧的细胞状态先乘以遗忘门，再加上经过门控的候选值：C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t。",
        "alt_en": "The LSTM module with the cell-state line, its multiply and add circles and the wire bringing "
                  "i_t ⊙ C̃_t up to the add in colour; below, the update equation.",
        "alt_zh": "LSTM 模块中细胞状态线、线上的乘法和加法圆圈，以及把 i_t ⊙ C̃_t 送到加法的连线是彩色的；下方是更新公式。",
    },
    "focus-output": {
        "en": "Step 4: the output gate picks which parts of tanh(C_t) leave the cell as the hidden state h_t.",
        "zh": "第四步：输出门挑选 tanh(C_t) 的哪些部分作为隐藏状态 h_t 离开单元。",
        "alt_en": "The LSTM module with the output gate's sigmoid box, the tanh of the cell state, their multiply "
                  "and the outgoing h_t in colour; below, the equations for o_t and h_t.",
        "alt_zh": "LSTM 模块中输出门的 sigmoid 方框、细胞状态的 tanh、二者的乘法以及输出的 h_t 是彩色的；下方是 o_t 与 h_t 的公式。",
    },
    "peephole": {
        "en": "Peephole connections (Gers & Schmidhuber, 2000): the forget and input gates also see C_{t-1}, the "
              "output gate sees C_t; the peephole weights are diagonal.",
        "zh": "窥视孔连接（Gers 与 Schmidhuber，2000）：遗忘门和输入门还能看到 C_{t-1}，输出门则看到 C_t；窥视孔权重为对角矩阵。",
        "alt_en": "The LSTM module with three light-blue dashed wires running from the cell-state line down into "
                  "the forget, input and output gates; below, the three gate equations with their p ⊙ C terms.",
        "alt_zh": "LSTM 模块中有三条浅蓝色虚线从细胞状态线向下连到遗忘门、输入门和输出门；下方是带 p ⊙ C 项的三个门的公式。",
    },
    "coupled": {
        "en": "Coupled forget and input gates: new values are written exactly where old ones are forgotten, "
              "C_t = f_t ⊙ C_{t-1} + (1 − f_t) ⊙ C̃_t.",
        "zh": "耦合的遗忘门与输入门：恰好在遗忘旧值的地方写入新值，C_t = f_t ⊙ C_{t-1} + (1 − f_t) ⊙ C̃_t。",
        "alt_en": "The LSTM module without an input-gate box; the forget gate's output also goes through a “1−” "
                  "circle into the multiply with the candidate values; below, the equations.",
        "alt_zh": "没有输入门方框的 LSTM 模块；遗忘门的输出还经过一个“1−”圆圈，再与候选值相乘；下方是公式。",
    },
    "gru": {
        "en": "The gated recurrent unit (Cho et al., 2014): an update gate z_t mixes the old state with a candidate "
              "state, a reset gate r_t scales h_{t-1} before the candidate's matrix product; there is no separate cell state.",
        "zh": "门控循环单元（Cho 等，2014）：更新门 z_t 把旧状态与候选状态按比例混合，重置门 r_t 在计算候选状态的矩阵乘法"
              "之前缩放 h_{t-1}；没有单独的细胞状态。",
        "alt_en": "A module with h_{t-1} running along the top through a multiply and an add to h_t; below, two "
                  "sigmoid boxes (reset and update gates) and a tanh box for the candidate, with a “1−” circle; "
                  "below the drawing, the four GRU equations.",
        "alt_zh": "一个模块：h_{t-1} 沿顶部经过一个乘法和一个加法成为 h_t；下方有两个 sigmoid 方框（重置门与更新门）、"
                  "一个计算候选状态的 tanh 方框和一个“1−”圆圈；图下是 GRU 的四个公式。",
    },
    "gru-reset-after": {
        "en": "The GRU as PyTorch and cuDNN compute it: the reset gate multiplies W·h_{t-1} + b after the matrix "
              "product, and the recurrent product has its own bias.",
        "zh": "PyTorch 与 cuDNN 计算的 GRU：重置门在矩阵乘法之后才作用于 W·h_{t-1} + b，循环部分的乘积有自己的偏置。",
        "alt_en": "The GRU module, but h_{t-1} first passes a linear box, is multiplied by r_t, added to a linear "
                  "map of x_t, then goes through tanh; below, the equations of this form.",
        "alt_zh": "GRU 模块，但 h_{t-1} 先经过一个线性方框，再乘以 r_t，与 x_t 的线性映射相加后经过 tanh；图下是这种形式的公式。",
    },
    "lstm-live": {
        "en": "One real step of lstm_lib.LSTM (4 hidden units, seeded): the numbers on the wires are the cell's own "
              "values; where f_t is near 0 the old cell state is cut, and i_t ⊙ C̃_t writes the new content.",
        "zh": "lstm_lib.LSTM 真实运行的一步（4 个隐藏单元，固定随机种子）：线上的数字就是这个单元实际算出的值；"
              "在 f_t 接近 0 的分量上，旧的细胞状态被削去，由 i_t ⊙ C̃_t 写入新的内容。",
        "alt_en": "The LSTM module with small coloured boxes of four numbers on each wire: C_{t-1}, f_t, "
                  "f_t ⊙ C_{t-1}, i_t, C̃_t, i_t ⊙ C̃_t, C_t, tanh(C_t), o_t, h_{t-1}, x_t and h_t; negative numbers "
                  "blue, positive orange.",
        "alt_zh": "LSTM 模块的每条线上都有写着四个数的小色块：C_{t-1}、f_t、f_t ⊙ C_{t-1}、i_t、C̃_t、i_t ⊙ C̃_t、C_t、"
                  "tanh(C_t)、o_t、h_{t-1}、x_t 和 h_t；负数为蓝色，正数为橙色。",
    },
    "history-timeline": {
        "en": "The LSTM in dates, 1990–2024: each dot is a paper, with the number it reported where it gave one "
              "(colour: foundations, applications, attention, recurrent revival).",
        "zh": "LSTM 大事年表（1990–2024）：每个点是一篇论文，论文给出关键数字的地方也标出了数字"
              "（颜色：奠基、应用、注意力、循环网络复兴）。",
        "alt_en": "A vertical timeline with nineteen dated entries alternating left and right of a grey spine, from "
                  "the simple recurrent network (1990) through LSTM (1997), the forget gate (2000), CTC (2006), "
                  "speech at 17.7% error (2013), sequence to sequence at 34.8 BLEU (2014), the Transformer (2017) "
                  "to RWKV, Mamba, xLSTM and minLSTM/minGRU (2023–2024); a legend of four era colours on top.",
        "alt_zh": "一条竖直的时间线，灰色主轴左右交替排列十九个带年份的条目：从简单循环网络（1990）、LSTM（1997）、"
                  "遗忘门（2000）、CTC（2006）、错误率 17.7% 的语音识别（2013）、BLEU 34.8 的序列到序列（2014）、"
                  "Transformer（2017），到 RWKV、Mamba、xLSTM 和 minLSTM/minGRU（2023–2024）；顶部是四种时期颜色的图例。",
    },
}


def _check(name):
    if name not in CAPTIONS:
        raise KeyError(f"no caption for figure {name!r} / 没有图 {name!r} 的说明; expected one of {sorted(CAPTIONS)}")
    return CAPTIONS[name]


def caption_markdown(name):
    """The caption as one Markdown paragraph: an English and a Chinese ``<span>`` that the reading switch shows
    or hides like the ``lang-en`` / ``lang-zh`` divs (a figure caption must be a single paragraph)."""
    c = _check(name)
    return f'<span class="lang-en">{c["en"]}</span> <span class="lang-zh">{c["zh"]}</span>'


def alt_text(name):
    """Both alt texts in one string (an image has one ``alt`` attribute): English, then Chinese."""
    c = _check(name)
    return f'{c["alt_en"]} / {c["alt_zh"]}'


def mystnb_metadata(name):
    """Code-cell metadata that makes Jupyter Book (myst-nb) place the cell's figure with caption, label and alt text.

    >>> mystnb_metadata("gate")["mystnb"]["figure"]["name"]
    'fig-gate'

    Put it in the cell's metadata (JupyterLab: property inspector; or ``nbformat``) of the cell that draws
    ``FIGURES[name]()``; reference the figure in prose as ``{numref}`fig-gate```.
    """
    return {"mystnb": {"figure": {"caption": caption_markdown(name), "name": f"fig-{name}"},
                       "image": {"alt": alt_text(name)}}}


# symbols written plainly above -> inline math in the captions (longest first)
_MATH = [
    ("C_t = f_t ⊙ C_{t-1} + (1 − f_t) ⊙ C̃_t", r"C_t = f_t \odot C_{t-1} + (1 - f_t) \odot \tilde{C}_t"),
    ("C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t", r"C_t = f_t \odot C_{t-1} + i_t \odot \tilde{C}_t"),
    ("i_t ⊙ C̃_t", r"i_t \odot \tilde{C}_t"),
    ("W·h_{t-1} + b", r"W\cdot h_{t-1} + b"),
    ("tanh(C_t)", r"\tanh(C_t)"),
    ("C̃_t", r"\tilde{C}_t"),
]
_SYMBOL = re.compile(r"(?<![\w$\\])(h_\{t-1\}|C_\{t-1\}|x_t|h_t|C_t|f_t|i_t|o_t|z_t|r_t)(?![\w}])")


def _to_math(text):
    parts = []
    for plain, tex in _MATH:
        text = text.replace(plain, f"\x00{len(parts)}\x00")
        parts.append(tex)
    text = _SYMBOL.sub(lambda m: f"${m.group(1)}$", text)
    return re.sub("\x00(\\d+)\x00", lambda m: f"${parts[int(m.group(1))]}$", text)


for _c in CAPTIONS.values():
    _c["en"], _c["zh"] = _to_math(_c["en"]), _to_math(_c["zh"])
