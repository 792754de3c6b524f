def train_step(model, optimizer, X, y):
    """One step of gradient descent on the mean hinge loss of (X, y); return the loss."""
    loss = F.hinge_loss(model(X), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss
