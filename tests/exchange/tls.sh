#!/bin/sh
# tls.sh - the exchange's transport: mutual TLS only, certificates of its
# own CA only, revocation, TLS 1.2 and 1.3 only, no plain HTTP.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/exchange/lib.sh"

RS='RS-MUP/W01'

xsetup
issue RS-MUP/W09 || { echo "FAIL: setup — pki issue RS-MUP/W09"; exit 1; }
xstart

req $RS GET /v1/whoami
expect "a certificate of the exchange's CA: identified (200)" \
	'http == 200 and data["agency"] == "RS-MUP"'

# The routes that need a client certificate; the blob and upload routes
# when the exchange has them (they are being added).
SHA=0000000000000000000000000000000000000000000000000000000000000000
ROUTES="GET:/v1/whoami GET:/v1/reference POST:/v1/ops GET:/v1/changes GET:/metrics"
req $RS POST /v1/uploads -H 'Tus-Resumable: 1.0.0' -H 'Upload-Length: 1' \
	-H "Upload-Metadata: sha256 $(printf '%s' "$SHA" | base64 -w0)"
if [ "$HTTP" != 404 ]; then
	ROUTES="$ROUTES POST:/v1/uploads GET:/v1/blobs/$SHA HEAD:/v1/blobs/$SHA"
fi

# ---- no client certificate -------------------------------------------------

for rt in $ROUTES; do
	m=${rt%%:*}
	p=${rt#*:}
	if [ "$m" = HEAD ]; then
		req - HEAD "$p" -I
		expect "no client certificate: $m $p → 401" 'http == 401'
	else
		if [ "$m" = POST ]; then
			set -- --data-binary '{"ops":[]}'
		else
			set --
		fi
		req - "$m" "$p" -H 'Content-Type: application/json' \
			-H 'Tus-Resumable: 1.0.0' -H 'Upload-Length: 1' \
			-H "Upload-Metadata: sha256 $(printf '%s' "$SHA" | base64 -w0)" \
			"$@"
		expect "no client certificate: $m $p → 401 problem+json" \
			'http == 401 and hdrs["content-type"].startswith("application/problem+json")
			 and data["type"] == "urn:rcms:problem:unauthorized"'
	fi
done
req - GET /v1/health
expect "no client certificate: /v1/health still answers" 'http == 200'

# ---- certificates the exchange must not trust --------------------------------

# refused NAME: the last request got no answer (handshake refused) or 403,
# never an identity.
refused() {
	expect "$1" '(http == 0 or http == 403) and not (data or {}).get("agency")'
}

# A second throwaway CA, issuing the same subject O=RS-MUP, CN=W01.
OTHER=$TMPROOT/other-ca
if (cd "$ROOT" && "$RCMS_EXCHANGE" pki init "$OTHER" &&
	"$RCMS_EXCHANGE" pki issue "$OTHER" W01 --agency RS-MUP) \
	>>"$TMPROOT/pki.log" 2>&1; then
	req "$OTHER/bundles/RS-MUP-W01" GET /v1/whoami
	refused "a certificate from another CA (same O and CN): refused"
	req "$OTHER/bundles/RS-MUP-W01" POST /v1/ops --data-binary '{"ops":[]}'
	refused "another CA's certificate cannot push"
else
	fail "a second CA" "pki init/issue failed"
fi

# A self-signed certificate claiming RS-MUP.
mkdir -p "$TMPROOT/self"
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$TMPROOT/self/key.pem" -out "$TMPROOT/self/cert.pem" \
	-days 30 -subj "/O=RS-MUP/CN=W01" 2>>"$TMPROOT/pki.log"; then
	req "$TMPROOT/self" GET /v1/whoami
	refused "a self-signed certificate claiming RS-MUP: refused"
else
	fail "a self-signed certificate" "openssl req failed"
fi

# A certificate of the exchange's CA that has expired.
mkdir -p "$TMPROOT/expired"
if openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$TMPROOT/expired/key.pem" -out "$TMPROOT/expired/req.csr" \
	-subj "/O=RS-MUP/CN=W08" 2>>"$TMPROOT/pki.log" &&
	RCMS_SAN=DNS:localhost openssl ca -batch -config "$PKI/ca.cnf" \
		-extensions client -startdate 20200101000000Z \
		-enddate 20200201000000Z -in "$TMPROOT/expired/req.csr" \
		-out "$TMPROOT/expired/cert.pem" >>"$TMPROOT/pki.log" 2>&1; then
	req "$TMPROOT/expired" GET /v1/whoami
	refused "an expired certificate of the exchange's CA: refused"
else
	fail "an expired certificate" "openssl ca failed"
fi

# The exchange's own server certificate: the right CA, but its O is no
# agency code.
mkdir -p "$TMPROOT/server-as-client"
cp "$PKI/server.pem" "$TMPROOT/server-as-client/cert.pem"
cp "$PKI/server.key" "$TMPROOT/server-as-client/key.pem"
req "$TMPROOT/server-as-client" GET /v1/whoami
refused "a certificate whose O is not an agency (the server's own): refused"

# ---- revocation ---------------------------------------------------------------

req RS-MUP/W09 GET /v1/whoami
expect "RS-MUP/W09 before revocation: 200" \
	'http == 200 and data["workstation"] == "W09"'
# The exchange notices a new crl.pem by its modification time in whole
# seconds: let the second turn so that this test does not depend on it.
sleep 1
if pki revoke "$PKI" W09; then
	req RS-MUP/W09 GET /v1/whoami
	expect "RS-MUP/W09 after pki revoke: 403 (crl.pem reloaded)" \
		'http == 403 and data["type"] == "urn:rcms:problem:forbidden"'
	req RS-MUP/W09 POST /v1/ops -H 'Content-Type: application/json' \
		--data-binary '{"ops":[]}'
	expect "a revoked certificate cannot push (403)" 'http == 403'
	req $RS GET /v1/whoami
	expect "RS-MUP/W01 still works after W09 is revoked" 'http == 200'
else
	fail "pki revoke W09" "exit status $?"
fi

# ---- protocol versions ------------------------------------------------------------

# An OpenSSL configuration that lets curl offer TLS 1.0 and 1.1 (the
# system's refuses them itself, which would prove nothing).
cat >"$TMPROOT/legacy.cnf" <<'EOF'
openssl_conf = legacy
[legacy]
ssl_conf = ssl
[ssl]
system_default = tls
[tls]
MinProtocol = None
CipherString = DEFAULT:@SECLEVEL=0
EOF

# old_tls VERSION OPTION: the legacy client speaks VERSION to an openssl
# s_server that offers only it (the control), and the exchange refuses it.
old_tls() {
	rm -f "$TMPROOT/sserver.out"
	OPENSSL_CONF=$TMPROOT/legacy.cnf openssl s_server -accept 127.0.0.1:0 \
		"$2" -cert "$PKI/server.pem" -key "$PKI/server.key" \
		-cipher 'DEFAULT:@SECLEVEL=0' -www -naccept 1 \
		>"$TMPROOT/sserver.out" 2>&1 3>&- 4<&- &
	_spid=$!
	_i=0
	while ! grep -q '^ACCEPT' "$TMPROOT/sserver.out" 2>/dev/null &&
		[ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	_sport=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$TMPROOT/sserver.out")
	_c=$(OPENSSL_CONF=$TMPROOT/legacy.cnf curl -s -o /dev/null \
		-w '%{http_code}' --max-time 10 --tlsv"$1" --tls-max "$1" \
		--ciphers 'DEFAULT:@SECLEVEL=0' --cacert "$PKI/ca.pem" \
		"https://127.0.0.1:$_sport/")
	kill "$_spid" 2>/dev/null
	wait "$_spid" 2>/dev/null
	check "TLS $1: the test's client can speak it (to openssl s_server)" \
		"curl got '$_c'" [ "$_c" = 200 ]
	HTTP=$(OPENSSL_CONF=$TMPROOT/legacy.cnf curl -s -o "$OUT" \
		-w '%{http_code}' --max-time 10 --tlsv"$1" --tls-max "$1" \
		--ciphers 'DEFAULT:@SECLEVEL=0' --cacert "$PKI/ca.pem" \
		--cert "$(bundle $RS)/cert.pem" --key "$(bundle $RS)/key.pem" \
		"$URL/v1/whoami" 2>"$ERR")
	CURLRC=$?
	expect "TLS $1 to the exchange: refused" 'http == 0'
}
old_tls 1.0 -tls1
old_tls 1.1 -tls1_1

req $RS GET /v1/whoami --tlsv1.2 --tls-max 1.2 -v
expect "TLS 1.2: accepted" 'http == 200'
check "TLS 1.2: the connection used TLS 1.2" "curl -v says otherwise" \
	grep -q 'SSL connection using TLSv1.2' "$ERR"
req $RS GET /v1/whoami --tlsv1.3 -v
expect "TLS 1.3: accepted" 'http == 200'
check "TLS 1.3: the connection used TLS 1.3" "curl -v says otherwise" \
	grep -q 'SSL connection using TLSv1.3' "$ERR"

# ---- plain HTTP ------------------------------------------------------------------

HTTP=$(curl -s -o "$OUT" -w '%{http_code}' --max-time 10 \
	"http://127.0.0.1:$PORT/v1/health" 2>"$ERR")
CURLRC=$?
expect "plain HTTP to the HTTPS port: no HTTP answer" 'http == 0'
req - GET /v1/health
expect "the exchange still answers HTTPS afterwards" 'http == 200'

xstop
summary
