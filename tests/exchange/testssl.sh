#!/bin/sh
# testssl.sh - the exchange's TLS configuration as testssl.sh (Debian's
# testssl.sh package) sees it: no SSLv2, SSLv3, TLS 1.0 or 1.1; TLS 1.2
# and 1.3 offered; no NULL, anonymous, export, LOW, RC4, 3DES or other
# obsolete cipher; forward secrecy with every cipher; the server asks for
# a client certificate; no known vulnerability testssl finds (Heartbleed,
# CCS, ROBOT, renegotiation, CRIME, BREACH is HTTP compression...).
# Every route but /v1/health refuses a client without a certificate
# (tests/exchange/tls.sh checks each one).
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/exchange/lib.sh"

if ! command -v testssl >/dev/null 2>&1; then
	echo "FAIL: testssl — not installed (apt-get install testssl.sh)"
	exit 1
fi

xsetup
xstart

J=$TMPROOT/testssl.json
rm -f "$J"
# -p protocols, -s cipher categories, -f forward secrecy, -S server
# defaults (the certificate request), -U vulnerabilities
timeout 600 testssl --quiet --warnings off --color 0 --openssl-timeout 10 \
	--add-ca "$PKI/ca.pem" -p -s -f -S -U --jsonfile "$J" "127.0.0.1:$PORT" \
	>"$TMPROOT/testssl.txt" 2>&1 3>&- 4<&-
check "testssl ran and wrote its findings" "see $TMPROOT/testssl.txt" [ -s "$J" ]

# finding ID: testssl's verdict on one check ("" when absent)
finding() {
	python3 -c 'import json, sys
for f in json.load(open(sys.argv[1])):
    if f.get("id") == sys.argv[2]:
        print(f.get("finding", "")); break' "$J" "$1"
}
severity() {
	python3 -c 'import json, sys
for f in json.load(open(sys.argv[1])):
    if f.get("id") == sys.argv[2]:
        print(f.get("severity", "")); break' "$J" "$1"
}

for p in SSLv2 SSLv3 TLS1 TLS1_1; do
	check "$p is not offered" "testssl: $(finding "$p")" \
		sh -c "case '$(finding "$p")' in 'not offered'*) exit 0;; *) exit 1;; esac"
done
for p in TLS1_2 TLS1_3; do
	check "$p is offered" "testssl: $(finding "$p")" \
		sh -c "case '$(finding "$p")' in 'offered'*) exit 0;; *) exit 1;; esac"
done
for c in cipherlist_NULL cipherlist_aNULL cipherlist_EXPORT cipherlist_LOW \
	cipherlist_3DES_IDEA cipherlist_AVERAGE; do
	check "$c: not offered" "testssl: $(finding "$c")" \
		sh -c "case '$(finding "$c")' in 'not offered'*) exit 0;; *) exit 1;; esac"
done
check "the strong ciphers only" "testssl: $(finding cipherlist_STRONG)" \
	sh -c "case '$(finding cipherlist_STRONG)' in 'offered'*) exit 0;; *) exit 1;; esac"
check "forward secrecy" "testssl: $(finding PFS)" \
	sh -c "case '$(finding PFS)' in 'offered'*) exit 0;; *) exit 1;; esac"
# testssl 3.0 does not report the certificate request: s_client does
openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 -CAfile "$PKI/ca.pem" \
	</dev/null >"$TMPROOT/s_client.txt" 2>&1 3>&- 4<&-
check "the server asks for a client certificate of its CA" \
	"$(grep -A2 'client certificate CA names' "$TMPROOT/s_client.txt")" \
	sh -c "grep -A1 'Acceptable client certificate CA names' '$TMPROOT/s_client.txt' | grep -q 'rcms exchange CA'"
# Nothing testssl rates high or critical, but one: the server certificate
# names no CRL or OCSP responder.  The workstations trust the exchange's
# own CA only (pinned at enrolment); a compromised server key is answered
# by a new CA bundle for every workstation, not by a CRL they would have
# to fetch from the server in question.
#
# Client-initiated renegotiation: the exchange closes the connection at
# the attempt (checked here directly, with time for the answer).
# testssl 3.0.8 judges it by s_client's exit status; on a busy machine its
# first try can end before the close arrives, and its second ("R" four
# times) has no exemption for a server that closes, so it may call a
# closed connection "VULNERABLE, DoS threat".  Its finding on
# secure_client_renego counts only when the direct check fails.
(echo R; sleep 3) | openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 \
	-CAfile "$PKI/ca.pem" >"$TMPROOT/reneg.txt" 2>&1 3>&- 4<&-
RENEGO_CLOSED=no
if sed -n '/^RENEGOTIATING/,$p' "$TMPROOT/reneg.txt" | grep -q '^closed' &&
	! sed -n '/^RENEGOTIATING/,$p' "$TMPROOT/reneg.txt" | grep -q 'Verify return code'; then
	RENEGO_CLOSED=yes
fi
check "a client-initiated renegotiation: the connection is closed, no second handshake" \
	"$(sed -n '/^RENEGOTIATING/,$p' "$TMPROOT/reneg.txt" | head -5)" [ "$RENEGO_CLOSED" = yes ]
BAD=$(python3 -c 'import json, sys
skip = {"cert_revocation"}
if sys.argv[2] == "yes":
    skip.add("secure_client_renego")
bad = [f["id"] + ": " + f.get("finding", "") for f in json.load(open(sys.argv[1]))
       if f.get("severity") in ("HIGH", "CRITICAL") and f["id"] not in skip]
print("; ".join(bad))' "$J" "$RENEGO_CLOSED")
check "no finding rated HIGH or CRITICAL (but cert_revocation and a refused renegotiation, see above)" \
	"$BAD" [ -z "$BAD" ]
# and no client without a certificate gets in
req - GET /v1/whoami
expect "no client certificate: /v1/whoami → 401" 'http == 401'

xstop
summary
