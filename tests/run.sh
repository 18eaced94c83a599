#!/bin/sh
# run.sh BUILD_DIR - run every test: the cmocka unit tests, then the
# command-line tests (tests/cli/*.sh) against BUILD_DIR/bin/rcms.
# Ends with one line: "N passed, N failed".
set -u
B=${1:-build/check}
B=$(cd "$B" && pwd)
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LOG=$B/test-logs
rm -rf "$LOG"
mkdir -p "$LOG"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0
failed=0
failures=""

for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	timeout -k 10 600 "$t" >"$LOG/$n.log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$LOG/$n.log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$LOG/$n.log" | tail -1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1   # crashed or sanitizer report
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failures="$failures $n"
		echo "FAIL $n (see $LOG/$n.log)"
		tail -40 "$LOG/$n.log"
	else
		echo "ok   $n: $p passed"
	fi
done

for s in tests/cli/*.sh tests/exchange/*.sh tests/sync/*.sh tests/ui/*.sh tests/reports/*.sh scripts/lint-openapi.sh; do
	[ -f "$s" ] || continue
	n=$(basename "$(dirname "$s")")-$(basename "$s" .sh)
	RCMS="$B/bin/rcms" RCMS_EXCHANGE="$B/bin/rcms-exchange" BUILD="$B" \
		ROOT="$ROOT" TMPROOT="$B/tmp/$n" \
		timeout -k 10 600 sh "$s" >"$LOG/cli-$n.log" 2>&1
	rc=$?
	p=$(grep -c '^PASS: ' "$LOG/cli-$n.log")
	f=$(grep -c '^FAIL: ' "$LOG/cli-$n.log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL: $n exited $rc" >>"$LOG/cli-$n.log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failures="$failures $n"
		echo "FAIL $n (see $LOG/cli-$n.log)"
		grep -A6 '^FAIL: ' "$LOG/cli-$n.log" | head -60
		tail -15 "$LOG/cli-$n.log"
	else
		echo "ok   $n: $p passed"
	fi
done

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
