#!/bin/sh
# reports.sh - rcms report on the fixed data set of fixture.sh: the exact
# text of every report, CSV read back by Python's csv module, PDF checked by
# qpdf and pdftotext (figures, a Cyrillic and an Arabic-script name), a
# deadlines report over 5,000 cases (page count, the header row on every
# page), bad input, and the audit entries of exports.
#
# RCMS=build/rep/bin/rcms sh tests/reports/reports.sh
#   UPDATE=1 rewrites tests/reports/expected/ from the output (review the
#   diff before committing it).

. "${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/cli/lib.sh"
. "$ROOT/tests/reports/fixture"

EXP=$ROOT/tests/reports/expected
build_fixture
check "the caseload's counts equal the fixture's cases (written by SQL too)" \
	"$(sql "$(cat "$ROOT/tests/tools/counts-differ.sql")") rows differ" \
	[ "$(sql "$(cat "$ROOT/tests/tools/counts-differ.sql")")" = 0 ]

# The case file's history comes from the audit log, whose times are the
# real clock's: they are masked, with the references the clock's year made.
mask() {
	sed -E -e 's/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} /YYYY-MM-DD HH:MM /' \
		-e 's/RS-MUP-W01-[0-9]{4}-[0-9]{6}/RS-MUP-W01-YYYY-NNNNNN/'
}

# expect NAME ARGS...: the text report equals expected/NAME.txt
expect() {
	_n=$1
	shift
	run "$RCMS" report "$@"
	if sanitizer_report || [ "$RC" -ne 0 ]; then
		fail "text: $_n" "exit $RC"
		return
	fi
	mask <"$OUT" >"$T/$_n.txt"
	if [ -n "${UPDATE:-}" ]; then
		cp "$T/$_n.txt" "$EXP/$_n.txt"
	fi
	if cmp -s "$T/$_n.txt" "$EXP/$_n.txt"; then
		pass "text: $_n"
	else
		fail "text: $_n" "differs from expected/$_n.txt"
		diff "$EXP/$_n.txt" "$T/$_n.txt" | head -n 20 | sed 's/^/    /'
	fi
}

# ---- the text of every report -------------------------------------------------

ok_has "report --list" "application" "$RCMS" report --list
for _r in caseload deadlines idchecks outcomes workload indicators case; do
	check "report --list: $_r" "missing" grep -q "^$_r " "$OUT"
done

expect caseload caseload
expect caseload-q1 caseload --from 2026-01-01 --to 2026-03-31 --country AL
expect deadlines deadlines
expect deadlines-132 deadlines --width 132
expect idchecks idchecks
expect idchecks-pk idchecks --agency PK-MOI --from 2026-01
expect outcomes outcomes
expect outcomes-feb outcomes --from 2026-02 --to 2026-02
expect workload workload
expect workload-marko workload --officer marko
expect indicators indicators
expect case case R01
expect application application R01
expect application-132 application XR-2026-000105 --width 132

# ---- CSV, read back by a CSV parser -----------------------------------------------

# csv NAME PYTHON: the report's CSV parsed into rows (a list of dicts) and
# PYTHON's asserts run on it
csv_check() {
	_n=$1
	run "$RCMS" report "$_n" --format csv
	if [ "$RC" -ne 0 ]; then
		fail "csv: $_n" "exit $RC"
		return
	fi
	if python3 -c "import csv, sys
raw = open(sys.argv[1], 'rb').read()
assert raw.endswith(b'\r\n'), 'no CRLF at the end'
assert b'\n' not in raw.replace(b'\r\n', b''), 'a bare LF'
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
by = lambda k: {r[k]: r for r in rows}
$2" "$OUT" >"$T/py" 2>&1; then
		pass "csv: $_n"
	else
		fail "csv: $_n" "$(tail -n 1 "$T/py")"
	fi
}

csv_check caseload "
c = by('requested_country')
assert len(rows) == 5, rows
assert c['AL']['total'] == '5' and c['AL']['rejected'] == '1', c['AL']
assert c['PK']['accepted'] == '1' and c['PK']['awaiting_reply'] == '1'
assert sum(int(r['total']) for r in rows) == 12"
csv_check deadlines "
assert [r['reference'] for r in rows] == ['XR-2026-000104', 'XR-2026-000105',
    'XR-2026-000102', 'XR-2026-000101', 'XR-2026-000106', 'XR-2026-000112'], rows
d = by('reference')
assert d['XR-2026-000104']['flag'] == 'DEEMED' and d['XR-2026-000104']['days_left'] == '-2'
assert d['XR-2026-000104']['last_day'] == '2026-03-30'
assert d['XR-2026-000101']['name'] == 'Khan, Ali (علی خان)'
assert d['XR-2026-000102']['name'] == 'Стојановски, Горан'
assert d['XR-2026-000106']['deadline'] == 'transfer' and d['XR-2026-000106']['last_day'] == '2026-05-14'"
csv_check idchecks "
a = by('requested_agency')
assert a['AL-ASP']['median_days'] == '3.0' and a['AL-ASP']['p90_days'] == '5.0', a['AL-ASP']
assert a['MK-MVR']['median_days'] == '3.5' and a['MK-MVR']['interview_required'] == '1'
assert a['PK-MOI']['pending'] == '1' and a['PK-MOI']['asked'] == '2'"
csv_check outcomes "
assert len(rows) == 6
assert sum(int(r['accepted']) for r in rows) == 4
assert sum(int(r['rejected']) for r in rows) == 2
assert sum(int(r['deemed_accepted']) for r in rows) == 1
assert [r['accepted_percent'] for r in rows if r['month'] == '2026-01' and r['requested_country'] == 'AL'] == ['50']"
csv_check workload "
u = by('username')
assert u['ana']['opened'] == '11' and u['ana']['preparing'] == '2'
assert u['marko']['approved'] == '7' and u['ivan']['approved'] == '2'
assert u['marko']['full_name'] == 'Marko Marković'"
csv_check indicators "
c = by('requested_country')
assert c['PK']['average_days_to_decision'] == '17.0', c['PK']
assert c['MK']['answered_in_time_percent'] == '50'
assert c['AL']['deemed_accepted'] == '1' and c['AL']['exchanged'] == '4'"
fails "csv: not for the case file" 64 "has no csv form" "$RCMS" report case R01 --format csv

# ---- PDF ------------------------------------------------------------------------------

# pdf_check NAME ARGS...: -o NAME.pdf, qpdf --check, the text in $T/NAME.txt
pdf_check() {
	_n=$1
	shift
	run "$RCMS" report "$@" -o "$T/$_n.pdf"
	if [ "$RC" -ne 0 ]; then
		fail "pdf: $_n" "exit $RC"
		return 1
	fi
	if qpdf --check "$T/$_n.pdf" >"$T/qpdf" 2>&1; then
		pass "pdf: $_n: qpdf --check"
	else
		fail "pdf: $_n: qpdf --check" "$(tail -n 1 "$T/qpdf")"
	fi
	pdftotext "$T/$_n.pdf" "$T/$_n.pdf.txt"
}

# pdf_has NAME TEXT...: the PDF's text has every TEXT
pdf_has() {
	_n=$1
	shift
	for _s in "$@"; do
		check "pdf: $_n has '$_s'" "pdftotext does not find it" \
			grep -qF -- "$_s" "$T/$_n.pdf.txt"
	done
}

pdf_check caseload caseload
pdf_has caseload "CONTAINS PERSONAL DATA" "RS-MUP — Ministry of Interior, Border Police" \
	"Page 1 of 1" "Printed by marko (Marko Marković) on 2026-04-01 09:00 UTC" \
	"Cases per requested country" "AL Albania"
check "pdf: caseload: the figures of Albania" "$(grep -A12 'AL Albania' "$T/caseload.pdf.txt" | tr '\n' ' ')" \
	python3 -c "import sys
t = open(sys.argv[1]).read().split()
assert '12' in t and '5' in t" "$T/caseload.pdf.txt"
pdf_check deadlines deadlines
pdf_has deadlines "Стојановски, Горан" "علی خان" "XR-2026-000104" "DEEMED" "2026-03-30"
# set in the sizes asked for: a table's 8 points are 10 to 12 points from
# top to bottom of the line (pango's default of 96 dots an inch made them
# 10.7 points, 14.5 high), and no cell is cut short: no glyph of any font
# in the file stands for U+2026, the ellipsis
pdftotext -bbox "$T/deadlines.pdf" "$T/deadlines.bbox"
check "pdf: deadlines: the table is set in 8 points" \
	"$(grep -m 1 '>Reference<' "$T/deadlines.bbox")" \
	python3 -c "import re, sys
w = re.search(r'yMin=\"([0-9.]+)\" xMax=\"[0-9.]+\" yMax=\"([0-9.]+)\">Reference<',
	open(sys.argv[1]).read())
assert w and 8.5 <= float(w.group(2)) - float(w.group(1)) <= 12" "$T/deadlines.bbox"
pdf_check idchecks idchecks
pdf_has idchecks "3.0" "5.0" "3.5" "Checks waiting for an answer"
pdf_check outcomes outcomes
pdf_has outcomes "Decisions per requested country" "The person is not an Albanian national." "71"
pdf_check workload workload
pdf_has workload "Marko Marković" "Ana Anić"
pdf_check indicators indicators
pdf_has indicators "17.0" "11.3"
pdf_check case case R01
pdf_has case "علی خان" "Confirmed by NADRA." "History"
pdf_check application application R01
pdf_has application "A. Personal details" "Signature (official)" "AB1234567"

# The cells are shaped here (HarfBuzz in pango's fonts, names composed of
# their words) rather than laid out by pango one by one: every word must
# stand where pango puts it (RCMS_PDF_SHAPER=pango: pango for every cell),
# within 0.01 point (the PDF's text positions are in thousandths of an em)
for _n in deadlines idchecks workload; do
	run env RCMS_PDF_SHAPER=pango "$RCMS" report "$_n" --format pdf \
		-o "$T/$_n-pango.pdf"
	pdftotext -bbox "$T/$_n.pdf" "$T/$_n.words"
	pdftotext -bbox "$T/$_n-pango.pdf" "$T/$_n-pango.words"
	check "pdf: $_n: every word where pango puts it" \
		"$(diff "$T/$_n.words" "$T/$_n-pango.words" | head -n 4)" \
		python3 -c "import re, sys
def words(f):
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
            re.findall(r'xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" yMax=\"([0-9.]+)\">([^<]*)<', open(f).read())]
a, b = words(sys.argv[1]), words(sys.argv[2])
assert len(a) == len(b) and len(a) > 20, (len(a), len(b))
for x, y in zip(sorted(a, key=lambda w: (w[4], w[1], w[0])), sorted(b, key=lambda w: (w[4], w[1], w[0]))):
    assert x[4] == y[4] and all(abs(x[i] - y[i]) < 0.01 for i in range(4)), (x, y)" \
		"$T/$_n.words" "$T/$_n-pango.words"
done

# no cell of any report on the fixture is cut short (their values all fit)
for _n in caseload deadlines idchecks outcomes workload indicators case application; do
	qpdf --qdf --object-streams=disable "$T/$_n.pdf" "$T/$_n.qdf"
	check "pdf: $_n: no cell is cut short" \
		"$(grep -a '> *<2026>' "$T/$_n.qdf" | head -n 3)" \
		sh -c "! grep -aq '> *<2026>' '$T/$_n.qdf'"
done
check "pdf: the document's title" "no Title" sh -c "pdfinfo '$T/caseload.pdf' | grep -q 'Title: *Caseload'"

# ---- every export is audited ------------------------------------------------------

ok "audit list" "$RCMS" audit list
check "audit: the PDF export" "no entry" \
	has "caseload pdf to $T/caseload.pdf: 12 cases"
check "audit: the text export with the filters" "no entry" \
	has "caseload text to standard output: 5 cases; period 2026-01-01..2026-03-31; country AL"
check "audit: the case file names its case" "no entry" \
	[ "$(sql "SELECT count(*) FROM audit a JOIN cases c ON c.id = a.case_id
		WHERE a.action = 'report.export' AND c.local_ref = 'R01'")" -ge 3 ]
ok "audit verify" "$RCMS" audit verify

# ---- bad input ----------------------------------------------------------------------

fails "unknown report" 64 "unknown report 'caseloads'; the reports are: caseload, deadlines" \
	"$RCMS" report caseloads
fails "a period that ends before it begins" 65 "the period ends before it begins" \
	"$RCMS" report caseload --from 2026-03-01 --to 2026-02-01
fails "a date that is not one" 64 "month 13 does not exist" \
	"$RCMS" report caseload --from 2026-13-01
fails "a parameter the report does not take" 64 "takes no period" \
	"$RCMS" report deadlines --from 2026-01-01
fails "the case file needs a case" 64 "needs a case reference" "$RCMS" report case
fails "a country that is none" 65 "not a country" "$RCMS" report caseload --country XX
fails "unwritable output path" 74 "cannot write $T/no/such/dir/r.pdf" \
	"$RCMS" report caseload -o "$T/no/such/dir/r.pdf"
mkdir -p "$T/outdir"
fails "an unknown case" 65 "" "$RCMS" report case NOPE -o "$T/outdir/case.pdf"
check "no partial file is left behind" "$(ls "$T/outdir")" \
	[ -z "$(ls -A "$T/outdir")" ]
fails "a PDF is not for the terminal" 64 "choose -o FILE or --print" \
	"$RCMS" report caseload -o "$T/x.pdf" --print
fails "unknown format" 64 "unknown format 'xls'" "$RCMS" report caseload --format xls
# The PDF writer and printing are a module (lib/rcms/report.so) that
# bin/rcms loads only for them: without it, PDF fails clearly (69) and
# leaves nothing; text and CSV do not need it.
fails "PDF without the report module" 69 "report module cannot be loaded" \
	env RCMS_REPORT_MODULE="$T/no-such-module.so" "$RCMS" report caseload \
	-o "$T/outdir/nomodule.pdf"
check "... and leaves no file" "$(ls "$T/outdir")" [ -z "$(ls -A "$T/outdir")" ]
ok "text without the report module" env RCMS_REPORT_MODULE="$T/no-such-module.so" \
	"$RCMS" report caseload
check "bin/rcms does not load cairo, pango or CUPS" "$(ldd "$RCMS" | grep -E 'cairo|pango|cups')" \
	sh -c "! ldd '$RCMS' | grep -qE 'libcairo|libpango|libcups'"

# ---- a deadlines report over 5,000 cases ---------------------------------------------

# the columns of a case after its names, for copies of one (here and in
# the names below)
CASE_REST="previous_names, aliases,
	sex, civil_status, birth_date, birth_place, birth_country, nationality,
	previous_nationality, father_name, mother_name, languages, description,
	last_residence, needs_consent, unaccompanied_minor, pregnant,
	trafficking_victim, needs_medical_care, needs_escort, special_needs,
	itinerary, apprehension_place, apprehension_date, transfer_date,
	crossing_point, escort, reason, extension_days, travel_doc_number,
	created_by, approved_by, created_at, updated_at, submitted_at, received_at,
	decided_at, rev"

# 5,000 open applications to Pakistan, copies of R05 with their own ids,
# references and deadlines (one a day, from 2026-04-02)
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT INTO cases SELECT * FROM (SELECT
	printf('00000000-0000-7000-8000-%012d', i) AS id,
	printf('BIG-%05d', i) AS local_ref, printf('XR-BIG-%05d', i) AS final_ref,
	requesting_agency, requested_agency, agreement, procedure, status,
	evidence_basis, surnames, given_names, name_native, $CASE_REST,
	$(ts '2026-04-02 00:00') + i * 86400 AS reply_due
	FROM cases, n WHERE local_ref = 'R05')"
check "5,000 more open cases" "$(sql 'SELECT count(*) FROM cases')" \
	[ "$(sql "SELECT count(*) FROM cases")" -eq 5012 ]
# one name too long for its column (110 points)
sql "UPDATE cases SET surnames = 'Mohammadi-Abdulrahmanzai',
	given_names = 'Jamshid Abdul Rahman', name_native = 'جمشید عبدالرحمن محمدی'
	WHERE local_ref = 'BIG-00007'"
pdf_check big deadlines
qpdf --qdf --object-streams=disable "$T/big.pdf" "$T/big.qdf"
check "pdf: a name too long for its column is cut with an ellipsis" "none" \
	grep -aq '> *<2026>' "$T/big.qdf"
check "pdf: ... and copied out of the PDF whole" "not whole in $T/big.pdf.txt" \
	grep -q "Mohammadi-Abdulrahmanzai, Jamshid Abdul Rahman (" "$T/big.pdf.txt"
# 5,006 rows, 50 a page (13 pt rows between the header and the footer of
# an A4 page): 101 pages
BIG_PAGES=101
check "pdf: 5,006 rows on $BIG_PAGES pages" "$(pdfinfo "$T/big.pdf" | grep Pages)" \
	sh -c "pdfinfo '$T/big.pdf' | grep -q '^Pages: *$BIG_PAGES\$'"
check "pdf: every page has the header row and its number" "see $T/pages" \
	python3 -c "import sys, subprocess
pdf, n = sys.argv[1], int(sys.argv[2])
text = subprocess.run(['pdftotext', pdf, '-'], capture_output=True, text=True).stdout
pages = text.split('\f')
pages = [p for p in pages if p.strip()]
assert len(pages) == n, len(pages)
rows = 0
for k, p in enumerate(pages, 1):
    assert 'Reference' in p and 'Last day' in p, k
    assert 'Page %d of %d' % (k, n) in p, k
    assert 'CONTAINS PERSONAL DATA' in p, k
    rows += p.count('XR-')
    assert p.count('XR-') == (50 if k < n else 6), (k, p.count('XR-'))
assert rows == 5006, rows" "$T/big.pdf" "$BIG_PAGES"
check "pdf: the last page has the last case" "missing" grep -q "XR-BIG-05000" "$T/big.pdf.txt"


# ---- names of every kind in a table ---------------------------------------------------

# 400 open cases named at random (seeded) from Latin, Cyrillic and
# Arabic-script words, with digits, joiners, punctuation, names that begin
# in Arabic script (a right-to-left line) and names too long for the
# column: every one is drawn (cairo refuses nothing: a refused drawing
# fails the report), and every reference and every surname is in the text
sql "DELETE FROM cases WHERE local_ref LIKE 'BIG-%'"
python3 - "$T/names.sql" "$T/names.want" "$CASE_REST" <<'PY'
import random, sys
r = random.Random(7)
latin = ["Marić", "Đorđević", "Khan", "Ahmed", "Hoxha", "Gashi", "Müller",
         "O'Brien", "Abdul-Rahman", "Nikolovski", "Łukasz", "Ali", "Smith"]
cyr = ["Стојановски", "Јовановић", "Горан", "Марија", "Петровић", "Ђурђа"]
arab = ["علی", "خان", "احمد", "بلال", "محمد", "عبدالرحمن", "رحمت\u200cالله",
        "لوگری", "قاسم", "یوسف", "۱۲۳", "12", "مُحَمَّد", "ـ"]
rows, want = [], []
for i in range(1, 401):
    sur = r.choice(latin + cyr)
    if r.random() < 0.1:
        sur = r.choice(arab)
    giv = " ".join(r.choice(latin + cyr) for _ in range(r.randint(1, 4)))
    nat = " ".join(r.choice(arab) for _ in range(r.randint(0, 4)))
    if r.random() < 0.1:
        nat += " " + r.choice(cyr)
    q = lambda t: "'" + t.replace("'", "''") + "'"
    rows.append("(%d, %s, %s, %s)" % (i, q(sur), q(giv), q(nat)))
    want.append("XR-NAM-%04d\t%s" % (i, sur if sur in latin + cyr else ""))
open(sys.argv[1], "w").write("""WITH n(i, s, g, nn) AS (VALUES %s)
INSERT INTO cases SELECT * FROM (SELECT
	printf('00000000-0000-7000-8001-%%012d', i) AS id,
	printf('NAM-%%04d', i) AS local_ref, printf('XR-NAM-%%04d', i) AS final_ref,
	requesting_agency, requested_agency, agreement, procedure, status,
	evidence_basis, n.s AS surnames, n.g AS given_names, n.nn AS name_native,
	%s, reply_due
	FROM cases, n WHERE local_ref = 'R05');
""" % (",\n".join(rows), sys.argv[3]))
open(sys.argv[2], "w").write("\n".join(want) + "\n")
PY
sqlite3 -batch -cmd '.timeout 5000' "$RCMS_HOME/rcms.db" <"$T/names.sql"
check "400 cases with names of every kind" "$(sql "SELECT count(*) FROM cases WHERE local_ref LIKE 'NAM-%'")" \
	[ "$(sql "SELECT count(*) FROM cases WHERE local_ref LIKE 'NAM-%'")" -eq 400 ]
pdf_check names deadlines
check "pdf: names: every reference and every surname in the text" "see $T/names.pdf.txt" \
	python3 -c "import sys
text = open(sys.argv[1]).read()
for line in open(sys.argv[2]):
    ref, sur = line.rstrip('\n').split('\t')
    assert ref in text, ref
    assert not sur or sur in text, (ref, sur)" "$T/names.pdf.txt" "$T/names.want"

summary
