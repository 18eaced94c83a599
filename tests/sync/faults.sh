#!/bin/sh
# faults.sh - faults on the workstation's side of sync, tested, not hoped
# for: then counted, nothing lost, nothing doubled.
#
# 1. The workstation killed: RS-MUP W01 holds 300 operations made offline
#    (100 cases opened, submitted, approved); `rcms sync` is started and
#    killed (-9) after a random delay, 20 times, then run to the end.  The
#    exchange's feed for PK-MOI holds each case once, at revision 3; the
#    outbox has every operation applied, once; nothing is left to send;
#    the database passes PRAGMA integrity_check; the audit log verifies.
#
# 2. Connections cut: RS-MUP W02 is enrolled through tests/sync/proxy.py,
#    a TCP proxy that cuts connections at random byte offsets (read its
#    header).  `rcms sync` runs again until it exits 0; every run before
#    that must exit 75 (offline: try again), never anything else.
#    (a) 20 cuts while 1,000 operations (250 cases: opened, a note,
#        submitted, approved) are pushed: requests cut on the way in,
#        answers cut on the way back (the exchange applied the batch, the
#        workstation never heard: it sends it again and gets duplicates).
#        Each case arrives once, at revision 3, with one note.
#    (b) 20 cuts while a 30 MiB attachment is uploaded (tus, 4 MiB parts):
#        the upload resumes from the exchange's offset, on the session it
#        began with, so the proxy forwards less than 1.5 times the file
#        (a restart would send the parts again); PK-MOI's `rcms sync`
#        downloads it and its SHA-256 is the file's.
#    (c) 20 cuts while PK-MOI W02, enrolled through the same proxy,
#        downloads that attachment (each connection cut 0.5 to 1 MiB in,
#        with a FIN, so that what the proxy forwarded is what arrived):
#        the download asks for the rest only (Range), so the proxy
#        forwards less than 1.25 times the file (a restart would forward
#        at least 0.5 MiB a cut more: 1.33 times), no part is left behind,
#        and the SHA-256 is the file's.
#
# 3. The feed read ahead (a page read on a second thread while the one
#    before it is applied): PK-MOI W03 pulls PK's 350 cases in pages of 25
#    through the proxy, its answers cut 20 times; W04 in pages of 10,
#    killed (-9) 12 times.  Both end with every case once, at PK's
#    revision, indexed once, the cursor where PK's is, nothing more to
#    pull.
#
# FAULTS_SEED=N repeats a run's random choices (printed at the start).
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
_F_tmp_given=${TMPROOT:+yes}
. "$ROOT/tests/sync/lib.sh"

KILLS=20
KILL_CASES=100          # 3 operations each
CUTS=20
PUSH_CASES=250          # 4 operations each
BIG=$((30 * 1024 * 1024))

SEED=${FAULTS_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# seed $SEED (FAULTS_SEED=$SEED repeats the kill delays and the cut points)"
RNG=$((SEED % 2147483648))

# rnd N: R is a number from 0 to N - 1 (N at most 32768), from the seed.
rnd() {
	RNG=$(((RNG * 1103515245 + 12345) % 2147483648))
	R=$(((RNG / 65536) % $1))
}

# ms N: N milliseconds as seconds for sleep(1).
ms() {
	printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
}

# now_ms: wall clock, milliseconds.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# xdb QUERY: on the exchange's database (WAL lets a reader in).
xdb() {
	sqlite3 -batch -cmd '.timeout 5000' "$XDATA/exchange.db" "$1"
}

# ---- the proxy ----------------------------------------------------------------

PXPID=""
PXPORT=0
SPID=""
PXSTATS=$TMPROOT/proxy.stats

# Ours only, by process id: the proxy, a sync left running, the exchange.
f_cleanup() {
	[ -z "$SPID" ] || { kill -9 "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; }
	[ -z "$PXPID" ] || { kill -9 "$PXPID" 2>/dev/null; wait "$PXPID" 2>/dev/null; }
	xcleanup
}
if [ -n "$_F_tmp_given" ]; then
	trap 'f_cleanup' EXIT
else
	trap 'f_cleanup; rm -rf "$TMPROOT"' EXIT
fi

# proxy_start ARGS...: the proxy in front of the exchange, on the port it
# had before (if any), so that an enrolled address stays good.
proxy_start() {
	rm -f "$TMPROOT/proxy.port"
	echo "--- proxy start: $*" >>"$TMPROOT/proxy.log"
	python3 "$ROOT/tests/sync/proxy.py" --upstream "127.0.0.1:$PORT" \
		--listen "127.0.0.1:$PXPORT" --port-file "$TMPROOT/proxy.port" \
		--stats "$PXSTATS" --log "$TMPROOT/proxy.log" "$@" \
		2>>"$TMPROOT/proxy.err" 3>&- 4<&- &
	PXPID=$!
	_F_i=0
	while [ ! -s "$TMPROOT/proxy.port" ]; do
		if ! kill -0 "$PXPID" 2>/dev/null || [ $_F_i -ge 100 ]; then
			echo "FAIL: setup — the proxy did not start"
			sed 's/^/    /' "$TMPROOT/proxy.err"
			exit 1
		fi
		sleep 0.1
		_F_i=$((_F_i + 1))
	done
	PXPORT=$(cat "$TMPROOT/proxy.port")
}

# proxy_stop: SIGTERM (the proxy writes its statistics and exits).
proxy_stop() {
	[ -n "$PXPID" ] || return 0
	kill -TERM "$PXPID" 2>/dev/null
	wait "$PXPID" 2>/dev/null
	PXPID=""
}

# pstat KEY: a number from the proxy's statistics.
pstat() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
		"$PXSTATS" "$1" 3>&- 4<&-
}

# ---- cases made offline -------------------------------------------------------

# name_of N: a name for case N (names take letters only): 107 -> Kbaj.
name_of() {
	echo "K$1" | tr 0-9 a-j
}

# worker HOME FROM TO NOTE FILE: cases FROM..TO on the replica in HOME:
# ana opens each (a passport), adds a note (if NOTE is yes) and submits it,
# marko approves it.  Failures and stderr go to FILE.  The commands log in
# each by itself (RCMS_USER), so that two workers can share a replica;
# leak checks are off for these many setup commands (tests/cli covers
# them), which saves a quarter of their time.
worker() {
	_w_i=$2
	while [ "$_w_i" -le "$3" ]; do
		_w_ref=$(RCMS_HOME=$1 RCMS_USER=ana RCMS_PASSWORD_FILE="$PW/ana" \
			ASAN_OPTIONS=detect_leaks=0 "$RCMS" case new \
			surnames=Fault given_names="Imran $(name_of "$_w_i")" \
			sex=M birth_date=1990-03-04 nationality=PAK \
			requested_agency=PK-MOI evidence_basis=proof \
			--doc "type=passport,number=AB$((1000000 + _w_i)),issuing_state=PAK" \
			2>>"$5") || echo "FAILED: case new #$_w_i" >>"$5"
		if [ "$4" = yes ]; then
			RCMS_HOME=$1 RCMS_USER=ana RCMS_PASSWORD_FILE="$PW/ana" \
				ASAN_OPTIONS=detect_leaks=0 "$RCMS" note add \
				"$_w_ref" "Apprehended at the border, case $_w_i." \
				>/dev/null 2>>"$5" ||
				echo "FAILED: note add #$_w_i" >>"$5"
		fi
		RCMS_HOME=$1 RCMS_USER=ana RCMS_PASSWORD_FILE="$PW/ana" \
			ASAN_OPTIONS=detect_leaks=0 "$RCMS" case submit "$_w_ref" \
			>/dev/null 2>>"$5" || echo "FAILED: case submit #$_w_i" >>"$5"
		RCMS_HOME=$1 RCMS_USER=marko RCMS_PASSWORD_FILE="$PW/marko" \
			ASAN_OPTIONS=detect_leaks=0 "$RCMS" case approve "$_w_ref" \
			>/dev/null 2>>"$5" || echo "FAILED: case approve #$_w_i" >>"$5"
		_w_i=$((_w_i + 1))
	done
}

# make_cases NAME N NOTE: N cases on replica NAME, by two workers.
make_cases() {
	_m_t0=$(now_ms)
	_m_h=$TMPROOT/$1
	_m_half=$(($2 / 2))
	: >"$T/make.1"
	: >"$T/make.2"
	worker "$_m_h" 1 "$_m_half" "$3" "$T/make.1" 3>&- 4<&- &
	_m_p1=$!
	worker "$_m_h" $((_m_half + 1)) "$2" "$3" "$T/make.2" 3>&- 4<&- &
	_m_p2=$!
	wait "$_m_p1"
	wait "$_m_p2"
	# the cases are one name apart: case new names the earlier ones
	# (rcms(1), FINDING PEOPLE), which is no error
	cat "$T/make.1" "$T/make.2" |
		grep -v '^rcms: possible earlier case of this person: ' \
			>"$T/make.err"
	echo "# $1: $2 cases made in $(($(now_ms) - _m_t0)) ms"
	check "$1: $2 cases opened, submitted and approved offline" \
		"$(grep -c . "$T/make.err") lines of errors: $(head -n 5 "$T/make.err" | tr '\n' '|')" \
		[ ! -s "$T/make.err" ]
}

# ---- the checks after each fault ---------------------------------------------

# outbox_intact NAME N PER: `rcms outbox --format json` on replica NAME
# lists N operations of cases (the accounts' aside), each once, all
# applied, PER a case.
outbox_intact() {
	# as the officer: the outbox holds case data, which an administrator
	# does not consult (rcms roles)
	at "$1" ana
	run "$RCMS" outbox --format json
	check "$1: rcms outbox: all $2 operations applied, each once, $3 a case" \
		"outbox: $(python3 -c 'import collections,json,sys
d = [o for o in json.load(open(sys.argv[1]))
     if not o["type"].startswith("user.")]
print(len(d), "ops,", len({o["op_id"] for o in d}), "ids,",
      dict(collections.Counter(o["state"] for o in d)), "states,",
      dict(collections.Counter(collections.Counter(o["entity_id"] for o in d).values())),
      "ops a case")' "$OUT" 3>&- 4<&- 2>&1)" \
		py_json "
import collections
# the accounts' operations (the agency directory) are not the cases'
data = [o for o in data if not o['type'].startswith('user.')]
assert len(data) == $2, len(data)
assert len({o['op_id'] for o in data}) == $2
assert all(o['state'] == 'applied' for o in data)
assert set(collections.Counter(o['entity_id'] for o in data).values()) == {$3}"
	check "$1: sync status: 0 operations to send" "'$(outbox_pending)' to send" \
		[ "$(outbox_pending)" = 0 ]
	run "$RCMS" sync status
	check "$1: sync status: nothing refused" "got: $(tr '\n' '|' <"$OUT")" \
		grep -q '^refused, to see to  *0$' "$OUT"
}

# exactly_once NAME WS NOTES N: the N cases replica NAME opened (as
# workstation WS), each once in PK-MOI's feed on the exchange, submitted,
# at revision 3, with one document and NOTES notes, with the final
# reference the replica has; and the exchange stored one result for each
# of the replica's operations.
exactly_once() {
	at "$1"
	sql "SELECT id, final_ref FROM cases WHERE local_ref LIKE 'RS-MUP-$2-%'" |
		tr '|' ' ' >"$T/refs.$1"
	cut -d ' ' -f 1 "$T/refs.$1" >"$T/ids.$1"
	_e_n=$(grep -c . "$T/ids.$1")
	_e_ops=$(sql "SELECT count(*) FROM outbox")
	check "$1: holds the $4 cases it opened" "it has $_e_n" [ "$_e_n" = "$4" ]
	if feed PK-MOI/W01; then
		expect "$1: the exchange's feed for PK: each of the $_e_n cases once, submitted, rev 3, 1 document, $3 note(s)" "
(lambda ids: len(ids) == $_e_n and
 sorted(c['case']['id'] for c in data['changes']
        if c['case']['id'] in ids) == sorted(ids) and
 all(feed[i]['status'] == 'submitted' and feed[i]['rev'] == 3 and
     len(feed[i]['documents']) == 1 and len(feed[i]['notes']) == $3
     for i in ids))(set(open('$T/ids.$1').read().split()))"
		expect "$1: each case has the final reference the exchange gave it, each its own" "
(lambda refs: len(refs) == $_e_n and len(set(refs.values())) == $_e_n and
 all(feed[i]['final_ref'] == r for i, r in refs.items()))(
  dict(l.split() for l in open('$T/refs.$1') if l.strip()))"
	else
		fail "$1: the exchange's feed for PK" "it did not answer 200"
	fi
	_e_x=$(xdb "SELECT count(*) FROM ops WHERE agency = 'RS-MUP' AND workstation = '$2'")
	check "$1: the exchange holds one result for each of the $_e_ops operations" \
		"the exchange has $_e_x for RS-MUP $2" [ "$_e_x" = "$_e_ops" ]
}

# sound NAME: the database and the audit log of replica NAME.
sound() {
	at "$1"
	_s_ic=$(sql "PRAGMA integrity_check")
	check "$1: PRAGMA integrity_check is ok" "it says: $_s_ic" [ "$_s_ic" = ok ]
	ok_has "$1: audit verify" "audit log intact" "$RCMS" audit verify
}

sync_setup

# sync_killed_after MS WHAT: `rcms sync` on the current replica, killed
# (-9) MS milliseconds after it started; KRC is its exit status (137 when
# the kill landed), and a run that had ended before must have exited 0.
sync_killed_after() {
	"$RCMS" sync >"$T/kill.out" 2>"$T/kill.err" 3>&- 4<&- &
	SPID=$!
	sleep "$(ms "$1")"
	kill -9 "$SPID" 2>/dev/null
	wait "$SPID"
	KRC=$?
	SPID=""
	[ $KRC -ne 137 ] || return 0
	cp "$T/kill.err" "$ERR"
	cp "$T/kill.out" "$OUT"
	RC=$KRC
	if sanitizer_report || [ $KRC -ne 0 ]; then
		fail "$2: a run that ended before the kill exits 0" "exit $KRC"
	fi
}

# ---- 1. the workstation killed during sync, 20 times --------------------------

at RS
make_cases RS $KILL_CASES no
OPS=$((3 * KILL_CASES))
check "RS: $OPS operations to send" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" = "$OPS" ]

# A sync of the 300 operations takes about 0.5 s under ASan: the batch is
# in the exchange at 0.35 s, its answers in the outbox 30 ms later, the
# feed after that; one with nothing to send about 0.1 s.  Kill k comes
# after a delay drawn from 0 to 40k ms: the first ones land in the start
# and the push (the exchange may apply a batch whose sender is dead: the
# next run gets duplicates), the later ones in the answers, the pull, or
# after the end.
killed=0
dups=0
k=1
while [ $k -le $KILLS ]; do
	rnd $((40 * k + 1))
	d=$R
	sync_killed_after "$d" "kill round $k"
	if [ $KRC -eq 137 ]; then
		killed=$((killed + 1))
	else
		_d=$(sed -n 's/.* applied, \([0-9][0-9]*\) duplicate.*/\1/p' "$OUT")
		dups=$((dups + ${_d:-0}))
	fi
	pend=$(sql "SELECT count(*) FROM outbox WHERE state = 'pending'")
	xops=$(xdb "SELECT count(*) FROM ops WHERE workstation = 'W01' AND agency = 'RS-MUP'")
	echo "# kill $k after $d ms: exit $KRC; $pend to send; the exchange holds $xops"
	k=$((k + 1))
done
check "RS: of $KILLS kills, some landed while rcms sync was running ($killed)" \
	"every run had ended before its kill" [ $killed -gt 0 ]

synced RS "to the end, after the kills"
_d=$(sed -n 's/.* applied, \([0-9][0-9]*\) duplicate.*/\1/p' "$OUT")
dups=$((dups + ${_d:-0}))
echo "# $dups operations came back as duplicates: sent again after a kill had cut the answer off"
outbox_intact RS $OPS 3
exactly_once RS W01 0 $KILL_CASES
sound RS
at PK
synced PK "receives RS's cases"
check "PK: holds the $KILL_CASES cases, each once" \
	"$(sql "SELECT count(*), count(DISTINCT id), count(DISTINCT final_ref) FROM cases")" \
	[ "$(sql "SELECT count(*) || ' ' || count(DISTINCT final_ref) FROM cases")" = "$KILL_CASES $KILL_CASES" ]

# ---- 2. connections cut: the replica behind the proxy ---------------------------

# enroll_via_proxy NAME BUNDLE: the current replica NAME enrolled at the
# proxy's address (started, nothing cut; left running).
enroll_via_proxy() {
	proxy_start --cuts 0
	run "$RCMS" enroll --exchange "https://localhost:$PXPORT" \
		--bundle "$PKI/bundles/$2"
	if [ "$RC" -ne 0 ] || sanitizer_report; then
		fail "setup: enroll $1 through the proxy" "exit $RC"
		exit 1
	fi
}

replica CX RS-MUP W02
add_user ana officer
add_user marko supervisor
enroll_via_proxy CX RS-MUP-W02
synced CX "through the proxy, nothing cut"
proxy_stop
check "the proxy forwards: $(pstat connections) connection(s), $(pstat down_bytes) bytes back" \
	"nothing came through" [ "$(pstat down_bytes)" -gt 0 ]

# sync_until_done WHAT: `rcms sync` on the current replica until it exits
# 0, at most 60 runs or 100 s; RUNS counts them, BAD lists the runs that
# exited with anything but 75 or left a sanitizer report, DUPS adds up
# the duplicates they report.
sync_until_done() {
	RUNS=0
	BAD=""
	DUPS=0
	_u_t0=$(now_ms)
	while :; do
		RUNS=$((RUNS + 1))
		run "$RCMS" sync
		_u_d=$(sed -n 's/.* applied, \([0-9][0-9]*\) duplicate.*/\1/p' "$OUT")
		DUPS=$((DUPS + ${_u_d:-0}))
		if sanitizer_report; then
			BAD="$BAD run$RUNS:sanitizer"
			sed 's/^/    stderr: /' "$ERR" | head -n 20
		fi
		[ "$RC" -eq 0 ] && break
		if [ "$RC" -ne 75 ]; then
			BAD="$BAD run$RUNS:exit-$RC"
			sed 's/^/    stderr: /' "$ERR" | head -n 3
		fi
		if [ $RUNS -ge 60 ] || [ $(($(now_ms) - _u_t0)) -ge 100000 ]; then
			break
		fi
	done
	echo "# $1: $RUNS runs in $(($(now_ms) - _u_t0)) ms, the last exit $RC; $DUPS duplicates reported"
	check "${RCMS_HOME##*/}: rcms sync gets through in the end ($1)" \
		"the last of $RUNS runs exited $RC" [ "$RC" -eq 0 ]
	check "${RCMS_HOME##*/}: every interrupted run exited 75 ($1)" "runs:$BAD" [ -z "$BAD" ]
}

# ---- 2a. 20 cuts during a push of 1,000 operations ------------------------------

make_cases CX $PUSH_CASES yes
OPS=$((4 * PUSH_CASES))
check "CX: $OPS operations to send" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" = "$OPS" ]

# The 1,000 go as two batches of 500, each about 186 kB in and 61 kB back,
# on one connection (a sync keeps its connection: the second batch follows
# the first's answer on it).  Every connection is cut at a random offset
# of its first request or of its first answer (the TLS handshake
# included), until the 20 cuts are used up: two cuts, then an answer cut
# after the exchange applied the batch (what goes again comes back as
# duplicates), and so on.  Each run retries on a new connection (twice)
# before it gives up with 75.
proxy_start --cuts $CUTS --up 1:150000 --down 1:50000 \
	--pattern xxr --seed "$SEED"
sync_until_done "1,000 operations, $CUTS cuts"
proxy_stop
check "the proxy cut $CUTS connections during the push" \
	"it cut $(pstat cuts) ($(pstat cuts_up) requests, $(pstat cuts_down) answers, $(pstat cuts_answer) answers after the work)" \
	[ "$(pstat cuts)" -eq $CUTS ]
echo "# cuts: $(pstat cuts_up) in requests, $(pstat cuts_down) in answers, $(pstat cuts_answer) answers after the work; $(pstat connections) connections"
check "CX: answers were lost, and what went again came back as duplicates" \
	"$DUPS duplicates reported" [ "$DUPS" -gt 0 ]
outbox_intact CX $OPS 4
exactly_once CX W02 1 $PUSH_CASES
sound CX

# PY, a second PK-MOI workstation behind the proxy, up to date before the
# attachment exists: its download below is the only big answer.
if ! issue PK-MOI/W02; then
	fail "setup: a certificate for PK-MOI/W02" "see $TMPROOT/pki.log"
	exit 1
fi
replica PY PK-MOI W02
enroll_via_proxy PY PK-MOI-W02
synced PY "through the proxy, nothing cut"
proxy_stop

# ---- 2b. 20 cuts during the upload of a 30 MiB attachment ------------------------

head -c $BIG /dev/urandom >"$T/big.bin"
SHA=$(sha256sum "$T/big.bin" | cut -d ' ' -f 1)
at CX ana
REF=$(sql "SELECT local_ref FROM cases WHERE status = 'submitted'
	AND local_ref LIKE 'RS-MUP-W02-%' ORDER BY local_ref LIMIT 1")
CID=$(sql "SELECT id FROM cases WHERE local_ref = '$REF'")
ok "CX: attach a 30 MiB scan to the submitted case $REF" \
	"$RCMS" attach "$REF" "$T/big.bin" --kind scan

# Cut points 64 to 512 KiB into a connection's upload: only the parts
# (PATCH, 4 MiB) go that far.  Two cuts in a part, then one whose answer
# is cut after the exchange stored it: six parts of the eight go in
# during the 20 cuts, the last two after.  Resumed, each cut costs what
# went of its part; restarted, it would cost every part before it too.
proxy_start --cuts $CUTS --up 65536:524288 --pattern xxr --seed "$SEED"
sync_until_done "a 30 MiB upload, $CUTS cuts"
proxy_stop
UP=$(pstat up_bytes)
echo "# upload: the proxy forwarded $UP bytes upstream for a file of $BIG bytes ($((UP * 100 / BIG))%); $(pstat cuts) cuts, $(pstat cuts_answer) of them answers after the work"
check "the proxy cut $CUTS connections during the upload" \
	"it cut $(pstat cuts)" [ "$(pstat cuts)" -eq $CUTS ]
check "the upload resumed: the proxy forwarded less than 1.5 times the file" \
	"$UP bytes upstream for $BIG" [ "$UP" -lt $((BIG * 3 / 2)) ]
check "the upload resumed on the session it began with (one tus upload)" \
	"the exchange has $(xdb "SELECT count(*) FROM uploads WHERE sha256 = '$SHA'") upload sessions for it" \
	[ "$(xdb "SELECT count(*) || '/' || sum(done) FROM uploads WHERE sha256 = '$SHA'")" = 1/1 ]
req RS-MUP/W01 HEAD "/v1/blobs/$SHA" -I
check "the exchange has the blob" "HTTP $HTTP" [ "$HTTP" = 200 ]
check "CX: the blob is marked sent" \
	"$(sql "SELECT uploaded, upload_url FROM blobs WHERE sha256 = '$SHA'")" \
	[ "$(sql "SELECT uploaded FROM blobs WHERE sha256 = '$SHA'")" = 1 ]
outbox_intact CX $((OPS + 1)) "4, 5"

at PK
synced PK "downloads the attachment"
check "PK: the sync received the document" "printed '$(head -n 1 "$OUT")'" \
	grep -q "1 received ($BIG bytes)" "$OUT"
PKBLOB=$TMPROOT/PK/blobs/$(echo "$SHA" | cut -c 1-2)/$SHA
GOT=$(sha256sum "$PKBLOB" 2>/dev/null | cut -d ' ' -f 1)
check "PK: the downloaded attachment's SHA-256 is the file's" \
	"got '$GOT', the file's '$SHA'" [ "$GOT" = "$SHA" ]
at PK omar
ok "PK: attachments of the case" "$RCMS" attachments "$(sql "SELECT final_ref FROM cases WHERE id = '$CID'")" --format json
check "PK: the attachment is listed with its hash and size" "got: $(cat "$OUT")" \
	py_json "assert [(a['sha256'], a['size']) for a in data] == [('$SHA', $BIG)], data"
# ---- 2c. cuts during the download of that attachment ------------------------------

at PY
proxy_start --cuts $CUTS --down 524288:1048576 --pattern f --seed "$SEED"
sync_until_done "a 30 MiB download, cut 0.5 to 1 MiB into each connection"
proxy_stop
DOWN=$(pstat down_bytes)
echo "# download: the proxy forwarded $DOWN bytes for a file of $BIG bytes ($((DOWN * 100 / BIG))%); $(pstat cuts) cuts"
check "the proxy cut the download $CUTS times" \
	"it cut $(pstat cuts)" [ "$(pstat cuts)" -eq $CUTS ]
check "the download resumed: the proxy forwarded less than 1.25 times the file" \
	"$DOWN bytes for $BIG" [ "$DOWN" -lt $((BIG * 5 / 4)) ]
PYBLOB=$TMPROOT/PY/blobs/$(echo "$SHA" | cut -c 1-2)/$SHA
GOT=$(sha256sum "$PYBLOB" 2>/dev/null | cut -d ' ' -f 1)
check "PY: the downloaded attachment's SHA-256 is the file's" \
	"got '$GOT', the file's '$SHA'" [ "$GOT" = "$SHA" ]
check "PY: no part of a download is left behind" \
	"$(ls "$TMPROOT/PY/blobs" | grep part)" \
	sh -c "! ls '$TMPROOT/PY/blobs' | grep -q '[.]part\$'"

# a part nobody continues (its case purged, say) goes after a day; one
# touched lately may be another sync's and stays
STALE=$TMPROOT/PY/blobs/dl-$(printf '%064d' 7).part
FRESH=$TMPROOT/PY/blobs/dl-$(printf '%064d' 8).part
printf 'personal data' >"$STALE"
printf 'personal data' >"$FRESH"
printf 'personal data' >"$TMPROOT/PY/blobs/dl.AbC123"
touch -d '2 days ago' "$STALE" "$TMPROOT/PY/blobs/dl.AbC123"
proxy_start --cuts 0
synced PY "with parts nobody continues"
proxy_stop
check "PY: a part untouched for two days is gone" \
	"$(ls "$TMPROOT/PY/blobs" | tr '\n' ' ')" [ ! -e "$STALE" ]
check "PY: an old temporary file of an earlier version is gone" \
	"$(ls "$TMPROOT/PY/blobs" | tr '\n' ' ')" \
	[ ! -e "$TMPROOT/PY/blobs/dl.AbC123" ]
check "PY: a part touched lately stays" "it went" [ -e "$FRESH" ]
rm -f "$FRESH"

# ---- 3. the feed read ahead, cut and killed ---------------------------------------
#
# A pull reads page N+1 on a second thread and asks for page N+2 while
# page N is applied (sync/pull.c).  Two more PK-MOI workstations pull
# PK's 350 cases in small pages (rcms.conf sync_page): PZ through the
# proxy, its answers cut 20 times at random offsets; PW killed (-9) at
# random moments 12 times.  Each ends with every case PK has, each once,
# at PK's revision, indexed for the search once, the cursor where PK's
# is, and nothing more to pull.

# pulled_all NAME: replica NAME holds what PK holds, each case once.
pulled_all() {
	at PK
	sql "SELECT id || ' ' || rev FROM cases ORDER BY id" >"$T/pk.cases"
	_p_cur=$(sql "SELECT value FROM meta WHERE key = 'sync.cursor'")
	at "$1"
	sql "SELECT id || ' ' || rev FROM cases ORDER BY id" >"$T/$1.cases"
	check "$1: holds PK's $(grep -c . "$T/pk.cases") cases, each once, at PK's revisions" \
		"$(diff "$T/pk.cases" "$T/$1.cases" | head -n 4 | tr '\n' '|')" \
		cmp -s "$T/pk.cases" "$T/$1.cases"
	check "$1: each case indexed for the search once" \
		"$(sql "SELECT count(*), count(DISTINCT case_id) FROM search_persons") persons for $(grep -c . "$T/$1.cases") cases" \
		[ "$(sql "SELECT count(*) || ' ' || count(DISTINCT case_id) FROM search_persons")" = "$(grep -c . "$T/$1.cases") $(grep -c . "$T/$1.cases")" ]
	check "$1: the search index is sound (FTS5 integrity-check)" \
		"$(sql "INSERT INTO search_fts(search_fts) VALUES('integrity-check')" 2>&1)" \
		sh -c "sqlite3 -batch '$RCMS_HOME/rcms.db' \"INSERT INTO search_fts(search_fts) VALUES('integrity-check')\" 3>&- 4<&-"
	check "$1: the cursor is where PK's is" \
		"$(sql "SELECT value FROM meta WHERE key = 'sync.cursor'") and $_p_cur" \
		[ "$(sql "SELECT value FROM meta WHERE key = 'sync.cursor'")" = "$_p_cur" ]
	ok_has "$1: a sync after that receives nothing" "received 0 cases" \
		"$RCMS" sync
	sound "$1"
}

for _w in W03 W04; do
	if ! issue PK-MOI/$_w; then
		fail "setup: a certificate for PK-MOI/$_w" "see $TMPROOT/pki.log"
		exit 1
	fi
done
synced PK "up to date before the others pull"

replica PZ PK-MOI W03
echo 'sync_page = 25' >>"$RCMS_HOME/rcms.conf"
enroll_via_proxy PZ PK-MOI-W03
proxy_stop
# pages of 25 cases are about 50 kB: each connection (one carries a whole
# sync) is cut somewhere in the first 400 kB of its answers, the
# handshake included, so in the middle of the pages read ahead, until
# the 20 cuts are used up
proxy_start --cuts $CUTS --down 1:400000 --pattern x --seed "$SEED"
sync_until_done "PK's cases in pages of 25, $CUTS cuts"
proxy_stop
check "the proxy cut the pull $CUTS times" "it cut $(pstat cuts)" \
	[ "$(pstat cuts)" -eq $CUTS ]
proxy_start --cuts 0
pulled_all PZ
proxy_stop

replica PW PK-MOI W04
cp "$RCMS_HOME/rcms.conf" "$T/rcms.conf"
echo 'sync_page = 5' >>"$RCMS_HOME/rcms.conf"
fails "PW: rcms.conf's sync_page below 10 is refused" 78 \
	"sync_page must be a whole number from 10 to 500" "$RCMS" sync status
cp "$T/rcms.conf" "$RCMS_HOME/rcms.conf"
echo 'sync_page = 10' >>"$RCMS_HOME/rcms.conf"
enroll PW
at PW
killed=0
k=1
while [ $k -le 12 ]; do
	rnd $((60 * k + 1))
	d=$R
	sync_killed_after "$d" "PW kill round $k"
	[ $KRC -ne 137 ] || killed=$((killed + 1))
	echo "# PW kill $k after $d ms: exit $KRC; $(sql "SELECT count(*) FROM cases") cases"
	k=$((k + 1))
done
check "PW: of 12 kills, some landed while rcms sync was pulling ($killed)" \
	"every run had ended before its kill" [ $killed -gt 0 ]
synced PW "to the end, after the kills"
pulled_all PW

sound CX
sound PK
sound PY

xstop
summary
