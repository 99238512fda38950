#!/usr/bin/python3
"""Independent attacker for smartregion.statistical_secrecy (scipy LP).

Reads, on stdin, the CSV output of
  SELECT row_key, col_key, status, true_n, true_value FROM ...
(one line per cell of the extended table, margins with empty keys), and for
every suppressed cell solves two linear programmes: minimise and maximise the
cell subject to the published cells and totals (row sums, column sums, grand
total) and non-negativity.  A cell is recovered when min == max (counts:
when the interval holds a single integer).  Prints RESULT lines.
"""
import csv
import sys

import numpy as np
from scipy.optimize import linprog


def main():
    rows = list(csv.reader(sys.stdin))
    cells = {}
    for r, c, status, n, v in rows:
        cells[(r, c)] = (status, float(n), float(v))
    rkeys = sorted({r for (r, c) in cells if r != ""})
    ckeys = sorted({c for (r, c) in cells if c != ""})
    R, C = len(rkeys), len(ckeys)
    # extended table: index (i, j), i == R / j == C are the totals
    idx = {}
    for i in range(R + 1):
        for j in range(C + 1):
            idx[(i, j)] = i * (C + 1) + j
    key_r = {k: i for i, k in enumerate(rkeys)}
    key_r[""] = R
    key_c = {k: j for j, k in enumerate(ckeys)}
    key_c[""] = C
    nvar = (R + 1) * (C + 1)
    true_n = np.zeros(nvar)
    true_v = np.zeros(nvar)
    secret = np.zeros(nvar, dtype=bool)
    for (r, c), (status, n, v) in cells.items():
        k = idx[(key_r[r], key_c[c])]
        true_n[k], true_v[k] = n, v
        secret[k] = status != "published"
    # equations: each extended row and column, total = sum of parts
    A = []
    for i in range(R + 1):
        a = np.zeros(nvar)
        for j in range(C):
            a[idx[(i, j)]] = 1
        a[idx[(i, C)]] = -1
        A.append(a)
    for j in range(C + 1):
        a = np.zeros(nvar)
        for i in range(R):
            a[idx[(i, j)]] = 1
        a[idx[(R, j)]] = -1
        A.append(a)
    A = np.array(A)
    recovered = 0
    solved = 0
    for truth, integer in ((true_n, True), (true_v, False)):
        # published cells are fixed by bounds; suppressed ones >= 0
        bounds = [(truth[k], truth[k]) if not secret[k] else (0, None) for k in range(nvar)]
        b = np.zeros(len(A))
        for k in np.nonzero(secret)[0]:
            cvec = np.zeros(nvar)
            cvec[k] = 1
            lo = linprog(cvec, A_eq=A, b_eq=b, bounds=bounds, method="highs")
            hi = linprog(-cvec, A_eq=A, b_eq=b, bounds=bounds, method="highs")
            solved += 2
            if lo.status != 0 or hi.status == 2:
                print("# LP failed for cell", k, lo.message, hi.message)
                recovered += 1
                continue
            low = lo.fun
            high = np.inf if hi.status == 3 else -hi.fun
            if integer:
                exact = np.floor(high + 1e-7) == np.ceil(low - 1e-7)
            else:
                exact = high - low <= 1e-7 * max(1.0, abs(truth[k]))
            if exact:
                recovered += 1
                print("# recovered cell", k, low, high)
    print("RESULT zones secrecy_table %d cells, %d suppressed" % (nvar, int(secret.sum())))
    print("RESULT zones secrecy_lp_solves %d lp" % solved)
    print("RESULT zones secrecy_lp_recovered %d cells" % recovered)
    return 0 if recovered == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
