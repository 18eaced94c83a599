#!/bin/sh
# print.sh - rcms report --print against a real CUPS server: this script
# starts its own cupsd (its own configuration, port, socket, spool and logs
# under TMPROOT) with a queue whose device is a file, prints reports on it
# through libcups (CUPS_SERVER points there) and checks that the jobs
# arrive and the file is a PDF.  It stops only the cupsd it started.
#
# RCMS=build/rep/bin/rcms sh tests/reports/print.sh   (cupsd needs root)

. "${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/cli/lib.sh"
. "$ROOT/tests/reports/fixture"

if ! command -v cupsd >/dev/null 2>&1 || ! command -v lpadmin >/dev/null 2>&1; then
	fail "print: setup" "cupsd and lpadmin are needed (scripts/deps.sh installs cups)"
	summary
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	fail "print: setup" "cupsd needs root to start"
	summary
	exit 1
fi

CUPS=$TMPROOT/cups
mkdir -p "$CUPS/spool" "$CUPS/tmp" "$CUPS/cache" "$CUPS/state" "$CUPS/log" \
	"$CUPS/out"
# the job runs as the lp user: the folder the device file is written to is
# open to it
chmod 0777 "$CUPS/out"
chmod 0755 "$CUPS" "$TMPROOT"
PORT=$(python3 -c "import socket
s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")

cat >"$CUPS/cupsd.conf" <<CONF
LogLevel info
Listen 127.0.0.1:$PORT
Listen $CUPS/cups.sock
Browsing Off
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Location /admin>
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order allow,deny
    Allow all
  </Limit>
</Policy>
CONF
cat >"$CUPS/cups-files.conf" <<CONF
FileDevice Yes
ServerRoot $CUPS
RequestRoot $CUPS/spool
TempDir $CUPS/tmp
CacheDir $CUPS/cache
StateDir $CUPS/state
AccessLog $CUPS/log/access_log
ErrorLog $CUPS/log/error_log
PageLog $CUPS/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
Printcap $CUPS/printcap
CONF
# A queue's file device gets the job's output only through a filter (a raw
# queue with no filter never writes it): this PPD passes a PDF through
# gziptoany, which copies it unchanged.
cat >"$CUPS/pdf.ppd" <<'PPD'
*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "RCMSPDF.PPD"
*Manufacturer: "rcms tests"
*Product: "(PDF file)"
*ModelName: "PDF file"
*ShortNickName: "PDF file"
*NickName: "PDF file"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: True
*DefaultColorSpace: RGB
*FileSystem: False
*Throughput: "1"
*LandscapeOrientation: Plus90
*TTRasterizer: Type42
*cupsFilter: "application/pdf 0 gziptoany"
*OpenUI *PageSize: PickOne
*OrderDependency: 10 AnySetup *PageSize
*DefaultPageSize: A4
*PageSize A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*DefaultImageableArea: A4
*ImageableArea A4: "0 0 595 842"
*DefaultPaperDimension: A4
*PaperDimension A4: "595 842"
PPD

cupsd -f -c "$CUPS/cupsd.conf" -s "$CUPS/cups-files.conf" \
	>"$CUPS/log/cupsd.out" 2>&1 &
CUPSD=$!
stop_cupsd() {
	if [ -n "${CUPSD:-}" ]; then
		kill "$CUPSD" 2>/dev/null
		wait "$CUPSD" 2>/dev/null
		CUPSD=
	fi
}
trap 'stop_cupsd' EXIT
trap 'stop_cupsd; exit 130' INT TERM

export CUPS_SERVER=127.0.0.1:$PORT
_up=0
for _i in $(seq 1 100); do
	if lpstat -h "$CUPS_SERVER" -r 2>/dev/null | grep -q "is running"; then
		_up=1
		break
	fi
	sleep 0.1
done
if [ "$_up" -ne 1 ]; then
	fail "print: cupsd starts" "see $CUPS/log"
	sed 's/^/    /' "$CUPS/log/cupsd.out" "$CUPS/log/error_log" 2>/dev/null | tail -n 20
	summary
	exit 1
fi
pass "print: our own cupsd is up on port $PORT"

run lpadmin -h "$CUPS_SERVER" -p test -E -v "file://$CUPS/out/test.pdf" \
	-P "$CUPS/pdf.ppd"
if [ "$RC" -ne 0 ]; then
	fail "print: a file-backed queue" "lpadmin exit $RC"
	summary
	exit 1
fi
pass "print: a file-backed queue"
lpadmin -h "$CUPS_SERVER" -p other -E -v "file://$CUPS/out/other.pdf" \
	-P "$CUPS/pdf.ppd" >/dev/null 2>&1
lpadmin -h "$CUPS_SERVER" -d other >/dev/null 2>&1

build_fixture

# wait_file FILE: the job wrote its output (the queue is done with it)
wait_file() {
	for _i in $(seq 1 100); do
		if [ -s "$1" ] && [ -z "$(lpstat -h "$CUPS_SERVER" -o 2>/dev/null)" ]; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

ok_has "print: deadlines on the queue test" "deadlines: printed on test as job" \
	"$RCMS" report deadlines --print test
_job=$(sed -n 's/.* as job \([0-9]*\) .*/\1/p' "$OUT")
check "print: the job arrives" "no output in $CUPS/out" wait_file "$CUPS/out/test.pdf"
check "print: the file is a PDF" "$(head -c 8 "$CUPS/out/test.pdf" 2>/dev/null)" \
	sh -c "head -c 5 '$CUPS/out/test.pdf' | grep -q '%PDF-'"
check "print: qpdf --check" "qpdf refuses it" \
	sh -c "qpdf --check '$CUPS/out/test.pdf' >/dev/null"
check "print: the report is in it" "pdftotext does not find it" \
	sh -c "pdftotext '$CUPS/out/test.pdf' - | grep -q 'XR-2026-000104'"
check "print: the server completed the job" "lpstat shows no job $_job" \
	sh -c "lpstat -h '$CUPS_SERVER' -W completed -o test | grep -q 'test-$_job '"

rm -f "$CUPS/out/other.pdf"
ok_has "print: the default queue" "caseload: printed on other as job" \
	"$RCMS" report caseload --print
check "print: the default queue's job arrives" "no output" wait_file "$CUPS/out/other.pdf"
check "print: a PDF again" "not a PDF" \
	sh -c "head -c 5 '$CUPS/out/other.pdf' | grep -q '%PDF-'"

ok "audit list" "$RCMS" audit list
check "print: audited with the queue and the job" "no entry" \
	has "deadlines pdf to printer test (job $_job): 6 cases"
check "print: the action is report.print" "no entry" \
	[ "$(sql "SELECT count(*) FROM audit WHERE action = 'report.print'")" -eq 2 ]

fails "print: a queue that does not exist" 69 "cannot print on nosuch" \
	"$RCMS" report caseload --print nosuch
check "print: a refused job is not audited" "audited" \
	[ "$(sql "SELECT count(*) FROM audit WHERE action = 'report.print'")" -eq 2 ]
fails "print: not the text form" 64 "--print prints the PDF" \
	"$RCMS" report caseload --print test --format text

stop_cupsd
summary
