#!/usr/bin/env python3
"""The error messages of the extension against PostgreSQL's message style and docs/errors.md.

Reads the sources, not a server: the glue's ereport calls (extension/pg/*.c), the core's
sr_error/sr_error_detail/sr_error_hint (extension/core/*.c, whose messages the glue raises as
they are) and the RAISE statements of the install fragments (extension/sql/install/*.sql).
Checks, for every message written as a literal:
  - a primary message starts in lower case (but for a proper noun of PROPER), has no final
    period, is one line, and says none of "unable", "illegal", "unknown" (PostgreSQL's style
    guide, doc/src/sgml/sources.sgml; PostgreSQL itself says "unrecognized" or "invalid");
  - a detail or hint is a sentence: it ends with a period;
  - an ereport(ERROR) names its SQLSTATE (errcode), a RAISE EXCEPTION too (ERRCODE; bare RAISE,
    which re-raises, aside): without one, PL/pgSQL raises P0001 and ereport XX000;
  - every SQLSTATE so named is listed in docs/errors.md or the pages it links (errors-*.md,
    governance.md's table of errors).
Prints "not ok" lines and exits 1 on a fault.  (elog(ERROR) is for cannot-happen cases: which
ones can happen is for review and tests, not for this script.)
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)

# proper nouns and acronyms a primary message may start with
PROPER = {"PostGIS", "CityJSON", "CityGML", "CityJSONSeq", "Student", "PROJ", "GEOS", "NAF", "CNIG",
          "SIRET", "SIREN", "INSEE", "ARCEP", "EPW", "DCAT", "JSON", "SQL", "glTF"}
BANNED = re.compile(r"\b(unable|illegal|unknown)\b", re.I)


def calls(src, name):
    """(offset, text between the parentheses) of every call of name(...) in C source."""
    for m in re.finditer(r"\b" + name + r"\s*\(", src):
        i = j = m.end()
        depth, instr = 1, False
        while j < len(src) and depth:
            c = src[j]
            if instr:
                if c == "\\":
                    j += 1
                elif c == '"':
                    instr = False
            elif c == '"':
                instr = True
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            j += 1
        yield m.start(), src[i:j - 1]


def c_args(text):
    """the top-level arguments of a C call, as source text"""
    out, cur, depth, instr, k = [], "", 0, False, 0
    while k < len(text):
        c = text[k]
        if instr:
            cur += c
            if c == "\\":
                cur += text[k + 1]
                k += 2
                continue
            if c == '"':
                instr = False
        elif c == '"':
            instr = True
            cur += c
        elif c in "([{":
            depth += 1
            cur += c
        elif c in ")]}":
            depth -= 1
            cur += c
        elif c == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
        k += 1
    out.append(cur)
    return out


def literal(arg):
    """the concatenated string literals of a C argument, or None when it holds none"""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', arg)
    if not parts:
        return None
    return "".join(parts).replace('\\"', '"')


faults = []


def fault(where, what, msg):
    faults.append(f"{where}: {what}: {msg!r}")


def check_primary(where, msg):
    if msg is None or msg.strip() in ("", "%s"):
        return
    first = re.match(r"[A-Za-z][A-Za-z0-9_]*", msg)
    if first and first.group(0)[0].isupper() and first.group(0) not in PROPER \
            and not first.group(0).isupper():
        fault(where, "primary message starts in upper case", msg)
    if msg.rstrip().endswith(".") and not msg.rstrip().endswith("..."):
        fault(where, "primary message ends with a period", msg)
    if "\\n" in msg or "\n" in msg:
        fault(where, "primary message of more than one line", msg)
    if BANNED.search(msg):
        fault(where, "primary message says " + BANNED.search(msg).group(0) + " (say unrecognized, invalid, cannot)", msg)


def check_sentence(where, kind, msg):
    if msg is None or msg.strip() in ("", "%s"):
        return
    if not re.search(r"[.?!]\)?$", msg.rstrip()) and not msg.rstrip().endswith("%s"):
        fault(where, kind + " is not a sentence ending with a period", msg)


# SQLSTATEs of PostgreSQL's ERRCODE_ names, from its errcodes.h
pg_config = os.environ.get("PG_CONFIG", "pg_config")
try:
    inc = subprocess.run([pg_config, "--includedir-server"], capture_output=True, text=True,
                         check=True).stdout.strip()
except (OSError, subprocess.CalledProcessError):
    inc = "/usr/include/postgresql/15/server"
errcodes = {}
with open(os.path.join(inc, "utils", "errcodes.h")) as f:
    for m in re.finditer(r"#define (ERRCODE_\w+) MAKE_SQLSTATE\(((?:'.',){4}'.')\)", f.read()):
        errcodes[m.group(1)] = "".join(re.findall(r"'(.)'", m.group(2)))

used = {}  # SQLSTATE -> first place raising it

# the glue
for path in sorted(glob.glob("extension/pg/*.c")):
    src = open(path).read()
    for pos, text in calls(src, "ereport"):
        where = f"{path}:{src.count(chr(10), 0, pos) + 1}"
        level = c_args(text)[0].strip()
        codes = re.findall(r"errcode\s*\(\s*(ERRCODE_\w+)", text)
        if level == "ERROR" and not re.search(r"errcode\s*\(", text):
            fault(where, "ereport(ERROR) without errcode (XX000)", text[:80])
        if level == "ERROR":
            for c in codes:
                used.setdefault(errcodes.get(c, c), where)
        for kind, check in (("errmsg", None), ("errmsg_plural", None), ("errdetail", "detail"),
                            ("errdetail_plural", "detail"), ("errhint", "hint")):
            for p2, t2 in calls(text, kind):
                msg = literal(c_args(t2)[0])
                if check is None:
                    check_primary(where, msg)
                else:
                    check_sentence(where, check, msg)

# the core: sr_error(err, status, fmt, ...), sr_error_detail(err, fmt, ...), sr_error_hint
for path in sorted(glob.glob("extension/core/*.c")):
    src = open(path).read()
    for name, idx, check in (("sr_error", 2, None), ("sr_error_detail", 1, "detail"),
                             ("sr_error_hint", 1, "hint")):
        for pos, text in calls(src, name):
            where = f"{path}:{src.count(chr(10), 0, pos) + 1}"
            args = c_args(text)
            if len(args) <= idx:
                continue
            msg = literal(args[idx])
            if check is None:
                check_primary(where, msg)
            else:
                check_sentence(where, check, msg)

# the install fragments: RAISE [level] 'format', ... USING ERRCODE = '...', DETAIL = '...', HINT = '...'
for path in sorted(glob.glob("extension/sql/install/*.sql")):
    src = open(path).read()
    for m in re.finditer(r"\bRAISE\b", src):
        if "--" in src[src.rfind("\n", 0, m.start()) + 1:m.start()]:
            continue  # in a comment
        j, quoted = m.end(), False
        while j < len(src):
            if src[j] == "'":
                quoted = not quoted
            elif src[j] == ";" and not quoted:
                break
            j += 1
        stmt = src[m.start():j]
        where = f"{path}:{src.count(chr(10), 0, m.start()) + 1}"
        lm = re.match(r"RAISE\s*(EXCEPTION|WARNING|NOTICE|INFO|LOG|DEBUG)?\s*('(?:[^']|'')*')?", stmt)
        level = lm.group(1) or ("EXCEPTION" if lm.group(2) else None)
        msg = lm.group(2)[1:-1].replace("''", "'") if lm.group(2) else None
        if level is None:
            continue  # a bare RAISE re-raises the error being handled
        if level in ("EXCEPTION", "WARNING"):
            check_primary(where, msg)
        code = re.search(r"ERRCODE\s*=\s*'(\w{5})'", stmt)
        if level == "EXCEPTION":
            if code:
                used.setdefault(code.group(1), where)
            elif not re.search(r"ERRCODE\s*=", stmt):
                fault(where, "RAISE EXCEPTION without ERRCODE (P0001)", " ".join(stmt.split())[:80])
        for km in re.finditer(r"\b(DETAIL|HINT)\s*=\s*'((?:[^']|'')*)'(\s*\|\|)?", stmt):
            if not km.group(3):
                check_sentence(where, km.group(1).lower(), km.group(2).replace("''", "'"))

# every SQLSTATE raised is listed in the tables of errors
docs = "".join(open(p).read() for p in sorted(glob.glob("docs/errors*.md")))
gov = open("docs/governance.md").read()
docs += gov[gov.find("## Errors"):] if "## Errors" in gov else ""
for state, where in sorted(used.items()):
    if not re.search(r"\|\s*(?:[0-9A-Z]{5},\s*)*" + state + r"\b", docs):
        fault(where, "SQLSTATE " + state + " is in no table of docs/errors.md and its pages", state)

for f in faults:
    print("not ok - " + f)
if faults:
    print(f"messages: {len(faults)} faults")
    sys.exit(1)
print(f"ok - error messages in PostgreSQL's style, each SQLSTATE raised ({len(used)}) listed in docs/errors.md and its pages")
