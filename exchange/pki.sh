#!/bin/sh
# pki.sh - the exchange's certificate authority, on the openssl command
# line.  Called as `rcms-exchange pki ...`.
#
#   pki init DIR                        a new CA in DIR (0700)
#   pki server DIR HOSTNAME             the exchange's own certificate
#   pki issue DIR WS --agency CODE [--exchange URL]
#                                       a workstation certificate,
#                                       O=CODE, CN=WS, as an enrolment
#                                       bundle DIR/bundles/CODE-WS/
#   pki revoke DIR WS [--agency CODE]   revoke it; writes DIR/crl.pem
set -eu
umask 077

die() { echo "rcms-exchange pki: $*" >&2; exit 65; }

cmd=${1:-}
[ -n "$cmd" ] || die "usage: pki init|server|issue|revoke DIR ..."
shift
DIR=${1:-}
[ -n "$DIR" ] || die "which folder?"
shift

conf() {
	cat >"$DIR/ca.cnf" <<CNF
[ ca ]
default_ca = rcms
[ rcms ]
dir = $DIR
database = \$dir/index.txt
new_certs_dir = \$dir/certs
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
serial = \$dir/serial
crlnumber = \$dir/crlnumber
default_md = sha256
default_days = 825
default_crl_days = 30
policy = any
unique_subject = no
copy_extensions = none
[ any ]
organizationName = supplied
commonName = supplied
[ client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
[ server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = \$ENV::RCMS_SAN
CNF
}

case "$cmd" in
init)
	[ ! -e "$DIR/ca.key" ] || die "$DIR has a CA already"
	mkdir -p "$DIR/certs" "$DIR/bundles"
	chmod 700 "$DIR"
	: >"$DIR/index.txt"
	echo 1000 >"$DIR/serial"
	echo 1000 >"$DIR/crlnumber"
	conf
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		-nodes -keyout "$DIR/ca.key" -out "$DIR/ca.pem" -days 3650 \
		-subj "/O=rcms exchange/CN=rcms exchange CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
	RCMS_SAN=DNS:localhost openssl ca -batch -config "$DIR/ca.cnf" \
		-gencrl -out "$DIR/crl.pem" 2>/dev/null
	echo "CA created in $DIR"
	;;
server)
	host=${1:-localhost}
	[ -f "$DIR/ca.key" ] || die "no CA in $DIR; run pki init first"
	conf
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$DIR/server.key" -out "$DIR/server.csr" \
		-subj "/O=rcms exchange/CN=$host" 2>/dev/null
	RCMS_SAN="DNS:$host,DNS:localhost,IP:127.0.0.1" openssl ca -batch \
		-config "$DIR/ca.cnf" -extensions server \
		-in "$DIR/server.csr" -out "$DIR/server.pem" 2>/dev/null
	rm -f "$DIR/server.csr"
	echo "server certificate: $DIR/server.pem, key: $DIR/server.key"
	;;
issue)
	ws=${1:-}
	shift || true
	agency=""
	url=""
	while [ $# -gt 0 ]; do
		case "$1" in
		--agency) agency=${2:-}; shift 2 ;;
		--exchange) url=${2:-}; shift 2 ;;
		*) die "unknown option $1" ;;
		esac
	done
	[ -f "$DIR/ca.key" ] || die "no CA in $DIR; run pki init first"
	echo "$ws" | grep -Eq '^[A-Z0-9]{1,16}$' ||
		die "the workstation id is 1 to 16 capital letters or digits"
	echo "$agency" | grep -Eq '^[A-Z]{2}-[A-Z0-9]{2,10}$' ||
		die "--agency takes an agency code such as RS-MUP"
	conf
	b="$DIR/bundles/$agency-$ws"
	[ ! -e "$b" ] || die "$agency $ws has a certificate already"
	mkdir -p "$b"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$b/key.pem" -out "$b/req.csr" \
		-subj "/O=$agency/CN=$ws" 2>/dev/null
	RCMS_SAN=DNS:localhost openssl ca -batch -config "$DIR/ca.cnf" \
		-extensions client -in "$b/req.csr" -out "$b/cert.pem" \
		2>/dev/null
	rm -f "$b/req.csr"
	cp "$DIR/ca.pem" "$b/ca.pem"
	printf 'agency = %s\nworkstation = %s\nexchange = %s\n' \
		"$agency" "$ws" "$url" >"$b/enrolment.conf"
	chmod 600 "$b"/*
	echo "$b"
	;;
revoke)
	ws=${1:-}
	shift || true
	agency=""
	while [ $# -gt 0 ]; do
		case "$1" in
		--agency) agency=${2:-}; shift 2 ;;
		*) die "unknown option $1" ;;
		esac
	done
	[ -f "$DIR/ca.key" ] || die "no CA in $DIR"
	conf
	# the workstation's bundle: with --agency exactly that one; without,
	# the id must belong to one agency only
	found=""
	n=0
	for b in "$DIR"/bundles/*-"$ws"; do
		[ -f "$b/cert.pem" ] || continue
		a=$(basename "$b")
		a=${a%-"$ws"}
		if [ -n "$agency" ] && [ "$a" != "$agency" ]; then
			continue
		fi
		found="$b"
		n=$((n + 1))
	done
	[ $n -ge 1 ] || die "no certificate for workstation $ws${agency:+ of $agency}"
	[ $n -eq 1 ] || die "workstation $ws exists in several agencies; say which with --agency CODE"
	RCMS_SAN=DNS:localhost openssl ca -batch -config "$DIR/ca.cnf" \
		-revoke "$found/cert.pem" 2>/dev/null || true
	RCMS_SAN=DNS:localhost openssl ca -batch -config "$DIR/ca.cnf" \
		-gencrl -out "$DIR/crl.pem" 2>/dev/null
	echo "revoked $(basename "$found"); the exchange reads $DIR/crl.pem"
	;;
*)
	die "unknown pki command '$cmd'"
	;;
esac
