"""Solution to exercise 7 (the task is in demos/exercises/ex7_chain_rule_graph.py)."""

GRADS = {
    "L": 1.0,
    "d": 4.0,              # dL/dd = c
    "c": -3.0,             # dL/dc = d
    "e": 4.0,              # dL/dd · ∂d/∂e = 4 · 1
    "b": 12.0,             # dL/de · ∂e/∂b = 4 · a
    "a": 4.0 * -2 + 4.0,   # through e: dL/de · b, plus through d: dL/dd · 1
}
