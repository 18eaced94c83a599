# lib.sh - helpers shared by the sync tests (tests/sync/*.sh): replicas of
# rcms, each in its own RCMS_HOME, enrolled with one real rcms-exchange over
# real HTTPS with client certificates from a throwaway CA.
#
# Sourced, not run:  . "$ROOT/tests/sync/lib.sh"
#
# The runner (tests/run.sh) sets RCMS and RCMS_EXCHANGE (the binaries under
# test), BUILD, ROOT and TMPROOT (a scratch folder for this script).  By
# hand, RCMS_EXCHANGE defaults to the rcms-exchange beside RCMS:
#   RCMS=build/s/bin/rcms sh tests/sync/roundtrip.sh
#
# The exchange side is tests/exchange/lib.sh, sourced here: xsetup, xstart,
# xstop, pki, issue, feed, expect, val, req (read its header).  It keeps a
# python3 helper on fds 3 and 4: anything started in the background here
# must close them (3>&- 4<&-), and a bare `wait` would wait for the helper
# and hang.
#
# Every check prints one line, "PASS: name" or "FAIL: name — why"; details
# follow on indented lines, which the runner does not count.
#
#   sync_setup             the CA and certificates (xsetup), the exchange
#                          started on a port that later starts keep, and
#                          three replicas, each enrolled:
#                            RS  RS-MUP W01  admin, officer ana,
#                                            supervisors marko and ivan
#                            PK  PK-MOI W01  admin, officer omar,
#                                            supervisor sana
#                            AL  AL-MOI W01  admin, officer besa
#   replica NAME AGENCY WS a fresh replica in $TMPROOT/NAME (init as admin;
#                          cheap Argon2id), now the current one
#   add_user USER ROLE     on the current replica (logged in as admin)
#   enroll NAME            its admin enrols it: `rcms enroll --exchange
#                          $URL --bundle` its agency's bundle
#   at NAME [USER]         the commands that follow run on replica NAME
#                          (RCMS_HOME), logged in as USER if given
#   as USER                log in as USER on the current replica
#   run CMD...             RC, $OUT, $ERR
#   ok / ok_has / fails / check / pass / fail   as in tests/cli/lib.sh
#   synced NAME            `rcms sync` on replica NAME exits 0 (a check)
#   sql QUERY              sqlite3 on the current replica
#   matches TEXT BRE       TEXT matches the regular expression, whole
#   py_json CODE           Python asserts on `data`, the last stdout parsed
#   field REF NAME         a field of `case show REF --json`
#   outbox_pending         "operations to send" of `rcms sync status`
#   summary                the last line; exit status 1 after a failure
#
# Run directly (tests/run.sh runs every tests/sync/*.sh), it tests these
# helpers, so that a broken harness cannot pass everything.

set -u

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export ROOT
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
RCMS_EXCHANGE=${RCMS_EXCHANGE:-$(dirname "$RCMS")/rcms-exchange}
export RCMS_EXCHANGE

# Run directly, the self-test runs under another $0: the libraries sourced
# below run their own self-tests when $0 is lib.sh.
case ${0##*/} in
lib.sh)
	exec sh -c '_SYNC_SELFTEST=1 . "$1"' sync-lib-selftest \
		"$ROOT/tests/sync/lib.sh"
	;;
esac

. "$ROOT/tests/exchange/lib.sh"

unset RCMS_USER RCMS_PASSWORD_FILE RCMS_HOME XDG_DATA_HOME XDG_CONFIG_HOME
PW=$TMPROOT/pw        # one password file per user
mkdir -p "$PW"
RC=0

# fail NAME WHY: the last command's output follows, indented.
fail() {
	NFAIL=$((NFAIL + 1))
	echo "FAIL: $1 — $2"
	echo "    last command: exit $RC; last request: HTTP $HTTP"
	# awk ends every line, also a last one without a newline
	if [ -s "$ERR" ]; then
		head -n 20 "$ERR" | awk '{ print "    stderr: " $0 }'
	fi
	if [ -s "$OUT" ]; then
		head -c 2000 "$OUT" | head -n 20 | awk '{ print "    stdout: " $0 }'
	fi
	return 1
}

# run CMD...: stdout to $OUT, stderr to $ERR, exit status to RC.
run() {
	"$@" >"$OUT" 2>"$ERR" 3>&- 4<&-
	RC=$?
}

sanitizer_report() {
	grep -q -e 'Sanitizer' -e 'runtime error:' "$ERR"
}

# has TEXT / err_has TEXT: the last stdout / stderr contains TEXT.
has() {
	grep -qF -- "$1" "$OUT"
}

err_has() {
	grep -qF -- "$1" "$ERR"
}

ok() {
	_S_name=$1
	shift
	run "$@"
	if sanitizer_report; then
		fail "$_S_name" "sanitizer report (exit $RC)"
	elif [ "$RC" -ne 0 ]; then
		fail "$_S_name" "exit $RC, expected 0"
	else
		pass "$_S_name"
	fi
}

ok_has() {
	_S_name=$1
	_S_want=$2
	shift 2
	run "$@"
	if sanitizer_report; then
		fail "$_S_name" "sanitizer report (exit $RC)"
	elif [ "$RC" -ne 0 ]; then
		fail "$_S_name" "exit $RC, expected 0"
	elif ! has "$_S_want"; then
		fail "$_S_name" "output lacks '$_S_want'"
	else
		pass "$_S_name"
	fi
}

# fails NAME CODES TEXT CMD...: CMD exits with one of CODES (e.g. "77" or
# "77 65") and its stderr contains TEXT.
fails() {
	_S_name=$1
	_S_codes=$2
	_S_want=$3
	shift 3
	run "$@"
	_S_hit=""
	for _S_c in $_S_codes; do
		[ "$RC" -eq "$_S_c" ] && _S_hit=1
	done
	if sanitizer_report; then
		fail "$_S_name" "sanitizer report (exit $RC)"
	elif [ -z "$_S_hit" ]; then
		fail "$_S_name" "exit $RC, expected $_S_codes"
	elif ! err_has "$_S_want"; then
		fail "$_S_name" "stderr lacks '$_S_want'"
	else
		pass "$_S_name"
	fi
}

# matches TEXT REGEX: TEXT matches the basic regular expression, whole.
matches() {
	expr "$1" : "$2\$" >/dev/null
}

# py_json CODE: Python asserts on `data`, the last standard output parsed.
py_json() {
	python3 -c "import json,sys
data = json.load(open(sys.argv[1]))
$1" "$OUT" 3>&- 4<&-
}

# ---- replicas -------------------------------------------------------------

# password_file USER: a file with USER's password, one that meets the
# password policy (rcms.conf(5): 12 characters even without the user name).
password_file() {
	[ -f "$PW/$1" ] || echo "pw-$1-secret-2026" >"$PW/$1"
	echo "$PW/$1"
}

# as USER: log in on the current replica (its session is in RCMS_HOME),
# consulting cases for the processing of the application (rcms login --why).
as() {
	run env RCMS_PASSWORD_FILE="$(password_file "$1")" "$RCMS" login "$1" \
		--why processing
	if [ "$RC" -ne 0 ] || sanitizer_report; then
		fail "login as $1 on ${RCMS_HOME##*/}" "exit $RC"
		return 1
	fi
	return 0
}

# at NAME [USER]: work on replica NAME from now on.
at() {
	RCMS_HOME=$TMPROOT/$1
	export RCMS_HOME
	[ $# -lt 2 ] || as "$2"
}

# replica NAME AGENCY WS: a fresh replica, logged in as its admin.
replica() {
	at "$1"
	rm -rf "$RCMS_HOME"
	mkdir -p "$RCMS_HOME"
	printf '# tests: cheap Argon2id\nargon2_t_cost = 1\nargon2_m_cost_kib = 1024\n' \
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

# add_user USER ROLE: on the current replica, as its admin.
add_user() {
	run env RCMS_PASSWORD_FILE="$(password_file "$1")" "$RCMS" user add \
		"$1" --role "$2" --full-name "User $1"
	if [ "$RC" -ne 0 ] || sanitizer_report; then
		fail "setup: add user $1" "exit $RC"
		exit 1
	fi
}

# enroll NAME: the replica's admin enrols it with its agency's bundle.
enroll() {
	at "$1" admin || exit 1
	eval "_S_b=\$PKI/bundles/\$AGENCY_$1-\$WS_$1"
	run "$RCMS" enroll --exchange "$URL" --bundle "$_S_b"
	if [ "$RC" -ne 0 ] || sanitizer_report; then
		fail "setup: enroll $1" "exit $RC"
		exit 1
	fi
}

# synced NAME [WHAT]: `rcms sync` on replica NAME exits 0.
synced() {
	at "$1"
	ok "$1: rcms sync${2:+ ($2)} exits 0" "$RCMS" sync
}

# sql QUERY: on the current replica.
sql() {
	sqlite3 -batch -cmd '.timeout 5000' "$RCMS_HOME/rcms.db" "$1"
}

# field REF NAME: a field of `case show REF --json` on the current replica.
field() {
	"$RCMS" case show "$1" --json >"$T/show.json" 2>"$T/show.err" 3>&- 4<&- &&
		python3 -c 'import json,sys
v = json.load(open(sys.argv[1])).get(sys.argv[2], "")
print(str(v).lower() if isinstance(v, bool) else v)' "$T/show.json" "$2"
}

# outbox_pending: "operations to send" of `rcms sync status`.
outbox_pending() {
	"$RCMS" sync status 2>/dev/null 3>&- 4<&- |
		sed -n 's/^operations to send  *\([0-9][0-9]*\)$/\1/p'
}

# sync_setup: the exchange and the three replicas RS, PK, AL, enrolled.
sync_setup() {
	xsetup
	xstart
	# later starts (after xstop) come back on the same address, the one
	# the replicas were enrolled with
	sed "s/^port = 0\$/port = $PORT/" "$XCONF" >"$XCONF.new" &&
		mv "$XCONF.new" "$XCONF"
	replica RS RS-MUP W01
	add_user ana officer
	add_user marko supervisor
	add_user ivan supervisor
	replica PK PK-MOI W01
	add_user omar officer
	add_user sana supervisor
	replica AL AL-MOI W01
	add_user besa officer
	for _S_r in RS PK AL; do
		enroll "$_S_r"
	done
	# each agency's accounts go to its directory at the exchange, as
	# they do when a workstation is enrolled: the tests start from an
	# empty outbox
	for _S_r in RS PK AL; do
		at "$_S_r" admin || exit 1
		run "$RCMS" sync
		if [ "$RC" -ne 0 ] || sanitizer_report; then
			fail "setup: first sync of $_S_r" "exit $RC"
			exit 1
		fi
	done
}

# ---- run directly: test the helpers themselves ----------------------------

if [ -n "${_SYNC_SELFTEST:-}" ]; then
	selftest() {
		_S_st=$1
		_S_expect=$2
		shift 2
		("$@") >"$T/self" 2>&1
		if grep -q "^$_S_expect: " "$T/self"; then
			pass "harness: $_S_st"
		else
			NFAIL=$((NFAIL + 1))
			echo "FAIL: harness: $_S_st — no $_S_expect line"
			sed 's/^/    /' "$T/self"
		fi
	}
	selftest "ok fails a failure" FAIL ok x false
	selftest "ok fails a sanitizer report" FAIL \
		ok x sh -c 'echo "ERROR: AddressSanitizer: boom" >&2'
	selftest "fails passes one of the codes" PASS \
		fails x "77 65" boom sh -c 'echo boom >&2; exit 65'
	selftest "fails fails another code" FAIL \
		fails x "77 65" boom sh -c 'echo boom >&2; exit 1'
	selftest "fails fails a missing text" FAIL \
		fails x 77 bang sh -c 'echo boom >&2; exit 77'
	selftest "ok_has fails a missing text" FAIL ok_has x needle echo hay
	sync_setup
	at RS
	ok_has "harness: RS is enrolled with the exchange" "$URL" \
		"$RCMS" sync status
	check "harness: outbox_pending reads sync status" \
		"got '$(outbox_pending)'" [ "$(outbox_pending)" = 0 ]
	at PK
	ok_has "harness: PK is its own replica" "PK-MOI" "$RCMS" whoami
	synced AL "an empty outbox"
	xstop
	selftest "synced fails while the exchange is down" FAIL synced AL
	xstart
	synced AL "the exchange back on the same address"
	xstop
	summary
fi
