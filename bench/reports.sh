#!/bin/sh
# reports.sh BUILD_DIR - the reports' figures of `make bench` (BENCHMARKS.md,
# "Reports"): Markdown rows on stdout, messages on stderr.
#
#   1. caseload as PDF over the replica of bench/run.sh (RCMS_BENCH_CASES,
#      default 1,000,000 cases, in BUILD_DIR/data/cases-N; made by run.sh's
#      first step, reused here as it is: RCMS_BENCH_REPLICA names another);
#   2. deadlines as PDF, and as text for reference, over a replica of about
#      10,000 open cases: bench/gen --cases 26000 --moved 1000 --open-days 90
#      (every case takes its steps, all opened in the clock's last 90 days,
#      so that most are still waiting for a reply or a transfer), in
#      BUILD_DIR/data/deadlines-N, reused like run.sh's (same gen, count
#      and seed); about a minute to make;
# each run as a whole process (exec, the module, both passes of the PDF,
# writing the file), as supervisor; hyperfine (1 warm-up, RCMS_BENCH_
# REPORT_RUNS runs, default 5) or a shell loop; the median; peak memory is
# the largest max RSS of /usr/bin/time -v over 3 more runs.
#
# Environment: RCMS_BENCH_CASES, RCMS_BENCH_SEED, RCMS_BENCH_REPLICA,
# RCMS_BENCH_DEADLINE_CASES (default 26000), RCMS_BENCH_REPORT_RUNS.
set -eu

B=${1:?usage: bench/reports.sh BUILD_DIR}
B=$(cd "$B" && pwd)
N=${RCMS_BENCH_CASES:-1000000}
SEED=${RCMS_BENCH_SEED:-1}
RUNS=${RCMS_BENCH_REPORT_RUNS:-5}
DN=${RCMS_BENCH_DEADLINE_CASES:-26000}
GEN=$B/bench/gen
RCMS=$B/bin/rcms
DATA=$B/data
BIG=${RCMS_BENCH_REPLICA:-$DATA/cases-$N}
DL=$DATA/deadlines-$DN
OUT=$B/bench-reports
PASSWORD=bench-password-2026

say() { printf 'bench/reports: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ -x "$GEN" ] || die "$GEN is missing; run 'make bench'"
[ -x "$RCMS" ] || die "$RCMS is missing; run 'make bench'"
[ -f "$BIG/rcms.db" ] || die "no replica in $BIG: bench/run.sh makes it"
mkdir -p "$DATA" "$OUT"
chmod 700 "$DATA"
PWFILE=$DATA/password
[ -f "$PWFILE" ] || (umask 077 && printf '%s\n' "$PASSWORD" >"$PWFILE")

# ---- the deadlines replica ----------------------------------------------------

stamp="cases=$DN seed=$SEED moved=1000 open-days=90 gen=$(sha256sum "$GEN" | cut -c1-64)"
if [ -f "$DL/stamp" ] && [ "$(cat "$DL/stamp")" = "$stamp" ] &&
	[ -f "$DL/rcms.db" ]; then
	say "reusing the deadlines replica in $DL"
else
	rm -rf "$DL" "$DL.tmp"
	mkdir -p "$DL.tmp"
	chmod 700 "$DL.tmp"
	say "generating $DN cases into $DL (about a minute)"
	"$GEN" --db "$DL.tmp/rcms.db" --data "$DL.tmp" --cases "$DN" \
		--seed "$SEED" --moved 1000 --open-days 90 \
		--password-file "$PWFILE" >"$DL.tmp/gen.txt" ||
		die "the generator failed"
	mv "$DL.tmp" "$DL"
	printf '%s\n' "$stamp" >"$DL/stamp"
fi

unset RCMS_USER RCMS_PASSWORD_FILE 2>/dev/null || true
for h in "$BIG" "$DL"; do
	RCMS_HOME=$h RCMS_PASSWORD_FILE=$PWFILE "$RCMS" login supervisor \
		>/dev/null || die "rcms login in $h failed"
done

# ---- measuring ------------------------------------------------------------------

# measure NAME HOME ARGS...: "median_ms max_rss_kib cases pages" of
# rcms report ARGS -o $OUT/NAME.out, with RCMS_HOME=HOME
measure() {
	_n=$1
	_h=$2
	shift 2
	_o=$OUT/$_n.out
	_cmd="$RCMS report $* -o $_o"
	# one run for what it printed ("FILE: P pages, N cases")
	RCMS_HOME=$_h $_cmd >"$OUT/$_n.msg" 2>&1 || die "rcms report $* failed"
	_cases=$(sed -n 's/.* \([0-9][0-9]*\) cases\{0,1\}$/\1/p' "$OUT/$_n.msg")
	_pages=$(sed -n 's/.*: \([0-9][0-9]*\) pages\{0,1\},.*/\1/p' "$OUT/$_n.msg")
	: >"$OUT/$_n.times"
	if command -v hyperfine >/dev/null 2>&1; then
		RCMS_HOME=$_h hyperfine -N --warmup 1 --runs "$RUNS" \
			--style none --export-json "$OUT/$_n.json" "$_cmd" >&2
		awk '/"times"/ { f = 1; next } f && /\]/ { f = 0 }
		     f { gsub(/[ ,]/, ""); if ($0 != "") print $0 * 1000 }' \
			"$OUT/$_n.json" >"$OUT/$_n.times"
	else
		_i=0
		while [ "$_i" -lt "$RUNS" ]; do
			_t0=$(date +%s%N)
			RCMS_HOME=$_h $_cmd 2>/dev/null
			_t1=$(date +%s%N)
			echo "$(((_t1 - _t0) / 1000))" |
				awk '{ print $1 / 1000 }' >>"$OUT/$_n.times"
			_i=$((_i + 1))
		done
	fi
	# (no ?: in awk: mawk reads it differently)
	_med=$(sort -n "$OUT/$_n.times" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "0"; exit }
		if (NR % 2 == 1) m = v[(NR + 1) / 2]
		else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.0f\n", m }')
	_rss=0
	for _i in 1 2 3; do
		RCMS_HOME=$_h /usr/bin/time -v -o "$OUT/$_n.time" $_cmd \
			>/dev/null 2>&1 || die "rcms report $* failed"
		_r=$(awk -F': ' '/Maximum resident/ { print $2 }' \
			"$OUT/$_n.time")
		[ "$_r" -gt "$_rss" ] && _rss=$_r
	done
	echo "$_med $_rss ${_cases:-?} ${_pages:-0}"
}

commify() {
	printf '%s' "$1" | awk '{ n = $1; s = ""; i = int(n)
		while (i >= 1000) { s = sprintf(",%03d", i % 1000) s
			i = int(i / 1000) }
		printf "%d%s", i, s }'
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
secs() { awk -v m="$1" 'BEGIN { printf "%.2f s", m / 1000 }'; }

say "caseload, PDF, over $BIG"
set -- $(measure caseload-pdf "$BIG" caseload --format pdf)
cl_ms=$1 cl_rss=$2 cl_cases=$3 cl_pages=$4
say "deadlines, PDF, over $DL"
set -- $(measure deadlines-pdf "$DL" deadlines --format pdf)
dl_ms=$1 dl_rss=$2 dl_cases=$3 dl_pages=$4
say "deadlines, text"
set -- $(measure deadlines-txt "$DL" deadlines --format text)
dt_ms=$1 dt_rss=$2 dt_cases=$3

tool=hyperfine
command -v hyperfine >/dev/null 2>&1 || tool="shell loop"
echo "| reports: caseload PDF over $(commify "$cl_cases") cases ($cl_pages pages), median of $RUNS ($tool) | ≤ 2 s | $(secs "$cl_ms") |"
echo "| reports: caseload PDF, peak memory (max RSS) | — | $(mib "$cl_rss") |"
echo "| reports: deadlines PDF over $(commify "$dl_cases") open cases ($dl_pages pages), median of $RUNS | ≤ 1 s | $(secs "$dl_ms") |"
echo "| reports: deadlines PDF, peak memory (max RSS) | — | $(mib "$dl_rss") |"
echo "| reports: deadlines as text (80 columns), the same $(commify "$dt_cases") cases, median of $RUNS | — | $(secs "$dt_ms") |"
echo "| reports: deadlines as text, peak memory (max RSS) | — | $(mib "$dt_rss") |"
