#!/usr/bin/python3
"""Brute force of the CNIG residual's bands when a listed enterprise has two establishments in a
published cell (docs/zones.md, "What a zone withholds is a cell too"; test_zones' test_residual,
sql/cnig.sql).  One zone: 10 establishments, 69 jobs, cells C: 6 and G: 4, all published.  C:
enterprise X lists 4 and 14.5 (the file gives their one SIREN) beside sole traders of 0, 14.5,
1.5, 14.5; G: a company of 1.5 beside sole traders of 14.5, 0, 4.  The attacker knows the
withheld jobs exactly (zone total minus listed bands), the withheld count of each cell, that each
published cell is non-dominated (85 %) by an enterprise, its listed members' enterprises and
bands, and each withheld member none above 85 % of the withheld jobs.  Every assignment of
midpoints to the withheld members is enumerated; a band held by all of them is certain.
Written apart from the core (zones_residual.c)."""
import itertools
MID = [0, 1.5, 4, 7.5, 14.5, 34.5, 74.5]
D = 0.85; Z = 69
def certain(listed_c, nwc, listed_g, nwg, enterprise_rule):
    # listed_*: (enterprise, jobs) of the listed members of the cell
    def lead(listed):
        if not listed: return 0
        if enterprise_rule:
            s = {}
            for e, j in listed: s[e] = s.get(e, 0) + j
            return max(s.values())
        return max(j for e, j in listed)
    Lc, Lg = sum(j for e, j in listed_c), sum(j for e, j in listed_g)
    R = Z - Lc - Lg
    common = None; n = 0
    for wc in itertools.combinations_with_replacement(MID, nwc):
        if max([lead(listed_c)] + list(wc)) > D * (Lc + sum(wc)) + 1e-9: continue
        for wg in itertools.combinations_with_replacement(MID, nwg):
            if abs(sum(wc) + sum(wg) - R) > 1e-9: continue
            if max([lead(listed_g)] + list(wg)) > D * (Lg + sum(wg)) + 1e-9: continue
            allw = list(wc) + list(wg)
            if max(allw) > D * R + 1e-9: continue
            n += 1
            common = set(allw) if common is None else common & set(allw)
    return n, sorted(common or [])
X = [('X', 4), ('X', 14.5)]
for name, args in [("X's 4 and 14.5 and G's 1.5 listed, X measured by its largest (the old build's model)", (X, 4, [('g0', 1.5)], 3, False)),
                   ("X's 4 and 14.5 and G's 1.5 listed, X measured as one enterprise (the attacker)", (X, 4, [('g0', 1.5)], 3, True)),
                   ("X's 4 and 14.5 listed, G's 1.5 withheld (the listing now)", (X, 4, [], 4, True))]:
    n, c = certain(*args)
    print("%s: %d assignments, certain withheld bands (jobs): %s" % (name, n, c))
