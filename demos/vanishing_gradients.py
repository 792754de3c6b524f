"""Vanishing gradients: why deep sigmoid networks hardly learn, and what tanh, ReLU and batch norm
change.

    python -m demos.vanishing_gradients   (--fast for a tiny run)

Backward multiplies local derivatives along every path from the loss to a weight. A sigmoid's
derivative is at most 1/4, so each sigmoid layer shrinks the gradient by 4 or more, and the first
layers of a deep sigmoid net receive almost nothing. tanh (derivative up to 1) and ReLU (exactly 1
where active) keep it alive; batch normalisation keeps every layer's inputs in a range where the
gradient flows. Four networks of the same depth, each with its usual initialisation, one backward
pass on the same batch: the gradient norm of every layer's weights, then a few SGD steps each.
Writes the per-layer norms and the loss curves, and two graph pictures of a small deep net (6
layers of 3) coloured by |grad|, one box per neuron, with sigmoid and with tanh. (A ReLU net that
narrow often dies: every unit off for the input, every gradient 0.)
"""
from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nn
import nn.functional as F
from autograd import Value
from nn.data import make_moons
from nn.optim import SGD
from nn.utils import get_total_norm

from demos._common import graph_picture, parse_args, plt, progress, report, save


def relu_batchnorm_net(depth: int, width: int) -> nn.Sequential:
    """Like MLP(2, [width] * depth + [1]) with ReLU, with a BatchNorm1d before every ReLU."""
    modules: list[nn.Module] = []
    nin = 2
    for _ in range(depth):
        modules += [nn.Layer(nin, width, "linear", init="he"), nn.BatchNorm1d(width), nn.ReLU()]
        nin = width
    return nn.Sequential(*modules, nn.Layer(nin, 1, "linear", init="he"))


def layer_grad_norms(model: nn.Module) -> list[float]:
    """The 2-norm of each Layer's weight and bias gradients, input layer first."""
    layers = [m for m in model.modules() if isinstance(m, nn.Layer)]
    return [get_total_norm([p.grad for p in layer.parameters()]) for layer in layers]


def heat_picture(activation: str, path: Path, seed: int) -> Path:
    """One sample through a 6-layer net, backward, then its graph, one box per neuron, by |grad|,
    layers from top to bottom: about as tall as wide, so it reads well at the README's size."""
    model = nn.MLP(2, [3] * 6 + [1], activation, init="xavier", seed=seed)
    with nn.trace_modules(model) as groups:  # which neuron made which node
        score = model([Value(0.5, label="x[0]"), Value(-0.3, label="x[1]")])
    target = Value(1.0, label="target")  # labelled, as it is a box in the picture too
    loss = F.binary_cross_entropy_with_logits(score, target, reduction="none")  # one node
    loss.label = "loss"
    loss.backward()
    return graph_picture(loss, path, heat=True, groups=groups, collapse=True, rankdir="TB")


def main(argv: list[str] | None = None) -> dict:
    args = parse_args("vanishing_gradients", "Per-layer gradient norms of deep nets.", argv)
    depth, width, n_points, n_steps = (4, 4, 16, 5) if args.fast else (10, 8, 48, 40)
    X, y = make_moons(n_points, noise=0.1, seed=args.seed)

    nn.manual_seed(args.seed)
    sizes = [width] * depth + [1]
    models = {
        "sigmoid": nn.MLP(2, sizes, "sigmoid", init="xavier"),
        "tanh": nn.MLP(2, sizes, "tanh", init="xavier"),
        "relu": nn.MLP(2, sizes, "relu", init="he"),
        "relu + batch norm": relu_batchnorm_net(depth, width),
    }
    print(f"{depth} hidden layers of {width}, {n_points} moons points, {n_steps} SGD steps each")

    norms, losses = {}, {}
    for name, model in (bar := progress(models.items(), "networks")):
        bar.set_description(name)
        optimizer = SGD(model.parameters(), lr=0.1)
        losses[name] = []
        for step in range(n_steps):
            loss = F.binary_cross_entropy_with_logits(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            if step == 0:  # gradients at initialisation, before any step
                norms[name] = layer_grad_norms(model)
            optimizer.step()
            losses[name].append(loss.data)

    fig, (ax_norms, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.8))
    for name in models:
        ax_norms.semilogy(range(1, depth + 2), norms[name], "o-", ms=4, label=name)
        ax_loss.plot(losses[name], label=name)
    ax_norms.set(title="Gradient norm of each layer's weights at init",
                 xlabel="layer (1 = next to the input)", ylabel="||dL/dW|| (log scale)")
    ax_loss.set(title="Training loss, SGD lr=0.1", xlabel="step", ylabel="binary cross-entropy")
    for ax in (ax_norms, ax_loss):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    figure = save(fig, args.out / "gradient_norms.png")

    sigmoid_graph = heat_picture("sigmoid", args.out / "heat_sigmoid.png", args.seed)
    tanh_graph = heat_picture("tanh", args.out / "heat_tanh.png", args.seed)
    numbers = {f"{name}: first/last layer norm": norms[name][0] / norms[name][-1]
               for name in models}
    numbers.update({f"{name}: final loss": losses[name][-1] for name in models})
    return report("vanishing gradients", numbers, [figure, sigmoid_graph, tanh_graph])


if __name__ == "__main__":
    main()
