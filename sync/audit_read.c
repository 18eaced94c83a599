/* audit_read.c - the exchange's copy of a workstation's audit log, read
 * page by page (GET /v1/audit) for `rcms audit list --exchange`. */
#include "sync/sync.h"
#include "sync/sync_priv.h"

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

	if (!cJSON_IsArray(list) || !cJSON_IsNumber(nx)) {
		cJSON_Delete(j);
		return rcms_err_set(err, RCMS_ERR_TEMP, NULL,
				    "the exchange's answer is not a page of "
				    "audit entries");
	}
	cJSON_ArrayForEach(e, list) {
		memset(&a, 0, sizeof(a));
		a.seq = (int64_t)cJSON_GetNumberValue(
			cJSON_GetObjectItem(e, "seq"));
		a.at = (int64_t)cJSON_GetNumberValue(
			cJSON_GetObjectItem(e, "at"));
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
	*next = (int64_t)nx->valuedouble;
	*more = !stop && cJSON_IsTrue(cJSON_GetObjectItem(j, "more"));
	cJSON_Delete(j);
	return RCMS_OK;
}

enum rcms_status sync_audit_read(const struct sync_conf *conf,
				 const char *workstation,
				 int (*fn)(const struct db_audit *a,
					   void *arg),
				 void *arg, struct rcms_err *err)
{
	struct sync_buf b = {0};
	enum rcms_status st = RCMS_OK;
	CURL *e = curl_easy_init();
	char *ws = NULL;
	char url[1200], problem[256];
	int64_t since = 0;
	bool more = true;
	long status = 0;
	CURLcode cc;

	if (!e || !(ws = curl_easy_escape(e, workstation, 0))) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	while (more) {
		b.len = 0;
		b.too_big = false;
		snprintf(url, sizeof(url),
			 "%s/v1/audit?workstation=%s&since=%lld&limit=1000",
			 conf->url, ws, (long long)since);
		curl_easy_reset(e);
		sync_tls(e, conf);
		curl_easy_setopt(e, CURLOPT_URL, url);
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, page_data);
		curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
		curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
		cc = curl_easy_perform(e);
		if (cc != CURLE_OK) {
			st = rcms_err_set(err, RCMS_ERR_TEMP, NULL,
					  "cannot read the exchange's "
					  "audit copy: %s",
					  b.too_big ? "the answer is too large"
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
					  NULL, "the exchange refused to show "
					  "its audit copy (%ld): %s", status,
					  problem);
			goto out;
		}
		if ((st = page_entries(b.p, &since, &more, fn, arg, err)))
			goto out;
	}
out:
	curl_free(ws);
	curl_easy_cleanup(e);
	free(b.p);
	return st;
}
