#!/bin/sh
# agency.sh - one agency, many workstations (issue 10), against the real
# exchange over TLS: RS-MUP's laptop W01 and office desktop W02, PK-MOI
# (asked) and AL-MOI (a bystander).
#
# Shared drafts: ana opens a case on W01 offline, syncs; marko (an account
# made on W01) logs in on W02, sees the draft and, once ana submitted it,
# approves it there; W01 shows it approved.  PK-MOI sees nothing until the
# approval sent it, and everything after; AL-MOI sees nothing at any time;
# the exchange refuses PK-MOI the blob-free draft by its id as well.  Four
# eyes across workstations: the supervisor who created a case on W01
# cannot approve it on W02.
#
# The agency directory: an account made on W01 logs in on W02 after a
# sync, and again with the exchange down; disabling it on W02 blocks it on
# W01 after W01's next sync, while what it did on W01 before is delivered
# and marked in W01's audit log; a password changed on W02 is the one W01
# takes; a second workstation's own first admin is replaced by the
# directory's; PK-MOI's replica holds none of RS-MUP's accounts.
#
# Workstations: the admin lists them with their last sync and retires W02
# from W01; W02's certificate is refused from then on with the reason,
# and its queued operations come back rejected with it.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/sync/lib.sh"

sync_setup
replica W2 RS-MUP W02
enroll W2
for r in RS W2 PK AL; do
	synced "$r" "first sync"
done

# count NAME: cases on replica NAME
cases_on() {
	at "$1"
	sql "SELECT count(*) FROM cases"
}

# ---- the directory reaches the agency's other workstations ----------------

at W2
check "W2: the directory's accounts arrived (ana, marko, ivan)" \
	"$(sql "SELECT group_concat(username) FROM (SELECT username FROM users ORDER BY 1)")" \
	[ "$(sql "SELECT count(*) FROM users WHERE username IN ('ana','marko','ivan')")" = 3 ]
check "W2: W02's own admin was replaced by the directory's, audited" \
	"$(sql "SELECT detail FROM audit WHERE action = 'user.sync'")" \
	[ "$(sql "SELECT count(*) FROM audit WHERE action = 'user.sync' AND detail LIKE 'admin: this workstation''s account replaced%'")" = 1 ]
ok_has "W2: its sync settled W02's admin as the directory's" "made here" \
	sh -c 'sqlite3 "$1" "SELECT state, result FROM outbox WHERE type = '"'user.create'"'" | grep -q "^resolved|.*user-exists" && echo "made here"' \
	sh "$RCMS_HOME/rcms.db"
at PK
check "PK: none of RS-MUP's accounts" \
	"$(sql "SELECT group_concat(username) FROM users")" \
	[ "$(sql "SELECT count(*) FROM users WHERE username IN ('ana','marko','ivan','admin') AND agency = 'RS-MUP'")" = 0 ]
req PK-MOI/W01 GET /v1/directory
check "exchange: PK-MOI's directory holds none of RS-MUP's accounts" \
	"$(cat "$OUT")" \
	sh -c '! grep -q "\"ana\"" "$1" && grep -q "\"omar\"" "$1"' sh "$OUT"

# ---- a draft opened offline on W01, approved on W02 ------------------------

xstop "the exchange goes down: W01 works offline"
at RS ana
ok "W01: ana opens a case offline" "$RCMS" case new surnames=Khan \
	given_names=Imran sex=M birth_date=1990-03-04 nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof \
	--doc type=passport,number=AB1234567,issuing_state=PAK
A=$(cat "$OUT")
AID=$(field "$A" id)
fails "W01: sync while offline exits 75" 75 "cannot be reached" \
	"$RCMS" sync
xstart
synced RS "the draft"

at W2
synced W2 "receives the draft"
as marko || exit 1
ok_has "W02: marko (made on W01) sees ana's draft" '"status":"draft"' \
	"$RCMS" case show "$A" --json
check "W02: the draft is W01's (its reference and creator)" \
	"created_by '$(field "$A" created_by)'" [ "$(field "$A" created_by)" = ana ]
synced PK "while the case is a draft"
synced AL "while the case is a draft"
check "PK: nothing of the draft" "$(cases_on PK) cases" \
	[ "$(cases_on PK)" = 0 ]
check "AL: nothing of the draft" "$(cases_on AL) cases" \
	[ "$(cases_on AL)" = 0 ]
req PK-MOI/W01 GET "/v1/changes?since=0"
check "exchange: PK-MOI's feed has no RS-MUP draft" "$(head -c 300 "$OUT")" \
	sh -c '! grep -q "$2" "$1"' sh "$OUT" "$AID"

at RS ana
ok_has "W01: ana submits for approval" "$A: awaiting approval" \
	"$RCMS" case submit "$A"
synced RS "awaiting approval"
synced PK "while the case awaits approval"
check "PK: nothing while it awaits approval" "$(cases_on PK) cases" \
	[ "$(cases_on PK)" = 0 ]

at W2 marko
synced W2 "awaiting approval"
ok_has "W02: marko approves ana's case" "$A: submitted" \
	"$RCMS" case approve "$A"
synced W2 "the approval"

at RS ana
synced RS "receives the approval"
check "W01: shows the case approved (submitted)" \
	"status '$(field "$A" status)'" [ "$(field "$A" status)" = submitted ]
check "W01: approved by marko" "approved_by '$(field "$A" approved_by)'" \
	[ "$(field "$A" approved_by)" = marko ]
check "W01: the exchange's final reference" \
	"final_ref '$(field "$A" final_ref)'" [ -n "$(field "$A" final_ref)" ]

synced PK "after the submission"
at PK
check "PK: has the case from its submission" \
	"$(sql "SELECT status FROM cases WHERE id = '$AID'")" \
	[ "$(sql "SELECT status FROM cases WHERE id = '$AID'")" = submitted ]
synced AL "after the submission"
check "AL: nothing at any time" "$(cases_on AL) cases" \
	[ "$(cases_on AL)" = 0 ]

# four eyes across workstations: ivan creates on W01, may not approve on W02
at RS ivan
ok "W01: ivan (a supervisor) opens a case" "$RCMS" case new surnames=Ali \
	given_names=Fatima sex=F birth_date=1988 nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof \
	--doc type=passport,number=CD7654321,issuing_state=PAK
B=$(cat "$OUT")
ok "W01: ivan submits it" "$RCMS" case submit "$B"
synced RS "ivan's case"
at W2 ivan
synced W2 "ivan's case"
fails "W02: ivan cannot approve his own case on another workstation" 77 \
	"another supervisor must approve" "$RCMS" case approve "$B"
at W2 marko
ok_has "W02: marko can" "$B: submitted" "$RCMS" case approve "$B"
synced W2 "ivan's case approved"

# ---- accounts: made on W01, used on W02, disabled on W02 -------------------

at RS admin
add_user zoe officer
synced RS "zoe's account"
at W2
synced W2 "zoe's account"
ok "W02: zoe (made on W01) logs in" env \
	RCMS_PASSWORD_FILE="$(password_file zoe)" "$RCMS" login zoe \
	--why processing
xstop "the exchange goes down: W02 offline"
ok "W02: zoe logs in again with the exchange down" env \
	RCMS_PASSWORD_FILE="$(password_file zoe)" "$RCMS" login zoe \
	--why processing
xstart

# zoe works on W01 before W01 hears she was disabled
at RS zoe
ok "W01: zoe opens a case (before her account is disabled)" \
	"$RCMS" case new surnames=Hoxha given_names=Arben sex=M \
	birth_date=1979 nationality=PAK requested_agency=PK-MOI
Z=$(cat "$OUT")

at W2 admin
ok "W02: admin disables zoe" "$RCMS" user disable zoe
fails "W02: zoe cannot log in there at once" 77 "disabled" env \
	RCMS_PASSWORD_FILE="$(password_file zoe)" "$RCMS" login zoe
synced W2 "zoe disabled"

at RS
ok "W01: zoe still works until W01 syncs (offline it is valid)" \
	"$RCMS" case show "$Z" --why processing
synced RS "hears zoe was disabled"
check "W01: zoe's case, made while her account was valid, was delivered" \
	"$(sql "SELECT state FROM outbox WHERE type = 'case.create' AND actor = 'zoe'")" \
	[ "$(sql "SELECT state FROM outbox WHERE type = 'case.create' AND actor = 'zoe'")" = applied ]
check "W01: and marked in the audit log" \
	"$(sql "SELECT detail FROM audit WHERE action = 'sync.disabled_actor'")" \
	[ "$(sql "SELECT count(*) FROM audit WHERE action = 'sync.disabled_actor' AND detail LIKE 'case.create by zoe delivered although the account was disabled%'")" = 1 ]
fails "W01: zoe's session has ended" 77 "" "$RCMS" whoami
fails "W01: zoe cannot log in after the sync" 77 "disabled" env \
	RCMS_PASSWORD_FILE="$(password_file zoe)" "$RCMS" login zoe
xstop "the exchange goes down: W01 offline"
fails "W01: nor offline" 77 "disabled" env \
	RCMS_PASSWORD_FILE="$(password_file zoe)" "$RCMS" login zoe
xstart

# a password changed on W02 is the one W01 takes
at W2 ana
echo "pw-ana-changed-on-W02-2026" >"$T/ana-new"
ok "W02: ana changes her password" env RCMS_NEW_PASSWORD_FILE="$T/ana-new" \
	"$RCMS" user passwd
cp "$(password_file ana)" "$T/ana-old"
cp "$T/ana-new" "$(password_file ana)"
at W2 ana
synced W2 "ana's new password"
at RS admin
synced RS "ana's new password"
fails "W01: ana's old password no longer opens" 77 "wrong user name or password" \
	env RCMS_PASSWORD_FILE="$T/ana-old" "$RCMS" login ana
ok "W01: her new one does" env RCMS_PASSWORD_FILE="$(password_file ana)" \
	"$RCMS" login ana --why processing

# a change of name and role made on W01 reaches W02
at RS admin
ok "W01: admin edits ivan's full name" "$RCMS" user edit ivan \
	--full-name "Ivan Ivanović"
synced RS "ivan renamed"
at W2 admin
synced W2 "ivan renamed"
check "W02: ivan's new name" "$(sql "SELECT full_name FROM users WHERE username = 'ivan'")" \
	[ "$(sql "SELECT full_name FROM users WHERE username = 'ivan'")" = "Ivan Ivanović" ]

# only an administrator changes the directory, at the exchange too
req RS-MUP/W01 POST /v1/ops -H 'Content-Type: application/json' --data-binary \
	"{\"ops\":[{\"op_id\":\"$(newid)\",\"type\":\"user.update\",\"entity_id\":\"$(newid)\",\"base_rev\":0,\"fields\":{\"username\":\"zoe\",\"enabled\":true},\"actor\":\"ana\",\"role\":\"admin\"}]}"
check "exchange: an officer claiming admin cannot enable an account" \
	"$(cat "$OUT")" grep -q 'problem:not-owner' "$OUT"

# ---- workstations: listed, and one retired ---------------------------------

at RS admin
ok_has "W01: workstation list shows W02" "W02" "$RCMS" workstation list
check "W01: ... with its last sync, and W01 as this one" "$(cat "$OUT")" \
	sh -c 'grep -q "^W01 .*this one" "$1" && grep -q "^W02  *[0-9]\{4\}-" "$1"' \
	sh "$OUT"
at RS ana
fails "W01: an officer may not list them" 77 "administrator" \
	"$RCMS" workstation list

at W2 ana
ok "W02: ana opens a case that waits to be sent" "$RCMS" case new \
	surnames=Begum given_names=Rina sex=F birth_date=1995 \
	nationality=PAK requested_agency=PK-MOI

at RS admin
fails "W01: a workstation cannot retire itself" 65 "cannot retire itself" \
	"$RCMS" workstation retire W01
ok "W01: admin retires W02" "$RCMS" workstation retire W02 \
	--reason "laptop stolen"
synced RS "the retirement"
ok_has "W01: W02 is listed as retired, with the reason" \
	"retired" "$RCMS" workstation list
check "W01: ... by admin: laptop stolen" "$(cat "$OUT")" \
	grep -q "^W02 .*retired .* by admin: laptop stolen" "$OUT"

req RS-MUP/W02 GET /v1/whoami
check "exchange: W02's certificate is refused (403)" "HTTP $HTTP" [ "$HTTP" = 403 ]
check "exchange: ... saying why" "$(cat "$OUT")" \
	sh -c 'grep -q "workstation-retired" "$1" && grep -q "laptop stolen" "$1"' \
	sh "$OUT"
at W2
fails "W02: its sync is refused with the reason" 77 "laptop stolen" \
	"$RCMS" sync
check "W02: its queued operation came back rejected with the reason" \
	"$(sql "SELECT state, result FROM outbox WHERE type = 'case.create' AND actor = 'ana' ORDER BY seq DESC LIMIT 1")" \
	sh -c 'sqlite3 "$1" "SELECT state || result FROM outbox WHERE type = '"'case.create'"' ORDER BY seq DESC LIMIT 1" | grep -q "^rejected.*retired.*laptop stolen"' \
	sh "$RCMS_HOME/rcms.db"
ok_has "W02: rcms outbox shows it rejected" "rejected" "$RCMS" outbox
check "W02: the refusal is in its audit log" \
	"$(sql "SELECT detail FROM audit WHERE action = 'sync.refused'")" \
	[ "$(sql "SELECT count(*) FROM audit WHERE action = 'sync.refused' AND detail LIKE '1 operations refused%laptop stolen%'")" = 1 ]
synced RS "after W02 was retired"

xstop
summary
