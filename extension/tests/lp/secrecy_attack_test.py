#!/usr/bin/python3
"""make test: thousands of random tables of every shape through
smartregion.statistical_secrecy, each attacked by the independent LP
attacker (secrecy_attacker.py).  Prints TAP lines and the counts; needs a
running cluster (PGHOST/PGPORT) and /usr/bin/python3 with scipy.

  secrecy_attack_test.py [--tables N] [--seed S] [--db DB]
"""
import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from secrecy_attacker import Table, attack, judge  # noqa: E402

SHAPES = ["any", "one row", "one column", "sparse", "one cell per row", "dense small counts",
          "zero cells and empty rows", "dominant units", "one cell", "fiscal"]


def gen_table(rng, shape):
    R, C = rng.randint(1, 6), rng.randint(1, 6)
    density = rng.uniform(0.45, 1.0)
    if shape == "one row":
        R, C = 1, rng.randint(2, 8)
    elif shape == "one column":
        R, C = rng.randint(2, 8), 1
    elif shape == "sparse":
        R, C, density = rng.randint(4, 8), rng.randint(4, 8), 0.25
    elif shape == "one cell per row":
        R, C = rng.randint(3, 8), rng.randint(2, 5)
    elif shape == "dense small counts":
        density = 1.0
    elif shape == "one cell":
        R = C = 1
        density = 1.0
    cells = {}
    empty_row = rng.randrange(R) if shape == "zero cells and empty rows" else -1
    for i in range(R):
        only = rng.randrange(C)
        for j in range(C):
            if shape == "one cell per row":
                if j != only:
                    continue
            elif rng.random() > density:
                continue
            u = rng.random()
            if shape == "dense small counts":
                n = rng.randint(1, 4)
            elif i == empty_row or (shape == "zero cells and empty rows" and u < 0.3):
                n = 0
            else:
                n = 1 + rng.randrange(2) if u < 0.35 else rng.randint(3, 15)
            v = float(n * rng.randint(1, 20)) if n else 0.0
            if n and rng.random() < 0.05:
                v = 0.0                     # units without value
            if n == 1:
                mx = v
            elif n > 1:
                share = 1.0 / n + (1 - 1.0 / n) * rng.random() ** (1 if shape == "dominant units" else 3)
                mx = min(v, round(v * share, 2))
            else:
                mx = 0.0
            cells[(i, j)] = (n, v, mx, shape == "fiscal")
    rules = {}
    if rng.random() < 0.3:
        rules["min_units"] = rng.choice([2, 4, 5])
    if rng.random() < 0.3:
        rules["dominance"] = rng.choice([0.6, 0.75, 0.95])
    if rng.random() < 0.4:
        rules["protection_level"] = rng.choice([0.0, 0.2, 0.5])
    if shape == "fiscal" and rng.random() < 0.5:
        rules["fiscal_min_units"] = 5
    return Table(R, C, cells, rules)


def psql(db, sql, stdin=None):
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                         input=stdin, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tables", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--db", default="smartregion_secrecy_lp")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    t0 = time.time()
    tables, shapes = [], []
    for k in range(args.tables):
        shape = SHAPES[k % len(SHAPES)]
        tables.append(gen_table(rng, shape))
        shapes.append(shape)

    # load every table, run statistical_secrecy on each in one query
    psql("postgres", "DROP DATABASE IF EXISTS %s" % args.db)
    psql("postgres", "CREATE DATABASE %s" % args.db)
    psql(args.db, "SET client_min_messages = warning; CREATE EXTENSION smartregion CASCADE;"
         "CREATE TABLE cells (t int, row_key text, col_key text, n bigint, value float8,"
         " max_value float8, fiscal boolean); CREATE TABLE tabs (t int PRIMARY KEY, rules jsonb)")
    buf = io.StringIO()
    w = csv.writer(buf)
    for t, T in enumerate(tables):
        for (i, j) in sorted(T.listed):
            n, v, mx, f = T.n[i, j], T.v[i, j], T.mx[i, j], T.fis[i, j]
            w.writerow([t, "r%d" % i, "c%d" % j, int(n), repr(v), repr(mx), "t" if f else "f"])
    psql(args.db, "\\copy cells FROM STDIN WITH (FORMAT csv)", buf.getvalue())
    buf = io.StringIO()
    w = csv.writer(buf)
    for t, T in enumerate(tables):
        w.writerow([t, json.dumps({k: v for k, v in T.rules.items()})])
    psql(args.db, "\\copy tabs FROM STDIN WITH (FORMAT csv)", buf.getvalue())
    out = psql(args.db, "\\copy (SELECT t.t, s.row_key, s.col_key, s.n, s.value, s.status, s.reason "
               "FROM tabs t, LATERAL smartregion.statistical_secrecy("
               "format('SELECT row_key, col_key, n, value, max_value, fiscal FROM cells WHERE t = %s', t.t),"
               " t.rules) s) TO STDOUT WITH (FORMAT csv)")
    t1 = time.time()

    statuses = [dict() for _ in tables]
    seen = [set() for _ in tables]
    wrong_primary = shown = absent_listed = 0
    for t, rk, ck, n, v, status, reason in csv.reader(io.StringIO(out)):
        T = tables[int(t)]
        i = T.R if rk == "" else int(rk[1:])
        j = T.C if ck == "" else int(ck[1:])
        seen[int(t)].add((i, j))
        if not T.keyed(i, j):
            absent_listed += 1
        if (status == "primary") != bool(T.reasons(i, j)):
            wrong_primary += 1
        if status == "published":
            if n == "" or int(n) != T.n[i, j] or abs(float(v) - T.v[i, j]) > 1e-9 * max(1, T.v[i, j]):
                shown += 1
        else:
            statuses[int(t)][(i, j)] = status
            if n != "" or v != "":
                shown += 1
    missing = sum(1 for t, T in enumerate(tables)
                  for i in range(T.R + 1) for j in range(T.C + 1)
                  if T.keyed(i, j) and (i, j) not in seen[t])

    # the attack, in batches of independent blocks
    totals = {"exact_n": 0, "exact_v": 0, "under": 0, "primary": 0, "suppressed": 0, "lp": 0}
    failures = []
    per_shape = {s: [0, 0] for s in SHAPES}
    batch = 150
    for b in range(0, len(tables), batch):
        bounds = attack(tables[b:b + batch], statuses[b:b + batch])
        for k, T in enumerate(tables[b:b + batch]):
            sup = statuses[b + k]
            en, ev, un, npr, bad = judge(T, sup, bounds[k])
            totals["exact_n"] += en
            totals["exact_v"] += ev
            totals["under"] += un
            totals["primary"] += npr
            totals["suppressed"] += len(sup)
            totals["lp"] += 4 * len(sup)
            per_shape[shapes[b + k]][0] += 1
            per_shape[shapes[b + k]][1] += len(sup)
            failures += [(b + k,) + f for f in bad]
    t2 = time.time()

    ncells = sum(len(T.listed) for T in tables)
    print("# %d tables (%s), %d listed cells, %d suppressed (%d primary); %d bounds by LP"
          % (len(tables), ", ".join("%s %d" % (s, c[0]) for s, c in per_shape.items()),
             ncells, totals["suppressed"], totals["primary"], totals["lp"]))
    print("# counts recomputed exactly: %d; values recomputed exactly: %d; primary cells under-protected: %d"
          % (totals["exact_n"], totals["exact_v"], totals["under"]))
    print("# statistical_secrecy %.1f s, LP attack %.1f s" % (t1 - t0, t2 - t1))
    for f in failures[:10]:
        print("#   table %d: %s" % (f[0], f[1:]))
    checks = [
        (len(tables) >= 1000 and all(c[0] > 0 for c in per_shape.values()),
         "%d random tables of every shape" % len(tables)),
        (missing == 0 and absent_listed == 0, "every listed cell and total is returned, no absent cell"),
        (wrong_primary == 0, "primary cells are those the rules select (recomputed in Python)"),
        (shown == 0, "suppressed cells show no n and no value, published cells their true ones"),
        (totals["suppressed"] > 1000 and totals["exact_n"] == 0,
         "0 counts recomputed exactly by the LP attacker"),
        (totals["exact_v"] == 0, "0 values recomputed exactly by the LP attacker"),
        (totals["primary"] > 500 and totals["under"] == 0,
         "0 primary cells under-protected (value interval beyond the protection levels)"),
    ]
    for k, (ok, desc) in enumerate(checks, 1):
        print("%s %d - secrecy attack: %s" % ("ok" if ok else "not ok", k, desc))
    psql("postgres", "DROP DATABASE IF EXISTS %s" % args.db)
    return 0 if all(ok for ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
