# fixture.sh - the fixed data set of the report tests.  Sourced by
# tests/reports/*.sh after tests/cli/lib.sh.
#
# Replica RS-MUP/W01 (lib.sh's setup: ana officer, marko and ivan
# supervisors).  Twelve cases are opened and, where the requesting side
# can, moved on through the real commands (case new, submit, approve,
# withdraw, idcheck request, note add); the exchange's part (receipt, the
# reply deadline, the requested agency's decision, identity-check answers)
# is written as a pull from the exchange would write it, and every time is
# pinned, so that the reports' figures are fixed.  Reports are made as of
# REPORT_NOW (SOURCE_DATE_EPOCH), 2026-04-01 09:00 UTC.

# fontconfig's process-long caches (see lsan.supp)
export LSAN_OPTIONS="suppressions=$ROOT/tests/reports/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

ts() {
	date -u -d "$1" +%s
}

REPORT_NOW=$(ts "2026-04-01 09:00")
export SOURCE_DATE_EPOCH=$REPORT_NOW

# mk USER LOCAL_REF ARGS...: open a case as USER, its reference pinned.
mk() {
	_f_user=$1
	_f_ref=$2
	shift 2
	as "$_f_user" || exit 1
	run "$RCMS" case new "$@"
	if [ "$RC" -ne 0 ]; then
		fail "fixture: case new $_f_ref" "exit $RC"
		exit 1
	fi
	_f_got=$(cat "$OUT")
	sql "UPDATE cases SET local_ref = '$_f_ref' WHERE local_ref = '$_f_got'"
}

# step USER ACTION REF [ARGS]: a step through the command line.
step() {
	_f_user=$1
	shift
	as "$_f_user" || exit 1
	run "$RCMS" case "$@"
	if [ "$RC" -ne 0 ]; then
		fail "fixture: case $1 $2" "exit $RC"
		exit 1
	fi
}

# sent REF OFFICER SUPERVISOR: submitted and approved.
sent() {
	step "$2" submit "$1"
	step "$3" approve "$1"
}

# pin REF SQL: set columns of the case as the exchange's feed would.
pin() {
	sql "UPDATE cases SET $2 WHERE local_ref = '$1'"
}

# ask REF KIND: an identity check through the command line; its id in QID.
ask() {
	as ana || exit 1
	run "$RCMS" idcheck request "$1" --kind "$2" --question "Please confirm the $2 of the person."
	if [ "$RC" -ne 0 ]; then
		fail "fixture: idcheck request $1" "exit $RC"
		exit 1
	fi
	QID=$(cat "$OUT")
}

build_fixture() {
	setup
	sql "UPDATE agencies SET name = 'Ministry of Interior, Border Police' WHERE code = 'RS-MUP'"

	mk ana R01 surnames=Khan given_names=Ali "name_native=علی خان" sex=M \
		birth_date=1990-05 birth_place=Lahore nationality=PAK \
		requested_agency=PK-MOI evidence_basis=proof languages=Urdu \
		apprehension_place=Horgoš apprehension_date=2026-01-02 \
		"itinerary=Lahore - Istanbul - Sofia - Horgoš" \
		--doc type=passport,number=AB1234567,issuing_state=PAK,issue_date=2019-03-01,expiry_date=2029-02-28
	mk ana R02 surnames=Стојановски given_names=Горан sex=M birth_date=1984 \
		nationality=MKD requested_agency=MK-MVR evidence_basis=proof
	mk ana R03 surnames=Hoxha given_names=Arben sex=M birth_date=1979-11-02 \
		nationality=ALB requested_agency=AL-ASP evidence_basis=prima_facie
	mk ana R04 surnames=Marić given_names=Ana sex=F birth_date=1992 \
		nationality=ALB requested_agency=AL-ASP evidence_basis=proof
	mk ana R05 surnames=Ahmed given_names=Bilal "name_native=بلال احمد" sex=M \
		birth_date=2001 nationality=PAK requested_agency=PK-MOI \
		evidence_basis=proof
	mk ana R06 surnames=Gashi given_names=Driton sex=M birth_date=1995 \
		nationality=ALB requested_agency=AL-ASP evidence_basis=proof
	mk ana R07 surnames=Petrović given_names=Jovan sex=M birth_date=1990 \
		nationality=MNE requested_agency=ME-UP evidence_basis=proof
	mk ana R08 surnames=Begić given_names=Emir sex=M birth_date=1988 \
		nationality=BIH requested_agency=BA-MS evidence_basis=proof
	mk ana R09 surnames=Rama given_names=Elona sex=F birth_date=1999 \
		nationality=ALB requested_agency=AL-ASP evidence_basis=proof
	mk marko R10 surnames=Hussain given_names=Tariq sex=M birth_date=1986 \
		nationality=PAK requested_agency=PK-MOI evidence_basis=proof
	mk ana R11 surnames=Berisha given_names=Sali sex=M birth_date=1975 \
		nationality=ALB requested_agency=AL-ASP evidence_basis=proof
	mk ana R12 surnames=Nikolovski given_names=Ivan sex=M birth_date=1983 \
		nationality=MKD requested_agency=MK-MVR evidence_basis=proof

	for r in R01 R02 R04 R05 R06 R11 R12; do
		sent $r ana marko
	done
	sent R03 ana ivan
	sent R10 marko ivan
	step ana submit R08
	step ana withdraw R09

	ask R01 identity
	sql "UPDATE idchecks SET asked_at = $(ts '2026-01-06 09:00'), answer = 'confirmed',
		answer_text = 'Confirmed by NADRA.', answered_by = 'pk.officer',
		answered_at = $(ts '2026-01-08 09:00') WHERE id = '$QID'"
	ask R02 identity
	sql "UPDATE idchecks SET asked_at = $(ts '2026-01-13 09:00'), answer = 'interview_required',
		answer_text = 'An interview at the consulate is needed.', answered_by = 'mk.officer',
		answered_at = $(ts '2026-01-16 21:00') WHERE id = '$QID'"
	ask R03 nationality
	sql "UPDATE idchecks SET asked_at = $(ts '2026-01-17 10:00'), answer = 'not_confirmed',
		answer_text = 'No record in the civil registry.', answered_by = 'al.officer',
		answered_at = $(ts '2026-01-22 10:00') WHERE id = '$QID'"
	ask R11 identity
	sql "UPDATE idchecks SET asked_at = $(ts '2026-01-07 08:00'), answer = 'confirmed',
		answer_text = 'Confirmed.', answered_by = 'al.officer',
		answered_at = $(ts '2026-01-08 08:00') WHERE id = '$QID'"
	ask R04 identity
	sql "UPDATE idchecks SET asked_at = $(ts '2026-03-21 10:00') WHERE id = '$QID'"
	ask R05 document
	sql "UPDATE idchecks SET asked_at = $(ts '2026-03-26 10:00') WHERE id = '$QID'"

	as ana || exit 1
	run "$RCMS" note add R01 "The person asked for a lawyer; informed of the procedure."
	sql "UPDATE notes SET created_at = $(ts '2026-01-03 11:00')"

	# the exchange's part, and every time pinned
	pin R01 "final_ref = 'XR-2026-000101', created_at = $(ts '2026-01-03 10:00'),
		submitted_at = $(ts '2026-01-04 09:00'), received_at = $(ts '2026-01-05 08:00'),
		reply_due = $(ts '2026-02-05 00:00'), decided_at = $(ts '2026-01-20 12:00'),
		status = 'travel_document_issued', travel_doc_number = 'PK-TD-0001'"
	pin R02 "final_ref = 'XR-2026-000102', created_at = $(ts '2026-01-10 10:00'),
		submitted_at = $(ts '2026-01-11 09:00'), received_at = $(ts '2026-01-12 09:00'),
		reply_due = $(ts '2026-01-23 00:00'), decided_at = $(ts '2026-01-19 15:00'),
		status = 'transfer_scheduled', transfer_date = '2026-04-15'"
	pin R03 "final_ref = 'XR-2026-000103', created_at = $(ts '2026-01-15 10:00'),
		submitted_at = $(ts '2026-01-16 09:00'), received_at = $(ts '2026-01-16 10:00'),
		reply_due = $(ts '2026-01-27 00:00'), decided_at = $(ts '2026-01-26 16:00'),
		status = 'rejected', reason = 'The person is not an Albanian national.'"
	pin R04 "final_ref = 'XR-2026-000104', created_at = $(ts '2026-03-18 10:00'),
		submitted_at = $(ts '2026-03-19 09:00'), received_at = $(ts '2026-03-20 11:00'),
		reply_due = $(ts '2026-03-31 00:00')"
	pin R05 "final_ref = 'XR-2026-000105', created_at = $(ts '2026-03-22 10:00'),
		submitted_at = $(ts '2026-03-24 09:00'), received_at = $(ts '2026-03-25 08:00'),
		reply_due = $(ts '2026-04-25 00:00')"
	pin R06 "final_ref = 'XR-2026-000106', created_at = $(ts '2026-02-01 10:00'),
		submitted_at = $(ts '2026-02-02 09:00'), received_at = $(ts '2026-02-03 10:00'),
		reply_due = $(ts '2026-02-14 00:00'), status = 'deemed_accepted'"
	pin R07 "created_at = $(ts '2026-03-28 10:00')"
	pin R08 "created_at = $(ts '2026-03-29 10:00')"
	pin R09 "created_at = $(ts '2026-02-20 10:00')"
	pin R10 "final_ref = 'XR-2026-000110', created_at = $(ts '2026-02-05 10:00'),
		submitted_at = $(ts '2026-02-06 09:00'), received_at = $(ts '2026-02-06 12:00'),
		reply_due = $(ts '2026-03-09 00:00'), decided_at = $(ts '2026-02-25 10:00'),
		status = 'rejected', reason = 'The person is not a national of Pakistan.'"
	pin R11 "final_ref = 'XR-2026-000111', created_at = $(ts '2026-01-05 10:00'),
		submitted_at = $(ts '2026-01-06 08:00'), received_at = $(ts '2026-01-06 09:00'),
		reply_due = $(ts '2026-01-17 00:00'), decided_at = $(ts '2026-01-09 10:00'),
		status = 'transferred', travel_doc_number = 'AL-TD-7', transfer_date = '2026-02-10'"
	pin R12 "final_ref = 'XR-2026-000112', created_at = $(ts '2026-02-10 10:00'),
		submitted_at = $(ts '2026-02-11 09:00'), received_at = $(ts '2026-02-11 10:00'),
		reply_due = $(ts '2026-02-22 00:00'), decided_at = $(ts '2026-02-24 10:00'),
		status = 'accepted'"
	sql "UPDATE cases SET updated_at = created_at"
	as marko || exit 1
}
