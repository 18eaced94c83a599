#!/bin/sh
# tus-interop.sh - the workstation's tus client against the reference tus
# server, @tus/server with its file store (npm, pinned in
# tests/sync/tus-server/package-lock.json), behind HTTPS with client
# certificates from a throwaway CA: proof that rcms speaks standard tus
# (creation, an absolute Location, PATCH parts of 4 MiB, HEAD to resume),
# not only rcms-exchange's dialect.
#
# The client is the sync engine itself, run by tests/tools/tus_put (the
# same engine `rcms sync` drives, upload phase only).  The server knows
# nothing of rcms: it stores what tus sends it.
#
#   1. a 10 MiB scan: HEAD /v1/blobs/{sha256} (404), POST, three PATCHes
#      at 0, 4 MiB and 8 MiB; the server's file is the scan, byte for byte;
#      the replica marks it sent and keeps no upload URL
#   2. a second scan whose second PATCH (at 4 MiB) the server cuts after
#      1 MB: the run exits 75; the next run asks the server (HEAD on the
#      upload) and goes on from the server's offset (4 MiB, what the file
#      store kept) — no new upload, no PATCH at 0, the file whole
#   3. nothing left: a run sends nothing and makes no request to tus
. "$ROOT/tests/sync/lib.sh"

TUS_PUT=${BUILD:-$(dirname "$RCMS")/..}/tests/tools/tus_put
SRV=$ROOT/tests/sync/tus-server
mkdir -p "$TMPROOT"

if [ ! -x "$TUS_PUT" ]; then
	fail "setup: tests/tools/tus_put is built" "$TUS_PUT is missing"
	summary
	exit 1
fi
if ! command -v node >/dev/null 2>&1; then
	fail "setup: node" "node is not installed (apt-get install nodejs npm)"
	summary
	exit 1
fi
if [ ! -f "$SRV/node_modules/@tus/server/package.json" ] &&
	! npm ci --prefix "$SRV" --no-audit --no-fund >"$TMPROOT/npm.log" 2>&1; then
	fail "setup: npm ci --prefix tests/sync/tus-server" "see below"
	tail -n 15 "$TMPROOT/npm.log" | sed 's/^/    npm: /'
	summary
	exit 1
fi

# the CA, a server certificate for localhost, RS-MUP W01's certificate
if ! pki init "$PKI" || ! pki server "$PKI" localhost || ! issue RS-MUP/W01; then
	fail "setup: the throwaway CA" "see $TMPROOT/pki.log"
	summary
	exit 1
fi
B=$(bundle RS-MUP/W01)

STORE=$TMPROOT/tus-store
rm -rf "$STORE"
mkdir -p "$STORE"
node "$SRV/server.mjs" "$TMPROOT/tus.port" "$STORE" "$PKI/ca.pem" \
	"$PKI/server.pem" "$PKI/server.key" >"$TMPROOT/tus-server.log" 2>&1 3>&- 4<&- &
SRV_PID=$!
trap 'kill $SRV_PID 2>/dev/null' EXIT
i=0
while [ ! -s "$TMPROOT/tus.port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -s "$TMPROOT/tus.port" ]; then
	fail "setup: @tus/server starts" "$(tail -n 5 "$TMPROOT/tus-server.log")"
	summary
	exit 1
fi
TUS_URL=https://localhost:$(cat "$TMPROOT/tus.port")
pass "@tus/server $(node -p 'require(process.argv[1]).version' "$SRV/node_modules/@tus/server/package.json") listens at $TUS_URL"

# put: the tus client sends what the replica has waiting
put() {
	run "$TUS_PUT" "$RCMS_HOME" "$TUS_URL" "$PKI/ca.pem" "$B/cert.pem" \
		"$B/key.pem"
}

# A replica with a case and a scan linked to it.  Documents follow their
# records: the engine sends a scan whose attachment the exchange has
# applied.  There is no exchange here, so the test says it did.
replica RS RS-MUP W01
add_user ana officer
as ana
ok "RS: case new" "$RCMS" case new surnames=Khan given_names=Imran sex=M \
	birth_date=1990-03-04 nationality=PAK requested_agency=PK-MOI \
	evidence_basis=proof
REF=$(cat "$OUT")
mkscan() {
	head -c "$2" /dev/urandom >"$T/$1"
	ok "RS: attach $1" "$RCMS" attach "$REF" "$T/$1" --kind scan
	sql "UPDATE outbox SET state = 'applied' WHERE type = 'attachment.link'" >/dev/null
}
# the server's stored file of an upload, by the id in its URL
stored() {
	printf '%s/%s' "$STORE" "${1##*/}"
}

# ---- 1. a plain upload -----------------------------------------------------------

mkscan scan1.bin 10485760
SHA1=$(sha256sum "$T/scan1.bin" | cut -d ' ' -f 1)
: >"$STORE/requests.log"
put
check "put: exits 0" "exit $RC: $(cat "$ERR")" [ "$RC" -eq 0 ]
ok_out=$(cat "$OUT")
check "put: one document, 10485760 bytes" "said: $ok_out" \
	[ "$ok_out" = "sent 1 document(s), 10485760 bytes" ]
REQS=$(cat "$STORE/requests.log")
EXPECT="HEAD /v1/blobs/$SHA1 
POST /v1/uploads 
PATCH /v1/uploads/ID 0
PATCH /v1/uploads/ID 4194304
PATCH /v1/uploads/ID 8388608"
GOT=$(printf '%s\n' "$REQS" | sed 's,/v1/uploads/[0-9a-zA-Z_-]*,/v1/uploads/ID,')
check "the requests: HEAD the blob, POST, PATCH at 0, 4 MiB, 8 MiB" \
	"got: $(printf '%s' "$GOT" | tr '\n' '|')" [ "$GOT" = "$EXPECT" ]
URL1=$(sql "SELECT upload_url FROM blobs WHERE sha256 = '$SHA1'")
ID1=$(printf '%s\n' "$REQS" | sed -n 's,^PATCH /v1/uploads/\([^ ]*\) 0$,\1,p')
GOTSHA=$(sha256sum "$(stored "$ID1")" 2>/dev/null | cut -d ' ' -f 1)
check "the server's file is the scan, byte for byte" \
	"$SHA1 became '$GOTSHA'" [ "$GOTSHA" = "$SHA1" ]
UP1=$(sql "SELECT uploaded FROM blobs WHERE sha256 = '$SHA1'")
check "the replica marks it sent and forgets its upload URL" \
	"uploaded=$UP1 url='$URL1'" [ "$UP1" = 1 -a -z "$URL1" ]

# ---- 2. cut, then resumed from the server's offset ---------------------------------

mkscan scan2.bin 10485760
SHA2=$(sha256sum "$T/scan2.bin" | cut -d ' ' -f 1)
: >"$STORE/requests.log"
echo "4194304 1000000 2" >"$STORE/cut"
put
check "put: the cut run exits 75" "exit $RC: $(cat "$ERR")" [ "$RC" -eq 75 ]
URL2=$(sql "SELECT upload_url FROM blobs WHERE sha256 = '$SHA2'")
check "the replica keeps the upload's absolute https URL on the server's origin" \
	"upload_url '$URL2'" matches "$URL2" "$TUS_URL/v1/uploads/[0-9a-zA-Z_-]*"
ID2=${URL2##*/}
HAVE=$(stat -c %s "$(stored "$ID2")" 2>/dev/null || echo 0)
check "the server kept the first part, not all of the second" \
	"it has $HAVE bytes" [ "$HAVE" -ge 4194304 -a "$HAVE" -lt 8388608 ]
: >"$STORE/requests.log"
put
check "put: the next run exits 0" "exit $RC: $(cat "$ERR")" [ "$RC" -eq 0 ]
REQS=$(cat "$STORE/requests.log")
FIRST_PATCH=$(printf '%s\n' "$REQS" | sed -n 's,^PATCH /v1/uploads/[^ ]* \([0-9]*\)$,\1,p' | head -n 1)
check "it asked the server where the upload stands (HEAD on it)" \
	"requests: $(printf '%s' "$REQS" | tr '\n' '|')" \
	sh -c "printf '%s\n' \"\$1\" | grep -qx 'HEAD /v1/uploads/$ID2 '" x "$REQS"
check "it made no new upload (no POST)" \
	"requests: $(printf '%s' "$REQS" | tr '\n' '|')" \
	sh -c "! printf '%s\n' \"\$1\" | grep -q '^POST'" x "$REQS"
check "it went on from the server's offset, not from 0" \
	"the first PATCH of the second run was at '$FIRST_PATCH', the server had $HAVE" \
	[ "$FIRST_PATCH" = "$HAVE" ]
GOTSHA=$(sha256sum "$(stored "$ID2")" 2>/dev/null | cut -d ' ' -f 1)
check "the resumed file is the scan, byte for byte" \
	"$SHA2 became '$GOTSHA'" [ "$GOTSHA" = "$SHA2" ]

# ---- 3. nothing left ------------------------------------------------------------------

: >"$STORE/requests.log"
put
check "put: with nothing waiting exits 0" "exit $RC" [ "$RC" -eq 0 ]
check "put: ... and sends nothing" "said: $(cat "$OUT")" \
	[ "$(cat "$OUT")" = "sent 0 document(s), 0 bytes" ]
check "put: ... and asks nothing" "requests: $(cat "$STORE/requests.log")" \
	[ ! -s "$STORE/requests.log" ]

kill $SRV_PID 2>/dev/null
trap - EXIT
summary
