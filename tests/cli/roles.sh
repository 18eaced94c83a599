#!/bin/sh
# roles.sh - the role x action matrix of rcms roles (app/perm.h), checked
# against the running command line: for every row of `rcms roles --format
# csv`, every command of the row is run as an officer (ana), a supervisor
# (marko) and the administrator, on a case of the requesting agency and,
# for the steps of a case, of the requested agency too.  A role the row
# refuses gets exit 77 and the row's reason ("only supervisors can ...");
# a role it allows is not refused for its role (it succeeds, or is
# refused for something else: the agency, the case's state).  A row
# without a fixture here fails: a new action needs its test.  Four eyes:
# the creator cannot approve, another supervisor can.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/cli/lib.sh"

setup
add_user vera officer "Vera Verić"     # whom the administrator manages
as ana || exit 1

user_of() {
	case $1 in
	officer) echo ana ;;
	supervisor) echo marko ;;
	admin) echo admin ;;
	esac
}

# rcms_as USER ARGS...: one command as USER, without a session.
rcms_as() {
	_r_u=$1
	shift
	run env RCMS_USER="$_r_u" RCMS_PASSWORD_FILE="$(password_file "$_r_u")" \
		RCMS_NEW_PASSWORD_FILE="$(password_file "$_r_u")" "$RCMS" "$@" \
		</dev/null
}

# fresh STATUS [theirs]: a complete case opened by ana, put in STATUS; with
# "theirs" PK-MOI asked RS-MUP (this workstation is the requested agency).
# Its reference in REF.
N=0
fresh() {
	N=$((N + 1))
	rcms_as ana case new surnames=ROLE given_names=CASE \
		nationality=PAK birth_date=1990-01-01 requested_agency=PK-MOI \
		evidence_basis=proof
	if [ "$RC" -ne 0 ]; then
		fail "fixture: case new" "exit $RC: $(cat "$ERR")"
		exit 1
	fi
	REF=$(cat "$OUT")
	sql "UPDATE cases SET status = '$1' WHERE local_ref = '$REF'"
	if [ "${2:-}" = theirs ]; then
		sql "UPDATE cases SET requesting_agency = 'PK-MOI',
			requested_agency = 'RS-MUP', received_at = 1767225600,
			reply_due = 4102444800 WHERE local_ref = '$REF'"
	fi
}

# args_of ACTION COMMAND SIDE: prepare what the command needs and print its
# arguments; SIDE is ours or theirs.  Exit status 1: no fixture.
args_of() {
	case "$1|$2" in
	case.read\|"case list" | case.read\|"conflicts list" | \
	case.read\|outbox | user.list\|* | agreement.read\|"agreement list" | \
	session\|* | sync\|"sync status" | audit.verify\|* | audit.read\|*)
		echo "" ;;
	case.read\|*) fresh draft "$3"
		case $2 in search) echo ROLE ;; *) echo "$REF" ;; esac ;;
	case.create\|*) echo "surnames=NEW birth_date=1980 nationality=PAK" ;;
	case.edit\|"case edit") fresh draft "$3"; echo "$REF sex=M" ;;
	case.edit\|"doc add") fresh draft "$3"
		echo "$REF type=passport number=AB1234567 issuing_state=PAK" ;;
	case.submit\|*) fresh draft "$3"; echo "$REF" ;;
	case.approve\|*) fresh awaiting_approval "$3"; echo "$REF" ;;
	case.return\|*) fresh awaiting_approval "$3"; echo "$REF --reason fix" ;;
	case.withdraw\|*) fresh draft "$3"; echo "$REF" ;;
	case.extend\|*) fresh submitted "$3"; echo "$REF --days 3 --reason more" ;;
	case.accept\|*) fresh submitted "$3"; echo "$REF" ;;
	case.reject\|*) fresh submitted "$3"; echo "$REF --reason no" ;;
	case.issue\|*) fresh accepted "$3"; echo "$REF --travel-doc T123" ;;
	case.schedule\|*) fresh accepted "$3"; echo "$REF --date 2027-01-10" ;;
	case.transfer\|*) fresh transfer_scheduled "$3"; echo "$REF" ;;
	case.close\|*) fresh transferred "$3"; echo "$REF" ;;
	case.close-early\|*) fresh accepted "$3"; echo "$REF --reason gone" ;;
	note.add\|*) fresh draft "$3"; echo "$REF a-note" ;;
	attach\|*) fresh draft "$3"; echo "$REF $T/scan.pdf" ;;
	idcheck.request\|*) fresh submitted "$3"
		echo "$REF --kind identity --question who" ;;
	idcheck.answer\|*) fresh submitted "$3"
		echo "$REF 0000000000000000 --answer confirmed" ;;
	person.decide\|*) fresh draft "$3"; _a_r=$REF; fresh draft "$3"
		echo "$_a_r $REF" ;;
	conflict.resolve\|*) fresh draft "$3"
		echo "$REF --field surnames --take mine" ;;
	report.case\|*) fresh draft "$3"; echo "$REF --format text" ;;
	report\|"report deadlines") echo "--format csv" ;;
	report\|*) echo "--from 2020-01-01 --format csv" ;;
	user.manage\|"user add") N=$((N + 1)); echo "zoran$N --role officer" ;;
	user.manage\|"user edit") echo "vera --role officer" ;;
	user.manage\|*) echo vera ;;
	workstation.manage\|"workstation list") echo "" ;;
	workstation.manage\|"workstation retire") echo "W09 --reason test" ;;
	user.passwd\|*) echo "" ;;
	agreement.read\|*) echo EU-PK-2010 ;;
	agreement.manage\|"agreement set") echo "EU-PK-2010 note=checked" ;;
	agreement.manage\|"agreement load") echo "$ROOT/data/agreements.json" ;;
	agreement.manage\|"holiday add") echo "RS 2027-01-07 Christmas" ;;
	enroll\|*) echo "--exchange https://127.0.0.1:9 --bundle $T/nobundle" ;;
	purge\|*) echo "--dry-run" ;;
	sync\|*) echo "" ;;
	*) return 1 ;;
	esac
}

# the words a refusal names the allowed roles with: "officers and
# supervisors" (the table) or "an officer or a supervisor" (a step)
words() {
	_w_n=0
	_w_many=""
	_w_one=""
	for _w_r in officer supervisor admin; do
		eval "_w_y=\$$_w_r"
		[ "$_w_y" = yes ] || continue
		case $_w_r in
		officer) _w_m=officers _w_o="an officer" ;;
		supervisor) _w_m=supervisors _w_o="a supervisor" ;;
		admin) _w_m=administrators _w_o="an administrator" ;;
		esac
		_w_n=$((_w_n + 1))
		if [ $_w_n -eq 1 ]; then
			_w_many=$_w_m _w_one=$_w_o
		else
			_w_many="$_w_many and $_w_m" _w_one="$_w_one or $_w_o"
		fi
	done
	[ $_w_n -eq 1 ] && _w_many=$_w_one
}

printf '%%PDF-1.4 a scan\n' >"$T/scan.pdf"
ok "rcms roles --format csv" "$RCMS" roles --format csv
tr -d '\r' <"$OUT" | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    for c in r["commands"].split("|"):
        print("\t".join([r["action"], c, r["officer"], r["supervisor"],
                         r["admin"], r["reason"]]))' >"$T/matrix"
check "the matrix has every action" "$(wc -l <"$T/matrix") rows" \
	[ "$(wc -l <"$T/matrix")" -ge 40 ]

rows=0
tab=$(printf '\t')
while IFS=$tab read -r action cmd officer supervisor admin reason; do
	words
	sides=ours
	own=ours      # the side whose step it is
	case $action in
	case.extend | case.accept | case.reject | case.issue | \
	idcheck.answer) own=theirs ;;
	esac
	case $action in
	case.submit | case.approve | case.return | case.withdraw | \
	case.extend | case.accept | case.reject | case.issue | \
	case.schedule | case.transfer | case.close | case.close-early | \
	idcheck.request | idcheck.answer) sides="ours theirs" ;;
	esac
	# "user passwd USER": the same command with another user's name
	c=${cmd% USER}
	for side in $sides; do
		for role in officer supervisor admin; do
			eval "allowed=\$$role"
			u=$(user_of $role)
			if ! a=$(args_of "$action" "$cmd" "$side"); then
				fail "$action: rcms $cmd" "no fixture in roles.sh"
				continue
			fi
			rows=$((rows + 1))
			# shellcheck disable=SC2086
			rcms_as "$u" $c $a
			name="$action ($cmd, $side case) as $role"
			if [ "$allowed" = yes ]; then
				if [ "$RC" -eq 77 ] && err_has "only $_w_many" ||
				   [ "$RC" -eq 77 ] && err_has "only $_w_one"; then
					fail "$name: allowed" "refused: $(cat "$ERR")"
				elif sanitizer_report; then
					fail "$name" "sanitizer report"
				else
					pass "$name: not refused for the role (exit $RC)"
				fi
			elif [ "$RC" -ne 77 ]; then
				fail "$name: refused" "exit $RC: $(cat "$ERR")"
			elif [ "$side" != "$own" ]; then
				# the other agency's step: refused for the agency
				# (checked first) or the role
				pass "$name: refused (77)"
			elif [ "$sides" != ours ] && err_has "only $_w_one"; then
				# a step of the state machine, in its words
				pass "$name: refused for the role"
			elif err_has "only $_w_many" && err_has "$reason"; then
				pass "$name: refused with the reason"
			else
				fail "$name: refused with the reason" \
					"$(cat "$ERR") / wanted: only $_w_many ... $reason"
			fi
		done
	done
done <"$T/matrix"
echo "# $rows runs of the matrix"

# ---- four eyes: the creator cannot approve, another supervisor can --------------
rcms_as marko case new surnames=EYES given_names=FOUR nationality=PAK \
	birth_date=1990-01-01 requested_agency=PK-MOI evidence_basis=proof
R4=$(cat "$OUT")
rcms_as marko case submit "$R4"
check "four eyes: a supervisor's case submitted" "exit $RC" [ "$RC" -eq 0 ]
rcms_as marko case approve "$R4"
check "four eyes: its creator cannot approve it (77)" "exit $RC" \
	[ "$RC" -eq 77 ]
check "four eyes: the refusal says why" "$(cat "$ERR")" \
	err_has "you created this case"
rcms_as ivan case approve "$R4"
check "four eyes: another supervisor approves it" \
	"exit $RC: $(cat "$ERR")" [ "$RC" -eq 0 ]

# ---- the man page's ROLES table is rcms roles --format mdoc -------------------
run "$RCMS" roles --format mdoc
sed -n '/^\.\\" roles: begin/,/^\.\\" roles: end/p' "$ROOT/man/rcms.1" |
	sed '1d;$d' >"$T/man-roles"
check "man page ROLES table is the permission table" \
	"man/rcms.1 differs from 'rcms roles --format mdoc' (regenerate it)" \
	cmp -s "$OUT" "$T/man-roles"

summary
