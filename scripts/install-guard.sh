#!/usr/bin/env bash
# The CI run's hold on a PostgreSQL installation (PG_CONFIG's), and the guard of
# `make install` against it.  The accident it prevents: a `make install` without a private
# PG_CONFIG, from another work tree, replaced the build a running CI was testing.
#   scripts/install-guard.sh              run by `make install` before it writes anything:
#                                         refuses (exit 1, with the reason) while a CI run
#                                         holds the installation, unless the caller is that
#                                         run (SR_CI_PID, exported by .ci/run); a DESTDIR
#                                         install (packaging) writes elsewhere: not checked
#   scripts/install-guard.sh take PID     .ci/run at its start: records PID as the holder
#                                         (exit 1 when another live run holds it)
#   scripts/install-guard.sh release PID  .ci/run at its exit: removes the hold if PID's
# The hold is a file (scripts/install-lock.sh ci) with the run's PID and its start time
# (/proc/PID/stat): a hold whose process is gone, or whose PID now belongs to another
# process, is stale and ignored.
set -uo pipefail
cd "$(dirname "$0")/.."
lock=$(scripts/install-lock.sh ci)

# the start time of a live process, in clock ticks since boot (field 22 of its stat)
started() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }

# the PID of the live run holding the installation, or nothing
holder() {
    local pid start
    [[ -r $lock ]] && read -r pid start < "$lock" || return 0
    [[ $pid =~ ^[0-9]+$ && -n $start && $(started "$pid") == "$start" ]] && echo "$pid"
}

case ${1:-} in
take)
    h=$(holder)
    if [[ -n $h && $h != "$2" ]]; then
        echo "another CI run (PID $h) is testing this installation (its hold: $lock)" >&2; exit 1
    fi
    # (a stale hold of another user cannot be overwritten in /tmp: said, and the run goes on)
    { rm -f "$lock" && echo "$2 $(started "$2")" > "$lock"; } 2>/dev/null ||
        echo "warning: could not write $lock: make install is not guarded during this run" >&2
    exit 0 ;;
release)
    [[ $(holder) == "$2" ]] && rm -f "$lock"
    exit 0 ;;
esac

[[ -n ${DESTDIR:-} ]] && exit 0
h=$(holder)
[[ -z $h || ${SR_CI_PID:-} == "$h" ]] && exit 0
lib=$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --pkglibdir 2>/dev/null)
cat >&2 <<MSG
make install: refused: a CI run (.ci/run, PID $h, started $(ps -o lstart= -p "$h" 2>/dev/null | sed 's/^ *//'))
is testing the PostgreSQL installation of ${lib:-PG_CONFIG}: installing now would replace
the build it tests.  Install into a private copy instead:
    eval "\$(scripts/private-pg.sh /opt/pgpriv/<you>)"; export SR_PGPORT=<port>
or wait until the run ends (its hold: $lock).
MSG
exit 1
