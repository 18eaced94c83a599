/* reference.c - reference data in the wire format: agreements and
 * holidays (data/agreements.json, GET /v1/reference). */
#include "sync/wire.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- periods: "10 calendar_days", "2 working_days", "3 months", "none" -- */

enum rcms_status wire_period_parse(const char *s, const char *field,
				     struct rcms_period *p,
				     struct rcms_err *err)
{
	char unit[32];
	char *end = NULL;
	long n;
	int v;

	if (strcmp(s, "none") == 0 || *s == '\0') {
		p->n = 0;
		p->unit = RCMS_PERIOD_NONE;
		return RCMS_OK;
	}
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || n < 1 || n > 3650 || *end != ' ')
		goto bad;
	while (*end == ' ')
		end++;
	if (strlen(end) >= sizeof(unit))
		goto bad;
	snprintf(unit, sizeof(unit), "%s", end);
	if (rcms_enum_parse(rcms_period_unit_names, unit, &v) != RCMS_OK ||
	    v == RCMS_PERIOD_NONE)
		goto bad;
	p->n = (int)n;
	p->unit = (enum rcms_period_unit)v;
	return RCMS_OK;
bad:
	return rcms_err_set(err, RCMS_ERR_INVALID, field,
			    "%s: write a number and a unit, such as \"10 "
			    "calendar_days\", \"2 working_days\" or \"3 "
			    "months\", or \"none\"", field);
}

void wire_period_text(const struct rcms_period *p, char *buf, size_t size)
{
	if (p->unit == RCMS_PERIOD_NONE)
		snprintf(buf, size, "none");
	else
		snprintf(buf, size, "%d %s", p->n,
			 rcms_enum_name(rcms_period_unit_names, (int)p->unit));
}

/* Set one agreement field from text. */
enum rcms_status wire_agreement_set(struct rcms_agreement *a,
				      const char *k, const char *v,
				      struct rcms_err *err)
{
	char *end = NULL;
	long n;

	if (strcmp(k, "name") == 0)
		return rcms_copy(a->name, sizeof(a->name), v, k, err);
	if (strcmp(k, "countries") == 0)
		return rcms_copy(a->countries, sizeof(a->countries), v, k,
				 err);
	if (strcmp(k, "source") == 0)
		return rcms_copy(a->source, sizeof(a->source), v, k, err);
	if (strcmp(k, "note") == 0)
		return rcms_copy(a->note, sizeof(a->note), v, k, err);
	if (strcmp(k, "reply") == 0)
		return wire_period_parse(v, k, &a->reply, err);
	if (strcmp(k, "reply_accelerated") == 0)
		return wire_period_parse(v, k, &a->reply_accelerated, err);
	if (strcmp(k, "transfer") == 0)
		return wire_period_parse(v, k, &a->transfer, err);
	if (strcmp(k, "transit_reply") == 0)
		return wire_period_parse(v, k, &a->transit_reply, err);
	if (strcmp(k, "transit") == 0)
		return wire_period_parse(v, k, &a->transit, err);
	if (strcmp(k, "extension_max_days") == 0) {
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno || end == v || *end || n < 0 || n > 365)
			return rcms_err_set(err, RCMS_ERR_INVALID, k,
					    "%s: a whole number of days from 0 "
					    "to 365", k);
		a->extension_max_days = (int)n;
		return RCMS_OK;
	}
	if (strcmp(k, "silence_accepts") == 0) {
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
			a->silence_accepts = true;
		else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
			a->silence_accepts = false;
		else
			return rcms_err_set(err, RCMS_ERR_INVALID, k,
					    "%s: answer yes or no", k);
		return RCMS_OK;
	}
	return rcms_err_set(err, RCMS_ERR_INVALID, k,
			    "unknown agreement field '%.40s'; fields are name, "
			    "countries, reply, reply_accelerated, "
			    "extension_max_days, silence_accepts, transfer, "
			    "transit_reply, transit, source, note", k);
}

/*
 * agreements.json:
 *   {"agreements": [{"code": "...", "name": "...", "countries": "AL BA",
 *                    "reply": "10 calendar_days", ...}],
 *    "holidays": [{"country": "RS", "date": "2026-01-07", "name": "..."}]}
 */
enum rcms_status wire_reference_parse(const char *json,
				      struct rcms_agreement **agr, size_t *nagr,
				      struct rcms_holiday **hol, size_t *nhol,
				      struct rcms_err *err)
{
	cJSON *root = cJSON_ParseWithOpts(json, NULL, 1);
	const cJSON *list, *it, *f;
	size_t i = 0;
	enum rcms_status rc = RCMS_OK;

	*agr = NULL;
	*hol = NULL;
	*nagr = *nhol = 0;
	if (!root || !cJSON_IsObject(root)) {
		rc = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
			     "the agreements file is not a JSON object");
		goto out;
	}
	list = cJSON_GetObjectItemCaseSensitive(root, "agreements");
	if (list && !cJSON_IsArray(list)) {
		rc = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
			     "\"agreements\" must be a list");
		goto out;
	}
	if (list && cJSON_GetArraySize(list) > 0) {
		*agr = calloc((size_t)cJSON_GetArraySize(list), sizeof(**agr));
		if (!*agr) {
			rc = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
			goto out;
		}
	}
	cJSON_ArrayForEach(it, list) {
		struct rcms_agreement *a = &(*agr)[i];
		if (!cJSON_IsObject(it)) {
			rc = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				     "agreement %zu is not an object", i + 1);
			goto out;
		}
		cJSON_ArrayForEach(f, it) {
			char num[32];
			const char *v = num;
			enum rcms_status st;
			if (cJSON_IsString(f))
				v = f->valuestring;
			else if (cJSON_IsNumber(f))
				snprintf(num, sizeof(num), "%d", f->valueint);
			else if (cJSON_IsBool(f))
				snprintf(num, sizeof(num), "%s",
					 cJSON_IsTrue(f) ? "yes" : "no");
			else
				v = NULL;
			if (!v) {
				st = rcms_err_set(err, RCMS_ERR_INVALID,
						  f->string, "bad value");
			} else if (strcmp(f->string, "code") == 0) {
				st = rcms_copy(a->code, sizeof(a->code), v,
					       "code", err);
			} else {
				st = wire_agreement_set(a, f->string, v, err);
			}
			if (st) {
				char msg[sizeof(err->msg)];
				snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
				rc = rcms_err_set(err, st, NULL,
						  "agreement %zu: %s", i + 1,
						  msg);
				goto out;
			}
		}
		if (rcms_agreement_validate(a, err)) {
			char msg[sizeof(err->msg)];
			snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
			rc = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				     "agreement %zu (%s): %s", i + 1, a->code,
				     msg);
			goto out;
		}
		i++;
	}
	*nagr = i;
	list = cJSON_GetObjectItemCaseSensitive(root, "holidays");
	i = 0;
	if (list && cJSON_IsArray(list) && cJSON_GetArraySize(list) > 0) {
		*hol = calloc((size_t)cJSON_GetArraySize(list), sizeof(**hol));
		if (!*hol) {
			rc = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
			goto out;
		}
	}
	cJSON_ArrayForEach(it, list) {
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "country");
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(it, "date");
		struct rcms_pdate pd;
		char a2[3];
		if (!cJSON_IsString(c) || !cJSON_IsString(d) ||
		    rcms_country_check2(c->valuestring, "holiday country", a2,
					err) ||
		    rcms_pdate_parse(d->valuestring, "holiday date", &pd,
				     err) ||
		    !rcms_pdate_is_full(&pd)) {
			rc = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				     "holiday %zu needs a country code and a "
				     "full date YYYY-MM-DD", i + 1);
			goto out;
		}
		memcpy((*hol)[i].country, a2, 3);
		(*hol)[i].year = pd.year;
		(*hol)[i].month = pd.month;
		(*hol)[i].day = pd.day;
		i++;
	}
	*nhol = i;
out:
	if (rc) {
		free(*agr);
		free(*hol);
		*agr = NULL;
		*hol = NULL;
		*nagr = *nhol = 0;
	}
	cJSON_Delete(root);
	return rc;
}

