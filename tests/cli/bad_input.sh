#!/bin/sh
# bad_input.sh - every bad input is refused with a clear message on stderr
# and the exit code that says what kind of error it was (64 usage, 65 bad
# data, 77 permission ...), and leaves the database as it was.
#
# Two checks per input: "NAME" (exit code, key phrase of the message,
# nothing on stdout, no sanitizer report) and "NAME: nothing changed"
# (every table but sessions and audit, and the blob store, compared
# before and after; no audit row of a change added).
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/cli/lib.sh"

# bad NAME CODE TEXT CMD...
bad() {
	_name=$1
	_code=$2
	_text=$3
	shift 3
	snapshot
	run "$@"
	if sanitizer_report; then
		fail "$_name" "sanitizer report (exit $RC)"
	elif [ "$RC" -ne "$_code" ]; then
		fail "$_name" "exit $RC, expected $_code"
	elif ! err_has "$_text"; then
		fail "$_name" "stderr lacks '$_text'"
	elif [ -s "$OUT" ]; then
		fail "$_name" "printed on stdout: $(head -n 1 "$OUT")"
	else
		pass "$_name"
	fi
	unchanged "$_name: nothing changed"
}

setup
as ana
run "$RCMS" case new surnames=Khan given_names=Ali sex=M birth_date=1990-05 \
	nationality=PAK requested_agency=PK-MOI evidence_basis=proof \
	--doc type=passport,number=AB1234567
D=$(cat "$OUT")
check "a draft to work on" "case new exit $RC: $(cat "$ERR")" [ "$RC" -eq 0 ]

# ---- fields ---------------------------------------------------------------------

bad "case edit: unknown field" 65 "unknown field 'nope'; see 'rcms case fields'" \
	"$RCMS" case edit "$D" nope=1
bad "case new: unknown field" 65 "unknown field 'nope'" \
	"$RCMS" case new surnames=Khan nope=1
bad "case edit: a read-only field" 65 "cannot be edited" \
	"$RCMS" case edit "$D" status=accepted
bad "case edit: a date that does not exist" 65 "2026-02-30 does not exist" \
	"$RCMS" case edit "$D" birth_date=2026-02-30
bad "case new: a date that does not exist" 65 "2026-02-30 does not exist" \
	"$RCMS" case new surnames=Khan birth_date=2026-02-30
bad "case edit: a month that does not exist" 65 "date of birth" \
	"$RCMS" case edit "$D" birth_date=1990-13
bad "case edit: unknown country" 65 "'XYZ' is not a country code" \
	"$RCMS" case edit "$D" nationality=XYZ
bad "case new: unknown country" 65 "'XYZ' is not a country code" \
	"$RCMS" case new surnames=Khan nationality=XYZ
bad "case edit: bytes that are not UTF-8 in a name" 65 "not valid UTF-8" \
	"$RCMS" case edit "$D" "$(printf 'surnames=\377\376')"
bad "case new: bytes that are not UTF-8 in a name" 65 "not valid UTF-8" \
	"$RCMS" case new "$(printf 'given_names=Al\303')"
bad "case edit: a name with digits" 65 "cannot contain digits" \
	"$RCMS" case edit "$D" surnames=Kh4n
bad "case edit: a future birth date" 65 "is in the future" \
	"$RCMS" case edit "$D" birth_date=2099-01-01
bad "case new: a future birth year" 65 "is in the future" \
	"$RCMS" case new surnames=Khan birth_date=2099
bad "case edit: a bad agency code" 65 "'rs-mup' is not an agency code" \
	"$RCMS" case edit "$D" requested_agency=rs-mup
bad "case edit: a requested agency in one's own country" 65 "in your own country" \
	"$RCMS" case edit "$D" requested_agency=RS-BIA
bad "case edit: special needs without consent" 65 "consent" \
	"$RCMS" case edit "$D" pregnant=yes
bad "case edit: not yes or no" 65 "answer yes or no" \
	"$RCMS" case edit "$D" needs_consent=perhaps
bad "case edit: an unknown enum value" 65 "is not one of" \
	"$RCMS" case edit "$D" sex=Q
# all or nothing: a good change next to a bad one is not written
bad "case edit: all or nothing" 65 "2026-02-30 does not exist" \
	"$RCMS" case edit "$D" given_names=Ahmed birth_date=2026-02-30
bad "case edit: unknown case" 65 "no case" \
	"$RCMS" case edit RS-MUP-W01-1999-000042 given_names=Ahmed
bad "case edit: not FIELD=VALUE" 64 "is not FIELD=VALUE" \
	"$RCMS" case edit "$D" given_names
bad "case new --doc: a document without a number" 65 "needs its number" \
	"$RCMS" case new surnames=Khan --doc type=passport,issuing_state=PK
bad "case new --doc: unknown document type" 65 "is not one of" \
	"$RCMS" case new surnames=Khan --doc type=scroll,number=1
bad "doc add: an expiry before the issue" 65 "before the date of issue" \
	"$RCMS" doc add "$D" type=passport number=X1 issue_date=2020-01-01 \
	expiry_date=2019-01-01

# ---- case new --json -----------------------------------------------------------

printf '{"surnames": "Khan", "given_names": "Ali",' >"$T/truncated.json"
bad "case new --json: malformed JSON" 65 "not a JSON object" \
	"$RCMS" case new --json "$T/truncated.json"
printf '["Khan"]\n' >"$T/array.json"
bad "case new --json: not an object" 65 "not a JSON object" \
	"$RCMS" case new --json "$T/array.json"
printf '{"surnames": "Khan", "colour": "blue"}\n' >"$T/unknown.json"
bad "case new --json: unknown key" 65 "unknown field 'colour'" \
	"$RCMS" case new --json "$T/unknown.json"
printf '{"surnames": ["Khan"]}\n' >"$T/type.json"
bad "case new --json: a list for a name" 65 "must be a string" \
	"$RCMS" case new --json "$T/type.json"
printf '{"surnames": "Khan", "documents": [{"type": "passport"}]}\n' \
	>"$T/nodocnum.json"
bad "case new --json: a document without a number" 65 "needs its number" \
	"$RCMS" case new --json "$T/nodocnum.json"
printf '{"surnames": "Khan", "birth_place": 4e69}\n' >"$T/huge.json"
bad "case new --json: a number no integer holds (found by fuzz_wire)" 65 \
	"birth_place must be a whole number" \
	"$RCMS" case new --json "$T/huge.json"
printf '{"surnames": "\377\376"}\n' >"$T/latin1.json"
bad "case new --json: bytes that are not UTF-8" 65 "UTF-8" \
	"$RCMS" case new --json "$T/latin1.json"
bad "case new --json: a missing file" 65 "cannot open" \
	"$RCMS" case new --json "$T/no-such.json"

# ---- steps ---------------------------------------------------------------------------

bad "case accept: a draft" 65 "a case in state 'draft' cannot be accepted" \
	"$RCMS" case accept "$D"
bad "case approve: a draft" 65 "a case in state 'draft' cannot be approved" \
	"$RCMS" case approve "$D"
bad "case schedule: a draft" 65 "cannot be scheduled for transfer" \
	"$RCMS" case schedule "$D" --date 2030-01-01
run "$RCMS" case submit "$D"
check "submit the draft" "exit $RC: $(cat "$ERR")" [ "$RC" -eq 0 ]
as marko
bad "case return: without a reason" 65 "returning a case needs a reason" \
	"$RCMS" case return "$D"
run "$RCMS" case approve "$D"
check "approve the application" "exit $RC: $(cat "$ERR")" [ "$RC" -eq 0 ]
as ana
bad "case edit: a sent application" 65 "cannot be changed in state 'submitted'" \
	"$RCMS" case edit "$D" given_names=Ahmed
bad "doc add: a sent application" 65 "before the application is sent" \
	"$RCMS" doc add "$D" type=id_card number=ID-1
bad "case withdraw: a sent application without a reason" 65 \
	"withdrawing a submitted case needs a reason" \
	"$RCMS" case withdraw "$D"
bad "case withdraw: a blank reason" 65 \
	"withdrawing a submitted case needs a reason" \
	"$RCMS" case withdraw "$D" --reason "   "
bad "case reject: not the requested agency" 77 \
	"only the requested agency can reject a case" \
	"$RCMS" case reject "$D" --reason "no"

# approval by the creator: a supervisor's own case
as marko
run "$RCMS" case new surnames=Hoxha given_names=Arben nationality=ALB \
	birth_date=1995 requested_agency=AL-ASP evidence_basis=proof
H=$(cat "$OUT")
run "$RCMS" case submit "$H"
check "a supervisor's own application" "exit $RC: $(cat "$ERR")" [ "$RC" -eq 0 ]
bad "case approve: by its creator" 77 "you created this case" \
	"$RCMS" case approve "$H"
as ana
bad "case approve: by an officer" 77 "only a supervisor can approve" \
	"$RCMS" case approve "$H"
as admin
bad "case new: by an administrator" 77 "only officers and supervisors" \
	"$RCMS" case new surnames=Khan
bad "note add: by an administrator" 77 "only officers and supervisors" \
	"$RCMS" note add "$D" "hello"

# The requested agency: a second replica, AL-ASP, which receives marko's
# application the way the exchange would deliver it (the row copied, with
# the exchange's receipt time; there is no exchange yet).
HOME_A=$RCMS_HOME
as ivan
run "$RCMS" case approve "$H"
check "approve the supervisor's application" "exit $RC: $(cat "$ERR")" \
	[ "$RC" -eq 0 ]
new_replica "$TMPROOT/home-b" AL-ASP
add_user besa officer "Besa Krasniqi"
as besa
sqlite3 -batch "$RCMS_HOME/rcms.db" "ATTACH '$HOME_A/rcms.db' AS a;
	INSERT INTO cases SELECT * FROM a.cases WHERE local_ref = '$H';
	UPDATE cases SET received_at = CAST(strftime('%s', 'now') AS INTEGER)
	WHERE local_ref = '$H';"
bad "case reject: without a reason" 65 "a rejection needs a reason" \
	"$RCMS" case reject "$H"
bad "case reject: a blank reason" 65 "a rejection needs a reason" \
	"$RCMS" case reject "$H" --reason "	 "
bad "case extend: more days than the agreement allows" 65 \
	"the extension must be between 1 and 6 days" \
	"$RCMS" case extend "$H" --days 9 --reason "slow registry"
bad "case extend: without a reason" 65 "an extension request needs a reason" \
	"$RCMS" case extend "$H" --days 2
bad "case issue: before acceptance" 65 "cannot be issued a travel document" \
	"$RCMS" case issue "$H" --travel-doc TD-1
bad "case edit: the other agency's field" 77 "belongs to the requesting agency" \
	"$RCMS" case edit "$H" surnames=Other
RCMS_HOME=$HOME_A
as ana

# ---- notes and attachments -------------------------------------------------------------

bad "note add: empty" 65 "note is empty" "$RCMS" note add "$D" ""
bad "note add: blank" 65 "note is empty" "$RCMS" note add "$D" "  	 "
bad "note add -: empty standard input" 65 "note is empty" \
	"$RCMS" note add "$D" - </dev/null
printf '\377\376 bytes\n' >"$T/latin1.txt"
bad "note add -: bytes that are not UTF-8" 65 "UTF-8" \
	"$RCMS" note add "$D" - <"$T/latin1.txt"
head -c 200000 /dev/zero | tr '\0' 'x' >"$T/long.txt"
bad "note add -: too long" 65 "too large" \
	"$RCMS" note add "$D" - <"$T/long.txt"
bad "note add: unknown case" 65 "no case" \
	"$RCMS" note add RS-MUP-W01-1999-000042 "hello"
bad "attach: a missing file" 65 "cannot open" \
	"$RCMS" attach "$D" "$T/no-such-scan.pdf"
bad "attach: a folder" 65 "not a regular file" "$RCMS" attach "$D" "$T"
echo scan >"$T/scan.pdf"
bad "attach: unknown case" 65 "no case" \
	"$RCMS" attach RS-MUP-W01-1999-000042 "$T/scan.pdf"
bad "attach: unknown kind" 64 "--kind takes one of" \
	"$RCMS" attach "$D" "$T/scan.pdf" --kind selfie

# ---- options ---------------------------------------------------------------------------

bad "case list --limit abc" 64 "--limit must be a whole number" \
	"$RCMS" case list --limit abc
bad "case list --limit 0" 64 "--limit must be a whole number" \
	"$RCMS" case list --limit 0
bad "case list --offset -1" 64 "--offset must be a whole number" \
	"$RCMS" case list --offset -1
bad "case list --format xml" 64 "unknown format 'xml'" \
	"$RCMS" case list --format xml
bad "user list --format xml" 64 "unknown format 'xml'" \
	"$RCMS" user list --format xml
bad "attachments --format xml" 64 "unknown format 'xml'" \
	"$RCMS" attachments "$D" --format xml
bad "outbox --format xml" 64 "unknown format 'xml'" \
	"$RCMS" outbox --format xml
bad "case list --status: unknown state" 64 "unknown status 'lost'" \
	"$RCMS" case list --status lost
bad "case list --sort: unknown key" 64 "--sort takes" \
	"$RCMS" case list --sort colour
bad "case list --requested: a bad agency code" 64 "'XX' is not an agency code" \
	"$RCMS" case list --requested XX
bad "case list --due-before: a partial date" 64 "full date" \
	"$RCMS" case list --due-before 2030-01
bad "case extend: --days abc" 64 "--days must be a whole number" \
	"$RCMS" case extend "$D" --days abc --reason x
bad "case schedule: a bad date" 65 "transfer date" \
	"$RCMS" case schedule "$D" --date 2030-02-30
bad "case new: unknown option" 64 "unknown option" \
	"$RCMS" case new --bogus surnames=Khan
bad "case list: unknown option" 64 "unknown option" \
	"$RCMS" case list --bogus
bad "case show: unknown option" 64 "unknown option '--bogus'" \
	"$RCMS" case show "$D" --bogus
bad "case submit: unknown option" 64 "unknown option" \
	"$RCMS" case submit "$D" --bogus
bad "case submit: two cases" 64 "unexpected" \
	"$RCMS" case submit "$D" "$D"
bad "unknown command" 64 "unknown command 'frobnicate'" "$RCMS" frobnicate
bad "holiday add: a date that does not exist" 65 "does not exist" \
	"$RCMS" holiday add RS 2027-02-30
as admin
bad "agreement set: a bad period" 65 "write a number and a unit" \
	"$RCMS" agreement set EU-PK-2010 reply="thirty days"
bad "agreement set: unknown field" 65 "unknown agreement field 'colour'" \
	"$RCMS" agreement set EU-PK-2010 colour=blue
printf '{"agreements": [{"code": "X-1", "name": "x", "countries": "QQ"}]}\n' \
	>"$T/agr-bad.json"
bad "agreement load: an unknown country" 65 "'QQ' is not a country code" \
	"$RCMS" agreement load "$T/agr-bad.json"
printf '{"agreements": [{"code": "X-2", "name": "good", "countries": "TN",
 "reply": "7 calendar_days"}, {"code": "X-3", "name": "bad",
 "countries": "TN", "reply": "7 weeks"}]}\n' >"$T/agr-half.json"
bad "agreement load: all or nothing" 65 "agreement 2" \
	"$RCMS" agreement load "$T/agr-half.json"
printf '{"agreements": [' >"$T/agr-trunc.json"
bad "agreement load: malformed JSON" 65 "not a JSON object" \
	"$RCMS" agreement load "$T/agr-trunc.json"
bad "user add: a bad user name" 65 "user names are lower-case" \
	env RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" user add "Bad Name" \
	--role officer
bad "user add: an existing user" 65 "already exists" \
	env RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" user add ana \
	--role officer
echo short >"$T/short"
bad "user add: a short password" 65 "too short" \
	env RCMS_PASSWORD_FILE="$T/short" "$RCMS" user add newbie --role officer
bad "user add: unknown role" 64 "role must be" \
	env RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" user add newbie \
	--role boss
bad "user disable: oneself" 65 "cannot disable your own account" \
	"$RCMS" user disable admin
bad "user enable: unknown user" 65 "no user" \
	"$RCMS" user enable nobody

# init: nothing is created for a bad agency code
RCMS_HOME=$TMPROOT/never
export RCMS_HOME
write_conf "$RCMS_HOME"
fails "init: a bad agency code" 65 "'rs-mup' is not an agency code" \
	env RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" init \
	--agency rs-mup --workstation W01 --admin admin \
	--agreements "$ROOT/data/agreements.json"
check "init: a bad agency code: nothing created" "$(ls "$RCMS_HOME")" \
	[ ! -e "$RCMS_HOME/rcms.db" ]
fails "init: a missing agreements file" 65 "cannot open" \
	env RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" init \
	--agency RS-MUP --workstation W01 --admin admin \
	--agreements "$T/no-such.json"
check "init: a missing agreements file: nothing created" "$(ls "$RCMS_HOME")" \
	[ ! -e "$RCMS_HOME/rcms.db" ]
fails "a command before init" 78 "run 'rcms init' first" "$RCMS" case list
RCMS_HOME=$HOME_A

summary
