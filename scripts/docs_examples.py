#!/usr/bin/python3
"""Run the SQL examples of the documentation against a demo database.

Every ```sql block of README.md and docs/*.md is run with psql, page by page,
in the page's order, inside one transaction rolled back at the end of the page.
A block fails when one of its statements raises an error, or when a value an
example states in a comment (the conventions of docs/development.md, "Examples
that run") is not what the statement returns.

    scripts/docs_examples.py --db DB [--psql PSQL] [--verbose] [FILE.md ...]

Fences: ```sql (runs), ```sql scratch (runs; what it changes is rolled back
once the block ends: destructive examples), anything else is not run
(```sql-signature for declarations, ```text for output, ```sh for shell).
Prints one line per failure with the page and line, then
"docs: N passed, N failed (N statements, N values checked)".
Standard library only (Debian's /usr/bin/python3).
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r'^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*?)\s*$')
RUN_ATTRS = {'scratch'}
# statements that would end or nest the page's transaction
TXN = re.compile(r'^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE|'
                 r'PREPARE\s+TRANSACTION|COMMIT\s+PREPARED|ROLLBACK\s+PREPARED)\b', re.I)
BAD_META = re.compile(r'^\\(c|connect|q|quit|o|out|!|cd|gexec|watch)\b')


# ---------------------------------------------------------------------------
# Markdown: the fenced blocks of a page
class Block:
    def __init__(self, path, line, lang, attrs, lines):
        self.path, self.line, self.lang, self.attrs, self.lines = path, line, lang, attrs, lines
        self.statements = []
        self.problems = []      # harness-level problems (bad fence, forbidden statement)
        self.failures = []

    @property
    def where(self):
        return '%s:%d' % (self.path, self.line)


def blocks_of(path, text):
    out = []
    lines = text.split('\n')
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang, rest = len(m.group(1)), m.group(2), m.group(3).lower(), m.group(4)
        start = i + 1
        j = start
        body = []
        while j < len(lines):
            s = lines[j].strip()
            if s.startswith(fence[0] * len(fence)) and s.strip(fence[0]) == '':
                break
            # strip the fence's indentation (blocks inside list items)
            ln = lines[j]
            k = 0
            while k < indent and k < len(ln) and ln[k] == ' ':
                k += 1
            body.append(ln[k:])
            j += 1
        b = Block(path, start, lang, rest.split(), body)
        b.body_first_line = start + 1     # 1-based line of the block's first line
        if j >= len(lines):
            b.problems.append('fence opened at line %d is never closed' % start)
        out.append(b)
        i = j + 1
    return out


# ---------------------------------------------------------------------------
# SQL: split a block into statements (psql's rules, simplified: ';' outside
# quotes, comments and parentheses; a backslash command ends at its line)
class Statement:
    def __init__(self, block, first, last, text, comment, meta=False):
        self.block, self.first, self.last, self.text = block, first, last, text
        self.comment = comment        # expectation comment lines (after the ';')
        self.meta = meta
        self.expect = None
        self.id = None


def split_statements(block):
    lines = block.lines
    stmts = []
    buf, first = [], None
    state = None         # None, "'", '"', '$tag$', '/*'
    depth_c = 0          # nested /* */ depth
    paren = 0
    n = 0
    while n < len(lines):
        line = lines[n]
        lineno = block.body_first_line + n
        if state is None and first is None and line.strip().startswith('\\'):
            # a psql command (only comments before it since the last statement)
            stmts.append(Statement(block, lineno, lineno, line.strip(), [], meta=True))
            buf = []
            n += 1
            continue
        i = 0
        ended_at = None
        while i < len(line):
            c = line[i]
            if state is None:
                if line.startswith('--', i):
                    break
                if line.startswith('/*', i):
                    state, depth_c = '/*', 1
                    i += 2
                    continue
                if c == "'":
                    state = "'"
                elif c == '"':
                    state = '"'
                elif c == '$':
                    m = re.match(r'\$([A-Za-z_][A-Za-z_0-9]*)?\$', line[i:])
                    if m and not (i > 0 and (line[i - 1].isalnum() or line[i - 1] == '_')):
                        state = m.group(0)
                        i += len(state)
                        continue
                elif c == '(':
                    paren += 1
                elif c == ')':
                    paren = max(0, paren - 1)
                elif c == ';' and paren == 0:
                    ended_at = i
                    break
                elif c == '\\':
                    # a backslash command after SQL (\gset, \g ...) ends the statement
                    ended_at = len(line) - 1
                    break
                if first is None and not c.isspace():
                    first = lineno
                i += 1
            elif state == "'":
                if c == "'":
                    if line.startswith("''", i):
                        i += 2
                        continue
                    state = None
                i += 1
            elif state == '"':
                if c == '"':
                    state = None
                i += 1
            elif state == '/*':
                if line.startswith('*/', i):
                    depth_c -= 1
                    i += 2
                    if depth_c == 0:
                        state = None
                    continue
                if line.startswith('/*', i):
                    depth_c += 1
                    i += 2
                    continue
                i += 1
            else:   # dollar quote
                if line.startswith(state, i):
                    i += len(state)
                    state = None
                    continue
                i += 1
        if ended_at is not None:
            buf.append(line[:ended_at + 1])
            if first is None:
                first = lineno
            # the expectation: a comment after the ';' on this line, then the
            # comment lines right below the statement
            comment = []
            tail = line[ended_at + 1:]
            m = re.match(r'\s*--(.*)$', tail)
            if m:
                comment.append(m.group(1))
            k = n + 1
            while k < len(lines) and re.match(r'\s*--', lines[k]) and \
                    (comment or not tail.strip()):
                comment.append(re.match(r'\s*--(.*)$', lines[k]).group(1))
                k += 1
            text = '\n'.join(buf)
            if text.strip():
                stmts.append(Statement(block, first, lineno, text, comment))
            # text after the ';' that is not a comment starts the next statement
            rest = tail if not m else ''
            buf, first, paren = ([rest] if rest.strip() else []), None, 0
            n += 1
            continue
        buf.append(line)
        n += 1
    if ''.join(l.split('--')[0] for l in buf).strip():
        block.problems.append('the last statement (from line %s) does not end with ";"' % first)
    return stmts


# ---------------------------------------------------------------------------
# Expected values (docs/development.md): a comment that starts with a number,
# "= text", a JSON value, or psql rows ("a | b | c", a header before a
# "---+---" line, "(N rows)")
NUM = r'[-+\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?'
NUM_RE = re.compile(r'^(%s)(\.\.\.|\u2026)?(?:\s*\u00b1\s*(%s)\s*(%%)?)?(?=$|[\s;,:(])' % (NUM, NUM))


class Num:
    """A number as written: its value and the tolerance its digits state."""

    def __init__(self, text, trunc=False, tol=None, rel=False):
        t = text.replace(',', '').replace('\u2212', '-')
        self.text, self.value = text, float(t)
        if tol is not None:
            tv = float(tol.replace(',', ''))
            self.tol = abs(self.value) * tv / 100 if rel else tv
            self.how = '\u00b1 %s%s' % (tol, '%' if rel else '')
        else:
            mant = t.lower().split('e')[0]
            exp = int(t.lower().split('e')[1]) if 'e' in t.lower() else 0
            d = len(mant.split('.')[1]) if '.' in mant else 0
            unit = 10.0 ** (exp - d)
            # rounded to its last digit; "..." = truncated there
            self.tol = unit if trunc else unit / 2
            self.how = ('truncated' if trunc else 'rounded') + ' to its last digit'
        self.tol *= 1 + 1e-9

    def matches(self, got):
        try:
            g = float(got)
        except (TypeError, ValueError):
            return False
        if math.isnan(g):
            return False
        return abs(g - self.value) <= self.tol

    def __repr__(self):
        return self.text


def parse_cell(s):
    s = s.strip()
    m = NUM_RE.match(s)
    if m and m.end() == len(s.rstrip()):
        return Num(m.group(1), bool(m.group(2)), m.group(3), bool(m.group(4)))
    return s


class Expect:
    def __init__(self, kind, **kw):
        self.kind = kind
        self.__dict__.update(kw)


def parse_expectation(comment):
    if not comment:
        return None
    lines = [c.rstrip() for c in comment]
    first = lines[0].strip()
    # psql rows
    rowlines = []
    for c in lines:
        if '|' in c or re.match(r'^\s*-+(\+-+)*\s*$', c) or re.match(r'^\s*\(\d+ rows?\)\s*$', c):
            rowlines.append(c)
        else:
            break
    if any('|' in c for c in rowlines):
        header, rows, nrows = None, [], None
        for c in rowlines:
            if re.match(r'^\s*-+(\+-+)*\s*$', c):
                # psql's line under the column names
                if header is None and len(rows) == 1:
                    header = [h.strip() for h in rows.pop().split('|')]
                continue
            m = re.match(r'^\s*\((\d+) rows?\)\s*$', c)
            if m:
                nrows = int(m.group(1))
                continue
            rows.append(c)
        cells = [[parse_cell(x) for x in r.split('|')] for r in rows]
        return Expect('rows', header=header, rows=cells, nrows=nrows)
    if first.startswith('= '):
        return Expect('text', text=first[2:].strip())
    if first.startswith('{"') or first.startswith('[{') or first.startswith('["') or first == '{' or first == '[':
        text = ' '.join(l.strip() for l in lines)
        return Expect('json', text=text)
    m = NUM_RE.match(first)
    if m:
        return Expect('scalar', num=Num(m.group(1), bool(m.group(2)), m.group(3), bool(m.group(4))))
    return None


def json_expected(text):
    """Parse an expected JSON value; '...' stands for the other keys or items."""
    t = re.sub(r',\s*(\.\.\.|\u2026)\s*}', ', "\u2026": true}', text)
    t = re.sub(r'{\s*(\.\.\.|\u2026)\s*}', '{"\u2026": true}', t)
    t = re.sub(r',\s*(\.\.\.|\u2026)\s*]', ', "\u2026"]', t)
    return json.loads(t, parse_float=lambda s: Num(s), parse_int=lambda s: Num(s))


def json_match(exp, got, path='$'):
    if isinstance(exp, Num):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return '%s: expected %s, got %s' % (path, exp.text, json.dumps(got))
        return None if exp.matches(got) else '%s: expected %s (%s), got %s' % (path, exp.text, exp.how, got)
    if isinstance(exp, dict):
        if not isinstance(got, dict):
            return '%s: expected an object, got %s' % (path, json.dumps(got)[:60])
        partial = exp.get('\u2026') is True
        for k, v in exp.items():
            if k == '\u2026':
                continue
            if k not in got:
                return '%s: key "%s" is missing' % (path, k)
            e = json_match(v, got[k], '%s.%s' % (path, k))
            if e:
                return e
        if not partial:
            extra = [k for k in got if k not in exp]
            if extra:
                return '%s: unexpected keys %s (end the object with ", ..." to allow others)' % (path, extra)
        return None
    if isinstance(exp, list):
        if not isinstance(got, list):
            return '%s: expected an array, got %s' % (path, json.dumps(got)[:60])
        partial = bool(exp) and exp[-1] == '\u2026'
        items = exp[:-1] if partial else exp
        if len(got) < len(items) or (not partial and len(got) != len(items)):
            return '%s: expected %d items, got %d' % (path, len(items), len(got))
        for k, v in enumerate(items):
            e = json_match(v, got[k], '%s[%d]' % (path, k))
            if e:
                return e
        return None
    return None if exp == got else '%s: expected %s, got %s' % (path, json.dumps(exp), json.dumps(got))


def cell_match(exp, got):
    if isinstance(exp, Num):
        if exp.matches(got):
            return None
        return 'expected %s (%s), got %s' % (exp.text, exp.how, got if got != '' else 'NULL')
    if exp in ('...', '\u2026'):
        return None
    if exp == got.strip():
        return None
    return 'expected "%s", got "%s"' % (exp, got)


def check(expect, result):
    """result: (columns, rows) of the statement's output; returns a message or None."""
    if result is None:
        return 'the statement returned no result (an expectation needs a query)'
    cols, rows = result
    if expect.kind == 'scalar':
        if not rows:
            return 'expected %s, got no row' % expect.num.text
        return cell_match(expect.num, rows[0][0])
    if expect.kind == 'text':
        if not rows:
            return 'expected "%s", got no row' % expect.text
        return cell_match(expect.text, rows[0][0])
    if expect.kind == 'json':
        if not rows:
            return 'expected a JSON value, got no row'
        try:
            exp = json_expected(expect.text)
        except ValueError as e:
            return 'cannot read the expected JSON of the comment (%s)' % e
        try:
            got = json.loads(rows[0][0])
        except ValueError:
            return 'expected JSON, got %s' % rows[0][0][:80]
        return json_match(exp, got)
    # rows
    if expect.nrows is not None and len(rows) != expect.nrows:
        return 'expected %d rows, got %d' % (expect.nrows, len(rows))
    if len(rows) < len(expect.rows):
        return 'expected at least %d rows, got %d' % (len(expect.rows), len(rows))
    idx = None
    if expect.header:
        idx = []
        for h in expect.header:
            if h not in cols:
                return 'the comment names column "%s", the result has %s' % (h, ', '.join(cols))
            idx.append(cols.index(h))
    for r, erow in enumerate(expect.rows):
        if idx is not None and len(erow) != len(idx):
            return 'row %d of the comment has %d cells, its header %d' % (r + 1, len(erow), len(idx))
        if idx is None and len(erow) > len(rows[r]):
            return 'row %d of the comment has %d cells, the result %d columns' % (r + 1, len(erow), len(rows[r]))
        for c, e in enumerate(erow):
            k = idx[c] if idx is not None else c
            msg = cell_match(e, rows[r][k])
            if msg:
                return 'row %d, column %s: %s' % (r + 1, cols[k], msg)
    return None


# ---------------------------------------------------------------------------
# Running a page
SEP = '\x1f'
RSEP = '\x1e'


def page_script(path, blocks):
    """The psql script of a page and the map from its lines to statements."""
    out = []
    linemap = {}

    def emit(s, stmt=None):
        out.append(s)
        if stmt is not None:
            linemap[len(out)] = stmt

    emit('\\set ON_ERROR_STOP 0')
    emit('\\set ON_ERROR_ROLLBACK on')
    emit('\\set QUIET 1')
    emit('\\set VERBOSITY default')
    emit('\\pset pager off')
    emit('\\pset footer off')
    emit('\\pset null \'\'')
    emit('BEGIN;')
    emit("SET LOCAL statement_timeout = '120s';")
    sid = 0
    for b in blocks:
        if b.problems:
            continue
        if 'scratch' in b.attrs:
            emit('SAVEPOINT sr_docs_scratch;')
        for st in b.statements:
            sid += 1
            st.id = sid
            if not st.meta and TXN.match(st.text):
                b.problems.append('line %d: transaction control (%s) is not allowed: each page runs in one '
                                  'transaction rolled back at its end (use ```sql scratch for a destructive example)'
                                  % (st.first, TXN.match(st.text).group(1).upper()))
                continue
            if st.meta and BAD_META.match(st.text):
                b.problems.append('line %d: the psql command %s is not allowed in a runnable example'
                                  % (st.first, st.text.split()[0]))
                continue
            # a known output format for the statements whose result is checked
            emit('\\pset format unaligned')
            emit('\\pset fieldsep \'\\037\'')
            emit('\\pset recordsep \'\\036\'')
            emit('\\pset tuples_only off')
            emit('\\echo @@S %d' % sid)
            for k, ln in enumerate(st.text.split('\n')):
                emit(ln, st)
            # psql reports an error at the line where the statement ended
            linemap[len(out)] = st
        if 'scratch' in b.attrs:
            emit('\\echo @@S 0')
            emit('ROLLBACK TO SAVEPOINT sr_docs_scratch;')
            emit('RELEASE SAVEPOINT sr_docs_scratch;')
    emit('\\echo @@S 0')
    emit('ROLLBACK;')
    emit('\\echo @@END')
    return '\n'.join(out) + '\n', linemap


def parse_stdout(text):
    """Statement id -> (columns, rows) of its (first) result.  Fields are separated by
    \\x1f and records by \\x1e, so values may hold newlines."""
    res = {}
    ended = '\n@@END\n' in '\n' + text
    text = text.split('\n@@END\n')[0] if ended else text
    parts = re.split(r'^@@S (\d+)(?:\n|$)', text, flags=re.M)
    for k in range(1, len(parts) - 1, 2):
        body = parts[k + 1]
        if body.endswith('\n'):
            body = body[:-1]
        if body == '':
            continue
        recs = body.split(RSEP)
        res[int(parts[k])] = (recs[0].split(SEP), [r.split(SEP) for r in recs[1:]])
    return res, ended


def parse_stderr(text, script):
    """[(line, message lines)] of the errors psql reported."""
    errs = []
    pat = re.compile(r'^psql:%s:(\d+): (.*)$' % re.escape(script))
    cur = None
    for line in text.split('\n'):
        m = pat.match(line)
        if m:
            msg = m.group(2)
            if re.match(r'(NOTICE|WARNING|INFO|DEBUG|LOG):', msg):
                cur = None
                continue
            cur = (int(m.group(1)), [msg])
            errs.append(cur)
        elif cur is not None and line.strip():
            if re.match(r'^(NOTICE|WARNING|INFO):', line):
                cur = None
                continue
            cur[1].append(line)
    return errs


def run_page(path, blocks, args):
    runnable = [b for b in blocks if b.lang == 'sql']
    for b in runnable:
        bad = [a for a in b.attrs if a not in RUN_ATTRS]
        if bad:
            b.problems.append('unknown fence attribute %s (```sql runs, ```sql scratch runs and rolls back, '
                              '```sql-signature and ```text are not run)' % ' '.join(bad))
        b.statements = split_statements(b)
        for st in b.statements:
            if not st.meta:
                st.expect = parse_expectation(st.comment)
    script, linemap = page_script(path, runnable)
    with tempfile.NamedTemporaryFile('w', suffix='.sql', prefix='docs-', dir=args.tmp, delete=False) as f:
        f.write(script)
        sname = f.name
    env = dict(os.environ)
    env['PGOPTIONS'] = (env.get('PGOPTIONS', '') + ' -c client_min_messages=warning').strip()
    p = subprocess.run([args.psql, '-X', '-d', args.db, '-f', sname], capture_output=True, text=True,
                       cwd=args.root, env=env, timeout=args.timeout)
    results, ended = parse_stdout(p.stdout)
    for line, msg in parse_stderr(p.stderr, sname):
        st = linemap.get(line)
        if st is None:
            # a line of the harness itself
            runnable[0].failures.append('psql: %s' % ' / '.join(msg)) if runnable else None
            continue
        st.block.failures.append('line %d: %s' % (st.last, '\n      '.join(msg[:6])))
    if not ended:
        (runnable[-1] if runnable else Block(path, 0, '', [], [])).failures.append(
            'psql stopped before the end of the page (exit %d): %s' % (p.returncode, p.stderr.strip()[-300:]))
    nchecks = 0
    for b in runnable:
        for st in b.statements:
            if st.expect is None:
                continue
            nchecks += 1
            if any(f.startswith('line %d:' % st.last) for f in b.failures):
                continue
            msg = check(st.expect, results.get(st.id))
            if msg:
                b.failures.append('line %d: %s' % (st.last, msg))
    if args.keep:
        print('# script of %s: %s' % (path, sname))
    else:
        os.unlink(sname)
    return runnable, nchecks


def selftest(args):
    """Every block of the self-test page passes or fails as its first line says."""
    path = 'extension/tests/docs/selftest.md'
    with open(os.path.join(args.root, path), encoding='utf-8') as f:
        blocks = blocks_of(path, f.read())
    runnable, _ = run_page(path, blocks, args)
    bad = []
    for b in runnable:
        m = re.match(r'\s*-- selftest: (ok|fail (.*))$', b.lines[0] if b.lines else '')
        if not m:
            bad.append('%s: no "-- selftest:" line' % b.where)
            continue
        msgs = b.problems + b.failures
        if m.group(1) == 'ok':
            if msgs:
                bad.append('%s: should pass, fails: %s' % (b.where, ' / '.join(msgs)))
        elif not any(m.group(2) in x for x in msgs):
            bad.append('%s: should fail with "%s", %s' % (
                b.where, m.group(2), 'fails: ' + ' / '.join(msgs) if msgs else 'passes'))
    for x in bad:
        print('    ' + x)
    print('%s - docs harness self-test: %d blocks, %d behave as annotated'
          % ('not ok' if bad else 'ok', len(runnable), len(runnable) - len(bad)))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--db', required=True)
    ap.add_argument('--psql', default='psql')
    ap.add_argument('--root', default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument('--tmp', default=None)
    ap.add_argument('--timeout', type=int, default=600)
    ap.add_argument('--keep', action='store_true', help='keep the generated psql scripts')
    ap.add_argument('--verbose', '-v', action='store_true')
    ap.add_argument('--selftest', action='store_true',
                    help='run extension/tests/docs/selftest.md: every block must pass or fail as it says')
    ap.add_argument('files', nargs='*')
    args = ap.parse_args()
    root = args.root
    if args.tmp is None:
        args.tmp = os.path.join(root, '.tmp')
    os.makedirs(args.tmp, exist_ok=True)
    if args.selftest:
        return selftest(args)
    files = args.files or (['README.md'] + sorted(
        os.path.join('docs', f) for f in os.listdir(os.path.join(root, 'docs')) if f.endswith('.md')))
    passed = failed = nstmt = nchk = 0
    for path in files:
        with open(os.path.join(root, path), encoding='utf-8') as f:
            blocks = blocks_of(path, f.read())
        if not any(b.lang == 'sql' for b in blocks):
            continue
        runnable, nc = run_page(path, blocks, args)
        nchk += nc
        pp = pf = 0
        for b in runnable:
            nstmt += sum(1 for s in b.statements if not s.meta)
            if b.problems or b.failures:
                pf += 1
                print('not ok - %s (```sql%s block)' % (b.where, ' ' + ' '.join(b.attrs) if b.attrs else ''))
                for msg in b.problems + b.failures:
                    print('    ' + msg)
            else:
                pp += 1
                if args.verbose:
                    print('ok - %s' % b.where)
        print('# %s: %d blocks, %d passed, %d failed, %d values checked' % (path, len(runnable), pp, pf, nc))
        passed += pp
        failed += pf
    print('docs: %d passed, %d failed (%d statements, %d values checked)' % (passed, failed, nstmt, nchk))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
