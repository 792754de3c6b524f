"""Solution to exercise 9 (the task is in demos/exercises/ex9_adam_step.py)."""
import math


def adam_step(params, grads, m, v, t, lr, beta1, beta2, eps):
    new_m = [beta1 * mi + (1 - beta1) * g for mi, g in zip(m, grads)]
    new_v = [beta2 * vi + (1 - beta2) * g * g for vi, g in zip(v, grads)]
    new_params = []
    for p, mi, vi in zip(params, new_m, new_v):
        m_hat = mi / (1 - beta1 ** t)
        v_hat = vi / (1 - beta2 ** t)
        new_params.append(p - lr * m_hat / (math.sqrt(v_hat) + eps))
    return new_params, new_m, new_v
