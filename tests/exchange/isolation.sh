#!/bin/sh
# isolation.sh - who sees what: a case between RS-MUP and PK-MOI, with
# documents, a note and an attachment link, checked at each step of its
# life against three agencies.
#
#   RS-MUP (requesting) sees it always;
#   PK-MOI (requested) sees nothing of it, and cannot touch it, while it is
#     a draft or awaits approval; sees it, whole, once approved;
#   AL-MOI (a stranger to it) sees nothing at any point, cannot update,
#     step, note, link or add to it, and learns nothing from trying: its
#     answers are those for a case that does not exist.
# AL-MOI has a case of its own with RS-MUP, so that its feed is not simply
# empty.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/exchange/lib.sh"

RS='RS-MUP/W01'
PK='PK-MOI/W01'
AL='AL-MOI/W01'

xsetup
xstart

# AL-MOI's own case with RS-MUP (the control)
Y=$(newid)
push $RS "[case_create('$Y', requested='AL-MOI', surnames='HOXHA', nationality='ALB',
		documents=[{'id': uuid7(), 'type': 'passport', 'number': 'BZ7654321',
		'issuing_state': 'ALB'}]),
	transition('$Y', 1, 'submit'),
	transition('$Y', 2, 'approve', role='supervisor', actor='marko')]"
expect "RS sends a case to AL-MOI" '[x["status"] for x in r] == ["applied"] * 3'

# The RS-PK case X: a document in its case.create, a note, an attachment
# link, a document.add.
X=$(newid)
DOC1=$(newid)
DOC2=$(newid)
NOTE1=$(newid)
ATT=$(newid)
printf 'scan of passport AB1234567, page 2 (isolation test %s)\n' "$X" \
	>"$T/scan.txt"
SHA=$(sha256sum "$T/scan.txt" | cut -d' ' -f1)
SIZE=$(wc -c <"$T/scan.txt" | tr -d ' ')
push $RS "[case_create('$X', documents=[{'id': '$DOC1', 'type': 'passport',
		'number': 'AB1234567', 'issuing_state': 'PAK'}]),
	note_add('$X', 1, 'apprehended at the border crossing', note_id='$NOTE1'),
	attachment_link('$X', 1, '$SHA', attachment_id='$ATT', size=$SIZE,
		filename='scan.txt', mime='text/plain'),
	document_add('$X', 1, doc_id='$DOC2', type='id_card', number='3520112345671')]"
expect "RS creates the case with a note, an attachment, two documents" \
	'[x["status"] for x in r] == ["applied"] * 4'

# Everything of X that must not leak, as text.
SECRETS="['$X', '$DOC1', '$DOC2', '$NOTE1', '$ATT', '$SHA', 'AB1234567',
	'3520112345671', 'apprehended at the border']"

# blind NAME WHO: WHO's whole feed holds nothing of X.
blind() {
	if feed "$2"; then
		expect "$1" "not any(s in text for s in $SECRETS)"
	else
		fail "$1" "the feed did not answer 200"
	fi
}

# no_touch STAGE WHO: every write of WHO to X is rejected as not-found,
# word for word the answer for a case that does not exist.
no_touch() {
	_who=$2
	_ghost=$(newid)
	for _op in "case_update('@', 1, {'surnames': 'SMITH'}, actor='x1')" \
		"transition('@', 1, 'accept', actor='x1')" \
		"transition('@', 1, 'reject', actor='x1', reason='no')" \
		"note_add('@', 1, 'a note from a stranger', actor='x1')" \
		"attachment_link('@', 1, '$SHA', actor='x1')" \
		"document_add('@', 1, actor='x1')"; do
		_name=${_op%%(*}
		_real=$(echo "$_op" | sed "s/@/$X/")
		_none=$(echo "$_op" | sed "s/@/$_ghost/")
		push "$_who" "[$_real, $_none]"
		expect "$1: ${_who%/*} $_name: rejected as not found, like a case that does not exist" \
			'http == 200 and r[0]["status"] == "rejected"
			 and problem(r[0]) == "not-found"
			 and r[0]["problem"] == r[1]["problem"]'
	done
}

# blob CHECK-NAME WHO CODE: GET /v1/blobs/SHA answers CODE (and, for 200,
# the bytes that were uploaded).
BLOBS=no
blob() {
	[ "$BLOBS" = yes ] || return 0
	req "$2" GET "/v1/blobs/$SHA"
	if [ "$3" = 200 ]; then
		if [ "$HTTP" = 200 ] && cmp -s "$OUT" "$T/scan.txt"; then
			pass "$1"
		else
			fail "$1" "expected 200 and the uploaded bytes"
		fi
	else
		expect "$1" "http == $3"
	fi
}

# The blob, uploaded by RS over tus 1.0 (creation, then one PATCH), when
# the exchange has /v1/uploads and /v1/blobs.  Until then (404 from the
# router) the blob checks print nothing: the blob routes are being added.
req $RS POST /v1/uploads -H 'Tus-Resumable: 1.0.0' \
	-H "Upload-Length: $SIZE" \
	-H "Upload-Metadata: sha256 $(printf '%s' "$SHA" | base64 -w0),filename $(printf scan.txt | base64 -w0)"
if [ "$HTTP" != 404 ]; then
	BLOBS=yes
	expect "tus: RS creates an upload (201, Location)" \
		'http == 201 and hdrs["location"].startswith("/v1/uploads/")'
	LOC=$(val 'hdrs["location"]')
	req $RS PATCH "$LOC" -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' \
		-H 'Content-Type: application/offset+octet-stream' \
		--data-binary @"$T/scan.txt"
	expect "tus: RS sends the bytes (204, Upload-Offset = length)" \
		"http == 204 and hdrs['upload-offset'] == '$SIZE'"
	blob "blob: RS, which uploaded it, reads it" $RS 200
fi

# ---- a draft ------------------------------------------------------------------

feed $RS
expect "draft: RS sees it with its documents, note and attachment" \
	"feed['$X']['status'] == 'draft'
	 and {d['id'] for d in feed['$X']['documents']} == {'$DOC1', '$DOC2'}
	 and [n['id'] for n in feed['$X']['notes']] == ['$NOTE1']
	 and [a['sha256'] for a in feed['$X']['attachments']] == ['$SHA']"
blind "draft: PK's feed has nothing of it" $PK
blind "draft: AL's feed has nothing of it" $AL
feed $AL
expect "draft: AL's feed has its own case" "'$Y' in feed"
no_touch "draft" $AL
no_touch "draft" $PK
blob "draft: blob hidden from PK (404)" $PK 404
blob "draft: blob hidden from AL (404)" $AL 404

# ---- awaiting approval -----------------------------------------------------------

push $RS "[transition('$X', 1, 'submit')]"
expect "RS submits for approval" \
	'r0["status"] == "applied" and r0["case_status"] == "awaiting_approval"'
blind "awaiting approval: PK's feed has nothing of it" $PK
blind "awaiting approval: AL's feed has nothing of it" $AL
no_touch "awaiting approval" $AL
no_touch "awaiting approval" $PK
blob "awaiting approval: blob hidden from PK (404)" $PK 404
blob "awaiting approval: blob hidden from AL (404)" $AL 404

# ---- approved: sent to PK ---------------------------------------------------------

push $RS "[transition('$X', 2, 'approve', role='supervisor', actor='marko')]"
expect "RS's supervisor approves: submitted to PK" \
	'r0["status"] == "applied" and r0["case_status"] == "submitted"'
feed $PK
expect "submitted: PK sees the case, both documents, the note, the attachment" \
	"feed['$X']['status'] == 'submitted' and feed['$X']['final_ref']
	 and {d['id'] for d in feed['$X']['documents']} == {'$DOC1', '$DOC2'}
	 and [n['id'] for n in feed['$X']['notes']] == ['$NOTE1']
	 and [a['sha256'] for a in feed['$X']['attachments']] == ['$SHA']"
blind "submitted: AL's feed has nothing of it" $AL
no_touch "submitted" $AL
blob "submitted: PK reads the blob" $PK 200
blob "submitted: blob hidden from AL (404)" $AL 404

# ---- PK answers --------------------------------------------------------------------

NOTE2=$(newid)
push $PK "[note_add('$X', 3, 'identity confirmed by NADRA', actor='pk1', note_id='$NOTE2'),
	transition('$X', 3, 'accept', actor='pk1')]"
expect "PK notes and accepts" \
	'[x["status"] for x in r] == ["applied", "applied"]
	 and r[1]["case_status"] == "accepted"'
feed $RS
expect "answered: RS sees the acceptance and PK's note" \
	"feed['$X']['status'] == 'accepted'
	 and [n['id'] for n in feed['$X']['notes']] == ['$NOTE1', '$NOTE2']
	 and feed['$X']['notes'][1]['agency'] == 'PK-MOI'"
SECRETS="['$X', '$DOC1', '$DOC2', '$NOTE1', '$NOTE2', '$ATT', '$SHA',
	'AB1234567', '3520112345671', 'apprehended at the border', 'NADRA']"
blind "answered: AL's feed has nothing of it" $AL
feed $AL
expect "answered: AL's feed holds exactly its own case" \
	"list(feed) == ['$Y']"
no_touch "answered" $AL
blob "answered: blob hidden from AL (404)" $AL 404

# ---- a hash alone opens nothing -----------------------------------------------
# AL has learnt the scan's SHA-256 (from a printout, say) and links it to
# Y, a case it takes part in.  The link is taken (it names a file AL says
# it has), but AL never sent the bytes and cannot read them through any
# case: the blob stays closed to it, to GET and to HEAD.
if [ "$BLOBS" = yes ]; then
	feed $AL
	YREV=$(val "feed['$Y']['rev']")
	push $AL "[attachment_link('$Y', $YREV, '$SHA', size=$SIZE,
		filename='found.txt', mime='text/plain', actor='besa')]"
	expect "a known hash: AL's link to its own case is taken" \
		'r[0]["status"] == "applied"'
	blob "a known hash: the blob stays hidden from AL (404)" $AL 404
	req $AL HEAD "/v1/blobs/$SHA" -I
	expect "a known hash: HEAD answers AL 404 too" "http == 404"
	blob "a known hash: RS, which sent the bytes, still reads them" $RS 200
	blob "a known hash: PK still reads them through the RS case" $PK 200
	# PK links the same scan to a case of its own with AL: PK could read
	# it when it linked it, so AL, the other side of that case, may too
	Z=$(newid)
	push $PK "[case_create('$Z', requested='AL-MOI', agency='PK-MOI',
		actor='omar'),
		attachment_link('$Z', 1, '$SHA', size=$SIZE, filename='scan.txt',
		mime='text/plain', actor='omar'),
		transition('$Z', 2, 'submit', actor='omar'),
		transition('$Z', 3, 'approve', role='supervisor', actor='sana')]"
	expect "PK sends AL a case with the same scan" \
		'[x["status"] for x in r] == ["applied"] * 4'
	blob "the same scan, linked by PK which could read it: AL reads it" \
		$AL 200
fi

xstop
summary
