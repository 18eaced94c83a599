#!/bin/sh
# sync.sh - the workstation syncs in its own event loop, against a real
# rcms-exchange over real TLS (tests/sync/lib.sh: the exchange and the
# enrolled replicas RS, PK, AL), in a real terminal (tmux, 80x24).
#
# RS: ana's case (opened and submitted on the command line) waits on the
# status line; the supervisor marko approves it in the workstation,
# presses the sync key, and the status line says the sync ended, online,
# nothing to send.  PK: omar's inbox is empty until the sync key brings
# the case; an identity check RS asked waits in PK's inbox (Tab) and
# Enter answers it.  The automatic sync (sync_interval) brings PK's acceptance to
# RS without a key.  An exchange that accepts connections and never
# answers: the workstation still takes keys while its sync waits; once
# it is gone the status line says offline.  A case being sent is locked:
# the form says so and keeps what was typed, and saves once it is free;
# a note refused so is offered again.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/sync/lib.sh"
. "$ROOT/tests/ui/term.lib"

if ! command -v tmux >/dev/null 2>&1; then
	echo "FAIL: tmux — not installed"
	exit 1
fi
HOLE=""
trap 'tmux_stop; [ -z "$HOLE" ] || kill "$HOLE" 2>/dev/null; xcleanup' EXIT
TMUX_WAIT_S=30
sync_setup
for R in RS PK; do
	echo "sync_interval = 0" >>"$TMPROOT/$R/rcms.conf"
done
SAN=$TMPROOT/san

# ui_as REPLICA USER: rcms ui in tmux at 80x24, logged in as USER; the
# sanitizers write their reports to $SAN.*.
ui_as() {
	at "$1"
	tmux_start 80 24 env TERM=screen RCMS_USER="$2" \
		RCMS_PASSWORD_FILE="$(password_file "$2")" \
		ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$SAN" \
		UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$SAN" "$RCMS" ui \
		--why processing
}

# ui_end NAME: F10 leaves the workstation (from any screen, also a form);
# it ends, with no sanitizer report.
ui_end() {
	tmux_keys F10
	_i=0
	while tmux -L "$TMUX_SOCK" has-session 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	check "$1: F10 leaves the workstation" "still running after 10 s" \
		[ $_i -lt 100 ]
	tmux_stop
	if ls "$SAN".* >/dev/null 2>&1; then
		fail "$1: no sanitizer report" "$(head -c 3000 "$SAN".*)"
		rm -f "$SAN".*
	else
		pass "$1: no sanitizer report"
	fi
}

# ---- RS: approve in the workstation, then the sync key -----------------------

at RS ana
ok "RS: ana opens a case" "$RCMS" case new surnames=KHAN \
	given_names=IMRAN sex=M birth_date=1991-04-12 nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof \
	--doc type=passport,number=AB1234567,issuing_state=PAK
A=$(cat "$OUT")
ok "RS: ana submits it" "$RCMS" case submit "$A"
N=$(outbox_pending)

ui_as RS marko
# (the replicas synced once in setup: their accounts went to the agency
# directory)
tmux_wait "RS: the status line before this sync" \
	"online | $N to send, 0 B | synced"
tmux_keys a
tmux_wait "RS: the approval queue" "KHAN, IMRAN"
tmux_keys Enter
tmux_wait "RS: the case" "steps:"
tmux_keys a
tmux_wait "RS: approve asks first" "Approve $A"
tmux_keys y
tmux_wait "RS: approved" "$A: submitted."
tmux_wait "RS: one more operation to send" "$((N + 1)) to send"
tmux_keys F5
tmux_wait "RS: the sync key: the sync ran and says so" \
	"Synced: $((N + 1)) sent"
tmux_wait "RS: the status line: online, nothing to send, the time" \
	"online | 0 to send, 0 B | synced "
ui_end RS
at RS
check "RS: nothing left in the outbox" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" = 0 ]

# ---- PK: the inbox fills after the sync key ------------------------------------

ui_as PK omar
tmux_keys i
tmux_wait "PK: the inbox before a sync" "Nothing is addressed to this agency."
tmux_keys S
tmux_wait "PK: the case is in the inbox after the sync" "KHAN, IMRAN"
tmux_wait "PK: online" "online | 0 to send"
ui_end PK

# ---- PK: an identity check waits in the inbox; Enter answers it ----------------

at RS ana
ok "RS: ana asks PK to check the identity" "$RCMS" idcheck request "$A" \
	--kind identity --question "Is this the holder of AB1234567?"
synced RS "the identity check"
ui_as PK omar
tmux_keys i
tmux_keys S
tmux_wait "PK: the inbox counts the check after the sync" \
	"Tab: 1 identity check(s) to answer"
tmux_keys Tab
tmux_wait "PK: Tab lists the checks waiting for our answer" \
	"identity checks waiting for our answer"
tmux_wait "PK: the check's case, person and kind" "KHAN, IMRAN"
tmux_keys Enter
tmux_wait "PK: Enter opens the case and asks for the answer" \
	"Answer (confirmed"
tmux_text confirmed
tmux_keys Enter
tmux_wait "PK: the remarks" "Remarks (may stay empty):"
tmux_text "Passport seen"
tmux_keys Enter
tmux_wait "PK: the answer asks first" "An answer is final."
tmux_keys y
tmux_wait "PK: answered" "The answer was recorded."
tmux_keys q
tmux_wait "PK: back in the inbox, nothing left to answer" \
	"No identity check waits for our answer."
ui_end PK

# ---- the automatic sync brings PK's answer to RS ---------------------------------

at PK omar
ok "PK: omar accepts the case" "$RCMS" case accept "$A"
synced PK "the acceptance"
sed 's/^sync_interval = 0$/sync_interval = 2/' "$TMPROOT/RS/rcms.conf" \
	>"$T/conf" && cp "$T/conf" "$TMPROOT/RS/rcms.conf"
ui_as RS marko
tmux_wait "RS: the case list shows the case submitted" "submitted"
tmux_wait "RS: the automatic sync brings 'accepted' without a key" \
	"accepted"
ui_end RS
sed 's/^sync_interval = 2$/sync_interval = 0/' "$TMPROOT/RS/rcms.conf" \
	>"$T/conf" && cp "$T/conf" "$TMPROOT/RS/rcms.conf"

# ---- an exchange that never answers, then none ------------------------------------

xstop
# a listener on the exchange's port that accepts and never says a word
python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
' "$PORT" 3>&- 4<&- &
HOLE=$!
sleep 0.5
ui_as RS marko
tmux_wait "RS: logged in" "marko (supervisor)"
tmux_keys F5
tmux_wait "RS: a sync starts" "Syncing with the exchange"
sleep 1
tmux_keys F1
tmux_wait "RS: a key works while the sync waits on the network" \
	"Help: keys and requests"
tmux_keys q
tmux_wait "RS: and the next" "Reference"
check "RS: the sync is still waiting" "the pane: $(tmux_pane | tail -n 2)" \
	sh -c '! tmux -L "$1" capture-pane -p | grep -q -e Synced -e offline' \
	sh "$TMUX_SOCK"
kill "$HOLE"
wait "$HOLE" 2>/dev/null
HOLE=""
tmux_keys j
tmux_wait "RS: offline once the exchange is gone" "offline | 0 to send"
tmux_wait "RS: the officer is told" "cannot be reached"
tmux_keys k
ui_end RS

# ---- a case being sent is locked: the form keeps what was typed -------------------

at RS ana
ok "RS: ana opens a second case" "$RCMS" case new surnames=ALI \
	given_names=FATIMA sex=F birth_date=1988 nationality=PAK \
	requested_agency=PK-MOI
B=$(cat "$OUT")
# as while a push of it is on its way (the sending lease of its operation)
sql "UPDATE outbox SET sending_until = strftime('%s','now') + 600
	WHERE state = 'pending'"
ui_as RS ana
tmux_wait "RS: ana's case list" "ALI, FATIMA"
tmux_keys Enter
tmux_wait "RS: the second case" "$B"
tmux_keys e
tmux_wait "RS: the edit form" "surname(s)"
tmux_keys Down Down Down Down C-u
tmux_text ALIZADA
tmux_keys F2
tmux_wait "RS: the lock is explained" "being sent to the exchange right now"
tmux_wait "RS: the form keeps what was typed" "ALIZADA"
sql "UPDATE outbox SET sending_until = 0"
tmux_keys F2
tmux_wait "RS: saved once the case is free" "Saved $B"
# a note on a case being sent: refused, the text kept for the next try
sql "UPDATE outbox SET sending_until = strftime('%s','now') + 600
	WHERE state = 'pending'"
tmux_keys N
tmux_text "Seen at the border"
tmux_keys Enter
tmux_wait "RS: a note on a case being sent is refused, its text kept" \
	"What you typed is kept: this case is being sent"
sql "UPDATE outbox SET sending_until = 0"
tmux_keys N
tmux_wait "RS: the note is offered again" "Note: Seen at the border"
tmux_keys Enter
tmux_wait "RS: the note is added" "The note was added."
ui_end RS
at RS
check "RS: the edit is in the database" "surnames '$(field "$B" surnames)'" \
	[ "$(field "$B" surnames)" = ALIZADA ]
summary
