/* audit_read.c - the exchange's copy of a workstation's audit log, read
 * page by page (GET /v1/audit) for `rcms audit list --exchange`. */
#include "sync/sync.h"
#include "sync/sync_priv.h"
#include "sync/wire.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A page of 1000 entries is some 700 KB; more is not an answer. */
#define AUDIT_PAGE_MAX ((size_t)8 << 20)

static size_t page_data(char *data, size_t size, size_t n, void *arg)
{
	struct sync_buf *b = arg;
	size_t k = size * n;

	if (b->len + k + 1 > AUDIT_PAGE_MAX) {
		b->too_big = true;
		return 0;
	}
	if (b->len + k + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		char *p;
		while (cap < b->len + k + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, k);
	b->len += k;
	b->p[b->len] = '\0';
	return k;
}

static void text_of(const cJSON *o, const char *k, char *dst, size_t size)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, k));

	snprintf(dst, size, "%s", s ? s : "");
}

/* One page's entries to fn; *next and *more from the answer. */
static enum rcms_status page_entries(const char *text, int64_t *next,
				     bool *more,
				     int (*fn)(const struct db_audit *a,
					       void *arg),
				     void *arg, struct rcms_err *err)
{
	cJSON *j = text ? cJSON_Parse(text) : NULL;
	const cJSON *list = cJSON_GetObjectItem(j, "entries"), *e;
	const cJSON *nx = cJSON_GetObjectItem(j, "next");
	struct db_audit a;
	bool stop = false;

	if (!cJSON_IsArray(list) || !wire_int(nx, next) || *next < 0) {
		cJSON_Delete(j);
		return rcms_err_set(err, RCMS_ERR_TEMP, NULL,
				    "the exchange's answer is not a page of "
				    "audit entries");
	}
	cJSON_ArrayForEach(e, list) {
		memset(&a, 0, sizeof(a));
		wire_int(cJSON_GetObjectItem(e, "seq"), &a.seq);
		wire_int(cJSON_GetObjectItem(e, "at"), &a.at);
		text_of(e, "actor", a.actor, sizeof(a.actor));
		text_of(e, "action", a.action, sizeof(a.action));
		text_of(e, "case_id", a.case_id, sizeof(a.case_id));
		text_of(e, "detail", a.detail, sizeof(a.detail));
		text_of(e, "prev_hash", a.prev_hash, sizeof(a.prev_hash));
		text_of(e, "hash", a.hash, sizeof(a.hash));
		if (fn(&a, arg)) {
			stop = true;
			break;
		}
	}
	*more = !stop && cJSON_IsTrue(cJSON_GetObjectItem(j, "more"));
	cJSON_Delete(j);
	return RCMS_OK;
}

enum rcms_status sync_get(const struct sync_conf *conf, const char *path,
			  const char *what, char **text, struct rcms_err *err)
{
	struct sync_buf b = {0};
	enum rcms_status st = RCMS_OK;
	CURL *e = curl_easy_init();
	char url[1200], problem[256];
	long status = 0;
	CURLcode cc;

	*text = NULL;
	if (!e)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	snprintf(url, sizeof(url), "%s%s", conf->url, path);
	sync_tls(e, conf);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, page_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	cc = curl_easy_perform(e);
	if (cc != CURLE_OK) {
		st = rcms_err_set(err, b.too_big ? RCMS_ERR_TEMP
						 : RCMS_ERR_UNAVAILABLE,
				  NULL, "cannot read %s from the exchange: %s",
				  what, b.too_big ? "the answer is too large"
						  : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		sync_problem_text(b.p, problem, sizeof(problem));
		st = rcms_err_set(err,
				  status == 401 || status == 403
					  ? RCMS_ERR_PERMISSION
				  : status >= 500 ? RCMS_ERR_TEMP
						  : RCMS_ERR_INVALID,
				  NULL, "the exchange refused to show %s "
				  "(%ld): %s", what, status, problem);
		goto out;
	}
	*text = b.p;
	b.p = NULL;
out:
	curl_easy_cleanup(e);
	free(b.p);
	return st;
}

enum rcms_status sync_audit_read(const struct sync_conf *conf,
				 const char *workstation,
				 int (*fn)(const struct db_audit *a,
					   void *arg),
				 void *arg, struct rcms_err *err)
{
	enum rcms_status st = RCMS_OK;
	CURL *e = curl_easy_init();
	char *ws = NULL, *text = NULL;
	char path[600];
	int64_t since = 0;
	bool more = true;

	if (!e || !(ws = curl_easy_escape(e, workstation, 0))) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	while (more) {
		snprintf(path, sizeof(path),
			 "/v1/audit?workstation=%.64s&since=%lld&limit=1000",
			 ws, (long long)since);
		if ((st = sync_get(conf, path, "its audit copy", &text, err)))
			goto out;
		st = page_entries(text, &since, &more, fn, arg, err);
		free(text);
		text = NULL;
		if (st)
			goto out;
	}
out:
	curl_free(ws);
	curl_easy_cleanup(e);
	return st;
}

/* ---- the agency's workstations ----------------------------------------- */

enum rcms_status sync_workstations(const struct sync_conf *conf,
				   int (*fn)(const struct sync_ws *w,
					     void *arg),
				   void *arg, struct rcms_err *err)
{
	char *text = NULL;
	cJSON *j;
	const cJSON *list, *o;
	struct sync_ws w;
	enum rcms_status st;

	if ((st = sync_get(conf, "/v1/workstations", "the agency's "
			   "workstations", &text, err)))
		return st;
	j = cJSON_Parse(text);
	free(text);
	list = cJSON_GetObjectItem(j, "workstations");
	if (!cJSON_IsArray(list)) {
		cJSON_Delete(j);
		return rcms_err_set(err, RCMS_ERR_TEMP, NULL,
				    "the exchange's answer is not a list of "
				    "workstations");
	}
	cJSON_ArrayForEach(o, list) {
		const char *t;
		memset(&w, 0, sizeof(w));
		text_of(o, "workstation", w.workstation,
			sizeof(w.workstation));
		if ((t = cJSON_GetStringValue(cJSON_GetObjectItem(
			     o, "first_seen"))))
			rcms_time_parse(t, &w.first_seen);
		if ((t = cJSON_GetStringValue(cJSON_GetObjectItem(
			     o, "last_sync"))))
			rcms_time_parse(t, &w.last_sync);
		if ((t = cJSON_GetStringValue(cJSON_GetObjectItem(
			     o, "retired_at"))))
			rcms_time_parse(t, &w.retired_at);
		text_of(o, "retired_by", w.retired_by, sizeof(w.retired_by));
		text_of(o, "reason", w.reason, sizeof(w.reason));
		if (fn(&w, arg))
			break;
	}
	cJSON_Delete(j);
	return RCMS_OK;
}
