#!/bin/sh
# api.sh - the exchange's API v1 over real HTTPS with client certificates:
# identity, push (create, update, transition; idempotency, merge, conflict,
# ownership, the state machine), pull paging, hostile bodies, routes,
# metrics, and deemed acceptance by the exchange's (test) clock.
#
# Agencies: RS-MUP (W01, W02) requests; PK-MOI (EU-PK-2010: 30 days, no
# extension) and AL-MOI (EU-WB-2007: 10 calendar days, up to 6 more) are
# asked.  The deemed-acceptance part moves the exchange's clock forward, so
# it comes last.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/exchange/lib.sh"

RS1='RS-MUP/W01'
RS2='RS-MUP/W02'
PK='PK-MOI/W01'
AL='AL-MOI/W01'

xsetup
xstart

# ---- identity -------------------------------------------------------------

req $RS1 GET /v1/whoami
expect "whoami: RS-MUP/W01 from the certificate's O and CN" \
	'http == 200 and data == {"agency": "RS-MUP", "workstation": "W01"}'
req $RS2 GET /v1/whoami
expect "whoami: RS-MUP/W02" \
	'http == 200 and data == {"agency": "RS-MUP", "workstation": "W02"}'
req $PK GET /v1/whoami
expect "whoami: PK-MOI/W01" \
	'http == 200 and data == {"agency": "PK-MOI", "workstation": "W01"}'
req - GET /v1/health
expect "health answers without a client certificate" \
	'http == 200 and data["status"] == "ok" and data["version"]'
req $AL GET /v1/reference
expect "reference: agencies, agreements, holidays, document types" \
	'http == 200 and {"EU-WB-2007", "EU-PK-2010"} <= {a["code"] for a in data["agreements"]}
	 and {"RS-MUP", "PK-MOI", "AL-MOI"} <= {a["code"] for a in data["agencies"]}
	 and any(h["country"] == "AL" for h in data["holidays"])
	 and any(d["code"] == "passport" for d in data["document_types"])'

# ---- create, update, transition ------------------------------------------

C1=$(newid)
OPC=$(newid)
push $RS1 "[case_create('$C1', op_id='$OPC')]"
expect "case.create: applied, rev 1, a seq" \
	"http == 200 and r0['op_id'] == '$OPC' and r0['status'] == 'applied'
	 and r0['rev'] == 1 and r0['seq'] > 0"
push $RS1 "[case_update('$C1', 1, {'sex': 'M', 'birth_place': 'LAHORE'})]"
expect "case.update: applied, rev 2" \
	'http == 200 and r0["status"] == "applied" and r0["rev"] == 2'
push $RS1 "[transition('$C1', 2, 'submit')]"
expect "submit by the officer: awaiting_approval, rev 3" \
	'http == 200 and r0["status"] == "applied" and r0["rev"] == 3
	 and r0["case_status"] == "awaiting_approval"'
push $RS1 "[transition('$C1', 3, 'approve', role='officer', actor='ivan')]"
expect "approve by an officer: rejected" \
	'r0["status"] == "rejected" and problem(r0) == "not-owner"'
push $RS1 "[transition('$C1', 3, 'approve', role='supervisor', actor='ana')]"
expect "approve by the creator (ana): rejected, four eyes" \
	'r0["status"] == "rejected" and "four eyes" in r0["problem"]["detail"]'
OPA=$(newid)
C3X=$(newid)
push $RS1 "[case_create('$C3X')]"
push $RS1 "[transition('$C1', 3, 'approve', role='supervisor', actor='marko', op_id='$OPA')]"
cp "$T/batch.json" "$T/approve.json"
expect "approve by supervisor marko: submitted, final_ref, received_at" \
	'r0["status"] == "applied" and r0["case_status"] == "submitted"
	 and re.fullmatch(r"RS-PK-\d{4}-\d{6}", r0["final_ref"])
	 and abs(tm(r0["received_at"]) - time.time()) < 300'
AREV=$(val 'r0["rev"]')
ASEQ=$(val 'r0["seq"]')
AREF=$(val 'r0["final_ref"]')
feed $RS1
expect "the feed: approved_by marko, reply_due 30 days after receipt" \
	"feed['$C1']['status'] == 'submitted'
	 and feed['$C1']['approved_by'] == 'marko'
	 and feed['$C1']['final_ref'] == '$AREF'
	 and tm(feed['$C1']['reply_due'])
	     == (tm(feed['$C1']['received_at']) // DAY + 31) * DAY
	 and feed['$C1']['rev'] == $AREV and feed['$C1']['seq'] == $ASEQ
	 and len(feed['$C1']['documents']) == 1"

# ---- idempotency ------------------------------------------------------------

push_file $RS1 "$T/approve.json"
expect "a retried op gets its stored result: duplicate, same rev and seq" \
	"http == 200 and r0['status'] == 'duplicate' and r0['op_id'] == '$OPA'
	 and r0['rev'] == $AREV and r0['seq'] == $ASEQ
	 and r0['final_ref'] == '$AREF'"
feed $RS1
expect "the retry changed nothing" \
	"feed['$C1']['rev'] == $AREV and feed['$C1']['seq'] == $ASEQ"
push $RS1 "[transition('$C1', 3, 'withdraw', role='supervisor', actor='marko', op_id='$OPA')]"
expect "the same op_id with other fields: 422 problem+json" \
	'http == 422 and hdrs["content-type"].startswith("application/problem+json")
	 and data["type"] == "urn:rcms:problem:op-id-reused"
	 and data["status"] == 422'
push $RS1 "[transition('$C1', 3, 'approve', role='supervisor', actor='ivan', op_id='$OPA')]"
expect "the same op_id from another actor: 422" \
	'http == 422 and data["type"] == "urn:rcms:problem:op-id-reused"'
OPU=$(newid)
push $RS1 "[case_update('$C3X', 1, {'sex': 'M'}, op_id='$OPU')]"
push $RS1 "[case_update('$C3X', 1, {'sex': 'F'}, op_id='$OPU')]"
expect "the same op_id with another value: 422" 'http == 422'
OPR=$(newid)
push $RS1 "[transition('$C1', $AREV, 'submit', op_id='$OPR')]"
expect "a step the state does not allow: rejected" \
	'r0["status"] == "rejected" and problem(r0) == "invalid-transition"'
push $RS1 "[transition('$C1', $AREV, 'submit', op_id='$OPR')]"
expect "a retried rejected op gets the same rejection back" \
	"r0['status'] == 'rejected' and r0['op_id'] == '$OPR'
	 and problem(r0) == 'invalid-transition'"

# ---- field-level merge and conflicts ---------------------------------------

C2=$(newid)
push $RS1 "[case_create('$C2')]"
push $RS2 "[case_update('$C2', 1, {'given_names': 'IMRAN ALI'})]"
expect "W02 updates given_names on rev 1: applied, rev 2" \
	'r0["status"] == "applied" and r0["rev"] == 2'
push $RS1 "[case_update('$C2', 1, {'birth_place': 'LAHORE'})]"
expect "W01 updates birth_place on stale rev 1: merged, rev 3" \
	'r0["status"] == "applied" and r0["rev"] == 3 and r0["merged"] is True'
feed $RS1
expect "both merged changes are in the case" \
	"feed['$C2']['given_names'] == 'IMRAN ALI'
	 and feed['$C2']['birth_place'] == 'LAHORE' and feed['$C2']['rev'] == 3
	 and feed['$C2']['field_revs']['given_names'] == 2
	 and feed['$C2']['field_revs']['birth_place'] == 3"
push $RS2 "[case_update('$C2', 1, {'birth_place': 'KARACHI'})]"
expect "W02 updates birth_place on stale rev 1: conflict, the server's value" \
	'r0["status"] == "conflict" and r0["fields"]["birth_place"]["server"] == "LAHORE"
	 and r0["fields"]["birth_place"]["rev"] == 3'
push $RS2 "[case_update('$C2', 3, {'birth_place': 'KARACHI'})]"
expect "the same change on the current rev: applied" \
	'r0["status"] == "applied" and r0["rev"] == 4'
feed $RS1
expect "the conflict changed nothing, the resolution did" \
	"feed['$C2']['birth_place'] == 'KARACHI' and feed['$C2']['rev'] == 4"

# ---- ownership and the state machine ----------------------------------------

push $PK "[case_update('$C1', $AREV, {'surnames': 'SMITH'}, actor='pk1')]"
expect "PK writes surnames: rejected, not the owner" \
	'r0["status"] == "rejected" and problem(r0) == "not-owner"'
push $PK "[transition('$C1', $AREV, 'submit', actor='pk1')]"
expect "PK submits RS's case: rejected" 'r0["status"] == "rejected"'
push $PK "[transition('$C1', $AREV, 'withdraw', actor='pk1', reason='no')]"
expect "PK withdraws RS's application: rejected, not the owner" \
	'r0["status"] == "rejected" and problem(r0) == "not-owner"'
push $RS1 "[transition('$C1', $AREV, 'accept')]"
expect "RS accepts its own application: rejected, not the owner" \
	'r0["status"] == "rejected" and problem(r0) == "not-owner"'
push $PK "[case_create('$(newid)', agency='RS-MUP', actor='pk1')]"
expect "PK creates a case in RS-MUP's name: rejected, not the owner" \
	'r0["status"] == "rejected" and problem(r0) == "not-owner"'
C3=$(newid)
push $RS1 "[case_create('$C3'), transition('$C3', 1, 'accept')]"
expect "accept a draft: rejected, invalid transition" \
	'r[0]["status"] == "applied" and r[1]["status"] == "rejected"
	 and problem(r[1]) == "invalid-transition"'
push $RS1 "[case_update('$C1', $AREV, {'surnames': 'SMITH'})]"
expect "RS edits an application after sending it: rejected" \
	'r0["status"] == "rejected" and problem(r0) == "invalid-transition"'
push $RS1 "[case_update('$C3', 1, {'status': 'accepted'})]"
expect "an update of a read-only field: rejected" \
	'r0["status"] == "rejected" and problem(r0) == "invalid-field"'
push $RS1 "[case_update('$C3', 1, {'birth_date': '2999-01'})]"
expect "an invalid value (birth date in the future): rejected" \
	'r0["status"] == "rejected" and problem(r0) == "invalid-field"'
push $RS1 "[{'op_id': 'NOT-A-UUID', 'type': 'case.update'}, case_update('$C3', 1, {'sex': 'F'})]"
expect "a malformed op is rejected, the next one still applies" \
	'http == 200 and r[0]["status"] == "rejected" and problem(r[0]) == "invalid-op"
	 and r[1]["status"] == "applied"'

push $RS1 "[dict(case_update('$C3', 1, {'sex': 'M'}), base_rev=1e300),
	dict(case_update('$C3', 1, {'sex': 'M'}), base_rev=1.5)]"
expect "a base_rev that is no revision (1e300, 1.5): rejected as malformed" \
	'http == 200 and [problem(x) for x in r] == ["invalid-op", "invalid-op"]'
C3D=$(newid)
push $RS1 "[case_create('$C3D', documents=[{'id': uuid7(), 'type': 'passport',
	'number': 'AB1234567', 'issuing_state': 'XXX'}])]"
expect "a case.create with an invalid document: rejected" \
	'r0["status"] == "rejected" and problem(r0) == "invalid-field"'
feed $RS1
expect "... and no case is left behind" "'$C3D' not in feed"
# a rejection after the operation wrote (its first document): undone
# whole, in a batch whose other operations stand, their seq unbroken
CA=$(newid) CB=$(newid) CC=$(newid) DB1=$(newid)
push $RS1 "[case_create('$CA'), case_create('$CB', documents=[
	{'id': '$DB1', 'type': 'passport', 'number': 'AB7654321',
	 'issuing_state': 'SRB'},
	{'id': uuid7(), 'type': 'passport', 'number': 'AB1234567',
	 'issuing_state': 'XXX'}]), case_create('$CC')]"
expect "a batch whose middle case.create has a bad second document:
    applied, rejected, applied; the seq unbroken" \
	'[x["status"] for x in r] == ["applied", "rejected", "applied"]
	 and problem(r[1]) == "invalid-field" and r[2]["seq"] == r[0]["seq"] + 1'
feed $RS1
expect "... the two cases are in the feed, the rejected one is not" \
	"'$CA' in feed and '$CC' in feed and '$CB' not in feed"
push $RS1 "[case_create('$(newid)', documents=[{'id': '$DB1',
	'type': 'passport', 'number': 'AB7654321', 'issuing_state': 'SRB'}])]"
expect "... nor its first document: its id is free" \
	'r0["status"] == "applied"'

# ---- the requested agency answers -------------------------------------------

push $PK "[transition('$C1', $AREV, 'accept', actor='pk1')]"
expect "PK accepts a submitted case" \
	'r0["status"] == "applied" and r0["case_status"] == "accepted"'
C4=$(newid)
push $RS1 "[case_create('$C4'), transition('$C4', 1, 'submit'),
	transition('$C4', 2, 'approve', role='supervisor', actor='marko')]"
expect "RS sends a second case to PK" \
	'[x["status"] for x in r] == ["applied"] * 3'
push $PK "[transition('$C4', 3, 'reject', actor='pk1')]"
expect "PK rejects without a reason: rejected" \
	'r0["status"] == "rejected" and problem(r0) == "invalid-field"
	 and "reason" in r0["problem"]["detail"]'
push $PK "[transition('$C4', 3, 'extend', actor='pk1', days=3, reason='records')]"
expect "PK extends under EU-PK-2010 (no extension): rejected" \
	'r0["status"] == "rejected" and "no extension" in r0["problem"]["detail"]'
push $PK "[transition('$C4', 3, 'reject', actor='pk1', reason='not a national of Pakistan')]"
expect "PK rejects with a reason" \
	'r0["status"] == "applied" and r0["case_status"] == "rejected"'
feed $PK
expect "PK's feed: the accepted and the rejected case, with the reason" \
	"feed['$C1']['status'] == 'accepted' and feed['$C1']['decided_at']
	 and feed['$C4']['status'] == 'rejected'
	 and feed['$C4']['reason'] == 'not a national of Pakistan'"

C5=$(newid)
push $RS1 "[case_create('$C5', requested='AL-MOI'), transition('$C5', 1, 'submit'),
	transition('$C5', 2, 'approve', role='supervisor', actor='marko')]"
expect "RS sends a case to AL-MOI" '[x["status"] for x in r] == ["applied"] * 3'
push $AL "[transition('$C5', 3, 'extend', actor='al1', days=7, reason='records')]"
expect "AL extends by 7 days (EU-WB allows 6): rejected" \
	'r0["status"] == "rejected" and problem(r0) == "invalid-field"'
push $AL "[transition('$C5', 3, 'extend', actor='al1', days=6)]"
expect "AL extends without a reason: rejected" \
	'r0["status"] == "rejected" and problem(r0) == "invalid-field"'
push $AL "[transition('$C5', 3, 'extend', actor='al1', days=6, reason='checking the civil registry')]"
expect "AL extends by 6 days with a reason" \
	'r0["status"] == "applied" and r0["case_status"] == "extension_requested"'
feed $AL
expect "the extension moves reply_due by 6 days (10 + 6 calendar days)" \
	"feed['$C5']['extension_days'] == 6
	 and tm(feed['$C5']['reply_due'])
	     == (tm(feed['$C5']['received_at']) // DAY + 17) * DAY"
push $AL "[transition('$C5', 4, 'accept', actor='al1')]"
expect "AL accepts after the extension" \
	'r0["status"] == "applied" and r0["case_status"] == "accepted"'

# ---- pull: paging and the cursor ---------------------------------------------

pull $RS1 0 1000
S0=$(val 'data["next"]')
expect "the feed's cursor is the last seq" \
	"http == 200 and data['more'] is False
	 and $S0 == max(c['seq'] for c in data['changes'])"
push $RS1 "[case_create(uuid7(), surnames='PAGE', given_names='N' + chr(65 + i)) for i in range(25)]"
cp "$T/batch.json" "$T/page25.json"
expect "25 cases created" 'http == 200 and [x["status"] for x in r] == ["applied"] * 25'
pull $RS1 "$S0" 10
expect "pull limit=10: 10 changes, more, next = the last seq" \
	'http == 200 and len(data["changes"]) == 10 and data["more"] is True
	 and data["next"] == data["changes"][-1]["seq"]'
since=$S0
n=0
: >"$T/p25"
while [ $n -lt 10 ]; do
	pull $RS1 "$since" 10
	[ "$HTTP" = 200 ] || break
	cat "$OUT" >>"$T/p25"
	echo >>"$T/p25"
	n=$((n + 1))
	since=$(val 'data["next"]')
	[ "$(val 'data["more"]')" = true ] || break
done
py pages "$T/p25" "$OUT"
expect "following next: pages of 10, 10, 5; more until the last" \
	'[len(p["changes"]) for p in data] == [10, 10, 5]
	 and [p["more"] for p in data] == [True, True, False]
	 and all(p["next"] == p["changes"][-1]["seq"] for p in data)'
expect "all 25 cases, none twice, in seq order" \
	'[c["case"]["id"] for p in data for c in p["changes"]]
	     == [o["entity_id"] for o in json.load(open("'"$T/page25.json"'"))["ops"]]
	 and [c["seq"] for p in data for c in p["changes"]]
	     == sorted({c["seq"] for p in data for c in p["changes"]})'
pull $RS1 "$S0" 25
expect "pull limit=25 of 25: all of them, and no more" \
	'http == 200 and len(data["changes"]) == 25 and data["more"] is False'
pull $RS1 "$since" 10
expect "a pull past the end: nothing, the cursor stays" \
	"http == 200 and data['changes'] == [] and data['more'] is False
	 and data['next'] == $since"
for q in "since=-1" "since=abc" "limit=0" "limit=1001" "limit=10x"; do
	req $RS1 GET "/v1/changes?$q"
	expect "pull with $q: 400 problem+json" \
		'http == 400 and hdrs["content-type"].startswith("application/problem+json")'
done

# ---- two workstations at once --------------------------------------------------

pull $RS1 0 1000
S1=$(val 'data["next"]')
mkops "$T/w1.json" "[case_create(uuid7(), ws='W01', surnames='CONCURRENT') for i in range(150)]"
mkops "$T/w2.json" "[case_create(uuid7(), ws='W02', surnames='CONCURRENT') for i in range(150)]"
pids=""
for w in 1 2; do
	curl -sS --max-time 60 --cacert "$PKI/ca.pem" \
		--cert "$(bundle RS-MUP/W0$w)/cert.pem" \
		--key "$(bundle RS-MUP/W0$w)/key.pem" \
		-H 'Content-Type: application/json' --data-binary @"$T/w$w.json" \
		-o "$T/w$w.out" "$URL/v1/ops" 2>"$T/w$w.err" 3>&- 4<&- &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p"
done
cp "$T/w1.out" "$OUT"
HTTP=200
expect "W01 and W02 push 150 cases each at once: W01's all applied" \
	'[x["status"] for x in r] == ["applied"] * 150'
cp "$T/w2.out" "$OUT"
expect "... and W02's all applied" '[x["status"] for x in r] == ["applied"] * 150'
pull $RS1 "$S1" 1000
expect "the feed after them: 300 cases, seqs consecutive, none twice" \
	"len(data['changes']) == 300
	 and [c['seq'] for c in data['changes']] == list(range($S1 + 1, $S1 + 301))
	 and len({c['case']['id'] for c in data['changes']}) == 300"

# ---- hostile bodies ------------------------------------------------------------

bad_body() {
	push_file $RS1 "$2"
	expect "$1: 400 problem+json" \
		'http == 400 and hdrs["content-type"].startswith("application/problem+json")
		 and data["status"] == 400'
}
printf '{"ops": [' >"$T/b1"
bad_body "malformed JSON" "$T/b1"
printf '[{"ops": []}]' >"$T/b2"
bad_body "a JSON array, not an object" "$T/b2"
printf '"ops"' >"$T/b3"
bad_body "a JSON string, not an object" "$T/b3"
pyexec "open('$T/b4', 'w').write('{\"ops\": ' + '[' * 1000 + ']' * 1000 + '}')"
bad_body "1,000 levels of nesting" "$T/b4"
printf '{"ops": [], "x": "\377\376"}' >"$T/b5"
bad_body "invalid UTF-8" "$T/b5"
printf '{"ops": [], "x": "a\000b"}' >"$T/b6"
bad_body "a NUL byte" "$T/b6"
printf '{"ops": {}}' >"$T/b7"
bad_body "ops not an array" "$T/b7"
: >"$T/b8"
bad_body "an empty body" "$T/b8"
pyexec "open('$T/big', 'w').write('{\"ops\": [], \"pad\": \"' + 'a' * (8 << 20) + '\"}')"
push_file $RS1 "$T/big"
expect "a body over 8 MiB: 413 problem+json" \
	'http == 413 and data["type"] == "urn:rcms:problem:body-too-large"'
push_file $RS1 "$T/big" -H 'Transfer-Encoding: chunked'
expect "a chunked body over 8 MiB (no Content-Length): 413" 'http == 413'
pyexec "h = '{\"ops\": [], \"pad\": \"'
open('$T/max', 'w').write(h + 'a' * ((8 << 20) - len(h) - 2) + '\"}')"
push_file $RS1 "$T/max"
expect "a body of exactly 8 MiB: accepted" 'http == 200 and r == []'
push $RS1 "[case_update(uuid7(), 1, {'sex': 'M'}) for i in range(501)]"
expect "501 ops in one batch: 413 problem+json" \
	'http == 413 and data["type"] == "urn:rcms:problem:too-many-ops"'

# ---- routes ---------------------------------------------------------------------

req $RS1 GET /v1/nothing-here
expect "an unknown route: 404 problem+json" \
	'http == 404 and hdrs["content-type"].startswith("application/problem+json")'
req $RS1 GET /v1/ops
expect "GET /v1/ops: 405" 'http == 405 and data["status"] == 405'
req $RS1 DELETE /v1/changes
expect "DELETE /v1/changes: 405" 'http == 405'
req $RS1 POST /v1/whoami -d '{}'
expect "POST /v1/whoami: 405" 'http == 405'

# ---- metrics ------------------------------------------------------------------

req $RS1 GET /metrics
expect "/metrics: Prometheus text with ops by result" \
	'http == 200 and hdrs["content-type"].startswith("text/plain")
	 and int(re.search(r"^rcms_ops_total\{result=\"applied\"\} (\d+)$", text, re.M).group(1)) >= 40
	 and int(re.search(r"^rcms_ops_total\{result=\"duplicate\"\} (\d+)$", text, re.M).group(1)) >= 1
	 and int(re.search(r"^rcms_ops_total\{result=\"conflict\"\} (\d+)$", text, re.M).group(1)) >= 1
	 and int(re.search(r"^rcms_ops_total\{result=\"rejected\"\} (\d+)$", text, re.M).group(1)) >= 10
	 and all(re.fullmatch(r"# (HELP|TYPE) .*|[a-z_]+(\{[a-z_]+=\"[^\"]*\"\})? [0-9.e+-]+", l)
	         for l in text.splitlines())'

# ---- deemed acceptance (moves the clock: last) ---------------------------------

C6=$(newid)
C7=$(newid)
push $RS1 "[case_create('$C6', requested='AL-MOI'), transition('$C6', 1, 'submit'),
	transition('$C6', 2, 'approve', role='supervisor', actor='marko'),
	case_create('$C7'), transition('$C7', 1, 'submit'),
	transition('$C7', 2, 'approve', role='supervisor', actor='marko')]"
expect "RS sends a case to AL-MOI and one to PK-MOI" \
	'[x["status"] for x in r] == ["applied"] * 6'
# 70 more cases to AL-MOI, due at the same instant: more than the
# exchange deems in one go (64)
push $RS1 "sum([[case_create(c, requested='AL-MOI', surnames='DUE'),
	transition(c, 1, 'submit'),
	transition(c, 2, 'approve', role='supervisor', actor='marko')]
	for c in [uuid7() for i in range(70)]], [])"
cp "$T/batch.json" "$T/due70.json"
expect "RS sends 70 more cases to AL-MOI" \
	'http == 200 and [x["status"] for x in r] == ["applied"] * 210'
feed $AL
expect "AL sees it submitted, reply due in 10 calendar days" \
	"feed['$C6']['status'] == 'submitted'
	 and tm(feed['$C6']['reply_due'])
	     == (tm(feed['$C6']['received_at']) // DAY + 11) * DAY
	 and feed['$C6']['deemed_at'] == feed['$C6']['reply_due']"
LATER=$(val "tmtext(tm(feed['$C6']['reply_due']) + 3600)")
# the first request after the deadline: AL rejects the 70 late
push $AL "[transition(o['entity_id'], 3, 'reject', actor='al1', reason='late')
	for o in json.load(open('$T/due70.json'))['ops'] if o['type'] == 'case.create']" \
	-H "X-Test-Now: $LATER"
expect "AL's 70 late rejections: all refused, the cases are deemed accepted" \
	'http == 200 and len(r) == 70
	 and all(problem(x) == "invalid-transition" for x in r)'
pull $RS1 0 1000
expect "after reply_due: all 71 cases to AL-MOI deemed_accepted at once" \
	"http == 200 and all(c['status'] == 'deemed_accepted'
	     for c in feed.values() if c['requested_agency'] == 'AL-MOI'
	     and c['surnames'] == 'DUE')
	 and sum(c['surnames'] == 'DUE' for c in feed.values()) == 70"
expect "after reply_due: deemed_accepted in RS's feed" \
	"http == 200 and feed['$C6']['status'] == 'deemed_accepted'"
expect "... while PK's 30 days have not passed: still submitted" \
	"feed['$C7']['status'] == 'submitted'"
feed $AL
expect "deemed_accepted in AL's feed" \
	"feed['$C6']['status'] == 'deemed_accepted'
	 and tm(feed['$C6']['decided_at']) >= tm(feed['$C6']['reply_due'])"
DREV=$(val "feed['$C6']['rev']")
push $AL "[transition('$C6', $DREV, 'accept', actor='al1')]"
expect "AL's accept after the deadline: rejected, invalid transition" \
	'r0["status"] == "rejected" and problem(r0) == "invalid-transition"'
push $RS1 "[transition('$C6', $DREV, 'deem', role='supervisor', actor='marko')]"
expect "a workstation cannot deem: rejected" 'r0["status"] == "rejected"'

xstop "exchange with the test clock stops"

# ---- without test_clock, X-Test-Now is ignored ------------------------------

sed 's/^test_clock = yes$/test_clock = no/' "$XCONF" >"$XCONF.new" &&
	mv "$XCONF.new" "$XCONF"
xstart
LATER=$(val "tmtext(time.time() + 90 * DAY)")
pull $RS1 0 1000 -H "X-Test-Now: $LATER"
expect "test_clock = no: X-Test-Now is ignored (PK's case still submitted)" \
	"http == 200 and feed['$C7']['status'] == 'submitted'"
xstop
summary
