# The backend's CPU time, for the bench scripts that measure a statement by it rather than
# by the wall clock (the machine is shared: a wall clock measures the load).  Sourced, not
# run (scripts/bench.sh runs bench/*.sh only).  The server must run on this machine: its
# backend's /proc is read.
#
# In nanoseconds on a CPU (/proc/<pid>/schedstat's first field: every thread of the
# backend), read by the shell that psql's \! starts, so any role can be measured.  A script
# writes the psql lines into the session's input:
#   $(bench_cpu_setup FILE)   once: the backend's pid and the file the marks go to
#   $(bench_cpu_mark [LABEL]) a line "LABEL NS" appended to FILE: the CPU spent so far
#   bench_cpu_ms FILE         then: the ms between FILE's first two marks
# e.g.
#   psql -X -q -d "$DB" <<SQL
#   $(bench_cpu_setup "$ns")
#   $(bench_cpu_mark)
#   SELECT ...;
#   $(bench_cpu_mark)
#   SQL
#   ms=$(bench_cpu_ms "$ns")

bench_cpu_setup() {  # file
    printf '%s\n' 'SELECT pg_backend_pid() AS bench_cpu_pid \gset' \
        '\setenv BENCH_CPU_PID :bench_cpu_pid' "\\setenv BENCH_CPU_FILE $1"
}

bench_cpu_mark() {  # [label]
    printf '\\! echo %s $(cut -d" " -f1 /proc/$BENCH_CPU_PID/schedstat) >> $BENCH_CPU_FILE\n' "${1:-mark}"
}

bench_cpu_ms() {  # file
    awk 'NR == 1 { a = $2 } NR == 2 { printf "%.1f", ($2 - a) / 1e6 }' "$1"
}

# The same from SQL, for a superuser's session (pg_read_file): a query giving the ms of CPU
# this backend has spent so far, utime + stime of /proc/self/stat (fields 14 and 15, counted
# after the command name, which may hold spaces), in clock ticks
bench_cpu_sql="SELECT (f[12]::bigint + f[13]::bigint) * 1000 / $(getconf CLK_TCK) FROM string_to_array((regexp_match(pg_read_file('/proc/self/stat'), '^.*\\) (.*)\$'))[1], ' ') f"
