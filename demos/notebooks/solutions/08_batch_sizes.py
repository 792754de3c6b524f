def steps_per_epoch(n, batch_size, drop_last=False):
    """The number of batches in one pass over n points."""
    if batch_size is None:
        return 1
    return n // batch_size if drop_last else math.ceil(n / batch_size)
