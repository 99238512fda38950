#!/usr/bin/python3
"""The tiers-lieux matching on the real 2019 census, against brute force in Python.

Reads a demo database (scripts/demo-db.sh: the 1,512 tiers-lieux of the census with their
synthetic offers, 2,999 synthetic projects, the communes with a contour) through psql, and
checks what an application would call against a brute force written here from
docs/matching.md alone (no code of the extension):
  1. match_score of 40 projects x every premise (60,480 pairs), to 1e-12; match_explain of
     the same pairs: its score equal to match_score's, its contributions adding up to it;
  2. match_candidates (k = 10) of every project; 300 of them ranked by brute force over
     every premise (ties to the lower premise id), ids, ranks and scores;
  3. match_assign of those candidates (capacity / 6 per premise): every method valid;
     greedy redone here; no blocking pair for the two stable methods; the optimal total equal
     to that of a min-cost flow written here (successive shortest paths);
  4. tierslieux_coverage: every commune's nearest tiers-lieu and distance (haversine over
     every premise), the EPCI, departements and regions' population, mean and shares.
Prints TAP lines and "N passed, N failed".  About 1.5 minutes on 2 cores.

    scripts/matching-census-check.py [database]      (default smartregion_demo; PG* env)
"""
import datetime
import heapq
import json
import math
import subprocess
import sys
from fractions import Fraction

DB = sys.argv[1] if len(sys.argv) > 1 else 'smartregion_demo'
results = []


def tap(ok, what, detail=''):
    results.append(bool(ok))
    print('%s - matching census: %s%s' % ('ok' if ok else 'not ok', what, ' (%s)' % detail if detail else ''))


def sql(q, sep='\x1f'):
    out = subprocess.run(['psql', '-X', '-q', '-At', '-F', sep, '-v', 'ON_ERROR_STOP=1', '-d', DB,
                          '-c', 'SET extra_float_digits = 3', '-c', q],
                         capture_output=True, text=True, check=True).stdout
    return [line.split(sep) for line in out.splitlines() if line]


# ---- the reference: docs/matching.md, "Scoring model" ----
import json, math, datetime
R = 6371.0088
W = dict(distance=0.30, surface=0.15, price=0.20, amenities=0.15, hours=0.10, capacity=0.10)
DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

def hav(lon1, lat1, lon2, lat2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R * math.asin(min(1, math.sqrt(a)))

def ranges(v):
    if v is None or v == 'closed':
        return []
    if isinstance(v, str):
        v = v.split(',')
    out = []
    for r in v:
        if isinstance(r, list):
            out.append((r[0], r[1]))
        else:
            a, b = r.split('-')
            ha, ma = map(int, a.split(':')); hb, mb = map(int, b.split(':'))
            out.append((ha * 60 + ma, hb * 60 + mb))
    return out

def g(d, k):
    v = d.get(k)
    return v

def date(s):
    return datetime.date.fromisoformat(s) if s else None

def score(p, q, explain=False):
    # hard constraints
    d = None
    if g(p, 'lon') is not None and g(q, 'lon') is not None:
        d = hav(p['lon'], p['lat'], q['lon'], q['lat'])
    fails = []
    pk = p.get('kinds') or []
    if pk and not set(pk) & set(q.get('kinds') or []):
        fails.append('kind')
    smin, smax, s = p.get('surface_min_m2'), p.get('surface_max_m2'), q.get('surface_m2')
    if smin is not None or smax is not None:
        if s is None or (smin is not None and s < smin) or (smax is not None and s > smax):
            fails.append('surface')
    if p.get('budget_month') is not None:
        if q.get('rent_month') is None or q['rent_month'] > p['budget_month']:
            fails.append('budget')
    st = date(p.get('start_date'))
    if st:
        af, at = date(q.get('available_from')), date(q.get('available_to'))
        if (af and af > st) or (at and at < st):
            fails.append('availability')
    if p.get('duration_months') is not None and q.get('min_term_months') is not None:
        if q['min_term_months'] > p['duration_months']:
            fails.append('term')
    if p.get('step_free_needed') and not q.get('step_free'):
        fails.append('step_free')
    if set(p.get('amenities_required') or []) - set(q.get('amenities') or []):
        fails.append('amenities')
    if set(p.get('activities') or []) - set(q.get('activities_allowed') or []):
        fails.append('activities')
    if p.get('max_distance_km') is not None and d is not None and d > p['max_distance_km']:
        fails.append('travel')
    if fails:
        return (0.0, fails) if explain else 0.0
    num = den = 0.0
    vals = {}
    if d is not None:
        vals['distance'] = 2 ** (-d / 5)
    if s is not None:
        t = None
        if smin is not None and smax is not None: t = 0.5 * (smin + smax)
        elif smin is not None: t = smin
        elif smax is not None: t = smax
        if t is not None and t > 0:
            vals['surface'] = max(0, 1 - abs(s - t) / t)
    b, r = p.get('budget_month'), q.get('rent_month')
    if b is not None and b > 0 and r is not None:
        vals['price'] = min(1, max(0, 1 - 0.5 * r / b))
    wish = set(p.get('amenities_wished') or [])
    # a premise's amenities absent or null are unknown (no data), [] is none
    if wish and q.get('amenities') is not None:
        A = set(q['amenities'])
        vals['amenities'] = len(wish & A) / len(wish | A)
    if p.get('hours') is not None and q.get('hours') is not None:
        need = cov = 0
        for day in DAYS:
            pr = ranges(p['hours'].get(day)); qr = ranges(q['hours'].get(day))
            for a, bb in pr:
                need += bb - a
                for c, e in qr:
                    cov += max(0, min(bb, e) - max(a, c))
        if need > 0:
            vals['hours'] = cov / need
    tm, cap = p.get('team_size'), q.get('capacity')
    if tm is not None and cap is not None and (tm > 0 or cap > 0):
        vals['capacity'] = min(tm, cap) / max(tm, cap)
    for k, v in vals.items():
        num += W[k] * v; den += W[k]
    sc = num / den if den > 0 else 1.0
    return (sc, vals) if explain else sc


def main():
    P = {x['id']: x for x in (json.loads(r[0]) for r in sql(
        "SELECT to_jsonb(p) - 'location' || CASE WHEN location IS NULL THEN '{}' "
        "ELSE jsonb_build_object('lon', ST_X(location), 'lat', ST_Y(location)) END FROM hub.projects p"))}
    Q = sorted((json.loads(r[0]) for r in sql(
        "SELECT to_jsonb(p) - 'location' || jsonb_build_object('lon', ST_X(location), 'lat', ST_Y(location)) "
        "FROM hub.premises p")), key=lambda x: x['id'])
    tap(len(Q) == 1512 and len(P) > 0, 'the census: 1,512 premises', '%d premises, %d projects' % (len(Q), len(P)))

    # 1. scores
    rows = sql("SELECT j.id, q.id, smartregion.match_score(to_jsonb(j), to_jsonb(q)) "
               "FROM hub.projects j, hub.premises q WHERE j.id % 75 = 1")
    Qd = {q['id']: q for q in Q}
    diffs = [abs(score(P[int(i)], Qd[int(j)]) - float(s)) for i, j, s in rows]
    feas = sum(float(s) > 0 for _, _, s in rows)
    tap(rows and max(diffs) <= 1e-12, 'match_score of %d pairs equals the brute force' % len(rows),
        '%d feasible, worst difference %.3g' % (feas, max(diffs) if diffs else 0))

    # match_explain says the same score, in a JSON number that reads back as that double
    n, differ, gap = sql("WITH e AS (SELECT smartregion.match_score(to_jsonb(j), to_jsonb(q)) s, "
                         "smartregion.match_explain(to_jsonb(j), to_jsonb(q)) x FROM hub.projects j, hub.premises q "
                         "WHERE j.id % 75 = 1) SELECT count(*), count(*) FILTER (WHERE (x->>'score')::float8 <> s), "
                         "coalesce(max(abs((SELECT coalesce(sum((c->>'contribution')::float8), 0) "
                         "FROM jsonb_array_elements(x->'criteria') c) - s)) FILTER (WHERE s > 0), 0) FROM e")[0]
    tap(int(differ) == 0 and float(gap) <= 1e-12,
        'match_explain of %s pairs: its score is match_score\'s, its contributions add up to it' % n,
        '%s differ, worst sum gap %.3g' % (differ, float(gap)))

    # 2. top-k
    got = {}
    for i, j, rk, s in sql("SELECT project_id, premise_id, rank, score FROM smartregion.match_candidates("
                           "'SELECT * FROM hub.projects', 'SELECT * FROM hub.premises', 10)"):
        got.setdefault(int(i), []).append((int(j), int(rk), float(s)))
    for v in got.values():
        v.sort(key=lambda t: t[1])
    bad = withc = 0
    sample = [i for i in sorted(P) if i % 10 == 3]
    for i in sample:
        top = sorted((-score(P[i], q), q['id']) for q in Q)
        exp = [(qid, k + 1, -s) for k, (s, qid) in enumerate([t for t in top if t[0] < 0][:10])]
        withc += bool(exp)
        g = got.get(i, [])
        if len(g) != len(exp) or any(a[0] != b[0] or a[1] != b[1] or abs(a[2] - b[2]) > 1e-12
                                     for a, b in zip(g, exp)):
            bad += 1
    tap(bad == 0, 'match_candidates (k = 10) of %d projects equals a full brute-force ranking' % len(sample),
        '%d with candidates, %d differ' % (withc, bad))

    # 3. assignments of those candidates
    pairs = {(i, j): s for i, v in got.items() for j, _, s in v}
    cap = {int(a): int(b) for a, b in sql("SELECT id, greatest(1, capacity / 6) FROM hub.premises")}
    pairs_sql = ("SELECT project_id, premise_id, score FROM smartregion.match_candidates("
                 "'SELECT * FROM hub.projects', 'SELECT * FROM hub.premises', 10)")
    res = {}
    for m in ('optimal', 'greedy', 'stable', 'stable_premises'):
        res[m] = [(int(i), int(j), float(s)) for i, j, s in sql(
            "SELECT project_id, premise_id, score FROM smartregion.match_assign($q$%s$q$, '%s', "
            "'SELECT id AS premise_id, greatest(1, capacity / 6) AS capacity FROM hub.premises')" % (pairs_sql, m))]

    def valid(a):
        seen, use = set(), {}
        for i, j, s in a:
            if i in seen or pairs.get((i, j)) != s:
                return False
            seen.add(i)
            use[j] = use.get(j, 0) + 1
        return all(use[j] <= cap.get(j, 1) for j in use)

    def total(a):
        return sum(Fraction(s) for _, _, s in a)
    for m, a in res.items():
        tap(valid(a), 'match_assign %s: listed pairs, one premise a project, capacities kept' % m,
            '%d assigned, total %.6f' % (len(a), float(total(a))))
    used, taken, gr = {}, set(), []
    for (i, j), s in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1])):
        if s > 0 and i not in taken and used.get(j, 0) < cap.get(j, 1):
            taken.add(i)
            used[j] = used.get(j, 0) + 1
            gr.append((i, j, s))
    tap(sorted(gr) == sorted(res['greedy']), 'match_assign greedy equals greedy redone here')
    for m in ('stable', 'stable_premises'):
        of = {i: (j, s) for i, j, s in res[m]}
        at = {}
        for i, j, s in res[m]:
            at.setdefault(j, []).append((s, i))
        block = 0
        for (i, j), s in pairs.items():
            if i in of:
                jj, ss = of[i]
                if jj == j or not (s > ss or (s == ss and j < jj)):
                    continue
            here = at.get(j, [])
            if len(here) < cap.get(j, 1):
                block += 1
                continue
            ws, wi = min(here, key=lambda t: (t[0], -t[1]))
            if s > ws or (s == ws and i < wi):
                block += 1
        tap(block == 0, 'match_assign %s has no blocking pair' % m, '%d' % block)
    flow = min_cost_flow(pairs, cap)
    tap(abs(float(total(res['optimal'])) - flow) <= 1e-9,
        'match_assign optimal total equals a min-cost flow written here',
        '%.9f and %.9f' % (float(total(res['optimal'])), flow))

    # 4. coverage
    units = sql("SELECT t.code, t.population, ST_X(p), ST_Y(p), t.departement_code, t.region_code, t.epci_code "
                "FROM smartregion.territory t, ST_Transform(ST_PointOnSurface(t.geom), 4326) p "
                "WHERE t.type = 'commune' AND t.geom IS NOT NULL")
    cov = {(t, c): (pop, nid, d, sh, n) for t, c, pop, nid, d, sh, n in sql(
        "SELECT territory_type, territory_code, population, nearest_id, distance, share_within, units "
        "FROM smartregion.tierslieux_coverage('SELECT id, location FROM hub.premises', '{}')")}
    near, bad = {}, 0
    for c, pop, lon, lat, *_ in units:
        near[c] = min((hav(float(lon), float(lat), q['lon'], q['lat']), q['id']) for q in Q)
        g = cov.get(('commune', c))
        if g is None or int(g[1]) != near[c][1] or abs(float(g[2]) - near[c][0]) > 1e-9:
            bad += 1
    tap(units and bad == 0, 'tierslieux_coverage: the nearest tiers-lieu of %d communes' % len(units), '%d differ' % bad)
    for level, idx in (('epci', 6), ('departement', 4), ('region', 5)):
        groups, bad = {}, 0
        for u in units:
            groups.setdefault(u[idx], []).append(u)
        for code, us in groups.items():
            pop = sum(Fraction(u[1]) for u in us if u[1])
            mean = sum(Fraction(u[1]) * Fraction(near[u[0]][0]) for u in us if u[1]) / pop
            shares = [sum(Fraction(u[1]) for u in us if u[1] and near[u[0]][0] <= t) / pop for t in (10, 20, 30)]
            g = cov.get((level, code))
            if (g is None or int(g[4]) != len(us) or Fraction(g[0]) != pop
                    or abs(float(g[2]) - float(mean)) > 1e-9 * float(mean)
                    or any(abs(float(a) - float(b)) > 1e-12 for a, b in zip(g[3].strip('{}').split(','), shares))):
                bad += 1
        tap(bad == 0, 'tierslieux_coverage: %d %s rows (population, weighted mean, shares within 10/20/30 km)'
            % (len(groups), level), '%d differ' % bad)
    print('%d passed, %d failed' % (sum(results), len(results) - sum(results)))
    return 0 if all(results) else 1


def min_cost_flow(pairs, cap):
    """Maximum total score: successive shortest paths (Dijkstra, potentials) from a source to
    the projects, their pairs, the premises with their capacities, a sink; every project may
    also go straight to the sink (unassigned)."""
    adj = {}

    def add(u, v, c, w):
        adj.setdefault(u, []).append([v, c, w, len(adj.setdefault(v, []))])
        adj[v].append([u, 0, -w, len(adj[u]) - 1])
    rows = sorted({i for i, _ in pairs})
    cols = sorted({j for _, j in pairs})
    for i in rows:
        add('S', ('r', i), 1, 0.0)
        add(('r', i), 'T', 1, 0.0)
    for (i, j), s in pairs.items():
        if s > 0:
            add(('r', i), ('c', j), 1, -s)
    for j in cols:
        add(('c', j), 'T', cap.get(j, 1), 0.0)
    pot = {'S': 0.0, 'T': 0.0}
    for i in rows:
        pot[('r', i)] = 0.0
    for j in cols:
        pot[('c', j)] = min([-s for (_, jj), s in pairs.items() if jj == j and s > 0] + [0.0])
    pot['T'] = min([0.0] + [pot[('c', j)] for j in cols])
    while True:
        dist, prev, heap, n, done = {'S': 0.0}, {}, [(0.0, 0, 'S')], 1, set()
        while heap:
            d, _, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            for k, (v, c, w, _) in enumerate(adj[u]):
                if c > 0:
                    nd = d + w + pot[u] - pot[v]
                    if nd < dist.get(v, math.inf) - 1e-15:
                        dist[v], prev[v] = nd, (u, k)
                        heapq.heappush(heap, (nd, n, v))
                        n += 1
        if 'T' not in dist:
            break
        for v in dist:
            pot[v] += dist[v]
        v = 'T'
        while v != 'S':
            u, k = prev[v]
            e = adj[u][k]
            e[1] -= 1
            adj[v][e[3]][1] += 1
            v = u
    return float(sum(Fraction(-w) for i in rows for v, c, w, _ in adj[('r', i)]
                     if isinstance(v, tuple) and v[0] == 'c' and c == 0 and w < 0))


if __name__ == '__main__':
    sys.exit(main())
