#!/bin/sh
# purge.sh - retention (issue 8): what must go goes, what must stay stays,
# on both sides.  RS-MUP asks PK-MOI; the replicas are made for tests
# (test_clock = yes at init) so that RCMS_TEST_NOW moves their clocks, and
# the exchange's clock moves with X-Test-Now (tests/exchange/lib.sh).
#
# Case OLD is closed now, case NEW three years later, case OPEN stays a
# draft; OLD has a document, a note, an identity check, a blob of its own
# and one it shares with OPEN.  Six years on (retention_days 1825):
#   - a non-admin is refused; --dry-run lists OLD alone and changes nothing;
#   - rcms purge anonymises OLD on RS (personal fields empty; document,
#     note, its own blob gone from the store, the shared one kept; the
#     identity check's texts empty; search finds nothing), audited there
#     with the reference and no name;
#   - its case.purge is applied at the exchange: the feed shows OLD
#     anonymised with purged_at, without records; the exchange's blob store
#     lost the blob of OLD's own; the purge log names the reference;
#   - PK's sync clears its copy the same way, audited (case.purged);
#   - NEW and OPEN are untouched on both sides; the reports count the same;
#   - the exchange refuses a purge by the requested agency, of a case closed
#     too recently, with a claim below retention_min_days, or by a role
#     other than admin; every audit log verifies.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/sync/lib.sh"

NOW=$(date -u +%s)
T3=$((NOW + 3 * 366 * 86400))      # NEW is closed then
T6=$((NOW + 6 * 366 * 86400))      # the purge runs then
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# xclock T: the exchange's clock (test_clock = yes) is now T.
xclock() {
	req RS-MUP/W01 GET /v1/health -H "X-Test-Now: $(iso "$1")"
}

# treplica NAME AGENCY WS: as replica, made for tests (RCMS_TEST_NOW).
treplica() {
	at "$1"
	rm -rf "$RCMS_HOME"
	mkdir -p "$RCMS_HOME"
	printf 'argon2_t_cost = 1\nargon2_m_cost_kib = 1024\ntest_clock = yes\n' \
		>"$RCMS_HOME/rcms.conf"
	run env RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" init \
		--agency "$2" --workstation "$3" --admin admin \
		--admin-name "Admin $2" \
		--agreements "$ROOT/data/agreements.json"
	if [ "$RC" -ne 0 ] || sanitizer_report; then
		fail "setup: init $1 ($2 $3)" "exit $RC"
		exit 1
	fi
	eval "AGENCY_$1=$2 WS_$1=$3"
	as admin || exit 1
}

xsetup
xstart
sed "s/^port = 0\$/port = $PORT/" "$XCONF" >"$XCONF.new" && mv "$XCONF.new" "$XCONF"
treplica RS RS-MUP W01
add_user ana officer
add_user marko supervisor
treplica PK PK-MOI W01
add_user omar officer
for r in RS PK; do
	enroll "$r"
done

# ---- the cases -------------------------------------------------------------

at RS ana
head -c 3000 /dev/urandom >"$T/own.pdf"
head -c 4000 /dev/urandom >"$T/shared.pdf"
OWN=$(sha256sum "$T/own.pdf" | cut -d ' ' -f 1)
SHARED=$(sha256sum "$T/shared.pdf" | cut -d ' ' -f 1)
# newcase SURNAME DOCNUMBER: REF is its reference.
newcase() {
	ok "RS: case new $1" "$RCMS" case new surnames="$1" given_names=Omar \
		sex=M birth_date=1991-05-06 nationality=PAK \
		requested_agency=PK-MOI evidence_basis=proof \
		--doc "type=passport,number=$2,issuing_state=PAK"
	REF=$(head -n 1 "$OUT")
}
newcase Zahiri ZA1234567
OLD=$REF
newcase Recentov RE1234567
NEW=$REF
newcase Openova OP1234567
OPEN=$REF
ok "RS: a note on OLD" "$RCMS" note add "$OLD" "Says he came through Zahedan."
ok "RS: OLD's own scan" "$RCMS" attach "$OLD" "$T/own.pdf" --kind scan
ok "RS: a scan OLD shares with OPEN" "$RCMS" attach "$OLD" "$T/shared.pdf" --kind scan
ok "RS: the shared scan on OPEN" "$RCMS" attach "$OPEN" "$T/shared.pdf" --kind scan
for c in "$OLD" "$NEW"; do
	ok "RS: submit $c" "$RCMS" case submit "$c"
done
at RS marko
for c in "$OLD" "$NEW"; do
	ok "RS: approve $c" "$RCMS" case approve "$c"
done
at RS ana
synced RS "the applications"
ok "RS: an identity check on OLD" "$RCMS" idcheck request "$OLD" \
	--kind identity --question "Is Omar Zahiri known to NADRA?"
QID=$(cat "$OUT")
synced RS "the identity check"
OLDID=$(field "$OLD" id)
NEWID=$(field "$NEW" id)
OPENID=$(field "$OPEN" id)
FOLD=$(field "$OLD" final_ref)
FNEW=$(field "$NEW" final_ref)

at PK omar
synced PK "receive"
ok "PK: answers the identity check" "$RCMS" idcheck answer "$FOLD" "$QID" \
	--answer not_confirmed --text "No Omar Zahiri in the register."
for c in "$FOLD" "$FNEW"; do
	ok "PK: reject $c" "$RCMS" case reject "$c" --reason "not a national"
done
synced PK "the rejections"
at RS ana
synced RS "receive the rejections"
ok_has "RS: close OLD (now)" ": closed" "$RCMS" case close "$OLD"
synced RS "OLD closed"
# NEW is closed three years later, by both clocks
xclock "$T3"
export RCMS_TEST_NOW=$T3
as ana
ok_has "RS: close NEW (three years on)" ": closed" "$RCMS" case close "$NEW"
synced RS "NEW closed"
at PK omar
synced PK "both closed"
unset RCMS_TEST_NOW

# ---- six years on ------------------------------------------------------------

xclock "$T6"
export RCMS_TEST_NOW=$T6
at RS marko
run "$RCMS" report caseload --from 2000-01-01 --format csv
cp "$OUT" "$T/caseload.before"
run "$RCMS" report outcomes --from 2000-01-01 --format csv
cp "$OUT" "$T/outcomes.before"
check "RS: the caseload counts the three cases" "$(cat "$T/caseload.before")" \
	[ -s "$T/caseload.before" ]

at RS ana
fails "RS: an officer may not purge" 77 "only an administrator can purge" \
	"$RCMS" purge --dry-run
at RS marko
fails "RS: a supervisor may not purge" 77 "only an administrator can purge" \
	"$RCMS" purge
at RS admin
BEFORE=$(sql "SELECT group_concat(surnames || given_names || birth_date, ',') FROM cases")
ok "RS: purge --dry-run" "$RCMS" purge --dry-run
check "RS: --dry-run lists OLD with its closing date" "got: $(tr '\n' '|' <"$OUT")" \
	grep -Eq "^$FOLD +closed [0-9]{4}-[0-9]{2}-[0-9]{2}\$" "$OUT"
check "RS: --dry-run lists neither NEW nor OPEN" "got: $(tr '\n' '|' <"$OUT")" \
	sh -c "! grep -Eq '$FNEW|$OPEN' '$OUT'"
check "RS: --dry-run lists no name" "got: $(tr '\n' '|' <"$OUT")" \
	sh -c "! grep -q Zahiri '$OUT'"
check "RS: --dry-run says it changed nothing" "got: $(tr '\n' '|' <"$OUT")" \
	grep -q "^1 case closed more than 1825 days ago would be purged (dry run" "$OUT"
check "RS: --dry-run changed nothing" "'$(outbox_pending)' to send" \
	[ "$(sql "SELECT group_concat(surnames || given_names || birth_date, ',') FROM cases")/$(outbox_pending)" = "$BEFORE/0" ]
printf 'retention_days = 10\n' >>"$RCMS_HOME/rcms.conf"
fails "RS: retention_days below a year is refused" 78 "retention_days is 0" \
	"$RCMS" purge --dry-run
sed -i '$d' "$RCMS_HOME/rcms.conf"

ok_has "RS: purge" "1 case purged" "$RCMS" purge
check "RS: purge names OLD only" "got: $(tr '\n' '|' <"$OUT")" \
	[ "$(grep -c purged "$OUT")/$(grep -c "^$FOLD " "$OUT")" = "2/1" ]
check "RS: OLD's personal fields are empty" \
	"$(sql "SELECT surnames, given_names, birth_date, nationality, sex FROM cases WHERE id = '$OLDID'")" \
	[ "$(sql "SELECT surnames || given_names || birth_date || nationality || birth_place || father_name || '/' || sex || '/' || status || '/' || final_ref FROM cases WHERE id = '$OLDID'")" = "/unknown/closed/$FOLD" ]
check "RS: OLD's documents, notes, attachments are gone" \
	"$(sql "SELECT (SELECT count(*) FROM documents WHERE case_id = '$OLDID') || (SELECT count(*) FROM notes WHERE case_id = '$OLDID') || (SELECT count(*) FROM attachments WHERE case_id = '$OLDID')")" \
	[ "$(sql "SELECT (SELECT count(*) FROM documents WHERE case_id = '$OLDID') || (SELECT count(*) FROM notes WHERE case_id = '$OLDID') || (SELECT count(*) FROM attachments WHERE case_id = '$OLDID')")" = 000 ]
check "RS: OLD's identity check kept, its texts empty" \
	"$(sql "SELECT kind, answer, question, answer_text FROM idchecks WHERE case_id = '$OLDID'")" \
	[ "$(sql "SELECT kind || answer || question || answer_text FROM idchecks WHERE case_id = '$OLDID'")" = identitynot_confirmed ]
check "RS: OLD's own blob is gone from the store" "blobs/${OWN%"${OWN#??}"}/$OWN" \
	[ ! -e "$RCMS_HOME/blobs/${OWN%"${OWN#??}"}/$OWN" ]
check "RS: the blob OPEN shares is kept" "blobs/${SHARED%"${SHARED#??}"}/$SHARED" \
	[ -e "$RCMS_HOME/blobs/${SHARED%"${SHARED#??}"}/$SHARED" ]
check "RS: no outbox operation of OLD holds its data" \
	"$(sql "SELECT type FROM outbox WHERE entity_id = '$OLDID'")" \
	[ "$(sql "SELECT count(*) FROM outbox WHERE entity_id = '$OLDID' AND (fields LIKE '%Zahiri%' OR fields LIKE '%Zahedan%')")" = 0 ]
check "RS: the case.purge operation waits to be sent" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" = 1 ]
ok "RS: audit list as admin" "$RCMS" audit list --case "$OLD"
check "RS: the audit entry names the reference" "got: $(tr '\n' '|' <"$OUT")" \
	grep -q "case.purge.*$FOLD closed .*retention 1825 days" "$OUT"
check "RS: no audit entry holds the person's name" \
	"$(sql "SELECT count(*) FROM audit WHERE detail LIKE '%Zahiri%'")" \
	[ "$(sql "SELECT count(*) FROM audit WHERE detail LIKE '%Zahiri%'")" = 0 ]
ok_has "RS: a second purge finds nothing" "0 cases purged" "$RCMS" purge
at RS ana
run "$RCMS" search zahiri
check "RS: search finds nothing of OLD" "got: $(tr '\n' '|' <"$OUT")" \
	sh -c "! grep -q '$FOLD' '$OUT'"
run "$RCMS" search za1234567
check "RS: nor by its document number" "got: $(tr '\n' '|' <"$OUT")" \
	sh -c "! grep -q '$FOLD' '$OUT'"
check "RS: OLD has no search index row" \
	"$(sql "SELECT count(*) FROM search_persons WHERE case_id = '$OLDID'")" \
	[ "$(sql "SELECT count(*) FROM search_persons WHERE case_id = '$OLDID'")" = 0 ]
ok_has "RS: search still finds NEW" "Recentov" "$RCMS" search recentov
ok_has "RS: search still finds OPEN" "Openova" "$RCMS" search openova
check "RS: NEW and OPEN untouched" \
	"$(sql "SELECT surnames, (SELECT count(*) FROM documents d WHERE d.case_id = c.id) FROM cases c WHERE id IN ('$NEWID', '$OPENID') ORDER BY surnames")" \
	[ "$(sql "SELECT group_concat(surnames || (SELECT count(*) FROM documents d WHERE d.case_id = c.id), ',') FROM (SELECT * FROM cases ORDER BY surnames) c WHERE id IN ('$NEWID', '$OPENID')")" = "Openova1,Recentov1" ]

# ---- the exchange ------------------------------------------------------------

# What it must refuse, pushed directly (RS's own purge follows).
push PK-MOI/W01 "[op('case.purge', '$OLDID', 1, {'role': 'admin', 'retention_days': 1825})]"
expect "exchange: the requested agency may not purge" \
	'r0["status"] == "rejected" and problem(r0) == "not-owner"'
push RS-MUP/W01 "[op('case.purge', '$NEWID', 1, {'role': 'admin', 'retention_days': 1825})]"
expect "exchange: NEW, closed three years ago by its clock, is kept" \
	'r0["status"] == "rejected" and problem(r0) == "retention"'
push RS-MUP/W01 "[op('case.purge', '$NEWID', 1, {'role': 'admin', 'retention_days': 30})]"
expect "exchange: a claim below retention_min_days is refused" \
	'r0["status"] == "rejected" and problem(r0) == "retention" and "retention_min_days" in r0["problem"]["detail"]'
push RS-MUP/W01 "[op('case.purge', '$OLDID', 1, {'role': 'supervisor', 'retention_days': 1825})]"
expect "exchange: a supervisor's purge is refused" \
	'r0["status"] == "rejected" and problem(r0) == "not-owner"'
push RS-MUP/W01 "[op('case.purge', '$OPENID', 1, {'role': 'admin', 'retention_days': 1825})]"
expect "exchange: an open case is kept" \
	'r0["status"] == "rejected" and problem(r0) == "retention"'
check "exchange: OLD's blob is still there before the purge" "$OWN" \
	[ -e "$XDATA/blobs/${OWN%"${OWN#??}"}/$OWN" ]

at RS admin
synced RS "the purge"
check "RS: the case.purge is applied" "printed '$(head -n 1 "$OUT")'" \
	grep -q "^pushed 1 (1 applied" "$OUT"
feed RS-MUP/W01
expect "exchange feed: OLD anonymised, purged_at set, no records" \
	"(lambda c: bool(c.get('purged_at')) and c['surnames'] == '' and c['given_names'] == '' and c.get('birth_date', '') == '' and c.get('nationality', '') == '' and c['documents'] == [] and c['notes'] == [] and c['attachments'] == [] and c['idchecks'] == [] and c['status'] == 'closed' and c['final_ref'] == '$FOLD')(feed['$OLDID'])"
expect "exchange feed: NEW and OPEN keep their data" \
	"feed['$NEWID']['surnames'] == 'Recentov' and len(feed['$NEWID']['documents']) == 1 and feed['$OPENID']['surnames'] == 'Openova' and len(feed['$OPENID']['attachments']) == 1 and not feed['$NEWID'].get('purged_at')"
check "exchange: the feed holds no trace of the name" "Zahiri in the feed" \
	sh -c "! grep -q -e Zahiri -e Zahedan -e ZA1234567 '$OUT'"
feed PK-MOI/W01
check "exchange: nor does PK's feed" "Zahiri in PK's feed" \
	sh -c "! grep -q -e Zahiri -e Zahedan -e ZA1234567 '$OUT'"
check "exchange: OLD's own blob is gone from its store" "$OWN" \
	[ ! -e "$XDATA/blobs/${OWN%"${OWN#??}"}/$OWN" ]
check "exchange: the shared blob is kept" "$SHARED" \
	[ -e "$XDATA/blobs/${SHARED%"${SHARED#??}"}/$SHARED" ]
req RS-MUP/W01 HEAD "/v1/blobs/$OWN" -I
check "exchange: HEAD of OLD's own blob answers 404" "HTTP $HTTP" [ "$HTTP" = 404 ]
XP=$(sqlite3 "$XDATA/exchange.db" "SELECT agency || ' ' || reference || ' ' || retention_days || ' ' || case_id FROM purges")
check "exchange: the purge log names agency, reference, retention" "'$XP'" \
	[ "$XP" = "RS-MUP $FOLD 1825 $OLDID" ]
check "exchange: the purge log is append-only" "a row was deleted" \
	sh -c "! sqlite3 '$XDATA/exchange.db' 'DELETE FROM purges' 2>/dev/null"
check "exchange: its database holds no trace of OLD's person" \
	"$(sqlite3 "$XDATA/exchange.db" "SELECT count(*) FROM cases WHERE id = '$OLDID' AND (body LIKE '%Zahiri%' OR snapshot LIKE '%Zahiri%' OR snapshot_rq LIKE '%Zahiri%')") case rows, $(sqlite3 "$XDATA/exchange.db" "SELECT count(*) FROM children WHERE case_id = '$OLDID'") children" \
	[ "$(sqlite3 "$XDATA/exchange.db" "SELECT count(*) FROM cases WHERE id = '$OLDID' AND (body LIKE '%Zahiri%' OR snapshot LIKE '%Zahiri%' OR snapshot_rq LIKE '%Zahiri%')")/$(sqlite3 "$XDATA/exchange.db" "SELECT count(*) FROM children WHERE case_id = '$OLDID'")" = 0/0 ]

# ---- PK follows the feed -------------------------------------------------------

at PK omar
check "PK: before its sync, OLD is still there" "$(field "$FOLD" surnames)" \
	[ "$(field "$FOLD" surnames)" = Zahiri ]
synced PK "the purged case"
check "PK: OLD's personal fields are empty" \
	"$(sql "SELECT surnames, given_names, birth_date FROM cases WHERE id = '$OLDID'")" \
	[ "$(sql "SELECT surnames || given_names || birth_date || nationality || '/' || status FROM cases WHERE id = '$OLDID'")" = "/closed" ]
check "PK: OLD's documents, notes, attachments are gone" \
	"$(sql "SELECT (SELECT count(*) FROM documents WHERE case_id = '$OLDID') || (SELECT count(*) FROM notes WHERE case_id = '$OLDID') || (SELECT count(*) FROM attachments WHERE case_id = '$OLDID')")" \
	[ "$(sql "SELECT (SELECT count(*) FROM documents WHERE case_id = '$OLDID') || (SELECT count(*) FROM notes WHERE case_id = '$OLDID') || (SELECT count(*) FROM attachments WHERE case_id = '$OLDID')")" = 000 ]
check "PK: OLD's identity check texts are empty" \
	"$(sql "SELECT question, answer_text FROM idchecks WHERE case_id = '$OLDID'")" \
	[ "$(sql "SELECT count(*) FROM idchecks WHERE case_id = '$OLDID' AND question = '' AND answer_text = ''")" = 1 ]
check "PK: no blob of OLD's own, row or file" \
	"$(sql "SELECT count(*) FROM blobs WHERE sha256 = '$OWN'") rows" \
	[ "$(sql "SELECT count(*) FROM blobs WHERE sha256 = '$OWN'")" = 0 ] && \
	check "PK: no file of OLD's own blob" "$OWN" \
		[ ! -e "$RCMS_HOME/blobs/${OWN%"${OWN#??}"}/$OWN" ]
check "PK: no outbox operation holds OLD's data" \
	"$(sql "SELECT count(*) FROM outbox WHERE entity_id = '$OLDID'")" \
	[ "$(sql "SELECT count(*) FROM outbox WHERE entity_id = '$OLDID' AND fields LIKE '%Zahiri%'")" = 0 ]
check "PK: OLD has no search index row" \
	"$(sql "SELECT count(*) FROM search_persons WHERE case_id = '$OLDID'")" \
	[ "$(sql "SELECT count(*) FROM search_persons WHERE case_id = '$OLDID'")" = 0 ]
run "$RCMS" search zahiri
check "PK: search finds nothing of OLD" "got: $(tr '\n' '|' <"$OUT")" \
	sh -c "! grep -q '$FOLD' '$OUT'"
ok_has "PK: search still finds NEW" "Recentov" "$RCMS" search recentov
check "PK: NEW untouched" "$(field "$FNEW" surnames)" \
	[ "$(field "$FNEW" surnames)/$(sql "SELECT count(*) FROM documents WHERE case_id = '$NEWID'")" = Recentov/1 ]
check "PK: the purge is in its audit log (case.purged), by reference" \
	"$(sql "SELECT action, detail FROM audit WHERE case_id = '$OLDID' AND action = 'case.purged'")" \
	[ "$(sql "SELECT count(*) FROM audit WHERE case_id = '$OLDID' AND action = 'case.purged' AND detail LIKE '$FOLD purged by RS-MUP%' AND detail NOT LIKE '%Zahiri%'")" = 1 ]
synced PK "again"
check "PK: a second pull audits it once" \
	"$(sql "SELECT count(*) FROM audit WHERE case_id = '$OLDID' AND action = 'case.purged'")" \
	[ "$(sql "SELECT count(*) FROM audit WHERE case_id = '$OLDID' AND action = 'case.purged'")" = 1 ]

# ---- what the reports count stays ----------------------------------------------

at RS admin
synced RS "the purged case back from the feed"
check "RS: still anonymised after its own pull" \
	"$(sql "SELECT surnames FROM cases WHERE id = '$OLDID'")" \
	[ "$(sql "SELECT surnames || given_names FROM cases WHERE id = '$OLDID'")" = "" ]
at RS marko
run "$RCMS" report caseload --from 2000-01-01 --format csv
check "RS: the caseload counts the same after the purge" \
	"$(diff "$T/caseload.before" "$OUT" | tr '\n' '|')" cmp -s "$T/caseload.before" "$OUT"
run "$RCMS" report outcomes --from 2000-01-01 --format csv
check "RS: the outcomes count the same after the purge" \
	"$(diff "$T/outcomes.before" "$OUT" | tr '\n' '|')" cmp -s "$T/outcomes.before" "$OUT"

for r in RS PK; do
	at "$r" admin
	ok "$r: the audit log verifies" "$RCMS" audit verify
	check "$r: the caseload's counts equal the cases after the purge" \
		"$(sql "$(cat "$ROOT/tests/tools/counts-differ.sql")") rows differ" \
		[ "$(sql "$(cat "$ROOT/tests/tools/counts-differ.sql")")" = 0 ]
done
unset RCMS_TEST_NOW

xstop
summary
