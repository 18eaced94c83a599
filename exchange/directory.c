/*
 * directory.c - one agency, many workstations: the agency's directory of
 * accounts and its workstations, kept by the exchange.
 *
 * The directory is managed by the agency's admin on any of its
 * workstations; each change arrives as an operation (user.create,
 * user.update, user.password) and is handed to that agency's
 * workstations, and only to them, by GET /v1/directory.  The exchange
 * decides who may change it: an enabled admin of the directory, or the
 * account's own holder for its password; the first account of an agency
 * (its admin, made by rcms init) creates itself.
 *
 * A workstation's certificate proves the agency and the workstation; the
 * actor of an operation is the workstation's word.  An operation of a
 * case by an actor the directory has disabled is still applied (it was
 * made offline, while the account was valid there) and its result says
 * so ("actor_disabled"), for the workstation's audit log.  A change of
 * the directory itself by a disabled account is refused.
 */
#include "exchange/apply.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static cJSON *applied(const char *op_id, int64_t seq)
{
	cJSON *r = xapply_result(op_id, "applied");

	cJSON_AddNumberToObject(r, "seq", (double)seq);
	return r;
}

static void utc_day(int64_t t, char *out, size_t size)
{
	char full[32];

	rcms_time_format(t, full, sizeof(full));
	snprintf(out, size, "%.10s", full);
}

/*
 * May actor (of who's agency) change the directory?  admin_only: only an
 * enabled admin; else the account's own holder too (self).  NULL when it
 * may; else the rejection.
 */
static cJSON *may_manage(const struct xstore_ops *ops, struct xstore *s,
			 const struct xactor *who, const char *op_id,
			 const char *actor, const char *self, bool *fail)
{
	struct xuser a;
	struct rcms_err err;
	char detail[256], day[16];

	*fail = false;
	if (!actor || ops->user_get(s, who->agency, actor, &a, &err)) {
		*fail = actor != NULL;
		if (!actor)
			return xapply_rejected(op_id, "not-owner",
					       "an account change needs its "
					       "actor", NULL);
		return NULL;
	}
	if (!a.exists) {
		snprintf(detail, sizeof(detail),
			 "'%s' is not an account of %s's directory", actor,
			 who->agency);
		return xapply_rejected(op_id, "not-owner",
				       "only the agency's accounts may change "
				       "its directory", detail);
	}
	if (!a.enabled) {
		utc_day(a.disabled_at, day, sizeof(day));
		snprintf(detail, sizeof(detail),
			 "the account '%s' was disabled on %s; what it "
			 "changed in the directory since is not applied",
			 actor, day);
		return xapply_rejected(op_id, "actor-disabled",
				       "a disabled account may not change "
				       "the directory", detail);
	}
	if (strcmp(a.role, "admin") == 0 || (self && strcmp(actor, self) == 0))
		return NULL;
	return xapply_rejected(op_id, "not-owner",
			       "your role may not take this operation",
			       "only the agency's administrator manages its "
			       "accounts");
}

static bool role_ok(const char *role)
{
	int v;

	return role && rcms_enum_parse(rcms_role_names, role, &v) == RCMS_OK;
}

static cJSON *user_create(const struct xstore_ops *ops, struct xstore *s,
			  const struct xactor *who, const char *op_id,
			  const cJSON *fields, const char *actor, int64_t now)
{
	const char *name = str(fields, "username");
	const char *full = str(fields, "full_name");
	const char *role = str(fields, "role");
	const char *hash = str(fields, "pw_hash");
	struct rcms_err err;
	struct xuser u;
	int64_t n = 0;
	char detail[256];
	cJSON *no;
	bool fail;

	rcms_err_clear(&err);
	if (rcms_username_check(name, &err) || rcms_pw_hash_check(hash, &err) ||
	    (full && rcms_text_check(full, RCMS_NAME_LEN - 1,
				     RCMS_TEXT_SINGLE_LINE, "full name",
				     &err)))
		return xapply_rejected(op_id, "invalid-field",
				       "a field is invalid",
				       rcms_err_msg(&err));
	if (!role_ok(role))
		return xapply_rejected(op_id, "invalid-field",
				       "a field is invalid",
				       "role must be officer, supervisor or "
				       "admin");
	if (ops->user_get(s, who->agency, name, &u, &err) ||
	    ops->user_count(s, who->agency, &n, &err))
		return NULL;
	if (u.exists) {
		snprintf(detail, sizeof(detail),
			 "%s's directory has an account '%s' already (made "
			 "on %s); this workstation takes it at this sync",
			 who->agency, name, u.updated_ws);
		return xapply_rejected(op_id, "user-exists",
				       "the account exists in the agency's "
				       "directory", detail);
	}
	/* the agency's first account is its admin, who makes itself */
	if (n > 0 || strcmp(role, "admin") != 0 || !actor ||
	    strcmp(actor, name) != 0) {
		if ((no = may_manage(ops, s, who, op_id, actor, NULL, &fail)) ||
		    fail)
			return no;
	}
	memset(&u, 0, sizeof(u));
	snprintf(u.agency, sizeof(u.agency), "%s", who->agency);
	snprintf(u.username, sizeof(u.username), "%s", name);
	snprintf(u.full_name, sizeof(u.full_name), "%s", full ? full : "");
	snprintf(u.role, sizeof(u.role), "%s", role);
	snprintf(u.pw_hash, sizeof(u.pw_hash), "%s", hash);
	u.enabled = true;
	u.created_at = u.updated_at = now;
	snprintf(u.updated_by, sizeof(u.updated_by), "%s", actor ? actor : "");
	snprintf(u.updated_ws, sizeof(u.updated_ws), "%s", who->workstation);
	if (ops->user_put(s, &u, &err))
		return NULL;
	return applied(op_id, u.seq);
}

static cJSON *user_change(const struct xstore_ops *ops, struct xstore *s,
			  const struct xactor *who, const char *op_id,
			  const char *type, const cJSON *fields,
			  const char *actor, int64_t now)
{
	const char *name = str(fields, "username");
	bool pw = strcmp(type, "user.password") == 0;
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(fields, "enabled");
	const char *full = str(fields, "full_name");
	const char *role = str(fields, "role");
	const char *hash = str(fields, "pw_hash");
	struct rcms_err err;
	struct xuser u;
	char detail[160];
	cJSON *no;
	bool fail;

	rcms_err_clear(&err);
	if (rcms_username_check(name, &err) ||
	    (pw && rcms_pw_hash_check(hash, &err)) ||
	    (!pw && full && rcms_text_check(full, RCMS_NAME_LEN - 1,
					    RCMS_TEXT_SINGLE_LINE,
					    "full name", &err)))
		return xapply_rejected(op_id, "invalid-field",
				       "a field is invalid",
				       rcms_err_msg(&err));
	if (!pw && ((role && !role_ok(role)) || (en && !cJSON_IsBool(en)) ||
		    (!role && !en && !full)))
		return xapply_rejected(op_id, "invalid-field",
				       "a field is invalid",
				       "user.update changes full_name, role "
				       "(officer, supervisor or admin) or "
				       "enabled (true or false)");
	if ((no = may_manage(ops, s, who, op_id, actor, pw ? name : NULL,
			     &fail)) || fail)
		return no;
	if (ops->user_get(s, who->agency, name, &u, &err))
		return NULL;
	if (!u.exists) {
		snprintf(detail, sizeof(detail),
			 "%s's directory has no account '%s'", who->agency,
			 name);
		return xapply_rejected(op_id, "not-found", "no such account",
				       detail);
	}
	if (!pw && actor && strcmp(actor, name) == 0 &&
	    ((en && cJSON_IsFalse(en)) ||
	     (role && strcmp(role, "admin") != 0)))
		return xapply_rejected(op_id, "invalid-field",
				       "a field is invalid",
				       "an administrator cannot disable or "
				       "demote their own account");
	if (pw) {
		snprintf(u.pw_hash, sizeof(u.pw_hash), "%s", hash);
	} else {
		if (full)
			snprintf(u.full_name, sizeof(u.full_name), "%s", full);
		if (role)
			snprintf(u.role, sizeof(u.role), "%s", role);
		if (en && cJSON_IsTrue(en) != u.enabled) {
			u.enabled = cJSON_IsTrue(en);
			u.disabled_at = u.enabled ? 0 : now;
		}
	}
	u.updated_at = now;
	snprintf(u.updated_by, sizeof(u.updated_by), "%s", actor ? actor : "");
	snprintf(u.updated_ws, sizeof(u.updated_ws), "%s", who->workstation);
	if (ops->user_put(s, &u, &err))
		return NULL;
	return applied(op_id, u.seq);
}

static cJSON *ws_retire(const struct xstore_ops *ops, struct xstore *s,
			const struct xactor *who, const char *op_id,
			const cJSON *fields, const char *actor, int64_t now)
{
	const char *ws = str(fields, "workstation");
	const char *reason = str(fields, "reason");
	struct rcms_err err;
	struct xws w;
	char detail[160];
	cJSON *no;
	bool fail;

	rcms_err_clear(&err);
	if (!ws || !*ws || strlen(ws) > 32 ||
	    strspn(ws, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(ws) ||
	    (reason && rcms_text_check(reason, 200, RCMS_TEXT_SINGLE_LINE,
				       "reason", &err)))
		return xapply_rejected(op_id, "invalid-field",
				       "a field is invalid",
				       err.msg[0] ? rcms_err_msg(&err)
						  : "workstation.retire needs "
						    "fields.workstation (its "
						    "name: A-Z and 0-9)");
	if ((no = may_manage(ops, s, who, op_id, actor, NULL, &fail)) || fail)
		return no;
	if (strcmp(ws, who->workstation) == 0)
		return xapply_rejected(op_id, "invalid-field",
				       "a field is invalid",
				       "a workstation cannot retire itself; "
				       "retire it from another one");
	if (ops->ws_get(s, who->agency, ws, &w, &err))
		return NULL;
	if (!w.exists) {
		snprintf(detail, sizeof(detail),
			 "the exchange has never heard from %s/%s",
			 who->agency, ws);
		return xapply_rejected(op_id, "not-found",
				       "no such workstation", detail);
	}
	if (!w.retired_at) {
		w.retired_at = now;
		snprintf(w.retired_by, sizeof(w.retired_by), "%s",
			 actor ? actor : "");
		snprintf(w.retired_from, sizeof(w.retired_from), "%s",
			 who->workstation);
		snprintf(w.reason, sizeof(w.reason), "%s",
			 reason ? reason : "");
		if (ops->ws_retire(s, &w, &err))
			return NULL;
	}
	/* retiring one retired already changes nothing, and says when */
	{
		cJSON *r = xapply_result(op_id, "applied");
		char t[32];
		rcms_time_format(w.retired_at, t, sizeof(t));
		cJSON_AddStringToObject(r, "retired_at", t);
		return r;
	}
}

bool xdir_is_op(const char *type)
{
	return strncmp(type, "user.", 5) == 0 ||
	       strcmp(type, "workstation.retire") == 0;
}

cJSON *xdir_op(const struct xstore_ops *ops, struct xstore *s,
	       const struct xactor *who, const char *op_id, const char *type,
	       const cJSON *fields, const char *actor, int64_t now)
{
	if (strcmp(type, "user.create") == 0)
		return user_create(ops, s, who, op_id, fields, actor, now);
	if (strcmp(type, "user.update") == 0 ||
	    strcmp(type, "user.password") == 0)
		return user_change(ops, s, who, op_id, type, fields, actor,
				   now);
	if (strcmp(type, "workstation.retire") == 0)
		return ws_retire(ops, s, who, op_id, fields, actor, now);
	return xapply_rejected(op_id, "invalid-op", "unknown operation type",
			       type);
}

bool xdir_flag_actor(const struct xstore_ops *ops, struct xstore *s,
		     const struct xactor *who, const char *actor, cJSON *res)
{
	struct xuser u;
	struct rcms_err err;
	char t[32];

	if (!actor || ops->user_get(s, who->agency, actor, &u, &err))
		return actor == NULL;
	if (u.exists && !u.enabled) {
		rcms_time_format(u.disabled_at, t, sizeof(t));
		cJSON_AddBoolToObject(res, "actor_disabled", true);
		cJSON_AddStringToObject(res, "actor_disabled_at", t);
	}
	return true;
}

void xdir_user_json(const struct xuser *u, cJSON *o)
{
	char t[32];

	cJSON_AddNumberToObject(o, "seq", (double)u->seq);
	cJSON_AddStringToObject(o, "username", u->username);
	cJSON_AddStringToObject(o, "full_name", u->full_name);
	cJSON_AddStringToObject(o, "role", u->role);
	cJSON_AddStringToObject(o, "pw_hash", u->pw_hash);
	cJSON_AddBoolToObject(o, "enabled", u->enabled);
	rcms_time_format(u->updated_at, t, sizeof(t));
	cJSON_AddStringToObject(o, "updated_at", t);
	cJSON_AddStringToObject(o, "updated_by", u->updated_by);
	cJSON_AddStringToObject(o, "updated_on", u->updated_ws);
	if (u->disabled_at) {
		rcms_time_format(u->disabled_at, t, sizeof(t));
		cJSON_AddStringToObject(o, "disabled_at", t);
	}
}
