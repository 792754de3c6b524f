from autograd import Value


def test_product_rule():
    a, b = Value(2.0), Value(-3.0)
    (a * b).backward()
    assert a.grad == -3.0 and b.grad == 2.0
