def momentum_step(x, buf, g, lr, momentum):
    """One step of SGD with momentum on a number x; return the new (x, buf)."""
    buf = momentum * buf + g
    x = x - lr * buf
    return x, buf
