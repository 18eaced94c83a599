#!/bin/sh
# reports.sh - the reports menu: every report reports/ lists, a report's
# parameters, its text in the pager (golden dumps at 80x24), and export
# through the functions `rcms report` uses: the CSV and the PDF it
# writes, the audit entries; a printer that cannot be reached is said so.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/ui/screen.lib"

# pango's fontconfig keeps its caches to the end (as tests/reports do)
export LSAN_OPTIONS="suppressions=$ROOT/tests/reports/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# the reports' own clock (report_now_from_env): 2100-01-01, after every
# case opened here
SOURCE_DATE_EPOCH=4102444800
export SOURCE_DATE_EPOCH
setup
as ana
new() { run "$RCMS" case new "$@"; }
new surnames=KHAN given_names="MUHAMMAD IMRAN" sex=M birth_date=1991-04-12 \
	nationality=PAK requested_agency=PK-MOI
new surnames=ALI given_names=FATIMA sex=F birth_date=1988 nationality=PAK \
	requested_agency=PK-MOI
new surnames=HOXHA given_names=ARBEN sex=M birth_date=1979 nationality=ALB \
	requested_agency=AL-MOI
as marko

# a folder deeper than the message line is wide
LONGDIR=$T/reports-for-the-ministry-and-the-donors/a-folder-named-so-long/that-it-cannot-fit
mkdir -p "$LONGDIR"
cat >"$T/reports.script" <<S
:reports
:save-display $T/menu.txt
key Enter
:save-display $T/params.txt
type 2020-01-01
key Enter
key Enter
key Enter
key Enter
key Enter
:save-display $T/caseload.txt
key PgDn
:save-display $T/caseload-2.txt
:export $T/caseload.csv
:export $T/caseload.pdf
:save-display $T/exported.txt
:export $LONGDIR/caseload.pdf
:save-display $T/exported-long.txt
key Tab
key ^U
type 2020-13-01
key F2
:save-display $T/bad-date.txt
key Esc
key Esc
S
screen reports marko
dump_ok reports-menu "$T/menu.txt"
dump_ok report-params "$T/params.txt"
dump_ok report-caseload "$T/caseload.txt"
dump_ok report-exported "$T/exported.txt"
dump_ok report-bad-date "$T/bad-date.txt"
check "a long path gives way to the figures" \
	"$(tail -n 1 "$T/exported-long.txt" 2>/dev/null)" \
	sh -c 'tail -n 1 "$1" |
		grep -q "^….*/that-it-cannot-fit/caseload.pdf: 1 page(s), 3 case(s)\.\$"' \
	sh "$T/exported-long.txt"
check "the pager pages" "the second page is the first" \
	sh -c '! cmp -s "$1" "$2"' sh "$T/caseload.txt" "$T/caseload-2.txt"
check "the CSV was written" "no $T/caseload.csv" [ -s "$T/caseload.csv" ]
check "the CSV counts the cases by country" \
	"$(head -n 5 "$T/caseload.csv" 2>/dev/null)" \
	sh -c 'tr -d "\r" <"$1" >"$1.lf" && grep -q "^AL,1,.*,1\$" "$1.lf" &&
		grep -q "^PK,2,.*,2\$" "$1.lf"' sh "$T/caseload.csv"
check "the PDF was written" "no PDF" \
	sh -c 'head -c 5 "$1" | grep -q "%PDF-"' sh "$T/caseload.pdf"
if command -v qpdf >/dev/null 2>&1; then
	check "qpdf accepts the PDF" "qpdf --check fails" \
		qpdf --check "$T/caseload.pdf" >/dev/null 2>&1
fi
n=$(sql "SELECT count(*) FROM audit WHERE action LIKE '%report%'")
check "the pager's run and both exports are audited" "$n audit entries" \
	[ "$n" -ge 3 ]

# printing asks first, then says what the printer said
cat >"$T/print.script" <<S
:reports
:enter deadlines
:print
key Enter
:save-display $T/print-ask.txt
key y
:save-display $T/print-failed.txt
S
CUPS_SERVER=127.0.0.1:9
export CUPS_SERVER
screen print marko
unset CUPS_SERVER
check "printing asks first" "$(tail -n 1 "$T/print-ask.txt")" \
	grep -q "Print Deadlines on the default queue?" "$T/print-ask.txt"
check "a printer that cannot be reached is said so" \
	"$(tail -n 1 "$T/print-failed.txt")" \
	sh -c '[ -n "$(tail -n 1 "$1")" ]' sh "$T/print-failed.txt"
summary
