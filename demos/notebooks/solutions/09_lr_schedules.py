def cosine_lr(epoch, base_lr, T_max, eta_min=0.0):
    """The learning rate cosine annealing gives at `epoch` (0 <= epoch <= T_max)."""
    return eta_min + 0.5 * (base_lr - eta_min) * (1 + math.cos(math.pi * epoch / T_max))
