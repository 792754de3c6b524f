"""Exercise 9 (extra): write Adam's update.

Adam (Kingma & Ba, 2014) keeps two running averages per parameter and steps along their ratio:

    m = beta1 * m + (1 - beta1) * g          a running mean of the gradient (momentum)
    v = beta2 * v + (1 - beta2) * g^2        a running mean of its square
    m_hat = m / (1 - beta1^t)                bias corrections: m and v start at 0, so early
    v_hat = v / (1 - beta2^t)                averages are too small; t is the step number, from 1
    p = p - lr * m_hat / (sqrt(v_hat) + eps)

m_hat / sqrt(v_hat) is about +-1 for a steady gradient, so every parameter moves by about lr per
step, whatever the scale of its gradient.

TODO: write adam_step on plain lists of floats; return new lists. Then run
    python -m demos.exercises check 9
The checker runs your step and nn.optim.Adam side by side and compares the parameters.
"""
import math


def adam_step(params, grads, m, v, t, lr, beta1, beta2, eps):
    """One Adam step. m, v: the running averages from the previous step (0.0 before the first);
    t: this step's number (1 on the first step). Returns (new_params, new_m, new_v)."""
    raise NotImplementedError("TODO (exercise 9): write adam_step")
