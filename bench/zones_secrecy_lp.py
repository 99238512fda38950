#!/usr/bin/python3
"""Independent attacker for smartregion.statistical_secrecy (scipy LP) on the
bench's 40 x 12 table (bench/zones.sh).

Reads the table's listed cells (row_key, col_key, n, value, max_value) from
the database table named on the command line, runs statistical_secrecy on
it, and for every suppressed cell solves the attacker's linear programmes
(extension/tests/lp/secrecy_attacker.py: min and max of the cell given every
published cell and total, values >= 0, listed counts >= 1), for the counts
and the values.  A cell is recovered when its bounds meet (counts: when they
hold a single integer); a primary cell is under-protected when its value
interval does not reach its protection levels.  Prints RESULT lines.
"""
import csv
import io
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "extension", "tests", "lp"))
from secrecy_attacker import Table, attack, judge  # noqa: E402


def psql(db, sql):
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip())
    return list(csv.reader(io.StringIO(out.stdout)))


def main():
    db, table = sys.argv[1], sys.argv[2]
    rows = psql(db, "\\copy (SELECT row_key, col_key, n, value, max_value FROM %s) TO STDOUT WITH (FORMAT csv)" % table)
    rkeys = sorted({r[0] for r in rows})
    ckeys = sorted({r[1] for r in rows})
    ri = {k: i for i, k in enumerate(rkeys)}
    ci = {k: j for j, k in enumerate(ckeys)}
    cells = {(ri[r], ci[c]): (int(n), float(v), float(m), False) for r, c, n, v, m in rows}
    T = Table(len(rkeys), len(ckeys), cells)
    out = psql(db, "\\copy (SELECT row_key, col_key, status FROM smartregion.statistical_secrecy("
                   "'SELECT row_key, col_key, n, value, max_value FROM %s') WHERE status <> 'published')"
                   " TO STDOUT WITH (FORMAT csv)" % table)
    sup = {(T.R if r == "" else ri[r], T.C if c == "" else ci[c]): s for r, c, s in out}
    bounds = attack([T], [sup])[0]
    exact_n, exact_v, under, nprim, bad = judge(T, sup, bounds)
    for b in bad[:5]:
        print("# recovered or under-protected:", b)
    ncell = sum(1 for i in range(T.R + 1) for j in range(T.C + 1) if T.present(i, j))
    print("RESULT zones secrecy_table %d cells, %d suppressed" % (ncell, len(sup)))
    print("RESULT zones secrecy_lp_solves %d lp" % (4 * len(sup)))
    print("RESULT zones secrecy_lp_recovered %d cells" % (exact_n + exact_v))
    print("RESULT zones secrecy_lp_under_protected %d cells" % under)
    return 0 if exact_n + exact_v + under == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
