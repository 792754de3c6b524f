# q = a·b + c = -1, so dL/dq = 2q = -2; then dL/da = dL/dq · b, dL/db = dL/dq · a, dL/dc = dL/dq
dL_da = 6.0
dL_db = -4.0
dL_dc = -2.0
