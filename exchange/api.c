/* api.c - the API v1 handlers: whoami, reference, ops, changes. */
#include "exchange/server_priv.h"
#include "exchange/xjson.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/wire.h"

enum MHD_Result api_whoami(struct MHD_Connection *c, struct xreq *r)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "agency", r->agency);
	cJSON_AddStringToObject(j, "workstation", r->workstation);
	return xsrv_json(c, r, 200, j);
}

enum MHD_Result api_reference(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	cJSON *j = cJSON_CreateObject();
	struct rcms_err err;

	if (!s || xsrv.ops->reference(s, j, &err) != RCMS_OK) {
		cJSON_Delete(j);
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	}
	return xsrv_json(c, r, 200, j);
}

enum MHD_Result api_ops(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	struct xactor who = {r->agency, r->workstation};
	struct rcms_err err;
	struct xjson scratch = {0};
	struct wire_arena arena = {0};
	const cJSON *ops, *op;
	cJSON *body, *out = NULL, *results;
	char (*fps)[65] = NULL;
	enum MHD_Result ret;
	int n, i, fatal = 0;
	bool savepoints = false;

	rcms_err_clear(&err);
	if (!s)
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	/* the batch's values in one arena, let go at once at the end */
	wire_arena_enter(&arena);
	body = wire_parse(r->body, r->len, &err);
	wire_arena_leave();
	if (!body) {
		wire_arena_free(&arena);
		return xsrv_problem(c, r, 400, "invalid-json",
				    "the body is not valid JSON",
				    rcms_err_msg(&err));
	}
	ops = cJSON_GetObjectItemCaseSensitive(body, "ops");
	if (!cJSON_IsArray(ops)) {
		wire_arena_free(&arena);
		return xsrv_problem(c, r, 400, "invalid-op",
				    "the body needs \"ops\": [...]", NULL);
	}
	n = cJSON_GetArraySize(ops);
	if (n > xsrv.conf->max_ops) {
		wire_arena_free(&arena);
		char detail[64];
		snprintf(detail, sizeof(detail), "at most %d",
			 xsrv.conf->max_ops);
		return xsrv_problem(c, r, 413, "too-many-ops",
				    "too many operations in one batch",
				    detail);
	}
	/* the fingerprints need no storage: worked out before the batch
	 * takes the write lock, while another batch may hold it ("" when
	 * out of memory: xapply_op tries again) */
	fps = calloc((size_t)n + 1, sizeof(*fps));
	if (!fps) {
		ret = xsrv_problem(c, r, 503, "unavailable", "out of memory",
				   NULL);
		goto out;
	}
	i = 0;
	cJSON_ArrayForEach(op, ops) {
		if (!xapply_fingerprint(op, &scratch, fps[i]))
			fps[i][0] = '\0';
		i++;
	}
	/* deadlines first, so that an answer after the deadline meets a
	 * case that is deemed accepted already */
	xapply_deem_due(xsrv.ops, s, xsrv_now());
	/* the batch is one transaction (one disk sync).  A crash before
	 * the commit loses the whole batch, and the workstation's retry
	 * applies it whole.  Its operations go without a savepoint each;
	 * should one have to be undone after it wrote, the batch is rolled
	 * back and applied again, each operation a savepoint of its own. */
again:
	if (xsrv.ops->batch_begin(s, savepoints, &err)) {
		ret = xsrv_problem(c, r, 503, "unavailable",
				   "storage unavailable; retry the batch",
				   NULL);
		goto out;
	}
	out = cJSON_CreateObject();
	results = cJSON_AddArrayToObject(out, "results");
	i = 0;
	cJSON_ArrayForEach(op, ops) {
		cJSON *res = xapply_op(xsrv.ops, s, &who, op,
				       fps[i][0] ? fps[i] : NULL, xsrv_now(),
				       &scratch, &fatal);
		i++;
		if (!savepoints && xsrv.ops->batch_spoiled(s)) {
			cJSON_Delete(res);
			xsrv.ops->batch_rollback(s);
			cJSON_Delete(out);
			out = NULL;
			savepoints = true;
			goto again;
		}
		if (fatal == 422) {
			/* the batch stops at the first fatal error; the detail
			 * (the op_id) lives in body: answer before freeing it */
			cJSON_Delete(res);
			/* the operations before it stand: a retry sees them as
			 * duplicates */
			if (xsrv.ops->batch_commit(s, &err))
				ret = xsrv_problem(c, r, 503, "unavailable",
						   "storage unavailable; retry "
						   "the batch", NULL);
			else
				ret = xsrv_problem(
					c, r, 422, "op-id-reused",
					"an op_id was used before for a "
					"different operation",
					cJSON_GetStringValue(
						cJSON_GetObjectItemCaseSensitive(
							op, "op_id")));
			goto out;
		}
		if (!res || fatal) {
			xsrv.ops->batch_rollback(s);
			cJSON_Delete(res);
			ret = xsrv_problem(c, r, 503, "unavailable",
					   "storage unavailable; retry the "
					   "batch", NULL);
			goto out;
		}
		cJSON_AddItemToArray(results, res);
	}
	if (xsrv.ops->batch_commit(s, &err)) {
		ret = xsrv_problem(c, r, 503, "unavailable",
				   "storage unavailable; retry the batch",
				   NULL);
		goto out;
	}
	/* counted once durable */
	cJSON_ArrayForEach(op, results)
		xmetrics_op(cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(op, "status")));
	ret = xsrv_json(c, r, 200, out);
	out = NULL;
out:
	cJSON_Delete(out);
	wire_arena_free(&arena);
	free(fps);
	xjson_free(&scratch);
	return ret;
}

/* The page is built as text from the stored snapshots: no JSON is
 * parsed or printed per record on the way out. */
struct feed {
	char *buf;
	size_t len, cap;
	int64_t last;
	int n, max;
	bool more, failed;
};

static void feed_put(struct feed *f, const char *s, size_t n)
{
	if (f->failed)
		return;
	if (f->len + n + 1 > f->cap) {
		size_t cap = f->cap ? f->cap : 65536;
		char *nb;
		while (cap < f->len + n + 1)
			cap *= 2;
		nb = realloc(f->buf, cap);
		if (!nb) {
			f->failed = true;
			return;
		}
		f->buf = nb;
		f->cap = cap;
	}
	memcpy(f->buf + f->len, s, n);
	f->len += n;
	f->buf[f->len] = '\0';
}

static int feed_row(int64_t seq, const char *json, size_t len, void *arg)
{
	struct feed *f = arg;
	char head[64];
	int n;

	if (f->n == f->max) {
		/* the one row past the page: there is more */
		f->more = true;
		return 1;
	}
	n = snprintf(head, sizeof(head), "%s{\"seq\":%lld,\"kind\":\"case\","
		     "\"case\":", f->n ? "," : "", (long long)seq);
	feed_put(f, head, (size_t)n);
	feed_put(f, json, len);
	feed_put(f, "}", 1);
	f->last = seq;
	f->n++;
	return 0;
}

int xsrv_query_int(struct MHD_Connection *c, const char *k, long long lo,
		     long long hi, long long def, long long *out)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
						    k);
	char *end = NULL;
	long long x;

	if (!v) {
		*out = def;
		return 0;
	}
	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno || !end || *end || end == v || x < lo || x > hi)
		return -1;
	*out = x;
	return 0;
}

enum MHD_Result api_changes(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	struct feed f;
	struct rcms_err err;
	long long since, limit;

	if (!s)
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	if (xsrv_query_int(c, "since", 0, (long long)1 << 53, 0, &since) ||
	    xsrv_query_int(c, "limit", 1, 1000, 100, &limit))
		return xsrv_problem(c, r, 400, "invalid-query",
				    "since must be a sequence number and "
				    "limit 1 to 1000", NULL);
	xapply_deem_due(xsrv.ops, s, xsrv_now());
	memset(&f, 0, sizeof(f));
	f.last = since;
	f.max = (int)limit;
	feed_put(&f, "{\"changes\":[", 12);
	/* one more than asked tells whether there is more */
	if (xsrv.ops->changes(s, r->agency, since, (int)limit + 1, feed_row,
			      &f, &err) != RCMS_OK) {
		free(f.buf);
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	}
	{
		char tail[96];
		int n = snprintf(tail, sizeof(tail),
				 "],\"next\":%lld,\"more\":%s}",
				 (long long)f.last, f.more ? "true" : "false");
		feed_put(&f, tail, (size_t)n);
	}
	if (f.failed) {
		free(f.buf);
		return xsrv_problem(c, r, 500, "internal", "out of memory",
				    NULL);
	}
	/* the end of its feed: the workstation is in sync (its last sync
	 * time, as the agency's admin sees it); a write at most once a
	 * minute, so that pulls stay reads */
	if (!f.more && xsrv_now() > r->ws_last_sync + 60)
		xsrv.ops->ws_seen(s, r->agency, r->workstation, xsrv_now(),
				  true, &err);
	return xsrv_raw_json(c, r, 200, f.buf, f.len);
}

/* ---- the agency directory and its workstations ------------------------- */

struct dir_page {
	cJSON *users;
	int64_t last;
	int n, max;
	bool more;
};

static int dir_row(const struct xuser *u, void *arg)
{
	struct dir_page *p = arg;
	cJSON *o;

	if (p->n == p->max) {
		p->more = true;
		return 1;
	}
	o = cJSON_CreateObject();
	xdir_user_json(u, o);
	cJSON_AddItemToArray(p->users, o);
	p->last = u->seq;
	p->n++;
	return 0;
}

enum MHD_Result api_directory(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	struct dir_page p;
	struct rcms_err err;
	long long since, limit;
	cJSON *j;

	if (!s)
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	if (xsrv_query_int(c, "since", 0, (long long)1 << 53, 0, &since) ||
	    xsrv_query_int(c, "limit", 1, 1000, 500, &limit))
		return xsrv_problem(c, r, 400, "invalid-query",
				    "since must be a sequence number and "
				    "limit 1 to 1000", NULL);
	memset(&p, 0, sizeof(p));
	j = cJSON_CreateObject();
	p.users = cJSON_AddArrayToObject(j, "users");
	p.last = since;
	p.max = (int)limit;
	if (xsrv.ops->directory(s, r->agency, since, (int)limit + 1, dir_row,
				&p, &err) != RCMS_OK) {
		cJSON_Delete(j);
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	}
	cJSON_AddNumberToObject(j, "next", (double)p.last);
	cJSON_AddBoolToObject(j, "more", p.more);
	return xsrv_json(c, r, 200, j);
}

static int ws_row(const struct xws *w, void *arg)
{
	cJSON *o = cJSON_CreateObject();
	char t[32];

	cJSON_AddStringToObject(o, "workstation", w->workstation);
	rcms_time_format(w->first_seen, t, sizeof(t));
	cJSON_AddStringToObject(o, "first_seen", t);
	if (w->last_sync) {
		rcms_time_format(w->last_sync, t, sizeof(t));
		cJSON_AddStringToObject(o, "last_sync", t);
	}
	if (w->retired_at) {
		rcms_time_format(w->retired_at, t, sizeof(t));
		cJSON_AddStringToObject(o, "retired_at", t);
		cJSON_AddStringToObject(o, "retired_by", w->retired_by);
		cJSON_AddStringToObject(o, "retired_from", w->retired_from);
		cJSON_AddStringToObject(o, "reason", w->reason);
	}
	cJSON_AddItemToArray(arg, o);
	return 0;
}

enum MHD_Result api_workstations(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	struct rcms_err err;
	cJSON *j, *list;

	if (!s)
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "agency", r->agency);
	list = cJSON_AddArrayToObject(j, "workstations");
	if (xsrv.ops->ws_list(s, r->agency, ws_row, list, &err) != RCMS_OK) {
		cJSON_Delete(j);
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	}
	return xsrv_json(c, r, 200, j);
}
