#!/usr/bin/python3
"""The docs' links and names point at something that exists.

Checked in README.md and docs/*.md, outside code blocks:
  - every relative link ](path) and ](path#anchor) reaches a file of the
    repository, and a heading of that page (GitHub's anchors: the heading in
    lower case, punctuation dropped but '-' and '_', spaces as '-', a repeated
    heading suffixed -1, -2 ...; or an explicit <a id="...">);
  - every schema-qualified name smartregion.X, in code blocks too, is an
    object of the install scripts (function, aggregate, type, table, view,
    sequence, domain), a setting the library defines, or one of the
    extension's files (smartregion.so, smartregion.control).
Prints one line per fault and exits 1 when there is any."""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
PAGES = ['README.md'] + sorted(glob.glob('docs/*.md'))


def slug(title):
    t = re.sub(r'`|\*\*|\[|\]\([^)]*\)', '', title.strip()).lower()
    t = re.sub(r'[^\w\- ]', '', t)
    return t.replace(' ', '-')


_anchors = {}


def anchors(path):
    if path not in _anchors:
        seen, out, code = {}, set(), False
        with open(path, encoding='utf-8') as f:
            for line in f:
                if line.startswith('```'):
                    code = not code
                if code:
                    continue
                m = re.match(r'^#{1,6}\s+(.*?)\s*#*\s*$', line)
                if m:
                    s = slug(m.group(1))
                    n = seen.get(s, 0)
                    seen[s] = n + 1
                    out.add(s if n == 0 else '%s-%d' % (s, n))
                out.update(re.findall(r'<a (?:name|id)="([^"]+)"', line))
        _anchors[path] = out
    return _anchors[path]


# Names the docs give on purpose though the extension has no such object.
NOT_OBJECTS = {
    'geometry',     # docs/security.md: the hostile domain sql/security.sql creates
}


def known_names():
    names = {'so', 'control'} | NOT_OBJECTS
    for p in glob.glob('extension/sql/install/*.sql'):
        with open(p, encoding='utf-8') as f:
            text = f.read()
        names.update(m.lower() for m in re.findall(
            r'(?:FUNCTION|AGGREGATE|PROCEDURE|TYPE|TABLE|VIEW|SEQUENCE|DOMAIN)'
            r'(?:\s+IF\s+NOT\s+EXISTS)?\s+@extschema@\.([A-Za-z_0-9]+)', text, re.I))
    for p in glob.glob('extension/pg/*.c'):
        with open(p, encoding='utf-8') as f:
            names.update(re.findall(r'"smartregion\.([a-z_0-9]+)"', f.read()))
    return names


def main():
    names = known_names()
    faults = []
    for page in PAGES:
        code = False
        with open(page, encoding='utf-8') as f:
            lines = f.readlines()
        for i, line in enumerate(lines, 1):
            if line.startswith('```'):
                code = not code
                continue
            for n in re.findall(r'(?<![\w.])smartregion\.([a-z_][a-z_0-9]*)', line):
                if n not in names:
                    faults.append('%s:%d: smartregion.%s is no object, setting or file of the '
                                  'extension' % (page, i, n))
            if code:
                continue
            for link in re.findall(r'\]\(([^)\s]+)(?:\s+"[^"]*")?\)', line):
                if re.match(r'[a-z][a-z0-9+.-]*:', link):
                    continue        # http:, https:, mailto:
                path, _, frag = link.partition('#')
                target = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
                if not os.path.exists(target):
                    faults.append('%s:%d: link to %s: no such file' % (page, i, link))
                elif frag and target.endswith('.md') and frag not in anchors(target):
                    faults.append('%s:%d: link to %s: no such heading in %s' % (page, i, link, target))
    for fault in faults:
        print('  ' + fault)
    return 1 if faults else 0


if __name__ == '__main__':
    sys.exit(main())
