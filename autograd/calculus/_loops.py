"""The size bound of `autograd.jit`: a loop over the samples instead of one copy of code per sample.

Straight-line code grows with batch size x parameters (a batch of 32 digits through a 64-32-10
MLP is 4.7 MB of source). But in most steps each sample goes through the same ops on its own
numbers: the graph is a *block* of nodes per sample, all alike, joined at the end by the loss's
sum or mean. Then the code needs only one block, in a loop:

    for k in range(n):              # the forward, sample by sample
        v1, v2, v3, = A[3 * k:3 * k + 3]
        ...                         # block 0's code, run on sample k's numbers
        S.append((v7, v8, ...))     # what the backward needs of it
    ...                             # the join (the loss), then its backward
    for k in range(n):              # the backward, in the engine's order of the samples
        v7, v8, ... = S[k]
        ...

The parameters' gradients are local variables of the function, so they accumulate across the loop
exactly as in the straight-line code, in the same order: bit-identical. A block is identified by
the sample its nodes depend on (an argument that is a list of n samples, the first argument's
length); the plan is used only when every block is the same code as block 0 (same ops, same
parameters, same constants, the arguments at the same place within each sample), the blocks come
one after the other in the engine's backward order, and nothing else comes between them. Otherwise
(BatchNorm in training mode mixes the samples, for one) the code is unrolled.
"""
from __future__ import annotations

import math
import struct
from typing import Any

from ._codegen import Emitter, Graph, emit_backward, emit_forward
from ._templates import TEMPLATES

NONE, MIXED = -1, -2  # a node that depends on no sample / on several


class LoopPlan:
    """Where the loop over samples goes, and what crosses its boundary."""

    def __init__(self, graph: Graph, n: int, blocks: list[list[int]], pre: list[int],
                 post: list[int], head: list[int], body: list[int], tail: list[int],
                 ascending: bool, exports: list[int], arg_loads: list[tuple[int, int, int, list]],
                 fresh_loads: tuple[int, int, list] | None) -> None:
        self.graph = graph
        self.n = n
        self.blocks = blocks
        self.pre, self.post, self.head, self.body, self.tail = pre, post, head, body, tail
        self.ascending = ascending
        self.exports = exports  # relative positions of block nodes used outside the block
        self.arg_loads = arg_loads  # (start, stride, width, names) per argument read per sample
        self.fresh_loads = fresh_loads  # (start, stride, names) of the fresh numbers per sample
        # the leaves read inside the loop: every sample's arguments and fresh numbers
        self.leaves = {i for i in range(graph.n_leaves) if graph.leaf_sample[i] >= 0}
        self.leaves |= {i for block in blocks for v in block
                        for i in graph.nodes[v - graph.n_leaves][1]
                        if i < graph.n_leaves and graph.leaf_kind[i] == "fresh"}

    def _load(self, e: Emitter) -> None:
        for n, (start, stride, width, names) in enumerate(self.arg_loads):
            targets = ", ".join("_" if i is None else f"v{i}" for i in names)
            e.line(f"XA{n} = A[{start} + {stride} * k:{start + width} + {stride} * k]")
            e.line(f"{targets}, = XA{n}")
        if self.fresh_loads is not None:
            start, stride, names = self.fresh_loads
            targets = ", ".join("_" if i is None else f"v{i}" for i in names)
            e.line(f"{targets}, = F[{start} + {stride} * k:{start + len(names)} + {stride} * k]")

    def emit_forward(self, e: Emitter, names: dict[int, str]) -> None:
        emit_forward(e, self.pre, names)
        block0 = self.blocks[0]
        outs = [f"O{j}" for j in range(len(self.exports))]
        for o in outs:
            e.line(f"{o} = []")
        e.line("S = []")
        e.line(f"for k in range({self.n}):")
        e.indent = "    "
        e.section()
        self._load(e)
        emit_forward(e, block0, names)
        for o, j in zip(outs, self.exports):
            e.line(f"{o}.append(v{block0[j]})")
        e.line(f"S.append(({', '.join(f'v{v}' for v in block0)},))")
        e.indent = ""
        e.section()
        for o, j in zip(outs, self.exports):
            e.line(f"{', '.join(f'v{block[j]}' for block in self.blocks)}, = {o}")
        emit_forward(e, self.post, names)

    def emit_backward(self, e: Emitter, names: dict[int, str]) -> None:
        emit_backward(e, self.head, names)
        block0 = self.blocks[0]
        needs = e.needs
        gouts = []
        for j in self.exports:
            if not needs[block0[j]]:
                continue
            for block in self.blocks:
                if block[j] not in e.started:
                    e.line(f"g{block[j]} = 0.0")
                    e.started.add(block[j])
            e.line(f"G{j} = [{', '.join(f'g{block[j]}' for block in self.blocks)}]")
            gouts.append(j)
        # what the blocks add to outside them (parameters aside) starts before the loop
        inside = set(block0)
        for node in self.body:
            for i in self.graph.nodes[node - self.graph.n_leaves][1]:
                if needs[i] and i not in inside and i not in e.started:
                    e.line(f"g{i} = 0.0")
                    e.started.add(i)
        order = f"range({self.n})" if self.ascending else f"range({self.n - 1}, -1, -1)"
        # the exports' gradients come from outside the loop (the lists G)
        e.plan_gathering(self.body, exclude={block0[j] for j in gouts})
        cut = self.zero_cut(e, gouts)
        e.line(f"for k in {order}:")
        e.indent = "    "
        self._load(e)
        e.line(f"{', '.join(f'v{v}' for v in block0)}, = S[k]")
        outside = set(e.started)
        for j in gouts:
            e.line(f"g{block0[j]} = G{j}[k]")
            e.started.add(block0[j])
        e.section()
        if cut is None:
            emit_backward(e, self.body, names)
        else:
            position, node = cut
            emit_backward(e, self.body[:position], names)
            self._skip_if_zero(e, node)
            emit_backward(e, self.body[position:], names)
        e.gathered = {}
        e.section()
        e.indent = ""
        e.started = outside
        # the loop left the last sample's numbers in block 0's variables: put block 0's back
        for j in self.exports:
            e.line(f"v{block0[j]} = O{self.exports.index(j)}[0]")
        emit_backward(e, self.tail, names)

    def zero_cut(self, e: Emitter, gouts: list[int]) -> tuple[int, int] | None:
        """Where a sample's backward can stop when a gradient turns zero: (how many of the
        block's steps come first, the node whose gradient is then the only one left to pass on).

        That is the first point of the block's backward, right after a relu, at which one node's
        gradient carries all that is left of it, and the steps after it keep a zero zero and add
        nothing outside the block (see `zero_stays_zero`): there, a zero gradient with finite
        numbers means the rest of the sample adds nothing anywhere, as the engine finds dot by
        dot. A hinge loss's samples past the margin stop right after the relu that cut their
        gradient."""
        if not gouts:
            return None
        graph = self.graph
        inside = set(self.blocks[0])
        pending = {self.blocks[0][j] for j in gouts}  # gradients received, not yet passed on
        masked = False  # the step before was a relu's: the gradient it passed on may be zero
        for position, node in enumerate(self.body):
            if (masked and len(pending) == 1 and not pending & e.gathered.keys()
                    and self.zero_stays_zero(e, self.body[position:])):
                return position, next(iter(pending))
            template = TEMPLATES.get(graph.nodes[node - graph.n_leaves][0])
            masked = template is not None and template.masks
            pending.discard(node)
            if e.needs[node]:
                pending.update(i for i in graph.nodes[node - graph.n_leaves][1]
                               if i in inside and e.needs[i])
        return None

    def zero_stays_zero(self, e: Emitter, steps: list[int]) -> bool:
        """With finite numbers, do these backward steps of the block add nothing anywhere when
        the gradient they start from is zero? Yes if each op's partials are finite at finite
        numbers (so zero stays zero) and only dots, which skip a zero gradient at a finite
        output, add to anything outside the block."""
        graph = self.graph
        n_leaves = graph.n_leaves
        inside = set(self.blocks[0])
        for node in steps:
            op, ins = graph.nodes[node - n_leaves]
            template = TEMPLATES.get(op)
            if template is None or not template.finite_partials:
                return False
            for i in ins:
                if i < n_leaves and graph.leaf_kind[i] == "const":
                    if not math.isfinite(graph.leaf_value[i]):
                        return False
                elif not template.kind and e.needs[i] and i not in inside:
                    return False
        return True

    def _skip_if_zero(self, e: Emitter, node: int) -> None:
        """`continue` past the rest of a sample whose gradient at `node` is zero and whose nodes'
        numbers (S[k]) are all finite: their sum is. (Finite outputs of these ops mean finite
        partials: a finite product or dot has finite factors, and exp, tanh, sigmoid, abs and relu
        read theirs from the output or need none. So the parameters and the sample's arguments
        need no check of their own.)"""
        e.line(f"if g{node} == 0.0:")
        e.line("    SAMPLE = SUM(S[k])")
        e.line("    if SAMPLE - SAMPLE == 0.0: continue")


def plan(graph: Graph, needs: list[bool], leaf_sample: list[int], n: int) -> LoopPlan | None:
    """A loop over the n samples, if the graph is n alike blocks (see the module's docstring)."""
    if n < 2:
        return None
    n_leaves = graph.n_leaves
    sample = list(leaf_sample)
    for _, ins in graph.nodes:
        s = NONE
        for i in ins:
            t = sample[i]
            if t == NONE or t == s:
                continue
            s = t if s == NONE else MIXED
            if s == MIXED:
                break
        sample.append(s)
    blocks: list[list[int]] = [[] for _ in range(n)]
    pre: list[int] = []
    post: list[int] = []
    for node in graph.forward:
        s = sample[node]
        (pre if s == NONE else post if s == MIXED else blocks[s]).append(node)
    if any(not block for block in blocks):
        return None
    # the engine's processing order: head, the blocks one after the other, tail
    processing = list(reversed(graph.order))
    runs: list[tuple[int, list[int]]] = []  # (sample, nodes) for each run of one sample's nodes
    head: list[int] = []
    tail: list[int] = []
    for node in processing:
        s = sample[node]
        if s < 0:
            if runs and s == MIXED:
                return None  # a join after a block: not this shape
            (tail if runs else head).append(node)
            continue
        if tail:
            return None  # something between the blocks
        if runs and runs[-1][0] == s:
            runs[-1][1].append(node)
        else:
            runs.append((s, [node]))
    if len(runs) != n:
        return None
    seen = [s for s, _ in runs]
    ascending = seen == list(range(n))
    if not ascending and seen != list(range(n - 1, -1, -1)):
        return None
    by_sample = {s: nodes for s, nodes in runs}
    # every block the same code as block 0
    leaf_refs = _leaf_refs(graph, leaf_sample)
    first = _signature(graph, blocks[0], by_sample[0], leaf_sample, leaf_refs, 0)
    if first is None or any(_signature(graph, blocks[k], by_sample[k], leaf_sample, leaf_refs, k)
                            != first for k in range(1, n)):
        return None
    block0 = blocks[0]
    position = {v: j for j, v in enumerate(block0)}
    members = [set(block) for block in blocks]
    used_outside = set(graph.outputs) | {graph.root}
    for node in pre + post + head + tail:
        used_outside.update(graph.nodes[node - n_leaves][1])
    for k in range(n):  # nodes of the other blocks used outside: by position in block 0
        for j, v in enumerate(blocks[k]):
            if v in used_outside:
                used_outside.add(block0[j])
    exports = sorted(position[v] for v in used_outside if v in members[0])
    arg_loads, fresh_loads = _loads(graph, blocks, leaf_sample)
    if arg_loads is None:
        return None
    return LoopPlan(graph, n, blocks, pre, post, head, by_sample[0], tail, ascending, exports,
                    arg_loads, fresh_loads)


def _leaf_refs(graph: Graph, leaf_sample: list[int]) -> list[tuple[str, Any] | None]:
    """How a block's code refers to each leaf, the same in every block: a parameter by its slot,
    a constant by its bits, a sample's argument by its place within the sample, an argument of
    no sample by itself; None for fresh numbers (numbered from the block's first)."""
    refs: list[tuple[str, Any] | None] = []
    for i, kind in enumerate(graph.leaf_kind):
        if kind == "param" or kind == "frozen":
            refs.append(("p", graph.leaf_slot[i]))
        elif kind == "const":
            refs.append(("c", struct.pack("<d", graph.leaf_value[i])))
        elif kind == "fresh":
            refs.append(None)
        elif leaf_sample[i] >= 0:
            refs.append(("a", graph.leaf_slot[i] - _sample_start(graph, i, leaf_sample[i])))
        else:
            refs.append(("s", i))
    return refs


def _signature(graph: Graph, block: list[int], processing: list[int], leaf_sample: list[int],
               leaf_refs: list[tuple[str, Any] | None], k: int) -> tuple | None:
    """Block k's code with its own numbering: equal signatures, the same code for each sample."""
    n_leaves = graph.n_leaves
    position = {v: j for j, v in enumerate(block)}
    args = sorted({i for v in block for i in graph.nodes[v - n_leaves][1]
                   if i < n_leaves and graph.leaf_kind[i] == "arg"})
    fresh = sorted({graph.leaf_slot[i] for v in block for i in graph.nodes[v - n_leaves][1]
                    if i < n_leaves and graph.leaf_kind[i] == "fresh"})
    fresh_base = fresh[0] if fresh else 0
    code = []
    for v in block:
        op, ins = graph.nodes[v - n_leaves]
        refs: list[tuple[str, Any]] = []
        for i in ins:
            if i in position:
                refs.append(("n", position[i]))
            elif i >= n_leaves:
                refs.append(("x", i))  # a node outside every block: the same for each sample
            else:
                ref = leaf_refs[i]
                if ref is None:
                    ref = ("f", graph.leaf_slot[i] - fresh_base)
                elif leaf_sample[i] >= 0 and leaf_sample[i] != k:
                    return None  # another sample's argument
                refs.append(ref)
        code.append((id(op), tuple(refs)))
    order = tuple(position[v] for v in processing)
    if len(order) != len(set(order)):
        return None
    return (tuple(code), order, len(args), len(fresh))


def _sample_start(graph: Graph, leaf: int, k: int) -> int:
    """Where sample k's part of the leaf's argument starts (arguments are laid out per sample)."""
    for start, count, stride in graph.arg_layout:
        if start <= graph.leaf_slot[leaf] < start + count * stride:
            return start + k * stride
    return 0


def _loads(graph: Graph, blocks: list[list[int]], leaf_sample: list[int]) -> tuple:
    """What block 0 reads of each argument and of the fresh numbers, as slices of A and F whose
    start moves by the argument's stride per sample."""
    n_leaves = graph.n_leaves
    block0 = set(blocks[0])
    used = {i for v in block0 for i in graph.nodes[v - n_leaves][1] if i < n_leaves}
    arg_loads = []
    for start, _, stride in graph.arg_layout:
        names: list[int | None] = [None] * stride
        for i in used:
            if graph.leaf_kind[i] == "arg" and leaf_sample[i] == 0:
                offset = graph.leaf_slot[i] - start
                if 0 <= offset < stride:
                    names[offset] = i
        if any(i is not None for i in names):
            arg_loads.append((start, stride, stride, names))
    fresh0 = sorted((graph.leaf_slot[i], i) for i in used if graph.leaf_kind[i] == "fresh")
    fresh_loads = None
    if fresh0:
        if len(blocks) > 1:
            used1 = {i for v in blocks[1] for i in graph.nodes[v - n_leaves][1]
                     if i < n_leaves and graph.leaf_kind[i] == "fresh"}
            stride = min(graph.leaf_slot[i] for i in used1) - fresh0[0][0] if used1 else 0
        else:
            stride = 0
        base = fresh0[0][0]
        width = fresh0[-1][0] - base + 1
        names = [None] * width
        for slot, i in fresh0:
            names[slot - base] = i
        for k, block in enumerate(blocks):  # every block's fresh numbers where the stride says
            slots = sorted(graph.leaf_slot[i] for v in block for i in graph.nodes[v - n_leaves][1]
                           if i < n_leaves and graph.leaf_kind[i] == "fresh")
            expected = sorted(slot + k * stride for slot, _ in fresh0)
            if slots != expected:
                return None, None
        fresh_loads = (base, stride, names)
    return arg_loads, fresh_loads


__all__ = ["LoopPlan", "plan"]
