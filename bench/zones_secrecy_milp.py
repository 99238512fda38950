#!/usr/bin/python3
"""Information lost by statistical_secrecy's secondary suppression, against
a simple baseline and the optimal pattern (bench/zones.sh; docs/zones.md).

On small random tables (same generator as the make-test attacker), three
patterns protect the same primary cells against the same attacker
(extension/tests/lp/secrecy_attacker.py):

  - smartregion: statistical_secrecy (cheapest rectangles, witness checks);
  - baseline: the simple safe greedy: while the LP attacker finds a cell
    recomputed or a primary cell under-protected, suppress the cheapest
    published cell of its row (else of its column, else of the table);
  - optimal: the pattern of least total cost, by integer programming
    (scipy.optimize.milp, HiGHS): a binary per cell, and for every
    requirement (each primary cell up and down by its levels, every
    suppressed cell movable in count and value in one direction at least) a
    perturbation of the table that keeps every row and column sum, moves
    only suppressed cells, lowers none below the attacker's lower bound and
    moves the cell as required.  The attacker's bound reaches the level
    exactly when such a perturbation exists, so the optimum is exact for
    this attacker.
Cost of a cell: (1 + n + value / (1 + grand total)) x 2 for totals (the
routine's).  Prints RESULT lines; needs PGHOST/PGPORT.
"""
import csv
import io
import json
import os
import random
import subprocess
import sys
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "extension", "tests", "lp"))
from secrecy_attacker import attack, judge  # noqa: E402
from secrecy_attack_test import gen_table  # noqa: E402

DB = os.environ.get("ZONES_BENCH_DB", "smartregion_bench_zones")


def cost(T, c):
    i, j = c
    total = i == T.R or j == T.C
    return (1 + T.n[c] + T.v[c] / (1 + abs(T.v[T.R, T.C]))) * (2 if total else 1)


def cells_of(T):
    """Cells the function returns (a row without listed cells is no row)."""
    return [(i, j) for i in range(T.R + 1) for j in range(T.C + 1) if T.keyed(i, j)]


def primaries(T):
    return {c for c in cells_of(T) if T.reasons(*c)}


def ok(T, sup):
    b = attack([T], [sup])[0]
    en, ev, un, _, bad = judge(T, sup, b)
    return en + ev + un == 0, bad


def baseline(T):
    sup = {c: "primary" for c in primaries(T)}
    real = set(cells_of(T))
    for _ in range(500):
        good, bad = ok(T, sup)
        if good:
            return sup
        cell = bad[0][1]
        pick = None
        for line in ([(cell[0], j) for j in range(T.C + 1)], [(i, cell[1]) for i in range(T.R + 1)],
                     cells_of(T)):
            cand = [c for c in line if c in real and c not in sup]
            if cand:
                pick = min(cand, key=lambda c: (cost(T, c), c))
                break
        if pick is None:
            return None
        sup[pick] = "secondary"
    return None


def optimal(T, time_limit=60):
    cells = cells_of(T)
    m = len(cells)
    idx = {c: k for k, c in enumerate(cells)}
    prim = primaries(T)
    lines = [[(i, j) for j in range(T.C + 1)] for i in range(T.R + 1)]
    lines += [[(i, j) for i in range(T.R + 1)] for j in range(T.C + 1)]
    # requirements: (cell, measure, direction, need, gate) where gate is a
    # binary index (the requirement holds when it is 1) or None (always)
    nbin = m                           # y: suppressed
    reqs = []
    extra = []                         # (kind, cell): binaries choosing a direction
    for c in cells:
        vt = 1e-6 * max(1.0, T.v[c])
        if c in prim:
            up, down = T.levels(*c)
            reqs.append((c, "v", +1, max(up, vt), None))
            if down > vt:
                reqs.append((c, "v", -1, down, None))
        else:
            extra.append(("v", c))
            reqs.append((c, "v", +1, vt, ("u", nbin + len(extra) - 1)))
            reqs.append((c, "v", -1, vt, ("y-u", nbin + len(extra) - 1)))
        extra.append(("n", c))
        reqs.append((c, "n", +1, 1.0, ("u", nbin + len(extra) - 1)))
        reqs.append((c, "n", -1, 1.0, ("y-u", nbin + len(extra) - 1)))
    nb = nbin + len(extra)
    nvar = nb + len(reqs) * m
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0

    def add(terms, a, b):
        nonlocal r
        for k, v in terms:
            rows.append(r)
            cols.append(k)
            vals.append(v)
        lo.append(a)
        hi.append(b)
        r += 1
    # a direction binary may be 1 only for a suppressed cell
    for k, (kind, c) in enumerate(extra):
        add([(nbin + k, 1.0), (idx[c], -1.0)], -np.inf, 0.0)
    for q, (c, meas, sign, need, gate) in enumerate(reqs):
        x = T.n if meas == "n" else T.v
        base = nb + q * m
        for line in lines:             # a perturbation keeps every sum
            terms = [(base + idx[h], -1.0 if k == len(line) - 1 else 1.0)
                     for k, h in enumerate(line) if h in idx]
            add(terms, 0.0, 0.0)
        # the perturbation is scaled by the movement required (the sums are
        # homogeneous): only suppressed cells move, by at most the movement
        # (a conformal decomposition needs no more), not below the attacker's
        # lower bound
        for h in cells:
            slack = x[h] - (1.0 if meas == "n" and x[h] >= 1 else 0.0)
            add([(base + idx[h], 1.0), (idx[h], -1.0)], -np.inf, 0.0)
            add([(base + idx[h], 1.0), (idx[h], min(slack / need, 1.0))], 0.0, np.inf)
        # the cell moves as required (when gated: only if the gate is 1)
        d = base + idx[c]
        if gate is None:
            add([(d, float(sign))], 1.0, np.inf)
        elif gate[0] == "u":
            add([(d, float(sign)), (gate[1], -1.0)], 0.0, np.inf)
        else:
            add([(d, float(sign)), (idx[c], -1.0), (gate[1], 1.0)], 0.0, np.inf)
    A = coo_matrix((vals, (rows, cols)), shape=(r, nvar)).tocsr()
    cobj = np.zeros(nvar)
    for c in cells:
        cobj[idx[c]] = cost(T, c)
    lb = np.full(nvar, -np.inf)
    ub = np.full(nvar, np.inf)
    lb[:nb] = 0
    ub[:nb] = 1
    for c in prim:
        lb[idx[c]] = 1
    integrality = np.zeros(nvar)
    integrality[:nb] = 1
    res = milp(cobj, constraints=LinearConstraint(A, lo, hi), bounds=Bounds(lb, ub),
               integrality=integrality, options={"time_limit": time_limit})
    if res.x is None:
        return None, res.message
    sup = {}
    for c in cells:
        if res.x[idx[c]] > 0.5:
            sup[c] = "primary" if c in prim else "secondary"
    return sup, res.message


def psql(sql, stdin=None):
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", DB, "-c", sql],
                         input=stdin, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return out.stdout


def loss(T, sup):
    sec = [c for c, s in sup.items() if s == "secondary"]
    return len(sec), sum(T.v[c] for c in sec), sum(cost(T, c) for c in sec)


def main():
    rng = random.Random(2024)
    shapes = ["any", "sparse", "one cell per row", "dense small counts", "zero cells and empty rows",
              "dominant units", "one row", "one column"]
    tables = []
    while len(tables) < int(os.environ.get("SECRECY_MILP_TABLES", "60")):
        T = gen_table(rng, shapes[len(tables) % len(shapes)])
        if 2 <= len(cells_of(T)) <= 30 and primaries(T):
            tables.append(T)
    psql("SET client_min_messages = warning; DROP TABLE IF EXISTS sm_cells, sm_tabs;"
         "CREATE TABLE sm_cells (t int, row_key text, col_key text, n bigint, value float8, max_value float8,"
         " fiscal boolean); CREATE TABLE sm_tabs (t int, rules jsonb)")
    buf = io.StringIO()
    w = csv.writer(buf)
    for t, T in enumerate(tables):
        for (i, j) in sorted(T.listed):
            w.writerow([t, "r%d" % i, "c%d" % j, int(T.n[i, j]), repr(T.v[i, j]), repr(T.mx[i, j]),
                        "t" if T.fis[i, j] else "f"])
    psql("\\copy sm_cells FROM STDIN WITH (FORMAT csv)", buf.getvalue())
    buf = io.StringIO()
    w = csv.writer(buf)
    for t, T in enumerate(tables):
        w.writerow([t, json.dumps(T.rules)])
    psql("\\copy sm_tabs FROM STDIN WITH (FORMAT csv)", buf.getvalue())
    out = psql("\\copy (SELECT t.t, s.row_key, s.col_key, s.status FROM sm_tabs t, LATERAL "
               "smartregion.statistical_secrecy(format('SELECT row_key, col_key, n, value, max_value, fiscal "
               "FROM sm_cells WHERE t = %s', t.t), t.rules) s WHERE s.status <> 'published') TO STDOUT WITH (FORMAT csv)")
    ours = [dict() for _ in tables]
    for t, rk, ck, st in csv.reader(io.StringIO(out)):
        T = tables[int(t)]
        ours[int(t)][(T.R if rk == "" else int(rk[1:]), T.C if ck == "" else int(ck[1:]))] = st
    psql("DROP TABLE sm_cells, sm_tabs")

    tot = {k: [0, 0.0, 0.0] for k in ("smartregion", "baseline", "optimal")}
    n_opt = same = unsafe = 0
    worst = 1.0
    t0 = time.time()
    for t, T in enumerate(tables):
        good, _ = ok(T, ours[t])
        unsafe += not good
        base = baseline(T)
        opt, msg = optimal(T)
        if base is None or opt is None:
            print("# table %d: baseline or optimum not found (%s)" % (t, msg))
            continue
        good_opt, _ = ok(T, opt)
        if not good_opt:
            print("# table %d: the optimal pattern fails the attacker" % t)
            unsafe += 1
        n_opt += 1
        for k, sup in (("smartregion", ours[t]), ("baseline", base), ("optimal", opt)):
            a, b, c = loss(T, sup)
            tot[k][0] += a
            tot[k][1] += b
            tot[k][2] += c
        lo, lc = loss(T, opt)[2], loss(T, ours[t])[2]
        same += abs(lo - lc) <= 1e-9 * max(1, lo)
        if lo > 0:
            worst = max(worst, lc / lo)
    t1 = time.time()
    print("# %d small tables (2 to 30 cells with totals), %d with a proven optimum; %.0f s" % (len(tables), n_opt, t1 - t0))
    for k, (a, b, c) in tot.items():
        print("RESULT zones secrecy_small_%s_secondary %d cells" % (k, a))
        print("RESULT zones secrecy_small_%s_value_hidden %.0f value" % (k, b))
        print("RESULT zones secrecy_small_%s_cost %.1f cost" % (k, c))
    print("RESULT zones secrecy_small_smartregion_at_optimum %d tables" % same)
    print("RESULT zones secrecy_small_smartregion_worst_ratio %.2f x" % worst)
    print("RESULT zones secrecy_small_unsafe_patterns %d tables" % unsafe)
    return 0 if unsafe == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
