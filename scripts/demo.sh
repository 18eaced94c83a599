#!/bin/sh
# demo.sh RCMS_BINARY - a demo replica of RS-MUP with sample cases, shown.
#
# The replica lives in build/demo (made anew each run).  Users: admin,
# officers ana and luka, supervisors marko and jelena; every demo password
# is "demo-password".  Afterwards, try for yourself:
#   export RCMS_HOME=build/demo; rcms login ana; rcms case list
set -eu
RCMS=${1:-build/rel/bin/rcms}
cd "$(dirname "$0")/.."
export RCMS_HOME="$PWD/build/demo"
rm -rf "$RCMS_HOME"
mkdir -p "$RCMS_HOME"
chmod 700 "$RCMS_HOME"
# demo accounts: cheap password hashing; production keeps the defaults
printf 'argon2_t_cost = 1\nargon2_m_cost_kib = 4096\n' >"$RCMS_HOME/rcms.conf"
PW="$RCMS_HOME/demo-password"
printf 'demo-password\n' >"$PW"
chmod 600 "$PW"
export RCMS_PASSWORD_FILE="$PW"

r() { "$RCMS" "$@"; }
as() { r login "$1" >/dev/null; }

r init --agency RS-MUP --agency-name "Ministry of Interior of Serbia" \
	--workstation W01 --admin admin --admin-name "Demo Administrator" \
	--agreements data/agreements.json
as admin
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
r case approve "$c7" >/dev/null

as ana
echo
echo "== rcms status (logged in as ana, officer of RS-MUP) =="
r status
echo
echo "== rcms case list =="
r case list
echo
echo "== rcms case show $c1 =="
r case show "$c1"
echo
echo "The demo replica is in $RCMS_HOME (password of every user: demo-password)."
echo "Try:  RCMS_HOME=$RCMS_HOME $RCMS case list --format csv"
unset RCMS_PASSWORD_FILE
: "$c3" "$c6"
