#!/usr/bin/python3
"""The attacker's exact programme of docs/zones.md ("The published cells' own
dominance counts too"), written apart from extension/core/zones_residual.c to
check its verdicts on zones too large to enumerate.

A zone: published cells and the rest (its suppressed cells together), each a
list of 16 counts by INSEE headcount band (NN, 00, 01, ... 53).  A band's
midpoint x is forced when no assignment avoids it: each published cell's
members non-dominated in their cell (largest <= dominance x the cell's sum,
or all zero), the rest's members each <= dominance x the zone's jobs, every
group keeping its count, the whole summing to the zone's jobs.

Formulation (not the core's): members are placed one at a time; a published
cell's state is (largest midpoint so far, sum), kept as one Python integer
bit set of sums per largest midpoint; cells are combined by a plain sumset.
Sums are in half jobs.  Usage: bands-cells-exact.py < zone.json, where the
JSON is {"cells": [[16 counts], ...], "rest": [16 counts], "dominance": 0.85};
prints the forced midpoints (jobs), [] when the zone's jobs are protected.
"""
import json
import sys

MID = [0, 0, 1.5, 4, 7.5, 14.5, 34.5, 74.5, 149.5, 224.5, 374.5, 749.5, 1499.5, 3499.5, 7499.5, 10000]


def halves(b):
    return int(round(2 * MID[b]))


def cell_sums(counts, x, dom, top):
    """the sums (bit set up to top) of a published cell's members, none x, non-dominated"""
    n = sum(counts)
    vals = sorted({halves(b) for b in range(16)} - {x})
    mask = (1 << (top + 1)) - 1
    # state[m]: sums of the members placed so far whose largest is m
    state = {0: 1}
    for _ in range(n):
        nxt = {}
        for m, bits in state.items():
            for u in vals:
                if u > top:
                    continue
                mm = max(m, u)
                nxt[mm] = (nxt.get(mm, 0) | (bits << u)) & mask
        state = {m: b for m, b in nxt.items() if b}
    out = 0
    for m, bits in state.items():
        s = 0
        while bits >> s:
            if (bits >> s) & 1 and (dom >= 1 or m == 0 or m <= dom * s + 1e-9):
                out |= 1 << s
            s += 1
    return out


def rest_sums(counts, x, dom, H, top):
    n = sum(counts)
    vals = [v for v in sorted({halves(b) for b in range(16)} - {x})
            if v <= top and (dom >= 1 or v == 0 or v <= dom * H + 1e-9)]
    mask = (1 << (top + 1)) - 1
    cur = 1
    for _ in range(n):
        nxt = 0
        for u in vals:
            nxt |= cur << u
        cur = nxt & mask
    return cur


def sumset(a, b, top):
    mask = (1 << (top + 1)) - 1
    out = 0
    s = 0
    while b >> s:
        if (b >> s) & 1:
            out |= a << s
        s += 1
    return out & mask


def forced(cells, rest, dom):
    H = sum(c * halves(b) for g in cells + [rest] for b, c in enumerate(g))
    present = {halves(b) for g in cells + [rest] for b, c in enumerate(g) if c}
    out = []
    for x in sorted(present):
        acc = 1
        for g in cells:
            acc = sumset(acc, cell_sums(g, x, dom, H), H)
        if sum(rest):
            acc = sumset(acc, rest_sums(rest, x, dom, H, H), H)
        if not (acc >> H) & 1:
            out.append(x / 2)
    return out


if __name__ == "__main__":
    z = json.load(sys.stdin)
    print(json.dumps(forced(z["cells"], z.get("rest", [0] * 16), z.get("dominance", 0.85))))
