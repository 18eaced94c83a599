#!/bin/sh
# faults.sh - faults tested, not hoped for: the exchange killed (-9)
# during a push of 500 operations, five times, restarted on the same
# data each time and the same batch pushed again; then counted:
# every op applied exactly once, nothing lost, nothing doubled, the
# database intact.  And a SIGTERM with a request in flight: the request
# completes, new connections are refused, the exchange exits 0.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/exchange/lib.sh"

RS='RS-MUP/W01'
N=500
ROUNDS=5
DB=$XDATA/exchange.db

xsetup

# db QUERY: on the exchange's database (the exchange stopped or running:
# WAL lets a reader in).
db() {
	sqlite3 -batch -cmd '.timeout 5000' "$DB" "$1"
}

# random N: a number from 0 to N - 1.
random() {
	echo $(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1))
}

# bg_push FILE OUT [CURL ARGS...]: push FILE in the background (answer in
# OUT, status in OUT.code); CPID is curl's process.
bg_push() {
	_b=$(bundle $RS)
	_f=$1
	_o=$2
	shift 2
	curl -sS --max-time 120 --cacert "$PKI/ca.pem" --cert "$_b/cert.pem" \
		--key "$_b/key.pem" -H 'Content-Type: application/json' \
		--data-binary @"$_f" -o "$_o" -w '%{http_code}' "$@" \
		"$URL/v1/ops" >"$_o.code" 2>"$_o.err" 3>&- 4<&- &
	CPID=$!
}

mkops "$T/batch.json" "[case_create(uuid7(), surnames='FAULT', given_names='K' + chr(65 + i % 26)) for i in range($N)]"
cp "$T/batch.json" "$T/b500.json"

# ---- kill -9 during the push, five times --------------------------------------

# A batch is one transaction at the exchange: a kill while it is being
# applied leaves none of it, a kill after the commit all of it -- never
# a part.  Each round kills at a random moment while the push is in flight.
inflight=0
round=1
while [ $round -le $ROUNDS ]; do
	xstart
	stored=$( [ -f "$DB" ] && db "SELECT count(*) FROM ops" || echo 0)
	bg_push "$T/b500.json" "$T/bg.out"
	sleep "0.$(printf '%03d' $(random 60))"
	was_running=0
	kill -0 "$CPID" 2>/dev/null && was_running=1
	xkill
	wait "$CPID" 2>/dev/null
	ops=$(db "SELECT count(*) FROM ops")
	cases=$(db "SELECT count(*) FROM cases")
	docs=$(db "SELECT count(*) FROM children")
	if [ $was_running = 1 ] && [ "$ops" = "$stored" ]; then
		inflight=$((inflight + 1))
	fi
	echo "# round $round: killed with the push in flight: $was_running; $ops of $N ops stored ($stored before)"
	check "round $round: no half batch after kill -9 ($ops stored, $stored before)" \
		"part of a batch was kept" \
		[ "$ops" = "$stored" -o "$ops" = "$N" ]
	check "round $round: after kill -9, as many cases as stored op results ($cases = $ops)" \
		"no half-applied op" [ "$cases" = "$ops" ]
	check "round $round: one document a case ($docs = $cases)" \
		"documents without their case, or twice" [ "$docs" = "$cases" ]
	ic=$(db "PRAGMA integrity_check")
	check "round $round: PRAGMA integrity_check is ok" "it says: $ic" \
		[ "$ic" = ok ]
	round=$((round + 1))
done
check "a kill landed while a batch was being applied ($inflight of $ROUNDS rounds), and left none of it" \
	"every kill came before the request or after its commit" [ $inflight -ge 1 ]

# ---- the same batch once more, to the end --------------------------------------

before=$(db "SELECT count(*) FROM ops")
xstart
push_file $RS "$T/b500.json"
expect "the retried batch completes: every op applied or duplicate" \
	"http == 200 and len(r) == $N
	 and all(x['status'] in ('applied', 'duplicate') for x in r)
	 and [x['op_id'] for x in r]
	     == [o['op_id'] for o in json.load(open('$T/b500.json'))['ops']]"
expect "the ops stored before the kills come back as duplicates ($before)" \
	"sum(x['status'] == 'duplicate' for x in r) == $before
	 and sum(x['status'] == 'applied' for x in r) == $N - $before"
feed $RS
expect "RS's feed: exactly the $N cases, each once, each at rev 1, one document each" \
	"len(data['changes']) == $N and len(feed) == $N
	 and set(feed) == {o['entity_id'] for o in json.load(open('$T/b500.json'))['ops']}
	 and all(c['rev'] == 1 and len(c['documents']) == 1 for c in feed.values())"
push_file $RS "$T/b500.json"
expect "once more: all $N duplicates, the same rev and seq as stored" \
	"http == 200 and all(x['status'] == 'duplicate' for x in r)
	 and len({x['seq'] for x in r}) == $N"
xstop "the exchange stops after the kills"
check "the database: $N cases, $N op results, $N documents" "$(db "SELECT count(*) FROM cases"), $(db "SELECT count(*) FROM ops"), $(db "SELECT count(*) FROM children")" \
	[ "$(db "SELECT count(*) FROM cases") $(db "SELECT count(*) FROM ops") $(db "SELECT count(*) FROM children")" = "$N $N $N" ]
ic=$(db "PRAGMA integrity_check")
check "PRAGMA integrity_check is ok at the end" "it says: $ic" [ "$ic" = ok ]

# ---- SIGTERM with a request in flight -------------------------------------------

# A second batch, sent slowly (100 KB/s: its 330 KB take about 3 s), so
# that the SIGTERM arrives while the body is still coming in.
mkops "$T/term.json" "[case_create(uuid7(), surnames='TERM', given_names='K' + chr(65 + i % 26)) for i in range($N)]"
xstart
bg_push "$T/term.json" "$T/term.out" --limit-rate 100K
sleep 1
kill -TERM "$XPID"
sleep 0.3
# (A new connection is not refused at once but hangs until the exchange
# exits: server.c leaves open the listening socket that
# MHD_quiesce_daemon hands back.  Reported; checked here is only that
# no new request is served.)
req - GET /v1/health --max-time 5
expect "after SIGTERM: a new request is not served" 'http == 0'
if wait "$CPID"; then crc=0; else crc=$?; fi
HTTP=$(cat "$T/term.out.code")
CURLRC=$crc
cp "$T/term.out" "$OUT"
expect "the request in flight at SIGTERM completes: 200, $N applied" \
	"http == 200 and [x['status'] for x in r] == ['applied'] * $N"
xwait
if [ "$XRC" = 0 ] && sanitized "$XLOG"; then
	pass "the exchange exits 0 after finishing it, no sanitizer report"
else
	fail "the exchange exits 0 after finishing it" "exit $XRC"
	tail -n 20 "$XLOG" | sed 's/^/    log: /'
fi
xstart
feed $RS
expect "after a restart, the $N cases of that request are there" \
	"sum(c['surnames'] == 'TERM' for c in feed.values()) == $N
	 and len(feed) == 2 * $N"
xstop

summary
