#!/bin/sh
# run.sh BUILD_DIR - the figures of `make bench` (see BENCHMARKS.md).
#
# Builds nothing: `make bench` has built BUILD_DIR (bin/rcms, bench/gen,
# bench/bench_mrz when it exists).  Steps:
#   1. a replica of RCMS_BENCH_CASES cases (default 1,000,000) made by
#      bench/gen into BUILD_DIR/data/cases-N, laid out as an RCMS_HOME
#      (rcms.db, attachments beside it); reused when the one there was made
#      by the same gen binary with the same count and seed;
#   2. `rcms login`, then `rcms case list --limit 50` timed as a whole
#      process, 20 runs (hyperfine when installed, else a shell loop);
#   3. bench_mrz, when built;
#   4. the exchange against nginx, and its pushes (bench/exchange.sh, about
#      a minute and a half; RCMS_BENCH_EXCHANGE=0 leaves it out);
#   5. the workstation's sync with the exchange: pull, push, a 200 MB
#      upload against curl, a sync with nothing to do (bench/sync.sh,
#      about three and a half minutes; RCMS_BENCH_SYNC=0 leaves it out);
#   6. the reports: caseload as PDF over the replica of step 1, deadlines
#      over about 10,000 open cases (bench/reports.sh, a minute or two the
#      first time; RCMS_BENCH_REPORTS=0 leaves it out);
#   7. finding people: precision and recall of duplicate persons on the
#      labelled evaluation set, search and the duplicate check over the
#      replica of step 1, the index's size (bench/search.sh, a minute or
#      two; RCMS_BENCH_SEARCH=0 leaves it out);
#   8. the workstation over the replica of step 1 through a pseudo-
#      terminal: start, keys in the case list, search as you type, memory
#      (bench/ui.sh, about a minute; RCMS_BENCH_UI=0 leaves it out);
# then a Markdown table on stdout and in BUILD_DIR/bench-results.md.
#
# Environment: RCMS_BENCH_CASES (default 1000000), RCMS_BENCH_SEED
# (default 1), RCMS_BENCH_RUNS (default 20), RCMS_BENCH_EXCHANGE (default
# 1), RCMS_BENCH_SYNC (default 1), RCMS_BENCH_REPORTS (default 1),
# RCMS_BENCH_SEARCH (default 1), RCMS_BENCH_UI (default 1), and
# bench/exchange.sh's, bench/sync.sh's, bench/reports.sh's,
# bench/search.sh's and bench/ui.sh's own.
set -eu

B=${1:?usage: bench/run.sh BUILD_DIR}
B=$(cd "$B" && pwd)
N=${RCMS_BENCH_CASES:-1000000}
SEED=${RCMS_BENCH_SEED:-1}
RUNS=${RCMS_BENCH_RUNS:-20}
GEN=$B/bench/gen
RCMS=$B/bin/rcms
MRZ=$B/bench/bench_mrz
DATA=$B/data
HOME_DIR=$DATA/cases-$N
OUT=$B/bench-results.md
PASSWORD=bench-password-2026

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ -x "$GEN" ] || die "$GEN is missing; run 'make bench'"
[ -x "$RCMS" ] || die "$RCMS is missing; run 'make bench'"

mkdir -p "$DATA"
chmod 700 "$DATA"
PWFILE=$DATA/password
(umask 077 && printf '%s\n' "$PASSWORD" >"$PWFILE")

# ---- 1. the replica --------------------------------------------------------

stamp="cases=$N seed=$SEED gen=$(sha256sum "$GEN" | cut -c1-64)"
reused=no
if [ -f "$HOME_DIR/stamp" ] && [ "$(cat "$HOME_DIR/stamp")" = "$stamp" ] &&
	[ -f "$HOME_DIR/rcms.db" ] && [ -f "$HOME_DIR/gen.txt" ]; then
	reused=yes
	say "reusing the replica of $N cases in $HOME_DIR"
else
	rm -rf "$HOME_DIR" "$HOME_DIR.tmp"
	mkdir -p "$HOME_DIR.tmp"
	chmod 700 "$HOME_DIR.tmp"
	say "generating $N cases into $HOME_DIR (this takes a while)"
	"$GEN" --db "$HOME_DIR.tmp/rcms.db" --data "$HOME_DIR.tmp" \
		--cases "$N" --seed "$SEED" --password-file "$PWFILE" \
		>"$HOME_DIR.tmp/gen.txt" ||
		die "the generator failed"
	mv "$HOME_DIR.tmp" "$HOME_DIR"
	printf '%s\n' "$stamp" >"$HOME_DIR/stamp"
fi
metric() { awk -v k="$1" '$1 == k { print $2 }' "$HOME_DIR/gen.txt"; }
gen_cases=$(metric gen_cases)
gen_seconds=$(metric gen_seconds)
gen_rate=$(metric gen_cases_per_s)
db_bytes=$(stat -c %s "$HOME_DIR/rcms.db")

# ---- 2. rcms case list -----------------------------------------------------

unset RCMS_USER RCMS_PASSWORD_FILE 2>/dev/null || true
export RCMS_HOME="$HOME_DIR"
RCMS_PASSWORD_FILE=$PWFILE "$RCMS" login officer --why processing >/dev/null ||
	die "rcms login failed"
"$RCMS" case list --limit 50 --why processing >"$B/bench-list.txt" ||
	die "rcms case list failed"
rows=$(wc -l <"$B/bench-list.txt")
say "case list --limit 50 prints $rows lines; timing $RUNS runs"

times=$B/bench-list-times.txt
: >"$times"
if command -v hyperfine >/dev/null 2>&1; then
	tool=hyperfine
	hyperfine -N --warmup 3 --runs "$RUNS" --style none \
		--export-json "$B/bench-list.json" \
		"$RCMS case list --limit 50 --why processing" >&2
	# the "times" array, one number a line, in seconds
	awk '/"times"/ { f = 1; next } f && /\]/ { f = 0 }
	     f { gsub(/[ ,]/, ""); if ($0 != "") print $0 * 1000 }' \
		"$B/bench-list.json" >"$times"
else
	tool="shell loop"
	i=0
	while [ "$i" -lt 3 ]; do
		"$RCMS" case list --limit 50 --why processing >/dev/null
		i=$((i + 1))
	done
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(date +%s%N)
		"$RCMS" case list --limit 50 --why processing >/dev/null
		t1=$(date +%s%N)
		echo "$(((t1 - t0) / 1000))" | awk '{ print $1 / 1000 }' \
			>>"$times"
		i=$((i + 1))
	done
fi
# median and p95 (nearest rank) in ms
stats=$(sort -n "$times" | awk '{ v[NR] = $1 } END {
	if (NR == 0) { print "? ?"; exit }
	med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	r = int(0.95 * NR); if (r < 0.95 * NR) r++
	printf "%.1f %.1f\n", med, v[r] }')
list_median=${stats% *}
list_p95=${stats#* }

# ---- 3. MRZ ------------------------------------------------------------------

mrz_rate=
if [ -x "$MRZ" ]; then
	mrz_rate=$("$MRZ" | awk '$1 == "mrz_parse_per_s" { print $2 }')
fi

# ---- 4. the exchange ----------------------------------------------------------

xrows=$B/bench-exchange.rows
: >"$xrows"
if [ "${RCMS_BENCH_EXCHANGE:-1}" != 0 ]; then
	say "the exchange against nginx (bench/exchange.sh)"
	if ! "$(dirname "$0")/exchange.sh" "$B" >"$xrows"; then
		say "bench/exchange.sh failed"
		echo "| exchange (bench/exchange.sh) | — | failed, see the messages above |" >"$xrows"
	fi
fi

# ---- 5. sync -------------------------------------------------------------------

srows=$B/bench-sync.rows
: >"$srows"
if [ "${RCMS_BENCH_SYNC:-1}" != 0 ]; then
	say "the workstation's sync (bench/sync.sh)"
	if ! "$(dirname "$0")/sync.sh" "$B" >"$srows"; then
		say "bench/sync.sh failed"
		echo "| sync (bench/sync.sh) | — | failed, see the messages above |" >"$srows"
	fi
fi

# ---- 6. reports ----------------------------------------------------------------

rrows=$B/bench-reports.rows
: >"$rrows"
if [ "${RCMS_BENCH_REPORTS:-1}" != 0 ]; then
	say "the reports (bench/reports.sh)"
	if ! RCMS_BENCH_REPLICA=$HOME_DIR "$(dirname "$0")/reports.sh" "$B" \
		>"$rrows"; then
		say "bench/reports.sh failed"
		echo "| reports (bench/reports.sh) | — | failed, see the messages above |" >"$rrows"
	fi
fi

# ---- 7. finding people ---------------------------------------------------------

frows=$B/bench-search.rows
: >"$frows"
if [ "${RCMS_BENCH_SEARCH:-1}" != 0 ]; then
	say "finding people (bench/search.sh)"
	if ! RCMS_BENCH_REPLICA=$HOME_DIR "$(dirname "$0")/search.sh" "$B" \
		>"$frows"; then
		say "bench/search.sh failed"
		echo "| finding people (bench/search.sh) | — | failed, see the messages above |" >"$frows"
	fi
fi

# ---- 8. the workstation ----------------------------------------------------------

urows=$B/bench-ui.rows
: >"$urows"
if [ "${RCMS_BENCH_UI:-1}" != 0 ]; then
	say "the workstation (bench/ui.sh)"
	if ! RCMS_BENCH_REPLICA=$HOME_DIR "$(dirname "$0")/ui.sh" "$B" \
		>"$urows"; then
		say "bench/ui.sh failed"
		echo "| workstation (bench/ui.sh) | — | failed, see the messages above |" >"$urows"
	fi
fi

# ---- the table ------------------------------------------------------------------

commify() {
	printf '%s' "$1" | awk '{ n = $1; s = ""; i = int(n); f = n - i
		while (i >= 1000) { s = sprintf(",%03d", i % 1000) s
			i = int(i / 1000) }
		printf "%d%s", i, s }'
}
{
	echo "| metric | target | measured |"
	echo "|---|---|---|"
	echo "| generator: cases written through the use cases | 1,000,000 | $(commify "$gen_cases") |"
	echo "| generator: wall time | ≤ 60 s | $gen_seconds s$( [ "$reused" = yes ] && echo " (earlier run, replica reused)") |"
	echo "| generator: throughput | ≥ 16,667 cases/s | $(commify "$gen_rate") cases/s |"
	echo "| \`rcms case list --limit 50\`, median of $RUNS ($tool) | ≤ 50 ms | $list_median ms |"
	echo "| \`rcms case list --limit 50\`, p95 | ≤ 100 ms | $list_p95 ms |"
	echo "| replica file size | — | $(awk -v b="$db_bytes" 'BEGIN { printf "%.0f MiB", b / 1048576 }') ($(awk -v b="$db_bytes" -v n="$gen_cases" 'BEGIN { printf "%.0f", n ? b / n : 0 }') bytes/case) |"
	if [ -n "$mrz_rate" ]; then
		echo "| MRZ parse (bench_mrz) | — | $(commify "$mrz_rate") zones/s |"
	else
		echo "| MRZ parse (bench_mrz) | — | not built |"
	fi
	cat "$xrows"
	cat "$srows"
	cat "$rrows"
	cat "$frows"
	cat "$urows"
} >"$OUT.table"
rev=$(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
	echo "make bench, $(date -u +%Y-%m-%d), commit $rev, $(nproc) CPUs;" \
		"$N cases, seed $SEED"
	echo
	cat "$OUT.table"
} >"$OUT"
rm -f "$OUT.table"
cat "$OUT"
