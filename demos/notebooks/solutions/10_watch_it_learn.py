def dead_neurons(model, X):
    """Indices of model.layers[0]'s neurons whose output is 0 for every sample of X."""
    with autograd.no_grad():
        outputs = model.layers[0](X)              # one list of neuron outputs per sample
    return [j for j in range(len(outputs[0])) if all(out[j].data == 0 for out in outputs)]
