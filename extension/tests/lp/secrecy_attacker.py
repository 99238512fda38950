#!/usr/bin/python3
"""An attacker of smartregion.statistical_secrecy written independently of
the C core: linear programmes solved by scipy (HiGHS).

The attacker knows every published cell of the table and its totals, that
each row and each column adds up to its total, that values are >= 0 and
counts >= 0, and that a cell listed with a count of one or more is not empty
(count >= 1).  For every suppressed cell it computes the smallest and the
largest value the cell can take (one LP each way, for counts and for
values) and checks:

  - no count is recomputed exactly (the integer interval holds one value);
  - no value is recomputed exactly (interval narrower than 1e-7 relative);
  - every primary cell's value interval reaches value + upper level and
    value - lower level, the levels computed here from the rules
    (docs/zones.md): protection_level x value for min_units and
    fiscal_min_units, max_value / dominance - value for dominance, the
    larger if both; the lower level is capped at the value.

Many (table, cell, direction) problems are solved at once: they are
independent blocks of one sparse LP (the optimum of a sum of independent
blocks is the sum of their optima), with every variable capped at a bound far
above any vertex of the block (4 x cells x (grand total + 1)), so that a
bounded cell gets its exact bound and an unbounded one a huge value.
"""
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

RULES = {"min_units": 3.0, "dominance": 0.85, "fiscal_min_units": 11.0,
         "protection_level": 0.10}


class Table:
    """R x C table: cells {(i, j): (n, value, max_value, fiscal)} for the
    listed interior cells; totals derived here."""

    def __init__(self, R, C, cells, rules=None):
        self.R, self.C = R, C
        self.rules = dict(RULES)
        self.rules.update(rules or {})
        self.listed = set(cells)
        n = np.zeros((R + 1, C + 1))
        v = np.zeros((R + 1, C + 1))
        mx = np.zeros((R + 1, C + 1))
        fis = np.zeros((R + 1, C + 1), dtype=bool)
        for (i, j), (cn, cv, cm, cf) in cells.items():
            for (a, b) in ((i, j), (i, C), (R, j), (R, C)):
                n[a, b] += cn
                v[a, b] += cv
                mx[a, b] = max(mx[a, b], cm or 0.0)
                fis[a, b] |= bool(cf)
        self.n, self.v, self.mx, self.fis = n, v, mx, fis

    def present(self, i, j):
        return i == self.R or j == self.C or (i, j) in self.listed

    def keyed(self, i, j):
        """A cell the function returns: its row and column have a listed
        cell (a key that never appears is no row of the table)."""
        rows = {a for (a, b) in self.listed}
        cols = {b for (a, b) in self.listed}
        return self.present(i, j) and (i == self.R or i in rows) and (j == self.C or j in cols) \
            and bool(self.listed)

    def reasons(self, i, j):
        """Primary rules the cell fails (empty set: none)."""
        r, n, v = self.rules, self.n[i, j], self.v[i, j]
        why = set()
        if n > 0:
            if n < r["min_units"]:
                why.add("min_units")
            if v > 0 and self.mx[i, j] > r["dominance"] * v:
                why.add("dominance")
            if self.fis[i, j] and n < r["fiscal_min_units"]:
                why.add("fiscal_min_units")
        return why

    def levels(self, i, j):
        r, v = self.rules, self.v[i, j]
        why = self.reasons(i, j)
        up = 0.0
        if why & {"min_units", "fiscal_min_units"}:
            up = max(up, r["protection_level"] * v)
        if "dominance" in why:
            up = max(up, self.mx[i, j] / r["dominance"] - v)
        return up, min(up, v)


def attack(tables, statuses):
    """tables: list of Table; statuses: list of {(i, j): 'primary' |
    'secondary'} (suppressed cells, totals included, R / C for totals).
    Returns, per table, {(i, j): {'n': (lo, hi), 'v': (lo, hi)}}."""
    # one LP for all tables: a block per (table, measure, cell, direction)
    rows, cols, vals, b_eq, cost, lo_b, hi_b, targets = [], [], [], [], [], [], [], []
    nvar = 0
    neq = 0
    for t, (T, sup) in enumerate(zip(tables, statuses)):
        supp = sorted(sup)
        if not supp:
            continue
        ncells = (T.R + 1) * (T.C + 1)
        for measure in ("n", "v"):
            x = T.n if measure == "n" else T.v
            cap = 4.0 * ncells * (x[T.R, T.C] + 1.0) + 10.0
            lows = {c: (1.0 if measure == "n" and x[c] >= 1 else 0.0) for c in supp}
            for target in supp:
                for sign in (1.0, -1.0):           # minimise, maximise
                    index = {c: nvar + k for k, c in enumerate(supp)}
                    nvar += len(supp)
                    for c in supp:
                        lo_b.append(lows[c])
                        hi_b.append(cap)
                        cost.append(sign if c == target else 0.0)
                    # each extended row: cells - total = 0; each column alike
                    lines = [[(i, j) for j in range(T.C + 1)] for i in range(T.R + 1)]
                    lines += [[(i, j) for i in range(T.R + 1)] for j in range(T.C + 1)]
                    for line in lines:
                        rhs = 0.0
                        used = False
                        for k, c in enumerate(line):
                            if not T.present(*c):
                                continue    # structural zero, known
                            coef = -1.0 if k == len(line) - 1 else 1.0
                            if c in index:
                                rows.append(neq)
                                cols.append(index[c])
                                vals.append(coef)
                                used = True
                            else:
                                rhs -= coef * x[c]
                        if used:
                            b_eq.append(rhs)
                            neq += 1
                    targets.append((t, target, measure, sign, index[target]))
    result = [dict() for _ in tables]
    if nvar == 0:
        return result
    A = coo_matrix((vals, (rows, cols)), shape=(neq, nvar)).tocsr()
    res = linprog(np.array(cost), A_eq=A, b_eq=np.array(b_eq),
                  bounds=np.column_stack([lo_b, hi_b]), method="highs")
    if res.status != 0:
        raise RuntimeError("attacker LP failed: %s" % res.message)
    for (t, cell, measure, sign, var) in targets:
        d = result[t].setdefault(cell, {"n": [None, None], "v": [None, None]})
        d[measure][0 if sign > 0 else 1] = res.x[var]
    return result


def judge(T, sup, bounds):
    """Counts (exact counts, exact values, under-protected primary cells,
    primary cells) for one table; failures listed."""
    exact_n = exact_v = under = nprim = 0
    bad = []
    for cell, status in sup.items():
        (nlo, nhi), (vlo, vhi) = bounds[cell]["n"], bounds[cell]["v"]
        x = T.v[cell]
        tol = 1e-7 * max(1.0, abs(x))
        if np.floor(nhi + 1e-6) <= np.ceil(nlo - 1e-6):
            exact_n += 1
            bad.append(("count exact", cell, nlo, nhi))
        if vhi - vlo <= tol:
            exact_v += 1
            bad.append(("value exact", cell, vlo, vhi))
        if status == "primary":
            nprim += 1
            up, down = T.levels(*cell)
            if vhi < x + up - tol or vlo > x - down + tol:
                under += 1
                bad.append(("under-protected", cell, vlo, vhi, x, up, down))
    return exact_n, exact_v, under, nprim, bad
