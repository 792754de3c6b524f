def per_digit_accuracy(counts):
    """For each digit d, the fraction of the images of d that were read as d."""
    return [counts[d][d] / sum(counts[d]) for d in range(10)]
