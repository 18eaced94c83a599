#!/bin/sh
# roundtrip.sh - the readmission round trip through the real exchange, on
# three replicas with their own databases: RS-MUP W01 asks, PK-MOI W01
# answers, AL-MOI W01 takes part in nothing and must see nothing.
#
# RS opens a case (a passport, a note, an attachment linked locally: its
# metadata is checked at PK, not its bytes), syncs the draft, completes it,
# submits; a supervisor who did not create it approves; the sync gives it
# the exchange's final reference and the reply deadline.  PK receives it,
# cannot edit RS's fields, accepts and issues a travel document; RS sees
# that, schedules the transfer, records it and closes the case; PK sees it
# closed.  A second case is rejected by PK with a reason, which RS sees.
# AL syncs after every step and stays empty.  At the end no replica has
# anything left to send and every audit log verifies.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/sync/lib.sh"

YEAR=$(date -u +%Y)

sync_setup

# al_blind STEP: AL syncs; none of this is its business, so it receives no
# case, lists none, stores none, and its feed position and outbox stay 0.
al_blind() {
	synced AL "$1"
	_rcv=$(sed -n 's/.*received \([0-9][0-9]*\) cases.*/\1/p' "$OUT")
	_db=$(sql "SELECT count(*) FROM cases")
	# AL's officer: cases are not the administrator's to consult
	as besa
	run "$RCMS" case list --format csv
	_listed=$(($(wc -l <"$OUT") - 1))
	run "$RCMS" sync status
	_pos=$(sed -n 's/^feed position  *\([0-9-][0-9]*\)$/\1/p' "$OUT")
	_send=$(sed -n 's/^operations to send  *\([0-9-][0-9]*\)$/\1/p' "$OUT")
	check "AL after $1: no case, feed position 0, nothing to send" \
		"received '$_rcv', $_db cases stored, $_listed listed, feed position '$_pos', '$_send' to send" \
		[ "$_rcv/$_db/$_listed/$_pos/$_send" = "0/0/0/0/0" ]
}

# sent NAME N: the last `rcms sync` pushed N operations, all applied.
sent() {
	check "$1" "printed '$(head -n 1 "$OUT")'" \
		grep -q "^pushed $2 ($2 applied, 0 duplicate, 0 conflict, 0 rejected)" "$OUT"
}

# ---- RS: the application ----------------------------------------------------

at RS ana
ok "RS: case new (a passport)" "$RCMS" case new surnames=Khan \
	given_names=Imran sex=M birth_date=1990-03-04 nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof \
	--doc type=passport,number=AB1234567,issuing_state=PAK
A=$(cat "$OUT")
check "RS: case new prints a provisional reference" "printed '$A'" \
	matches "$A" "RS-MUP-W01-$YEAR-[0-9]\{6\}"
AID=$(field "$A" id)

# A draft that has been synced is still the officer's to complete.
synced RS "the draft"
sent "RS: the draft's case.create is applied" 1
synced PK "while RS's case is a draft"
check "PK: sees nothing of a draft" \
	"$(sql "SELECT count(*) FROM cases") cases" \
	[ "$(sql "SELECT count(*) FROM cases")" = 0 ]
at RS
ok "RS: case edit after a sync" "$RCMS" case edit "$A" "given_names=Imran Ali"
ok "RS: note add" "$RCMS" note add "$A" "Apprehended at Horgos; says he came through Turkey."
head -c 5000 /dev/urandom >"$T/passport-scan.pdf"
SHA=$(sha256sum "$T/passport-scan.pdf" | cut -d ' ' -f 1)
ok "RS: attach a scan (linked locally)" "$RCMS" attach "$A" \
	"$T/passport-scan.pdf" --kind scan
ok_has "RS: case submit" "$A: awaiting approval" "$RCMS" case submit "$A"
at RS marko
ok_has "RS: case approve (a supervisor who did not create it)" \
	"$A: submitted" "$RCMS" case approve "$A"
check "RS: the outbox holds the 5 operations" "'$(outbox_pending)' to send" \
	[ "$(outbox_pending)" = 5 ]

synced RS "the application"
sent "RS: all 5 operations applied" 5
FR=$(field "$A" final_ref)
check "RS: the exchange's final reference" "final_ref '$FR'" \
	matches "$FR" "RS-PK-$YEAR-[0-9]\{6\}"
ok_has "RS: case show names the exchange reference" \
	"exchange reference           $FR" "$RCMS" case show "$A"
DUE=$(sed -n 's/^reply due  *\([0-9T:Z-]*\)$/\1/p' "$OUT")
feed RS-MUP/W01
XDUE=$(val "feed['$AID'].get('reply_due')")
check "RS: case show has the reply deadline the exchange set" \
	"case show: '$DUE', the exchange: '$XDUE'" \
	[ "${DUE:-none}" = "${XDUE:-missing}" ]
check "RS: the deadline is in the future" "reply due '$DUE'" \
	[ "$(date -u -d "$DUE" +%s 2>/dev/null || echo 0)" -gt "$(date -u +%s)" ]
ok_has "RS: sync status names the exchange" "$URL" "$RCMS" sync status
check "RS: sync status: operations to send 0" "got: $(tr '\n' '|' <"$OUT")" \
	grep -q '^operations to send  *0$' "$OUT"
al_blind "RS sent the application"

# ---- an identity check, asked after submission -----------------------------------

at RS ana
ok "RS: idcheck request (identity)" "$RCMS" idcheck request "$A" \
	--kind identity --question "Please confirm his identity against NADRA records."
QID=$(cat "$OUT")
check "RS: the identity check has an id" "got '$QID'" \
	matches "$QID" "[0-9a-f]\{8\}-[0-9a-f-]*"
synced RS "the identity check"
sent "RS: the idcheck.request is applied" 1

# ---- PK: the requested agency receives it ---------------------------------------

at PK omar
synced PK "receive the application"
check "PK: received the case" "printed '$(head -n 1 "$OUT")'" \
	grep -q 'received [1-9][0-9]* cases' "$OUT"
ok "PK: case list" "$RCMS" case list
check "PK: case list shows it submitted, with the days left" \
	"got: $(tr '\n' '|' <"$OUT")" \
	grep -Eq "^$FR +submitted +PK-MOI +Khan, Imran Ali +PAK +1990-03-04 +[0-9]+ d left *\$" "$OUT"
ok "PK: case show by the final reference" "$RCMS" case show "$FR"
check "PK: case show: the person" "got: $(tr '\n' '|' <"$OUT")" \
	grep -q '^given name(s)  *Imran Ali$' "$OUT"
check "PK: case show: the passport" "no passport AB1234567" \
	grep -Eq '^  passport +AB1234567 +PAK' "$OUT"
check "PK: case show: the note, signed by the agency" "no note" \
	grep -q 'RS-MUP: Apprehended at Horgos; says he came through Turkey\.$' "$OUT"
check "PK: case show: no RS officer's user name (whitelist)" \
	"an RS user name reached PK" sh -c "! grep -Eq '\\b(ana|marko)\\b' '$OUT'"
ok "PK: attachments (metadata only)" "$RCMS" attachments "$FR" --format json
check "PK: the attachment's metadata arrived" "got: $(cat "$OUT")" py_json "
assert len(data) == 1, data
a = data[0]
assert (a['sha256'], a['size'], a['filename'], a['kind']) == \
	('$SHA', 5000, 'passport-scan.pdf', 'scan'), a
assert a['added_by'] == 'RS-MUP', a"

# PK cannot touch what RS owns: refused on the spot, nothing queued.
fails "PK: case edit of an RS-owned field is refused locally" "77 65" \
	"requesting agency" "$RCMS" case edit "$FR" surnames=Smith
check "PK: the refused edit changed nothing" \
	"surnames '$(field "$FR" surnames)', '$(outbox_pending)' to send" \
	[ "$(field "$FR" surnames)/$(outbox_pending)" = "Khan/0" ]

ok_has "PK: idchecks shows RS's question, signed by the agency" \
	"by RS-MUP: Please confirm his identity against NADRA records." \
	"$RCMS" idchecks "$FR"
fails "PK: a negative answer needs a text" "65" "say why" \
	"$RCMS" idcheck answer "$FR" "$QID" --answer not_confirmed
ok_has "PK: idcheck answer confirmed" "answered: confirmed" \
	"$RCMS" idcheck answer "$FR" "$QID" --answer confirmed
fails "PK: an answer is never changed" "65" "answered already" \
	"$RCMS" idcheck answer "$FR" "$QID" --answer not_confirmed --text no
ok_has "PK: case accept" ": accepted" "$RCMS" case accept "$FR"
ok_has "PK: case issue --travel-doc" ": travel document issued" \
	"$RCMS" case issue "$FR" --travel-doc TD-PK-2026-0042
synced PK "the answer"
sent "PK: the answer, accept and issue applied" 3
al_blind "PK answered"

# ---- RS: the answer, the transfer --------------------------------------------------

at RS ana
synced RS "receive the answer"
check "RS: sees travel_document_issued" "status '$(field "$A" status)'" \
	[ "$(field "$A" status)" = travel_document_issued ]
ok_has "RS: the identity check came back confirmed, signed by PK-MOI" \
	"answer: confirmed (PK-MOI" "$RCMS" idchecks "$A"
check "RS: sees the travel document's number" \
	"travel_doc_number '$(field "$A" travel_doc_number)'" \
	[ "$(field "$A" travel_doc_number)" = TD-PK-2026-0042 ]
TDATE=$(date -u -d '+20 days' +%F)
ok_has "RS: case schedule --date" "$A: transfer scheduled" \
	"$RCMS" case schedule "$A" --date "$TDATE"
ok_has "RS: case transfer" "$A: transferred" "$RCMS" case transfer "$A"
ok_has "RS: case close" "$A: closed" "$RCMS" case close "$A"
synced RS "the transfer"
sent "RS: schedule, transfer and close applied" 3
al_blind "RS closed the case"

at PK
synced PK "receive the closure"
check "PK: sees the case closed" "status '$(field "$FR" status)'" \
	[ "$(field "$FR" status)" = closed ]
check "PK: sees the transfer date" \
	"transfer_date '$(field "$FR" transfer_date)'" \
	[ "$(field "$FR" transfer_date)" = "$TDATE" ]
ok "PK: case list" "$RCMS" case list
check "PK: case list shows it closed" "got: $(tr '\n' '|' <"$OUT")" \
	grep -Eq "^$FR +closed +PK-MOI " "$OUT"

# ---- a rejection -------------------------------------------------------------------

at RS ana
ok "RS: case new (to be rejected)" "$RCMS" case new surnames=Ahmed \
	given_names=Bilal sex=M birth_date=1988 nationality=PAK \
	requested_agency=PK-MOI evidence_basis=proof \
	--doc type=id_card,number=3520112345671,issuing_state=PAK
B=$(cat "$OUT")
ok "RS: case submit (to be rejected)" "$RCMS" case submit "$B"
at RS ivan
ok "RS: case approve (to be rejected)" "$RCMS" case approve "$B"
synced RS "the second application"
sent "RS: the second application applied" 3
FB=$(field "$B" final_ref)
check "RS: the second case has a final reference of its own" \
	"'$FB', the first '$FR'" eval 'matches "$FB" "RS-PK-$YEAR-[0-9]\{6\}" && [ "$FB" != "$FR" ]'
al_blind "RS sent the second application"

at PK sana
synced PK "receive the second application"
REASON="The person is not a national of Pakistan: the ID card number is not in NADRA's register."
ok_has "PK: case reject --reason" ": rejected" \
	"$RCMS" case reject "$FB" --reason "$REASON"
synced PK "the rejection"
sent "PK: the rejection applied" 1
al_blind "PK rejected"

at RS ana
synced RS "receive the rejection"
check "RS: sees rejected" "status '$(field "$B" status)'" \
	[ "$(field "$B" status)" = rejected ]
check "RS: sees PK's reason" "reason '$(field "$B" reason)'" \
	[ "$(field "$B" reason)" = "$REASON" ]
ok_has "RS: case show has the reason" "$REASON" "$RCMS" case show "$B"
ok_has "RS: case close (rejected)" "$B: closed" "$RCMS" case close "$B"
synced RS "close the rejected case"
at PK
synced PK "see the rejected case closed"
check "PK: sees the rejected case closed" "status '$(field "$FB" status)'" \
	[ "$(field "$FB" status)" = closed ]
al_blind "the end"

# ---- every replica at the end ------------------------------------------------------

for R in RS PK AL; do
	at "$R"
	ok_has "$R: sync status names the exchange" "exchange               $URL" \
		"$RCMS" sync status
	check "$R: sync status: operations to send 0" \
		"got: $(tr '\n' '|' <"$OUT")" grep -q '^operations to send  *0$' "$OUT"
	check "$R: sync status: nothing refused" \
		"got: $(tr '\n' '|' <"$OUT")" grep -q '^refused, to see to  *0$' "$OUT"
	ok_has "$R: audit verify" "audit log intact" "$RCMS" audit verify
	check "$R: the caseload's counts equal the cases the pulls wrote" \
		"$(sql "$(cat "$ROOT/tests/tools/counts-differ.sql")") rows differ" \
		[ "$(sql "$(cat "$ROOT/tests/tools/counts-differ.sql")")" = 0 ]
	check "$R: each person's copy of its case's status and agencies is current" \
		"$(sql "SELECT count(*) FROM search_persons p JOIN cases c ON c.id = p.case_id WHERE p.status <> c.status OR p.updated_at <> c.updated_at OR p.requested_agency <> c.requested_agency OR p.nationality <> c.nationality")" \
		[ "$(sql "SELECT count(*) FROM search_persons p JOIN cases c ON c.id = p.case_id WHERE p.status <> c.status OR p.updated_at <> c.updated_at OR p.requested_agency <> c.requested_agency OR p.nationality <> c.nationality")" = 0 ]
	# the search index, written in bulk by the pulls, agrees with its
	# content table (FTS5's own check) and holds every case
	check "$R: the search index passes FTS5's integrity check" \
		"$(sql "INSERT INTO search_fts(search_fts, rank) VALUES('integrity-check', 1)" 2>&1)" \
		sh -c "sqlite3 -batch -cmd '.timeout 5000' '$RCMS_HOME/rcms.db' \"INSERT INTO search_fts(search_fts, rank) VALUES('integrity-check', 1)\""
	check "$R: every case has its person in the search index" \
		"$(sql "SELECT count(*) FROM cases") cases, $(sql "SELECT count(*) FROM search_persons") persons" \
		[ "$(sql "SELECT count(*) FROM cases")" = "$(sql "SELECT count(*) FROM search_persons")" ]
done
at PK
ok_has "PK: rcms search finds the pulled case by a folded name" "Khan" \
	"$RCMS" search khan
check "RS and PK hold the same two cases" \
	"RS: $(at RS; sql "SELECT group_concat(id || ':' || status) FROM (SELECT * FROM cases ORDER BY id)"); PK: $(at PK; sql "SELECT group_concat(id || ':' || status) FROM (SELECT * FROM cases ORDER BY id)")" \
	[ "$(at RS; sql "SELECT group_concat(id || ':' || status) FROM (SELECT * FROM cases ORDER BY id)")" = \
	"$(at PK; sql "SELECT group_concat(id || ':' || status) FROM (SELECT * FROM cases ORDER BY id)")" ]

xstop
summary
