#!/bin/sh
# tus.sh - uploads (tus 1.0: core, creation, checksum, termination) and blob
# downloads at the exchange, over real HTTPS with client certificates:
# creation and its refusals, HEAD, PATCH in chunks with and without
# checksums, wrong offsets, checksum and whole-file hash mismatches, the
# size limit, termination, a cut-off PATCH that keeps what arrived, a
# restart in the middle, sessions private to their agency, odd ids; then
# a blob linked to a case by attachment.link: who may HEAD and GET it,
# byte ranges against dd, the whole file against its name.  Last, the
# standard tus client (tus-js-client, tus-interop.mjs) against the same
# exchange.
#
# Agencies: RS-MUP uploads and asks PK-MOI; AL-MOI takes no part.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/exchange/lib.sh"

RS=RS-MUP/W01
RS2=RS-MUP/W02
PK=PK-MOI/W01
AL=AL-MOI/W01
MAX=4194304

xsetup
# a small limit keeps the over-the-limit files small (the last line wins)
echo "max_upload_bytes = $MAX" >>"$XCONF"
xstart

F=$TMPROOT/files
mkdir -p "$F"

# ---- helpers ----------------------------------------------------------------

b64() {
	printf '%s' "$1" | base64 | tr -d '\n'
}

b64file() {
	base64 <"$1" | tr -d '\n'
}

sha_of() {
	sha256sum "$1" | cut -d' ' -f1
}

# sum64 ALG FILE: the Upload-Checksum value for FILE's bytes
sum64() {
	openssl dgst -"$1" -binary "$2" | base64 | tr -d '\n'
}

# tus WHO METHOD PATH [CURL ARGS...]: a request with Tus-Resumable
tus() {
	_t_w=$1
	_t_m=$2
	_t_p=$3
	shift 3
	if [ "$_t_m" = HEAD ]; then
		req "$_t_w" HEAD "$_t_p" -I -H 'Tus-Resumable: 1.0.0' "$@"
	else
		req "$_t_w" "$_t_m" "$_t_p" -H 'Tus-Resumable: 1.0.0' "$@"
	fi
}

# create WHO LENGTH METADATA: POST /v1/uploads; LOC is the upload's path
create() {
	tus "$1" POST /v1/uploads -H "Upload-Length: $2" \
		-H "Upload-Metadata: $3"
	LOC=$(val 'hdrs.get("location", "")')
}

# patch WHO LOC OFFSET FILE [CURL ARGS...]
patch() {
	_p_w=$1
	_p_l=$2
	_p_o=$3
	_p_f=$4
	shift 4
	tus "$_p_w" PATCH "$_p_l" \
		-H 'Content-Type: application/offset+octet-stream' \
		-H "Upload-Offset: $_p_o" --data-binary @"$_p_f" "$@"
}

# offset_is NAME LOC N: HEAD says the upload is at N
offset_is() {
	tus "$RS" HEAD "$2"
	expect "$1" "http == 200 and hdrs.get('upload-offset') == '$3'"
}

# slice FILE SKIP COUNT: COUNT bytes of FILE from SKIP, by dd
slice() {
	dd if="$1" bs=1 skip="$2" count="$3" 2>/dev/null
}

# between N LO HI: LO < N < HI
between() {
	[ "$1" -gt "$2" ] && [ "$1" -lt "$3" ]
}

# empty_file PATH: a file of 0 bytes
empty_file() {
	[ -f "$1" ] && [ ! -s "$1" ]
}

# same NAME A B: the two files are equal
same() {
	check "$1" "$2 and $3 differ ($(wc -c <"$2") and $(wc -c <"$3") bytes)" \
		cmp -s "$2" "$3"
}

# ---- OPTIONS and creation ---------------------------------------------------

req $RS OPTIONS /v1/uploads
expect "OPTIONS /v1/uploads: 204 with the tus headers (no Tus-Resumable needed)" \
	"http == 204 and hdrs.get('tus-resumable') == '1.0.0'
	 and hdrs.get('tus-version') == '1.0.0'
	 and hdrs.get('tus-extension') == 'creation,checksum,termination'
	 and hdrs.get('tus-max-size') == '$MAX'
	 and hdrs.get('tus-checksum-algorithm') == 'sha256,sha1'"
req - OPTIONS /v1/uploads
expect "OPTIONS without a client certificate: 401" 'http == 401'

head -c 300000 /dev/urandom >"$F/a.bin"
A=$(sha_of "$F/a.bin")
MA="sha256 $(b64 "$A"),filename $(b64 '../../exchange.db'),filetype $(b64 application/pdf)"

req $RS POST /v1/uploads -H 'Upload-Length: 300000' -H "Upload-Metadata: $MA"
expect "POST without Tus-Resumable: 412 with Tus-Version" \
	"http == 412 and hdrs.get('tus-version') == '1.0.0'
	 and hdrs.get('tus-resumable') == '1.0.0'
	 and hdrs['content-type'] == 'application/problem+json'"
req $RS POST /v1/uploads -H 'Tus-Resumable: 0.2.2' -H 'Upload-Length: 300000' \
	-H "Upload-Metadata: $MA"
expect "POST with Tus-Resumable 0.2.2: 412" 'http == 412'
tus $RS POST /v1/uploads -H "Upload-Metadata: $MA"
expect "POST without Upload-Length: 400" 'http == 400'
tus $RS POST /v1/uploads -H 'Upload-Length: -5' -H "Upload-Metadata: $MA"
expect "POST with Upload-Length -5: 400" 'http == 400'
tus $RS POST /v1/uploads -H 'Upload-Defer-Length: 1' -H "Upload-Metadata: $MA"
expect "POST with Upload-Defer-Length (not offered): 400" 'http == 400'
create $RS $((MAX + 1)) "$MA"
expect "POST with Upload-Length past max_upload_bytes: 413" \
	"http == 413 and hdrs.get('tus-resumable') == '1.0.0'
	 and data['type'].endswith(':upload-too-large')"
create $RS 300000 "filename $(b64 a.pdf)"
expect "POST without sha256 in the metadata: 400" \
	'http == 400 and data["type"].endswith(":invalid-metadata")'
create $RS 300000 "sha256 $A"
expect "POST with a sha256 that is not base64: 400" 'http == 400'
create $RS 300000 "sha256 $(b64 "$A"),filename $(b64 'a
b.pdf')"
expect "POST with a line break in the filename: 400" 'http == 400'
create $RS 300000 "sha256 $(b64 "$A"),filename $(printf 'a\033[2Jb' | base64)"
expect "POST with an escape character in the filename: 400" 'http == 400'
create $RS 300000 "sha256 $(b64 "$A"),sha256 $(b64 "$A")"
expect "POST with a key twice: 400" 'http == 400'
create $RS 300000 "sha256 $(b64 xyz)"
expect "POST with a sha256 that is not 64 hex digits: 400" 'http == 400'
create $RS 300000 "sha256 $(b64 "$A")=="
expect "POST with bad base64 padding: 400" 'http == 400'
check "no session or file was left by the refusals" \
	"$(ls "$XDATA/uploads" 2>/dev/null | wc -l) files in uploads/" \
	[ "$(ls "$XDATA/uploads" 2>/dev/null | wc -l)" -eq 0 ]

create $RS 300000 "$MA"
expect "POST: 201, Location /v1/uploads/<32 hex digits>, Tus-Resumable" \
	'http == 201 and re.fullmatch(r"/v1/uploads/[0-9a-f]{32}", hdrs["location"])
	 and hdrs.get("tus-resumable") == "1.0.0"'
LA=$LOC
IDA=${LA##*/}
check "the filename became no path: only uploads/$IDA.part" \
	"uploads/ holds $(ls "$XDATA/uploads" | tr '\n' ' ')" \
	[ "$(ls "$XDATA/uploads")" = "$IDA.part" ]
create $RS 300000 "$MA"
check "another POST: another id" "both are $LOC" [ "$LOC" != "$LA" ]
LA2=$LOC

tus $RS HEAD "$LA"
expect "HEAD: 200, Upload-Offset 0, Upload-Length, no-store, the metadata kept" \
	"http == 200 and hdrs.get('upload-offset') == '0'
	 and hdrs.get('upload-length') == '300000'
	 and hdrs.get('cache-control') == 'no-store'
	 and hdrs.get('tus-resumable') == '1.0.0'
	 and hdrs.get('upload-metadata') == 'sha256 $(b64 "$A"),filename $(b64 '../../exchange.db')'"
req $RS HEAD "$LA" -I
expect "HEAD without Tus-Resumable: 412" 'http == 412'

# ---- PATCH -----------------------------------------------------------------

slice "$F/a.bin" 0 100000 >"$F/a1"
slice "$F/a.bin" 100000 100000 >"$F/a2"
slice "$F/a.bin" 200000 100000 >"$F/a3"
head -c 100000 /dev/urandom >"$F/junk"

tus $RS PATCH "$LA" -H 'Content-Type: application/octet-stream' \
	-H 'Upload-Offset: 0' --data-binary @"$F/a1"
expect "PATCH with Content-Type application/octet-stream: 415" 'http == 415'
req $RS PATCH "$LA" -H 'Content-Type: application/offset+octet-stream' \
	-H 'Upload-Offset: 0' --data-binary @"$F/a1"
expect "PATCH without Tus-Resumable: 412" 'http == 412'
patch $RS "$LA" 0 "$F/a1"
expect "PATCH bytes 0-99999 without a checksum: 204, Upload-Offset 100000" \
	"http == 204 and hdrs.get('upload-offset') == '100000'
	 and hdrs.get('tus-resumable') == '1.0.0'"
offset_is "HEAD after it: Upload-Offset 100000" "$LA" 100000
patch $RS "$LA" 0 "$F/a2"
expect "PATCH at the wrong offset: 409" \
	'http == 409 and data["type"].endswith(":offset-mismatch")
	 and "100000" in data["detail"]'
patch $RS "$LA" 100001 "$F/a2"
expect "PATCH one byte ahead: 409" 'http == 409'
offset_is "the refused PATCHes changed nothing" "$LA" 100000
patch $RS "$LA" 100000 "$F/a2" -H "Upload-Checksum: md5 $(sum64 md5 "$F/a2")"
expect "PATCH with Upload-Checksum md5 (not offered): 400" 'http == 400'
patch $RS "$LA" 100000 "$F/a2" -H "Upload-Checksum: sha256 !!notbase64!!"
expect "PATCH with a checksum that is not base64: 400" 'http == 400'
patch $RS "$LA" 100000 "$F/a2" -H "Upload-Checksum: sha256 $(sum64 sha256 "$F/a2")"
expect "PATCH bytes 100000-199999 with a right sha256 checksum: 204, 200000" \
	"http == 204 and hdrs.get('upload-offset') == '200000'"
patch $RS "$LA" 200000 "$F/a3" -H "Upload-Checksum: sha256 $(sum64 sha256 "$F/junk")"
expect "PATCH with a wrong sha256 checksum: 460" \
	'http == 460 and data["type"].endswith(":checksum-mismatch")
	 and hdrs.get("tus-resumable") == "1.0.0"'
offset_is "the mismatched chunk was dropped: still 200000" "$LA" 200000
patch $RS "$LA" 200000 "$F/a3" -H "Upload-Checksum: sha1 $(sum64 sha1 "$F/junk")"
expect "PATCH with a wrong sha1 checksum: 460" 'http == 460'
cat "$F/a3" "$F/junk" >"$F/a3long"
patch $RS "$LA" 200000 "$F/a3long"
expect "PATCH that would pass Upload-Length: 413" \
	'http == 413 and data["type"].endswith(":upload-too-long")'
patch $RS "$LA" 200000 "$F/a3long" -H 'Transfer-Encoding: chunked'
expect "the same, chunked (no Content-Length): 413" 'http == 413'
offset_is "still 200000 after the 413s" "$LA" 200000
check "nothing of the refused chunks stayed in the file" \
	"the .part file has $(wc -c <"$XDATA/uploads/$IDA.part") bytes" \
	[ "$(wc -c <"$XDATA/uploads/$IDA.part")" -le 200000 ]
patch $RS "$LA" 200000 "$F/a3" -H "Upload-Checksum: sha1 $(sum64 sha1 "$F/a3")"
expect "the last chunk with a right sha1 checksum: 204, Upload-Offset 300000" \
	"http == 204 and hdrs.get('upload-offset') == '300000'"
offset_is "HEAD of the finished upload: Upload-Offset = Upload-Length" "$LA" 300000
BA=$XDATA/blobs/$(echo "$A" | cut -c1-2)/$A
check "the blob is stored at blobs/${A%"${A#??}"}/<sha256>, whole" \
	"$BA is missing or differs" cmp -s "$BA" "$F/a.bin"
check "the session's file is gone" "uploads/$IDA.part is still there" \
	[ ! -e "$XDATA/uploads/$IDA.part" ]
check "the blob file is private (0600)" "mode $(stat -c %a "$BA")" \
	[ "$(stat -c %a "$BA")" = 600 ]
patch $RS "$LA" 300000 /dev/null
expect "an empty PATCH at the end of a finished upload: 204" \
	"http == 204 and hdrs.get('upload-offset') == '300000'"
patch $RS "$LA" 300000 "$F/a3"
expect "bytes past the end of a finished upload: 413" 'http == 413'

# the same file again, in one PATCH: stored once, the first copy kept
INO=$(stat -c %i "$BA")
patch $RS "$LA2" 0 "$F/a.bin"
expect "the same file uploaded again: 204" \
	"http == 204 and hdrs.get('upload-offset') == '300000'"
check "a blob the exchange has is kept as it is (same inode)" \
	"inode $INO became $(stat -c %i "$BA")" [ "$(stat -c %i "$BA")" = "$INO" ]

# ---- the whole file's hash --------------------------------------------------

head -c 5000 /dev/urandom >"$F/b.bin"
B=$(sha_of "$F/b.bin")
create $RS 5000 "sha256 $(b64 "$A")"
LB=$LOC
patch $RS "$LB" 0 "$F/b.bin"
expect "the whole file's SHA-256 is not the declared one: 460" \
	'http == 460 and data["type"].endswith(":hash-mismatch")'
tus $RS HEAD "$LB"
expect "the mismatched upload was discarded: HEAD 404" 'http == 404'
check "no blob was stored under the file's real hash" "blobs/.../$B exists" \
	[ ! -e "$XDATA/blobs/$(echo "$B" | cut -c1-2)/$B" ]
check "its file is gone" "uploads/${LB##*/}.part is still there" \
	[ ! -e "$XDATA/uploads/${LB##*/}.part" ]
# the same in three PATCHes: the exchange hashed the parts as they came
create $RS 5000 "sha256 $(b64 "$A")"
LB=$LOC
slice "$F/b.bin" 0 2000 >"$F/b1"
slice "$F/b.bin" 2000 2000 >"$F/b2"
slice "$F/b.bin" 4000 1000 >"$F/b3"
patch $RS "$LB" 0 "$F/b1"
expect "a first part of a file declared with another hash: 204" \
	"http == 204 and hdrs.get('upload-offset') == '2000'"
patch $RS "$LB" 2000 "$F/b2"
expect "its second part: 204" "http == 204"
patch $RS "$LB" 4000 "$F/b3"
expect "its last part: the whole file's SHA-256 is not the declared one, 460" \
	'http == 460 and data["type"].endswith(":hash-mismatch")'
check "no blob was stored under that file's real hash" \
	"blobs/.../$B exists" [ ! -e "$XDATA/blobs/$(echo "$B" | cut -c1-2)/$B" ]
create $RS 5000 "sha256 $(b64 "$(echo "$B" | tr a-f A-F)")"
LB=$LOC
patch $RS "$LB" 0 "$F/b.bin"
expect "a sha256 declared in capitals matches too: 204" 'http == 204'

# an empty file is complete as it is created
E=$(printf '' | sha256sum | cut -d' ' -f1)
create $RS 0 "sha256 $(b64 "$E"),filename $(b64 empty.txt)"
expect "POST of an empty file: 201" 'http == 201'
tus $RS HEAD "$LOC"
expect "its HEAD: Upload-Offset 0 = Upload-Length 0" \
	"http == 200 and hdrs.get('upload-offset') == '0'
	 and hdrs.get('upload-length') == '0'"
check "the empty blob is stored" "no empty blobs/e3/$E" \
	empty_file "$XDATA/blobs/e3/$E"

# ---- sessions belong to their agency; ids are checked --------------------------

head -c 200000 /dev/urandom >"$F/c.bin"
C=$(sha_of "$F/c.bin")
slice "$F/c.bin" 0 50000 >"$F/c1"
create $RS 200000 "sha256 $(b64 "$C")"
LC=$LOC
patch $RS "$LC" 0 "$F/c1"
tus $PK HEAD "$LC"
expect "another agency's HEAD: 404" \
	'http == 404 and hdrs.get("tus-resumable") == "1.0.0"'
patch $PK "$LC" 50000 "$F/c1"
expect "another agency's PATCH: 404" 'http == 404'
tus $PK DELETE "$LC"
expect "another agency's DELETE: 404" 'http == 404'
tus $RS2 HEAD "$LC"
expect "another workstation of the same agency: 200, the same offset" \
	"http == 200 and hdrs.get('upload-offset') == '50000'"
offset_is "the strangers changed nothing" "$LC" 50000
tus $RS HEAD /v1/uploads/0123456789abcdef0123456789abcdef
expect "HEAD of an unknown id: 404" 'http == 404'
tus $RS HEAD "/v1/uploads/$(echo "${LC##*/}" | tr a-f A-F)"
expect "HEAD of the id in capitals: 404" 'http == 404'
tus $RS HEAD "${LC}00"
expect "HEAD of a longer id: 404" 'http == 404'
tus $RS HEAD "/v1/uploads/../../exchange.db" --path-as-is
expect "HEAD of /v1/uploads/../../exchange.db: 404" 'http == 404'
tus $RS HEAD "/v1/uploads/..%2F..%2Fexchange.db" --path-as-is
expect "HEAD of /v1/uploads/..%2F..%2Fexchange.db: 404" 'http == 404'
patch $RS "/v1/uploads/..%2F${IDA}" 0 "$F/c1" --path-as-is
expect "PATCH of ..%2F<id>: 404" 'http == 404'
tus $RS HEAD "/v1/uploads/$(head -c 300 /dev/zero | tr '\0' a)"
expect "HEAD of a 300-character id: 404" 'http == 404'
tus $RS GET "$LC"
expect "GET of an upload: 405" 'http == 405'

# ---- a restart in the middle, a cut-off PATCH, a busy session ----------------

xstop "exchange stops mid-upload"
xstart
offset_is "after a restart the upload is still at 50000" "$LC" 50000
slice "$F/c.bin" 50000 150000 >"$F/c2"
# cut off after about a second at 60 KB/s: what arrived is kept
patch $RS "$LC" 50000 "$F/c2" -H 'Expect:' --limit-rate 60K --max-time 1
CUT=0
_i=0
while [ $_i -lt 50 ]; do
	tus $RS HEAD "$LC"
	CUT=$(val 'hdrs.get("upload-offset", "0")')
	[ "$CUT" -gt 50000 ] && break
	sleep 0.1
	_i=$((_i + 1))
done
check "a cut-off PATCH keeps what arrived (offset 50000 < $CUT < 200000)" \
	"the offset is $CUT" between "$CUT" 50000 200000
slice "$F/c.bin" "$CUT" $((200000 - CUT)) >"$F/c3"
# a slow PATCH holds the session: the others meet 423 Locked
curl -sS --cacert "$PKI/ca.pem" --cert "$(bundle $RS)/cert.pem" \
	--key "$(bundle $RS)/key.pem" -X PATCH -H 'Tus-Resumable: 1.0.0' \
	-H 'Expect:' -H 'Content-Type: application/offset+octet-stream' \
	-H "Upload-Offset: $CUT" --data-binary @"$F/c3" --limit-rate 20K \
	--max-time 30 -o /dev/null "$URL$LC" 2>/dev/null &
SLOW=$!
sleep 0.7
patch $RS "$LC" "$CUT" "$F/c3"
expect "a PATCH while another is under way: 423" \
	'http == 423 and data["type"].endswith(":upload-locked")'
tus $RS DELETE "$LC"
expect "a DELETE while a PATCH is under way: 423" 'http == 423'
kill "$SLOW" 2>/dev/null
wait "$SLOW" 2>/dev/null
_i=0
while [ $_i -lt 50 ]; do
	tus $RS HEAD "$LC"
	CUT=$(val 'hdrs.get("upload-offset", "0")')
	patch $RS "$LC" "$CUT" /dev/null
	[ "$HTTP" = 204 ] && break
	sleep 0.1
	_i=$((_i + 1))
done
slice "$F/c.bin" "$CUT" $((200000 - CUT)) >"$F/c3"
patch $RS "$LC" "$CUT" "$F/c3"
expect "the rest from HEAD's offset ($CUT): 204, complete" \
	"http == 204 and hdrs.get('upload-offset') == '200000'"
check "the resumed upload is whole" "blobs/.../$C differs" \
	cmp -s "$XDATA/blobs/$(echo "$C" | cut -c1-2)/$C" "$F/c.bin"

# ---- termination -----------------------------------------------------------

create $RS 300000 "sha256 $(b64 "$A")"
LD=$LOC
patch $RS "$LD" 0 "$F/a1"
tus $RS DELETE "$LD"
expect "DELETE (termination): 204 with Tus-Resumable" \
	'http == 204 and hdrs.get("tus-resumable") == "1.0.0"'
tus $RS HEAD "$LD"
expect "HEAD after DELETE: 404" 'http == 404'
patch $RS "$LD" 100000 "$F/a2"
expect "PATCH after DELETE: 404" 'http == 404'
check "the terminated upload's file is gone" "uploads/${LD##*/}.part is there" \
	[ ! -e "$XDATA/uploads/${LD##*/}.part" ]
req $RS DELETE "$LD"
expect "DELETE without Tus-Resumable: 412" 'http == 412'

# ---- blobs: who may read them -------------------------------------------------

req $RS HEAD "/v1/blobs/$A" -I
expect "the uploader's HEAD before any case links the blob: 200, Content-Length" \
	"http == 200 and hdrs.get('content-length') == '300000'
	 and 'tus-resumable' not in hdrs"
req $RS2 HEAD "/v1/blobs/$A" -I
expect "another workstation of the uploading agency: 200" 'http == 200'
req $PK HEAD "/v1/blobs/$A" -I
expect "PK-MOI's HEAD before the link: 404" 'http == 404'
req $PK GET "/v1/blobs/$A"
expect "PK-MOI's GET before the link: 404, the same as for no blob" \
	'http == 404 and data["type"].endswith(":not-found")'
req $PK GET "/v1/blobs/$(echo "$A" | tr 0-9a-f 1-9a-f0)"
expect "GET of a hash the exchange has not: 404, the same answer" \
	'http == 404 and data["type"].endswith(":not-found")'
req $RS GET "/v1/blobs/$(echo "$A" | tr a-f A-F)"
expect "GET of the hash in capitals: 404" 'http == 404'
req $RS GET "/v1/blobs/../exchange.db" --path-as-is
expect "GET of /v1/blobs/../exchange.db: 404" 'http == 404'
req - GET "/v1/blobs/$A"
expect "GET without a client certificate: 401" 'http == 401'

K=$(newid)
push $RS "[case_create('$K', requested='PK-MOI'),
	attachment_link('$K', 1, '$A', filename='scan.pdf', size=300000)]"
expect "a case for PK-MOI linking the blob (attachment.link)" \
	'[x["status"] for x in r] == ["applied", "applied"]'
req $PK HEAD "/v1/blobs/$A" -I
expect "PK-MOI's HEAD while the case is a draft: 404" 'http == 404'
push $RS "[transition('$K', 2, 'submit'),
	transition('$K', 3, 'approve', role='supervisor', actor='marko')]"
expect "the case is submitted and approved" \
	'[x["status"] for x in r] == ["applied", "applied"]
	 and r[1]["case_status"] == "submitted"'
req $PK HEAD "/v1/blobs/$A" -I
expect "PK-MOI's HEAD after submission: 200, Content-Length 300000" \
	"http == 200 and hdrs.get('content-length') == '300000'
	 and hdrs.get('accept-ranges') == 'bytes'"
req $PK GET "/v1/blobs/$A"
expect "PK-MOI's GET: 200, octet-stream, Accept-Ranges, no-store" \
	"http == 200 and hdrs.get('content-type') == 'application/octet-stream'
	 and hdrs.get('accept-ranges') == 'bytes'
	 and hdrs.get('cache-control') == 'no-store'"
cp "$OUT" "$F/got"
check "the whole download's sha256sum is its name" \
	"got $(sha_of "$F/got")" [ "$(sha_of "$F/got")" = "$A" ]
req $AL HEAD "/v1/blobs/$A" -I
expect "AL-MOI (no part in the case): HEAD 404" 'http == 404'
req $AL GET "/v1/blobs/$A"
expect "AL-MOI: GET 404" 'http == 404'

# ---- ranges --------------------------------------------------------------

req $PK GET "/v1/blobs/$A" -H 'Range: bytes=0-9'
expect "Range bytes=0-9: 206, Content-Range bytes 0-9/300000" \
	"http == 206 and hdrs.get('content-range') == 'bytes 0-9/300000'
	 and hdrs.get('content-length') == '10'"
slice "$F/a.bin" 0 10 >"$F/want"
same "the first 10 bytes equal dd's" "$OUT" "$F/want"
req $PK GET "/v1/blobs/$A" -H 'Range: bytes=123456-135455'
expect "Range bytes=123456-135455: 206" \
	"http == 206 and hdrs.get('content-range') == 'bytes 123456-135455/300000'"
slice "$F/a.bin" 123456 12000 >"$F/want"
same "the middle range equals dd's" "$OUT" "$F/want"
req $PK GET "/v1/blobs/$A" -H 'Range: bytes=-777'
expect "Range bytes=-777 (suffix): 206" \
	"http == 206 and hdrs.get('content-range') == 'bytes 299223-299999/300000'"
slice "$F/a.bin" 299223 777 >"$F/want"
same "the suffix equals dd's" "$OUT" "$F/want"
req $PK GET "/v1/blobs/$A" -H 'Range: bytes=299990-'
expect "Range bytes=299990- (to the end): 206" \
	"http == 206 and hdrs.get('content-range') == 'bytes 299990-299999/300000'"
slice "$F/a.bin" 299990 10 >"$F/want"
same "the open range equals dd's" "$OUT" "$F/want"
req $PK GET "/v1/blobs/$A" -H 'Range: bytes=299000-999999999'
expect "a range past the end is cut at the end: 206" \
	"http == 206 and hdrs.get('content-range') == 'bytes 299000-299999/300000'"
req $PK GET "/v1/blobs/$A" -H 'Range: bytes=300000-'
expect "Range bytes=300000-: 416, Content-Range bytes */300000" \
	"http == 416 and hdrs.get('content-range') == 'bytes */300000'"
req $PK GET "/v1/blobs/$A" -H 'Range: bytes=-0'
expect "Range bytes=-0: 416" 'http == 416'
req $PK GET "/v1/blobs/$A" -H 'Range: bytes=0-1,5-6'
expect "several ranges: the whole blob, 200" \
	"http == 200 and hdrs.get('content-length') == '300000'"
req $PK GET "/v1/blobs/$A" -H 'Range: bytes=9-0'
expect "a backwards range is ignored: 200" 'http == 200'
req $PK GET "/v1/blobs/$A" -H 'Range: bytes=0-9' -H "If-Range: \"$A\""
expect "If-Range with the blob's ETag: 206" 'http == 206'
req $PK GET "/v1/blobs/$A" -H 'Range: bytes=0-9' -H 'If-Range: "other"'
expect "If-Range with another tag: the whole blob, 200" 'http == 200'
req $AL GET "/v1/blobs/$A" -H 'Range: bytes=0-9'
expect "AL-MOI with a Range: still 404" 'http == 404'

# ---- the standard tus client ----------------------------------------------

# tests/exchange/tus-interop.mjs drives tus-js-client (npm, pinned in
# package-lock.json) against this exchange; its PASS/FAIL lines count here.
if ! command -v node >/dev/null 2>&1; then
	NFAIL=$((NFAIL + 1))
	echo "FAIL: interop — node is not installed (apt-get install nodejs npm)"
elif [ ! -f "$ROOT/tests/exchange/node_modules/tus-js-client/package.json" ] &&
	! command -v npm >/dev/null 2>&1; then
	NFAIL=$((NFAIL + 1))
	echo "FAIL: interop — tus-js-client is not installed and npm is missing (apt-get install npm)"
elif [ ! -f "$ROOT/tests/exchange/node_modules/tus-js-client/package.json" ] &&
	! npm ci --prefix "$ROOT/tests/exchange" --no-audit --no-fund \
		>"$TMPROOT/npm.log" 2>&1; then
	NFAIL=$((NFAIL + 1))
	echo "FAIL: interop — npm ci --prefix tests/exchange failed"
	tail -n 15 "$TMPROOT/npm.log" | sed 's/^/    npm: /'
else
	_b=$(bundle $RS)
	_p=$(bundle $PK)
	TUS_URL=$URL TUS_CA=$PKI/ca.pem TUS_CERT=$_b/cert.pem TUS_KEY=$_b/key.pem \
		TUS_OTHER_CERT=$_p/cert.pem TUS_OTHER_KEY=$_p/key.pem \
		TUS_DATA=$XDATA TUS_TMP=$TMPROOT/interop \
		node "$ROOT/tests/exchange/tus-interop.mjs" >"$TMPROOT/interop.log" 2>&1
	_rc=$?
	cat "$TMPROOT/interop.log"
	NPASS=$((NPASS + $(grep -c '^PASS: ' "$TMPROOT/interop.log")))
	NFAIL=$((NFAIL + $(grep -c '^FAIL: ' "$TMPROOT/interop.log")))
	check "interop: tus-interop.mjs exits 0" "exit $_rc" [ "$_rc" -eq 0 ]
fi

xstop
summary
