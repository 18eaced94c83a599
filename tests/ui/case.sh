#!/bin/sh
# case.sh - a case on the screen: its tabs, a note, an identity check,
# the steps with their questions and confirmations, four eyes.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/ui/screen.lib"

setup
as ana
run "$RCMS" case new surnames=KHAN given_names="MUHAMMAD IMRAN" sex=M \
	birth_date=1991-04-12 birth_place=Peshawar nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof \
	--doc type=passport,number=AB1234567,issuing_state=PAK
ref=$(cat "$OUT")
sql "UPDATE cases SET updated_at = 1000, created_at = 1000"

cat >"$T/view.script" <<S
key Enter
:save-display $T/person.txt
key Tab
:save-display $T/documents.txt
key N
type Seen at the crossing; speaks Urdu — ок
key Enter
:save-display $T/notes.txt
key a
:save-display $T/approve-own.txt
key s
:save-display $T/submit-confirm.txt
key n
key s
key y
:save-display $T/submitted.txt
S
screen view ana
dump_ok case-person "$T/person.txt"
dump_ok case-documents "$T/documents.txt"
dump_ok case-notes "$T/notes.txt"
dump_ok case-approve-own "$T/approve-own.txt"
dump_ok case-submit-confirm "$T/submit-confirm.txt"
dump_ok case-submitted "$T/submitted.txt"
check "submitted in the database" "status is not awaiting_approval" \
	[ "$(sql "SELECT status FROM cases")" = awaiting_approval ]
check "one note" "notes" [ "$(sql "SELECT count(*) FROM notes")" = 1 ]

# the officer cannot approve her own case; a supervisor can
cat >"$T/approve.script" <<S
key a
:save-display $T/queue.txt
key Enter
key a
key y
:save-display $T/approved.txt
S
screen approve marko
dump_ok approval-queue "$T/queue.txt"
dump_ok case-approved "$T/approved.txt"
check "approved in the database" "status" \
	[ "$(sql "SELECT status FROM cases")" = submitted ]
check "the step is in the outbox" "no case.transition op" \
	[ "$(sql "SELECT count(*) FROM outbox WHERE type = 'case.transition'")" = 2 ]
check "the view is audited" "no case.view" \
	[ "$(sql "SELECT count(*) FROM audit WHERE action = 'case.view'")" -ge 2 ]

# ---- possible earlier cases of this person (issue 9) -------------------------

# The same man again, spelt otherwise, born in the same month: the Person
# tab of either case says so at its head and lists the other at its end.
as ana
run "$RCMS" case new surnames=Khan given_names="Mohammad Imran" sex=M \
	birth_date=1991-04 nationality=PAK requested_agency=PK-MOI \
	evidence_basis=proof
ref2=$(cat "$OUT" | head -n 1)
sql "UPDATE cases SET updated_at = 2000 WHERE local_ref = '$ref2'"
cat >"$T/dup.script" <<S
key Enter
:save-display $T/dup-top.txt
key End
:save-display $T/dup-end.txt
S
screen dup ana
check "the Person tab of the second case warns of an earlier case" \
	"$(head -n 6 "$T/dup-top.txt")" \
	grep -q "! 1 possible earlier case of this person" "$T/dup-top.txt"
check "... and lists it at its end with the reasons, field by field" \
	"$(tail -n 8 "$T/dup-end.txt")" \
	sh -c "grep -A1 'Possible earlier cases of this person:' '$T/dup-end.txt' |
		grep -q 'RS-MUP-W01-.*  PAK' &&
		grep -q 'birth date compatible, nationality match' '$T/dup-end.txt'"
summary
