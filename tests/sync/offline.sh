#!/bin/sh
# offline.sh - work goes on while the exchange is down, and nothing is lost
# or doubled when it comes back.
#
# With the exchange stopped, an RS-MUP officer opens 20 cases and a
# supervisor approves them; `rcms sync` exits 75, says why, and keeps all
# of it (sync status counts it).  The exchange comes back on the same
# address; one `rcms sync` delivers everything exactly once: PK-MOI's feed
# on the exchange holds the 20 cases, each once, and a second sync pushes
# nothing.  Answers lost on the way (the outbox marked pending again) are
# sent again and come back as duplicates, changing nothing.  Last, a
# workstation whose certificate was revoked gets 77 from `rcms sync`, with
# a message that names the certificate, and keeps its work.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/sync/lib.sh"

N=20

sync_setup
# a second RS-MUP workstation, whose certificate will be revoked
replica W2 RS-MUP W02
add_user ana officer
enroll W2

synced RS "while the exchange is up"
synced PK "while the exchange is up"

xstop "the exchange goes down (SIGTERM)"

# ---- offline: 20 cases opened, submitted, approved --------------------------

# step NAME CMD...: one of many commands; a failure (or a sanitizer
# report) is remembered in BAD for one check afterwards.
BAD=""
step() {
	_w=$1
	shift
	run "$@"
	if [ "$RC" -ne 0 ] || sanitizer_report; then
		BAD="$BAD $_w:exit-$RC"
		sed 's/^/    stderr: /' "$ERR" | head -n 5
	fi
}

NAMES="Abbasi Akhtar Ali Aslam Baig Bhatti Butt Chaudhry Dar Farooq Ghani
Haider Hussain Iqbal Javed Khan Malik Mirza Qureshi Rana"
at RS ana
REFS=""
i=1
for _name in $NAMES; do
	step "new#$i" "$RCMS" case new surnames="$_name" given_names=Imran \
		sex=M birth_date=1990-03-04 nationality=PAK \
		requested_agency=PK-MOI evidence_basis=proof \
		--doc "type=passport,number=AB$((1000000 + i)),issuing_state=PAK"
	_ref=$(cat "$OUT")
	REFS="$REFS $_ref"
	step "submit#$i" "$RCMS" case submit "$_ref"
	i=$((i + 1))
done
check "the test opens $N cases" "$((i - 1)) names" [ $((i - 1)) -eq $N ]
at RS marko
for _ref in $REFS; do
	step "approve:$_ref" "$RCMS" case approve "$_ref"
done
check "RS: $N cases opened, submitted and approved offline" "failed:$BAD" \
	[ -z "$BAD" ]
check "RS: all $N are submitted, none has a final reference" \
	"$(sql "SELECT status, count(*), count(nullif(final_ref, '')) FROM cases GROUP BY status")" \
	[ "$(sql "SELECT status || ' ' || count(*) || ' ' || count(nullif(final_ref, '')) FROM cases GROUP BY status")" = "submitted $N 0" ]
OPS=$((3 * N))
check "RS: sync status counts the $OPS operations to send" \
	"'$(outbox_pending)' to send" [ "$(outbox_pending)" = "$OPS" ]

fails "RS: rcms sync while the exchange is down exits 75" 75 \
	"the exchange cannot be reached" "$RCMS" sync
check "RS: the message says the work is kept" "stderr: $(cat "$ERR")" \
	err_has "the work stays here"
check "RS: the summary line counts the waiting operations" \
	"stdout: $(cat "$OUT")" has "pushed 0 (0 applied, 0 duplicate, 0 conflict, 0 rejected), received 0 cases, $OPS waiting"
check "RS: nothing lost: sync status still counts $OPS" \
	"'$(outbox_pending)' to send" [ "$(outbox_pending)" = "$OPS" ]
ok "RS: rcms outbox" "$RCMS" outbox
check "RS: rcms outbox lists the $OPS operations, all pending" \
	"$(grep -c ' pending ' "$OUT") pending of $(wc -l <"$OUT") lines" \
	[ "$(grep -c '^ *[0-9][0-9]* pending ' "$OUT")" = "$OPS" ]
ok "RS: sync status" "$RCMS" sync status
check "RS: sync status: the last sync did not go through" \
	"got: $(tr '\n' '|' <"$OUT")" eval '! grep -q "^outcome  *ok" "$OUT"'

fails "PK: rcms sync while the exchange is down exits 75" 75 \
	"the exchange cannot be reached" env RCMS_HOME="$TMPROOT/PK" "$RCMS" sync

# ---- the exchange comes back --------------------------------------------------------

xstart
check "the exchange comes back on the address the replicas know" \
	"port $PORT, RS knows $(at RS; sql "SELECT value FROM meta WHERE key = 'sync.exchange'")" \
	[ "$(at RS; sql "SELECT value FROM meta WHERE key = 'sync.exchange'")" = "$URL" ]

synced RS "the exchange is back"
check "RS: one sync pushed all $OPS, each applied once" \
	"printed '$(head -n 1 "$OUT")'" \
	grep -q "^pushed $OPS ($OPS applied, 0 duplicate, 0 conflict, 0 rejected)" "$OUT"
check "RS: nothing left to send" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" = 0 ]
check "RS: every case has its own final reference" \
	"$(sql "SELECT count(DISTINCT final_ref), count(*) FROM cases WHERE final_ref LIKE 'RS-PK-%'")" \
	[ "$(sql "SELECT count(DISTINCT final_ref) || '/' || count(*) FROM cases WHERE final_ref LIKE 'RS-PK-%'")" = "$N/$N" ]
IDS=$(sql "SELECT id FROM cases" | tr '\n' ' ')

# pk_feed NAME: the exchange's feed for PK-MOI, from the start, holds the
# N cases, each once, all submitted.
pk_feed() {
	if feed PK-MOI/W01; then
		expect "$1" "
[c['case']['id'] for c in data['changes']].__len__() == $N and
sorted(c['case']['id'] for c in data['changes']) == sorted('$IDS'.split()) and
all(c['case']['status'] == 'submitted' for c in data['changes'])"
	else
		fail "$1" "the feed did not answer 200"
	fi
}
pk_feed "the exchange's feed for PK has exactly the $N cases, each once"

synced RS "again"
check "RS: a second sync pushes nothing" "printed '$(head -n 1 "$OUT")'" \
	grep -q '^pushed 0 (0 applied, 0 duplicate, 0 conflict, 0 rejected)' "$OUT"

# The answers of a push lost on the way back (the exchange applied the
# batch, the workstation never heard): the operations go again, come back
# as duplicates, and change nothing.
at RS
sql "UPDATE outbox SET state = 'pending', result = ''
     WHERE type NOT LIKE 'user.%'"
check "RS: the outbox marked pending again" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" = "$OPS" ]
synced RS "answers lost"
check "RS: the resent operations are all duplicates" \
	"printed '$(head -n 1 "$OUT")'" \
	grep -q "^pushed $OPS (0 applied, $OPS duplicate, 0 conflict, 0 rejected)" "$OUT"
check "RS: nothing left to send after the resend" \
	"'$(outbox_pending)' to send" [ "$(outbox_pending)" = 0 ]
pk_feed "after the resend PK's feed still has the $N cases, each once"

at PK omar
synced PK "receive the $N cases"
ok "PK: case list" "$RCMS" case list --format csv
tail -n +2 "$OUT" | tr -d '\r' | cut -d , -f 2,3 >"$T/pk.list"
check "PK: case list has the $N cases, each once, submitted" \
	"$(tr '\n' '|' <"$T/pk.list")" \
	[ "$(sort -u "$T/pk.list" | grep -c '^RS-PK-[0-9-]*,submitted$')/$(wc -l <"$T/pk.list")" = "$N/$N" ]
check "PK: the same cases as RS" "PK has $(sql "SELECT count(*) FROM cases") cases" \
	[ "$(sql "SELECT id FROM cases ORDER BY id" | tr '\n' ' ')" = \
	"$(echo "$IDS" | tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ')" ]

# ---- a revoked certificate --------------------------------------------------

at W2 ana
ok "W2: case new" "$RCMS" case new surnames=Revoked given_names=Soon \
	sex=M birth_date=1985 nationality=PAK requested_agency=PK-MOI \
	evidence_basis=proof
synced W2 "before revocation"
# the exchange notices a new crl.pem by its modification time, in whole
# seconds
sleep 1
if pki revoke "$PKI" W02; then
	pass "pki revoke W02"
else
	fail "pki revoke W02" "exit status $? (see $TMPROOT/pki.log)"
fi
CERT=$TMPROOT/W2/tls/cert.pem
# nothing to send: the feed refuses it
fails "W2: rcms sync with a revoked certificate exits 77" 77 \
	"certificate" "$RCMS" sync
check "W2: the message names the certificate" "stderr: $(cat "$ERR")" \
	err_has "$CERT"
check "W2: the message gives the exchange's reason" "stderr: $(cat "$ERR")" \
	err_has "revoked"
# work to send: the push is refused, with the same words, and kept
ok "W2: case new (after the revocation)" "$RCMS" case new \
	surnames=Revoked given_names=Later sex=M birth_date=1985 \
	nationality=PAK requested_agency=PK-MOI evidence_basis=proof
fails "W2: rcms sync with work to send exits 77" 77 "$CERT" "$RCMS" sync
check "W2: ... and gives the exchange's reason" "stderr: $(cat "$ERR")" \
	err_has "revoked"
check "W2: the work is kept" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" = 1 ]
synced RS "its certificate was not revoked"

# ---- a case is locked while its operation is on its way -------------------

# The exchange stopped (SIGSTOP) holds the push in flight: the connection
# is accepted by the kernel and nothing answers.  An edit of that case
# meanwhile is refused (75, nothing written); once the answer is applied
# the case is free again.  A lease left by a killed sync runs out.
at RS ana
ok "RS: case new (to be held in flight)" "$RCMS" case new surnames=Held \
	given_names=Inflight sex=M birth_date=1980 nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof
HELD=$(cat "$OUT")
kill -STOP "$XPID"
"$RCMS" sync >"$T/held.out" 2>"$T/held.err" 3>&- 4<&- &
HELD_SYNC=$!
_i=0
while [ "$(sql "SELECT count(*) FROM outbox WHERE sending_until > 0")" = 0 ] &&
	[ $_i -lt 100 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
N0=$(sql "SELECT count(*) FROM outbox")
fails "RS: case edit while its operation is in flight exits 75" 75 \
	"being sent to the exchange" "$RCMS" case edit "$HELD" given_names=Changed
check "RS: ... and writes nothing" "outbox $N0 became $(sql "SELECT count(*) FROM outbox")" \
	[ "$(sql "SELECT count(*) FROM outbox")" = "$N0" ]
check "RS: ... the case keeps its value" "given_names: $(field "$HELD" given_names)" \
	[ "$(field "$HELD" given_names)" = Inflight ]
kill -CONT "$XPID"
wait "$HELD_SYNC"
check "RS: the held sync finishes once the exchange answers" \
	"exit $?: $(cat "$T/held.err")" [ "$(sql "SELECT count(*) FROM outbox WHERE state = 'pending'")" = 0 ]
check "RS: the answer released the case" \
	"$(sql "SELECT count(*) FROM outbox WHERE sending_until <> 0") leases left" \
	[ "$(sql "SELECT count(*) FROM outbox WHERE sending_until <> 0")" = 0 ]
ok "RS: case edit after the answer" "$RCMS" case edit "$HELD" given_names=Changed
# a killed sync's lease: held until it runs out, then free
sql "UPDATE outbox SET sending_until = strftime('%s','now') + 60 WHERE state = 'pending'" >/dev/null
fails "RS: a lease left by a killed sync holds the case" 75 \
	"try again in a moment" "$RCMS" case edit "$HELD" given_names=Again
sql "UPDATE outbox SET sending_until = strftime('%s','now') - 1 WHERE state = 'pending'" >/dev/null
ok "RS: ... until it runs out" "$RCMS" case edit "$HELD" given_names=Again
synced RS "the held case's edits"

# ---- an exchange that accepts and never answers: the idle timeout -------------

# openssl s_server with the exchange's certificate: the handshake goes
# through, the request is read, no answer ever comes.  With
# sync_idle_timeout = 2, each try ends after 2 s without a byte; after
# the retries rcms sync exits 75, well before the two-minute timeout.
at RS ana
SILENT_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sleep 600 | openssl s_server -accept "127.0.0.1:$SILENT_PORT" -cert "$PKI/server.pem" \
	-key "$PKI/server.key" -quiet >"$T/silent.log" 2>&1 3>&- 4<&- &
SILENT=$!
sleep 1
cp "$RCMS_HOME/rcms.conf" "$T/rcms.conf.idle"
echo "sync_idle_timeout = 2" >>"$RCMS_HOME/rcms.conf"
REAL_URL=$(sql "SELECT value FROM meta WHERE key = 'sync.exchange'")
sql "UPDATE meta SET value = 'https://localhost:$SILENT_PORT' WHERE key = 'sync.exchange'" >/dev/null
ok "RS: case new (for the silent exchange)" "$RCMS" case new surnames=Silent \
	given_names=Server sex=M birth_date=1980 nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof
T0=$(date +%s)
fails "RS: an exchange that never answers: exit 75" 75 "" "$RCMS" sync
T1=$(date +%s)
check "RS: ... given up within 30 s (2 s idle a try, the retries' pauses)" \
	"took $((T1 - T0)) s" [ $((T1 - T0)) -le 30 ]
check "RS: ... the request reached it (the handshake went through)" \
	"$(head -c 300 "$T/silent.log")" grep -q "POST /v1/ops" "$T/silent.log"
check "RS: ... and nothing is lost: the operation waits" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" -ge 1 ]
kill "$SILENT" 2>/dev/null
pkill -P "$SILENT" 2>/dev/null
sql "UPDATE meta SET value = '$REAL_URL' WHERE key = 'sync.exchange'" >/dev/null
cp "$T/rcms.conf.idle" "$RCMS_HOME/rcms.conf"
synced RS "the real exchange again"

# ---- the exchange's key pinned besides its CA (rcms.conf exchange_pin) ----

at RS ana
PIN=sha256//$(openssl x509 -in "$PKI/server.pem" -pubkey -noout |
	openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
cp "$RCMS_HOME/rcms.conf" "$T/rcms.conf.saved"
echo "exchange_pin = $PIN" >>"$RCMS_HOME/rcms.conf"
ok "RS: case new (for the pinned sync)" "$RCMS" case new surnames=Pinned \
	given_names=Key sex=M birth_date=1980 nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof
synced RS "the exchange's key is the pinned one"
cp "$T/rcms.conf.saved" "$RCMS_HOME/rcms.conf"
echo "exchange_pin = sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=;$PIN" \
	>>"$RCMS_HOME/rcms.conf"
synced RS "one of two pins matches (a key change under way)"
cp "$T/rcms.conf.saved" "$RCMS_HOME/rcms.conf"
echo "exchange_pin = sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" \
	>>"$RCMS_HOME/rcms.conf"
ok "RS: case new (for the wrongly pinned sync)" "$RCMS" case new \
	surnames=Wrong given_names=Pin sex=M birth_date=1980 nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof
fails "RS: another key than the pinned one: exit 78" 78 \
	"not the one pinned" "$RCMS" sync
check "RS: ... and nothing was sent" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" = 1 ]
cp "$T/rcms.conf.saved" "$RCMS_HOME/rcms.conf"
echo "exchange_pin = sha256/notbase64" >>"$RCMS_HOME/rcms.conf"
fails "RS: a malformed pin: exit 78, the setting named" 78 "exchange_pin" \
	"$RCMS" sync status
cp "$T/rcms.conf.saved" "$RCMS_HOME/rcms.conf"
synced RS "without the pin again"

# ---- one sync of a replica at a time --------------------------------------------
# Another sync holds the replica's lock (the workstation's in the
# background, say; here flock(1) on the same file): rcms sync does
# nothing and says why, exit 75 as offline; the case waits, and goes with
# the next sync once the other has ended.
at RS
ok "RS: case new (while another sync runs)" "$RCMS" case new \
	surnames=Lock given_names=Held sex=M birth_date=1980 nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof
flock -o "$RCMS_HOME/sync.lock" sleep 30 &
HOLDER=$!
_l_i=0
while flock -n "$RCMS_HOME/sync.lock" true 2>/dev/null && [ $_l_i -lt 50 ]; do
	sleep 0.1
	_l_i=$((_l_i + 1))
done
fails "RS: a sync while another runs: exit 75, and why" 75 \
	"another sync of this workstation is running" "$RCMS" sync
check "RS: ... and nothing was sent" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" = 1 ]
pkill -P "$HOLDER" sleep 2>/dev/null; kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
synced RS "once the other sync has ended"
check "RS: ... the case went" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" = 0 ]
check "RS: the lock file is the replica's alone" "$(ls -l "$RCMS_HOME/sync.lock")" \
	[ "$(stat -c %a "$RCMS_HOME/sync.lock")" = 600 ]

at RS
ok_has "RS: audit verify" "audit log intact" "$RCMS" audit verify
at PK
ok_has "PK: audit verify" "audit log intact" "$RCMS" audit verify
at W2
ok_has "W2: audit verify" "audit log intact" "$RCMS" audit verify

xstop
summary
