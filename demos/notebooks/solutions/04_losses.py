s = [1.0, 2.0, 0.0]
t = 1
p = F.softmax(s)
grad_s = [p[k] - (1.0 if k == t else 0.0) for k in range(3)]
