#!/usr/bin/python3
"""Brute force of the CNIG residual's bands with the published cells (docs/zones.md,
"What a zone withholds is a cell too"), for the case of test_zones' test_residual:
section A lists 1.5 beside withheld 1.5, 1.5, 4; section C lists 0, 0, 7.5 beside
withheld 0, 7.5, 14.5; a suppressed section withholds 0.  The attacker knows the
withheld jobs exactly (zone total minus listed bands), the withheld count of each
published cell, that each published cell is non-dominated (85 %) with its listed
bands, the suppressed members none above 85 % of the zone's jobs, each withheld
member none above 85 % of the withheld jobs.  Every assignment of midpoints (half
jobs) to the withheld members is enumerated; a band held by all is certain.
Written apart from the core (zones_residual.c)."""
import itertools
MIDS=[0,3,8,15,29,69,149]; D=0.85
def forced(groups, R, Hz):
    opts=[]
    for listed,n in groups:
        o=[]
        for ms in itertools.combinations_with_replacement(MIDS,n):
            vals=list(ms)+list(listed or ())
            if listed is None:
                if any(v>D*Hz+1e-9 for v in ms): continue
            else:
                s=sum(vals)
                if s>0 and max(vals)>D*s+1e-9: continue
            o.append(ms)
        opts.append(o)
    held=None
    for combo in itertools.product(*opts):
        allv=[v for ms in combo for v in ms]
        if sum(allv)!=R or (R>0 and max(allv)>D*R+1e-9): continue
        s=set(allv); held=s if held is None else held&s
        if not held: return []
    return sorted(v/2 for v in (held or []))
# halves: A: 1.5,1.5,1.5,4 -> 3,3,3,8 ; C: 0,0,7.5,0,7.5,14.5 -> 0,0,15,0,15,29 ; rest 0
# (test_zones' test_residual: with the suppressed section's 0; sql/cnig.sql: without it)
for rest in (True, False):
    states = {
        "A lists 1.5; C lists 0, 0, 7.5": [((3,), 3), ((0, 0, 15), 3)],
        "C lists 0, 7.5": [((3,), 3), ((0, 15), 4)],
        "C lists 7.5": [((3,), 3), ((15,), 5)],
        "only C's 7.5 listed": [((), 4), ((15,), 5)],
    }
    print("with the suppressed section's 0" if rest else "without a suppressed section")
    for name, g in states.items():
        if rest:
            g = g + [(None, 1)]
        listed_sum = sum(sum(l) for l, _ in g if l)
        Hz = 3 + 3 + 3 + 8 + 0 + 0 + 15 + 0 + 15 + 29
        R = Hz - listed_sum
        print("  %-32s withheld jobs %5.1f, certain withheld bands (jobs): %s" % (name, R / 2, forced(g, R, Hz)))
