#!/bin/sh
# justify.sh - every consultation of a case records a justification from
# the agency's list (issue 8; the EU Law Enforcement Directive, Art. 25):
# without --why or a session's standing purpose the commands that show a
# case's personal data refuse with exit 64 and list the codes; --why is
# recorded in the case.view entry ("legal: case show"), and so is the
# purpose of rcms login --why (shown by whoami); an unknown code is
# refused; the agency's own list from rcms.conf replaces the default (and
# a malformed one is refused); rcms audit list shows the code; a case's
# file (rcms report case) needs one too and its export entry records it;
# rcms case list and rcms search too, with one case.list / case.search
# entry a run ("legal: search (1 case)") that holds no name and no query.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/cli/lib.sh"

setup                                   # replica A, logged in as admin
as ana || exit 1
run "$RCMS" case new surnames=KHAN given_names=IMRAN birth_date=1990 \
	nationality=PAK requested_agency=PK-MOI
REF=$(cat "$OUT")
check "a case to consult" "no reference" [ -n "$REF" ]

# a session without a standing purpose
run env RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" login ana
check "login without --why" "exit $RC" [ "$RC" -eq 0 ]
ok_has "whoami: no standing purpose" "no standing purpose" "$RCMS" whoami
for c in "case show" "note list" "attachments" "idchecks" "duplicates"; do
	# shellcheck disable=SC2086
	fails "$c without a purpose: refused, the codes listed" 64 \
		"processing the application" "$RCMS" $c "$REF"
	err_has "subject_request" ||
		fail "$c: the refusal lists subject_request" "not listed"
	err_has "--why CODE" || fail "$c: the refusal says how" "no --why"
done
N=$(sql "SELECT count(*) FROM audit WHERE action = 'case.view'")
check "a refusal records no consultation" "$N case.view entries" [ "$N" -eq 0 ]
ok_has "case show --why legal shows the case" "KHAN" \
	"$RCMS" case show "$REF" --why legal
D=$(sql "SELECT detail FROM audit WHERE action = 'case.view' ORDER BY seq DESC LIMIT 1")
check "--why recorded" "detail '$D'" [ "$D" = "legal: case show" ]
ok "note list --why=audit" "$RCMS" note list --why=audit "$REF"
D=$(sql "SELECT detail FROM audit WHERE action = 'case.view' ORDER BY seq DESC LIMIT 1")
check "--why=CODE recorded" "detail '$D'" [ "$D" = "audit: note list" ]
for c in "attachments" "idchecks" "duplicates"; do
	# shellcheck disable=SC2086
	ok "$c --why subject_request" "$RCMS" $c "$REF" --why subject_request
	D=$(sql "SELECT detail FROM audit WHERE action = 'case.view' ORDER BY seq DESC LIMIT 1")
	check "$c: --why recorded" "detail '$D'" [ "$D" = "subject_request: $c" ]
done
fails "an unknown code is refused" 64 "'curiosity' is not one of the agency's" \
	"$RCMS" case show "$REF" --why curiosity
err_has "processing, idcheck, supervision, subject_request, legal, audit" ||
	fail "the unknown code's refusal lists the codes" "not listed"
fails "--why without a code" 64 "--why needs a code" \
	"$RCMS" case show "$REF" --why
fails "login with an unknown code is refused" 64 "not one of the agency's" \
	env RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" login ana \
	--why curiosity
ok_has "the session survived the refused login" "no standing purpose" \
	"$RCMS" whoami

# a standing purpose
ok_has "login --why idcheck" "consulting cases for: idcheck" \
	env RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" login ana \
	--why idcheck
ok_has "whoami shows the purpose" \
	"consulting cases for: idcheck (answering an identity check)" \
	"$RCMS" whoami
ok "case show with the session's purpose" "$RCMS" case show "$REF"
D=$(sql "SELECT detail FROM audit WHERE action = 'case.view' ORDER BY seq DESC LIMIT 1")
check "the login's purpose recorded" "detail '$D'" [ "$D" = "idcheck: case show" ]
ok "--why overrides the session's purpose" "$RCMS" case show "$REF" --why legal
D=$(sql "SELECT detail FROM audit WHERE action = 'case.view' ORDER BY seq DESC LIMIT 1")
check "--why before the session's" "detail '$D'" [ "$D" = "legal: case show" ]
F=$(stat -c %a "$RCMS_HOME/session")
check "the session file stays 0600" "mode $F" [ "$F" = 600 ]

# the administrator is refused for the role, not asked why
as admin || exit 1
fails "admin: refused for the role first" 77 "" "$RCMS" case show "$REF"

# audit list shows the code
as marko || exit 1
ok_has "audit list shows the --why code" "legal: case show" "$RCMS" audit list
has "idcheck: case show" || fail "audit list shows the login's code" "missing"
ok_has "audit list --case too" "subject_request: duplicates" \
	"$RCMS" audit list --case "$REF"

# a case's file (rcms report case) consults the case too
as ana || exit 1
run env RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" login ana
fails "report case without a purpose: refused" 64 "why do you consult" \
	"$RCMS" report case "$REF"
ok_has "report case --why subject_request" "KHAN" \
	"$RCMS" report case "$REF" --why subject_request
D=$(sql "SELECT detail FROM audit WHERE action = 'report.export' ORDER BY seq DESC LIMIT 1")
check "the case file's export records the code" "detail '$D'" \
	[ "${D%% case text to*}" = "subject_request:" ]
fails "report case with an unknown code" 64 "not one of the agency's" \
	"$RCMS" report case "$REF" --why curiosity
run env RCMS_PASSWORD_FILE="$(password_file marko)" "$RCMS" login marko
ok "the agency's reports need no purpose" "$RCMS" report caseload

# the lists that show names: rcms case list and rcms search record one
# entry a run (case.list, case.search) with the purpose and the count,
# never the query nor a name
lists() {
	sql "SELECT count(*) FROM audit WHERE action IN ('case.list', 'case.search')"
}
last_list() {
	sql "SELECT action || '|' || case_id || '|' || detail FROM audit
		WHERE action IN ('case.list', 'case.search') ORDER BY seq DESC LIMIT 1"
}
as ana || exit 1
run env RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" login ana
N0=$(lists)
for c in "case list" "search khan" "case list --format csv" "search --format json imran"; do
	# shellcheck disable=SC2086
	fails "$c without a purpose: refused, the codes listed" 64 \
		"processing the application" "$RCMS" $c
	err_has "why do you consult" ||
		fail "$c: the refusal asks why" "no question"
	err_has "--why CODE" || fail "$c: the refusal says how" "no --why"
	! has KHAN || fail "$c: nothing shown when refused" "KHAN shown"
done
N=$(lists)
check "a refused list records nothing" "$N0 -> $N entries" [ "$N" -eq "$N0" ]
fails "case list: an unknown code is refused" 64 "not one of the agency's" \
	"$RCMS" case list --why curiosity
fails "search: --why without a code" 64 "--why needs a code" \
	"$RCMS" search khan --why
ok_has "case list --why supervision shows the names" "KHAN" \
	"$RCMS" case list --why supervision
D=$(last_list)
check "case list: one entry with the code and the count" "entry '$D'" \
	[ "$D" = "case.list||supervision: case list (1 case)" ]
N=$(lists)
check "case list: one entry a run" "$N0 -> $N entries" [ "$N" -eq $((N0 + 1)) ]
ok_has "search --why=legal shows the names" "KHAN" \
	"$RCMS" search --why=legal khan imran
D=$(last_list)
check "search: one entry with the code and the count" "entry '$D'" \
	[ "$D" = "case.search||legal: search (1 case)" ]
ok "search with no hit --why legal" "$RCMS" search zzyzx --why legal
D=$(last_list)
check "search: no hit is a consultation too" "entry '$D'" \
	[ "$D" = "case.search||legal: search (0 cases)" ]
ok "case list --status closed --why audit (empty)" \
	"$RCMS" case list --status closed --why audit
D=$(last_list)
check "case list: an empty list is recorded" "entry '$D'" \
	[ "$D" = "case.list||audit: case list (0 cases)" ]
run env RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" login ana \
	--why idcheck
check "login --why idcheck (lists)" "exit $RC" [ "$RC" -eq 0 ]
ok_has "case list with the session's purpose" "KHAN" "$RCMS" case list \
	--format csv
D=$(last_list)
check "case list: the session's purpose recorded" "entry '$D'" \
	[ "$D" = "case.list||idcheck: case list (1 case)" ]
ok_has "search with the session's purpose" "KHAN" "$RCMS" search imran
D=$(last_list)
check "search: the session's purpose recorded" "entry '$D'" \
	[ "$D" = "case.search||idcheck: search (1 case)" ]
ok "search: --why before the session's" "$RCMS" search imran --why audit
D=$(last_list)
check "search: --why recorded, not the session's" "entry '$D'" \
	[ "$D" = "case.search||audit: search (1 case)" ]
N=$(sql "SELECT count(*) FROM audit WHERE action IN ('case.list', 'case.search')
	AND (detail LIKE '%khan%' OR detail LIKE '%imran%' OR detail LIKE '%zzyzx%')")
check "no list entry holds a name or a query" "$N entries do" [ "$N" -eq 0 ]
N=$(lists)
check "one entry a run, whatever the rows" "$N0 -> $N entries" \
	[ "$N" -eq $((N0 + 7)) ]
as admin || exit 1
fails "admin: case list refused for the role first" 77 "" "$RCMS" case list
! has KHAN || fail "admin: no row shown" "KHAN shown"
fails "admin: search refused for the role first" 77 "" "$RCMS" search khan
as marko || exit 1
ok_has "audit list shows a list's code" "supervision: case list (1 case)" \
	"$RCMS" audit list

# the agency's own list
printf 'justifications = asylum=an asylum procedure ; escort = planning the escort\n' \
	>>"$RCMS_HOME/rcms.conf"
fails "a default code outside the agency's list is refused" 64 \
	"asylum, escort" "$RCMS" case show "$REF" --why legal
err_has "planning the escort" || fail "the agency's labels listed" "missing"
fails "a session's purpose no longer in the list does not count" 64 \
	"an asylum procedure" "$RCMS" case show "$REF"
ok "the agency's code accepted" "$RCMS" case show "$REF" --why escort
D=$(sql "SELECT detail FROM audit WHERE action = 'case.view' ORDER BY seq DESC LIMIT 1")
check "the agency's code recorded" "detail '$D'" [ "$D" = "escort: case show" ]
ok_has "login --why with the agency's code" "planning the escort" \
	env RCMS_PASSWORD_FILE="$(password_file marko)" "$RCMS" login marko \
	--why escort

cp "$RCMS_HOME/rcms.conf" "$TMPROOT/conf.good"
for bad in "processing" "Bad=Label" "a=x;a=y" "a=" "=label" ";" \
	"$(printf 'a=b\001c')"; do
	cp "$TMPROOT/conf.good" "$RCMS_HOME/rcms.conf"
	printf 'justifications = %s\n' "$bad" >>"$RCMS_HOME/rcms.conf"
	fails "justifications = '$bad' refused" 78 "justification" \
		"$RCMS" whoami
done
cp "$TMPROOT/conf.good" "$RCMS_HOME/rcms.conf"

summary
