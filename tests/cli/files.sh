#!/bin/sh
# files.sh - the data folder is 0700 and every file and folder in it is
# private (files 0600, folders 0700) after init, login, enroll, attach and
# a sync attempt, even when rcms is started with umask 000; and the
# workstation's private key never appears in any output: every command of
# rcms --help is run (with arguments where it needs them) and its standard
# output and error are searched for the lines of the key's PEM body.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/cli/lib.sh"

umask 000                               # rcms must not depend on ours

# private DIR: no file or folder under DIR (DIR included) that group or
# others may use, and every file 0600, every folder 0700
private() {
	[ -z "$(find "$1" \( -type f ! -perm 0600 \) -o \( -type d ! -perm 0700 \) \
		! -name rcms.conf)" ]
}
perms() {
	find "$1" ! -name rcms.conf -printf '%m %P\n' | sort | head -n 30
}

RCMS_HOME=$TMPROOT/home
export RCMS_HOME
HOME_A=$RCMS_HOME
rm -rf "$RCMS_HOME"
(umask 077 && write_conf "$RCMS_HOME")  # the user's own file, kept private
rmdir "$RCMS_HOME" 2>/dev/null
ok "init (umask 000)" env RCMS_PASSWORD_FILE="$(password_file admin)" \
	"$RCMS" init --agency RS-MUP --workstation W01 --admin admin \
	--agreements "$ROOT/data/agreements.json"
check "init: the data folder is 0700" "$(stat -c %a "$RCMS_HOME")" \
	[ "$(stat -c %a "$RCMS_HOME")" = 700 ]
check "init: every file 0600, every folder 0700" "$(perms "$RCMS_HOME")" \
	private "$RCMS_HOME"
as admin || exit 1
check "login: the session file is 0600" "$(perms "$RCMS_HOME")" \
	private "$RCMS_HOME"
add_user ana officer "Ana Anić"

# a workstation bundle as the exchange operator would hand it over
PKI=$TMPROOT/pki
mkdir -p "$PKI/bundle"
(
	cd "$PKI" || exit 1
	umask 022
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout ca.key -out ca.pem -days 2 -subj "/CN=test CA" 2>/dev/null &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout bundle/key.pem -out ws.csr -subj "/O=RS-MUP/CN=W01" 2>/dev/null &&
	openssl x509 -req -in ws.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
		-out bundle/cert.pem -days 2 2>/dev/null &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null &&
	printf 'subjectAltName=IP:127.0.0.1\n' >san.ext &&
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
		-CAcreateserial -extfile san.ext -out server.pem -days 2 2>/dev/null &&
	cp ca.pem bundle/ca.pem &&
	printf 'agency = RS-MUP\nworkstation = W01\n' >bundle/enrolment.conf
) || { fail "make the bundle" "openssl failed"; summary; exit 1; }
chmod 0644 "$PKI/bundle/key.pem"       # as carelessly handed over
# the lines of the key's PEM body, each long enough to be unmistakable
grep -v -- '-----' "$PKI/bundle/key.pem" | awk 'length($0) >= 16' \
	>"$T/key-lines"
check "the key has body lines to look for" "$(wc -l <"$T/key-lines")" \
	[ "$(wc -l <"$T/key-lines")" -ge 2 ]

# A TLS server that asks for the client certificate: a sync gets as far as
# the handshake with the workstation's key (and a reply that is not the
# exchange's).  A free port from python.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
openssl s_server -quiet -accept "127.0.0.1:$PORT" -cert "$PKI/server.pem" \
	-key "$PKI/server.key" -CAfile "$PKI/ca.pem" -Verify 1 -www \
	>"$T/s_server.log" 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; wait $SPID 2>/dev/null' EXIT
i=0
while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 50 ] && break
	sleep 0.1
done

ok_has "enroll" "enrolled RS-MUP W01" \
	"$RCMS" enroll --exchange "https://127.0.0.1:$PORT" --bundle "$PKI/bundle"
check "enroll: the key, certificate and CA are private copies" "$(perms "$RCMS_HOME")" \
	private "$RCMS_HOME"
check "enroll: the key is there" "no tls/key.pem" [ -f "$RCMS_HOME/tls/key.pem" ]

as ana || exit 1
run "$RCMS" case new surnames=KHAN given_names=IMRAN birth_date=1990 \
	nationality=PAK requested_agency=PK-MOI
REF=$(cat "$OUT")
check "a case" "exit $RC" [ "$RC" -eq 0 ]
printf 'a scan\n' >"$T/scan.pdf"
chmod 0644 "$T/scan.pdf"
ok "attach (the file is 0644)" "$RCMS" attach "$REF" "$T/scan.pdf" --kind scan
check "attach: the stored copy and its folders are private" "$(perms "$RCMS_HOME")" \
	private "$RCMS_HOME"
# (a server that is not the exchange: rcms retries; 10 s are enough)
run timeout -k 2 10 "$RCMS" sync
check "sync reached the TLS server and failed there (not 0)" "exit $RC" \
	[ "$RC" -ne 0 ]
check "sync: everything still private (the -wal, -shm, sync state)" \
	"$(perms "$RCMS_HOME")" private "$RCMS_HOME"

# ---- the private key in no output ------------------------------------------

# leaks NAME: the last command's stdout or stderr holds a line of the key
leaks() {
	grep -qF -f "$T/key-lines" "$OUT" "$ERR"
}
# the check can fail: a command that prints the key is caught
run cat "$RCMS_HOME/tls/key.pem"
check "the search finds the key when it is printed" "it does not" leaks

# every command of rcms --help, with what it needs to do something
"$RCMS" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 }
	on { s = substr($0, 3, 18); sub(/ +$/, "", s); print s }' >"$T/commands"
check "rcms --help lists commands" "$(wc -l <"$T/commands")" \
	[ "$(wc -l <"$T/commands")" -ge 40 ]
args_of() {
	case $1 in
	"init") echo "--agency RS-MUP --workstation W01 --admin admin" ;;
	"login") echo ana ;;
	"user add") echo "zoran --role officer" ;;
	"user passwd" | "user enable" | "user disable") echo ana ;;
	"case new") echo "surnames=ALI birth_date=1980 nationality=PAK" ;;
	"case show" | "case submit" | "case approve" | "case accept" | \
	"case transfer" | "idchecks" | "attachments" | "note list" | \
	"conflicts show" | "duplicates") echo "$REF" ;;
	"case edit") echo "$REF given_names=IMRAN" ;;
	"case return" | "case withdraw" | "case reject" | "case close") \
		echo "$REF --reason test" ;;
	"case extend") echo "$REF --days 3 --reason test" ;;
	"case issue") echo "$REF --travel-doc T123" ;;
	"case schedule") echo "$REF --date 2027-01-10" ;;
	"doc add") echo "$REF type=passport number=AB1234567 issuing_state=PAK" ;;
	"note add") echo "$REF a note" ;;
	"idcheck request") echo "$REF --kind identity --question who" ;;
	"idcheck answer") echo "$REF 1 --answer confirmed" ;;
	"attach") echo "$REF $T/scan.pdf" ;;
	"agreement show") echo RS-PK ;;
	"agreement set") echo "RS-PK reply_days=10" ;;
	"agreement load") echo "$ROOT/data/agreements.json" ;;
	"holiday add") echo "RS 2027-01-07 Christmas" ;;
	"mrz check" | "mrz parse") echo "P<PAKKHAN<<IMRAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<" ;;
	"mrz make") echo "--json $T/none.json" ;;
	"enroll") echo "--exchange https://127.0.0.1:$PORT --bundle $PKI/bundle" ;;
	"conflicts resolve") echo "$REF --field surnames --take mine" ;;
	"report") echo "caseload --format text" ;;
	"search") echo KHAN ;;
	"person same" | "person different" | "person forget") echo "$REF $REF" ;;
	"ui") echo "" ;;
	*) echo "" ;;
	esac
}
n=0
while read -r cmd; do
	[ "$cmd" = ui ] && continue     # the screens: tests/ui
	for who in admin ana; do
		# shellcheck disable=SC2046
		run timeout -k 2 10 env RCMS_USER=$who \
			RCMS_PASSWORD_FILE="$(password_file $who)" \
			RCMS_NEW_PASSWORD_FILE="$(password_file $who)" \
			"$RCMS" $cmd $(args_of "$cmd") </dev/null
		n=$((n + 1))
		if sanitizer_report; then
			fail "rcms $cmd (as $who)" "sanitizer report"
		elif leaks; then
			fail "rcms $cmd (as $who): the private key in its output" \
				"$(grep -c -F -f "$T/key-lines" "$OUT" "$ERR")"
		else
			pass "rcms $cmd (as $who): no line of the private key in its output"
		fi
	done
done <"$T/commands"
# and the failures a broken key or certificate gives
cp "$PKI/bundle/key.pem" "$T/key.keep"
printf 'garbage\n' >>"$RCMS_HOME/tls/key.pem"
head -c 200 "$T/key.keep" >"$RCMS_HOME/tls/key.pem"
run timeout -k 2 10 env RCMS_USER=admin \
	RCMS_PASSWORD_FILE="$(password_file admin)" "$RCMS" sync
check "a damaged key: sync fails" "exit $RC" [ "$RC" -ne 0 ]
check "a damaged key: not in the output" "$(cat "$ERR")" sh -c '! grep -qF -f "$1" "$2" "$3"' \
	sh "$T/key-lines" "$OUT" "$ERR"
cp "$T/key.keep" "$RCMS_HOME/tls/key.pem"
check "the key in no log or file outside tls/" \
	"$(grep -rlF -f "$T/key-lines" "$RCMS_HOME" | grep -v '/tls/key.pem$')" \
	sh -c '[ -z "$(grep -rlF -f "$1" "$2" | grep -v "/tls/key.pem$")" ]' sh \
	"$T/key-lines" "$RCMS_HOME"
check "every file still private after all the commands" "$(perms "$RCMS_HOME")" \
	private "$RCMS_HOME"
echo "# $n command runs searched"

summary
