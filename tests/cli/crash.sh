#!/bin/sh
# crash.sh - the workstation killed mid-transaction: nothing lost, nothing
# doubled, nothing half-written.
#
# A background loop runs `rcms case new` RUNS times, one after the other,
# each authenticating with RCMS_USER and RCMS_PASSWORD_FILE (a login is a
# write of its own).  Meanwhile the foreground kills the running rcms with
# SIGKILL at random moments, KILLS times.  Only the loop's own children
# are killed (pkill -P, by the loop's process id), never any other rcms.
#
# Afterwards the replica must be intact: integrity and foreign keys, one
# case.create operation and one case.create audit entry for every case and
# no operation without its case, every case with its one document,
# references without gaps, an audit chain that verifies, and every case
# accounted for: printed <= committed <= runs, every printed reference
# committed, every committed case from a run that printed it or was killed.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/cli/lib.sh"

RUNS=${CRASH_RUNS:-200}
KILLS=${CRASH_KILLS:-30}
SEED=${CRASH_SEED:-$$}
echo "# $RUNS runs, $KILLS kills, random seed $SEED (CRASH_SEED to repeat)"

setup
R=$T/runs
mkdir -p "$R"

# The burst.  Run i records its exit status, its output and its errors.
(
	i=1
	while [ "$i" -le "$RUNS" ]; do
		RCMS_USER=ana RCMS_PASSWORD_FILE=$PW/ana "$RCMS" case new \
			surnames=Crash given_names=Test nationality=PAK \
			birth_date=1990 requested_agency=PK-MOI \
			evidence_basis=proof --doc "type=passport,number=CR$i" \
			>"$R/$i.out" 2>"$R/$i.err"
		echo "$?" >"$R/$i.rc"
		i=$((i + 1))
	done
) &
LOOP=$!

# Random delays of 0 to 50 ms, one an attempt; at most 5 attempts a kill.
awk -v seed="$SEED" -v n="$((KILLS * 5))" 'BEGIN { srand(seed);
	for (i = 0; i < n; i++) printf "%.3f\n", rand() * 0.05 }' >"$T/delays"

done_runs() {
	set -- "$R"/*.rc
	if [ -e "$1" ]; then echo "$#"; else echo 0; fi
}

# Spread the kills over the burst: before each attempt, let a couple of
# runs finish, then wait a random moment into the next one.  An attempt
# that finds no rcms running (the loop between two runs) is not a kill.
attempts=0
sent=0
while [ "$sent" -lt "$KILLS" ] && read -r delay; do
	kill -0 "$LOOP" 2>/dev/null || break
	target=$(($(done_runs) + 2))
	while [ "$(done_runs)" -lt "$target" ] && kill -0 "$LOOP" 2>/dev/null; do
		sleep 0.01
	done
	sleep "$delay"
	if pkill -9 -P "$LOOP" -x rcms; then
		sent=$((sent + 1))
	fi
	attempts=$((attempts + 1))
done <"$T/delays"
wait "$LOOP"

# ---- the runs ----------------------------------------------------------------------

finished=$(done_runs)
check "every run finished" "$finished of $RUNS" [ "$finished" -eq "$RUNS" ]
killed=0
printed=0
odd=""
: >"$T/printed"
i=1
while [ "$i" -le "$RUNS" ]; do
	rc=$(cat "$R/$i.rc" 2>/dev/null)
	case $rc in
	0)
		ref=$(cat "$R/$i.out")
		if expr "$ref" : 'RS-MUP-W01-[0-9]\{4\}-[0-9]\{6\}$' >/dev/null; then
			printed=$((printed + 1))
			echo "$i $ref" >>"$T/printed"
		else
			odd="$odd $i(printed '$ref')"
		fi
		;;
	137) killed=$((killed + 1)) ;;
	*) odd="$odd $i(exit $rc: $(head -n 1 "$R/$i.err"))" ;;
	esac
	i=$((i + 1))
done
echo "# $attempts attempts, $sent kills sent: $killed runs killed," \
	"$printed printed a reference"
check "every run either printed a reference or was killed" "$odd" [ -z "$odd" ]
check "no sanitizer report" "$(grep -l -e Sanitizer -e 'runtime error:' "$R"/*.err | head -n 3)" \
	sh -c '! grep -q -e Sanitizer -e "runtime error:" "$@"' sh "$R"/*.err
check "at least 10 runs were killed" "only $killed" [ "$killed" -ge 10 ]

# ---- the replica -------------------------------------------------------------------

cases=$(sql "SELECT count(*) FROM cases")
echo "# $cases cases committed"
check "PRAGMA integrity_check" "$(sql 'PRAGMA integrity_check' | head -n 3)" \
	[ "$(sql 'PRAGMA integrity_check')" = ok ]
check "PRAGMA foreign_key_check" "$(sql 'PRAGMA foreign_key_check' | head -n 3)" \
	[ -z "$(sql 'PRAGMA foreign_key_check')" ]
check "committed >= printed" "$cases cases, $printed printed" \
	[ "$cases" -ge "$printed" ]
check "committed <= runs" "$cases cases, $RUNS runs" [ "$cases" -le "$RUNS" ]
check "every case has its case.create operation" \
	"$(sql "SELECT count(*) FROM cases WHERE id NOT IN
		(SELECT entity_id FROM outbox WHERE type = 'case.create')") without" \
	[ "$(sql "SELECT count(*) FROM cases WHERE id NOT IN
		(SELECT entity_id FROM outbox WHERE type = 'case.create')")" -eq 0 ]
# the accounts' operations (user.create, for the agency directory) are
# not the cases': they come from setup, before the kills
CASE_OPS="FROM outbox WHERE type NOT LIKE 'user.%'"
check "no operation without its case" \
	"$(sql "SELECT count(*) $CASE_OPS AND entity_id NOT IN
		(SELECT id FROM cases)") orphans" \
	[ "$(sql "SELECT count(*) $CASE_OPS AND entity_id NOT IN
		(SELECT id FROM cases)")" -eq 0 ]
one_op_a_case() {
	[ "$(sql "SELECT count(*) FROM outbox WHERE type = 'case.create'")" \
		-eq "$cases" ] &&
	[ "$(sql "SELECT count(DISTINCT entity_id) $CASE_OPS")" -eq "$cases" ] &&
	[ "$(sql "SELECT count(*) $CASE_OPS")" -eq "$cases" ] &&
	[ "$(sql "SELECT count(*) FROM outbox WHERE type LIKE 'user.%'")" \
		-eq "$(sql "SELECT count(*) FROM users")" ]
}
check "exactly one operation a case (and one an account)" \
	"$(sql "SELECT count(*) FROM outbox") operations for $cases cases" \
	one_op_a_case
check "no duplicate local_ref" "duplicates" \
	[ "$(sql "SELECT count(DISTINCT local_ref) FROM cases")" -eq "$cases" ]
one_doc_a_case() {
	[ "$(sql "SELECT count(*) FROM cases c WHERE (SELECT count(*)
		FROM documents d WHERE d.case_id = c.id) = 1")" -eq "$cases" ] &&
	[ "$(sql "SELECT count(*) FROM documents")" -eq "$cases" ]
}
check "every case has its one document" \
	"$(sql "SELECT count(*) FROM documents") documents for $cases cases" \
	one_doc_a_case
one_audit_a_case() {
	[ "$(sql "SELECT count(*) FROM cases c WHERE (SELECT count(*) FROM audit a
		WHERE a.case_id = c.id AND a.action = 'case.create') = 1")" \
		-eq "$cases" ] &&
	[ "$(sql "SELECT count(*) FROM audit WHERE action = 'case.create'")" \
		-eq "$cases" ]
}
check "every case has its one case.create audit entry" "missing or doubled" \
	one_audit_a_case
# the counter is written in the case's transaction: a killed run gives its
# number back, so the references run 1..N without gaps
check "references without gaps" \
	"max $(sql "SELECT max(CAST(substr(local_ref, -6) AS INTEGER)) FROM cases") for $cases cases" \
	[ "$(sql "SELECT coalesce(max(CAST(substr(local_ref, -6) AS INTEGER)), 0)
		FROM cases")" -eq "$cases" ]
check "the reference counter matches" \
	"$(sql "SELECT value FROM meta WHERE key LIKE 'ref_counter.%'")" \
	[ "$(sql "SELECT coalesce(sum(CAST(value AS INTEGER)), 0) FROM meta
		WHERE key LIKE 'ref_counter.%'")" -eq "$cases" ]

# Each run wrote its number into its document: map the cases to the runs.
sql "SELECT substr(d.number, 3), c.local_ref FROM cases c
	JOIN documents d ON d.case_id = c.id ORDER BY 1" | tr '|' ' ' \
	| sort -n >"$T/committed"
missing=$(while read -r i ref; do
	grep -qx "$i $ref" "$T/committed" || echo "$i:$ref"
done <"$T/printed" | tr '\n' ' ')
check "every printed reference is committed, to its run" "missing: $missing" \
	[ -z "$missing" ]
stray=$(while read -r i ref; do
	rc=$(cat "$R/$i.rc" 2>/dev/null)
	if [ "$rc" = 0 ]; then
		[ "$(cat "$R/$i.out")" = "$ref" ] || echo "$i:$ref"
	elif [ "$rc" != 137 ]; then
		echo "$i:$ref(exit $rc)"
	fi
done <"$T/committed" | tr '\n' ' ')
check "every committed case comes from a run that printed it or was killed" \
	"stray: $stray" [ -z "$stray" ]
check "one case a run at most" "runs with two cases" \
	[ "$(cut -d ' ' -f 1 "$T/committed" | sort | uniq -d | wc -l)" -eq 0 ]

as admin
ok_has "audit verify" "audit log intact" "$RCMS" audit verify
as ana
ok "the replica works after the crashes" "$RCMS" case new surnames=After \
	given_names=Crash
ok "status after the crashes" "$RCMS" status
check "status counts every case" "got: $(tr '\n' '|' <"$OUT")" \
	grep -q "^cases  *$((cases + 1))\$" "$OUT"

summary
