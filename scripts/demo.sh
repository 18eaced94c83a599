#!/bin/sh
# demo.sh RCMS_BINARY - the whole system on demo data: a local exchange
# with a demo CA, and enrolled workstations of two agencies: Serbia's
# border police (RS-MUP), with a field laptop (W01) and an office desktop
# (W02), and Pakistan's Ministry of Interior (PK-MOI).  On W01 officers
# open cases and a supervisor approves some; they sync; on W02 another
# supervisor (an account made on W01) approves one more; PK receives the
# approved ones, accepts one and issues a travel document; RS sees the
# answer.  Everything lives in
# build/demo (made anew each run); the exchange keeps running on
# 127.0.0.1 afterwards.  Every demo password is "demo-password".
set -eu
RCMS=${1:-build/rel/bin/rcms}
XCH=$(dirname "$RCMS")/rcms-exchange
cd "$(dirname "$0")/.."
DEMO="$PWD/build/demo"
# a previous demo's exchange, if still running
if [ -f "$DEMO/exchange.pid" ]; then
	kill "$(cat "$DEMO/exchange.pid")" 2>/dev/null || true
	sleep 0.5
fi
rm -rf "$DEMO"
mkdir -p "$DEMO"
chmod 700 "$DEMO"

# ---- the exchange: a demo CA, its certificate, two workstations --------
"$XCH" pki init "$DEMO/pki" >/dev/null
"$XCH" pki server "$DEMO/pki" localhost >/dev/null
"$XCH" pki issue "$DEMO/pki" W01 --agency RS-MUP >/dev/null
"$XCH" pki issue "$DEMO/pki" W02 --agency RS-MUP >/dev/null
"$XCH" pki issue "$DEMO/pki" W01 --agency PK-MOI >/dev/null
cat >"$DEMO/exchange.conf" <<CONF
# the demo exchange: loopback only
listen = 127.0.0.1
port = 0
port_file = $DEMO/exchange.port
data_dir = $DEMO/exchange
cert = $DEMO/pki/server.pem
key = $DEMO/pki/server.key
ca = $DEMO/pki/ca.pem
crl = $DEMO/pki/crl.pem
threads = 2
CONF
"$XCH" reference load data/agreements.json --config "$DEMO/exchange.conf" >/dev/null
"$XCH" agency add RS-MUP "Ministry of Interior of Serbia" --config "$DEMO/exchange.conf" >/dev/null
"$XCH" agency add PK-MOI "Ministry of Interior of Pakistan" --config "$DEMO/exchange.conf" >/dev/null
"$XCH" serve --config "$DEMO/exchange.conf" 2>"$DEMO/exchange.log" &
echo $! >"$DEMO/exchange.pid"
i=0
while [ ! -s "$DEMO/exchange.port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
URL="https://localhost:$(cat "$DEMO/exchange.port")"

export RCMS_HOME="$DEMO/rs"
mkdir -p "$RCMS_HOME"
chmod 700 "$RCMS_HOME"
# demo accounts: cheap password hashing; production keeps the defaults
printf 'argon2_t_cost = 1\nargon2_m_cost_kib = 4096\n' >"$RCMS_HOME/rcms.conf"
PW="$DEMO/demo-password"
printf 'demo-password\n' >"$PW"
chmod 600 "$PW"
export RCMS_PASSWORD_FILE="$PW"

r() { "$RCMS" "$@"; }
# the demo consults its cases to process the applications (rcms(1),
# JUSTIFICATIONS)
as() { r login "$1" --why processing >/dev/null; }

r init --agency RS-MUP --agency-name "Ministry of Interior of Serbia" \
	--workstation W01 --admin admin --admin-name "Demo Administrator" \
	--agreements data/agreements.json
as admin
r enroll --exchange "$URL" --bundle "$DEMO/pki/bundles/RS-MUP-W01" >/dev/null
r user add ana --role officer --full-name "Ana Petrović" >/dev/null
r user add luka --role officer --full-name "Luka Nikolić" >/dev/null
r user add marko --role supervisor --full-name "Marko Jovanović" >/dev/null
r user add jelena --role supervisor --full-name "Jelena Stojanović" >/dev/null

as ana
new() { r case new "$@"; }
c1=$(new surnames=KHAN given_names="MUHAMMAD IMRAN" name_native="محمد عمران خان" \
	sex=M birth_date=1991-04-12 birth_place=Peshawar nationality=PAK \
	father_name="Abdul Karim" languages="Urdu, Pashto" \
	requested_agency=PK-MOI evidence_basis=proof \
	itinerary="Islamabad - Istanbul - Skopje - Preševo" \
	--doc type=passport,number=AB1234567,issuing_state=PAK,issue_date=2019-05-02,expiry_date=2029-05-01)
c2=$(new surnames=RAHMAN given_names="MD SHAFIQUR" name_native="মোঃ শফিকুর রহমান" \
	sex=M birth_date=1995 nationality=BGD requested_agency=BD-MOHA \
	evidence_basis=prima_facie \
	--doc type=birth_cert,number=BC-19950311,issuing_state=BGD,is_copy=yes)
c3=$(new surnames=AHMADI given_names=FARID name_native="فرید احمدی" sex=M \
	birth_date=1999-07 nationality=AFG requested_agency=AF-MOI \
	evidence_basis=prima_facie languages=Dari)
c4=$(new surnames=HOXHA given_names=ARBEN sex=M birth_date=1988-02-20 \
	nationality=ALB requested_agency=AL-MOI evidence_basis=proof \
	procedure=accelerated apprehension_place="Preševo border area, 2 km from the crossing" \
	apprehension_date=2026-11-26 \
	--doc type=id_card,number=J12345678A,issuing_state=ALB)
c5=$(new surnames=ALAOUI given_names=YOUSSEF sex=M birth_date=2001 \
	nationality=MAR requested_agency=MA-DGSN evidence_basis=conditions)
c6=$(new surnames=BEGUM given_names=NASRIN sex=F birth_date=1997-10 \
	nationality=BGD requested_agency=BD-MOHA evidence_basis=prima_facie \
	needs_consent=yes pregnant=yes needs_medical_care=yes)
r note add "$c1" "Person states he travelled on his own passport; original seized at Preševo." >/dev/null
printf '%%PDF-1.4 demo scan of passport AB1234567\n' >"$RCMS_HOME/passport-scan.pdf"
r attach "$c1" "$RCMS_HOME/passport-scan.pdf" --kind scan >/dev/null
r case submit "$c1" >/dev/null
r case submit "$c4" >/dev/null
r case submit "$c2" >/dev/null
r case withdraw "$c5" >/dev/null

as luka
c7=$(new surnames=ISLAM given_names=RAFIQUL sex=M birth_date=1993-01-05 \
	nationality=BGD requested_agency=BD-MOHA evidence_basis=proof \
	--doc type=passport,number=BX0987654,issuing_state=BGD)
r case submit "$c7" >/dev/null

as marko
r case approve "$c1" >/dev/null
r case approve "$c4" >/dev/null
r case return "$c2" --reason "Add the birth certificate's issuing authority." >/dev/null

as ana
r sync >/dev/null

# ---- RS-MUP's office desktop W02: the agency's accounts and drafts come
# from the exchange; jelena approves luka's case there ----------------------
export RCMS_HOME="$DEMO/rs2"
mkdir -p "$RCMS_HOME"
chmod 700 "$RCMS_HOME"
printf 'argon2_t_cost = 1\nargon2_m_cost_kib = 4096\n' >"$RCMS_HOME/rcms.conf"
r init --agency RS-MUP --agency-name "Ministry of Interior of Serbia" \
	--workstation W02 --admin admin --admin-name "Demo Administrator" \
	--agreements data/agreements.json >/dev/null
as admin
r enroll --exchange "$URL" --bundle "$DEMO/pki/bundles/RS-MUP-W02" >/dev/null
r sync >/dev/null
as jelena
r case approve "$c7" >/dev/null
r sync >/dev/null
echo
echo "== RS-MUP W02 (office), supervisor jelena: rcms case list =="
r case list

# ---- Pakistan's Ministry of Interior: receives, answers ------------------
export RCMS_HOME="$DEMO/pk"
mkdir -p "$RCMS_HOME"
chmod 700 "$RCMS_HOME"
printf 'argon2_t_cost = 1\nargon2_m_cost_kib = 4096\n' >"$RCMS_HOME/rcms.conf"
r init --agency PK-MOI --agency-name "Ministry of Interior of Pakistan" \
	--workstation W01 --admin admin --admin-name "Demo Administrator" \
	--agreements data/agreements.json >/dev/null
as admin
r enroll --exchange "$URL" --bundle "$DEMO/pki/bundles/PK-MOI-W01" >/dev/null
r user add imran --role officer --full-name "Imran Qureshi" >/dev/null
as imran
r sync >/dev/null
pkref=$(r case list --format csv | awk -F, 'NR > 1 && $2 != "" { print $2; exit }')
r case accept "$pkref" >/dev/null
r case issue "$pkref" --travel-doc PK-ETD-2026-0042 >/dev/null
r sync >/dev/null
echo
echo "== PK-MOI, officer imran: rcms case list (after accepting $pkref) =="
r case list

# ---- back in Serbia -------------------------------------------------------
export RCMS_HOME="$DEMO/rs"
as ana
r sync >/dev/null
echo
echo "== RS-MUP W01 (laptop), officer ana: rcms status (after W02's approval) =="
r status
echo
echo "== RS-MUP: rcms case list =="
r case list
echo
echo "== RS-MUP: rcms case show $c1 =="
r case show "$c1"
echo
echo "The exchange runs at $URL (pid $(cat "$DEMO/exchange.pid"); stop it"
echo "with: kill \$(cat $DEMO/exchange.pid))."
echo "Replicas: RCMS_HOME=$DEMO/rs (RS-MUP's W01) and $DEMO/rs2 (its W02),"
echo "with the agency's accounts ana, luka, marko, jelena and admin on both;"
echo "RCMS_HOME=$DEMO/pk (imran, admin); every password is demo-password."
echo "On W01 as admin: rcms workstation list."
echo "Try:  RCMS_HOME=$DEMO/pk $RCMS case list --format csv"
: "$c3" "$c6"

# ---- the workstation: RS-MUP's officer ana on W01, with AS=rs2 supervisor
# jelena on W02, with AS=pk PK-MOI's imran ----------------------------------
if [ -t 0 ] && [ -t 1 ]; then
	if [ "${AS:-rs}" = pk ]; then
		export RCMS_HOME="$DEMO/pk" RCMS_USER=imran
	elif [ "${AS:-rs}" = rs2 ]; then
		export RCMS_HOME="$DEMO/rs2" RCMS_USER=jelena
	else
		export RCMS_HOME="$DEMO/rs" RCMS_USER=ana
	fi
	echo
	echo "Opening the workstation as $RCMS_USER (Q leaves it) ..."
	sleep 1
	exec "$RCMS" ui
fi
unset RCMS_PASSWORD_FILE
