#!/bin/sh
# audit_push.sh - the workstation's audit entries pushed to the exchange
# (issue 8): after a sync the exchange holds RS's entries, the same count
# and hashes; the next sync sends only the new ones; a local log rewritten
# so that `rcms audit verify` passes (triggers dropped, an entry changed,
# its hash, every later hash and the head record recomputed) makes the
# next sync fail with exit 65, saying the exchange's copy differs, and the
# exchange stores nothing of it; 1,500 new entries go in two batches; a
# batch that breaks the chain is refused with 409, hostile ones with the
# right 4xx; another agency's workstation reads none of RS's entries, and
# `rcms audit list --exchange` shows the copy to supervisors only.
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/sync/lib.sh"

sync_setup

XDB=$XDATA/exchange.db
xsql() {
	sqlite3 -batch -cmd '.timeout 5000' "$XDB" "$1"
}

# the exchange's copy of RS W01 and the local log, up to the last entry
# sent (meta audit_pushed_seq), as "seq hash" lines
xcopy() {
	xsql "SELECT seq || ' ' || hash FROM audit WHERE agency = 'RS-MUP'
		AND workstation = 'W01' ORDER BY seq"
}
pushed() {
	sql "SELECT value FROM meta WHERE key = 'audit_pushed_seq'"
}
local_upto() {
	sql "SELECT seq || ' ' || hash FROM audit WHERE seq <= $1 ORDER BY seq"
}

at RS ana
ok "RS: case new" "$RCMS" case new surnames=Khan given_names=Imran sex=M \
	birth_date=1990-03-04 nationality=PAK requested_agency=PK-MOI \
	evidence_basis=proof
synced RS "the first"
P1=$(pushed)
N1=$(xcopy | wc -l)
check "RS: the exchange holds the entries up to audit_pushed_seq" \
	"pushed '$P1', exchange holds $N1" [ -n "$P1" ] && [ "$N1" -eq "$P1" ]
check "RS: the exchange's copy has the same seq and hashes" \
	"they differ" [ "$(xcopy)" = "$(local_upto "$P1")" ]
check "RS: more than a few entries (init, users, login, case)" \
	"$N1 entries" [ "$N1" -ge 5 ]
check "the exchange's copy is append-only" "an UPDATE was taken" \
	sh -c "! sqlite3 '$XDB' \"UPDATE audit SET actor = 'x' WHERE seq = 1\" 2>/dev/null"

# a second sync sends only the new ones: the copy grows by what was
# added locally, the old rows keep their received time
RECV1=$(xsql "SELECT max(received_at) FROM audit WHERE seq <= $P1")
ok "RS: case list (an entry more)" "$RCMS" case list
synced RS "the second"
P2=$(pushed)
N2=$(xcopy | wc -l)
check "RS: the second sync added the new entries only" \
	"pushed $P1 -> '$P2', exchange $N1 -> $N2" \
	[ "$P2" -gt "$P1" ] && [ "$N2" -eq "$P2" ]
check "RS: the copy still matches the local log" "they differ" \
	[ "$(xcopy)" = "$(local_upto "$P2")" ]
check "RS: the first entries were not sent again" "received_at changed" \
	[ "$(xsql "SELECT max(received_at) FROM audit WHERE seq <= $P1")" = "$RECV1" ]
synced RS "with nothing new but its own entries"

# ---- reading: the agency's own workstations only ---------------------------

req RS-MUP/W01 GET "/v1/audit?workstation=W01&since=0&limit=1000"
check "GET /v1/audit: RS reads its workstation's entries" "HTTP $HTTP" \
	[ "$HTTP" = 200 ]
GOT=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
for e in d["entries"]: print(e["seq"], e["hash"])' "$OUT")
check "GET /v1/audit: the same entries as the exchange holds" "differ" \
	[ "$GOT" = "$(xcopy)" ]
req PK-MOI/W01 GET "/v1/audit?workstation=W01&since=0"
check "GET /v1/audit: PK (another agency) reads none of RS's" \
	"HTTP $HTTP: $(cat "$OUT")" \
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
assert all(e["actor"] != "ana" for e in d["entries"])
assert not any(e["action"] == "case.create" for e in d["entries"])' "$OUT"
# the command line: supervisors only (audit.read), the exchange's copy as
# `audit list` shows the local log
at RS marko
ok "RS: a supervisor lists the exchange's copy" "$RCMS" audit list --exchange
check "RS: audit list --exchange shows every entry the exchange holds" \
	"$(wc -l <"$OUT") lines, exchange $(xcopy | wc -l)" \
	[ "$(wc -l <"$OUT")" -eq "$(xcopy | wc -l)" ]
check "RS: its lines are those of the local audit list, entry for entry" \
	"differ" sh -c "'$RCMS' audit list 2>/dev/null | head -n $(xcopy | wc -l) | diff - '$OUT' >/dev/null"
ok "RS: audit list --exchange W01 (named)" "$RCMS" audit list --exchange W01
check "RS: the same lines" "$(wc -l <"$OUT")" \
	[ "$(wc -l <"$OUT")" -eq "$(xcopy | wc -l)" ]
at RS ana
fails "RS: an officer may not list it (audit.read)" 77 "supervisor" \
	"$RCMS" audit list --exchange
at PK sana
ok "PK: a supervisor of another agency asks for W01" "$RCMS" audit list --exchange W01
check "PK: sees its own W01's entries, none of RS's" "$(cat "$OUT")" \
	sh -c "! grep -q ' ana ' '$OUT' && ! grep -q 'case.create' '$OUT'"
at RS ana

req RS-MUP/W01 GET "/v1/audit?since=0"
check "GET /v1/audit without a workstation: 400" "HTTP $HTTP" [ "$HTTP" = 400 ]

# ---- more than one batch: 1,500 entries added (as many logins would) -------

at RS ana
python3 -c 'import sqlite3,sys,hashlib
db = sqlite3.connect(sys.argv[1])
n = lambda x: "%d:%s" % (len(x.encode()), x)
seq, prev = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
for i in range(1500):
    seq += 1
    b = "rcms-audit-v1\n%d\n%d\n%s\n%s\n%s\n%s\n%s\n" % (seq, 1795860000 + i, n("ana"), n("login"), n(""), n(""), prev)
    h = hashlib.sha256(b.encode()).hexdigest()
    db.execute("INSERT INTO audit(seq, at, actor, action, case_id, detail, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?)",
               (seq, 1795860000 + i, "ana", "login", "", "", prev, h))
    prev = h
db.execute("UPDATE meta SET value = ? WHERE key = ?", ("%d %s" % (seq, prev), "audit_head"))
db.commit()' "$RCMS_HOME/rcms.db"
ok_has "RS: 1,500 more entries verify" "audit log intact" "$RCMS" audit verify
synced RS "1,500 entries more: two batches"
P3=$(pushed)
check "RS: all of them reached the exchange, in batches of 1000" \
	"pushed '$P3', exchange holds $(xcopy | wc -l)" \
	[ "$P3" -ge $((P2 + 1500)) ] && [ "$(xcopy | wc -l)" -eq "$P3" ]
check "RS: the copy matches the local log" "they differ" \
	[ "$(xcopy)" = "$(local_upto "$P3")" ]

# ---- the exchange restored from an older backup, then emptied --------------
# Its copy ends before what RS sent: the next sync sends again from where
# it ends (once), the copy is whole again, and RS's log says so.

xstop "the exchange goes down to be restored"
xsql "DROP TRIGGER audit_no_delete;
      DELETE FROM audit WHERE agency = 'RS-MUP' AND workstation = 'W01'
        AND seq > 100;" >/dev/null
xstart
at RS ana
synced RS "after the exchange lost entries 101 on"
check "RS: the exchange's copy is whole again" \
	"pushed '$(pushed)', exchange holds $(xcopy | wc -l)" \
	[ "$(xcopy)" = "$(local_upto "$(pushed)")" ]
check "RS: its log says the entries were sent again, from 101" \
	"$(sql "SELECT detail FROM audit WHERE action = 'sync.audit_resent'")" \
	[ "$(sql "SELECT count(*) FROM audit WHERE action = 'sync.audit_resent' AND detail LIKE 'the exchange holds entries 1 to 100 of%sent again from entry 101'")" = 1 ]
xstop "the exchange goes down and comes back empty of RS's audit copy"
xsql "DELETE FROM audit WHERE agency = 'RS-MUP' AND workstation = 'W01';" \
	>/dev/null
xstart
synced RS "after the exchange lost the whole copy"
check "RS: the whole log is at the exchange again" \
	"pushed '$(pushed)', exchange holds $(xcopy | wc -l)" \
	[ "$(xcopy)" = "$(local_upto "$(pushed)")" ] && [ "$(xcopy | wc -l)" -gt 1500 ]
xstop "the copy is append-only again"
xsql "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
      BEGIN SELECT RAISE(ABORT, 'the audit copy is append-only'); END;" \
	>/dev/null
xstart

# ---- hostile batches: the right 4xx, nothing stored --------------------------

LAST=$(xsql "SELECT max(seq) FROM audit WHERE agency = 'RS-MUP' AND workstation = 'W01'")
python3 -c 'import json,sys
last, out = int(sys.argv[1]), sys.argv[2]
z = "0" * 64
e = lambda seq, **kw: dict({"seq": seq, "at": 1, "actor": "a", "action": "login",
    "case_id": "", "detail": "", "prev_hash": z, "hash": z}, **kw)
json.dump({"from": last, "from_hash": z, "entries": [e(last + 1 + i) for i in range(1001)]}, open(out + ".many", "w"))
json.dump({"from": last, "from_hash": z, "entries": [e(last + 1, hash="XYZ")]}, open(out + ".hash", "w"))
json.dump({"from": last, "from_hash": z, "entries": [e(last + 1, detail="d" * 600)]}, open(out + ".long", "w"))
json.dump({"from_hash": z, "entries": []}, open(out + ".nofrom", "w"))
json.dump({"from": -1, "from_hash": z, "entries": []}, open(out + ".neg", "w"))
json.dump({"from": last, "from_hash": z, "entries": [e(last + 1, actor="x\u0027; DROP TABLE audit; --")]}, open(out + ".sql", "w"))' \
	"$LAST" "$T/hostile"
for k in many:413 hash:400 long:400 nofrom:400 neg:400 sql:409; do
	f=${k%%:*}
	want=${k#*:}
	req RS-MUP/W01 POST /v1/audit -H 'Content-Type: application/json' \
		--data-binary @"$T/hostile.$f"
	check "POST /v1/audit, hostile ($f): $want" "HTTP $HTTP: $(cat "$OUT")" \
		[ "$HTTP" = "$want" ]
done
check "POST /v1/audit, hostile: nothing stored, the table is there" "max seq changed" \
	[ "$(xsql "SELECT max(seq) FROM audit WHERE agency = 'RS-MUP' AND workstation = 'W01'")" = "$LAST" ]

# ---- a batch that breaks the chain: refused, nothing stored ----------------

LAST=$(xsql "SELECT max(seq) FROM audit WHERE agency = 'RS-MUP' AND workstation = 'W01'")
LASTH=$(xsql "SELECT hash FROM audit WHERE agency = 'RS-MUP' AND workstation = 'W01' AND seq = $LAST")
python3 -c 'import json,sys,hashlib
last, h = int(sys.argv[1]), sys.argv[2]
n = lambda x: "%d:%s" % (len(x.encode()), x)
def ent(seq, prev, actor="ana"):
    b = "rcms-audit-v1\n%d\n%d\n%s\n%s\n%s\n%s\n%s\n" % (seq, 1, n(actor), n("login"), n(""), n(""), prev)
    return {"seq": seq, "at": 1, "actor": actor, "action": "login", "case_id": "",
            "detail": "", "prev_hash": prev, "hash": hashlib.sha256(b.encode()).hexdigest()}
a = ent(last + 1, h)
b = ent(last + 2, a["hash"])
b["actor"] = "mallory"  # content changed, hash not
json.dump({"from": last, "from_hash": h, "entries": [a, b]}, open(sys.argv[3] + ".broken", "w"))
g = ent(last + 2, "0" * 64)
json.dump({"from": last + 1, "from_hash": "0" * 64, "entries": [g]}, open(sys.argv[3] + ".gap", "w"))
w = ent(last + 1, "f" * 64)
json.dump({"from": last, "from_hash": "f" * 64, "entries": [w]}, open(sys.argv[3] + ".mismatch", "w"))' \
	"$LAST" "$LASTH" "$T/batch"
for k in broken gap mismatch; do
	req RS-MUP/W01 POST /v1/audit -H 'Content-Type: application/json' \
		--data-binary @"$T/batch.$k"
	check "POST /v1/audit, chain $k: 409 audit-$k" "HTTP $HTTP: $(cat "$OUT")" \
		[ "$HTTP" = 409 ] && grep -q "audit-$k" "$OUT"
	check "POST /v1/audit, chain $k: nothing stored" "the copy grew" \
		[ "$(xsql "SELECT max(seq) FROM audit WHERE agency = 'RS-MUP' AND workstation = 'W01'")" = "$LAST" ]
done

# ---- the local log rewritten, verify passes, the exchange tells ------------

at RS ana
PB=$(pushed)
K=3
python3 -c 'import sqlite3,sys,hashlib
db = sqlite3.connect(sys.argv[1])
k = int(sys.argv[2])
db.execute("DROP TRIGGER audit_no_update")
db.execute("DROP TRIGGER audit_no_delete")
n = lambda x: "%d:%s" % (len(x.encode()), x)
rows = db.execute("SELECT seq, at, actor, action, case_id, detail, prev_hash FROM audit WHERE seq >= ? ORDER BY seq", (k,)).fetchall()
prev = rows[0][6]
for seq, at, actor, action, case, detail, _ in rows:
    if seq == k:
        detail = "rewritten"
    b = "rcms-audit-v1\n%d\n%d\n%s\n%s\n%s\n%s\n%s\n" % (seq, at, n(actor), n(action), n(case), n(detail), prev)
    h = hashlib.sha256(b.encode()).hexdigest()
    db.execute("UPDATE audit SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?", (detail, prev, h, seq))
    prev, last = h, seq
db.execute("UPDATE meta SET value = ? WHERE key = ?", ("%d %s" % (last, prev), "audit_head"))
db.commit()' "$RCMS_HOME/rcms.db" "$K"
ok_has "RS: the rewritten log verifies locally" "audit log intact" \
	"$RCMS" audit verify
BEFORE=$(xcopy)
fails "RS: the next sync fails with 65: the exchange's copy differs" 65 \
	"no longer matches the copy the exchange holds" "$RCMS" sync
check "RS: the message names the entry the exchange holds otherwise" \
	"$(cat "$ERR")" grep -q "entry $PB differs" "$ERR"
check "RS: the exchange's copy is unchanged" "it changed" \
	[ "$(xcopy)" = "$BEFORE" ]
fails "RS: and the one after that too" 65 \
	"no longer matches the copy the exchange holds" "$RCMS" sync

summary
