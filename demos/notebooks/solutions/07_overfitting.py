def early_stopping(val_losses, patience):
    """(the epoch training stops at, the epoch with the best loss so far); epochs count from 1."""
    best, best_epoch, bad_epochs = float("inf"), None, 0
    for epoch, loss in enumerate(val_losses, 1):
        if loss < best:
            best, best_epoch, bad_epochs = loss, epoch, 0
        else:
            bad_epochs += 1
            if bad_epochs >= patience:
                return epoch, best_epoch
    return len(val_losses), best_epoch
