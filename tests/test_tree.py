"""The text view of a graph: exact expected strings."""
import pytest

import autograd
from autograd import Value
from graphs import micrograd_example


def test_tree_of_micrograd_example_is_exact():
    L = micrograd_example(backward=True)
    expected = (
        "[*] L  data=-8.0  grad=1.0\n"
        "├── [+] d  data=4.0  grad=-2.0\n"
        "│   ├── [*] e  data=-6.0  grad=-2.0\n"
        "│   │   ├── a  data=2.0  grad=6.0\n"
        "│   │   └── b  data=-3.0  grad=-4.0\n"
        "│   └── c  data=10.0  grad=-2.0\n"
        "└── f  data=-2.0  grad=4.0"
    )
    assert autograd.tree(L) == expected
    assert L.tree() == expected


def test_shared_subexpressions_are_drawn_once_then_referred_to():
    x = Value(3.0, label="x")
    y = x * x  # unlabelled and used twice below: named by its formula
    z = (y + 1.0).tanh() + y
    z.label = "z"
    expected = (
        "[+] z  data=10.0  grad=0.0\n"
        "├── [tanh]  data=1.0  grad=0.0\n"
        "│   └── [+]  data=10.0  grad=0.0\n"
        "│       ├── [*] x*x  data=9.0  grad=0.0\n"
        "│       │   ├── x  data=3.0  grad=0.0\n"
        "│       │   └── x (see above)\n"
        "│       └── data=1.0  grad=0.0\n"
        "└── x*x (see above)"
    )
    assert z.tree() == expected


def test_depth_limit_counts_the_nodes_left_out():
    x = Value(0.5, label="x")
    y = x
    for _ in range(10):
        y = y * 2.0  # 10 products and 10 constants on top of x
    y.label = "y"
    y.backward()
    expected = (
        "[*] y  data=512.0  grad=1.0\n"
        "├── [*]  data=256.0  grad=2.0\n"
        "│   ├── [*]  data=128.0  grad=4.0\n"
        "│   │   └── ... 16 more nodes\n"
        "│   └── data=2.0  grad=256.0\n"
        "└── data=2.0  grad=256.0"
    )
    assert y.tree(max_depth=2) == expected
    # below the 128.0 node: 7 more products, 8 constants (its own included) and x
    assert len(autograd.tree(y, max_depth=None).splitlines()) == 21


def test_labels_with_newlines_and_control_characters_stay_on_one_line():
    v = Value(1.0, label="two\nlines\tand tab") * 2.0
    lines = autograd.tree(v).splitlines()
    assert lines[1] == "├── two\\nlines\\tand tab  data=1.0  grad=0.0"
    assert len(lines) == 3


def test_deep_chain_needs_no_recursion():
    y = Value(1.0, label="x")
    for _ in range(1000):
        y = y + 0.0
    text = autograd.tree(y, max_depth=None)
    lines = text.splitlines()
    # each sum's first input is the previous sum, so x sits 1000 levels down; every 16 levels
    # the deeper part goes on at the left margin after a line that says so
    wraps = [line for line in lines if "continues at the left margin" in line]
    assert len(lines) == 2001 + len(wraps) and len(wraps) == 1000 // 17
    first = lines.index(wraps[0])
    assert first == 18 and lines[first - 1] == "│   " * 16 + "├── [+]  data=1.0  grad=0.0"
    assert wraps[0].startswith("│   " * 16 + "↓ depth 18 continues at the left margin: the inputs of [+] ")
    assert lines[first + 1] == "├── [+]  data=1.0  grad=0.0"  # depth 18, at the margin
    x_line = lines.index(next(line for line in lines if "x  data" in line))
    assert lines[x_line].endswith("├── x  data=1.0  grad=0.0")
    assert max(map(len, lines)) < 4 * 17 + 80


def test_tree_of_a_very_deep_chain_grows_linearly():
    """A 10,000-deep chain once gave 200M characters (indentation growing with depth)."""
    y = Value(1.0, label="x")
    for _ in range(10_000):
        y = y + 0.0
    assert len(autograd.tree(y, max_depth=None)) < 10_000 * 2 * 70


def test_unlabelled_shared_nodes_without_a_short_formula_get_an_index():
    xs = [Value(float(k), label=f"a_long_input_name_{k}") for k in range(3)]
    s = autograd.sum(xs)  # sum(a_long_input_name_0, …) is too long: v<i>, its topological index
    y = s * s
    index = [v is s for v in autograd.topological_order(y)].index(True)
    assert y.tree().splitlines()[1:] == [
        f"├── [sum] v{index}  data=3.0  grad=0.0",
        "│   ├── a_long_input_name_0  data=0.0  grad=0.0",
        "│   ├── a_long_input_name_1  data=1.0  grad=0.0",
        "│   └── a_long_input_name_2  data=2.0  grad=0.0",
        f"└── v{index} (see above)",
    ]


def test_consecutive_references_share_one_line():
    x1, x2 = Value(1.0, label="x1"), Value(2.0, label="x2")
    a = x1 + x2
    a.label = "a"
    b = autograd.dot([Value(0.5, label="w1"), Value(-1.0, label="w2")], [x1, x2])
    b.label = "b"
    L = a * b
    L.label = "L"
    assert L.tree() == (
        "[*] L  data=-4.5  grad=0.0\n"
        "├── [+] a  data=3.0  grad=0.0\n"
        "│   ├── x1  data=1.0  grad=0.0\n"
        "│   └── x2  data=2.0  grad=0.0\n"
        "└── [dot] b  data=-1.5  grad=0.0\n"
        "    ├── w1  data=0.5  grad=0.0\n"
        "    ├── w2  data=-1.0  grad=0.0\n"
        "    └── x1, x2 (see above)"
    )
    many = [Value(float(k), label=f"x{k}") for k in range(10)]
    s = autograd.sum(many)
    lines = autograd.tree(s * autograd.sum(many)).splitlines()
    assert lines[-2] == "└── [sum]  data=45.0  grad=0.0" and len(lines) == 14
    assert lines[-1] == "    └── x0, x1, x2, x3, x4, x5 and 4 more (see above)"


def test_tree_of_something_that_is_not_a_value_is_explained():
    with pytest.raises(TypeError, match="tree works on the graph of one Value .*got float: 2.5"):
        autograd.tree(2.5)


def test_a_label_that_is_not_a_string_is_shown_as_text():
    x = Value(2.0, label=3)  # label=None or 0 means no label, as in draw_dot
    y = x * Value(1.0, label=None)
    assert y.tree().splitlines()[1:] == ["├── 3  data=2.0  grad=0.0", "└── data=1.0  grad=0.0"]
    assert "3" in [s.name for s in autograd.explain(y, print_steps=False)]
    z = y * Value(2.0, label=["w"])  # unhashable, too
    assert z.tree().splitlines()[-1] == "└── ['w']  data=2.0  grad=0.0"
    assert "['w']" in [s.name for s in autograd.explain(z, print_steps=False)]


def test_hidden_nodes_shared_by_two_cut_branches_are_counted_once():
    from autograd import Value
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    shared = (x * y).tanh()
    left, right = shared + 1, shared * 2
    text = (left + right).tree(max_depth=1)
    lines = text.splitlines()
    assert lines[2].endswith("... 5 more nodes")  # tanh, x*y, x, y and the constant 1
    assert lines[4].endswith("... 1 more node")  # the constant 2: the shared part is counted above


def test_a_node_with_thousands_of_inputs_shows_the_first_and_last_few_and_a_count():
    """Issue 22: tree() of a sum of 10,000 inputs printed all of them (440 KB)."""
    total = autograd.sum([Value(float(i), label=f"x[{i}]") for i in range(10_000)])
    lines = total.tree().splitlines()
    assert len(lines) == 1 + 5 + 1 + 5
    assert lines[1].startswith("├── x[0]  data=0.0") and lines[5].startswith("├── x[4]  ")
    assert lines[6] == "├── ... 9990 more inputs (autograd.tree(node, max_inputs=None) shows them all)"
    assert lines[7].startswith("├── x[9995]  ") and lines[11].startswith("└── x[9999]  ")
    assert len(autograd.tree(total, max_inputs=None).splitlines()) == 10_001  # on request, all
    small = autograd.sum([Value(float(i)) for i in range(11)])
    assert len(autograd.tree(small).splitlines()) == 12  # up to 11 inputs: all shown
