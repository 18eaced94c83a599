# lib.sh - helpers shared by the command-line tests (tests/cli/*.sh).
#
# Sourced, not run:  . "$ROOT/tests/cli/lib.sh"
#
# The runner (tests/run.sh) sets RCMS (the binary under test), BUILD, ROOT
# (the repository) and TMPROOT (a scratch folder for this script).  Run by
# hand, a script finds the repository itself and needs RCMS, e.g.
#   RCMS=build/tc/bin/rcms sh tests/cli/commands.sh
#
# Every check prints one line: "PASS: name" or "FAIL: name — why"; the
# runner counts them.  Details of a failure follow on lines that start with
# spaces, so they are never counted.
#
#   setup                  a fresh replica RS-MUP/W01 in $TMPROOT/home with
#                          admin, officer ana, supervisors marko and ivan
#   new_replica DIR AGENCY an empty replica (init as admin), RCMS_HOME=DIR
#   add_user USER ROLE     add a user (the logged-in user must be admin)
#   as USER                log in as USER (a session in $RCMS_HOME)
#   ok NAME CMD...         CMD exits 0 (stdout in $OUT, stderr in $ERR)
#   ok_has NAME TEXT CMD.. ... and its standard output contains TEXT
#   fails NAME CODE TEXT CMD...  CMD exits CODE and stderr contains TEXT
#   check NAME WHY CMD...  CMD (a test such as [ "$a" = "$b" ]) succeeds
#   pass NAME / fail NAME WHY
#   run CMD...             just run it: RC, $OUT, $ERR
#   has TEXT / err_has TEXT   the last stdout / stderr contains TEXT
#   json_ok FILE / py_json CODE   valid JSON / Python asserts on `data`,
#                          the last stdout parsed
#   sql QUERY              run QUERY on the replica with sqlite3
#   snapshot / unchanged NAME   the database outside sessions and audit,
#                          and the blob store, as at the snapshot, and no
#                          audit row of a change added since
#   summary                the last line; exit status 1 after a failure
#
# Run directly (`sh tests/cli/lib.sh`, as tests/run.sh does), it tests
# these helpers against commands that must fail.

set -u

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${RCMS:-}" ]; then
	echo "FAIL: setup — RCMS is not set (the rcms binary to test)"
	exit 1
fi
case $RCMS in
/*) ;;
*) RCMS=$(cd "$(dirname "$RCMS")" && pwd)/$(basename "$RCMS") ;;
esac
if [ ! -x "$RCMS" ]; then
	echo "FAIL: setup — $RCMS is not an executable"
	exit 1
fi
export RCMS

# A scratch folder: the runner's, or our own (removed on exit).
if [ -n "${TMPROOT:-}" ]; then
	case $(cd "$TMPROOT" 2>/dev/null && pwd) in
	/ | "$ROOT" | "${HOME:-/}")
		echo "FAIL: setup — TMPROOT=$TMPROOT would be emptied"
		exit 1 ;;
	esac
	rm -rf "$TMPROOT"
	mkdir -p "$TMPROOT"
	TMPROOT=$(cd "$TMPROOT" && pwd)
else
	TMPROOT=$(mktemp -d "${TMPDIR:-/tmp}/rcms-cli.XXXXXX")
	trap 'rm -rf "$TMPROOT"' EXIT
	trap 'exit 130' INT TERM
fi
T=$TMPROOT/t          # outputs of the last command
PW=$TMPROOT/pw        # one password file per user
mkdir -p "$T" "$PW"
OUT=$T/out
ERR=$T/err
: >"$OUT"
: >"$ERR"

# A pinned environment: no stray login, configuration or locale.
unset RCMS_USER RCMS_PASSWORD_FILE XDG_DATA_HOME XDG_CONFIG_HOME
HOME=$TMPROOT
TZ=UTC
LC_ALL=C.UTF-8
export HOME TZ LC_ALL
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

RC=0
NPASS=0
NFAIL=0

pass() {
	NPASS=$((NPASS + 1))
	echo "PASS: $1"
}

# fail NAME WHY: the last command's stderr follows, indented.
fail() {
	NFAIL=$((NFAIL + 1))
	echo "FAIL: $1 — $2"
	if [ -s "$ERR" ]; then
		head -n 20 "$ERR" | sed 's/^/    stderr: /'
	fi
	return 1
}

# run CMD...: stdout to $OUT, stderr to $ERR, exit status to RC.
run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# A sanitizer report in the last stderr?
sanitizer_report() {
	grep -q -e 'Sanitizer' -e 'runtime error:' "$ERR"
}

# has TEXT: the last standard output contains TEXT (fixed string).
has() {
	grep -qF -- "$1" "$OUT"
}

# err_has TEXT: the last standard error contains TEXT.
err_has() {
	grep -qF -- "$1" "$ERR"
}

ok() {
	_L_name=$1
	shift
	run "$@"
	if sanitizer_report; then
		fail "$_L_name" "sanitizer report (exit $RC)"
	elif [ "$RC" -ne 0 ]; then
		fail "$_L_name" "exit $RC, expected 0"
	else
		pass "$_L_name"
	fi
}

ok_has() {
	_L_name=$1
	_L_want=$2
	shift 2
	run "$@"
	if sanitizer_report; then
		fail "$_L_name" "sanitizer report (exit $RC)"
	elif [ "$RC" -ne 0 ]; then
		fail "$_L_name" "exit $RC, expected 0"
	elif ! has "$_L_want"; then
		fail "$_L_name" "output lacks '$_L_want'"
		head -n 20 "$OUT" | sed 's/^/    stdout: /'
		return 1
	else
		pass "$_L_name"
	fi
}

fails() {
	_L_name=$1
	_L_code=$2
	_L_want=$3
	shift 3
	run "$@"
	if sanitizer_report; then
		fail "$_L_name" "sanitizer report (exit $RC)"
	elif [ "$RC" -ne "$_L_code" ]; then
		fail "$_L_name" "exit $RC, expected $_L_code"
	elif ! err_has "$_L_want"; then
		fail "$_L_name" "stderr lacks '$_L_want'"
	else
		pass "$_L_name"
	fi
}

check() {
	_L_name=$1
	_L_why=$2
	shift 2
	if "$@"; then
		pass "$_L_name"
	else
		NFAIL=$((NFAIL + 1))
		echo "FAIL: $_L_name — $_L_why"
		return 1
	fi
}

# sql QUERY: on the current replica.
sql() {
	sqlite3 -batch -cmd '.timeout 5000' "$RCMS_HOME/rcms.db" "$1"
}

# json_ok FILE: the file is one valid JSON document.
json_ok() {
	python3 -m json.tool "$1" >/dev/null 2>&1
}

# py_json CODE: run Python asserts with the last standard output, parsed,
# as data.
py_json() {
	python3 -c "import json,sys
data = json.load(open(sys.argv[1]))
$1" "$OUT"
}

# ---- replicas and users --------------------------------------------------

# write_conf DIR: fast password hashing for tests.
write_conf() {
	mkdir -p "$1"
	printf '# tests: cheap Argon2id\nargon2_t_cost = 1\nargon2_m_cost_kib = 1024\n' \
		>"$1/rcms.conf"
}

# password_file USER: a file with USER's password, one that meets the
# password policy (rcms.conf(5): 12 characters even without the user name).
password_file() {
	[ -f "$PW/$1" ] || echo "pw-$1-secret-2026" >"$PW/$1"
	echo "$PW/$1"
}

# new_replica DIR AGENCY: init as admin, logged in as admin.
new_replica() {
	RCMS_HOME=$1
	export RCMS_HOME
	rm -rf "$RCMS_HOME"
	write_conf "$RCMS_HOME"
	run env RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" init \
		--agency "$2" --workstation W01 --admin admin \
		--admin-name "Admin $2" \
		--agreements "$ROOT/data/agreements.json"
	if [ "$RC" -ne 0 ]; then
		fail "init $2" "exit $RC"
		exit 1
	fi
	as admin || exit 1
}

# add_user USER ROLE [FULL NAME]
add_user() {
	run env RCMS_PASSWORD_FILE="$(password_file "$1")" "$RCMS" user add \
		"$1" --role "$2" --full-name "${3:-}"
	if [ "$RC" -ne 0 ]; then
		fail "add user $1" "exit $RC"
		exit 1
	fi
}

# as USER: log in on the current replica (the session is $RCMS_HOME/session),
# consulting cases for the processing of the application (rcms login --why).
as() {
	run env RCMS_PASSWORD_FILE="$(password_file "$1")" "$RCMS" login "$1" \
		--why processing
	if [ "$RC" -ne 0 ]; then
		fail "login as $1" "exit $RC"
		return 1
	fi
	return 0
}

# setup: replica A, RS-MUP workstation W01, with its users.
setup() {
	HOME_A=$TMPROOT/home
	new_replica "$HOME_A" RS-MUP
	add_user ana officer "Ana Anić"
	add_user marko supervisor "Marko Marković"
	add_user ivan supervisor "Ivan Ivanović"
}

# ---- the database before and after ---------------------------------------

# dump_db FILE: every table but sessions (logins) and audit (reads are
# audited) -- and in meta, not the audit log's head record, which moves
# with it -- row by row, in a stable order; and the files of the blob store.
dump_db() {
	_L_tables=$(sql "SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT IN ('sessions', 'audit') ORDER BY name")
	{
		echo ".mode quote"
		for _L_t in $_L_tables; do
			echo ".print '-- $_L_t'"
			if [ "$_L_t" = meta ]; then
				echo "SELECT * FROM meta WHERE key <> 'audit_head' ORDER BY rowid;"
			else
				echo "SELECT * FROM \"$_L_t\" ORDER BY rowid;"
			fi
		done
	} >"$T/dump.sql"
	{
		sqlite3 -batch -cmd '.timeout 5000' "$RCMS_HOME/rcms.db" \
			<"$T/dump.sql" 2>&1
		echo "-- files in the blob store"
		if [ -d "$RCMS_HOME/blobs" ]; then
			(cd "$RCMS_HOME" && find blobs -type f | sort)
		fi
	} >"$1"
}

# Audit actions that record a change of case data.
CHANGE_ACTIONS="'case.create','case.edit','case.transition','note.add',\
'attachment.link','document.add'"

snapshot() {
	dump_db "$T/before.dump"
	AUDIT_SEQ=$(sql "SELECT coalesce(max(seq), 0) FROM audit")
}

# unchanged NAME: the database is as at the last snapshot.
unchanged() {
	dump_db "$T/after.dump"
	_L_added=$(sql "SELECT count(*) FROM audit WHERE seq > $AUDIT_SEQ
		AND action IN ($CHANGE_ACTIONS)")
	if ! cmp -s "$T/before.dump" "$T/after.dump"; then
		NFAIL=$((NFAIL + 1))
		echo "FAIL: $1 — the database changed"
		diff "$T/before.dump" "$T/after.dump" | head -n 20 |
			sed 's/^/    /'
		return 1
	fi
	if [ "$_L_added" != 0 ]; then
		NFAIL=$((NFAIL + 1))
		echo "FAIL: $1 — $_L_added audit rows of a change were added"
		return 1
	fi
	pass "$1"
}

# summary: the last line of a script.
summary() {
	echo "# $NPASS passed, $NFAIL failed"
	[ "$NFAIL" -eq 0 ]
}

# ---- run directly (tests/run.sh runs every tests/cli/*.sh): test the
# helpers themselves, so that a broken harness cannot pass everything -----

case ${0##*/} in
lib.sh)
	# selftest NAME EXPECT CMD...: CMD's report has EXPECT (PASS or FAIL)
	selftest() {
		_L_st=$1
		_L_expect=$2
		shift 2
		("$@") >"$T/self" 2>&1
		if grep -q "^$_L_expect: " "$T/self"; then
			pass "harness: $_L_st"
		else
			NFAIL=$((NFAIL + 1))
			echo "FAIL: harness: $_L_st — no $_L_expect line"
			sed 's/^/    /' "$T/self"
		fi
	}
	selftest "ok passes a success" PASS ok x true
	selftest "ok fails a failure" FAIL ok x false
	selftest "ok_has fails a missing text" FAIL ok_has x needle echo hay
	selftest "fails passes the right code and text" PASS \
		fails x 3 boom sh -c 'echo boom >&2; exit 3'
	selftest "fails fails a wrong code" FAIL \
		fails x 4 boom sh -c 'echo boom >&2; exit 3'
	selftest "fails fails a missing text" FAIL \
		fails x 3 bang sh -c 'echo boom >&2; exit 3'
	selftest "a sanitizer report fails" FAIL fails x 3 boom \
		sh -c 'echo "ERROR: AddressSanitizer: boom" >&2; exit 3'
	selftest "check fails a false test" FAIL check x why [ 1 -eq 2 ]
	setup
	as ana
	run "$RCMS" case new surnames=Self given_names=Test
	_L_ref=$(cat "$OUT")
	snapshot
	run "$RCMS" case show "$_L_ref"
	selftest "unchanged passes a read (audited)" PASS unchanged x
	run "$RCMS" note add "$_L_ref" "a change"
	selftest "unchanged fails a change" FAIL unchanged x
	summary
	;;
esac
