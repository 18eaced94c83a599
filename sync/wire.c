/* wire.c - JSON <-> records through the field tables. */
#include "sync/wire.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

void wire_record_to_json(const struct rcms_field *table, const void *rec,
			 bool all, cJSON *obj)
{
	char buf[RCMS_TEXT_LEN + 64];
	const struct rcms_field *f;

	for (f = table; f->name; f++) {
		const void *p = (const char *)rec + f->offset;
		if (!all && rcms_field_is_empty(f, rec) &&
		    f->type != RCMS_F_ENUM)
			continue;
		switch (f->type) {
		case RCMS_F_BOOL:
			cJSON_AddBoolToObject(obj, f->name, *(const bool *)p);
			break;
		case RCMS_F_INT:
			cJSON_AddNumberToObject(obj, f->name, *(const int *)p);
			break;
		default:
			rcms_field_get(f, rec, buf, sizeof(buf));
			cJSON_AddStringToObject(obj, f->name, buf);
		}
	}
}

bool wire_int(const cJSON *v, int64_t *out)
{
	double d;

	*out = 0;
	if (!cJSON_IsNumber(v))
		return false;
	d = v->valuedouble;
	/* the range first: only then may it be converted */
	if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) ||
	    d != (double)(int64_t)d)
		return false;
	*out = (int64_t)d;
	return true;
}

enum rcms_status wire_scalar(const cJSON *v, const char *name, char *buf,
			     size_t size, struct rcms_err *err)
{
	if (cJSON_IsString(v)) {
		if (strlen(v->valuestring) >= size)
			return rcms_err_set(err, RCMS_ERR_INVALID, name,
					    "%s is too long", name);
		snprintf(buf, size, "%s", v->valuestring);
	} else if (cJSON_IsBool(v)) {
		snprintf(buf, size, "%s", cJSON_IsTrue(v) ? "yes" : "no");
	} else if (cJSON_IsNumber(v)) {
		int64_t n;
		if (!wire_int(v, &n) || n > 1000000000000000 ||
		    n < -1000000000000000)
			return rcms_err_set(err, RCMS_ERR_INVALID, name,
					    "%s must be a whole number", name);
		snprintf(buf, size, "%lld", (long long)n);
	} else if (cJSON_IsNull(v)) {
		buf[0] = '\0';
	} else {
		return rcms_err_set(err, RCMS_ERR_INVALID, name,
				    "%s must be a string, a number or "
				    "true/false", name);
	}
	return RCMS_OK;
}

/*
 * One JSON value into field f of rec: what wire_scalar and rcms_field_set
 * do, without the text round trip where the value is already of the
 * field's kind (a string is checked where it is; a boolean or a whole
 * number in range is stored as it is).  Anything else, errors included,
 * goes the text way, so that the messages stay the same.
 */
static enum rcms_status set_value(const struct rcms_field *f, void *rec,
				  const cJSON *it,
				  const struct rcms_today *today,
				  struct rcms_err *err)
{
	char buf[RCMS_TEXT_LEN + 1];
	enum rcms_status st;

	if (cJSON_IsString(it) && it->valuestring &&
	    strlen(it->valuestring) < sizeof(buf))
		return rcms_field_set(f, rec, it->valuestring, today, err);
	if (f->type == RCMS_F_BOOL && cJSON_IsBool(it)) {
		bool b = cJSON_IsTrue(it);
		memcpy((char *)rec + f->offset, &b, sizeof(b));
		return RCMS_OK;
	}
	if (f->type == RCMS_F_INT && cJSON_IsNumber(it)) {
		int64_t n;
		if (wire_int(it, &n) && n >= 0 && n <= f->max) {
			int v = (int)n;
			memcpy((char *)rec + f->offset, &v, sizeof(v));
			return RCMS_OK;
		}
	}
	if ((st = wire_scalar(it, f->name, buf, sizeof(buf), err)))
		return st;
	return rcms_field_set(f, rec, buf, today, err);
}

enum rcms_status wire_record_from_json_but(const struct rcms_field *table,
					   void *rec, const cJSON *obj,
					   const char *skip,
					   unsigned need_flags,
					   const struct rcms_today *today,
					   struct rcms_err *err)
{
	const struct rcms_field *f;
	const cJSON *it;
	enum rcms_status st;
	size_t hint = 0;

	if (!cJSON_IsObject(obj))
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "expected an object of fields");
	cJSON_ArrayForEach(it, obj) {
		/* the first member of that name, as cJSON finds it (without
		 * regard to case) */
		if (skip && it->string && strcasecmp(it->string, skip) == 0) {
			skip = NULL;
			continue;
		}
		f = rcms_field_find_next(table, it->string, &hint);
		if (!f || (need_flags && !(f->flags & need_flags)))
			return rcms_err_set(err, RCMS_ERR_INVALID, it->string,
					    "unknown or read-only field "
					    "'%.40s'", it->string);
		if ((st = set_value(f, rec, it, today, err)))
			return st;
	}
	return RCMS_OK;
}

enum rcms_status wire_record_from_json(const struct rcms_field *table,
				       void *rec, const cJSON *obj,
				       unsigned need_flags,
				       const struct rcms_today *today,
				       struct rcms_err *err)
{
	return wire_record_from_json_but(table, rec, obj, NULL, need_flags,
					 today, err);
}

static int depth_ok(const cJSON *j, int depth)
{
	const cJSON *c;

	if (depth > WIRE_MAX_DEPTH)
		return 0;
	for (c = j ? j->child : NULL; c; c = c->next)
		if ((cJSON_IsObject(c) || cJSON_IsArray(c)) &&
		    !depth_ok(c, depth + 1))
			return 0;
	return 1;
}

/* cJSON recurses while parsing: refuse deep nesting before it does. */
static int nesting_ok(const char *s, size_t len)
{
	int depth = 0;
	bool in_str = false;
	size_t i;

	for (i = 0; i < len; i++) {
		char ch = s[i];
		if (in_str) {
			/* to the string's next quote or backslash at once
			 * (s has no NUL before len, and one at len) */
			i += strcspn(s + i, "\"\\");
			if (i >= len)
				break;
			if (s[i] == '\\')
				i++;
			else
				in_str = false;
			continue;
		}
		if (ch == '"')
			in_str = true;
		else if (ch == '{' || ch == '[') {
			if (++depth > WIRE_MAX_DEPTH)
				return 0;
		} else if (ch == '}' || ch == ']')
			depth--;
	}
	return 1;
}

cJSON *wire_parse(const char *text, size_t len, struct rcms_err *err)
{
	cJSON *j;

	if (!text || len == 0) {
		rcms_err_set(err, RCMS_ERR_INVALID, NULL, "empty body");
		return NULL;
	}
	if (len > WIRE_MAX_BODY) {
		rcms_err_set(err, RCMS_ERR_INVALID, NULL, "body too large");
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		rcms_err_set(err, RCMS_ERR_INVALID, NULL,
			     "NUL byte in the body");
		return NULL;
	}
	if (!rcms_utf8_valid(text, len, NULL)) {
		rcms_err_set(err, RCMS_ERR_INVALID, NULL,
			     "the body is not valid UTF-8");
		return NULL;
	}
	if (!nesting_ok(text, len)) {
		rcms_err_set(err, RCMS_ERR_INVALID, NULL,
			     "JSON nested deeper than %d levels",
			     WIRE_MAX_DEPTH);
		return NULL;
	}
	/* text[len] is the NUL that require_null_terminated checks for */
	j = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
	if (!j || !cJSON_IsObject(j) || !depth_ok(j, 1)) {
		cJSON_Delete(j);
		rcms_err_set(err, RCMS_ERR_INVALID, NULL,
			     "the body is not a JSON object");
		return NULL;
	}
	return j;
}

enum rcms_status wire_case_from_json(const cJSON *j, struct rcms_case *c,
				     struct rcms_err *err)
{
	const cJSON *it;
	size_t hint = 0;

	if (!cJSON_IsObject(j))
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "a case must be an object");
	rcms_case_init(c);
	cJSON_ArrayForEach(it, j) {
		const struct rcms_field *f = rcms_field_find_next(
			rcms_case_fields, it->string, &hint);
		void *p;
		if (!f)
			continue;  /* rev, seq, documents ...: the caller's */
		p = (char *)c + f->offset;
		if (f->type == RCMS_F_ID) {
			if (!cJSON_IsString(it) ||
			    strlen(it->valuestring) >= f->size ||
			    rcms_text_check(it->valuestring, f->size - 1,
					    RCMS_TEXT_SINGLE_LINE, f->name,
					    NULL))
				return rcms_err_set(err, RCMS_ERR_INVALID,
						    f->name, "bad %s", f->name);
			memcpy(p, it->valuestring,
			       strlen(it->valuestring) + 1);
			continue;
		}
		if (f->type == RCMS_F_TIME) {
			int64_t t = 0;
			if (cJSON_IsString(it) && it->valuestring[0] &&
			    rcms_time_parse(it->valuestring, &t))
				return rcms_err_set(err, RCMS_ERR_INVALID,
						    f->name, "bad time in %s",
						    f->name);
			memcpy(p, &t, sizeof(t));
			continue;
		}
		if (set_value(f, c, it, NULL, err))
			return err ? err->status : RCMS_ERR_INVALID;
	}
	return RCMS_OK;
}
