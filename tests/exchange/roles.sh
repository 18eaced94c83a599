#!/bin/sh
# roles.sh - the exchange's half of the role x action matrix: every
# exchange operation of `rcms roles --format csv` (app/perm.h) pushed with
# each role (the op's "role"; a step's fields.role) by both agencies of a
# case, RS-MUP asking PK-MOI.  A role the table refuses is rejected
# (not-owner), by the agency whose operation it is with the table's words
# ("only supervisors ..."); a role it allows is never rejected for its
# role, and by the agency whose operation it is the operation is applied.
# Four eyes at the exchange: the creator cannot approve, another
# supervisor can.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/exchange/lib.sh"

RS='RS-MUP/W01'
PK='PK-MOI/W01'
AL='AL-MOI/W01'

xsetup
xstart

# go WHO 'BUILDER': push one op, which must be applied; REV is its rev.
go() {
	push "$1" "[$2]"
	if [ "$(val 'r0["status"]')" != applied ]; then
		fail "fixture: $2" "$(cat "$OUT")"
		return 1
	fi
	REV=$(val 'r0["rev"]')
}

# mk STATE: a case of RS-MUP asking PK-MOI, created by ana, in STATE; its
# id in C, its revision in REV.
mk() {
	C=$(newid)
	go $RS "case_create('$C', requested='${ASKED%/*}')" || return 1
	[ "$1" = draft ] && return 0
	go $RS "transition('$C', $REV, 'submit')" || return 1
	[ "$1" = awaiting_approval ] && return 0
	go $RS "transition('$C', $REV, 'approve', role='supervisor', actor='marko')" || return 1
	[ "$1" = submitted ] && return 0
	go $ASKED "transition('$C', $REV, 'accept', actor='pk1')" || return 1
	[ "$1" = accepted ] && return 0
	go $RS "transition('$C', $REV, 'schedule', transfer_date='2027-01-10')" || return 1
	[ "$1" = transfer_scheduled ] && return 0
	go $RS "transition('$C', $REV, 'transfer')" || return 1
}

# the op to push for a matrix entry, with ROLE; the case made first.  OWN:
# the agency whose operation it is.  Prints nothing; sets OP.
fixture() {
	OWN=$RS
	case $1 in
	case.create) C=$(newid); REV=0; OWN=$3
		OP="case_create('$C', agency='${3%/*}', requested='RS-MUP')"
		if [ "$3" = "$RS" ]; then OP="case_create('$C')"; fi ;;
	case.update) mk draft; OP="case_update('$C', $REV, {'sex': 'M'})" ;;
	document.add) mk draft; OP="document_add('$C', $REV)" ;;
	note.add) mk draft; OP="note_add('$C', $REV, 'a note')" ;;
	attachment.link) mk draft
		OP="attachment_link('$C', $REV, sha256hex(b'scan'))" ;;
	idcheck.request) mk submitted
		OP="op('idcheck.request', '$C', $REV, {'idcheck_id': uuid7(), 'kind': 'identity', 'question': 'who?'})" ;;
	idcheck.answer) mk submitted
		Q=$(newid)
		go $RS "op('idcheck.request', '$C', $REV, {'idcheck_id': '$Q', 'kind': 'identity', 'question': 'who?'})"
		OWN=$ASKED
		OP="op('idcheck.answer', '$C', $REV, {'idcheck_id': '$Q', 'answer': 'confirmed', 'text': ''})" ;;
	case.transition:submit) mk draft; OP="transition('$C', $REV, 'submit')" ;;
	case.transition:approve) mk awaiting_approval
		OP="transition('$C', $REV, 'approve', actor='ivan')" ;;
	case.transition:return) mk awaiting_approval
		OP="transition('$C', $REV, 'return', reason='fix')" ;;
	case.transition:withdraw) mk draft
		OP="transition('$C', $REV, 'withdraw', **{'from': 'draft', 'to': 'withdrawn'})" ;;
	case.transition:extend) mk submitted; OWN=$ASKED
		OP="transition('$C', $REV, 'extend', days=3, reason='more')" ;;
	case.transition:accept) mk submitted; OWN=$ASKED
		OP="transition('$C', $REV, 'accept')" ;;
	case.transition:reject) mk submitted; OWN=$ASKED
		OP="transition('$C', $REV, 'reject', reason='no')" ;;
	case.transition:issue) mk accepted; OWN=$ASKED
		OP="transition('$C', $REV, 'issue', travel_doc_number='T1', **{'from': 'accepted', 'to': 'travel_document_issued'})" ;;
	case.transition:schedule) mk accepted
		OP="transition('$C', $REV, 'schedule', transfer_date='2027-01-10')" ;;
	case.transition:transfer) mk transfer_scheduled
		OP="transition('$C', $REV, 'transfer')" ;;
	case.transition:close)
		if [ "$2" = case.close-early ]; then
			mk accepted
			OP="transition('$C', $REV, 'close', reason='gone')"
		else
			mk transferred
			OP="transition('$C', $REV, 'close')"
		fi ;;
	user.create) boss "$3"; OWN=$3
		OP="op('user.create', uuid7(), 0, {'username': 'u%d' % random.randrange(10**9), 'role': 'officer', 'pw_hash': '$HASH'}, actor='boss')" ;;
	user.update) boss "$3"; OWN=$3
		OP="op('user.update', uuid7(), 0, {'username': 'boss', 'full_name': 'The Boss'}, actor='boss')" ;;
	workstation.retire) boss "$3"; OWN=$RS
		OP="op('workstation.retire', uuid7(), 0, {'workstation': 'W02', 'reason': 'matrix'}, actor='boss')" ;;
	*) return 1 ;;
	esac
}

# the agency directory's operations need an administrator of it: boss,
# the agency's first account, makes itself (once; later pushes of it are
# user-exists)
HASH='$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g'
boss() {
	push "$1" "[dict(op('user.create', uuid7(), 0, {'username': 'boss', 'role': 'admin', 'pw_hash': '$HASH'}, actor='boss'), role='admin')]"
}
# RS-MUP/W02 has been heard from: a workstation to retire
req RS-MUP/W02 GET /v1/whoami

"$RCMS" roles --format csv | tr -d '\r' | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    for o in filter(None, r["ops"].split("|")):
        print("\t".join([r["action"], o, r["officer"], r["supervisor"],
                         r["admin"]]))' >"$T/matrix"
check "the matrix has the exchange's operations" "$(wc -l <"$T/matrix") rows" \
	[ "$(wc -l <"$T/matrix")" -ge 18 ]

n=0
tab=$(printf '\t')
while IFS=$tab read -r action xop officer supervisor admin; do
	for role in officer supervisor admin; do
		eval "allowed=\$$role"
		case $role in
		officer) many=officers one='an officer' ;;
		supervisor) many=supervisors one='a supervisor' ;;
		admin) many=administrators one='an administrator' ;;
		esac
		# the requested agency: AL-MOI's agreement allows extensions
		ASKED=$PK
		[ "$xop" = case.transition:extend ] && ASKED=$AL
		for who in $RS $ASKED; do
			if ! fixture "$xop" "$action" "$who"; then
				fail "$action: $xop" "no fixture in roles.sh"
				continue
			fi
			n=$((n + 1))
			# the role: the op's own, and a step's fields.role
			push "$who" "[(lambda o: (o['fields'].update(role='$role') if o['type'] == 'case.transition' else None, o)[1])(dict($OP, role='$role'))]"
			name="$action ($xop) by ${who%/*} as $role"
			refusal='"only " in str(r0) and ("officer" in str(r0.get("problem")) or "supervisor" in str(r0.get("problem")) or "administrator" in str(r0.get("problem")))'
			if [ "$allowed" != yes ]; then
				if [ "$who" = "$OWN" ]; then
					expect "$name: rejected for the role" \
						"r0['status'] == 'rejected' and problem(r0) == 'not-owner' and $refusal"
				else
					expect "$name: rejected" \
						"r0['status'] == 'rejected' and problem(r0) in ('not-owner', 'not-found')"
				fi
			elif [ "$who" = "$OWN" ]; then
				expect "$name: applied" "r0['status'] == 'applied'"
			else
				expect "$name: not rejected for the role" \
					"not (r0['status'] == 'rejected' and $refusal and 'agency' not in str(r0))"
			fi
		done
	done
done <"$T/matrix"
echo "# $n pushes of the matrix"

# ---- four eyes at the exchange ------------------------------------------------
ASKED=$PK
mk awaiting_approval
push $RS "[transition('$C', $REV, 'approve', role='supervisor', actor='ana')]"
expect "four eyes: the creator cannot approve at the exchange" \
	"r0['status'] == 'rejected' and problem(r0) == 'not-owner' and 'you created this case' in str(r0)"
push $RS "[transition('$C', $REV, 'approve', role='supervisor', actor='ivan')]"
expect "four eyes: another supervisor approves at the exchange" \
	"r0['status'] == 'applied' and r0['case_status'] == 'submitted'"

xstop
summary
