from autograd import sigmoid    # works on plain numbers: sigmoid(0.0) == 0.5

def sigmoid_derivative(x):
    s = sigmoid(x)
    return s * (1 - s)
