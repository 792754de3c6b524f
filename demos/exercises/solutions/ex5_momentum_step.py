"""Solution to exercise 5 (the task is in demos/exercises/ex5_momentum_step.py)."""


def sgd_momentum_step(params, grads, velocities, lr, momentum):
    new_velocities = [momentum * v + g for v, g in zip(velocities, grads)]
    new_params = [p - lr * v for p, v in zip(params, new_velocities)]
    return new_params, new_velocities
