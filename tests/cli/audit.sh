#!/bin/sh
# audit.sh - rcms audit verify against an attacker with sqlite3 on the
# replica: the append-only triggers dropped, then an entry edited (and
# edited with its hash recomputed), deleted, two swapped, the end cut off
# (with and without the head record), one added at the end, the log
# emptied.  Each time verify exits 65 and names the first bad entry by its
# number; the untouched log verifies, and so does each copy before the
# change.  What it cannot see (a rewrite with the head record to match)
# is shown too, as the limit rcms(1) states.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/cli/lib.sh"

setup                                   # replica A, logged in as admin
as ana || exit 1
i=1
while [ $i -le 4 ]; do
	run "$RCMS" case new surnames=KHAN given_names="IMRAN$i" \
		birth_date=1990 nationality=PAK requested_agency=PK-MOI
	i=$((i + 1))
done
as marko || exit 1
ok_has "an untouched log verifies" "audit log intact" "$RCMS" audit verify
N=$(sql "SELECT max(seq) FROM audit")
check "the log has entries to tamper with" "$N entries" [ "$N" -ge 10 ]
check "the head record is the last entry" "$(sql "SELECT value FROM meta WHERE key = 'audit_head'")" \
	[ "$(sql "SELECT value FROM meta WHERE key = 'audit_head'")" = \
	"$(sql "SELECT seq || ' ' || hash FROM audit ORDER BY seq DESC LIMIT 1")" ]
fails "the triggers refuse an edit" 19 "append-only" \
	sqlite3 "$RCMS_HOME/rcms.db" "UPDATE audit SET detail = 'x' WHERE seq = 3"
fails "the triggers refuse a delete" 19 "append-only" \
	sqlite3 "$RCMS_HOME/rcms.db" "DELETE FROM audit WHERE seq = 3"

# rehash SEQ FIELD VALUE [PREV]: the hash entry SEQ would have with FIELD
# (actor or detail) set to VALUE and, when given, PREV as its prev_hash,
# computed as db/db.c's audit_hash does -- what an attacker would do
rehash() {
	sql "SELECT seq, at, actor, action, case_id, detail, prev_hash FROM audit
		WHERE seq = $1" | python3 -c "
import hashlib, sys
seq, at, actor, action, case, detail, prev = sys.stdin.read().rstrip('\n').split('|')
f, v = sys.argv[1], sys.argv[2]
if f == 'actor': actor = v
if f == 'detail': detail = v
if len(sys.argv) > 3: seq, prev = str(int(seq) + 1), sys.argv[3]
n = lambda x: '%d:%s' % (len(x.encode()), x)
b = 'rcms-audit-v1\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n' % (seq, at, n(actor),
    n(action), n(case), n(detail), prev)
print(hashlib.sha256(b.encode()).hexdigest())" "$2" "$3" ${4:+"$4"}
}

# Each attack on a copy of the replica: copy_home NAME, then SQL on it.
cp_home() {
	_A_h=$TMPROOT/tamper-$1
	rm -rf "$_A_h"
	cp -r "$HOME_A" "$_A_h"
	RCMS_HOME=$_A_h
	export RCMS_HOME
	ok "$1: the copy verifies before" "$RCMS" audit verify
	sqlite3 "$RCMS_HOME/rcms.db" "DROP TRIGGER audit_no_update;
		DROP TRIGGER audit_no_delete;" ||
		fail "$1: drop the triggers" "sqlite3 failed"
}

# attacked NAME SEQ TEXT: verify fails (65), names entry SEQ, says TEXT
attacked() {
	fails "$1: verify fails" 65 "$3" "$RCMS" audit verify
	check "$1: the first bad entry is named ($2)" "$(cat "$ERR")" \
		grep -q "audit entry $2 " "$ERR"
	RCMS_HOME=$HOME_A
	export RCMS_HOME
}

# a NAME is an easy edit to make: the actor of entry 5
cp_home edit
sqlite3 "$RCMS_HOME/rcms.db" "UPDATE audit SET actor = 'nobody' WHERE seq = 5"
attacked "edit a row" 5 "was altered"

# an edit whose hash is recomputed: the next entry no longer follows
cp_home rehash
_h=$(rehash 6 detail "nothing to see")
sqlite3 "$RCMS_HOME/rcms.db" "UPDATE audit SET detail = 'nothing to see',
	hash = '$_h' WHERE seq = 6"
check "rehash: the edited entry's own hash is right" "not the format of db.c" \
	sh -c '! "$1" audit verify 2>&1 | grep -q "audit entry 6 was altered"' sh "$RCMS"
attacked "edit a row, hash recomputed" 7 "does not follow entry 6"

cp_home delete
sqlite3 "$RCMS_HOME/rcms.db" "DELETE FROM audit WHERE seq = 4"
attacked "delete a row" 4 "is missing"

cp_home delete-first
sqlite3 "$RCMS_HOME/rcms.db" "DELETE FROM audit WHERE seq = 1"
attacked "delete the first row" 1 "is missing"

# swap the contents of entries 8 and 9 (their numbers stay)
cp_home swap
sqlite3 "$RCMS_HOME/rcms.db" "
	CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (8, 9);
	UPDATE audit SET (at, actor, action, case_id, detail, prev_hash, hash) =
		(SELECT at, actor, action, case_id, detail, prev_hash, hash
		 FROM t WHERE t.seq = 17 - audit.seq) WHERE seq IN (8, 9);"
attacked "swap two rows" 8 "does not follow entry 7"

# swap them whole, numbers too (the order by seq is what counts)
cp_home swap-seq
sqlite3 "$RCMS_HOME/rcms.db" "UPDATE audit SET seq = -1 WHERE seq = 8;
	UPDATE audit SET seq = 8 WHERE seq = 9;
	UPDATE audit SET seq = 9 WHERE seq = -1;"
attacked "swap two rows with their numbers" 8 "does not follow entry 7"

cp_home truncate
sqlite3 "$RCMS_HOME/rcms.db" "DELETE FROM audit WHERE seq > $((N - 3))"
attacked "truncate the end" $((N - 2)) "was written up to entry $N"

cp_home truncate-one
sqlite3 "$RCMS_HOME/rcms.db" "DELETE FROM audit WHERE seq = $N"
attacked "truncate the last entry" "$N" "entries removed from the end"

cp_home truncate-head
sqlite3 "$RCMS_HOME/rcms.db" "DELETE FROM audit WHERE seq > $((N - 3));
	DELETE FROM meta WHERE key = 'audit_head'"
attacked "truncate the end and delete the head record" $((N - 3)) \
	"head record is missing"

cp_home empty
sqlite3 "$RCMS_HOME/rcms.db" "DELETE FROM audit;
	DELETE FROM meta WHERE key = 'audit_head'"
attacked "empty the log and its head record" 1 "head record is missing"

cp_home append
# a copy of the last entry as the next one, its chain and hash right
_last=$(sql "SELECT hash FROM audit WHERE seq = $N")
_h=$(rehash "$N" detail "" "$_last")
sqlite3 "$RCMS_HOME/rcms.db" "INSERT INTO audit(seq, at, actor, action,
	case_id, detail, prev_hash, hash) SELECT seq + 1, at, actor, action,
	case_id, '', hash, '$_h' FROM audit WHERE seq = $N"
attacked "an entry added by hand" $((N + 1)) "not written by rcms"

# the last entry replaced, rehashed: its hash is not the head record's
cp_home last
_h=$(rehash "$N" actor nobody)
sqlite3 "$RCMS_HOME/rcms.db" "UPDATE audit SET actor = 'nobody',
	hash = '$_h' WHERE seq = $N"
attacked "the last entry edited, hash recomputed" "$N" "not the last entry written"

# the limit: the same, with the head record rewritten to match, is not
# seen on the workstation (rcms(1): only a copy kept elsewhere can)
cp_home limit
sqlite3 "$RCMS_HOME/rcms.db" "UPDATE audit SET actor = 'nobody',
	hash = '$_h' WHERE seq = $N;
	UPDATE meta SET value = '$N $_h' WHERE key = 'audit_head'"
ok_has "the limit: a rewrite with the head record to match verifies" \
	"audit log intact" "$RCMS" audit verify
RCMS_HOME=$HOME_A
export RCMS_HOME

ok_has "the original still verifies" "audit log intact: $N entries" \
	"$RCMS" audit verify

summary
