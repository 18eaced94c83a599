#!/bin/sh
# conflicts.sh - the conflicts screen over a real conflict: two
# workstations of RS-MUP (W01 and W02, tests/sync/lib.sh with a real
# exchange over TLS) change the same two fields of a case; W01 syncs
# first, W02 gets the conflict.  In W02's workstation (request scripts,
# golden dumps at 80x24) the officer takes theirs for one field, after a
# confirmation, and types a value for the other.  Then `rcms conflicts
# list` is empty, the values are the ones chosen, and after both sync
# both workstations show them.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/sync/lib.sh"
. "$ROOT/tests/ui/term.lib"

sync_setup
replica W2 RS-MUP W02
add_user ana officer
enroll W2

at RS ana
ok "W01: case new" "$RCMS" case new surnames=Khan given_names=Imran sex=M \
	birth_date=1990-03-04 nationality=PAK requested_agency=PK-MOI
A=$(cat "$OUT")
synced RS "the draft"
at W2 ana
synced W2 "receives the draft"
at RS
ok "W01: case edit mother_name and surnames" "$RCMS" case edit "$A" \
	mother_name=Fatima surnames=Khan-Ali
at W2
ok "W02: case edit mother_name and surnames" "$RCMS" case edit "$A" \
	mother_name=Ayesha surnames=Khanzada
synced RS "first"
at W2
fails "W02: rcms sync gets the conflict (exit 65)" 65 conflict "$RCMS" sync

# ---- the screen ------------------------------------------------------------------

cat >"$T/conflicts.script" <<S
:conflicts
:save-display $T/list.txt
key t
:save-display $T/confirm.txt
key y
:save-display $T/settled.txt
key v
key ^U
type Fatima Bibi
key Enter
:save-display $T/typed.txt
key y
:save-display $T/none.txt
S
at W2
screen conflicts ana
dump_ok conflicts-list "$T/list.txt"
dump_ok conflicts-confirm "$T/confirm.txt"
dump_ok conflicts-settled "$T/settled.txt"
dump_ok conflicts-typed "$T/typed.txt"
dump_ok conflicts-none "$T/none.txt"

ok_has "W02: conflicts list: no conflicts" "no conflicts" \
	"$RCMS" conflicts list
check "W02: surnames is theirs" "surnames '$(field "$A" surnames)'" \
	[ "$(field "$A" surnames)" = Khan-Ali ]
check "W02: mother_name is the value typed" \
	"mother_name '$(field "$A" mother_name)'" \
	[ "$(field "$A" mother_name)" = "Fatima Bibi" ]
synced W2 "the settlements"
synced RS "receives them"
at RS
check "W01: mother_name from W02's settlement" \
	"mother_name '$(field "$A" mother_name)'" \
	[ "$(field "$A" mother_name)" = "Fatima Bibi" ]
check "W01: surnames" "surnames '$(field "$A" surnames)'" \
	[ "$(field "$A" surnames)" = Khan-Ali ]
ok_has "W01: no conflicts" "no conflicts" "$RCMS" conflicts list
xstop
summary
