#!/bin/sh
# justify.sh - the workstation asks why a case is consulted (rcms(1),
# JUSTIFICATIONS): opened without a standing purpose (no rcms ui --why),
# the case view shows the agency's list and nothing of the person, and
# asks on the message line; an unknown code is refused and asked again;
# Tab completes a code; the answer is recorded in the case.view entry
# ("legal: workstation") and remembered for the session (a second case
# is opened without a question); a session with rcms ui --why is not
# asked; Esc leaves the question with the person still hidden.  The case
# list (ui/case_list.c) hides the names without a purpose and runs no
# search; with one it records its first showing and each search committed
# (case.list, case.search: "legal: workstation search (2 cases)"), the
# same query once a minute, never a name nor the query.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/ui/screen.lib"

setup
as ana
for n in IMRAN OMAR; do
	run "$RCMS" case new surnames=KHAN given_names="$n" sex=M \
		birth_date=1991-04-12 nationality=PAK requested_agency=PK-MOI
	check "case $n" "exit $RC" [ "$RC" -eq 0 ]
done
# the second case first in the list (the last changed), the same every run
sql "UPDATE cases SET created_at = 1000, updated_at = 1000 +
	(local_ref LIKE '%-000002')"
views() {
	sql "SELECT detail FROM audit WHERE action = 'case.view' ORDER BY seq" |
		tr '\n' '|'
}

UI_WHY=
cat >"$T/ask.script" <<S
key Enter
:save-display $T/asked.txt
type curiosity
key Enter
:save-display $T/unknown.txt
type leg
key Tab
key Enter
:save-display $T/shown.txt
key q
key Down
key Enter
:save-display $T/second.txt
S
screen ask ana
dump_ok justify-asked "$T/asked.txt"
dump_ok justify-unknown "$T/unknown.txt"
dump_ok justify-shown "$T/shown.txt"
check "nothing of the person before the answer" "KHAN on the screen" \
	sh -c '! grep -q KHAN "$1" && ! grep -q KHAN "$2"' sh \
	"$T/asked.txt" "$T/unknown.txt"
check "the person after it" "no KHAN" grep -q KHAN "$T/shown.txt"
check "the second case without a question" "no KHAN" \
	grep -q KHAN "$T/second.txt"
V=$(views)
check "recorded with the code, once a case" "case.view: $V" \
	[ "$V" = "legal: workstation|legal: workstation|" ]

cat >"$T/esc.script" <<S
key Enter
key Esc
:save-display $T/esc.txt
key Enter
type audit
key Enter
:save-display $T/after-esc.txt
S
screen esc ana
check "Esc: the person still hidden" "KHAN on the screen" \
	sh -c '! grep -q KHAN "$1"' sh "$T/esc.txt"
check "Enter asks again" "no KHAN" grep -q KHAN "$T/after-esc.txt"
V=$(views)
check "the new session's answer recorded" "case.view: $V" \
	[ "$V" = "legal: workstation|legal: workstation|audit: workstation|" ]

UI_WHY=supervision
cat >"$T/given.script" <<S
key Enter
:save-display $T/given.txt
S
screen given ana
check "rcms ui --why: not asked" "no KHAN" grep -q KHAN "$T/given.txt"
V=$(views)
check "rcms ui --why recorded" "case.view: $V" \
	[ "${V##*workstation|audit: workstation|}" = "supervision: workstation|" ]
fails "rcms ui --why with an unknown code" 64 "not one of the agency's" \
	"$RCMS" ui --why curiosity

# the case list shows names: without a purpose they are hidden and a
# search is not run; with one, the list's first showing and each search
# committed (Enter, or a search given whole) are recorded once, a query
# once a minute, with the count and without a name or the query
UI_WHY=
S0=$(sql "SELECT max(seq) FROM audit")
lists() {
	sql "SELECT action || '|' || detail FROM audit WHERE seq > $S0 AND
		action IN ('case.list', 'case.search') ORDER BY seq" | tr '\n' '#'
}
cat >"$T/lists.script" <<S
:save-display $T/list-hidden.txt
type /
:save-display $T/list-nosearch.txt
key Enter
type legal
key Enter
key q
:save-display $T/list-shown.txt
type /
type khan
key Enter
:save-display $T/list-searched.txt
type /
key Enter
key x
type /
type omar
key Enter
:search omar
:search imran
S
screen lists ana
dump_ok justify-list-hidden "$T/list-hidden.txt"
check "the list without a purpose: no name" "KHAN on the screen" \
	sh -c '! grep -q KHAN "$1" && ! grep -q KHAN "$2"' sh \
	"$T/list-hidden.txt" "$T/list-nosearch.txt"
check "the list without a purpose: the column says so" "no 'hidden'" \
	grep -q "Name (hidden)" "$T/list-hidden.txt"
check "no search without a purpose" "no message" \
	grep -q "Say first why you consult cases" "$T/list-nosearch.txt"
check "the names once the purpose is given" "no KHAN" \
	grep -q KHAN "$T/list-shown.txt"
check "the hits shown" "no OMAR" grep -q OMAR "$T/list-searched.txt"
V=$(lists)
check "the list and each search recorded once, a query once a minute" \
	"entries: $V" [ "$V" = "case.list|legal: workstation case list (2 cases)#\
case.search|legal: workstation search (2 cases)#\
case.search|legal: workstation search (1 case)#\
case.search|legal: workstation search (1 case)#" ]
N=$(sql "SELECT count(*) FROM audit WHERE action IN ('case.list',
	'case.search') AND (detail LIKE '%khan%' OR detail LIKE '%omar%' OR
	detail LIKE '%imran%')")
check "no list entry holds a name or a query" "$N do" [ "$N" -eq 0 ]
summary
