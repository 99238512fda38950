#!/usr/bin/python3
"""numpy peer of smartregion's maturity scoring, for bench/maturity.sh.

Reads CSV exports of the framework, territories, values, answers and the SQL scores; rebuilds
the territories x indicators matrix; scores it with numpy (goalposts, weighted arithmetic mean,
re-weighting: the default of smartregion.maturity_scores) and checks the SQL scores against it;
then times 1,000 Monte-Carlo runs in numpy (weights +-25 %, normalisation among goalposts /
min-max / z-score / rank, aggregation arithmetic / geometric, missing data re-weighting / mean;
the nearest-peer imputation of smartregion is not reproduced here).
Prints RESULT lines."""
import csv, sys, time, warnings
import numpy as np

warnings.filterwarnings('ignore', category=RuntimeWarning)  # all-NaN columns of empty groups

d = sys.argv[1]
fw = list(csv.DictReader(open(f"{d}/framework.csv")))
ind = [r["indicator"] for r in fw]
jx = {k: i for i, k in enumerate(ind)}
axes = []
for r in fw:
    if r["axis"] not in axes:
        axes.append(r["axis"])
ax = np.array([axes.index(r["axis"]) for r in fw])
iw = np.array([float(r["weight"]) for r in fw])
aw = np.array([float(next(x["axis_weight"] for x in fw if x["axis"] == a)) for a in axes])
lo = np.array([float(r["goal_min"]) for r in fw]); hi = np.array([float(r["goal_max"]) for r in fw])
dr = np.array([int(r["direction"]) for r in fw])
decl = np.array([r["kind"] == "declarative" for r in fw])
plug = {r["indicator"] for r in fw if r["plugin"]}

terr = [(r["type"], r["code"]) for r in csv.DictReader(open(f"{d}/territories.csv"))]
tix = {t: i for i, t in enumerate(terr)}
types = ["commune", "epci", "departement", "region"]
grp = np.array([types.index(t[0]) for t in terr])
n, m, na = len(terr), len(ind), len(axes)
X = np.full((n, m), np.nan); Y = np.zeros((n, m), dtype=int)
for r in csv.DictReader(open(f"{d}/values.csv")):
    j = jx.get(r["indicator"]); t = tix.get((r["territory_type"], r["territory_code"]))
    if j is None or t is None or decl[j] or r["indicator"] in plug:
        continue
    y = int(r["year"])
    if np.isnan(X[t, j]) or y > Y[t, j]:
        X[t, j] = float(r["value"]); Y[t, j] = y
S = {}
for r in csv.DictReader(open(f"{d}/answers.csv")):
    j = jx.get(r["indicator"]); t = tix.get((r["territory_type"], r["territory_code"]))
    if j is None or t is None or not decl[j] or r["indicator"] in plug:
        continue
    y = int(r["year"]); k = (t, j); s = S.get(k)
    if s is None or y > s[0]:
        S[k] = [y, float(r["answer"]), 1]
    elif y == s[0]:
        s[1] += float(r["answer"]); s[2] += 1
for (t, j), (y, s, c) in S.items():
    X[t, j] = s / c
sql = {(r["territory_type"], r["territory_code"]): r["score"] for r in csv.DictReader(open(f"{d}/scores.csv"))}

def goalposts(X):
    Z = np.where(dr > 0, (X - lo) / (hi - lo), (hi - X) / (hi - lo)) * 100
    return np.clip(Z, 0, 100)

def per_group(X, f):
    Z = np.full_like(X, np.nan)
    for g in range(4):
        sel = grp == g
        if sel.any():
            Z[sel] = f(X[sel])
    return Z

def minmax(X):
    mn, mx = np.nanmin(X, 0), np.nanmax(X, 0)
    rng = np.where(mx > mn, mx - mn, 1)
    Z = np.where(mx > mn, 100 * (X - mn) / rng, 50.0)
    return np.where(dr > 0, Z, 100 - Z)

def zscore(X):
    mu, sd = np.nanmean(X, 0), np.nanstd(X, 0)
    z = np.where(sd > 0, (X - mu) / np.where(sd > 0, sd, 1), 0.0) * dr
    return np.clip(50 + 50 * z / 3, 0, 100)

def rank(X):
    from scipy.stats import rankdata
    Z = np.full_like(X, np.nan)
    for j in range(X.shape[1]):
        ok = ~np.isnan(X[:, j]); k = ok.sum()
        if k == 0:
            continue
        r = rankdata(X[ok, j], method="average")
        p = 100 * (r - 1) / (k - 1) if k > 1 else np.full(k, 50.0)
        Z[ok, j] = p if dr[j] > 0 else 100 - p
    return Z

def aggregate(Z, iw, aw, geo):
    V = np.log(Z + 1) if geo else Z
    M = ~np.isnan(Z)
    V = np.where(M, V, 0.0)
    A = np.zeros((Z.shape[0], na)); Wa = np.zeros((Z.shape[0], na))
    for a in range(na):
        c = ax == a
        s = (V[:, c] * iw[c]).sum(1); w = (M[:, c] * iw[c]).sum(1)
        A[:, a] = np.where(w > 0, s / np.where(w > 0, w, 1), np.nan)
    Am = ~np.isnan(A)
    tot = np.where(Am, A, 0) @ aw; tw = Am @ aw
    sc = np.where(tw > 0, tot / np.where(tw > 0, tw, 1), np.nan)
    return np.exp(sc) - 1 if geo else sc

t0 = time.perf_counter()
score = aggregate(goalposts(X), iw, aw, False)
t_score = time.perf_counter() - t0
diffs = [abs(score[tix[k]] - float(v)) for k, v in sql.items() if v != "" and k in tix]
nnull = sum(1 for k, v in sql.items() if v == "" and not np.isnan(score[tix[k]]))
print(f"# numpy scores vs SQL: {len(diffs)} compared, max |diff| = {max(diffs):.3g}, "
      f"{nnull} NULL in SQL but scored in numpy")
print(f"RESULT maturity numpy_score_matrix_only {t_score:.3f} s")

# Monte Carlo in numpy (normalised matrices precomputed, as the C core does)
t0 = time.perf_counter()
norms = [goalposts(X), per_group(X, minmax), per_group(X, zscore), per_group(X, rank)]
means = []
for Z in norms:
    mu = np.zeros((4, m))
    for g in range(4):
        sel = grp == g
        mu[g] = np.nanmean(Z[sel], 0) if sel.any() else np.nan
    means.append(np.where(np.isnan(Z), mu[grp], Z))
rng = np.random.default_rng(42)
runs = 1000
ranks = np.zeros((runs, n), dtype=np.int32)
for r in range(runs):
    k = rng.integers(4); geo = rng.integers(2) == 1; imp = rng.integers(2)
    awr = aw * (1 + 0.25 * rng.uniform(-1, 1, na)); awr /= awr.sum()
    iwr = iw * (1 + 0.25 * rng.uniform(-1, 1, m))
    iwr /= np.bincount(ax, iwr)[ax]
    sc = aggregate(means[k] if imp else norms[k], iwr, awr, geo)
    key = np.where(np.isnan(sc), -np.inf, sc)
    for g in range(4):
        idx = np.nonzero(grp == g)[0]
        o = idx[np.argsort(-key[idx], kind="stable")]
        ranks[r, o] = np.arange(1, len(o) + 1)
med = np.median(ranks, 0); p05 = np.percentile(ranks, 5, 0); p95 = np.percentile(ranks, 95, 0)
t_mc = time.perf_counter() - t0
print(f"RESULT maturity numpy_mc_1000_runs {t_mc:.3f} s")
