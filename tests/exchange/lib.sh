# lib.sh - helpers shared by the exchange tests (tests/exchange/*.sh): the
# real rcms-exchange over real HTTPS with client certificates, a throwaway
# CA made here, a random loopback port; curl speaks HTTP, python3 reads and
# writes the JSON.
#
# Sourced, not run:  . "$ROOT/tests/exchange/lib.sh"
#
# The runner (tests/run.sh) sets RCMS_EXCHANGE (the binary under test),
# BUILD, ROOT and TMPROOT (a scratch folder for this script).  By hand:
#   RCMS_EXCHANGE=build/x/bin/rcms-exchange sh tests/exchange/api.sh
#
# Every check prints one line, "PASS: name" or "FAIL: name — why"; details
# follow on indented lines, which the runner does not count.
#
#   xsetup                 the CA ($PKI) and the exchange's certificate,
#                          workstation certificates for RS-MUP/W01,
#                          RS-MUP/W02, PK-MOI/W01, AL-MOI/W01, the
#                          configuration ($XCONF), agencies and reference data
#   xstart / xstop         start the exchange (waits for its port file; sets
#                          PORT and URL) / SIGTERM, wait, and check that it
#                          exited 0 without a sanitizer report
#   xkill                  kill -9 the exchange and reap it
#   req WHO METHOD PATH [CURL ARGS...]
#                          one request; WHO is AGENCY/WS (its bundle), a
#                          bundle folder (absolute path) or - (no client
#                          certificate).  Body in $OUT, headers in $HDRS,
#                          status in $HTTP ("000": no HTTP answer; curl's
#                          exit status in $CURLRC)
#   push WHO 'PYTHON LIST' [CURL ARGS...]
#                          build a batch of operations (see ops.py below)
#                          and POST it to /v1/ops; the batch is kept in
#                          $T/batch.json
#   push_file WHO FILE     POST FILE to /v1/ops as it is
#   pull WHO SINCE LIMIT   GET /v1/changes
#   feed WHO               follow /v1/changes from 0 to the end: every page's
#                          changes as one {"changes": [...]} in $OUT
#   expect NAME 'PYTHON'   a check: the expression is true of the last answer
#                          (data: the JSON body or None, http: the status,
#                          text: the body, hdrs: the headers lowercased,
#                          r: data["results"], r0: r[0]; see ops.py)
#   val 'PYTHON'           print a value of the last answer (nothing, and
#                          a note on stderr, if the expression fails)
#   newid                  print a fresh UUID (v7 layout, lowercase)
#   pyexec 'PYTHON'        run statements (with the builders), for test data
#   py CMD ARGS...         one raw request to the Python helper
#   issue AGENCY/WS        one more workstation certificate from the test CA
#   pki ARGS...            `rcms-exchange pki ARGS` (log: $TMPROOT/pki.log)
#   bundle AGENCY/WS       the folder of its cert.pem and key.pem
#   xwait                  wait (20 s at most) for the exchange to end; XRC
#   sanitized LOG          the log has no sanitizer report
#   pass / fail / check    as in tests/cli/lib.sh
#   summary                the last line; exit status 1 after a failure
#
# JSON is read and written by one python3 process (ops.py, written to
# $TMPROOT) that runs beside the script behind two FIFOs, since starting
# python3 for every check costs seconds over a script.  The exchange logs
# each start to $TMPROOT/exchange.N.log ($XLOG).
#
# Run directly (tests/run.sh runs every tests/exchange/*.sh), it tests these
# helpers, so that a broken harness cannot pass everything.

set -u

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${RCMS_EXCHANGE:-}" ]; then
	echo "FAIL: setup — RCMS_EXCHANGE is not set (the exchange to test)"
	exit 1
fi
case $RCMS_EXCHANGE in
/*) ;;
*) RCMS_EXCHANGE=$(cd "$(dirname "$RCMS_EXCHANGE")" && pwd)/$(basename "$RCMS_EXCHANGE") ;;
esac
if [ ! -x "$RCMS_EXCHANGE" ]; then
	echo "FAIL: setup — $RCMS_EXCHANGE is not an executable"
	exit 1
fi
for _L_tool in curl openssl python3 sqlite3; do
	if ! command -v "$_L_tool" >/dev/null 2>&1; then
		echo "FAIL: setup — $_L_tool is not installed"
		exit 1
	fi
done
export RCMS_EXCHANGE

XPID=""

# Never leave an exchange behind: ours only, by its process id.
xcleanup() {
	if [ -n "$XPID" ] && kill -0 "$XPID" 2>/dev/null; then
		kill -9 "$XPID" 2>/dev/null
		wait "$XPID" 2>/dev/null
	fi
	XPID=""
}

# A scratch folder: the runner's, or our own (removed on exit).
if [ -n "${TMPROOT:-}" ]; then
	case $(cd "$TMPROOT" 2>/dev/null && pwd) in
	/ | "$ROOT" | "${HOME:-/}")
		echo "FAIL: setup — TMPROOT=$TMPROOT would be emptied"
		exit 1 ;;
	esac
	rm -rf "$TMPROOT"
	mkdir -p "$TMPROOT"
	TMPROOT=$(cd "$TMPROOT" && pwd)
	trap 'xcleanup' EXIT
else
	TMPROOT=$(mktemp -d "${TMPDIR:-/tmp}/rcms-exchange.XXXXXX")
	trap 'xcleanup; rm -rf "$TMPROOT"' EXIT
fi
trap 'exit 130' INT TERM
T=$TMPROOT/t          # answers of the last request
PKI=$TMPROOT/pki      # the throwaway CA
XCONF=$TMPROOT/exchange.conf
XDATA=$TMPROOT/data
XPORTFILE=$TMPROOT/port
mkdir -p "$T"
OUT=$T/out
ERR=$T/err
HDRS=$T/hdrs
: >"$OUT"
: >"$ERR"
: >"$HDRS"
HTTP=000
CURLRC=0
XN=0
XLOG=$TMPROOT/exchange.0.log
PORT=0
URL=https://127.0.0.1:0

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
HOME=$TMPROOT
TZ=UTC
LC_ALL=C.UTF-8
export HOME TZ LC_ALL
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

NPASS=0
NFAIL=0

pass() {
	NPASS=$((NPASS + 1))
	echo "PASS: $1"
}

# fail NAME WHY: the last answer follows, indented.
fail() {
	NFAIL=$((NFAIL + 1))
	echo "FAIL: $1 — $2"
	echo "    last request: HTTP $HTTP (curl exit $CURLRC)"
	if [ -s "$OUT" ]; then
		head -c 1500 "$OUT" | head -n 15 | sed 's/^/    body: /'
		echo
	fi
	if [ -s "$ERR" ]; then
		head -n 5 "$ERR" | sed 's/^/    curl: /'
	fi
	return 1
}

check() {
	_L_name=$1
	_L_why=$2
	shift 2
	if "$@"; then
		pass "$_L_name"
	else
		NFAIL=$((NFAIL + 1))
		echo "FAIL: $_L_name — $_L_why"
		return 1
	fi
}

summary() {
	echo "# $NPASS passed, $NFAIL failed"
	[ "$NFAIL" -eq 0 ]
}

# ---- the operations, in Python -------------------------------------------
#
# Builders mirror what the workstation writes to its outbox (db/case.c,
# db/attach.c): the op object is {op_id, type, entity_id, base_rev, fields,
# actor, device_time}, with fields as below.

XPY=$TMPROOT/ops.py
cat >"$XPY" <<'PY'
import base64, calendar, hashlib, json, os, random, re, sys, time, uuid as _uuid

def uuid7():
    """A UUIDv7: 48 bits of Unix milliseconds, version 7, variant 10."""
    ms = int(time.time() * 1000) & ((1 << 48) - 1)
    v = (ms << 80) | (7 << 76) | (random.getrandbits(12) << 64) \
        | (2 << 62) | random.getrandbits(62)
    return str(_uuid.UUID(int=v))

AGREEMENT = {"PK": "EU-PK-2010", "AF": "EU-AF-JWF", "BD": "EU-BD-SOP"}
STEPS = {"submit": ("draft", "awaiting_approval"),
         "approve": ("awaiting_approval", "submitted"),
         "return": ("awaiting_approval", "draft"),
         "extend": ("submitted", "extension_requested"),
         "accept": ("submitted", "accepted"),
         "reject": ("submitted", "rejected")}

def op(type, entity, base, fields, actor="ana", op_id=None):
    return {"op_id": op_id or uuid7(), "type": type, "entity_id": entity,
            "base_rev": base, "fields": fields, "actor": actor,
            "device_time": int(time.time())}

def case_create(case_id, requested="PK-MOI", agency="RS-MUP", ws="W01",
                actor="ana", op_id=None, documents=None, **extra):
    """case.create as db_case_create writes it (local_ref,
    requesting_agency, created_by, the set application fields, documents)."""
    f = {"local_ref": "%s-%s-%04d-%06d" % (agency, ws, time.gmtime().tm_year,
                                            random.randrange(1, 999999)),
         "requesting_agency": agency, "created_by": actor,
         "requested_agency": requested,
         "agreement": AGREEMENT.get(requested[:2], "EU-WB-2007"),
         "procedure": "normal", "evidence_basis": "proof",
         "surnames": "KHAN", "given_names": "IMRAN", "sex": "unknown",
         "civil_status": "unknown", "birth_date": "1990-03",
         "nationality": "PAK"}
    f.update(extra)
    if documents is None:
        documents = [{"id": uuid7(), "type": "passport",
                      "number": "AB1234567", "issuing_state": "PAK"}]
    f["documents"] = documents
    return op("case.create", case_id, 0, f, actor, op_id)

def case_update(case_id, base, fields, actor="ana", op_id=None):
    return op("case.update", case_id, base, {"fields": fields}, actor, op_id)

def transition(case_id, base, action, role="officer", actor="ana",
               op_id=None, **extra):
    """case.transition: action, role, from, to, and reason, days,
    travel_doc_number or transfer_date when the step needs them."""
    f = {"action": action, "role": role}
    if action in STEPS:
        f["from"], f["to"] = STEPS[action]
    f.update(extra)
    return op("case.transition", case_id, base, f, actor, op_id)

def note_add(case_id, base, text, actor="ana", note_id=None, op_id=None):
    return op("note.add", case_id, base,
              {"note_id": note_id or uuid7(), "text": text}, actor, op_id)

def attachment_link(case_id, base, sha256, kind="scan",
                    filename="scan.pdf", mime="application/pdf", size=1234,
                    actor="ana", attachment_id=None, op_id=None):
    return op("attachment.link", case_id, base,
              {"attachment_id": attachment_id or uuid7(), "sha256": sha256,
               "kind": kind, "filename": filename, "mime": mime,
               "size": size}, actor, op_id)

def document_add(case_id, base, type="passport", number="CD7654321",
                 issuing_state="PAK", actor="ana", doc_id=None, op_id=None,
                 **extra):
    f = {"id": doc_id or uuid7(), "type": type, "number": number,
         "issuing_state": issuing_state}
    f.update(extra)
    return op("document.add", case_id, base, f, actor, op_id)

def sha256hex(b):
    return hashlib.sha256(b).hexdigest()

def tm(s):
    """The exchange's time text, 2026-01-31T12:00:00Z, as Unix seconds."""
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))

def tmtext(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))

DAY = 86400

# ---- reading answers ----

def load(path):
    raw = open(path, "rb").read()
    text = raw.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    return data, text

def headers(path):
    h = {}
    try:
        for line in open(path, encoding="latin-1"):
            if ":" in line:
                k, v = line.split(":", 1)
                h[k.strip().lower()] = v.strip()
    except OSError:
        pass
    return h

def cases(data):
    """The cases of a feed answer, by id."""
    return {c["case"]["id"]: c["case"] for c in (data or {}).get("changes", [])}

def problem(res):
    return ((res or {}).get("problem") or {}).get("type", "").rsplit(":", 1)[-1]

def env(data, text, http, hdrs):
    g = dict(globals())
    r = (data or {}).get("results") if isinstance(data, dict) else None
    g.update(data=data, text=text, http=http, hdrs=hdrs, r=r or [],
             r0=(r[0] if r else {}), feed=cases(data) if isinstance(data, dict) else {},
             E=os.environ)
    return g

def answer(cmd, a):
    """One request of the shell: returns (status, one line of text)."""
    if cmd == "uuid":
        return 0, uuid7()
    if cmd == "mkops":            # FILE EXPRFILE
        v = eval("(" + open(a[1]).read() + "\n)", dict(globals()))
        if isinstance(v, (list, tuple)):
            v = {"ops": list(v)}
        with open(a[0], "w") as f:
            json.dump(v, f)
        return 0, "ok"
    if cmd in ("check", "val"):   # OUT HTTP HDRS EXPRFILE
        data, text = load(a[0])
        g = env(data, text, int(a[1]), headers(a[2]))
        v = eval("(" + open(a[3]).read() + "\n)", g)
        if cmd == "val":
            return 0, str(v).lower() if isinstance(v, bool) else str(v)
        return (0 if v else 1), "false"
    if cmd == "pages":            # IN OUT: JSON documents a line -> a list
        with open(a[1], "w") as f:
            json.dump([json.loads(l) for l in open(a[0]) if l.strip()], f)
        return 0, "ok"
    if cmd == "merge":            # IN OUT: the pages of feed() as one
        out = {"changes": [], "pages": 0}
        for l in open(a[0]):
            if l.strip():
                out["changes"] += json.loads(l)["changes"]
                out["pages"] += 1
        with open(a[1], "w") as f:
            json.dump(out, f)
        return 0, "ok"
    if cmd == "exec":             # EXPRFILE: statements, for test data
        exec(open(a[0]).read(), dict(globals()))
        return 0, "ok"
    return 2, "unknown command " + cmd

if __name__ == "__main__":
    # One process for the whole script (a python3 start costs 0.1 s or
    # more): requests are lines of tab-separated words on stdin, each
    # answered by one line "STATUS TEXT" on stdout.
    while True:
        line = sys.stdin.readline()
        if not line:
            break
        cmd, *args = line.rstrip("\n").split("\t")
        try:
            st, msg = answer(cmd, [x for x in args if x != ""])
        except Exception as e:
            st, msg = 2, "%s: %s" % (type(e).__name__, e)
        sys.stdout.write("%d %s\n" % (st, msg.replace("\n", " ")))
        sys.stdout.flush()
PY

# The helper runs beside the script, behind two FIFOs on fds 3 and 4.
mkfifo "$T/py.in" "$T/py.out"
python3 "$XPY" <"$T/py.in" >"$T/py.out" 2>"$T/py.err" &
exec 3>"$T/py.in" 4<"$T/py.out"

# py CMD ARGS...: one request; PYRC is its status (0 yes, 1 no, 2 error),
# PYA its text.
py() {
	PYRC=2
	PYA="the python helper is gone ($(tail -n 3 "$T/py.err" | tr '\n' ' '))"
	_L_q=$(printf '%s\t' "$@")
	printf '%s\n' "$_L_q" >&3 || return 2
	IFS= read -r _L_a <&4 || return 2
	PYRC=${_L_a%% *}
	PYA=${_L_a#* }
	return "$PYRC"
}

# newid: a fresh lowercase UUID.
newid() {
	py uuid && echo "$PYA"
}

# expect NAME 'EXPR': a Python expression about the last answer is true.
expect() {
	printf '%s' "$2" >"$T/expr"
	if py check "$OUT" "$HTTP" "$HDRS" "$T/expr"; then
		pass "$1"
	else
		fail "$1" "not true: $2"
		[ "$PYRC" = 1 ] || echo "    python: $PYA"
		return 1
	fi
}

# val 'EXPR': the value of a Python expression about the last answer.
val() {
	printf '%s' "$1" >"$T/expr"
	if py val "$OUT" "$HTTP" "$HDRS" "$T/expr"; then
		echo "$PYA"
	else
		echo "    val: $1: $PYA" >&2
	fi
}

# pyexec 'STATEMENTS': run Python (with the builders) to make test data.
pyexec() {
	printf '%s' "$1" >"$T/expr"
	if ! py exec "$T/expr"; then
		echo "FAIL: python — $PYA"
		NFAIL=$((NFAIL + 1))
		return 1
	fi
}

# ---- the CA, the configuration, the server --------------------------------

# pki ARGS...: `rcms-exchange pki` finds its script relative to the
# repository (or where it is installed).
pki() {
	(cd "$ROOT" && "$RCMS_EXCHANGE" pki "$@") >>"$TMPROOT/pki.log" 2>&1
}

# bundle AGENCY/WS: the folder of a workstation's certificate.
bundle() {
	case $1 in
	/*) echo "$1" ;;
	*) echo "$PKI/bundles/$(echo "$1" | tr / -)" ;;
	esac
}

# issue AGENCY/WS: a workstation certificate from the test CA.
issue() {
	pki issue "$PKI" "${1#*/}" --agency "${1%/*}"
}

# xconfig: the configuration (data in $XDATA, port chosen by the system).
xconfig() {
	cat >"$XCONF" <<EOF
# rcms-exchange for the tests (tests/exchange/lib.sh)
listen = 127.0.0.1
port = 0
port_file = $XPORTFILE
data_dir = $XDATA
cert = $PKI/server.pem
key = $PKI/server.key
ca = $PKI/ca.pem
crl = $PKI/crl.pem
threads = 2
test_clock = yes
rate_per_min = 1000000
timeout = 30
EOF
}

xsetup() {
	if ! pki init "$PKI" || ! pki server "$PKI" localhost; then
		echo "FAIL: setup — rcms-exchange pki init/server"
		sed 's/^/    /' "$TMPROOT/pki.log"
		exit 1
	fi
	for _L_ws in RS-MUP/W01 RS-MUP/W02 PK-MOI/W01 AL-MOI/W01; do
		if ! issue "$_L_ws"; then
			echo "FAIL: setup — rcms-exchange pki issue $_L_ws"
			sed 's/^/    /' "$TMPROOT/pki.log"
			exit 1
		fi
	done
	xconfig
	for _L_ag in "RS-MUP Ministry of Interior of Serbia" \
		"PK-MOI Ministry of Interior of Pakistan" \
		"AL-MOI Ministry of Interior of Albania"; do
		if ! "$RCMS_EXCHANGE" agency add "${_L_ag%% *}" \
			"${_L_ag#* }" --config "$XCONF" >>"$TMPROOT/setup.log" 2>&1; then
			echo "FAIL: setup — rcms-exchange agency add ${_L_ag%% *}"
			sed 's/^/    /' "$TMPROOT/setup.log"
			exit 1
		fi
	done
	if ! "$RCMS_EXCHANGE" reference load "$ROOT/data/agreements.json" \
		--config "$XCONF" >>"$TMPROOT/setup.log" 2>&1; then
		echo "FAIL: setup — rcms-exchange reference load"
		sed 's/^/    /' "$TMPROOT/setup.log"
		exit 1
	fi
	if grep -q -e 'Sanitizer' -e 'runtime error:' "$TMPROOT/setup.log"; then
		echo "FAIL: setup — a sanitizer report from the command line"
		sed 's/^/    /' "$TMPROOT/setup.log"
		exit 1
	fi
}

# xstart: start the exchange in the background and wait (30 s at most)
# for the port it writes; each start logs to its own $XLOG.
xstart() {
	XN=$((XN + 1))
	XLOG=$TMPROOT/exchange.$XN.log
	rm -f "$XPORTFILE"
	"$RCMS_EXCHANGE" serve --config "$XCONF" 2>"$XLOG" 3>&- 4<&- &
	XPID=$!
	_L_i=0
	while [ ! -s "$XPORTFILE" ]; do
		if ! kill -0 "$XPID" 2>/dev/null || [ $_L_i -ge 300 ]; then
			echo "FAIL: exchange start #$XN — no port file"
			sed 's/^/    log: /' "$XLOG" | head -n 30
			xcleanup
			exit 1
		fi
		sleep 0.1
		_L_i=$((_L_i + 1))
	done
	PORT=$(cat "$XPORTFILE")
	URL=https://127.0.0.1:$PORT
}

# sanitized LOG: the log has no sanitizer report.
sanitized() {
	! grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
		-e 'runtime error:' "$1"
}

# xwait: wait (20 s at most) for the exchange to end by itself; XRC is its
# exit status, 999 if it had to be killed.
xwait() {
	_L_i=0
	while kill -0 "$XPID" 2>/dev/null && [ $_L_i -lt 200 ]; do
		sleep 0.1
		_L_i=$((_L_i + 1))
	done
	if kill -0 "$XPID" 2>/dev/null; then
		kill -9 "$XPID" 2>/dev/null
		wait "$XPID" 2>/dev/null
		XRC=999
	else
		wait "$XPID"
		XRC=$?
	fi
	XPID=""
}

# xstop [NAME]: SIGTERM; the exchange exits 0 and its log has no sanitizer
# report.
xstop() {
	[ -n "$XPID" ] || return 0
	kill -TERM "$XPID"
	xwait
	if [ "$XRC" -ne 0 ]; then
		NFAIL=$((NFAIL + 1))
		echo "FAIL: ${1:-exchange stops on SIGTERM} — exit $XRC"
		tail -n 20 "$XLOG" | sed 's/^/    log: /'
		return 1
	fi
	if ! sanitized "$XLOG"; then
		NFAIL=$((NFAIL + 1))
		echo "FAIL: ${1:-exchange stops on SIGTERM} — sanitizer report"
		grep -A 30 -e 'Sanitizer' -e 'runtime error:' "$XLOG" |
			head -n 60 | sed 's/^/    log: /'
		return 1
	fi
	pass "${1:-exchange stops on SIGTERM}: exit 0, no sanitizer report"
}

# xkill: kill -9, reap; a sanitizer report before the kill still fails.
xkill() {
	[ -n "$XPID" ] || return 0
	kill -9 "$XPID" 2>/dev/null
	wait "$XPID" 2>/dev/null
	XPID=""
	if ! sanitized "$XLOG"; then
		NFAIL=$((NFAIL + 1))
		echo "FAIL: exchange #$XN before kill -9 — sanitizer report"
		grep -A 30 -e 'Sanitizer' -e 'runtime error:' "$XLOG" |
			head -n 60 | sed 's/^/    log: /'
	fi
}

# ---- requests -----------------------------------------------------------

# req WHO METHOD PATH [CURL ARGS...]
req() {
	_L_who=$1
	_L_method=$2
	_L_path=$3
	shift 3
	: >"$OUT"
	: >"$HDRS"
	if [ "$_L_who" = - ]; then
		HTTP=$(curl -sS --max-time 60 --cacert "${XCACERT:-$PKI/ca.pem}" \
			-X "$_L_method" -o "$OUT" -D "$HDRS" -w '%{http_code}' \
			"$@" "$URL$_L_path" 2>"$ERR")
	else
		_L_b=$(bundle "$_L_who")
		HTTP=$(curl -sS --max-time 60 --cacert "${XCACERT:-$PKI/ca.pem}" \
			--cert "$_L_b/cert.pem" --key "$_L_b/key.pem" \
			-X "$_L_method" -o "$OUT" -D "$HDRS" -w '%{http_code}' \
			"$@" "$URL$_L_path" 2>"$ERR")
	fi
	CURLRC=$?
	HTTP=${HTTP:-000}
	return 0
}

# push_file WHO FILE [CURL ARGS...]
push_file() {
	_L_w=$1
	_L_f=$2
	shift 2
	req "$_L_w" POST /v1/ops -H 'Content-Type: application/json' \
		--data-binary @"$_L_f" "$@"
}

# mkops FILE 'PYTHON': a batch, {"ops": [...]}, from a list of builders.
mkops() {
	printf '%s' "$2" >"$T/expr"
	if ! py mkops "$1" "$T/expr"; then
		echo "FAIL: building a batch — $PYA"
		echo "    $2"
		NFAIL=$((NFAIL + 1))
		return 1
	fi
}

# push WHO 'PYTHON LIST' [CURL ARGS...]: build the batch and push it.
push() {
	_L_pw=$1
	mkops "$T/batch.json" "$2" || return 1
	shift 2
	push_file "$_L_pw" "$T/batch.json" "$@"
}

# pull WHO SINCE LIMIT [CURL ARGS...]
pull() {
	_L_w=$1
	_L_s=$2
	_L_l=$3
	shift 3
	req "$_L_w" GET "/v1/changes?since=$_L_s&limit=$_L_l" "$@"
}

# feed WHO [CURL ARGS...]: the whole feed from 0, page by page (at most
# 1,000 pages); $OUT holds {"changes": [...], "pages": N}.  Fails (status
# 1) on an answer other than 200.
feed() {
	_L_w=$1
	shift
	_L_since=0
	_L_n=0
	: >"$T/pages"
	while [ $_L_n -lt 1000 ]; do
		pull "$_L_w" "$_L_since" 1000 "$@"
		[ "$HTTP" = 200 ] || return 1
		cat "$OUT" >>"$T/pages"
		echo >>"$T/pages"
		_L_since=$(val 'data["next"]')
		[ "$(val 'data["more"]')" = true ] || break
		_L_n=$((_L_n + 1))
	done
	py merge "$T/pages" "$OUT"
}

# ---- run directly: test the helpers themselves ----------------------------

case ${0##*/} in
lib.sh)
	selftest() {
		_L_st=$1
		_L_expect=$2
		shift 2
		("$@") >"$T/self" 2>&1
		if grep -q "^$_L_expect: " "$T/self"; then
			pass "harness: $_L_st"
		else
			NFAIL=$((NFAIL + 1))
			echo "FAIL: harness: $_L_st — no $_L_expect line"
			sed 's/^/    /' "$T/self"
		fi
	}
	xsetup
	xstart
	req RS-MUP/W01 GET /v1/whoami
	selftest "expect passes a true expression" PASS \
		expect x 'http == 200 and data["agency"] == "RS-MUP"'
	selftest "expect fails a false expression" FAIL \
		expect x 'data["agency"] == "PK-MOI"'
	selftest "expect fails an expression that raises" FAIL \
		expect x 'data["no such key"]'
	selftest "check fails a false test" FAIL check x why [ 1 -eq 2 ]
	req - GET /v1/whoami
	selftest "req without a certificate gets no identity" FAIL \
		expect x 'http == 200'
	C=$(newid)
	is_uuid7() {
		expr "$1" : '[0-9a-f]\{8\}-[0-9a-f]\{4\}-7[0-9a-f]\{3\}-[89ab][0-9a-f]\{3\}-[0-9a-f]\{12\}$' \
			>/dev/null
	}
	check "harness: newid is a lowercase UUIDv7" "printed '$C'" is_uuid7 "$C"
	push RS-MUP/W01 "[case_create('$C')]"
	expect "harness: push applies a case.create" \
		'http == 200 and r0["status"] == "applied"'
	feed RS-MUP/W01
	expect "harness: feed finds it" "'$C' in feed and data['pages'] == 1"
	# a sanitizer report in the log fails xstop, even after exit 0
	xstop
	echo "==1==ERROR: AddressSanitizer: heap-use-after-free" >>"$XLOG"
	check "harness: sanitized() sees the report" "it did not" \
		eval '! sanitized "$XLOG"'
	summary
	;;
esac
