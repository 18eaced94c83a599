#!/bin/sh
# passwords.sh - the password policy on init, user add and user passwd
# (length, the user name, kinds of character, common passwords, the
# configured minimum; nothing changed by a refusal; the password never in a
# message), and the lockout: five wrong passwords lock the account for
# fifteen minutes, the right one is refused meanwhile with the time it
# ends, it opens again when the clock has moved on (RCMS_TEST_NOW on a
# replica made with test_clock = yes, refused on any other); every failure
# and the lock are audit entries.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/cli/lib.sh"

setup                                   # replica A, logged in as admin

# pwfile NAME TEXT: a password file
pwfile() {
	printf '%s\n' "$2" >"$T/pw-$1"
	echo "$T/pw-$1"
}

# refused NAME TEXT PASSWORD: user add newbie with PASSWORD is refused
# (65, TEXT on stderr), the password not in it, no user added
refused() {
	fails "user add: $1" 65 "$2" \
		env RCMS_PASSWORD_FILE="$(pwfile refused "$3")" "$RCMS" \
		user add newbie --role officer
	check "user add: $1: the message does not quote the password" \
		"$(cat "$ERR")" sh -c '! grep -qF -- "$1" "$2"' sh "$3" "$ERR"
	check "user add: $1: nobody added" "newbie exists" \
		[ "$(sql "SELECT count(*) FROM users WHERE username = 'newbie'")" -eq 0 ]
}

# ---- the policy --------------------------------------------------------------

refused "11 characters" "at least 12 characters" "Kq7-mvw-2xz"
refused "the user name and a little" "built on the user name" \
	"Newbie-newbie-1"
refused "one kind of character, short" "one kind of character" \
	"kqmvwzxjptrb"
refused "too few different characters" "at least 5 different" \
	"ab12ab12ab12ab12"
refused "a common password" "most common passwords" "Password2026!"
refused "a common password (keyboard)" "most common passwords" \
	"qwertyuiop123"
refused "a common password (the local word)" "most common passwords" \
	"Lozinka-2026"
ok_has "user add: a passphrase" "added newbie (officer)" \
	env RCMS_PASSWORD_FILE="$(pwfile newbie "quiet river under stone")" \
	"$RCMS" user add newbie --role officer
ok_has "user add: 12 characters, two kinds" "added newbie2 (officer)" \
	env RCMS_PASSWORD_FILE="$(pwfile newbie2 "kq7mvw2xzptr")" \
	"$RCMS" user add newbie2 --role officer

# user passwd: the same rules; a refusal keeps the old password
fails "user passwd: a short one" 65 "at least 12 characters" \
	env RCMS_PASSWORD_FILE="$(pwfile short "Kq7-mvw")" \
	"$RCMS" user passwd newbie
fails "user passwd: a common one" 65 "most common passwords" \
	env RCMS_PASSWORD_FILE="$(pwfile common "iloveyou2026")" \
	"$RCMS" user passwd newbie
fails "user passwd: built on the user name" 65 "built on the user name" \
	env RCMS_PASSWORD_FILE="$(pwfile named "NEWBIE.2026.x")" \
	"$RCMS" user passwd newbie
ok_has "user passwd: refused ones left the old password" "newbie (" \
	env RCMS_USER=newbie RCMS_PASSWORD_FILE="$T/pw-newbie" "$RCMS" whoami
ok_has "user passwd: a good one" "password of newbie changed" \
	env RCMS_PASSWORD_FILE="$(pwfile newbie "stone under quiet river")" \
	"$RCMS" user passwd newbie

# the minimum is configurable (8 to 64), and applies at once
write_conf "$RCMS_HOME"
echo "password_min_length = 20" >>"$RCMS_HOME/rcms.conf"
fails "password_min_length = 20: 19 characters refused" 65 \
	"at least 20 characters" \
	env RCMS_PASSWORD_FILE="$(pwfile p19 "kq7mvw2xzptr-abcdef")" \
	"$RCMS" user passwd newbie
ok "password_min_length = 20: 20 characters" \
	env RCMS_PASSWORD_FILE="$(pwfile p20 "kq7mvw2xzptr-abcdefg")" \
	"$RCMS" user passwd newbie
write_conf "$RCMS_HOME"
echo "password_min_length = 7" >>"$RCMS_HOME/rcms.conf"
fails "password_min_length below 8 is a configuration error" 78 \
	"password_min_length must be a whole number from 8 to 64" \
	"$RCMS" whoami
write_conf "$RCMS_HOME"

# init: the first administrator's password too; nothing is created
RCMS_HOME=$TMPROOT/weak
export RCMS_HOME
write_conf "$RCMS_HOME"
fails "init: a common password" 65 "most common passwords" \
	env RCMS_PASSWORD_FILE="$(pwfile init "Welcome2026!!")" "$RCMS" init \
	--agency RS-MUP --workstation W01 --admin admin \
	--agreements "$ROOT/data/agreements.json"
check "init: a weak password: nothing created" "$(ls "$RCMS_HOME")" \
	[ ! -e "$RCMS_HOME/rcms.db" ]

# ---- lockout, on a replica for tests ------------------------------------------

RCMS_HOME=$TMPROOT/clock
export RCMS_HOME
write_conf "$RCMS_HOME"
echo "test_clock = yes" >>"$RCMS_HOME/rcms.conf"
ok "init with test_clock = yes" \
	env RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" init \
	--agency RS-MUP --workstation W01 --admin admin \
	--agreements "$ROOT/data/agreements.json"
# the setting matters at init only: the replica remembers it
write_conf "$RCMS_HOME"
as admin || exit 1
ok_has "whoami says the replica is for tests" "a replica for tests" \
	"$RCMS" whoami
ok_has "the init audit entry says so" "for tests" "$RCMS" audit list
add_user ana officer "Ana Anić"
T0=1780000000                   # 2026-05-28 20:26:40 UTC
echo "not-the-password-at-all" >"$T/wrong"
i=1
while [ $i -le 4 ]; do
	fails "wrong password $i of 5" 77 "wrong user name or password" \
		env RCMS_TEST_NOW=$((T0 + i)) RCMS_PASSWORD_FILE="$T/wrong" \
		"$RCMS" login ana
	i=$((i + 1))
done
ok_has "after 4 failures the right password works" "logged in as ana" \
	env RCMS_TEST_NOW=$((T0 + 5)) RCMS_PASSWORD_FILE="$(password_file ana)" \
	"$RCMS" login ana
i=1
while [ $i -le 5 ]; do
	fails "wrong password $i of 5 (after a good login)" 77 \
		"wrong user name or password" \
		env RCMS_TEST_NOW=$((T0 + 10 + i)) RCMS_PASSWORD_FILE="$T/wrong" \
		"$RCMS" login ana
	i=$((i + 1))
done
# locked at T0+15 until T0+15+900 = 20:41:55, said to the minute: 20:42
fails "locked: the right password is refused, with the time it ends" 77 \
	"locked after too many failed logins until 2026-05-28 20:42 UTC" \
	env RCMS_TEST_NOW=$((T0 + 20)) RCMS_PASSWORD_FILE="$(password_file ana)" \
	"$RCMS" login ana
fails "locked: RCMS_USER and RCMS_PASSWORD_FILE are refused too" 77 \
	"locked" env RCMS_TEST_NOW=$((T0 + 20)) RCMS_USER=ana \
	RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" whoami
fails "locked: still, a second before the end" 77 "locked" \
	env RCMS_TEST_NOW=$((T0 + 15 + 899)) \
	RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" login ana
ok_has "15 minutes later the right password works" "logged in as ana" \
	env RCMS_TEST_NOW=$((T0 + 15 + 900)) \
	RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" login ana

as admin
ok "audit list" "$RCMS" audit list
check "audit: every failed login is an entry" \
	"$(grep -c 'login.failed' "$OUT") login.failed" \
	[ "$(grep -c 'login.failed' "$OUT")" -eq 9 ]
check "audit: the lock is an entry, with its end" "$(grep 'login.locked' "$OUT")" \
	sh -c '[ "$(grep -c "login.locked.*locked until 2026-05-28 20:42 UTC after 5 failed logins" "$1")" -eq 1 ]' \
	sh "$OUT"
check "audit: the refusals while locked are entries" \
	"$(grep -c 'login.refused' "$OUT") login.refused" \
	[ "$(grep -c 'login.refused.*account locked' "$OUT")" -eq 3 ]
check "audit: the failures are at the test clock's times" \
	"$(sql "SELECT min(at), max(at) FROM audit WHERE action = 'login.failed'")" \
	[ "$(sql "SELECT min(at) || ' ' || max(at) FROM audit WHERE action = 'login.failed'")" = "$((T0 + 1)) $((T0 + 15))" ]
ok_has "audit verify" "audit log intact" "$RCMS" audit verify

# configurable: 2 failures, 1 minute
echo "max_login_failures = 2" >>"$RCMS_HOME/rcms.conf"
echo "lock_minutes = 1" >>"$RCMS_HOME/rcms.conf"
T1=$((T0 + 3600))
fails "max_login_failures = 2: first failure" 77 "wrong user name" \
	env RCMS_TEST_NOW=$T1 RCMS_PASSWORD_FILE="$T/wrong" "$RCMS" login ana
fails "max_login_failures = 2: second failure" 77 "wrong user name" \
	env RCMS_TEST_NOW=$T1 RCMS_PASSWORD_FILE="$T/wrong" "$RCMS" login ana
fails "max_login_failures = 2: locked for lock_minutes = 1" 77 \
	"(1 minutes from now)" \
	env RCMS_TEST_NOW=$((T1 + 1)) RCMS_PASSWORD_FILE="$(password_file ana)" \
	"$RCMS" login ana
ok_has "lock_minutes = 1: a minute later it works" "logged in as ana" \
	env RCMS_TEST_NOW=$((T1 + 60)) RCMS_PASSWORD_FILE="$(password_file ana)" \
	"$RCMS" login ana
write_conf "$RCMS_HOME"

# ---- the test clock is refused on a replica not made for tests ---------------

RCMS_HOME=$HOME_A
export RCMS_HOME
fails "RCMS_TEST_NOW on an ordinary replica is an error" 78 \
	"not made for tests" env RCMS_TEST_NOW=$T0 \
	RCMS_PASSWORD_FILE="$(password_file ana)" "$RCMS" login ana
fails "RCMS_TEST_NOW on an ordinary replica: any command" 78 \
	"not made for tests" env RCMS_TEST_NOW=$T0 "$RCMS" case list
check "RCMS_TEST_NOW refused: no login happened" "a login was audited" \
	[ "$(sql "SELECT count(*) FROM audit WHERE at = $T0")" -eq 0 ]
ok "whoami on an ordinary replica" "$RCMS" whoami
check "whoami on an ordinary replica: no test line" "$(cat "$OUT")" \
	sh -c '! grep -q "for tests" "$1"' sh "$OUT"
check "the meta table of an ordinary replica has no test_clock" "it has" \
	[ "$(sql "SELECT count(*) FROM meta WHERE key = 'test_clock'")" -eq 0 ]
RCMS_HOME=$TMPROOT/clock
export RCMS_HOME
fails "RCMS_TEST_NOW must be seconds" 78 "UTC seconds" \
	env RCMS_TEST_NOW=tomorrow "$RCMS" whoami

# ---- an unknown name answers as slowly as a wrong password ----------------------
# At the shipped Argon2id cost (no cheap rcms.conf), the median of three
# logins each: without a verification for an unknown name it answered in
# a few milliseconds against a third of a second, telling which names
# exist.
RCMS_HOME=$TMPROOT/cost
export RCMS_HOME
mkdir -p "$RCMS_HOME"
run env RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" init \
	--agency RS-MUP --workstation W01 --admin admin --admin-name "Admin" \
	--agreements "$ROOT/data/agreements.json"
check "a replica at the shipped Argon2id cost" "exit $RC" [ "$RC" -eq 0 ]
# median_ms USER: the median time of three failed logins as USER
median_ms() {
	for _m_i in 1 2 3; do
		_m_t0=$(date +%s%N)
		env RCMS_PASSWORD_FILE="$(pwfile wrong wrong-password-2026)" \
			"$RCMS" login "$1" >/dev/null 2>&1 3>&- 4<&-
		echo $((($(date +%s%N) - _m_t0) / 1000000))
	done | sort -n | sed -n 2p
}
WRONG_MS=$(median_ms admin)
UNKNOWN_MS=$(median_ms nobody-here)
echo "# failed login: wrong password ${WRONG_MS} ms, unknown name ${UNKNOWN_MS} ms (medians of 3)"
check "an unknown name takes at least half the time of a wrong password" \
	"unknown ${UNKNOWN_MS} ms, wrong password ${WRONG_MS} ms" \
	[ $((UNKNOWN_MS * 2)) -ge "$WRONG_MS" ]

summary
