#!/usr/bin/env python3
"""JIT on against JIT off for one SQL call (docs/performance.md, "JIT").

Pass 1: every statement the call runs, nested ones included (PL/pgSQL, SPI), through
auto_explain (log_nested_statements, log_analyze, JSON plans sent as NOTICEs): those that were
JIT-compiled, their planner estimate and their JIT time.  Pass 2: the call's wall time in psql
(\\timing), one run with JIT off to warm the caches, then REPS pairs alternating the session's
jit on and off; medians.  Superuser (auto_explain is loaded by LOAD).

usage: bench/jit.py NAME REPS 'SQL' ['setup SQL'] [--tx]
  setup runs first in each session (SET ROLE a reader; BEGIN; ALTER FUNCTION f RESET jit, for
  the "before" of a function declared SET jit = off); --tx: each run in a transaction rolled
  back (a call that writes).  Env: PG* of the cluster, DB (default jitdemo)."""
import json, os, re, subprocess, sys, statistics

name, reps, call = sys.argv[1], int(sys.argv[2]), sys.argv[3]
setup = sys.argv[4] if len(sys.argv) > 4 else ''
tx = '--tx' in sys.argv        # a volatile call: each run in a transaction rolled back
db = os.environ.get('DB', 'jitdemo')

def psql(script):
    p = subprocess.run(['psql', '-X', '-q', '-d', db, '-v', 'ON_ERROR_STOP=1'], input=script,
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-3000:]); sys.exit(1)
    return p.stdout, p.stderr

def wrap(c):
    return f'BEGIN;\n{c};\nROLLBACK;\n' if tx else f'{c};\n'

# 1. where JIT happens: every statement's plan (nested too), JIT on
ae = """LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on;
SET auto_explain.log_timing = on; SET auto_explain.log_nested_statements = on;
SET auto_explain.log_level = notice; SET auto_explain.log_format = json;
SET client_min_messages = notice;
"""
out, err = psql(ae + setup + '\nSET jit = on;\n' + wrap(call))
plans = []
for m in re.finditer(r'NOTICE:  duration: ([0-9.]+) ms  plan:\n(\{.*?\n\})', err, re.S):
    try:
        j = json.loads(m.group(2))
    except Exception:
        continue
    plans.append((float(m.group(1)), j))
jit_total = 0.0
rows = []
for dur, j in plans:
    q = ' '.join(j.get('Query Text', '').split())[:110]
    cost = j['Plan']['Total Cost']
    jj = j.get('JIT')
    if jj:
        t = jj.get('Timing', {})
        tot = t.get('Total', 0.0)
        if isinstance(tot, dict):
            tot = sum(v for v in tot.values())
        jit_total += tot
        o = jj.get('Options', {})
        rows.append(f"  JIT {tot:8.1f} ms of {dur:9.1f} ms  cost {cost:12.0f}  fns {jj.get('Functions')}  "
                    f"inl={o.get('Inlining')} opt={o.get('Optimization')}  | {q}")
top = max((d for d, _ in plans), default=0.0)
print(f"## {name}: {len(plans)} statements logged, {len(rows)} JIT-compiled, JIT total {jit_total:.1f} ms "
      f"(longest statement {top:.1f} ms, under auto_explain)")
for r in rows:
    print(r)

# 2. wall times: a warm-up run (jit off), then on/off alternating
body = setup + '\n\\timing on\nSET jit = off;\n' + wrap(call)
for i in range(reps):
    body += '\\echo @on\nSET jit = on;\n' + wrap(call) + '\\echo @off\nSET jit = off;\n' + wrap(call)
out, err = psql(body)
res = {'on': [], 'off': []}
# times of the call statement only: the last 'Time:' before each marker / at the end
blocks = re.split(r'^@(on|off)$', out, flags=re.M)
for k in range(1, len(blocks), 2):
    mode, txt = blocks[k], blocks[k + 1]
    ts = [float(x) for x in re.findall(r'^Time: ([0-9.]+) ms', txt, re.M)]
    # SET, [BEGIN], call, [ROLLBACK]
    t = ts[2] if tx else ts[1]
    res[mode].append(t)
on, off = res['on'], res['off']
print(f"  wall: JIT on median {statistics.median(on):.1f} ms {[round(x) for x in on]}; "
      f"off median {statistics.median(off):.1f} ms {[round(x) for x in off]}; "
      f"ratio {statistics.median(on)/statistics.median(off):.2f}")
