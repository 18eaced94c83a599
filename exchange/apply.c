/* apply.c - one pushed operation: idempotency, ownership, the shared
 * state machine and validation, field-level merge.  The exchange's clock
 * stamps the receipt and the deadlines. */
#include "exchange/apply.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "exchange/xjson.h"
#include "sync/wire.h"

cJSON *xproblem(const char *name, const char *title, const char *detail)
{
	cJSON *p = cJSON_CreateObject();
	char type[96];

	snprintf(type, sizeof(type), "urn:rcms:problem:%s", name);
	cJSON_AddStringToObject(p, "type", type);
	cJSON_AddStringToObject(p, "title", title);
	if (detail && *detail)
		cJSON_AddStringToObject(p, "detail", detail);
	return p;
}

static cJSON *result(const char *op_id, const char *status)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "op_id", op_id ? op_id : "");
	cJSON_AddStringToObject(r, "status", status);
	return r;
}

static cJSON *rejected(const char *op_id, const char *name,
		       const char *title, const char *detail)
{
	cJSON *r = result(op_id, "rejected");

	cJSON_AddItemToObject(r, "problem", xproblem(name, title, detail));
	return r;
}

cJSON *xapply_result(const char *op_id, const char *status)
{
	return result(op_id, status);
}

cJSON *xapply_rejected(const char *op_id, const char *name,
		       const char *title, const char *detail)
{
	return rejected(op_id, name, title, detail);
}

/* The same for a field's refusal: the field, when known, named in the
 * problem ("field") for the client to point at. */
static cJSON *rejected_err(const char *op_id, const char *name,
			   const char *title, const struct rcms_err *err)
{
	cJSON *r = rejected(op_id, name, title, rcms_err_msg(err));
	cJSON *p = cJSON_GetObjectItemCaseSensitive(r, "problem");

	if (err->field[0])
		cJSON_AddStringToObject(p, "field", err->field);
	return r;
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool is_uuid(const char *s)
{
	size_t i;

	if (!s || strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		char ch = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (ch != '-')
				return false;
		} else if (!((ch >= '0' && ch <= '9') ||
			     (ch >= 'a' && ch <= 'f'))) {
			return false;
		}
	}
	return true;
}

/* SHA-256 over what makes an op what it is (the actor too: the same step
 * by another user is another op, as four eyes and note authors show):
 * each key and its value as cJSON_PrintUnformatted prints it, each with
 * its NUL. */
bool xapply_fingerprint(const cJSON *op, struct xjson *w, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	static const char *const keys[] = {"type", "entity_id", "base_rev",
					   "fields", "actor"};
	unsigned char md[32];
	unsigned int n = 0;
	size_t i;

	xjson_reset(w);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(op, keys[i]);
		xjson_raw(w, keys[i], strlen(keys[i]) + 1);
		if (v) {
			xjson_print(w, v);
			xjson_raw(w, "", 1);
		}
	}
	if (w->failed ||
	    !EVP_Digest(w->buf, w->len, md, &n, EVP_sha256(), NULL))
		return false;
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return true;
}

/* The sides an agency takes in a case.  The requested agency takes part
 * only once the application has been sent: a draft, or an application
 * awaiting approval, does not exist for it (as in the feed, where the
 * store counts it "submitted" by the same rule). */
static unsigned side_of(const char *agency, const struct rcms_case *c)
{
	unsigned side = 0;
	bool sent = !rcms_status_is_local(c->status) &&
		    !(c->status == RCMS_CS_WITHDRAWN && !c->submitted_at);

	if (strcmp(agency, c->requesting_agency) == 0)
		side |= RCMS_SIDE_REQUESTING;
	if (sent && c->requested_agency[0] &&
	    strcmp(agency, c->requested_agency) == 0)
		side |= RCMS_SIDE_REQUESTED;
	return side;
}

static void today_of(int64_t now, struct rcms_today *t)
{
	rcms_utc_to_ymd(now, &t->y, &t->m, &t->d);
}

static void set_rev(cJSON *revs, const char *field, int64_t rev)
{
	cJSON_DeleteItemFromObjectCaseSensitive(revs, field);
	cJSON_AddNumberToObject(revs, field, (double)rev);
}

static int64_t field_rev(const cJSON *revs, const char *field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(revs, field);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

/* Deadlines by the exchange's clock, from the case's agreement. */
static void deadlines(const struct xstore_ops *ops, struct xstore *s,
		      struct xcase *xc, int64_t now)
{
	struct rcms_agreement a;
	struct rcms_holiday hol[512];
	struct rcms_holidays hs = {hol, 0};
	struct rcms_deadline_in in;
	struct rcms_deadlines d;
	char cc[3] = {xc->c.requested_agency[0], xc->c.requested_agency[1], 0};

	xc->reply_due = xc->deemed_at = 0;
	if (!xc->c.received_at ||
	    ops->agreement_for(s, xc->c.agreement, cc, &a, NULL) != RCMS_OK)
		return;
	ops->holidays(s, cc, hol, 512, &hs.n, NULL);
	memset(&in, 0, sizeof(in));
	in.agreement = &a;
	in.procedure = xc->c.procedure;
	in.requested_country = cc;
	in.holidays = &hs;
	in.received_at = xc->c.received_at;
	in.extension_days = xc->c.extension_days;
	in.decided_at = xc->c.decided_at;
	in.accepted = xc->c.status == RCMS_CS_ACCEPTED;
	if (rcms_deadlines_compute(&in, now, &d, NULL) != RCMS_OK)
		return;
	xc->reply_due = d.reply_due;
	xc->deemed_at = rcms_status_awaits_reply(xc->c.status) ? d.deemed_at
								: 0;
}

/*
 * wire_record_from_json over obj without the first member named by each
 * of skip (NULL-terminated): what it does with a copy of obj from which
 * those were deleted, without the copy.
 */
static enum rcms_status record_from_json(const struct rcms_field *table,
					 void *rec, const cJSON *obj,
					 const char *const *skip,
					 unsigned need_flags,
					 const struct rcms_today *today,
					 struct rcms_err *err)
{
	char buf[RCMS_TEXT_LEN + 1];
	unsigned skipped = 0;   /* a bit for each of skip, once skipped */
	const struct rcms_field *f;
	const cJSON *it;
	enum rcms_status st;
	size_t hint = 0;

	if (!cJSON_IsObject(obj))
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "expected an object of fields");
	cJSON_ArrayForEach(it, obj) {
		unsigned i;
		for (i = 0; skip[i]; i++)
			if (!(skipped & (1u << i)) && it->string &&
			    strcmp(it->string, skip[i]) == 0)
				break;
		if (skip[i]) {
			skipped |= 1u << i;
			continue;
		}
		f = it->string ? rcms_field_find_next(table, it->string, &hint)
			       : NULL;
		if (!f || (need_flags && !(f->flags & need_flags)))
			return rcms_err_set(err, RCMS_ERR_INVALID, it->string,
					    "unknown or read-only field "
					    "'%.40s'", it->string);
		/* a string is checked where it is; wire_scalar would copy it
		 * into buf after the same length check */
		if (cJSON_IsString(it) && it->valuestring &&
		    strlen(it->valuestring) < sizeof(buf))
			st = rcms_field_set(f, rec, it->valuestring, today, err);
		else if (!(st = wire_scalar(it, f->name, buf, sizeof(buf),
					    err)))
			st = rcms_field_set(f, rec, buf, today, err);
		if (st)
			return st;
	}
	return RCMS_OK;
}

/* The revisions of a new case, every field its own at 1, as the store
 * writes a cJSON object of them: made once, not 40 items made, printed
 * and freed for each case.create. */
static char *new_revs;
static pthread_once_t new_revs_once = PTHREAD_ONCE_INIT;

static void new_revs_make(void)
{
	const struct rcms_field *f;
	struct xjson w = {0};
	cJSON *revs = cJSON_CreateObject();

	for (f = rcms_case_fields; revs && f->name; f++)
		if (f->flags & RCMS_FF_EDIT)
			cJSON_AddNumberToObject(revs, f->name, 1);
	if (revs)
		xjson_cjson(&w, revs);
	if (revs && !w.failed)
		new_revs = strndup(w.buf, w.len);
	cJSON_Delete(revs);
	xjson_free(&w);
}

/* ---- the operations ------------------------------------------------------- */

static cJSON *op_case_create(const struct xstore_ops *ops, struct xstore *s,
			     const struct xactor *who, const char *op_id,
			     const char *id, const cJSON *fields, int64_t now,
			     struct xjson *w)
{
	/* set apart from the fields: the exchange sets them itself */
	static const char *const case_skip[] = {"documents", "local_ref",
						"requesting_agency",
						"created_by", NULL};
	static const char *const doc_skip[] = {"id", NULL};
	struct xcase xc;
	struct rcms_today today;
	struct rcms_err err;
	const cJSON *docs, *d;
	const char *v;
	cJSON *res = NULL;
	enum rcms_status st;

	rcms_err_clear(&err);
	today_of(now, &today);
	if (ops->case_get(s, id, &xc, &err)) {
		xcase_free(&xc);
		return NULL;
	}
	if (xc.exists) {
		xcase_free(&xc);
		return rejected(op_id, "exists", "the case exists already",
				"a case.create for an id the exchange has");
	}
	/* xc is as xcase_init left it: the application fields, validated
	 * as on the workstation */
	st = record_from_json(rcms_case_fields, &xc.c, fields, case_skip,
			      RCMS_FF_EDIT, &today, &err);
	if (st) {
		xcase_free(&xc);
		return rejected_err(op_id, "invalid-field", "a field is invalid",
				&err);
	}
	v = str(fields, "requesting_agency");
	if (v && strcmp(v, who->agency) != 0) {
		xcase_free(&xc);
		return rejected(op_id, "not-owner",
				"a case belongs to the agency that opens it",
				"requesting_agency differs from the "
				"certificate's agency");
	}
	snprintf(xc.c.id, sizeof(xc.c.id), "%s", id);
	snprintf(xc.c.requesting_agency, sizeof(xc.c.requesting_agency), "%s",
		 who->agency);
	v = str(fields, "local_ref");
	snprintf(xc.c.local_ref, sizeof(xc.c.local_ref), "%s", v ? v : "");
	v = str(fields, "created_by");
	snprintf(xc.c.created_by, sizeof(xc.c.created_by), "%s", v ? v : "");
	xc.c.status = RCMS_CS_DRAFT;
	xc.c.created_at = xc.c.updated_at = now;
	xc.c.rev = 1;
	if ((st = rcms_case_check_rules(&xc.c, &err))) {
		xcase_free(&xc);
		return rejected_err(op_id, "invalid-field", "the case is invalid",
				&err);
	}
	/* a new object: no old rev */
	pthread_once(&new_revs_once, new_revs_make);
	if (!new_revs) {
		xcase_free(&xc);
		return NULL;
	}
	xc.revs_text = new_revs;
	/* documents first (their key to the case is checked at commit), so
	 * that the case is written once, with them in its feed snapshot */
	docs = cJSON_GetObjectItemCaseSensitive(fields, "documents");
	cJSON_ArrayForEach(d, docs) {
		struct rcms_document doc;
		struct xchild ch;
		const char *did = str(d, "id");
		rcms_document_init(&doc);
		if (!is_uuid(did)) {
			xcase_free(&xc);
			return rejected(op_id, "invalid-field",
					"a document needs a UUID id", NULL);
		}
		st = record_from_json(rcms_document_fields, &doc, d, doc_skip,
				      0, &today, &err);
		if (!st)
			st = rcms_document_validate(&doc, &today, &err);
		if (st) {
			xcase_free(&xc);
			return rejected_err(op_id, "invalid-field",
					"a document is invalid",
					&err);
		}
		xjson_reset(w);
		xjson_open(w, '{');
		xjson_name(w, "id");
		xjson_str(w, did);
		xjson_record(w, rcms_document_fields, &doc, false, NULL);
		xjson_close(w, '}');
		if (w->failed) {
			xcase_free(&xc);
			return NULL;
		}
		ch.kind = "document";
		ch.id = did;
		ch.case_id = id;
		ch.sha256 = NULL;
		ch.body = w->buf;
		st = ops->child_put(s, &ch, &err);
		if (st == RCMS_ERR_EXISTS) {
			xcase_free(&xc);
			return rejected(op_id, "exists",
					"a document with this id exists", NULL);
		}
		if (st)
			goto storage;
	}
	if (ops->case_put(s, &xc, &err))
		goto storage;
	res = result(op_id, "applied");
	cJSON_AddNumberToObject(res, "rev", (double)xc.c.rev);
	cJSON_AddNumberToObject(res, "seq", (double)xc.seq);
	xcase_free(&xc);
	return res;
storage:
	xcase_free(&xc);
	return NULL;
}

static bool is_transfer_field(const char *n)
{
	return strcmp(n, "transfer_date") == 0 ||
	       strcmp(n, "crossing_point") == 0 || strcmp(n, "escort") == 0;
}

static cJSON *op_case_update(const struct xstore_ops *ops, struct xstore *s,
			     const struct xactor *who, const char *op_id,
			     const char *id, int64_t base, const cJSON *fields,
			     int64_t now)
{
	struct xcase xc;
	struct rcms_case old;
	struct rcms_today today;
	struct rcms_err err;
	const cJSON *chg = cJSON_GetObjectItemCaseSensitive(fields, "fields");
	const cJSON *it;
	cJSON *res, *conflicts = NULL;
	char buf[RCMS_TEXT_LEN + 64], detail[256];
	unsigned side;
	int64_t rev;

	rcms_err_clear(&err);
	today_of(now, &today);
	if (!cJSON_IsObject(chg) || !chg->child)
		return rejected(op_id, "invalid-op", "nothing to change",
				"case.update needs fields: {...}");
	if (ops->case_get(s, id, &xc, &err))
		return NULL;
	if (!xc.exists || !(side = side_of(who->agency, &xc.c))) {
		xcase_free(&xc);
		return rejected(op_id, "not-found", "no such case", NULL);
	}
	old = xc.c;
	cJSON_ArrayForEach(it, chg) {
		const struct rcms_field *f =
			rcms_field_find(rcms_case_fields, it->string);
		if (!f || !(f->flags & RCMS_FF_EDIT)) {
			xcase_free(&xc);
			snprintf(detail, sizeof(detail), "field '%.40s'",
				 it->string);
			return rejected(op_id, "invalid-field",
					"unknown or read-only field", detail);
		}
		if (!(f->owner & side)) {
			xcase_free(&xc);
			snprintf(detail, sizeof(detail),
				 "%s belongs to the other agency", f->name);
			return rejected(op_id, "not-owner",
					"your agency does not own this field",
					detail);
		}
		if (rcms_status_is_final(xc.c.status) ||
		    (!rcms_status_is_local(xc.c.status) &&
		     !is_transfer_field(f->name))) {
			xcase_free(&xc);
			snprintf(detail, sizeof(detail), "%s in state %s",
				 f->name,
				 rcms_enum_name(rcms_case_status_names,
						(int)xc.c.status));
			return rejected(op_id, "invalid-transition",
					"the field cannot change in this state",
					detail);
		}
		if (wire_scalar(it, f->name, buf, sizeof(buf), &err) ||
		    rcms_field_set(f, &xc.c, buf, &today, &err)) {
			xcase_free(&xc);
			return rejected_err(op_id, "invalid-field",
					"a field is invalid",
					&err);
		}
		/* changed since the base, to something else: a conflict */
		if (field_rev(xc.revs, f->name) > base &&
		    !rcms_field_equal(f, &xc.c, &old)) {
			cJSON *c;
			if (!conflicts)
				conflicts = cJSON_CreateObject();
			c = cJSON_AddObjectToObject(conflicts, f->name);
			rcms_field_get(f, &old, buf, sizeof(buf));
			cJSON_AddStringToObject(c, "server", buf);
			cJSON_AddNumberToObject(c, "rev",
						(double)field_rev(xc.revs,
								  f->name));
		}
	}
	if (conflicts) {
		res = result(op_id, "conflict");
		cJSON_AddNumberToObject(res, "rev", (double)old.rev);
		cJSON_AddItemToObject(res, "fields", conflicts);
		xcase_free(&xc);
		return res;
	}
	if (rcms_case_check_rules(&xc.c, &err)) {
		xcase_free(&xc);
		return rejected_err(op_id, "invalid-field", "the case is invalid",
				&err);
	}
	rev = old.rev + 1;
	cJSON_ArrayForEach(it, chg) {
		const struct rcms_field *f =
			rcms_field_find(rcms_case_fields, it->string);
		if (!rcms_field_equal(f, &xc.c, &old))
			set_rev(xc.revs, f->name, rev);
	}
	xc.c.rev = rev;
	xc.c.updated_at = now;
	if (ops->case_put(s, &xc, &err)) {
		xcase_free(&xc);
		return NULL;
	}
	res = result(op_id, "applied");
	cJSON_AddNumberToObject(res, "rev", (double)xc.c.rev);
	cJSON_AddNumberToObject(res, "seq", (double)xc.seq);
	cJSON_AddBoolToObject(res, "merged", base < old.rev);
	xcase_free(&xc);
	return res;
}

static enum rcms_status take_step(const struct xstore_ops *ops,
				  struct xstore *s, struct xcase *xc,
				  const struct rcms_transition *t,
				  const struct rcms_transition_args *args,
				  const char *user, int64_t now,
				  struct rcms_err *err)
{
	const char *action = t->action;

	xc->c.status = t->to;
	if (t->requires & RCMS_REQ_REASON)
		snprintf(xc->c.reason, sizeof(xc->c.reason), "%s",
			 args->reason ? args->reason : "");
	if (strcmp(action, "approve") == 0) {
		int64_t n = 0;
		struct rcms_today td;
		char ref[RCMS_REF_LEN];
		snprintf(xc->c.approved_by, sizeof(xc->c.approved_by), "%s",
			 user);
		xc->c.submitted_at = now;
		/* the clock starts at the exchange's receipt */
		xc->c.received_at = now;
		today_of(now, &td);
		if (!xc->c.final_ref[0]) {
			if (ops->next_ref(s, td.y, &n, err))
				return err->status;
			snprintf(ref, sizeof(ref), "%.2s-%.2s-%04d-%06lld",
				 xc->c.requesting_agency,
				 xc->c.requested_agency, td.y, (long long)n);
			snprintf(xc->c.final_ref, sizeof(xc->c.final_ref),
				 "%s", ref);
		}
	}
	if (strcmp(action, "extend") == 0)
		xc->c.extension_days = args->days;
	if (strcmp(action, "accept") == 0 || strcmp(action, "reject") == 0 ||
	    strcmp(action, "deem") == 0)
		xc->c.decided_at = now;
	if (t->requires & RCMS_REQ_TRAVEL_DOC)
		snprintf(xc->c.travel_doc_number,
			 sizeof(xc->c.travel_doc_number), "%s",
			 args->travel_doc);
	if (t->requires & RCMS_REQ_TRANSFER_DATE)
		xc->c.transfer_date = args->transfer_date;
	xc->c.rev++;
	xc->c.updated_at = now;
	deadlines(ops, s, xc, now);
	return ops->case_put(s, xc, err);
}

static cJSON *op_case_transition(const struct xstore_ops *ops,
				 struct xstore *s, const struct xactor *who,
				 const char *op_id, const char *id,
				 const cJSON *fields, const char *actor,
				 int64_t now)
{
	struct xcase xc;
	struct rcms_err err;
	struct rcms_transition_args args;
	struct rcms_actor a;
	struct rcms_agreement agr;
	const struct rcms_transition *t = NULL;
	const char *action = str(fields, "action");
	const char *role = str(fields, "role");
	const cJSON *days = cJSON_GetObjectItemCaseSensitive(fields, "days");
	const char *date = str(fields, "transfer_date");
	char cc[3];
	cJSON *res;
	unsigned side;
	int rv = RCMS_ROLE_OFFICER;

	rcms_err_clear(&err);
	if (!action)
		return rejected(op_id, "invalid-op", "no action", NULL);
	if (strcmp(action, "deem") == 0)
		return rejected(op_id, "not-owner",
				"only the exchange's clock deems a case "
				"accepted", NULL);
	if (ops->case_get(s, id, &xc, &err))
		return NULL;
	if (!xc.exists || !(side = side_of(who->agency, &xc.c))) {
		xcase_free(&xc);
		return rejected(op_id, "not-found", "no such case", NULL);
	}
	memset(&args, 0, sizeof(args));
	args.reason = str(fields, "reason");
	args.travel_doc = str(fields, "travel_doc_number");
	if (cJSON_IsNumber(days))
		args.days = days->valueint;
	if (date && rcms_pdate_parse(date, "transfer date", &args.transfer_date,
				     &err)) {
		xcase_free(&xc);
		return rejected_err(op_id, "invalid-field", "bad transfer date",
				&err);
	}
	cc[0] = xc.c.requested_agency[0];
	cc[1] = xc.c.requested_agency[1];
	cc[2] = '\0';
	if (ops->agreement_for(s, xc.c.agreement, cc, &agr, NULL) == RCMS_OK)
		args.max_days = agr.extension_max_days;
	/* the side comes from the certificate; the role from the
	 * workstation, which checked its user (see rcms-exchange(8)) */
	if (role)
		rcms_enum_parse(rcms_role_names, role, &rv);
	a.role = (enum rcms_role)rv;
	a.user = actor ? actor : "";
	a.side = (side & RCMS_SIDE_REQUESTING) ? RCMS_SIDE_REQUESTING
					       : RCMS_SIDE_REQUESTED;
	if (side == (RCMS_SIDE_REQUESTING | RCMS_SIDE_REQUESTED)) {
		const struct rcms_transition *r =
			rcms_transition_find(xc.c.status, action);
		if (r && !(r->sides & RCMS_SIDE_REQUESTING))
			a.side = RCMS_SIDE_REQUESTED;
	}
	if (rcms_transition_check(&xc.c, action, &a, &args, &t, &err)) {
		const char *name = err.status == RCMS_ERR_PERMISSION
					   ? "not-owner"
				   : err.status == RCMS_ERR_TRANSITION
					   ? "invalid-transition"
					   : "invalid-field";
		xcase_free(&xc);
		return rejected(op_id, name, "the step is not allowed",
				rcms_err_msg(&err));
	}
	if ((strcmp(action, "submit") == 0 || strcmp(action, "approve") == 0) &&
	    rcms_case_check_complete(&xc.c, &err)) {
		xcase_free(&xc);
		return rejected_err(op_id, "invalid-field",
				"the application is not complete",
				&err);
	}
	if (take_step(ops, s, &xc, t, &args, a.user, now, &err)) {
		xcase_free(&xc);
		return NULL;
	}
	res = result(op_id, "applied");
	cJSON_AddNumberToObject(res, "rev", (double)xc.c.rev);
	cJSON_AddNumberToObject(res, "seq", (double)xc.seq);
	cJSON_AddStringToObject(res, "case_status",
				rcms_enum_name(rcms_case_status_names,
					       (int)xc.c.status));
	if (xc.c.final_ref[0])
		cJSON_AddStringToObject(res, "final_ref", xc.c.final_ref);
	if (xc.c.received_at) {
		char tm[32];
		rcms_time_format(xc.c.received_at, tm, sizeof(tm));
		cJSON_AddStringToObject(res, "received_at", tm);
	}
	xcase_free(&xc);
	return res;
}

/* note.add, attachment.link, document.add: a child record of a case. */
/* idcheck.request (requesting side, case sent and not final) and
 * idcheck.answer (requested side, once; append-only). */
static cJSON *op_idcheck(const struct xstore_ops *ops, struct xstore *s,
			 const struct xactor *who, const char *op_id,
			 const char *type, const char *id,
			 const cJSON *fields, const char *actor, int64_t now)
{
	struct xcase xc;
	struct rcms_err err;
	const char *qid = str(fields, "idcheck_id");
	cJSON *body = NULL, *res;
	char *text = NULL, *old = NULL, tm[32];
	unsigned side;
	enum rcms_status st;
	int v;

	rcms_err_clear(&err);
	if (!is_uuid(qid))
		return rejected(op_id, "invalid-field",
				"an identity check needs a UUID id", NULL);
	if (ops->case_get(s, id, &xc, &err))
		return NULL;
	if (!xc.exists || !(side = side_of(who->agency, &xc.c))) {
		xcase_free(&xc);
		return rejected(op_id, "not-found", "no such case", NULL);
	}
	rcms_time_format(now, tm, sizeof(tm));
	if (strcmp(type, "idcheck.request") == 0) {
		const char *k = str(fields, "kind");
		const char *q = str(fields, "question");
		if (!(side & RCMS_SIDE_REQUESTING) ||
		    rcms_status_is_local(xc.c.status) ||
		    rcms_status_is_final(xc.c.status)) {
			xcase_free(&xc);
			return rejected(op_id, "not-owner",
					"an identity check is asked by the "
					"requesting agency of a sent case",
					NULL);
		}
		if (!k || rcms_enum_parse(rcms_idcheck_kind_names, k, &v) ||
		    !q || rcms_text_check(q, RCMS_TEXT_LEN - 1,
					  RCMS_TEXT_NONEMPTY, "question",
					  &err)) {
			xcase_free(&xc);
			return rejected(op_id, "invalid-field",
					"an identity check needs a kind and a "
					"question", rcms_err_msg(&err));
		}
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "id", qid);
		cJSON_AddStringToObject(body, "kind", k);
		cJSON_AddStringToObject(body, "question", q);
		cJSON_AddStringToObject(body, "agency", who->agency);
		cJSON_AddStringToObject(body, "asked_by", actor ? actor : "");
		cJSON_AddStringToObject(body, "asked_at", tm);
		cJSON_AddStringToObject(body, "answer", "pending");
		text = cJSON_PrintUnformatted(body);
		{
			struct xchild ch = {"idcheck", qid, id, NULL, text};
			st = text ? ops->child_put(s, &ch, &err)
				  : RCMS_ERR_NOMEM;
		}
		if (st == RCMS_ERR_EXISTS) {
			cJSON_Delete(body);
			cJSON_free(text);
			xcase_free(&xc);
			return rejected(op_id, "exists",
					"an identity check with this id "
					"exists", NULL);
		}
	} else {
		const char *a = str(fields, "answer");
		const char *t = str(fields, "text");
		const char *cur;
		if (!(side & RCMS_SIDE_REQUESTED)) {
			xcase_free(&xc);
			return rejected(op_id, "not-owner",
					"only the requested agency answers an "
					"identity check", NULL);
		}
		if (!a || rcms_enum_parse(rcms_idcheck_answer_names, a, &v) ||
		    v == RCMS_IDA_PENDING ||
		    (t && rcms_text_check(t, RCMS_TEXT_LEN - 1, 0, "text",
					  &err)) ||
		    (v != RCMS_IDA_CONFIRMED && (!t || !*t))) {
			xcase_free(&xc);
			return rejected(op_id, "invalid-field",
					"an answer is confirmed, not_confirmed "
					"or interview_required, with a text "
					"unless confirmed", NULL);
		}
		st = ops->child_get(s, qid, id, "idcheck", &old, &err);
		if (st == RCMS_ERR_NOT_FOUND) {
			xcase_free(&xc);
			return rejected(op_id, "not-found",
					"no such identity check", NULL);
		}
		if (st) {
			xcase_free(&xc);
			return NULL;
		}
		body = cJSON_Parse(old);
		free(old);
		cur = str(body, "answer");
		if (!body || !cur || strcmp(cur, "pending") != 0) {
			cJSON_Delete(body);
			xcase_free(&xc);
			return rejected(op_id, "invalid-transition",
					"this identity check was answered "
					"already", NULL);
		}
		cJSON_ReplaceItemInObject(body, "answer", cJSON_CreateString(a));
		cJSON_AddStringToObject(body, "answer_text", t ? t : "");
		cJSON_AddStringToObject(body, "answered_by", actor ? actor : "");
		cJSON_AddStringToObject(body, "answered_agency", who->agency);
		cJSON_AddStringToObject(body, "answered_at", tm);
		text = cJSON_PrintUnformatted(body);
		st = text ? ops->child_update(s, qid, text, &err)
			  : RCMS_ERR_NOMEM;
	}
	cJSON_Delete(body);
	cJSON_free(text);
	/* the case moves in the feed: both agencies see it */
	if (st || ops->case_put(s, &xc, &err)) {
		xcase_free(&xc);
		return NULL;
	}
	res = result(op_id, "applied");
	cJSON_AddNumberToObject(res, "rev", (double)xc.c.rev);
	cJSON_AddNumberToObject(res, "seq", (double)xc.seq);
	xcase_free(&xc);
	return res;
}

static cJSON *op_child(const struct xstore_ops *ops, struct xstore *s,
		       const struct xactor *who, const char *op_id,
		       const char *type, const char *id, const cJSON *fields,
		       const char *actor, int64_t now)
{
	struct xcase xc;
	struct rcms_err err;
	struct xchild ch;
	cJSON *body = NULL, *res;
	char *text;
	const char *cid = NULL, *sha = NULL, *kind;
	unsigned side;
	enum rcms_status st;
	char tm[32];

	rcms_err_clear(&err);
	if (ops->case_get(s, id, &xc, &err))
		return NULL;
	if (!xc.exists || !(side = side_of(who->agency, &xc.c))) {
		xcase_free(&xc);
		return rejected(op_id, "not-found", "no such case", NULL);
	}
	rcms_time_format(now, tm, sizeof(tm));
	body = cJSON_CreateObject();
	if (strcmp(type, "note.add") == 0) {
		const char *t = str(fields, "text");
		kind = "note";
		cid = str(fields, "note_id");
		if (!t || rcms_text_check(t, RCMS_TEXT_LEN - 1,
					  RCMS_TEXT_NONEMPTY, "note", &err))
			goto invalid;
		cJSON_AddStringToObject(body, "id", cid ? cid : "");
		cJSON_AddStringToObject(body, "author", actor ? actor : "");
		cJSON_AddStringToObject(body, "agency", who->agency);
		cJSON_AddStringToObject(body, "created_at", tm);
		cJSON_AddStringToObject(body, "text", t);
	} else if (strcmp(type, "attachment.link") == 0) {
		const char *fn = str(fields, "filename");
		const char *k = str(fields, "kind");
		const char *mime = str(fields, "mime");
		const cJSON *size = cJSON_GetObjectItemCaseSensitive(fields,
								      "size");
		int kv;
		kind = "attachment";
		cid = str(fields, "attachment_id");
		sha = str(fields, "sha256");
		if (!sha || strlen(sha) != 64 ||
		    strspn(sha, "0123456789abcdef") != 64 || !k ||
		    rcms_enum_parse(rcms_attach_kind_names, k, &kv) ||
		    !cJSON_IsNumber(size) || size->valuedouble < 0 ||
		    (fn && rcms_text_check(fn, RCMS_NAME_LEN - 1,
					   RCMS_TEXT_SINGLE_LINE, "filename",
					   &err)) ||
		    (mime && rcms_text_check(mime, 63, RCMS_TEXT_SINGLE_LINE,
					     "mime", &err))) {
			rcms_err_set(&err, RCMS_ERR_INVALID, NULL,
				     "an attachment needs sha256 (64 hex), "
				     "kind, size; filename and mime text");
			goto invalid;
		}
		cJSON_AddStringToObject(body, "id", cid ? cid : "");
		cJSON_AddStringToObject(body, "sha256", sha);
		cJSON_AddStringToObject(body, "kind", k);
		cJSON_AddStringToObject(body, "filename", fn ? fn : "");
		cJSON_AddStringToObject(body, "mime", mime ? mime
							   : "application/octet-stream");
		cJSON_AddNumberToObject(body, "size", size->valuedouble);
		cJSON_AddStringToObject(body, "added_by", actor ? actor : "");
		cJSON_AddStringToObject(body, "agency", who->agency);
		cJSON_AddStringToObject(body, "added_at", tm);
		/* A link opens the blob to the case's other agency only if
		 * the linking one has the bytes (blob_readable): it sent
		 * them, or sends them after this link, or may read them now
		 * through a case it takes part in (the same scan attached to
		 * a second case), which counts as having them. */
		{
			int64_t bsize = 0;
			bool mine = false, can = false;
			if (ops->blob_get(s, sha, who->agency, &bsize, &mine,
					  &err) == RCMS_OK && !mine &&
			    ops->blob_readable(s, who->agency, sha, &can,
					       &err) == RCMS_OK && can &&
			    ops->blob_put(s, sha, bsize, who->agency, now,
					  &err) != RCMS_OK) {
				cJSON_Delete(body);
				xcase_free(&xc);
				return NULL;
			}
			rcms_err_clear(&err);
		}
	} else { /* document.add */
		struct rcms_document doc;
		struct rcms_today today;
		cJSON *copy = cJSON_Duplicate(fields, 1);
		kind = "document";
		cid = str(fields, "id");
		if (!(side & RCMS_SIDE_REQUESTING) ||
		    !rcms_status_is_local(xc.c.status)) {
			cJSON_Delete(copy);
			cJSON_Delete(body);
			xcase_free(&xc);
			return rejected(op_id, "not-owner",
					"documents are added by the requesting "
					"agency before the application is "
					"sent", NULL);
		}
		today_of(now, &today);
		rcms_document_init(&doc);
		cJSON_DeleteItemFromObjectCaseSensitive(copy, "id");
		st = wire_record_from_json(rcms_document_fields, &doc, copy, 0,
					   &today, &err);
		cJSON_Delete(copy);
		if (st || rcms_document_validate(&doc, &today, &err))
			goto invalid;
		cJSON_AddStringToObject(body, "id", cid ? cid : "");
		wire_record_to_json(rcms_document_fields, &doc, false, body);
	}
	if (!is_uuid(cid)) {
		rcms_err_set(&err, RCMS_ERR_INVALID, NULL,
			     "the record needs a UUID id");
		goto invalid;
	}
	text = cJSON_PrintUnformatted(body);
	ch.kind = kind;
	ch.id = cid;
	ch.case_id = id;
	ch.sha256 = sha;
	ch.body = text;
	st = ops->child_put(s, &ch, &err);
	cJSON_free(text);
	cJSON_Delete(body);
	if (st == RCMS_ERR_EXISTS) {
		xcase_free(&xc);
		return rejected(op_id, "exists", "a record with this id exists",
				NULL);
	}
	/* the case moves in the feed: both agencies see the new record */
	if (st || ops->case_put(s, &xc, &err)) {
		xcase_free(&xc);
		return NULL;
	}
	res = result(op_id, "applied");
	cJSON_AddNumberToObject(res, "rev", (double)xc.c.rev);
	cJSON_AddNumberToObject(res, "seq", (double)xc.seq);
	xcase_free(&xc);
	return res;
invalid:
	cJSON_Delete(body);
	xcase_free(&xc);
	return rejected_err(op_id, "invalid-field", "a field is invalid",
			&err);
}

/* The shortest retention a case.purge may claim (rcms-exchange.conf
 * retention_min_days); xapply_set_retention_min. */
static int retention_min_days = 365;

void xapply_set_retention_min(int days)
{
	retention_min_days = days;
}

/*
 * case.purge: retention.  Only the requesting agency (it owns the
 * application) purges, as an administrator (fields.role, app/perm.h), a
 * case closed at least fields.retention_days ago by the exchange's own
 * clock -- the closed case's last change here, never the workstation's
 * word -- and a claim below retention_min_days is refused.  The case's
 * personal fields are cleared (rcms_case_anonymise, as the workstation
 * does), its records and the blobs no other case links go, the purge
 * log records it (the reference, not the person), and the case moves in
 * the feed with purged_at: the other agency's replica clears its copy.
 */
static cJSON *op_case_purge(const struct xstore_ops *ops, struct xstore *s,
			    const struct xactor *who, const char *op_id,
			    const char *id, const cJSON *fields,
			    const char *actor, int64_t now)
{
	const cJSON *days = cJSON_GetObjectItemCaseSensitive(fields,
							      "retention_days");
	const char *role = str(fields, "role");
	struct xpurge p;
	struct xcase xc;
	struct rcms_err err;
	char detail[160];
	cJSON *res;
	int rv = RCMS_ROLE_OFFICER, d;

	rcms_err_clear(&err);
	if (!cJSON_IsNumber(days) || !(days->valuedouble >= 0) ||
	    days->valuedouble > 36500 ||
	    days->valuedouble != (double)(int)days->valuedouble)
		return rejected(op_id, "invalid-field", "a field is invalid",
				"case.purge needs fields.retention_days, "
				"whole days (0 to 36500)");
	d = (int)days->valuedouble;
	if (role)
		rcms_enum_parse(rcms_role_names, role, &rv);
	if (rcms_perm_check(RCMS_PERM_PURGE, (enum rcms_role)rv, &err))
		return rejected(op_id, "not-owner",
				"your role may not take this operation",
				rcms_err_msg(&err));
	if (ops->case_get(s, id, &xc, &err))
		return NULL;
	if (!xc.exists || !side_of(who->agency, &xc.c)) {
		xcase_free(&xc);
		return rejected(op_id, "not-found", "no such case", NULL);
	}
	if (strcmp(who->agency, xc.c.requesting_agency) != 0) {
		xcase_free(&xc);
		return rejected(op_id, "not-owner",
				"only the requesting agency purges a case",
				"the requested agency's copy follows the "
				"feed");
	}
	if (xc.purged_at) {  /* purged already (another workstation) */
		res = result(op_id, "applied");
		cJSON_AddNumberToObject(res, "rev", (double)xc.c.rev);
		cJSON_AddNumberToObject(res, "seq", (double)xc.seq);
		xcase_free(&xc);
		return res;
	}
	if (d < retention_min_days) {
		xcase_free(&xc);
		snprintf(detail, sizeof(detail),
			 "retention_days %d is below this exchange's "
			 "retention_min_days (%d)", d, retention_min_days);
		return rejected(op_id, "retention", "too early to purge",
				detail);
	}
	if (xc.c.status != RCMS_CS_CLOSED ||
	    now - xc.c.updated_at < (int64_t)d * 86400) {
		char t[32];
		rcms_time_format(xc.c.updated_at, t, sizeof(t));
		xcase_free(&xc);
		if (xc.c.status != RCMS_CS_CLOSED)
			snprintf(detail, sizeof(detail),
				 "the case is not closed");
		else
			snprintf(detail, sizeof(detail),
				 "closed %.10s by the exchange's clock: less "
				 "than %d days ago", t, d);
		return rejected(op_id, "retention", "too early to purge",
				detail);
	}
	memset(&p, 0, sizeof(p));
	p.op_id = op_id;
	p.agency = who->agency;
	p.workstation = who->workstation;
	p.actor = actor;
	p.reference = xc.c.final_ref[0] ? xc.c.final_ref : xc.c.local_ref;
	p.closed_at = xc.c.updated_at;
	p.retention_days = d;
	p.now = now;
	if (ops->case_purge(s, id, &p, &err)) {
		xcase_free(&xc);
		return NULL;
	}
	/* the closing time stays the case's updated_at: the reports and a
	 * later look at the purge log agree on it */
	rcms_case_anonymise(&xc.c);
	xc.c.rev++;
	xc.purged_at = now;
	if (ops->case_put(s, &xc, &err)) {
		xcase_free(&xc);
		return NULL;
	}
	res = result(op_id, "applied");
	cJSON_AddNumberToObject(res, "rev", (double)xc.c.rev);
	cJSON_AddNumberToObject(res, "seq", (double)xc.seq);
	xcase_free(&xc);
	return res;
}

/* The role part of a permission, from app/perm.h: the op's "role" (the
 * workstation checked its user; missing or unknown counts as officer)
 * may take its type.  case.transition: each step's roles are checked by
 * the state machine, with fields.role. */
static bool role_may(const cJSON *op, const char *type, struct rcms_err *err)
{
	enum rcms_perm p = rcms_perm_of_op(type);
	const char *role = str(op, "role");
	int rv = RCMS_ROLE_OFFICER;

	if (p == RCMS_PERM__COUNT)
		return true;
	if (role)
		rcms_enum_parse(rcms_role_names, role, &rv);
	return rcms_perm_check(p, (enum rcms_role)rv, err) == RCMS_OK;
}

/* xapply_op, with w as scratch space for the texts it hashes and
 * stores. */
static cJSON *apply_op(const struct xstore_ops *ops, struct xstore *s,
		       const struct xactor *who, const cJSON *op,
		       const char *given_fp, int64_t now, struct xjson *w,
		       int *http_fatal)
{
	const char *op_id = str(op, "op_id");
	const char *type = str(op, "type");
	const char *id = str(op, "entity_id");
	const char *actor = str(op, "actor");
	const cJSON *base = cJSON_GetObjectItemCaseSensitive(op, "base_rev");
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(op, "fields");
	char fp[65], stored_fp[65];
	char *stored = NULL;
	struct rcms_err err;
	cJSON *res = NULL;
	enum rcms_status st;

	*http_fatal = 0;
	rcms_err_clear(&err);
	if (cJSON_IsObject(op)) {
		/* an operation has these keys and no others: a key the
		 * exchange does not know is a client it does not understand */
		static const char *const known[] = {
			"op_id", "type", "entity_id", "base_rev", "fields",
			"actor", "role", "device_time",
		};
		const cJSON *k;
		cJSON_ArrayForEach(k, op) {
			size_t i;
			for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
				if (strcmp(k->string, known[i]) == 0)
					break;
			if (i == sizeof(known) / sizeof(known[0])) {
				char shown[64], detail[256];
				rcms_text_show(k->string, strlen(k->string),
					       40, shown, sizeof(shown));
				snprintf(detail, sizeof(detail),
					 "'%s' is not a key of an operation "
					 "(op_id, type, entity_id, base_rev, "
					 "fields, actor, role, device_time)",
					 shown);
				return rejected(op_id && is_uuid(op_id)
							? op_id : "",
						"invalid-op",
						"an unknown key in an operation",
						detail);
			}
		}
	}
	/* base_rev: a whole number in range before it is ever converted
	 * (1e300 to int64_t is undefined behaviour) */
	if (!cJSON_IsObject(op) || !is_uuid(op_id) || !type || !is_uuid(id) ||
	    !cJSON_IsNumber(base) || !(base->valuedouble >= 0) ||
	    base->valuedouble > 9007199254740992.0 ||
	    base->valuedouble != (double)(int64_t)base->valuedouble ||
	    !cJSON_IsObject(fields) ||
	    (actor && rcms_text_check(actor, RCMS_USER_LEN - 1,
				      RCMS_TEXT_SINGLE_LINE, "actor", NULL)))
		return rejected(op_id && is_uuid(op_id) ? op_id : "",
				"invalid-op", "malformed operation",
				"an op needs op_id and entity_id (UUIDs), "
				"type, base_rev (a whole number) and fields "
				"(an object)");
	if (given_fp)
		memcpy(fp, given_fp, sizeof(fp));
	else if (!xapply_fingerprint(op, w, fp)) {
		*http_fatal = 503;
		return NULL;
	}
	if (ops->begin(s, &err)) {
		*http_fatal = 503;
		return NULL;
	}
	st = ops->op_get(s, op_id, stored_fp, &stored, &err);
	if (st == RCMS_OK) {
		ops->rollback(s);
		if (strcmp(stored_fp, fp) != 0) {
			free(stored);
			*http_fatal = 422;
			return rejected(op_id, "op-id-reused",
					"this op_id was used for another "
					"operation", NULL);
		}
		res = cJSON_Parse(stored);
		free(stored);
		/* an applied op comes back as a duplicate; a rejection or a
		 * conflict comes back as it was, so that a client that lost
		 * the first answer never takes it for a success */
		if (res && str(res, "status") &&
		    strcmp(str(res, "status"), "applied") == 0) {
			cJSON_ReplaceItemInObjectCaseSensitive(
				res, "status", cJSON_CreateString("duplicate"));
		}
		return res;
	}
	if (st != RCMS_ERR_NOT_FOUND) {
		ops->rollback(s);
		*http_fatal = 503;
		return NULL;
	}
	if (!role_may(op, type, &err))
		res = rejected(op_id, "not-owner",
			       "your role may not take this operation",
			       rcms_err_msg(&err));
	else if (strcmp(type, "case.create") == 0)
		res = op_case_create(ops, s, who, op_id, id, fields, now, w);
	else if (strcmp(type, "case.update") == 0)
		res = op_case_update(ops, s, who, op_id, id,
				     (int64_t)base->valuedouble, fields, now);
	else if (strcmp(type, "case.transition") == 0)
		res = op_case_transition(ops, s, who, op_id, id, fields, actor,
					 now);
	else if (strcmp(type, "idcheck.request") == 0 ||
		 strcmp(type, "idcheck.answer") == 0)
		res = op_idcheck(ops, s, who, op_id, type, id, fields, actor,
				 now);
	else if (strcmp(type, "case.purge") == 0)
		res = op_case_purge(ops, s, who, op_id, id, fields, actor, now);
	else if (strcmp(type, "note.add") == 0 ||
		 strcmp(type, "attachment.link") == 0 ||
		 strcmp(type, "document.add") == 0)
		res = op_child(ops, s, who, op_id, type, id, fields, actor,
			       now);
	else if (xdir_is_op(type))
		res = xdir_op(ops, s, who, op_id, type, fields, actor, now);
	else
		res = rejected(op_id, "invalid-op", "unknown operation type",
			       type);
	if (!res) {
		ops->rollback(s);
		*http_fatal = 503;
		return NULL;
	}
	/* a case's operation by an account the directory has disabled
	 * since is delivered (it was made while the account was valid on
	 * its workstation), and said so */
	if (!xdir_is_op(type) && str(res, "status") &&
	    strcmp(str(res, "status"), "applied") == 0 &&
	    !xdir_flag_actor(ops, s, who, actor, res)) {
		cJSON_Delete(res);
		res = NULL;
		ops->rollback(s);
		*http_fatal = 503;
		return NULL;
	}
	/* a rejection or conflict changes nothing but is remembered too, so
	 * that a retry gets the same answer */
	{
		const char *status = str(res, "status");
		if (status && strcmp(status, "applied") != 0) {
			ops->rollback(s);
			if (ops->begin(s, &err)) {
				*http_fatal = 503;
				cJSON_Delete(res);
				return NULL;
			}
		}
	}
	xjson_reset(w);
	xjson_print(w, res);
	if (w->failed || ops->op_put(s, op_id, who->agency, who->workstation,
				     fp, w->buf, now, &err) ||
	    ops->commit(s, &err)) {
		ops->rollback(s);
		cJSON_Delete(res);
		*http_fatal = 503;
		return NULL;
	}
	return res;
}

cJSON *xapply_op(const struct xstore_ops *ops, struct xstore *s,
		 const struct xactor *who, const cJSON *op, const char *fp,
		 int64_t now, struct xjson *scratch, int *http_fatal)
{
	struct xjson own = {0};
	cJSON *res = apply_op(ops, s, who, op, fp, now,
			      scratch ? scratch : &own, http_fatal);

	xjson_free(&own);
	return res;
}

int xapply_deem_due(const struct xstore_ops *ops, struct xstore *s,
		    int64_t now)
{
	char ids[64][RCMS_ID_LEN];
	struct rcms_transition_args args;
	struct rcms_err err;
	int n = 0, i, done = 0;

	memset(&args, 0, sizeof(args));
	/* 64 at a time, until none is left: a case past its deadline must
	 * never meet an answer or show in the feed undecided, however many
	 * fell due at once (a restart, a long weekend) */
	do {
		int got = 0;
		if (ops->due(s, now, ids, 64, &n, &err))
			break;
		for (i = 0; i < n; i++) {
			struct xcase xc;
			const struct rcms_transition *t;
			if (ops->begin(s, &err))
				return done;
			if (ops->case_get(s, ids[i], &xc, &err) || !xc.exists ||
			    !(t = rcms_transition_find(xc.c.status, "deem")) ||
			    take_step(ops, s, &xc, t, &args, "exchange", now,
				      &err) ||
			    ops->commit(s, &err)) {
				ops->rollback(s);
				xcase_free(&xc);
				continue;
			}
			xcase_free(&xc);
			got++;
		}
		done += got;
		if (got == 0)
			break;  /* only cases that cannot be deemed are left */
	} while (n == 64);
	return done;
}
