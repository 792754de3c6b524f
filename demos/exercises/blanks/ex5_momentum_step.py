"""Exercise 5: write an optimizer step: SGD with momentum.

An optimizer turns gradients into parameter updates. Plain gradient descent steps downhill:

    p = p - lr * g

Momentum keeps a velocity v per parameter, a running sum of past gradients, and steps along it,
so steps grow along a steady slope and cancel out across a zig-zag. PyTorch's rule
(torch.optim.SGD, and chainrule's nn.optim.SGD), for each parameter with gradient g:

    v = momentum * v + g          (v starts at 0)
    p = p - lr * v

TODO: write sgd_momentum_step on plain lists of floats (no Values: an optimizer only reads
gradients and writes numbers). Return new lists; do not worry about changing the inputs.
Then run  python -m demos.exercises check 5
The checker runs your step and nn.optim.SGD(lr=..., momentum=...) side by side on the same
problem and compares the parameters after every step.
"""


def sgd_momentum_step(params, grads, velocities, lr, momentum):
    """One SGD-with-momentum step.

    Args:
        params: the parameters' current numbers, a list of floats.
        grads: the gradient of the loss with respect to each parameter (same length).
        velocities: each parameter's velocity v from the previous step (0.0 before the first).
        lr: the learning rate.  momentum: the momentum factor (e.g. 0.9).

    Returns:
        (new_params, new_velocities), two lists of floats.
    """
    raise NotImplementedError("TODO (exercise 5): write sgd_momentum_step")
