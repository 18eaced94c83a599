#!/bin/sh
# ui.sh BUILD_DIR - the workstation's figures of `make bench` (BENCHMARKS.md,
# "Workstation"): Markdown rows on stdout, messages on stderr.
#
# Called by bench/run.sh after the replica exists (RCMS_BENCH_REPLICA, an
# RCMS_HOME with rcms.db: run.sh's 1,000,000 cases).  bench/ui-pty.py runs
# `rcms ui` on a pseudo-terminal of 80x24 with TERM, LANG, TZ, HOME and
# RCMS_HOME pinned and reads what it writes (keys as terminfo's xterm
# sends them in keypad mode); an update ends with its last byte before
# 40 ms of quiet:
#   1. start to the first full screen (the login screen), RCMS_BENCH_UI_RUNS
#      processes (default 10), median; then the password's Enter to the
#      case list drawn (argon2id at the replica's cost, 1 MiB);
#   2. the same with RCMS_USER and RCMS_PASSWORD_FILE (the demo's way in):
#      start to the case list;
#   3. RCMS_BENCH_UI_PRESSES keys in the case list (default 300: Down, Up,
#      PageDown, PageUp, End, Home), each from its write to the end of the
#      update it causes, median and p95;
#   4. search as you type: '/', then three surname prefixes letter by
#      letter, each letter to the list's update (one letter alone does not
#      search; then the newest matches); after the last letter, the hits
#      ranked once typing pauses (300 ms), the pause included;
#   5. VmHWM of the process (/proc/PID/status) at the end.
# A replica at an older schema is migrated first by `rcms login` (once).
#
# Environment: RCMS_BENCH_REPLICA (default BUILD_DIR/data/cases-1000000),
# RCMS_BENCH_UI_RUNS, RCMS_BENCH_UI_PRESSES, RCMS_BENCH_UI_SEARCH (comma-
# separated prefixes, default petrov,jovanov,nikolic).
set -eu

B=${1:?usage: bench/ui.sh BUILD_DIR}
B=$(cd "$B" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
RCMS=$B/bin/rcms
REPLICA=${RCMS_BENCH_REPLICA:-$B/data/cases-${RCMS_BENCH_CASES:-1000000}}
RUNS=${RCMS_BENCH_UI_RUNS:-10}
PRESSES=${RCMS_BENCH_UI_PRESSES:-300}
SEARCH=${RCMS_BENCH_UI_SEARCH:-petrov,jovanov,nikolic}
PWFILE=$B/data/password
OUT=$B/bench-ui

say() { printf 'bench/ui: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ -x "$RCMS" ] || die "$RCMS is missing; run 'make bench'"
[ -f "$REPLICA/rcms.db" ] || die "no replica in $REPLICA: bench/run.sh makes it"
[ -f "$PWFILE" ] || die "no $PWFILE: bench/run.sh writes it"
command -v python3 >/dev/null 2>&1 || die "python3 is needed"
mkdir -p "$OUT"

unset RCMS_USER RCMS_PASSWORD_FILE 2>/dev/null || true
t0=$(date +%s%N)
RCMS_HOME=$REPLICA RCMS_PASSWORD_FILE=$PWFILE "$RCMS" login officer \
	>/dev/null || die "rcms login failed"
t1=$(date +%s%N)
say "rcms login (and any migration) took $(((t1 - t0) / 1000000)) ms"

say "login screen, login and keys: $RUNS starts, $PRESSES keys"
python3 "$HERE/ui-pty.py" --rcms "$RCMS" --home "$REPLICA" --user officer \
	--password-file "$PWFILE" --runs "$RUNS" --presses "$PRESSES" \
	--search "$SEARCH" --log "$OUT/screen.log" >"$OUT/pty.txt" ||
	die "bench/ui-pty.py failed"
say "start with RCMS_USER: $RUNS starts"
python3 "$HERE/ui-pty.py" --rcms "$RCMS" --home "$REPLICA" --user officer \
	--password-file "$PWFILE" --runs "$RUNS" --presses 0 --search "" \
	--auto-login >"$OUT/pty-auto.txt" || die "bench/ui-pty.py failed"

m() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
p=$OUT/pty.txt
q=$OUT/pty-auto.txt
echo "| workstation: start to the first full screen (login), median of $(m start_n "$p") | ≤ 150 ms | $(m start_median_ms "$p") ms (p95 $(m start_p95_ms "$p") ms) |"
echo "| workstation: start to the case list (RCMS_USER, password file), median of $(m start_n "$q") | ≤ 150 ms | $(m start_median_ms "$q") ms (p95 $(m start_p95_ms "$q") ms) |"
echo "| workstation: password's Enter to the case list (argon2id 1 MiB), median | — | $(m login_median_ms "$p") ms |"
echo "| workstation: a key in the case list to the updated screen, median of $(m key_n "$p") | ≤ 16 ms | $(m key_median_ms "$p") ms |"
echo "| workstation: a key in the case list, p95 / max | ≤ 16 ms | $(m key_p95_ms "$p") / $(m key_max_ms "$p") ms (Down $(m key_Down_median_ms "$p"), PageDown $(m key_PageDown_median_ms "$p"), End $(m key_End_median_ms "$p"), Home $(m key_Home_median_ms "$p") ms median; $(m key_missed "$p") keys drew nothing) |"
echo "| workstation: search as you type, a letter to the updated list, median / p95 of $(m search_n "$p") | ≤ 30 ms | $(m search_median_ms "$p") / $(m search_p95_ms "$p") ms (max $(m search_max_ms "$p") ms) |"
echo "| workstation: search, the last letter to the hits ranked best first once typing pauses (the 300 ms pause included), median of $(m ranked_n "$p") | — | $(m ranked_median_ms "$p") ms (max $(m ranked_max_ms "$p") ms) |"
echo "| workstation: resident memory (VmHWM) | ≤ 32 MB | $(awk -v k="$(m vmhwm_kb "$p")" 'BEGIN { printf "%.1f MB", k * 1024 / 1e6 }') |"
