#!/bin/sh
# concurrent.sh - two workstations of one agency (RS-MUP W01 and W02) edit
# the same case; the exchange merges what it can, and what it cannot is
# kept for an officer, who settles it field by field.
#
# W01 opens a draft and syncs; W02 syncs and has it.  Both change
# different fields and sync: both fields are on both after syncing again.
# Then three rounds in which both change the same field: the first to
# sync gets it applied, the second gets exit 65 and keeps its value;
# `rcms conflicts list` and `show` give mine and theirs;
# `rcms conflicts resolve REF --field F` settles it with --take theirs,
# --take mine or --value V (and, where the change carried other fields or
# two conflicts, the others go too).  After both sync, both workstations
# show the same record, the settled value, and no conflict remains.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/sync/lib.sh"

sync_setup
replica W2 RS-MUP W02
add_user ana officer
enroll W2

# sync_on NAME WHAT: `rcms sync` on replica NAME exits 0 and pushes or
# receives nothing that conflicts.
sync_on() {
	synced "$1" "$2"
}

# same WHAT FIELD=VALUE...: both workstations show the case identically
# (every key of `case show --json`), with these values.
same() {
	_c_what=$1
	shift
	at RS
	"$RCMS" case show "$A" --json >"$T/rs.json" 2>"$T/rs.err" 3>&- 4<&-
	at W2
	"$RCMS" case show "$A" --json >"$T/w2.json" 2>"$T/w2.err" 3>&- 4<&-
	_c_diff=$(python3 - "$T/rs.json" "$T/w2.json" "$@" <<'PY' 3>&- 4<&- 2>&1
import json, sys
try:
    a = json.load(open(sys.argv[1]))
    b = json.load(open(sys.argv[2]))
except ValueError as e:
    print("case show --json is not JSON:", e)
    sys.exit(1)
why = []
for k in sorted(set(a) | set(b)):
    if a.get(k) != b.get(k):
        why.append("%s: W01 %r, W02 %r" % (k, a.get(k), b.get(k)))
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    if a.get(k) != v:
        why.append("%s is %r, not %r" % (k, a.get(k), v))
print("; ".join(why))
sys.exit(1 if why else 0)
PY
)
	check "W01 and W02 show the same case ($_c_what)" "$_c_diff" \
		[ -z "$_c_diff" ]
}

# no_conflict NAME: `rcms conflicts list` says so, sync status counts none.
no_conflict() {
	at "$1"
	ok_has "$1: conflicts list: no conflicts" "no conflicts" \
		"$RCMS" conflicts list
	run "$RCMS" sync status
	check "$1: sync status: nothing refused or in conflict" \
		"got: $(tr '\n' '|' <"$OUT")" grep -q '^refused, to see to  *0$' "$OUT"
}

# clash NAME FIELD MINE THEIRS: replica NAME syncs second and gets the
# conflict: exit 65, its own value kept, the conflict listed and shown.
clash() {
	at "$1"
	fails "$1: rcms sync after the same field changed elsewhere exits 65" \
		65 "conflict" "$RCMS" sync
	check "$1: the summary counts one conflict" "printed '$(head -n 1 "$OUT")'" \
		grep -q '^pushed 1 (0 applied, 0 duplicate, 1 conflict, 0 rejected)' "$OUT"
	check "$1: keeps its own $2 until the conflict is settled" \
		"$2 is '$(field "$A" "$2")'" [ "$(field "$A" "$2")" = "$3" ]
	ok "$1: conflicts list" "$RCMS" conflicts list
	check "$1: conflicts list shows $2: mine '$3', theirs '$4'" \
		"got: $(tr '\n' '|' <"$OUT")" \
		grep -Eq "^$A +$2 +mine: $3 +theirs: $4\$" "$OUT"
	ok "$1: conflicts show $A" "$RCMS" conflicts show "$A"
	check "$1: conflicts show gives the same" "got: $(tr '\n' '|' <"$OUT")" \
		grep -Eq "^$A +$2 +mine: $3 +theirs: $4\$" "$OUT"
	run "$RCMS" sync status
	check "$1: sync status counts it" "got: $(tr '\n' '|' <"$OUT")" \
		grep -q '^refused, to see to  *[1-9]' "$OUT"
}

# ---- a draft on both workstations ------------------------------------------------

at RS ana
ok "W01: case new (a draft)" "$RCMS" case new surnames=Khan \
	given_names=Imran sex=M birth_date=1990-03-04 nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof \
	--doc type=passport,number=AB1234567,issuing_state=PAK
A=$(cat "$OUT")
sync_on RS "the draft"
at W2 ana
sync_on W2 "receives the draft"
ok "W02: case show the draft by W01's reference" "$RCMS" case show "$A" --json
same "after W02 received the draft" status=draft given_names=Imran

# ---- different fields: merged -----------------------------------------------------

at RS
ok "W01: case edit birth_place" "$RCMS" case edit "$A" birth_place=Lahore
at W2
ok "W02: case edit father_name" "$RCMS" case edit "$A" father_name=Ahmed
sync_on RS "birth_place"
sync_on W2 "father_name, on a stale revision"
check "W02: its change was merged, not a conflict" \
	"printed '$(head -n 1 "$OUT")'" \
	grep -q '^pushed 1 (1 applied, 0 duplicate, 0 conflict, 0 rejected)' "$OUT"
check "W02: has W01's birth_place too" "birth_place '$(field "$A" birth_place)'" \
	[ "$(field "$A" birth_place)" = Lahore ]
sync_on RS "receives father_name"
same "different fields merged" birth_place=Lahore father_name=Ahmed
no_conflict RS
no_conflict W2

# ---- the same field: W02 second, takes theirs ----------------------------------------

# W02's change carries a second field, aliases, in no conflict: it must
# not be lost with the settlement.
at RS
ok "W01: case edit given_names" "$RCMS" case edit "$A" "given_names=Imran Ali"
at W2
ok "W02: case edit given_names (and aliases)" "$RCMS" case edit "$A" \
	"given_names=Imran Khan" "aliases=Khan Sahib"
sync_on RS "given_names first"
clash W2 given_names "Imran Khan" "Imran Ali"
at W2
ok_has "W02: conflicts resolve --take theirs" "settled: 'Imran Ali'" \
	"$RCMS" conflicts resolve "$A" --field given_names --take theirs
check "W02: shows the value taken at once" \
	"given_names '$(field "$A" given_names)'" \
	[ "$(field "$A" given_names)" = "Imran Ali" ]
sync_on W2 "the settlement"
check "W02: the settlement is applied" "printed '$(head -n 1 "$OUT")'" \
	grep -q '^pushed 1 (1 applied, 0 duplicate, 0 conflict, 0 rejected)' "$OUT"
sync_on RS "receives the settlement"
same "--take theirs" "given_names=Imran Ali" "aliases=Khan Sahib"
no_conflict W2
no_conflict RS

# ---- the same field: W01 second, takes mine --------------------------------------------

at W2
ok "W02: case edit birth_place" "$RCMS" case edit "$A" birth_place=Karachi
at RS
ok "W01: case edit birth_place" "$RCMS" case edit "$A" birth_place=Quetta
sync_on W2 "birth_place first"
clash RS birth_place Quetta Karachi
at RS
ok_has "W01: conflicts resolve --take mine" "settled: 'Quetta'" \
	"$RCMS" conflicts resolve "$A" --field birth_place --take mine
sync_on RS "the settlement"
sync_on W2 "receives the settlement"
same "--take mine" birth_place=Quetta
no_conflict RS
no_conflict W2

# ---- two fields in conflict: one --value, one --take mine ---------------------------------

at RS
ok "W01: case edit mother_name and surnames" "$RCMS" case edit "$A" \
	mother_name=Fatima surnames=Khan-Ali
at W2
ok "W02: case edit mother_name and surnames" "$RCMS" case edit "$A" \
	mother_name=Ayesha surnames=Khanzada
sync_on RS "mother_name and surnames first"
clash W2 mother_name Ayesha Fatima
ok "W02: conflicts list (two fields)" "$RCMS" conflicts list
check "W02: conflicts list shows surnames too" "got: $(tr '\n' '|' <"$OUT")" \
	grep -Eq "^$A +surnames +mine: Khanzada +theirs: Khan-Ali\$" "$OUT"
at W2
ok_has "W02: conflicts resolve --value" "settled: 'Fatima Bibi'" \
	"$RCMS" conflicts resolve "$A" --field mother_name --value "Fatima Bibi"
ok "W02: conflicts list after one of two" "$RCMS" conflicts list
check "W02: only surnames is left in conflict" "got: $(tr '\n' '|' <"$OUT")" \
	grep -Eqx "$A +surnames +mine: Khanzada +theirs: Khan-Ali" "$OUT"
check "W02: ... and nothing else" "got: $(tr '\n' '|' <"$OUT")" \
	[ "$(grep -c . "$OUT")" = 1 ]
fails "W02: resolving a settled field again is refused" 65 \
	"no conflict on mother_name" \
	"$RCMS" conflicts resolve "$A" --field mother_name --take mine
sync_on W2 "the first settlement, the other conflict still open"
check "W02: still shows the value given" \
	"mother_name '$(field "$A" mother_name)'" \
	[ "$(field "$A" mother_name)" = "Fatima Bibi" ]
ok_has "W02: conflicts resolve surnames --take mine" "settled: 'Khanzada'" \
	"$RCMS" conflicts resolve "$A" --field surnames --take mine
sync_on W2 "the second settlement"
sync_on RS "receives both settlements"
same "--value and --take mine" "mother_name=Fatima Bibi" surnames=Khanzada \
	"given_names=Imran Ali" birth_place=Quetta father_name=Ahmed \
	"aliases=Khan Sahib"
no_conflict W2
no_conflict RS

for R in RS W2; do
	at "$R"
	check "$R: nothing left to send" "'$(outbox_pending)' to send" \
		[ "$(outbox_pending)" = 0 ]
	ok_has "$R: audit verify" "audit log intact" "$RCMS" audit verify
done

xstop
summary
