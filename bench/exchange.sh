#!/bin/sh
# exchange.sh BUILD_DIR - the exchange's figures for `make bench` (see
# BENCHMARKS.md, "Exchange").  bench/run.sh calls it; it runs alone too.
#
# Everything happens on 127.0.0.1 in a temporary folder, with a throwaway
# CA, and every process started here is stopped before it returns:
#   1. an exchange (BUILD_DIR/bin/rcms-exchange, port 0) with the
#      reference data, certificates for RS-MUP W01 and ME-MUP W01;
#   2. 100 cases pushed for RS-MUP (one batch of case.create);
#   3. GET /v1/changes?since=0&limit=100 with bench/tls_load (64
#      keep-alive TLS connections with a client certificate, warm-up,
#      then a fixed time): as ME-MUP, an agency with no cases (the empty
#      feed), and as RS-MUP (a page of 100 records);
#   4. nginx serving the same response bytes as static files, with the
#      same certificate, key, CA, CRL and TLS versions (bench/nginx.conf.in),
#      measured the same way, interleaved with the exchange;
#   5. pushes: RCMS_BENCH_XCH_BATCHES (40) batches of 500 valid
#      case.create operations over RCMS_BENCH_XCH_PUSH_CONNS (2)
#      connections; applied operations a second, counted by the exchange
#      (/metrics) and in its answers;
#   6. the page of 100 records again, with every pushed case in the store
#      (the same bytes: the first 100 cases).
# Prints the rows of the Markdown table (| metric | target | measured |)
# on stdout; the details go to BUILD_DIR/bench-exchange.txt, the table
# with its heading to BUILD_DIR/bench-exchange.md.
#
# Environment: RCMS_BENCH_XCH_SECONDS (8, each GET run, after 2 s of
# warm-up), RCMS_BENCH_XCH_CONNS (64), RCMS_BENCH_XCH_THREADS (the
# exchange's thread pool, 4 as shipped), RCMS_BENCH_XCH_BATCHES (40),
# RCMS_BENCH_XCH_PUSH_CONNS (2), RCMS_BENCH_XCH_PUSH_SECONDS (60: no batch
# is sent after that), RCMS_BENCH_NGINX_WORKERS (auto), RCMS_BENCH_PERF=1
# (perf record of the exchange during each of its runs, into
# BUILD_DIR/perf-exchange-*.data; the figures of such a run are slowed by
# perf and are not the figures), RCMS_BENCH_KEEP=1 (keep the temporary
# folder).  About 65 s in all; each run is bounded by timeout(1).
set -eu

B=${1:?usage: bench/exchange.sh BUILD_DIR}
B=$(cd "$B" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
X=$B/bin/rcms-exchange
LOAD=$B/bench/tls_load
SECS=${RCMS_BENCH_XCH_SECONDS:-8}
WARM=2
CONNS=${RCMS_BENCH_XCH_CONNS:-64}
XTHREADS=${RCMS_BENCH_XCH_THREADS:-4}
BATCHES=${RCMS_BENCH_XCH_BATCHES:-40}
PUSH_CONNS=${RCMS_BENCH_XCH_PUSH_CONNS:-2}
PUSH_SECS=${RCMS_BENCH_XCH_PUSH_SECONDS:-60}
OPS=500
DETAIL=$B/bench-exchange.txt
FEED='/v1/changes?since=0&limit=100'

say() { printf 'bench: exchange: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ -x "$X" ] || die "$X is missing; run 'make bench'"
[ -x "$LOAD" ] || die "$LOAD is missing; run 'make bench'"
command -v curl >/dev/null 2>&1 || die "curl is needed (Debian package curl)"

T=$(mktemp -d "${TMPDIR:-/tmp}/rcms-xbench.XXXXXX")
XPID=
NPID=
PERFPID=

# stop PID: TERM, then KILL after 10 s; only our own children
stop() {
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null || return 0
	i=0
	while kill -0 "$1" 2>/dev/null && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
cleanup() {
	stop "$PERFPID"
	stop "$NPID"
	stop "$XPID"
	if [ "${RCMS_BENCH_KEEP:-0}" = 1 ]; then
		say "kept $T"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

: >"$DETAIL"
detail() { printf '%s\n' "$*" >>"$DETAIL"; }

# ---- 1. the exchange -------------------------------------------------------

load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
PKI=$T/pki
(cd "$ROOT" && "$X" pki init "$PKI" && "$X" pki server "$PKI" localhost &&
	"$X" pki issue "$PKI" W01 --agency RS-MUP &&
	"$X" pki issue "$PKI" W01 --agency ME-MUP) >/dev/null ||
	die "the throwaway CA failed"
RS=$PKI/bundles/RS-MUP-W01
ME=$PKI/bundles/ME-MUP-W01
cat >"$T/exchange.conf" <<EOF
listen = 127.0.0.1
port = 0
port_file = $T/port
data_dir = $T/data
cert = $PKI/server.pem
key = $PKI/server.key
ca = $PKI/ca.pem
crl = $PKI/crl.pem
threads = $XTHREADS
# the highest allowed: the limit is checked on every request, never hit
rate_per_min = 10000000
EOF
"$X" reference load "$ROOT/data/agreements.json" --config "$T/exchange.conf" \
	>/dev/null || die "reference load failed"
"$X" serve --config "$T/exchange.conf" 2>"$T/exchange.log" &
XPID=$!
i=0
while [ ! -s "$T/port" ]; do
	kill -0 "$XPID" 2>/dev/null || die "the exchange did not start: $(tail -n 3 "$T/exchange.log")"
	[ "$i" -lt 100 ] || die "the exchange did not write its port in 10 s"
	sleep 0.1
	i=$((i + 1))
done
XPORT=$(cat "$T/port")
say "exchange on 127.0.0.1:$XPORT ($XTHREADS threads)"

# curl_as BUNDLE PATH [curl options]: one request with a client certificate
curl_as() {
	_b=$1 _p=$2
	shift 2
	curl -sf --max-time 30 --cacert "$PKI/ca.pem" --cert "$_b/cert.pem" \
		--key "$_b/key.pem" --resolve "localhost:$XPORT:127.0.0.1" \
		"$@" "https://localhost:$XPORT$_p"
}
applied_total() {
	curl_as "$RS" /metrics |
		awk '/^rcms_ops_total\{result="applied"\}/ { print $2 }'
}

# ---- 2. batches of case.create ---------------------------------------------------

# batches FIRST COUNT SIZE DIR: COUNT files DIR/batch-N.json of SIZE valid
# case.create operations each, cases FIRST, FIRST+1, ... (ids are unique
# in this run's fresh exchange), and DIR/list naming them.
batches() {
	mkdir -p "$4"
	awk -v first="$1" -v count="$2" -v size="$3" -v dir="$4" \
		-v nonce="$(printf '%08x' "$(( $$ * 7919 % 4294967291 ))")" '
	function uuid(kind, n) {
		return sprintf("%s-%04x-4000-8000-%012x", nonce, kind, n)
	}
	BEGIN {
		srand(1)
		# requested agency, agreement, nationality, pool
		na = split("MK-MVR AL-MOI BA-MS PK-MOI", agency, " ")
		split("EU-WB-2007 EU-WB-2007 EU-WB-2007 EU-PK-2010", agr, " ")
		split("MKD ALB BIH PAK", nat, " ")
		split("PETROVSKI|HOXHA|BEGIC|KHAN", sur1, "|")
		split("JOVANOVSKI|KRASNIQI|HODZIC|AHMED", sur2, "|")
		split("MARKO|ARBEN|EMIR|MUHAMMAD", giv1, "|")
		split("ANA|BESA|AMRA|FATIMA", giv2, "|")
		split("ПЕТРОВСКИ Марко|Hoxha Arben|Begić Emir|خان محمد", native, "|")
		split("Skopje|Tirana|Sarajevo|Lahore", place, "|")
		split("mk, sr|sq|bs, en|ur, en", lang, "|")
		n = first
		for (b = 0; b < count; b++) {
			f = sprintf("%s/batch-%04d.json", dir, b)
			print f > (dir "/list")
			printf "{\"ops\":[" > f
			for (k = 0; k < size; k++) {
				p = 1 + n % na
				female = (n % 3 == 0)
				printf "%s{\"op_id\":\"%s\",\"type\":\"case.create\"," \
				    "\"entity_id\":\"%s\",\"base_rev\":0," \
				    "\"actor\":\"officer%d\",\"fields\":{" \
				    "\"local_ref\":\"RS-MUP-W01-2026-%06d\"," \
				    "\"requesting_agency\":\"RS-MUP\"," \
				    "\"created_by\":\"officer%d\"," \
				    "\"requested_agency\":\"%s\",\"agreement\":\"%s\"," \
				    "\"procedure\":\"%s\",\"evidence_basis\":\"proof\"," \
				    "\"surnames\":\"%s\",\"given_names\":\"%s\"," \
				    "\"name_native\":\"%s\",\"sex\":\"%s\"," \
				    "\"civil_status\":\"single\"," \
				    "\"birth_date\":\"%04d-%02d-%02d\"," \
				    "\"birth_place\":\"%s\",\"birth_country\":\"%s\"," \
				    "\"nationality\":\"%s\",\"father_name\":\"Ilija\"," \
				    "\"mother_name\":\"Vesna\",\"languages\":\"%s\"," \
				    "\"apprehension_place\":\"Presevo, border crossing\"," \
				    "\"apprehension_date\":\"2026-%02d-%02d\"," \
				    "\"documents\":[{\"id\":\"%s\",\"type\":\"passport\"," \
				    "\"number\":\"P%07d\",\"issuing_state\":\"%s\"," \
				    "\"issue_date\":\"2019-03-01\"," \
				    "\"expiry_date\":\"2029-03-01\"," \
				    "\"is_copy\":false}]}}", \
				    k ? "," : "", uuid(1, n), uuid(2, n), 1 + n % 4, n,
				    1 + n % 4, agency[p], agr[p],
				    n % 10 == 0 && p < 4 ? "accelerated" : "normal",
				    n % 2 ? sur1[p] : sur2[p],
				    female ? giv2[p] : giv1[p], native[p],
				    female ? "F" : "M", 1960 + n % 45, 1 + n % 12,
				    1 + n % 28, place[p], nat[p], nat[p], lang[p],
				    1 + n % 10, 1 + n % 28, uuid(3, n), n, nat[p] > f
				n++
			}
			printf "]}" > f
			close(f)
		}
	}'
}

batches 1 1 100 "$T/page"
curl_as "$RS" /v1/ops -H 'Content-Type: application/json' \
	--data-binary "@$T/page/batch-0000.json" >"$T/page/answer.json" ||
	die "pushing the first 100 cases failed"
n=$(grep -o '"status":"applied"' "$T/page/answer.json" | wc -l)
[ "$n" -eq 100 ] ||
	die "of the first 100 cases $n were applied: $(head -c 400 "$T/page/answer.json")"

# ---- 3, 4. the feed, exchange and nginx ---------------------------------------------

WWW=$T/www
mkdir -p "$WWW" "$T/nginx-tmp"
curl_as "$ME" "$FEED" >"$WWW/empty.json" || die "GET the empty feed failed"
curl_as "$RS" "$FEED" >"$WWW/page100.json" || die "GET the page failed"
n=$(grep -o '"kind":"case"' "$WWW/page100.json" | wc -l)
[ "$n" -eq 100 ] || die "the page has $n records, not 100"
empty_bytes=$(wc -c <"$WWW/empty.json")
page_bytes=$(wc -c <"$WWW/page100.json")
detail "empty feed: $empty_bytes bytes: $(cat "$WWW/empty.json")"
detail "page of 100: $page_bytes bytes"

# nginx's workers (nobody) read the files; the keys are read by the
# master before it drops privileges, and stay 0600
chmod 711 "$T"
chmod 755 "$WWW"
chmod 644 "$WWW"/*.json

NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
NPORT=
if [ -x "$NGINX" ]; then
	# a free port: try a few, nginx says when one is taken
	base=$((20000 + $$ % 20000))
	for try in 0 1 2 3 4 5 6 7; do
		port=$((base + try * 997))
		sed -e "s|@DIR@|$T|g" -e "s|@PORT@|$port|g" \
			-e "s|@WORKERS@|${RCMS_BENCH_NGINX_WORKERS:-auto}|g" \
			-e "s|@CERT@|$PKI/server.pem|g" \
			-e "s|@KEY@|$PKI/server.key|g" \
			-e "s|@CA@|$PKI/ca.pem|g" -e "s|@CRL@|$PKI/crl.pem|g" \
			"$ROOT/bench/nginx.conf.in" >"$T/nginx.conf"
		: >"$T/nginx-error.log"
		"$NGINX" -c "$T/nginx.conf" -p "$T" -e "$T/nginx-error.log" \
			2>>"$T/nginx-error.log" &
		NPID=$!
		i=0
		while [ "$i" -lt 50 ] && kill -0 "$NPID" 2>/dev/null &&
			! curl -s --max-time 2 --cacert "$PKI/ca.pem" \
				--cert "$ME/cert.pem" --key "$ME/key.pem" \
				--resolve "localhost:$port:127.0.0.1" \
				-o /dev/null "https://localhost:$port$FEED"; do
			sleep 0.1
			i=$((i + 1))
		done
		if kill -0 "$NPID" 2>/dev/null && [ "$i" -lt 50 ]; then
			NPORT=$port
			break
		fi
		stop "$NPID"
		NPID=
	done
	[ -n "$NPORT" ] ||
		say "nginx did not start: $(tail -n 3 "$T/nginx-error.log")"
else
	say "nginx is not installed (Debian package nginx-light): no reference"
fi
[ -z "$NPORT" ] || say "nginx on 127.0.0.1:$NPORT ($($NGINX -v 2>&1 | sed 's/.*: //'))"

perf_start() {
	PERFPID=
	if [ "${RCMS_BENCH_PERF:-0}" = 1 ] && command -v perf >/dev/null 2>&1; then
		# DWARF stacks: -O2 keeps no frame pointers, and -g alone
		# loses the exchange's own functions
		perf record --call-graph dwarf,16384 -F 499 -q -p "$XPID" \
			-o "$B/perf-exchange-$1.data" >/dev/null 2>&1 &
		PERFPID=$!
	fi
}
perf_stop() {
	[ -z "$PERFPID" ] || kill -INT "$PERFPID" 2>/dev/null || true
	[ -z "$PERFPID" ] || wait "$PERFPID" 2>/dev/null || true
	PERFPID=
}

# get NAME PORT BUNDLE EXPECT: one run of tls_load; its output in T/NAME
get() {
	say "GET $1: $CONNS connections, ${WARM}s warm-up, ${SECS}s"
	timeout $((WARM + SECS + 30)) "$LOAD" --connect "127.0.0.1:$2" \
		--ca "$PKI/ca.pem" --cert "$3/cert.pem" --key "$3/key.pem" \
		-c "$CONNS" -t 2 -w "$WARM" -d "$SECS" --path "$FEED" \
		--expect-body "$4" >"$T/$1" 2>>"$T/load.log" ||
		say "$1: errors, wrong bodies or a timeout (see $DETAIL)"
	detail "== $1"
	cat "$T/$1" >>"$DETAIL"
}
val() {
	[ -f "$T/$1" ] || return 0
	awk -v k="$2" '$1 == k { print $2 }' "$T/$1"
}

# interleaved, so that the machine's other load falls on both alike
for feed in empty page100; do
	case $feed in
	empty) who=$ME ;;
	*) who=$RS ;;
	esac
	perf_start "get-$feed"
	get "x-$feed" "$XPORT" "$who" "$WWW/$feed.json"
	perf_stop
	[ -z "$NPORT" ] || get "n-$feed" "$NPORT" "$who" "$WWW/$feed.json"
done
stop "$NPID"
NPID=

# ---- 5. pushes ----------------------------------------------------------------------

say "writing $BATCHES batches of $OPS case.create"
batches 101 "$BATCHES" "$OPS" "$T/push"
before=$(applied_total)
say "pushing $((BATCHES * OPS)) operations over $PUSH_CONNS connections (at most ${PUSH_SECS}s)"
perf_start push
timeout $((PUSH_SECS + 90)) "$LOAD" --connect "127.0.0.1:$XPORT" \
	--ca "$PKI/ca.pem" --cert "$RS/cert.pem" --key "$RS/key.pem" \
	-c "$PUSH_CONNS" -t 1 -d "$PUSH_SECS" --timeout 60 \
	--post-list "$T/push/list" --count '"status":"applied"' \
	>"$T/push.out" 2>>"$T/load.log" ||
	say "push: errors, unsent batches or a timeout (see $DETAIL)"
perf_stop
after=$(applied_total)
before=${before:-0}
after=${after:-0}
detail "== push ($BATCHES x $OPS case.create, $PUSH_CONNS connections)"
cat "$T/push.out" >>"$DETAIL"
detail "metrics: applied before $before, after $after"

# the same page again, now that the store holds the pushed cases too (the
# same records; "more" is true now)
curl_as "$RS" "$FEED" >"$T/page100-full.json" || die "GET the page failed"
n=$(grep -o '"kind":"case"' "$T/page100-full.json" | wc -l)
[ "$n" -eq 100 ] || die "the page has $n records, not 100"
perf_start get-page100-full
get x-page100-full "$XPORT" "$RS" "$T/page100-full.json"
perf_stop
stop "$XPID"
XPID=
load1=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
detail "load average at the start $load0, at the end $load1"
detail "== load generator messages"
cat "$T/load.log" >>"$DETAIL" 2>/dev/null || true

# ---- the rows -------------------------------------------------------------------------

commify() {
	printf '%s' "$1" | awk '{ i = int($1 + 0.5); s = ""
		while (i >= 1000) { s = sprintf(",%03d", i % 1000) s
			i = int(i / 1000) }
		printf "%d%s", i, s }'
}
cell() { # cell NAME: "N req/s, p99 M ms"
	r=$(val "$1" rps)
	p=$(val "$1" latency_p99_ms)
	if [ -z "$r" ]; then
		echo "not measured"
	else
		printf '%s req/s, p99 %.1f ms' "$(commify "$r")" "$p"
	fi
}
ratio() { # ratio X N: X as a per cent of N
	awk -v x="$(val "$1" rps)" -v n="$(val "$2" rps)" 'BEGIN {
		if (n + 0 > 0) printf " (%.1f %% of nginx)", 100 * x / n }'
}
kib() { awk -v b="$1" 'BEGIN { printf "%.0f KiB", b / 1024 }'; }
proto=$(val x-empty tls_protocol)
applied=$((after - before))
psecs=$(val push.out seconds)
unsent=$(val push.out unsent)
bound=
[ "${unsent:-0}" = 0 ] || bound="; stopped at ${PUSH_SECS} s, $unsent batches not sent"
prate=$(awk -v a="$applied" -v s="$psecs" 'BEGIN { if (s > 0) print a / s; else print 0 }')
rows=$T/rows
{
	echo "| exchange: GET /v1/changes, empty feed ($empty_bytes bytes), $CONNS conns, $proto | ≥ 50 % of nginx | $(cell x-empty)$(ratio x-empty n-empty) |"
	echo "| nginx: the same bytes, static file, same TLS | — | $(cell n-empty) |"
	echo "| exchange: GET /v1/changes, 100 records ($(kib "$page_bytes")), $CONNS conns | ≥ 50 % of nginx | $(cell x-page100)$(ratio x-page100 n-page100) |"
	echo "| nginx: the same 100 records, static file | — | $(cell n-page100) |"
	echo "| exchange: push, $BATCHES batches of $OPS case.create, $PUSH_CONNS conns | ≥ 20,000 ops/s | $(commify "$prate") ops/s ($(commify "$applied") applied in ${psecs:-?} s; batch p50 $(printf "%.0f" "$(val push.out latency_p50_ms)") ms$bound) |"
	echo "| exchange: that page again, $(commify "$after") cases in the store | ≥ 50 % of nginx | $(cell x-page100-full)$(ratio x-page100-full n-page100) |"
} >"$rows"
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
	echo "bench/exchange.sh, $(date -u +%Y-%m-%d), commit $rev, $(nproc) CPUs;" \
		"exchange threads $XTHREADS, nginx workers ${RCMS_BENCH_NGINX_WORKERS:-auto};" \
		"client bench/tls_load (2 threads); load average $load0 at the" \
		"start, $load1 at the end"
	echo
	echo "| metric | target | measured |"
	echo "|---|---|---|"
	cat "$rows"
} >"$B/bench-exchange.md"
cat "$rows"
