# q = a·b + c = -1, so dL/dq = 2q = -2; then dL/da = dL/dq · b, dL/db = dL/dq · a, dL/dc = dL/dq
grad_a = 6.0    # dL/da
grad_b = -4.0   # dL/db
grad_c = -2.0   # dL/dc
