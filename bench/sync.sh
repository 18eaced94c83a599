#!/bin/sh
# sync.sh BUILD_DIR - the workstation's synchronisation with a real
# rcms-exchange over TLS with client certificates, on 127.0.0.1 (see
# BENCHMARKS.md, "Sync").  Builds nothing: `make bench` has built
# BUILD_DIR (bin/rcms, bin/rcms-exchange, bench/gen, bench/tls_load).
#
# One exchange (a throwaway CA, port 0, its shipped 4 threads, the rate
# limit at its highest, max_upload_bytes raised for the big document),
# then, in this order:
#   push    bench/gen makes an RS-MUP/W01 replica of RCMS_BENCH_SYNC_PUSH
#           (20,000) cases with --moved 0: as many pending case.create in
#           its outbox; it is enrolled and `rcms sync --times` pushes
#           them.  The push is the engine's push phase (its own monotonic
#           clock: one connection carries the whole sync, so no
#           connect(2) separates the phases).  The same sync then pulls
#           those cases back, timed the same way; that pull is stopped if
#           it runs over RCMS_BENCH_SYNC_PULLBACK_SECONDS (120), and then
#           measured by its pages committed (the replica's audit log);
#   upload  a second workstation, RS-MUP/W02, brought up to date; then a
#           case, `rcms attach` of RCMS_BENCH_SYNC_UPLOAD_MB (200) MB of
#           random bytes, `rcms sync --times`: the upload is the engine's
#           "documents sent" phase, from the blob's HEAD to the last
#           PATCH's answer.  The reference: curl, a tus creation
#           POST and one PATCH of a file of the same size with
#           --data-binary, with W02's certificate, to the same exchange.
#           Every upload has its own random file (the exchange keeps what
#           it has), in the order curl, rcms, rcms, curl ...
#           (RCMS_BENCH_SYNC_UPLOAD_ROUNDS pairs, 2), so that a drift of
#           the machine's load falls on both;
#   pull    RCMS_BENCH_SYNC_CASES (100,000) applications from RS-MUP to
#           PK-MOI (case.create, submit, approve: 3 operations a case,
#           batches of 166 cases) POSTed by bench/tls_load, then `rcms
#           sync` on a fresh PK-MOI replica, timed from its exec to its
#           exit;
#   idle    `rcms sync` on that replica, up to date: RCMS_BENCH_RUNS (20)
#           runs after 3 warm-up runs (hyperfine when installed, else a
#           shell loop), median and p95 (nearest rank).
# Prints the rows of the Markdown table (| metric | target | measured |)
# on stdout; the details go to BUILD_DIR/bench-sync.txt, the table with
# its heading to BUILD_DIR/bench-sync.md.  Needs curl, strace and sqlite3.
#
# Environment: RCMS_BENCH_SYNC_CASES, RCMS_BENCH_SYNC_PUSH,
# RCMS_BENCH_SYNC_PULLBACK_SECONDS, RCMS_BENCH_SYNC_UPLOAD_MB,
# RCMS_BENCH_SYNC_UPLOAD_ROUNDS, RCMS_BENCH_RUNS, RCMS_BENCH_PERF=1 (perf
# record of every traced rcms sync, into BUILD_DIR/perf-sync-*.data, and
# of one idle sync; the figures of such a run are slowed by perf and are
# not the figures), RCMS_BENCH_KEEP=1 (keep the temporary folder: about
# 2 GB with the defaults).  About three and a half minutes with the
# defaults; every step is bounded by timeout(1).
set -eu

B=${1:?usage: bench/sync.sh BUILD_DIR}
B=$(cd "$B" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RCMS=$B/bin/rcms
X=$B/bin/rcms-exchange
GEN=$B/bench/gen
LOAD=$B/bench/tls_load
NPULL=${RCMS_BENCH_SYNC_CASES:-100000}
NPUSH=${RCMS_BENCH_SYNC_PUSH:-20000}
UPMB=${RCMS_BENCH_SYNC_UPLOAD_MB:-200}
ROUNDS=${RCMS_BENCH_SYNC_UPLOAD_ROUNDS:-2}
RUNS=${RCMS_BENCH_RUNS:-20}
PULLBACK=${RCMS_BENCH_SYNC_PULLBACK_SECONDS:-120}
CPB=166 # cases a batch: 498 operations, each case whole in its batch
DETAIL=$B/bench-sync.txt

START=$(date +%s)
say() { printf 'bench: sync: [%ds] %s\n' $(($(date +%s) - START)) "$*" >&2; }
die() {
	say "$*"
	if [ -n "${XPID:-}" ] && ! kill -0 "$XPID" 2>/dev/null; then
		say "the exchange is gone: $(tail -n 2 "$XLOG" | tr '\n' ' ')"
	fi
	exit 1
}

for f in "$RCMS" "$X" "$GEN" "$LOAD"; do
	[ -x "$f" ] || die "$f is missing; run 'make bench'"
done
for t in curl strace sqlite3; do
	command -v "$t" >/dev/null 2>&1 || die "$t is needed (Debian package $t)"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/rcms-sbench.XXXXXX")
XPID=
SYNCPID=
SYNCNAME=

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
	# rcms first: strace, stopped, would leave it running
	[ -z "$SYNCPID" ] || stop "$(trace_pid "$SYNCNAME" 2>/dev/null)"
	stop "$SYNCPID"
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
now_ns() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

unset RCMS_USER RCMS_PASSWORD_FILE RCMS_HOME http_proxy https_proxy \
	HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy 2>/dev/null || true
PW=$T/password
(umask 077 && echo bench-password-2026 >"$PW")

# ---- the exchange -------------------------------------------------------------

load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
PKI=$T/pki
(cd "$ROOT" && "$X" pki init "$PKI" && "$X" pki server "$PKI" localhost &&
	"$X" pki issue "$PKI" W01 --agency RS-MUP &&
	"$X" pki issue "$PKI" W02 --agency RS-MUP &&
	"$X" pki issue "$PKI" W01 --agency PK-MOI) >/dev/null ||
	die "the throwaway CA failed"
RS=$PKI/bundles/RS-MUP-W01
RS2=$PKI/bundles/RS-MUP-W02
PK=$PKI/bundles/PK-MOI-W01
cat >"$T/exchange.conf" <<EOF
listen = 127.0.0.1
port = 0
port_file = $T/port
data_dir = $T/data
cert = $PKI/server.pem
key = $PKI/server.key
ca = $PKI/ca.pem
crl = $PKI/crl.pem
# as shipped
threads = 4
# the highest allowed: checked on every request, never hit
rate_per_min = 10000000
# the big document
max_upload_bytes = $(((UPMB + 1) * 1048576))
timeout = 300
EOF
"$X" reference load "$ROOT/data/agreements.json" --config "$T/exchange.conf" \
	>/dev/null || die "reference load failed"
XLOG=$T/exchange.log
"$X" serve --config "$T/exchange.conf" 2>"$XLOG" &
XPID=$!
i=0
while [ ! -s "$T/port" ]; do
	kill -0 "$XPID" 2>/dev/null || die "the exchange did not start: $(tail -n 3 "$XLOG")"
	[ "$i" -lt 100 ] || die "the exchange did not write its port in 10 s"
	sleep 0.1
	i=$((i + 1))
done
XPORT=$(cat "$T/port")
URL=https://127.0.0.1:$XPORT
say "exchange on 127.0.0.1:$XPORT"

# curl_as BUNDLE PATH [curl options]: one request with a client certificate
curl_as() {
	_b=$1 _p=$2
	shift 2
	curl -sS --max-time 600 --cacert "$PKI/ca.pem" --cert "$_b/cert.pem" \
		--key "$_b/key.pem" "$@" "$URL$_p"
}
# log_count ROUTE FROM: requests to ROUTE in the exchange's log after
# line FROM
log_count() {
	tail -n "+$(($2 + 1))" "$XLOG" | grep -c " route=$1 " || true
}
log_lines() { wc -l <"$XLOG"; }

# a replica's rcms.conf: cheap Argon2id (logins are not measured), room
# for the big document
rcms_conf() {
	printf 'argon2_t_cost = 1\nargon2_m_cost_kib = 1024\nattachment_max_mb = %d\n' \
		$((UPMB + 1)) >"$1/rcms.conf"
}

# on DIR CMD...: rcms on replica DIR, output in T/out, T/err
on() {
	_d=$1
	shift
	RCMS_HOME=$_d timeout 600 "$RCMS" "$@" >"$T/out" 2>"$T/err"
}
on_or_die() {
	on "$@" || die "rcms $2 on ${1##*/} failed: $(tail -n 3 "$T/err")"
}

# traced_sync DIR NAME [SECONDS]: `rcms sync` on DIR under strace
# (connect(2) and execve only, through seccomp: the other system calls run
# untraced); the trace in T/NAME.trace, the report in T/NAME.out, the wall
# time in SYNC_S.  With SECONDS, the sync is stopped (SIGTERM; each page of
# the pull is its own transaction) SECONDS after its pull began, and CUT
# is 1 if it had to be.  With RCMS_BENCH_PERF=1 under perf record too
# (BUILD_DIR/perf-sync-NAME.data).
traced_sync() {
	_perf=
	if [ "${RCMS_BENCH_PERF:-0}" = 1 ] && command -v perf >/dev/null 2>&1; then
		# DWARF stacks: -O2 keeps no frame pointers
		_perf="perf record --call-graph dwarf,16384 -F 999 -q -o $B/perf-sync-$2.data --"
	fi
	CUT=0
	SYNCNAME=$2
	_tsfrom=$(log_lines)
	_t0=$(now_ns)
	# in a subshell that exits (not one that is killed), so that the shell
	# reports no "Terminated" when the sync is stopped
	# shellcheck disable=SC2086
	(RCMS_HOME=$1 $_perf strace -f --seccomp-bpf -ttt \
		-e trace=connect,execve -o "$T/$2.trace" \
		timeout 900 "$RCMS" sync --times >"$T/$2.out" 2>"$T/$2.err"
	exit $?) &
	SYNCPID=$!
	if [ -n "${3:-}" ]; then
		_mark=
		while kill -0 "$SYNCPID" 2>/dev/null; do
			if [ -z "$_mark" ] &&
				[ "$(log_count /v1/changes "$_tsfrom")" -gt 0 ]; then
				_mark=$(date +%s)
			fi
			if [ -n "$_mark" ] &&
				[ $(($(date +%s) - _mark)) -ge "$3" ]; then
				_rp=$(trace_pid "$2")
				[ -z "$_rp" ] || kill -TERM "$_rp" 2>/dev/null || true
				CUT=1
				break
			fi
			sleep 0.2
		done
	fi
	_rc=0
	wait "$SYNCPID" || _rc=$?
	SYNCPID=
	_t1=$(now_ns)
	SYNC_S=$(secs "$_t0" "$_t1")
	[ "$_rc" = 0 ] || [ "$CUT" = 1 ] ||
		die "rcms sync ($2) failed: $(tail -n 3 "$T/$2.err")"
	detail "== rcms sync ($2): $SYNC_S s wall, under strace$([ "$CUT" = 0 ] || echo ", stopped $3 s after its pull began")"
	cat "$T/$2.out" >>"$DETAIL"
}
# trace_pid NAME: the process id of rcms in the trace
trace_pid() {
	awk -v p="$RCMS" 'index($0, "execve(\"" p "\"") && / = 0$/ { print $1; exit }' "$T/$1.trace"
}
# trace_start NAME / trace_end NAME: when rcms started and ended (seconds)
trace_start() {
	awk -v p="$RCMS" 'index($0, "execve(\"" p "\"") && / = 0$/ { print $2; exit }' "$T/$1.trace"
}
trace_end() {
	awk -v p="$RCMS" 'index($0, "execve(\"" p "\"") && / = 0$/ { pid = $1 }
		pid && $1 == pid && /\+\+\+ (exited with|killed by)/ { print $2 }' "$T/$1.trace"
}
# trace_connect NAME K: when rcms opened its K-th connection to the exchange
trace_connect() {
	awk -v port="htons($XPORT)" -v k="$2" '/ connect\(/ && index($0, port) {
		if (++n == k) { print $2; exit } }' "$T/$1.trace"
}
# diff_s A B: B - A in seconds, three decimals
diff_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# the figures of a report line (T/NAME.out): "pushed N (A applied, ...),
# received P cases, W waiting; documents U sent (BU bytes), ..."
report_of() {
	_t=$(sed -n 's/^times: //p' "$T/$1.out")
	R_PUSH_S=$(printf '%s' "$_t" | sed -n 's/.*push \([0-9.]*\) s.*/\1/p')
	R_PULL_S=$(printf '%s' "$_t" | sed -n 's/.*pull \([0-9.]*\) s.*/\1/p')
	R_UP_S=$(printf '%s' "$_t" | sed -n 's/.*documents sent \([0-9.]*\) s.*/\1/p')
	_l=$(head -n 1 "$T/$1.out")
	R_RECEIVED=$(printf '%s' "$_l" | sed -n 's/.*received \([0-9]*\) cases.*/\1/p')
	R_DOCS=$(printf '%s' "$_l" | sed -n 's/.*documents \([0-9]*\) sent.*/\1/p')
	R_DOCBYTES=$(printf '%s' "$_l" | sed -n 's/.*documents [0-9]* sent (\([0-9]*\) bytes).*/\1/p')
}

# ---- push: bench/gen's replica, its outbox full ---------------------------------

RSH=$T/rs
mkdir -p "$RSH"
chmod 700 "$RSH"
say "bench/gen: $NPUSH cases (drafts) into an RS-MUP/W01 replica"
timeout 600 "$GEN" --db "$RSH/rcms.db" --data "$RSH" --cases "$NPUSH" \
	--moved 0 --password-file "$PW" --quiet >"$T/gen.txt" 2>"$T/gen.err" ||
	die "the generator failed: $(tail -n 3 "$T/gen.err")"
rcms_conf "$RSH"
RCMS_PASSWORD_FILE=$PW on_or_die "$RSH" login admin
on_or_die "$RSH" enroll --exchange "$URL" --bundle "$RS"
on_or_die "$RSH" sync status
pending=$(sed -n 's/^operations to send  *\([0-9][0-9]*\)$/\1/p' "$T/out")
[ "${pending:-0}" -gt 0 ] || die "the generated replica has nothing to send"
say "push: $pending operations pending; rcms sync (stopped if its pull runs over ${PULLBACK}s)"
from=$(log_lines)
traced_sync "$RSH" push "$PULLBACK"
push_cut=$CUT
on_or_die "$RSH" sync status
left=$(sed -n 's/^operations to send  *\([0-9][0-9]*\)$/\1/p' "$T/out")
refused=$(sed -n 's/^refused, to see to  *\([0-9][0-9]*\)$/\1/p' "$T/out")
[ "${left:-1}" = 0 ] && [ "${refused:-1}" = 0 ] ||
	die "push: $left operations left, $refused refused"
push_applied=$pending
nposts=$(log_count /v1/ops "$from")
# the engine's own clock (`rcms sync --times`): one connection carries the
# whole sync, so there is no connect(2) between its phases to time
report_of push
push_s=$R_PUSH_S
[ -n "$push_s" ] || [ "$push_cut" = 1 ] ||
	die "push: no times line (see $T/push.out)"
# the pull that followed: its pages committed (one sync.pull audit entry
# each, "N cases received")
pb=$(sqlite3 -batch -cmd '.timeout 5000' "$RSH/rcms.db" \
	"SELECT count(*) || ' ' || coalesce(sum(CAST(detail AS INTEGER)), 0)
	 FROM audit WHERE action = 'sync.pull'") || die "push: cannot read the replica"
pb_pages=${pb% *}
pb_cases=${pb#* }
if [ "$push_cut" = 1 ]; then
	# stopped: no times line; the push ended when the first page was
	# asked for, and the pull ran PULLBACK seconds
	t_start=$(trace_start push)
	push_s=$(awk -v w="$SYNC_S" -v p="$PULLBACK" 'BEGIN { printf "%.3f", w - p }')
	pb_s=$PULLBACK
else
	pb_s=$R_PULL_S
fi
pb_rate=$(awk -v n="$pb_cases" -v s="$pb_s" 'BEGIN { if (s > 0) printf "%.0f", n / s }')
outbox_rows=$(sqlite3 -batch "$RSH/rcms.db" "SELECT count(*) FROM outbox")
detail "push: $nposts POST /v1/ops in $push_s s; $(sed -n 's/^times: //p' "$T/push.out")"
detail "the pull after the push: $pb_pages pages, $pb_cases cases in $pb_s s ($pb_rate cases/s), $outbox_rows rows in the outbox$([ "$push_cut" = 0 ] || echo "; stopped after ${PULLBACK}s")"
say "push: $push_applied operations in $push_s s; its pull then took $pb_cases cases back in $pb_s s"

# ---- upload: rcms sync against curl, the same exchange, the same certificate ------

UPBYTES=$((UPMB * 1000000))
# randfile PATH: UPBYTES random bytes
randfile() {
	head -c "$UPBYTES" /dev/urandom >"$1" || die "cannot write $1"
}
# a second workstation of RS-MUP, brought up to date (the generated cases)
# before the uploads, so that each timed sync pushes two operations and
# pulls one case before its document
UPH=$T/rs2
mkdir -p "$UPH"
chmod 700 "$UPH"
rcms_conf "$UPH"
RCMS_PASSWORD_FILE=$PW on_or_die "$UPH" init --agency RS-MUP --workstation W02 \
	--admin admin --admin-name "Admin RS-MUP" \
	--agreements "$ROOT/data/agreements.json" --exchange "$URL" --enroll "$RS2"
RCMS_PASSWORD_FILE=$PW on_or_die "$UPH" login admin
RCMS_PASSWORD_FILE=$PW on_or_die "$UPH" user add officer --role officer \
	--full-name "Officer W02"
RCMS_PASSWORD_FILE=$PW on_or_die "$UPH" login officer
say "upload: a second RS-MUP workstation, brought up to date"
on_or_die "$UPH" sync
detail "W02 brought up to date: $(head -n 1 "$T/out")"
# rcms_upload K: a case, a document of UPBYTES, `rcms sync`; the upload's
# seconds are appended to T/up-rcms
rcms_upload() {
	on_or_die "$UPH" case new surnames=Khan given_names=Imran sex=M \
		birth_date=1990-03-04 nationality=PAK requested_agency=PK-MOI \
		evidence_basis=proof \
		--doc "type=passport,number=AB12345$1,issuing_state=PAK"
	_ref=$(head -n 1 "$T/out")
	randfile "$T/scan-$1.pdf"
	on_or_die "$UPH" attach "$_ref" "$T/scan-$1.pdf" --kind scan
	rm -f "$T/scan-$1.pdf" # the replica's store holds the bytes now
	_from=$(log_lines)
	traced_sync "$UPH" "upload-$1"
	report_of "upload-$1"
	[ "${R_DOCS:-0}" = 1 ] && [ "${R_DOCBYTES:-0}" = "$UPBYTES" ] ||
		die "upload $1: $(head -n 1 "$T/upload-$1.out")"
	_s=$R_UP_S
	[ -n "$_s" ] || die "upload $1: no times line"
	echo "$_s" >>"$T/up-rcms"
	_np=$(log_count /v1/uploads/ "$_from")
	detail "upload $1, rcms: $_s s from the document's first request to its last answer (rcms sync --times); the whole sync $SYNC_S s; $_np PATCH requests to /v1/uploads/ID"
	say "upload $1: rcms $_s s"
}
# curl_upload K: the tus creation and one PATCH of a new file, with curl
curl_upload() {
	_f=$T/curl-$1.bin
	randfile "$_f"
	_sha=$(sha256sum "$_f" | cut -c1-64)
	_meta="sha256 $(printf '%s' "$_sha" | base64 -w0),filename $(printf 'curl-%s.bin' "$1" | base64 -w0)"
	_t0=$(now_ns)
	_c=$(curl_as "$RS2" /v1/uploads -X POST -H 'Tus-Resumable: 1.0.0' \
		-H "Upload-Length: $UPBYTES" -H "Upload-Metadata: $_meta" \
		-D "$T/curl.hdrs" -o /dev/null -w '%{http_code}') || true
	_loc=$(tr -d '\r' <"$T/curl.hdrs" | sed -n 's/^[Ll]ocation: *//p')
	[ "$_c" = 201 ] && [ -n "$_loc" ] || die "curl: the creation answered $_c"
	_c=$(curl_as "$RS2" "$_loc" -X PATCH -H 'Tus-Resumable: 1.0.0' \
		-H 'Upload-Offset: 0' \
		-H 'Content-Type: application/offset+octet-stream' \
		--data-binary "@$_f" -o /dev/null -w '%{http_code}') || true
	_t1=$(now_ns)
	[ "$_c" = 204 ] || die "curl: the PATCH answered $_c"
	rm -f "$_f"
	_c=$(curl_as "$RS2" "/v1/blobs/$_sha" -I -o /dev/null -w '%{http_code}') || true
	[ "$_c" = 200 ] || die "curl: the exchange does not have the file after the upload ($_c)"
	_s=$(secs "$_t0" "$_t1")
	echo "$_s" >>"$T/up-curl"
	detail "upload $1, curl: $_s s (creation POST, one PATCH of $UPBYTES bytes with --data-binary)"
	say "upload $1: curl $_s s"
}
: >"$T/up-rcms"
: >"$T/up-curl"
say "upload: $ROUNDS x 2 documents of $UPMB MB, curl and rcms interleaved"
k=1
while [ "$k" -le "$ROUNDS" ]; do
	if [ $((k % 2)) = 1 ]; then
		curl_upload "$k"
		rcms_upload "$k"
	else
		rcms_upload "$k"
		curl_upload "$k"
	fi
	k=$((k + 1))
done
# MB/s over all the runs of each
up_rate() { awk -v b="$UPBYTES" '{ s += $1; n++ } END { if (s > 0) printf "%.1f", n * b / s / 1e6 }' "$1"; }
up_rcms=$(up_rate "$T/up-rcms")
up_curl=$(up_rate "$T/up-curl")

# ---- pull: the exchange holds NPULL applications to PK-MOI ----------------------

# batches DIR: DIR/batch-N.json of CPB cases each, 3 operations a case
# (case.create, submit, approve by a supervisor who did not create it),
# and DIR/list naming them; the ids are unique to this run's exchange
batches() {
	mkdir -p "$1"
	awk -v total="$NPULL" -v cpb="$CPB" -v dir="$1" \
		-v nonce="$(printf '%08x' "$(( $$ * 7919 % 4294967291 ))")" '
	function uuid(kind, n) {
		return sprintf("%s-%04x-4000-8000-%012x", nonce, kind, n)
	}
	BEGIN {
		ns = split("KHAN|AHMED|HUSSAIN|IQBAL|BUTT|CHAUDHRY|MALIK|RAZA", sur, "|")
		ng = split("MUHAMMAD|ALI|IMRAN|BILAL|USMAN|HAMZA|FAISAL|ZAIN", giv, "|")
		nf = split("FATIMA|AYESHA|SANA|HINA|MARYAM|ZAINAB", fem, "|")
		np = split("Lahore|Karachi|Faisalabad|Rawalpindi|Peshawar|Multan|Quetta|Sialkot", place, "|")
		n = 0
		b = 0
		while (n < total) {
			f = sprintf("%s/batch-%05d.json", dir, b++)
			print f > (dir "/list")
			printf "{\"ops\":[" > f
			for (k = 0; k < cpb && n < total; k++) {
				female = (n % 5 == 0)
				off = "officer" (1 + n % 4)
				printf "%s{\"op_id\":\"%s\",\"type\":\"case.create\"," \
				    "\"entity_id\":\"%s\",\"base_rev\":0," \
				    "\"actor\":\"%s\",\"fields\":{" \
				    "\"local_ref\":\"RS-MUP-W01-2026-B%07d\"," \
				    "\"requesting_agency\":\"RS-MUP\"," \
				    "\"created_by\":\"%s\"," \
				    "\"requested_agency\":\"PK-MOI\"," \
				    "\"agreement\":\"EU-PK-2010\"," \
				    "\"procedure\":\"normal\",\"evidence_basis\":\"proof\"," \
				    "\"surnames\":\"%s\",\"given_names\":\"%s\"," \
				    "\"sex\":\"%s\",\"civil_status\":\"single\"," \
				    "\"birth_date\":\"%04d-%02d-%02d\"," \
				    "\"birth_place\":\"%s\",\"birth_country\":\"PAK\"," \
				    "\"nationality\":\"PAK\",\"father_name\":\"Rashid\"," \
				    "\"mother_name\":\"Nasreen\",\"languages\":\"ur, en\"," \
				    "\"apprehension_place\":\"Presevo, border crossing\"," \
				    "\"apprehension_date\":\"2026-%02d-%02d\"," \
				    "\"documents\":[{\"id\":\"%s\",\"type\":\"passport\"," \
				    "\"number\":\"P%07d\",\"issuing_state\":\"PAK\"," \
				    "\"issue_date\":\"2019-03-01\"," \
				    "\"expiry_date\":\"2029-03-01\"," \
				    "\"is_copy\":false}]}}", \
				    k ? "," : "", uuid(1, n), uuid(2, n), off, n, off,
				    sur[1 + n % ns],
				    female ? fem[1 + n % nf] : giv[1 + n % ng],
				    female ? "F" : "M", 1960 + n % 45, 1 + n % 12,
				    1 + n % 28, place[1 + n % np],
				    1 + n % 10, 1 + n % 28, uuid(3, n), n > f
				printf ",{\"op_id\":\"%s\",\"type\":\"case.transition\"," \
				    "\"entity_id\":\"%s\",\"base_rev\":1,\"actor\":\"%s\"," \
				    "\"fields\":{\"action\":\"submit\",\"role\":\"officer\"," \
				    "\"from\":\"draft\",\"to\":\"awaiting_approval\"}}", \
				    uuid(4, n), uuid(2, n), off > f
				printf ",{\"op_id\":\"%s\",\"type\":\"case.transition\"," \
				    "\"entity_id\":\"%s\",\"base_rev\":2," \
				    "\"actor\":\"supervisor%d\",\"fields\":{" \
				    "\"action\":\"approve\",\"role\":\"supervisor\"," \
				    "\"from\":\"awaiting_approval\",\"to\":\"submitted\"}}", \
				    uuid(5, n), uuid(2, n), 1 + n % 2 > f
				n++
			}
			printf "]}" > f
			close(f)
		}
	}'
}

say "pull: writing $NPULL applications to PK-MOI ($((NPULL * 3)) operations)"
batches "$T/fill"
nb=$(wc -l <"$T/fill/list")
say "pull: pushing them in $nb batches over 2 connections (bench/tls_load)"
t0=$(now_ns)
timeout 1200 "$LOAD" --connect "127.0.0.1:$XPORT" --ca "$PKI/ca.pem" \
	--cert "$RS/cert.pem" --key "$RS/key.pem" -c 2 -t 1 -d 1000 \
	--timeout 120 --post-list "$T/fill/list" --count '"status":"applied"' \
	>"$T/fill.out" 2>"$T/fill.err" ||
	die "filling the exchange failed: $(tail -n 3 "$T/fill.err") $(cat "$T/fill.out")"
t1=$(now_ns)
filled=$(awk '$1 == "counted" { print $2 }' "$T/fill.out")
[ "${filled:-0}" -eq $((NPULL * 3)) ] ||
	die "pull: $filled of $((NPULL * 3)) operations were applied"
detail "fill: $filled operations applied in $(secs "$t0" "$t1") s"
rm -rf "$T/fill"

PKH=$T/pk
mkdir -p "$PKH"
chmod 700 "$PKH"
rcms_conf "$PKH"
RCMS_PASSWORD_FILE=$PW on_or_die "$PKH" init --agency PK-MOI --workstation W01 \
	--admin admin --admin-name "Admin PK-MOI" \
	--agreements "$ROOT/data/agreements.json" --exchange "$URL" --enroll "$PK"
RCMS_PASSWORD_FILE=$PW on_or_die "$PKH" login admin
say "pull: rcms sync on a fresh PK-MOI replica"
from=$(log_lines)
traced_sync "$PKH" pull
report_of pull
pulled=${R_RECEIVED:-0}
[ "$pulled" -eq "$NPULL" ] || die "pull: $pulled cases received, not $NPULL"
pages=$(log_count /v1/changes "$from")
t_start=$(trace_start pull)
t_first=$(trace_connect pull 1)
t_end=$(trace_end pull)
[ -n "$t_start" ] && [ -n "$t_end" ] || die "pull: the trace is incomplete"
pull_s=$(diff_s "$t_start" "$t_end")
detail "pull: $pages GET /v1/changes; start $t_start, first connect $t_first, end $t_end"
pull_rate=$(awk -v n="$pulled" -v s="$pull_s" 'BEGIN { if (s > 0) printf "%.0f", n / s }')
say "pull: $pulled cases in $pull_s s ($pull_rate records/s, $pages pages)"

# ---- idle: a sync with nothing to do ----------------------------------------------

on_or_die "$PKH" sync
grep -q '^pushed 0 .* received 0 cases' "$T/out" ||
	die "idle: the replica is not up to date: $(head -n 1 "$T/out")"
times=$T/idle-times
: >"$times"
if command -v hyperfine >/dev/null 2>&1; then
	tool=hyperfine
	say "idle: rcms sync, 3 warm-up runs, $RUNS runs (hyperfine)"
	RCMS_HOME=$PKH timeout 600 hyperfine -N --warmup 3 --runs "$RUNS" \
		--style none --export-json "$T/idle.json" "$RCMS sync" \
		>"$T/idle.hf" 2>&1 || die "idle: hyperfine failed: $(tail -n 3 "$T/idle.hf")"
	# the "times" array, one number a line, in seconds
	awk '/"times"/ { f = 1; next } f && /\]/ { f = 0 }
	     f { gsub(/[ ,]/, ""); if ($0 != "") print $0 * 1000 }' \
		"$T/idle.json" >"$times"
else
	tool="shell loop"
	say "idle: rcms sync, 3 warm-up runs, $RUNS runs (shell loop)"
	i=0
	while [ "$i" -lt $((RUNS + 3)) ]; do
		t0=$(now_ns)
		RCMS_HOME=$PKH timeout 60 "$RCMS" sync >/dev/null ||
			die "idle: rcms sync failed"
		t1=$(now_ns)
		[ "$i" -lt 3 ] || echo $(((t1 - t0) / 1000)) |
			awk '{ print $1 / 1000 }' >>"$times"
		i=$((i + 1))
	done
fi
# median and p95 (nearest rank) in ms
stats=$(sort -n "$times" | awk '{ v[NR] = $1 } END {
	if (NR == 0) { print "? ?"; exit }
	med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	r = int(0.95 * NR); if (r < 0.95 * NR) r++
	printf "%.1f %.1f\n", med, v[r] }')
idle_median=${stats% *}
idle_p95=${stats#* }
detail "idle ($tool, ms): $(tr '\n' ' ' <"$times")"
if [ "${RCMS_BENCH_PERF:-0}" = 1 ]; then
	traced_sync "$PKH" idle
fi
stop "$XPID"
XPID=
load1=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
detail "load average at the start $load0, at the end $load1"

# ---- the rows -------------------------------------------------------------------------

commify() {
	printf '%s' "$1" | awk '{ i = int($1 + 0.5); s = ""
		while (i >= 1000) { s = sprintf(",%03d", i % 1000) s
			i = int(i / 1000) }
		printf "%d%s", i, s }'
}
push_rate=$(awk -v n="$push_applied" -v s="$push_s" 'BEGIN { if (s > 0) printf "%.0f", n / s }')
up_pct=$(awk -v a="$up_rcms" -v b="$up_curl" 'BEGIN { if (b > 0) printf "%.0f", 100 * a / b }')
rows=$T/rows
{
	echo "| sync: pull-apply, $(commify "$NPULL") submitted cases into a fresh PK-MOI replica (\`rcms sync\`, whole process) | ≥ 50,000 records/s | $(commify "$pull_rate") records/s ($(commify "$pulled") in $pull_s s, $pages pages) |"
	echo "| sync: push, $(commify "$pending") pending case.create (bench/gen's RS-MUP replica), the push phase of \`rcms sync --times\` | ≥ 20,000 ops/s | $(commify "$push_rate") ops/s ($(commify "$push_applied") applied in $push_s s, $nposts batches) |"
	echo "| sync: the pull of that same sync (its own cases back), a replica with $(commify "$outbox_rows") outbox rows | ≥ 50,000 records/s | $(commify "$pb_rate") records/s ($(commify "$pb_cases") in $pb_s s$([ "$push_cut" = 0 ] || echo ", stopped after ${PULLBACK} s")) |"
	echo "| sync: upload of a $UPMB MB document (\`rcms sync\`), against curl (one tus PATCH) | ≥ 80 % of curl | $up_rcms MB/s against $up_curl MB/s ($up_pct %; $ROUNDS runs of each, interleaved; rcms timed from its first document request to the last answer) |"
	echo "| sync: \`rcms sync\` with nothing to do, median of $RUNS ($tool) | ≤ 20 ms | $idle_median ms |"
	echo "| sync: \`rcms sync\` with nothing to do, p95 | — | $idle_p95 ms |"
} >"$rows"
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
	echo "bench/sync.sh, $(date -u +%Y-%m-%d), commit $rev, $(nproc) CPUs;" \
		"exchange threads 4; load average $load0 at the start," \
		"$load1 at the end"
	echo
	echo "| metric | target | measured |"
	echo "|---|---|---|"
	cat "$rows"
} >"$B/bench-sync.md"
cat "$rows"
