#!/bin/sh
# commands.sh - every command of the rcms command line, at least once,
# with its main options, checked on its output.
#
# Two replicas: A is RS-MUP (the requesting agency, where almost everything
# happens) and B is AL-ASP (the requested agency).  Cases travel from A to
# B the way the exchange would deliver them: the row is copied with
# sqlite3 and stamped with a receipt time (there is no exchange yet).
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/cli/lib.sh"

YEAR=$(date -u +%Y)

# Operations the user actions on replica A must have written to its outbox.
EXPECT_OPS=0

# mut NAME CMD...: a change of case data, which writes one operation.
mut() {
	ok "$@" && EXPECT_OPS=$((EXPECT_OPS + 1))
}

# acct NAME TEXT CMD...: a change of the agency directory (an account),
# which writes one operation too (user.create, user.update,
# user.password).
acct() {
	ok_has "$@" && EXPECT_OPS=$((EXPECT_OPS + 1))
}

# new_case NAME ARGS...: `rcms case new ARGS`; the reference in REF.
new_case() {
	_nc=$1
	shift
	REF=
	mut "$_nc" "$RCMS" case new "$@" || return 1
	REF=$(cat "$OUT")
	check "$_nc: prints a reference" "printed '$REF'" is_ref "$REF"
}

# is_ref TEXT: a provisional reference of this workstation, this year.
is_ref() {
	expr "$1" : "RS-MUP-W01-$YEAR-[0-9]\{6\}\$" >/dev/null
}

# show_field REF FIELD: a field of `case show --json`.
show_field() {
	"$RCMS" case show "$1" --json >"$T/show.json" 2>"$ERR" &&
		python3 -c 'import json,sys
v = json.load(open(sys.argv[1]))[sys.argv[2]]
print(str(v).lower() if isinstance(v, bool) else v)' "$T/show.json" "$2"
}

# ---- the program ---------------------------------------------------------

ok_has "rcms --help" "usage: rcms COMMAND" "$RCMS" --help
cp "$OUT" "$T/help"
ok_has "rcms --version" "rcms " "$RCMS" --version
check "rcms --version names a version" "printed '$(cat "$OUT")'" \
	grep -q '^rcms [0-9][0-9.]* (schema [0-9]*)$' "$OUT"
fails "unknown command" 64 "unknown command 'frobnicate'" "$RCMS" frobnicate
fails "no command" 64 "usage: rcms COMMAND" "$RCMS"
fails "unknown subcommand" 64 "'case' needs one of" "$RCMS" case frobnicate

# The commands these tests know; --help must list each of them (and may
# list more), and every command it lists must answer --help with its usage.
cat >"$T/commands.want" <<'EOF'
init
login
logout
whoami
status
user add
user list
user passwd
user enable
user disable
case new
case list
case show
case edit
case fields
case submit
case approve
case return
case withdraw
case accept
case reject
case extend
case issue
case schedule
case transfer
case close
doc add
note add
note list
attach
attachments
agreement list
agreement show
agreement set
agreement load
holiday add
outbox
audit list
audit verify
EOF
awk '/^Commands:/ { on = 1; next } on && /^$/ { exit }
	on { s = substr($0, 3, 18); sub(/ +$/, "", s); print s }' \
	"$T/help" >"$T/commands.got"
_missing=$(grep -vxF -f "$T/commands.got" "$T/commands.want" | tr '\n' ' ')
check "rcms --help lists every command" "missing: $_missing" [ -z "$_missing" ]
while read -r _cmd; do
	# shellcheck disable=SC2086
	ok_has "rcms $_cmd --help" "usage: rcms $_cmd " "$RCMS" $_cmd --help
done <"$T/commands.got"
ok_has "rcms user --help (a group)" "usage: rcms user disable" \
	"$RCMS" user --help

# ---- init, login, logout, whoami -----------------------------------------

RCMS_HOME=$TMPROOT/first
export RCMS_HOME
write_conf "$RCMS_HOME"
ok_has "init" "initialised RS-MUP workstation W01 in $RCMS_HOME" \
	env RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" init \
	--agency RS-MUP --workstation W01 --admin admin \
	--agreements "$ROOT/data/agreements.json"
check "init creates the replica" "no $RCMS_HOME/rcms.db" \
	[ -f "$RCMS_HOME/rcms.db" ]
check "init loads the agreements" "$(sql 'SELECT count(*) FROM agreements') agreements" \
	[ "$(sql 'SELECT count(*) FROM agreements')" -eq \
	"$(grep -c '"code"' "$ROOT/data/agreements.json")" ]
fails "init twice" 65 "already exists" \
	env RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" init \
	--agency RS-MUP --workstation W01 --admin admin \
	--agreements "$ROOT/data/agreements.json"

setup                                   # replica A, logged in as admin
# its accounts (admin, ana, marko, ivan), each with its user.create
EXPECT_OPS=$(sql "SELECT count(*) FROM users")
ok_has "login" "logged in as ana (officer, RS-MUP)" \
	env RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" login ana
check "login keeps a private session" "session file missing or readable by others" \
	sh -c '[ -f "$1" ] && [ -z "$(find "$1" -perm /077)" ]' sh \
	"$RCMS_HOME/session"
ok_has "whoami" "ana (Ana Anić) officer, workstation W01 of RS-MUP" \
	"$RCMS" whoami
ok_has "logout" "logged out" "$RCMS" logout
fails "whoami after logout" 77 "not logged in" "$RCMS" whoami
echo "not-the-password" >"$T/wrong"
fails "login with a wrong password" 77 "wrong user name or password" \
	env RCMS_PASSWORD_FILE="$T/wrong" "$RCMS" login ana
ok_has "RCMS_USER and RCMS_PASSWORD_FILE authenticate one run" \
	"marko (Marko Marković) supervisor" \
	env RCMS_USER=marko RCMS_PASSWORD_FILE="$(password_file marko)" \
	"$RCMS" whoami

# ---- users (admin) ---------------------------------------------------------

as admin
ok_has "user list" "ana                  officer     enabled   Ana Anić" \
	"$RCMS" user list
ok_has "user list --format csv" "ana,officer,yes,Ana Anić" \
	"$RCMS" user list --format csv
check "user list --format csv: header" "first line '$(head -n 1 "$OUT")'" \
	[ "$(head -n 1 "$OUT" | tr -d '\r')" = "username,role,enabled,full_name" ]
ok "user list --format json" "$RCMS" user list --format json
check "user list --format json is JSON" "python3 -m json.tool refuses it" \
	json_ok "$OUT"
check "user list --format json: the users" "unexpected content" py_json '
users = {u["username"]: u for u in data}
assert sorted(users) == ["admin", "ana", "ivan", "marko"], users
assert users["ana"]["role"] == "officer" and users["ana"]["enabled"] is True
assert users["marko"]["role"] == "supervisor"
assert users["ana"]["agency"] == "RS-MUP"'
fails "user add by an officer" 77 "only an administrator" \
	env RCMS_USER=ana RCMS_PASSWORD_FILE="$(password_file ana)" \
	"$RCMS" user add zoran --role officer
acct "user add" "added zoran (officer)" \
	env RCMS_PASSWORD_FILE="$(password_file zoran)" "$RCMS" user add zoran \
	--role officer

# passwd: the admin changes ana's; then ana her own
echo "pw-ana-second-secret" >"$T/ana2"
acct "user passwd USER (admin)" "password of ana changed" \
	env RCMS_PASSWORD_FILE="$T/ana2" "$RCMS" user passwd ana
fails "user passwd: the old password no longer works" 77 \
	"wrong user name or password" \
	env RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" login ana
cp "$T/ana2" "$PW/ana"
as ana
fails "user passwd of another user (officer)" 77 "only an administrator" \
	env RCMS_PASSWORD_FILE="$T/ana2" "$RCMS" user passwd marko
echo "pw-ana-third-secret" >"$T/ana3"
acct "user passwd (one's own)" "password of ana changed" \
	env RCMS_PASSWORD_FILE="$T/ana3" "$RCMS" user passwd
cp "$T/ana3" "$PW/ana"
ok_has "user passwd: the new password works" "logged in as ana" \
	env RCMS_PASSWORD_FILE="$PW/ana" "$RCMS" login ana

as admin
acct "user disable" "zoran disabled" "$RCMS" user disable zoran
fails "a disabled user cannot log in" 77 "disabled" \
	env RCMS_PASSWORD_FILE="$(password_file zoran)" "$RCMS" login zoran
ok_has "user list shows disabled" "zoran                officer     disabled" \
	"$RCMS" user list
acct "user enable" "zoran enabled" "$RCMS" user enable zoran
ok_has "an enabled user can log in again" "logged in as zoran" \
	env RCMS_PASSWORD_FILE="$(password_file zoran)" "$RCMS" login zoran
as admin

# ---- agreements and holidays ---------------------------------------------------

ok_has "agreement list" "EU-WB-2007     AL BA ME MK RS   reply 10 calendar_days" \
	"$RCMS" agreement list
check "agreement list: every agreement" "$(wc -l <"$OUT") lines" \
	[ "$(wc -l <"$OUT")" -eq "$(sql 'SELECT count(*) FROM agreements')" ]
ok_has "agreement show" "extension_max_days   6" \
	"$RCMS" agreement show EU-WB-2007
ok_has "agreement set (a change)" "reply                20 calendar_days" \
	"$RCMS" agreement set EU-AF-JWF reply="20 calendar_days" \
	note="Tested."
ok_has "agreement set: stored" "note                 Tested." \
	"$RCMS" agreement show EU-AF-JWF
ok_has "agreement set (a new one)" "countries            MA" \
	"$RCMS" agreement set XX-MA-TEST name="A test arrangement" \
	countries=MA reply="15 calendar_days" extension_max_days=2
ok_has "agreement set: listed" "XX-MA-TEST" "$RCMS" agreement list
cat >"$T/agreements.json" <<'EOF'
{"agreements": [{"code": "XX-LOAD", "name": "Loaded from a file",
  "countries": "TN", "reply": "7 working_days",
  "reply_accelerated": "none", "extension_max_days": 0,
  "silence_accepts": false, "transfer": "2 months",
  "transit_reply": "none", "transit": "none"}],
 "holidays": [{"country": "TN", "date": "2027-01-14", "name": "Revolution"}]}
EOF
ok_has "agreement load" "loaded 1 agreements and 1 holidays" \
	"$RCMS" agreement load "$T/agreements.json"
ok_has "agreement load: stored" "reply                7 working_days" \
	"$RCMS" agreement show XX-LOAD
check "agreement load: the holiday" "not in the holidays table" \
	[ "$(sql "SELECT count(*) FROM holidays WHERE country = 'TN'
		AND date = '2027-01-14'")" -eq 1 ]
ok "holiday add" "$RCMS" holiday add RS 2027-02-16 "Statehood Day (test)"
check "holiday add: stored" "not in the holidays table" \
	[ "$(sql "SELECT name FROM holidays WHERE country = 'RS'
		AND date = '2027-02-16'")" = "Statehood Day (test)" ]

as ana
ok_has "agreement list (officer)" "EU-PK-2010" "$RCMS" agreement list
fails "agreement set (officer)" 77 "only an administrator" \
	"$RCMS" agreement set EU-PK-2010 reply="1 calendar_days"
fails "agreement load (officer)" 77 "only an administrator" \
	"$RCMS" agreement load "$T/agreements.json"
fails "holiday add (officer)" 77 "only an administrator" \
	"$RCMS" holiday add RS 2027-03-01
check "agreement set (officer) changed nothing" "reply changed" \
	[ "$(sql "SELECT reply_n FROM agreements WHERE code = 'EU-PK-2010'")" \
	-eq 30 ]

# ---- cases --------------------------------------------------------------------

ok_has "case fields" "surnames              * surname(s)" "$RCMS" case fields
check "case fields: document fields" "no issuing_state" has "issuing_state"

new_case "case new FIELD=VALUE" surnames=Khan given_names=Ali sex=M \
	birth_date=1990-05 nationality=PAK requested_agency=PK-MOI \
	evidence_basis=proof
P=$REF
ok_has "case show" "surname(s)                   Khan" "$RCMS" case show "$P"
for _l in "given name(s)                Ali" "date of birth                1990-05" \
	"nationality                  PAK" "requested agency             PK-MOI" \
	"agreement                    EU-PK-2010" "status                       draft" \
	"created by                   ana" "documents:"; do
	check "case show: $_l" "missing" has "$_l"
done

new_case "case new --set" --set surnames=Marić --set "given_names=Ana Marija" \
	--set nationality=ALB --set birth_date=1988 --set requested_agency=AL-ASP \
	--set evidence_basis=prima_facie
S=$REF
check "case new --set: stored" "surnames is '$(show_field "$S" surnames)'" \
	[ "$(show_field "$S" surnames)" = "Marić" ]
check "case new --set: agreement from the country" \
	"agreement is '$(show_field "$S" agreement)'" \
	[ "$(show_field "$S" agreement)" = "EU-WB-2007" ]

new_case "case new --doc" surnames=Rahman given_names=Karim \
	nationality=BGD birth_date=1979 requested_agency=AL-ASP \
	evidence_basis=proof \
	--doc type=passport,number=BD1234567,issuing_state=BD,expiry_date=2031-04-30 \
	--doc type=driving_licence,number=DL-55,is_copy=yes
U=$REF
ok_has "case new --doc: documents shown" "BD1234567" "$RCMS" case show "$U"
check "case new --doc: the copy" "no second document" has "DL-55"
check "case new --doc: two rows" "$(sql "SELECT count(*) FROM documents")" \
	[ "$(sql "SELECT count(*) FROM documents d JOIN cases c ON c.id = d.case_id
		WHERE c.local_ref = '$U'")" -eq 2 ]

cat >"$T/case.json" <<'EOF'
{"surnames": "Popović", "given_names": "Jelena", "sex": "F",
 "birth_date": "1985-03-02", "nationality": "ALB",
 "requested_agency": "AL-ASP", "evidence_basis": "proof",
 "needs_consent": true, "needs_medical_care": true,
 "special_needs": "insulin", "languages": "Albanian, English",
 "documents": [
   {"type": "passport", "number": "BA1234567", "issuing_state": "AL",
    "issue_date": "2019-06-01", "expiry_date": "2029-05-31"},
   {"type": "birth_cert", "number": "BC-77", "is_copy": true},
   {"type": "driving_licence", "number": "DL-1"},
   {"type": "id_card", "number": "ID-2", "issuing_state": "Albania"}
 ]}
EOF
new_case "case new --json" --json "$T/case.json"
J=$REF
ok "case show --json" "$RCMS" case show "$J" --json
check "case show --json is JSON" "python3 -m json.tool refuses it" json_ok "$OUT"
check "case show --json: the case from --json" "unexpected content" py_json "
assert data['local_ref'] == '$J', data['local_ref']
assert data['status'] == 'draft'
assert data['surnames'] == 'Popović' and data['given_names'] == 'Jelena'
assert data['birth_date'] == '1985-03-02' and data['nationality'] == 'ALB'
assert data['needs_medical_care'] is True and data['pregnant'] is False
assert data['special_needs'] == 'insulin'
assert data['created_by'] == 'ana' and data['rev'] == 1
docs = data['documents']
assert [d['type'] for d in docs] == ['passport', 'birth_cert',
    'driving_licence', 'id_card'], ('not in the order given', docs)
assert docs[0]['number'] == 'BA1234567' and docs[0]['issuing_state'] == 'ALB'
assert docs[0]['expiry_date'] == '2029-05-31'
assert docs[1]['is_copy'] == 'yes' and docs[3]['issuing_state'] == 'ALB'
assert data['notes'] == [] and data['attachments'] == []"

mut "case edit" "$RCMS" case edit "$P" given_names="Ali Ahmed" \
	birth_place=Lahore
check "case edit: stored" "given_names is '$(show_field "$P" given_names)'" \
	[ "$(show_field "$P" given_names)" = "Ali Ahmed" ]
check "case edit: rev" "rev is $(show_field "$P" rev)" \
	[ "$(show_field "$P" rev)" -eq 2 ]
check "case edit: one case.update operation" "wrong count" \
	[ "$(sql "SELECT count(*) FROM outbox o JOIN cases c ON c.id = o.entity_id
		WHERE c.local_ref = '$P' AND o.type = 'case.update'")" -eq 1 ]
ok "case edit without a change" "$RCMS" case edit "$P" birth_place=Lahore
check "case edit without a change writes no operation" "an operation was added" \
	[ "$(sql "SELECT count(*) FROM outbox WHERE type = 'case.update'")" -eq 1 ]

mut "doc add" "$RCMS" doc add "$P" type=id_card number=CNIC-35202 \
	issuing_state=PK
ok_has "doc add: shown" "CNIC-35202" "$RCMS" case show "$P"
check "doc add: the type" "no 'identity card'" has "identity card"

# ---- machine readable zones ------------------------------------------------------

cat >"$T/person.json" <<'EOF'
{"surnames": "Đorđević", "given_names": "Milica", "sex": "F",
 "birth_date": "1991-02-03", "nationality": "SRB", "type": "passport",
 "number": "012345678", "issuing_state": "SRB", "expiry_date": "2031-05-06"}
EOF
ok "mrz make --json" "$RCMS" mrz make --json "$T/person.json"
cp "$OUT" "$T/zone.txt"
check "mrz make: a TD3 zone, transliterated" "got: $(tr '\n' '|' <"$T/zone.txt")" \
	[ "$(head -n 1 "$T/zone.txt")" = "P<SRBDORDEVIC<<MILICA<<<<<<<<<<<<<<<<<<<<<<<" ]
ok_has "mrz check (standard input)" "valid" "$RCMS" mrz check <"$T/zone.txt"
# shellcheck disable=SC2046
ok_has "mrz check LINE..." "valid" "$RCMS" mrz check $(cat "$T/zone.txt")
sed '2s/^0123456784/0123456785/' "$T/zone.txt" >"$T/zone-bad.txt"
fails_out() {
	[ "$RC" -eq 65 ] && ! sanitizer_report && has "expected 4"
}
run "$RCMS" mrz check <"$T/zone-bad.txt"
check "mrz check: a wrong check digit" "exit $RC: $(grep -m 1 expected "$OUT")" \
	fails_out
ok "mrz parse --json" "$RCMS" mrz parse --json <"$T/zone.txt"
check "mrz parse --json: the fields" "unexpected content" py_json "
assert data['format'] == 'TD3' and data['valid'] is True
f = data['fields']
assert f['surnames']['value'] == 'DORDEVIC', f['surnames']
assert f['document_number']['value'] == '012345678'
assert f['birth_date']['value'] == '1991-02-03'"
new_case "case new --mrz" --mrz "$T/zone.txt" requested_agency=AL-ASP
M=$REF
ok_has "case new --mrz: the person" "surname(s)                   DORDEVIC" \
	"$RCMS" case show "$M"
check "case new --mrz: the document" "no passport 012345678" \
	grep -q "passport  *012345678  *SRB .*expires 2031-05-06" "$OUT"

# ---- the steps on the requesting side -------------------------------------------

mut "case submit" "$RCMS" case submit "$P"
check "case submit: new state" "printed '$(cat "$OUT")'" \
	[ "$(cat "$OUT")" = "$P: awaiting approval" ]
fails "case approve by an officer" 77 "only a supervisor can approve" \
	"$RCMS" case approve "$P"
as marko
mut "case approve" "$RCMS" case approve "$P"
check "case approve: new state" "printed '$(cat "$OUT")'" \
	[ "$(cat "$OUT")" = "$P: submitted" ]
check "case approve: approved_by" "approved_by is '$(show_field "$P" approved_by)'" \
	[ "$(show_field "$P" approved_by)" = "marko" ]

# a supervisor's own case: another supervisor approves it
as ivan
new_case "case new (a supervisor)" surnames=Hoxha given_names=Arben \
	nationality=ALB birth_date=1995-01-15 requested_agency=AL-ASP \
	evidence_basis=proof
V=$REF
mut "case submit (a supervisor)" "$RCMS" case submit "$V"
fails "case approve by its creator" 77 "you created this case" \
	"$RCMS" case approve "$V"
as marko
mut "case approve (another supervisor)" "$RCMS" case approve "$V"

# The requested agency's steps: this replica is RS-MUP, the cases ask
# PK-MOI and AL-ASP, so they are not ours to take.
fails "case accept (not the requested agency)" 77 \
	"only the requested agency can accept a case" "$RCMS" case accept "$P"
fails "case reject (not the requested agency)" 77 \
	"only the requested agency can reject a case" \
	"$RCMS" case reject "$P" --reason "no proof"
fails "case extend (not the requested agency)" 77 \
	"only the requested agency can request an extension" \
	"$RCMS" case extend "$P" --days 2 --reason "checks abroad"

# withdraw: a draft without a reason, a sent application with one
as ana
new_case "case new (to withdraw)" surnames=Draft given_names=Only
W1=$REF
mut "case withdraw (a draft, no reason)" "$RCMS" case withdraw "$W1"
check "case withdraw: new state" "printed '$(cat "$OUT")'" \
	[ "$(cat "$OUT")" = "$W1: withdrawn" ]
new_case "case new (to withdraw once sent)" surnames=Sent given_names=Once \
	nationality=PAK birth_date=1970 requested_agency=PK-MOI \
	evidence_basis=prima_facie
W2=$REF
mut "case submit (to withdraw)" "$RCMS" case submit "$W2"
as marko
mut "case approve (to withdraw)" "$RCMS" case approve "$W2"
as ana
mut "case withdraw --reason (a sent application)" "$RCMS" case withdraw "$W2" \
	--reason "the person left the country"
check "case withdraw --reason: stored" "reason is '$(show_field "$W2" reason)'" \
	[ "$(show_field "$W2" reason)" = "the person left the country" ]

# return: a supervisor sends an application back to its officer
mut "case submit (to return)" "$RCMS" case submit "$S"
as marko
mut "case return --reason" "$RCMS" case return "$S" \
	--reason "the date of birth is missing its month"
check "case return: new state" "printed '$(cat "$OUT")'" \
	[ "$(cat "$OUT")" = "$S: draft" ]
check "case return: the reason" "reason is '$(show_field "$S" reason)'" \
	[ "$(show_field "$S" reason)" = "the date of birth is missing its month" ]

# After acceptance.  Acceptance is the requested agency's step: in
# production the exchange delivers it to this replica.  There is no
# exchange here, so the row is brought to `accepted` with sqlite3, as a
# pull would leave it (status, decision time, one revision more).
accept_by_sql() {
	sql "UPDATE cases SET status = 'accepted',
		decided_at = CAST(strftime('%s', 'now') AS INTEGER),
		rev = rev + 1 WHERE local_ref = '$1'"
}
as ana
new_case "case new (to transfer)" surnames=Transfer given_names=Tariq \
	nationality=PAK birth_date=1992-07-04 requested_agency=PK-MOI \
	evidence_basis=proof --doc type=passport,number=PK7654321
X=$REF
mut "case submit (to transfer)" "$RCMS" case submit "$X"
as marko
mut "case approve (to transfer)" "$RCMS" case approve "$X"
accept_by_sql "$X"
fails "case issue (not the requested agency)" 77 \
	"only the requested agency can issue a travel document" \
	"$RCMS" case issue "$X" --travel-doc TD-1
as ana
_date=$(date -u -d '+30 days' +%F)
mut "case schedule --date" "$RCMS" case schedule "$X" --date "$_date"
check "case schedule: new state" "printed '$(cat "$OUT")'" \
	[ "$(cat "$OUT")" = "$X: transfer scheduled" ]
check "case schedule: the date" "transfer_date is '$(show_field "$X" transfer_date)'" \
	[ "$(show_field "$X" transfer_date)" = "$_date" ]
mut "case transfer" "$RCMS" case transfer "$X"
check "case transfer: new state" "printed '$(cat "$OUT")'" \
	[ "$(cat "$OUT")" = "$X: transferred" ]
mut "case close" "$RCMS" case close "$X"
check "case close: new state" "printed '$(cat "$OUT")'" \
	[ "$(cat "$OUT")" = "$X: closed" ]

new_case "case new (to close untransferred)" surnames=Close given_names=Early \
	nationality=PAK birth_date=1999 requested_agency=PK-MOI \
	evidence_basis=proof
Y=$REF
mut "case submit (to close)" "$RCMS" case submit "$Y"
as marko
mut "case approve (to close)" "$RCMS" case approve "$Y"
accept_by_sql "$Y"
as ana
fails "case close without transfer (officer)" 77 \
	"only a supervisor can close a case" \
	"$RCMS" case close "$Y" --reason "the person died"
as marko
mut "case close --reason (supervisor)" "$RCMS" case close "$Y" \
	--reason "the person was granted asylum"
check "case close --reason: stored" "reason is '$(show_field "$Y" reason)'" \
	[ "$(show_field "$Y" reason)" = "the person was granted asylum" ]

# ---- notes ------------------------------------------------------------------------

as ana
mut "note add TEXT" "$RCMS" note add "$P" "Called the embassy; no answer."
printf 'Interview held.\nThe person speaks Urdu and Punjabi.\n' >"$T/note.txt"
mut "note add - (standard input)" "$RCMS" note add "$P" - <"$T/note.txt"
mut "note add (a third)" "$RCMS" note add "$P" "Third note."
ok_has "note list" "Called the embassy; no answer." "$RCMS" note list "$P"
check "note list: the note from standard input" "missing" \
	has "The person speaks Urdu and Punjabi."
check "note list: the author" "missing" grep -q " ana\$" "$OUT"
# notes are a log: they list in the order they were written, also
# within one second
notes_in_order() {
	[ "$(grep -e '^Called the embassy' -e '^Interview held' -e '^Third note' \
		"$OUT" | cut -c 1-6 | tr '\n' ' ')" = "Called Interv Third  " ]
}
check "note list: in the order written" "got: $(tr '\n' '|' <"$OUT")" \
	notes_in_order
ok_has "case show: notes" "ana: Called the embassy; no answer." \
	"$RCMS" case show "$P"

# ---- attachments --------------------------------------------------------------------

head -c 70001 /dev/urandom >"$T/scan.pdf"
_sha=$(sha256sum "$T/scan.pdf" | cut -d ' ' -f 1)
mut "attach" "$RCMS" attach "$P" "$T/scan.pdf"
check "attach: prints the SHA-256 of sha256sum" "printed '$(cat "$OUT")'" \
	[ "$(cat "$OUT")" = "$_sha 70001 bytes scan.pdf" ]
_blob=$RCMS_HOME/blobs/$(echo "$_sha" | cut -c 1-2)/$_sha
check "attach: the blob is stored by its hash" "no intact $_blob" \
	[ "$(sha256sum "$_blob" 2>/dev/null | cut -d ' ' -f 1)" = "$_sha" ]
fails "attach the same file twice" 65 "already attached" \
	"$RCMS" attach "$P" "$T/scan.pdf"
head -c 1234 /dev/urandom >"$T/face.jpg"
_sha2=$(sha256sum "$T/face.jpg" | cut -d ' ' -f 1)
mut "attach --kind photo" "$RCMS" attach "$P" "$T/face.jpg" --kind photo
ok_has "attachments" "photo" "$RCMS" attachments "$P"
check "attachments: the scan" "missing" has "scan              70001 $_sha"
ok_has "attachments --format csv" "photo,1234,$_sha2," \
	"$RCMS" attachments "$P" --format csv
check "attachments --format csv: header" "first line '$(head -n 1 "$OUT")'" \
	[ "$(head -n 1 "$OUT" | tr -d '\r')" = "kind,size,sha256,added_at,added_by,filename" ]
ok "attachments --format json" "$RCMS" attachments "$P" --format json
check "attachments --format json is JSON" "python3 -m json.tool refuses it" \
	json_ok "$OUT"
check "attachments --format json: content" "unexpected content" py_json "
got = sorted((a['kind'], a['sha256'], a['size'], a['filename'], a['mime'])
             for a in data)
assert got == sorted([('scan', '$_sha', 70001, 'scan.pdf', 'application/pdf'),
                      ('photo', '$_sha2', 1234, 'face.jpg', 'image/jpeg')]), got
assert all(a['added_by'] == 'ana' for a in data)"
ok_has "case show: attachments" "face.jpg" "$RCMS" case show "$P"

# ---- the requested agency's replica ------------------------------------------------

HOME_B=$TMPROOT/home-b
new_replica "$HOME_B" AL-ASP
add_user besa officer "Besa Krasniqi"
as besa

# import_case REF: the exchange delivers an application to the requested
# agency: the row as the requesting replica wrote it, with the exchange's
# receipt time, which starts the clock of the reply.
import_case() {
	sqlite3 -batch "$HOME_B/rcms.db" "ATTACH '$HOME_A/rcms.db' AS a;
		INSERT INTO cases SELECT * FROM a.cases WHERE local_ref = '$1';
		UPDATE cases SET received_at = CAST(strftime('%s', 'now') AS INTEGER)
		WHERE local_ref = '$1';"
}
import_case "$V"
RCMS_HOME=$HOME_A
as ana
mut "case submit (to reject)" "$RCMS" case submit "$U"
as marko
mut "case approve (to reject)" "$RCMS" case approve "$U"
RCMS_HOME=$HOME_B
import_case "$U"
check "the requested agency sees the applications" "$(sql 'SELECT count(*) FROM cases') cases" \
	[ "$(sql "SELECT count(*) FROM cases WHERE status = 'submitted'")" -eq 2 ]

ok_has "case extend --days --reason" "$V: extension requested" \
	"$RCMS" case extend "$V" --days 3 --reason "the civil registry is slow"
check "case extend: the days" "extension_days is '$(show_field "$V" extension_days)'" \
	[ "$(show_field "$V" extension_days)" -eq 3 ]
ok_has "case reject --reason" "$U: rejected" \
	"$RCMS" case reject "$U" --reason "the passport is forged"
check "case reject: the reason" "reason is '$(show_field "$U" reason)'" \
	[ "$(show_field "$U" reason)" = "the passport is forged" ]
# the deadlines: 10 days from receipt, 13 for the extended case
_d12=$(date -u -d '+12 days' +%F)
_d20=$(date -u -d '+20 days' +%F)
ok "case list --due-before" "$RCMS" case list --due-before "$_d12" --format csv
only_u() {
	[ "$(grep -c "^$U," "$OUT")" -eq 1 ] && [ "$(grep -c "^$V," "$OUT")" -eq 0 ]
}
check "case list --due-before: only the earlier deadline" "got: $(tr '\r\n' '  ' <"$OUT")" \
	only_u
ok "case list --due-before (later)" "$RCMS" case list --due-before "$_d20" --format csv
check "case list --due-before (later): both" "got: $(tr '\r\n' '  ' <"$OUT")" \
	[ "$(wc -l <"$OUT")" -eq 3 ]
ok "case list --sort due" "$RCMS" case list --sort due --format csv
check "case list --sort due: the earlier deadline first" "got: $(tr '\r\n' '  ' <"$OUT")" \
	[ "$(sed -n 2p "$OUT" | cut -d , -f 1)" = "$U" ]
ok_has "case list: the deadline" "d left" "$RCMS" case list
ok_has "case accept" "$V: accepted" "$RCMS" case accept "$V"
ok_has "case issue --travel-doc" "$V: travel document issued" \
	"$RCMS" case issue "$V" --travel-doc "TD-AL-2026-0042"
check "case issue: the number" "travel_doc_number is '$(show_field "$V" travel_doc_number)'" \
	[ "$(show_field "$V" travel_doc_number)" = "TD-AL-2026-0042" ]
check "the requested agency's steps are in its outbox" "wrong operations" \
	[ "$(sql "SELECT group_concat(json_extract(fields, '$.action'), ' ')
		FROM (SELECT fields FROM outbox WHERE type = 'case.transition'
		ORDER BY seq)")" = "extend reject accept issue" ]

# ---- case list on replica A ------------------------------------------------------------

RCMS_HOME=$HOME_A
as ana
_n=$(sql "SELECT count(*) FROM cases")
ok_has "case list" "REFERENCE" "$RCMS" case list
check "case list: one line a case" "$(wc -l <"$OUT") lines for $_n cases" \
	[ "$(wc -l <"$OUT")" -eq $((_n + 1)) ]
check "case list: a row" "no row for $P" \
	grep -q "^$P  *submitted  *PK-MOI  *Khan, Ali Ahmed  *PAK  *1990-05" "$OUT"
ok "case list --format csv" "$RCMS" case list --format csv
check "case list --format csv: header" "first line '$(head -n 1 "$OUT")'" \
	[ "$(head -n 1 "$OUT" | tr -d '\r')" = "local_ref,final_ref,status,requesting_agency,requested_agency,procedure,surnames,given_names,nationality,birth_date,created_by,updated_at,deadline" ]
check "case list --format csv: a row" "no row for $J" \
	grep -q "^$J,,draft,RS-MUP,AL-ASP,normal,Popović,Jelena,ALB,1985-03-02,ana," "$OUT"
check "case list --format csv: CRLF line ends" "not RFC 4180" \
	[ "$(grep -c "$(printf '\r')\$" "$OUT")" -eq $((_n + 1)) ]
ok "case list --format json" "$RCMS" case list --format json
check "case list --format json is JSON" "python3 -m json.tool refuses it" \
	json_ok "$OUT"
check "case list --format json: every case" "unexpected content" py_json "
assert len(data) == $_n, len(data)
row = [c for c in data if c['local_ref'] == '$X'][0]
assert row['status'] == 'closed' and row['requested_agency'] == 'PK-MOI'
assert row['surnames'] == 'Transfer' and row['created_by'] == 'ana'"
ok "case list --status" "$RCMS" case list --status withdrawn --format csv
check "case list --status: only that state" "got: $(tr '\r\n' '  ' <"$OUT")" \
	[ "$(tail -n +2 "$OUT" | cut -d , -f 1 | sort | tr '\n' ' ')" = \
	"$(printf '%s\n' "$W1" "$W2" | sort | tr '\n' ' ')" ]
ok "case list --requested" "$RCMS" case list --requested AL-ASP --format csv
only_al() {
	[ "$(tail -n +2 "$OUT" | cut -d , -f 5 | sort -u)" = "AL-ASP" ] &&
	[ "$(tail -n +2 "$OUT" | wc -l)" -eq \
	"$(sql "SELECT count(*) FROM cases WHERE requested_agency = 'AL-ASP'")" ]
}
check "case list --requested: only that agency" "got: $(tr '\r\n' '  ' <"$OUT")" \
	only_al
as ivan
ok "case list --mine" "$RCMS" case list --mine --format csv
check "case list --mine: only one's own" "got: $(tr '\r\n' '  ' <"$OUT")" \
	[ "$(tail -n +2 "$OUT" | cut -d , -f 1)" = "$V" ]
as ana
# sorted_by COLUMN ORDER: the references of the last list, with the
# column's value from the database, are in that order (ties in any order).
sorted_by() {
	tail -n +2 "$OUT" | cut -d , -f 1 >"$T/got"
	[ "$(wc -l <"$T/got")" -eq "$(sql 'SELECT count(*) FROM cases')" ] || return 1
	while read -r _r; do
		sql "SELECT $1 FROM cases WHERE local_ref = '$_r'"
	done <"$T/got" >"$T/keys"
	if [ "$2" = desc ]; then
		sort -c -n -r "$T/keys"
	else
		sort -c "$T/keys"
	fi
}
ok "case list --sort ref" "$RCMS" case list --sort ref --format csv
check "case list --sort ref: the order" "got $(cut -d , -f 1 "$OUT" | tr '\n' ' ')" \
	sorted_by local_ref asc
ok "case list --sort created" "$RCMS" case list --sort created --format csv
check "case list --sort created: newest first" "got $(cut -d , -f 1 "$OUT" | tr '\n' ' ')" \
	sorted_by created_at desc
ok "case list --sort updated" "$RCMS" case list --sort updated --format csv
check "case list --sort updated: last changed first" "got $(cut -d , -f 1 "$OUT" | tr '\n' ' ')" \
	sorted_by updated_at desc
ok "case list (default order)" "$RCMS" case list --format csv
check "case list: last changed first by default" "got $(cut -d , -f 1 "$OUT" | tr '\n' ' ')" \
	sorted_by updated_at desc
"$RCMS" case list --sort ref --format csv | sed -n '3,4p' | cut -d , -f 1 \
	>"$T/want"
ok "case list --limit --offset" "$RCMS" case list --sort ref --limit 2 \
	--offset 1 --format csv
tail -n +2 "$OUT" | cut -d , -f 1 >"$T/got"
check "case list --limit --offset: rows 2 and 3" "got $(tr '\n' ' ' <"$T/got")" \
	cmp -s "$T/got" "$T/want"

# ---- outbox, status, audit ---------------------------------------------------------------

ok_has "outbox" "case.create" "$RCMS" outbox
check "outbox: one line an operation" "$(wc -l <"$OUT") lines, $EXPECT_OPS actions" \
	[ "$(wc -l <"$OUT")" -eq "$EXPECT_OPS" ]
ok "outbox --format json" "$RCMS" outbox --format json
check "outbox --format json is JSON" "python3 -m json.tool refuses it" \
	json_ok "$OUT"
check "outbox: one operation a user action" "unexpected content" py_json "
assert len(data) == $EXPECT_OPS, (len(data), $EXPECT_OPS)
assert [o['seq'] for o in data] == sorted(o['seq'] for o in data)
assert all(o['state'] == 'pending' for o in data)
assert len(set(o['op_id'] for o in data)) == len(data)
kinds = {}
for o in data:
    kinds[o['type']] = kinds.get(o['type'], 0) + 1
assert kinds['case.create'] == $(sql "SELECT count(*) FROM cases"), kinds
assert kinds['note.add'] == 3 and kinds['attachment.link'] == 2, kinds
assert kinds['document.add'] == 1 and kinds['case.update'] == 1, kinds
assert kinds['user.create'] == $(sql "SELECT count(*) FROM users"), kinds
assert kinds['user.password'] == 2 and kinds['user.update'] == 2, kinds"

ok_has "status" "operations to send" "$RCMS" status
check "status: cases" "got: $(tr '\n' '|' <"$OUT")" \
	grep -q "^cases  *$(sql 'SELECT count(*) FROM cases')\$" "$OUT"
check "status: operations to send" "got: $(tr '\n' '|' <"$OUT")" \
	grep -q "^operations to send  *$EXPECT_OPS\$" "$OUT"
check "status: per state" "got: $(tr '\n' '|' <"$OUT")" \
	grep -q "^withdrawn  *2\$" "$OUT"

fails "audit list (officer)" 77 "only supervisors and administrators" \
	"$RCMS" audit list
as marko
ok_has "audit list (supervisor)" "case.create" "$RCMS" audit list
check "audit list: logins and views" "no login or case.view" \
	sh -c 'grep -q " login " "$1" && grep -q " case.view " "$1"' sh "$OUT"
_pid=$(sql "SELECT id FROM cases WHERE local_ref = '$P'")
ok_has "audit list --case" "$_pid" "$RCMS" audit list --case "$P"
check "audit list --case: only that case" "other rows" \
	[ "$(grep -vc " $_pid " "$OUT")" -eq 0 ]
check "audit list --case: its story" "missing steps" \
	sh -c 'for a in case.create case.edit document.add case.transition \
		note.add attachment.link; do grep -q " $a " "$1" || exit 1; done' \
	sh "$OUT"
as admin
ok_has "audit verify" "audit log intact: $(sql 'SELECT count(*) FROM audit') entries" \
	"$RCMS" audit verify
RCMS_HOME=$HOME_B
as admin
ok_has "audit verify (replica B)" "audit log intact" "$RCMS" audit verify

summary
