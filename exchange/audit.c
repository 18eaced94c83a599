/*
 * audit.c - the workstations' audit entries (issue 8).
 *
 * POST /v1/audit: a workstation sends the entries of its hash chain that
 * follow the last one the exchange holds; the exchange recomputes each
 * hash (app/audit.c, as the workstation does), checks that the chain
 * continues from its copy and stores them, append-only.  A rewritten
 * local log shows here: the entry the batch starts after, or an entry
 * sent again, differs from the copy.  GET /v1/audit: a workstation of the
 * same agency reads them (the workstation shows them to supervisors).
 */
#include "exchange/server_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "sync/wire.h"

#define AUDIT_BATCH_MAX 1000

static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static bool get_int(const cJSON *o, const char *k, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	double d;

	if (!cJSON_IsNumber(v))
		return false;
	d = v->valuedouble;
	if (d < 0 || d > 9007199254740992.0 || d != (double)(int64_t)d)
		return false;
	*out = (int64_t)d;
	return true;
}

/* A string of fewer than max bytes, without NUL. */
static const char *get_str(const cJSON *o, const char *k, size_t max)
{
	const char *s = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(o, k));

	if (!s || strlen(s) >= max)
		return NULL;
	return s;
}

static bool entry_from(const cJSON *o, struct xaudit *a)
{
	memset(a, 0, sizeof(*a));
	return cJSON_IsObject(o) && get_int(o, "seq", &a->seq) &&
	       get_int(o, "at", &a->at) &&
	       (a->actor = get_str(o, "actor", RCMS_USER_LEN)) &&
	       (a->action = get_str(o, "action", 32)) &&
	       (a->case_id = get_str(o, "case_id", RCMS_ID_LEN)) &&
	       (a->detail = get_str(o, "detail", RCMS_LINE_LEN)) &&
	       (a->prev_hash = get_str(o, "prev_hash", RCMS_SHA256_HEX)) &&
	       (a->hash = get_str(o, "hash", RCMS_SHA256_HEX)) &&
	       xsha256_valid(a->prev_hash) && xsha256_valid(a->hash);
}

enum MHD_Result api_audit_post(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	struct rcms_err err;
	const cJSON *entries, *e;
	cJSON *body, *out;
	const char *from_hash;
	char stored[RCMS_SHA256_HEX], prev[RCMS_SHA256_HEX];
	char want[RCMS_SHA256_HEX], detail[200];
	const char *name = NULL, *title = NULL;
	int64_t from = 0, last = 0, expect;
	struct xaudit a;
	enum rcms_status st;
	int status = 0;

	rcms_err_clear(&err);
	if (!s)
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	body = wire_parse(r->body, r->len, &err);
	if (!body)
		return xsrv_problem(c, r, 400, "invalid-json",
				    "the body is not valid JSON",
				    rcms_err_msg(&err));
	entries = cJSON_GetObjectItemCaseSensitive(body, "entries");
	from_hash = get_str(body, "from_hash", RCMS_SHA256_HEX);
	if (!cJSON_IsArray(entries) || !get_int(body, "from", &from) ||
	    !from_hash || !xsha256_valid(from_hash)) {
		cJSON_Delete(body);
		return xsrv_problem(c, r, 400, "invalid-audit",
				    "the body needs \"from\", \"from_hash\" "
				    "and \"entries\": [...]", NULL);
	}
	if (cJSON_GetArraySize(entries) > AUDIT_BATCH_MAX) {
		cJSON_Delete(body);
		return xsrv_problem(c, r, 413, "too-many-entries",
				    "too many audit entries in one batch",
				    "at most 1000");
	}
	cJSON_ArrayForEach(e, entries) {
		if (!entry_from(e, &a)) {
			cJSON_Delete(body);
			return xsrv_problem(c, r, 400, "invalid-audit",
					    "an audit entry needs seq, at, "
					    "actor, action, case_id, detail, "
					    "prev_hash and hash",
					    NULL);
		}
	}
	if (xsrv.ops->begin(s, &err)) {
		cJSON_Delete(body);
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	}
	if ((st = xsrv.ops->audit_last(s, r->agency, r->workstation, &last,
				       &err)))
		goto fail;
	/* where the batch starts: the exchange's copy must end there or
	 * later, with the same entry */
	if (from > last) {
		status = 409;
		name = "audit-gap";
		title = "the audit entries do not follow those the exchange "
			"holds";
		snprintf(detail, sizeof(detail),
			 "the exchange holds entries 1 to %lld; the batch "
			 "starts after %lld", (long long)last,
			 (long long)from);
		goto refuse;
	}
	snprintf(prev, sizeof(prev), "%s", zero_hash);
	if (from > 0) {
		if ((st = xsrv.ops->audit_hash(s, r->agency, r->workstation,
					       from, stored, &err)))
			goto fail;
		if (strcmp(stored, from_hash) != 0) {
			status = 409;
			name = "audit-mismatch";
			title = "the workstation's audit log differs from "
				"the exchange's copy";
			snprintf(detail, sizeof(detail),
				 "entry %lld differs from the copy the "
				 "exchange holds", (long long)from);
			goto refuse;
		}
		snprintf(prev, sizeof(prev), "%s", from_hash);
	}
	expect = from + 1;
	cJSON_ArrayForEach(e, entries) {
		entry_from(e, &a);
		rcms_audit_hash(a.seq, a.at, a.actor, a.action, a.case_id,
				a.detail, a.prev_hash, want);
		if (a.seq != expect || strcmp(a.prev_hash, prev) != 0 ||
		    strcmp(want, a.hash) != 0) {
			status = 409;
			name = "audit-broken";
			title = "the audit entries do not form a chain";
			snprintf(detail, sizeof(detail),
				 "entry %lld: %s", (long long)expect,
				 a.seq != expect ? "missing"
				 : strcmp(want, a.hash) ? "its hash does not "
							  "match its content"
				 : "it does not follow the entry before it");
			goto refuse;
		}
		if (a.seq <= last) {
			/* sent before (an answer lost): the same entry */
			if ((st = xsrv.ops->audit_hash(s, r->agency,
						       r->workstation, a.seq,
						       stored, &err)))
				goto fail;
			if (strcmp(stored, a.hash) != 0) {
				status = 409;
				name = "audit-mismatch";
				title = "the workstation's audit log differs "
					"from the exchange's copy";
				snprintf(detail, sizeof(detail),
					 "entry %lld differs from the copy "
					 "the exchange holds",
					 (long long)a.seq);
				goto refuse;
			}
		} else if ((st = xsrv.ops->audit_put(s, r->agency,
						     r->workstation, &a,
						     xsrv_now(), &err))) {
			goto fail;
		}
		snprintf(prev, sizeof(prev), "%s", a.hash);
		expect++;
	}
	if (xsrv.ops->commit(s, &err)) {
		cJSON_Delete(body);
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable; retry", NULL);
	}
	if (expect - 1 > last)
		last = expect - 1;
	cJSON_Delete(body);
	out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "last_seq", (double)last);
	return xsrv_json(c, r, 200, out);

refuse:
	xsrv.ops->rollback(s);
	cJSON_Delete(body);
	/* nothing stored; the detail names entry numbers only.  A gap says
	 * where the copy ends ("held"): after a restore of the exchange's
	 * database the workstation sends again from there */
	if (strcmp(name, "audit-gap") == 0)
		return xsrv_problem_num(c, r, status, name, title, detail,
					"held", last);
	return xsrv_problem(c, r, status, name, title, detail);
fail:
	xsrv.ops->rollback(s);
	cJSON_Delete(body);
	return xsrv_problem(c, r, 503, "unavailable", "storage unavailable",
			    NULL);
}

struct audit_page {
	cJSON *list;
	int64_t last;
	int n, max;
	bool more;
};

static int page_row(const struct xaudit *a, void *arg)
{
	struct audit_page *p = arg;
	cJSON *o;

	if (p->n == p->max) {
		p->more = true;
		return 1;
	}
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "seq", (double)a->seq);
	cJSON_AddNumberToObject(o, "at", (double)a->at);
	cJSON_AddStringToObject(o, "actor", a->actor ? a->actor : "");
	cJSON_AddStringToObject(o, "action", a->action ? a->action : "");
	cJSON_AddStringToObject(o, "case_id", a->case_id ? a->case_id : "");
	cJSON_AddStringToObject(o, "detail", a->detail ? a->detail : "");
	cJSON_AddStringToObject(o, "prev_hash",
				a->prev_hash ? a->prev_hash : "");
	cJSON_AddStringToObject(o, "hash", a->hash ? a->hash : "");
	cJSON_AddItemToArray(p->list, o);
	p->last = a->seq;
	p->n++;
	return 0;
}

enum MHD_Result api_audit_get(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	struct audit_page p;
	struct rcms_err err;
	const char *ws;
	long long since, limit;
	cJSON *out;

	if (!s)
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	ws = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
					 "workstation");
	if (!ws || !*ws || strlen(ws) >= sizeof(r->workstation) ||
	    xsrv_query_int(c, "since", 0, (long long)1 << 53, 0, &since) ||
	    xsrv_query_int(c, "limit", 1, 1000, 100, &limit))
		return xsrv_problem(c, r, 400, "invalid-query",
				    "workstation is needed, since must be a "
				    "sequence number and limit 1 to 1000",
				    NULL);
	memset(&p, 0, sizeof(p));
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "workstation", ws);
	p.list = cJSON_AddArrayToObject(out, "entries");
	p.last = since;
	p.max = (int)limit;
	/* the agency's own workstations only: another agency's name gives
	 * an empty list */
	if (xsrv.ops->audit_list(s, r->agency, ws, since, (int)limit + 1,
				 page_row, &p, &err) != RCMS_OK) {
		cJSON_Delete(out);
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	}
	cJSON_AddNumberToObject(out, "next", (double)p.last);
	cJSON_AddBoolToObject(out, "more", p.more);
	return xsrv_json(c, r, 200, out);
}
