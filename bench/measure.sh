# shellcheck shell=bash
# How the bench scripts measure one run of a command, and summarise runs (sourced, not run).
#
#   run_once CMD...   one run, stdout to $run_out, stderr to $work/err; sets R_WALL, R_CPU
#                     (seconds: wall, and user+sys of the command and its children), R_KB (peak
#                     RSS, KB) and R_SRV (CPU seconds of $server_pid during the run, or empty)
#   medians FILE      the median of each column of FILE (whitespace-separated numbers, one
#                     run a line; a column whose first value is "-" stays "-")
#   busy              the load average and CPU pressure, for the figures' context
#   now_us            the wall clock in microseconds, into $now
#
# Client CPU and RSS come from /usr/bin/time when it works (unless BENCH_NO_GNU_TIME is set),
# else from bash's `times` with the peak RSS sampled from /proc every 20 ms ($measured_by says
# which). The caller sets $work (a scratch directory) before calling run_once.

have_time=
if [ -z "${BENCH_NO_GNU_TIME:-}" ] && [ -x /usr/bin/time ] && /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null; then
    have_time=1
fi
# shellcheck disable=SC2034  # for the caller's header
if [ -n "$have_time" ]; then
    measured_by=/usr/bin/time
else
    measured_by="bash times + /proc VmHWM (20 ms samples)"
fi
clk_tck=$(getconf CLK_TCK 2>/dev/null || echo 100)
server_pid=${server_pid:-}

# Wall clock in microseconds into $now: bash 5's $EPOCHREALTIME (no process), else date(1).
now_us() {
    if [ -n "${EPOCHREALTIME:-}" ]; then
        now=${EPOCHREALTIME//[!0-9]/}
    else
        now=$(($(date +%s%N) / 1000))
    fi
}

# The server's user+sys CPU in clock ticks into $ticks (empty when unknown).
server_ticks() {
    ticks=
    [ -n "$server_pid" ] || return 0
    local line f
    { IFS= read -r line < "/proc/$server_pid/stat"; } 2>/dev/null || return 0
    read -ra f <<< "${line##*) }"
    ticks=$((f[11] + f[12]))
}

# "XmY.YYYs" (bash's times) in seconds.
tsecs() { local m=${1%%m*} s=${1#*m}; awk -v m="$m" -v s="${s%s}" 'BEGIN { printf "%.3f", m * 60 + s }'; }

# Without /usr/bin/time: CPU from bash's `times` in a subshell (children's user+sys, before and
# after), peak RSS from VmHWM in /proc, sampled every 20 ms until the process is a zombie.
run_proc() {
    (
        exec 3<> <(:) # something to wait on with read -t, without a sleep process
        times > "$work/times0"
        "$@" > "$run_out" 2> "$work/err" &
        pid=$!
        peak=0
        while :; do
            state='' hwm=''
            # (a read can fail while the process execs: then just try again)
            { while read -r k v _; do
                case $k in State:) state=$v ;; VmHWM:) hwm=$v ;; esac
            done < "/proc/$pid/status"; } 2>/dev/null || true
            if [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ]; then peak=$hwm; fi
            if [ "$state" = Z ] || ! kill -0 "$pid" 2>/dev/null; then break; fi
            read -r -t 0.02 -u 3 _ || true
        done
        rc=0
        wait "$pid" || rc=$?
        times > "$work/times1"
        echo "$peak" > "$work/peak"
        exit "$rc"
    )
}

run_once() {
    local t0 s0 u s kb
    server_ticks; s0=$ticks
    now_us; t0=$now
    if [ -n "$have_time" ]; then
        /usr/bin/time -f '%U %S %M' -o "$work/time" "$@" > "$run_out" 2> "$work/err" || return 1
        now_us
        read -r u s kb < <(tail -n 1 "$work/time")
        R_CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }')
    else
        run_proc "$@" || return 1
        now_us
        local c0 c1
        c0=$(tail -n 1 "$work/times0"); c1=$(tail -n 1 "$work/times1")
        # shellcheck disable=SC2086  # "user sys" pairs
        R_CPU=$(awk -v a="$(tsecs ${c1% *})" -v b="$(tsecs ${c1#* })" -v c="$(tsecs ${c0% *})" \
            -v d="$(tsecs ${c0#* })" 'BEGIN { printf "%.3f", a + b - c - d }')
        kb=$(cat "$work/peak")
    fi
    R_WALL=$(awk -v n="$((now - t0))" 'BEGIN { printf "%.3f", n / 1e6 }')
    R_KB=$kb
    server_ticks
    R_SRV=
    if [ -n "$s0" ] && [ -n "$ticks" ]; then
        R_SRV=$(awk -v t="$((ticks - s0))" -v h="$clk_tck" 'BEGIN { printf "%.2f", t / h }')
    fi
}

medians() {
    awk '
        { for (j = 1; j <= NF; j++) v[j, NR] = $j; if (NF > cols) cols = NF }
        END {
            for (j = 1; j <= cols; j++) {
                n = 0; for (r = 1; r <= NR; r++) a[++n] = v[j, r]
                for (x = 1; x <= n; x++) for (y = x + 1; y <= n; y++) if (a[y] + 0 < a[x] + 0) { t = a[x]; a[x] = a[y]; a[y] = t }
                m = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
                if (v[j, 1] == "-") m = "-"
                printf "%s%s", (j > 1 ? " " : ""), m
            }
            printf "\n"
        }' "$1"
}

# How busy the machine is: load average, and (Linux PSI) the share of the last 60 s in which
# some runnable task waited for a CPU. Other work on the machine skews every figure.
busy() {
    local p=
    if [ -r /proc/pressure/cpu ]; then p=$(sed -n 's/^some .*avg60=\([0-9.]*\).*/\1/p' /proc/pressure/cpu); fi
    echo "load average $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')${p:+, CPU pressure $p% (avg60)}"
}
