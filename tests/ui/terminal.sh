#!/bin/sh
# terminal.sh - rcms in a real terminal (tmux): log in at 80x24, type a
# case with a pasted MRZ whose check digit is wrong (the hint shows, the
# officer fixes it), resize in the middle of the form (nothing typed is
# lost), save, submit; a supervisor at 132x43 approves it; TERM=vt100.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/ui/screen.lib"

if ! command -v tmux >/dev/null 2>&1; then
	echo "FAIL: tmux — not installed"
	exit 1
fi
trap 'tmux_stop' EXIT
setup

tmux_start 80 24 env TERM=screen "$RCMS" ui --why processing
tmux_wait "login screen" "User name:"
tmux_text ana
tmux_keys Enter
tmux_text "$(cat "$(password_file ana)")"
tmux_keys Enter
tmux_wait "logged in" "Logged in as ana"
tmux_keys n
tmux_wait "new case form" "Type or paste the MRZ"
# a wrong check digit of the document number (1 -> 7)
tmux_text 'P<PAKKHAN<<IMRAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<
AB12345677PAK9104129M3001019<<<<<<<<<<<<<<<6'
tmux_wait "the hint" "number BAD"
# fix it: to the end of line 2, back over the digit
tmux_keys End BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace \
	BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace \
	BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace \
	BSpace BSpace BSpace BSpace BSpace BSpace BSpace
tmux_text '1PAK9104129M3001019<<<<<<<<<<<<<<<6'
tmux_wait "fixed, the form filled" "all ok"
tmux_keys Enter Enter
tmux_text PK-MOI
# resize in the middle of the form: nothing typed is lost
tmux -L "$TMUX_SOCK" resize-window -x 100 -y 30
sleep 0.3
tmux -L "$TMUX_SOCK" resize-window -x 80 -y 24
tmux_wait "the text survives a resize" "PK-MOI"
tmux_keys Enter Enter Enter
tmux_text proof
tmux_keys F2
tmux_wait "saved" "Opened RS-MUP-W01"
tmux_keys s
tmux_wait "asks first" "This cannot be undone"
tmux_keys y
tmux_wait "submitted" "awaiting approval."
tmux_keys Q
sleep 0.5
tmux_stop
check "in the database" "not awaiting approval" \
	[ "$(sql "SELECT status FROM cases")" = awaiting_approval ]

# the supervisor, at 132x43
tmux_start 132 43 env TERM=screen "$RCMS" ui --why processing
tmux_wait "login 132x43" "User name:"
tmux_text marko
tmux_keys Enter
tmux_text "$(cat "$(password_file marko)")"
tmux_keys Enter
tmux_wait "supervisor logged in" "Logged in as marko"
tmux_keys a
tmux_wait "the approval queue" "KHAN, IMRAN"
tmux_keys Enter
tmux_wait "the case" "Documents & MRZ"
tmux_keys a
tmux_wait "approve asks first" "Approve RS-MUP"
tmux_keys y
tmux_wait "approved" "submitted."
tmux_keys Q
sleep 0.5
tmux_stop
check "approved in the database" "status" \
	[ "$(sql "SELECT status FROM cases")" = submitted ]

# no colour
tmux_start 80 24 env TERM=vt100 "$RCMS" ui --why processing
tmux_wait "vt100 login" "User name:"
tmux_keys F10
sleep 0.5
tmux_stop
summary
