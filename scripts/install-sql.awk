# Joins the install fragments (extension/sql/install/*.sql, in the order the Makefile gives
# them) into smartregion--VERSION.sql, as `cat` would, expanding one build-time marker
# (docs/development.md#build):
#
#   -- @require_schema_usage NAME
#
# written inside the body of the PL/pgSQL reader NAME, on a line of its own, becomes the
# check that the caller has USAGE on the extension's schema, indented as the marker:
# one clear 42501 naming NAME and the fix (docs/security.md).  The check cannot be a
# function: calling one by name is the schema lookup that fails.  Its message, detail and
# hint are read from extension/pg/sr_schema_usage.h (awk -v rule=FILE), the text the C
# readers raise too (sr_require_schema_usage): one text, two callers.
#
# A marker is a comment line whose text starts with @word; an unknown word, a missing name
# or a name other than the function the marker sits in (the fragment's last
# `CREATE [OR REPLACE] FUNCTION @extschema@.NAME(` above it) fails the build, naming the
# fragment and the line.  Portable awk (Debian's mawk, gawk, busybox): no gensub, no
# match() captures, no {n} intervals.

BEGIN {
    failed = 0
    if (rule == "") rule = "extension/pg/sr_schema_usage.h"
    while ((got = (getline line < rule)) > 0) {
        if (line !~ /^#define[ \t]+SR_NOUSAGE_(MESSAGE|DETAIL|HINT)[ \t]+"/) continue
        key = line; sub(/^#define[ \t]+SR_NOUSAGE_/, "", key); sub(/[ \t].*$/, "", key)
        text = line; sub(/^[^"]*"/, "", text); sub(/"[ \t]*$/, "", text)
        gsub(/\\"/, "\"", text)          # the C string's \" is a "
        gsub(/'/, "''", text)              # an SQL literal's quote doubled
        rules[key] = text
    }
    if (got < 0 || !("MESSAGE" in rules) || !("DETAIL" in rules) || !("HINT" in rules)) {
        print "install-sql.awk: " rule ": SR_NOUSAGE_MESSAGE, _DETAIL and _HINT not all found" | "cat 1>&2"
        close("cat 1>&2")
        failed = 1
        exit 1
    }
}

FNR == 1 { fn = "" }

function fail(msg) {
    print FILENAME ":" FNR ": " msg | "cat 1>&2"
    failed = 1
}

# the function whose body the following lines belong to
/^[ \t]*CREATE[ \t]+(OR[ \t]+REPLACE[ \t]+)?FUNCTION[ \t]+@extschema@\.[a-z_0-9]+\(/ {
    fn = $0
    sub(/^[ \t]*CREATE[ \t]+(OR[ \t]+REPLACE[ \t]+)?FUNCTION[ \t]+@extschema@\./, "", fn)
    sub(/\(.*/, "", fn)
}

# a marker (`-- @extschema@...` is not one: @word followed by a blank or the line's end)
/^[ \t]*--[ \t]*@[A-Za-z_]+([ \t]|$)/ {
    indent = $0; sub(/[^ \t].*$/, "", indent)
    text = $0; sub(/^[ \t]*--[ \t]*/, "", text)
    word = text; sub(/[ \t].*$/, "", word)
    name = substr(text, length(word) + 1); sub(/^[ \t]+/, "", name); sub(/[ \t]+$/, "", name)
    if (word != "@require_schema_usage") {
        fail("unknown build marker '" word "' (the one marker is: -- @require_schema_usage NAME)")
    } else if (name == "") {
        fail("-- @require_schema_usage without the reader's name (-- @require_schema_usage NAME)")
    } else if (name !~ /^[a-z_][a-z_0-9]*$/) {
        fail("-- @require_schema_usage '" name "': NAME must be one lower-case SQL identifier")
    } else if (fn == "") {
        fail("-- @require_schema_usage " name " is not inside a CREATE FUNCTION @extschema@." name " of this fragment")
    } else if (name != fn) {
        fail("-- @require_schema_usage " name " is inside function " fn ", not " name " (misspelt?)")
    } else {
        print indent "IF NOT pg_catalog.has_schema_privilege('@extschema@', 'USAGE') THEN"
        print indent "  RAISE EXCEPTION USING ERRCODE = '42501',"
        print indent "    MESSAGE = pg_catalog.format('" rules["MESSAGE"] "', '@extschema@'),"
        print indent "    DETAIL = pg_catalog.format('" rules["DETAIL"] "', CURRENT_USER, '@extschema@', '" name "'),"
        print indent "    HINT = pg_catalog.format('" rules["HINT"] "', '@extschema@');"
        print indent "END IF;"
    }
    next
}

{ print }

END {
    close("cat 1>&2")
    if (failed) exit 1
}
