/* user.c - initialisation, the workstation's identity, users, passwords
 * (Argon2id) and login sessions. */
#include "db/db_priv.h"

#include <argon2.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_T_COST 3
#define DEFAULT_M_COST_KIB 65536

static enum rcms_status username_check(const char *u, struct rcms_err *err)
{
	return rcms_username_check(u, err);
}

/* The policy of app/password.h, with the minimum rcms.conf asks for. */
static enum rcms_status password_check(const char *pw, const char *username,
				       const struct db_password_cost *cost,
				       struct rcms_err *err)
{
	return rcms_password_check(pw, username,
				   cost ? cost->min_chars : 0, err);
}

static enum rcms_status hash_password(const char *pw,
				      const struct db_password_cost *cost,
				      char *out, size_t size,
				      struct rcms_err *err)
{
	uint8_t salt[16];
	uint32_t t = cost && cost->t_cost ? cost->t_cost : DEFAULT_T_COST;
	uint32_t m = cost && cost->m_cost_kib ? cost->m_cost_kib
					      : DEFAULT_M_COST_KIB;
	enum rcms_status st = db_random(salt, sizeof(salt), err);
	int rc;

	if (st)
		return st;
	rc = argon2id_hash_encoded(t, m, 1, pw, strlen(pw), salt, sizeof(salt),
				   32, out, size);
	if (rc != ARGON2_OK)
		return rcms_err_set(err, rc == ARGON2_MEMORY_ALLOCATION_ERROR
					       ? RCMS_ERR_NOMEM
					       : RCMS_ERR_INTERNAL,
				    NULL, "cannot hash the password: %s",
				    argon2_error_message(rc));
	return RCMS_OK;
}

static void user_from_row(sqlite3_stmt *s, struct db_user *u)
{
	char role[16];
	int v = RCMS_ROLE_OFFICER;

	memset(u, 0, sizeof(*u));
	db_col_text(s, 0, u->username, sizeof(u->username));
	db_col_text(s, 1, u->full_name, sizeof(u->full_name));
	db_col_text(s, 2, role, sizeof(role));
	rcms_enum_parse(rcms_role_names, role, &v);
	u->role = (enum rcms_role)v;
	db_col_text(s, 3, u->agency, sizeof(u->agency));
	u->enabled = sqlite3_column_int(s, 4) != 0;
	u->failed_logins = sqlite3_column_int(s, 5);
	u->locked_until = sqlite3_column_int64(s, 6);
	u->created_at = sqlite3_column_int64(s, 7);
}

#define USER_COLS "SELECT username, full_name, role, agency, enabled," \
	" failed_logins, locked_until, created_at"

enum rcms_status db_user_get(struct rcms_db *db, const char *username,
			     struct db_user *out, struct rcms_err *err)
{
	static const char sql[] = USER_COLS " FROM users WHERE username = ?1";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, username);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		user_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return rcms_err_set(err, RCMS_ERR_NOT_FOUND, "username",
				    "no user '%.32s'", username);
	return rc == SQLITE_ROW ? RCMS_OK : db_sqlerr(db, rc, err);
}

static enum rcms_status insert_user(struct db_ctx *ctx,
				    const struct db_user *u, const char *hash,
				    struct rcms_err *err)
{
	static const char sql[] =
		"INSERT INTO users(username, full_name, role, agency, pw_hash,"
		" enabled, created_at, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)";
	sqlite3_stmt *s = db_stmt(ctx->db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, u->username);
	db_bind_text(s, 2, u->full_name);
	db_bind_text(s, 3, rcms_enum_name(rcms_role_names, (int)u->role));
	db_bind_text(s, 4, u->agency);
	db_bind_text(s, 5, hash);
	db_bind_int(s, 6, ctx->now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return rcms_err_set(err, RCMS_ERR_EXISTS, "username",
				    "user '%s' already exists", u->username);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}

static enum rcms_status need_admin(const struct db_ctx *ctx,
				   struct rcms_err *err)
{
	return rcms_perm_check(RCMS_PERM_USER_MANAGE, ctx->user.role, err);
}

enum rcms_status db_user_add(struct db_ctx *ctx, const struct db_user *u,
			     const char *password,
			     const struct db_password_cost *cost,
			     struct rcms_err *err)
{
	struct db_user nu;
	struct db_identity id;
	char hash[256];
	char detail[96];
	enum rcms_status st;

	if (!ctx || !u)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no user");
	if ((st = need_admin(ctx, err)) || (st = username_check(u->username,
							       err)) ||
	    (st = password_check(password, u->username, cost, err)))
		return st;
	nu = *u;
	if ((st = rcms_text_check(nu.full_name, sizeof(nu.full_name) - 1,
				  RCMS_TEXT_SINGLE_LINE, "full name", err)))
		return st;
	if (strcmp(rcms_enum_name(rcms_role_names, (int)nu.role), "?") == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "role",
				    "role must be officer, supervisor or "
				    "admin");
	st = db_identity_get(ctx->db, &id, err);
	if (st)
		return st;
	snprintf(nu.agency, sizeof(nu.agency), "%s", id.agency);
	st = hash_password(password, cost, hash, sizeof(hash), err);
	if (st)
		return st;
	st = db_begin(ctx->db, err);
	if (st)
		return st;
	st = insert_user(ctx, &nu, hash, err);
	if (!st)
		st = db_dir_op(ctx, "user.create", nu.username, nu.full_name,
			       (int)nu.role, hash, -1, err);
	if (st)
		goto rollback;
	snprintf(detail, sizeof(detail), "%s as %s", nu.username,
		 rcms_enum_name(rcms_role_names, (int)nu.role));
	st = db_audit_append(ctx, "user.add", NULL, detail, err);
	if (st)
		goto rollback;
	return db_commit(ctx->db, err);
rollback:
	db_rollback(ctx->db);
	return st;
}

enum rcms_status db_user_list(struct db_ctx *ctx,
			      int (*fn)(const struct db_user *u, void *arg),
			      void *arg, struct rcms_err *err)
{
	static const char sql[] = USER_COLS " FROM users ORDER BY username";
	sqlite3_stmt *s = db_stmt(ctx->db, sql, err);
	struct db_user u;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		user_from_row(s, &u);
		if (fn(&u, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}

enum rcms_status db_user_passwd(struct db_ctx *ctx, const char *username,
				const char *password,
				const struct db_password_cost *cost,
				struct rcms_err *err)
{
	static const char sql[] =
		"UPDATE users SET pw_hash = ?2, updated_at = ?3,"
		" failed_logins = 0, locked_until = 0 WHERE username = ?1";
	static const char kill_sessions[] =
		"DELETE FROM sessions WHERE username = ?1";
	struct db_user u;
	char hash[256];
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	if (!ctx || !username)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no user");
	if (strcmp(username, ctx->user.username) != 0 &&
	    (st = need_admin(ctx, err)))
		return st;
	if ((st = password_check(password, username, cost, err)))
		return st;
	if ((st = db_user_get(ctx->db, username, &u, err)))
		return st;
	if ((st = hash_password(password, cost, hash, sizeof(hash), err)))
		return st;
	if ((st = db_begin(ctx->db, err)))
		return st;
	s = db_stmt(ctx->db, sql, err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, username);
	db_bind_text(s, 2, hash);
	db_bind_int(s, 3, ctx->now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(ctx->db, rc, err);
		goto rollback;
	}
	/* a new password ends the user's other sessions */
	s = db_stmt(ctx->db, kill_sessions, err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, username);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(ctx->db, rc, err);
		goto rollback;
	}
	st = db_dir_op(ctx, "user.password", username, NULL, -1, hash, -1,
		       err);
	if (!st)
		st = db_audit_append(ctx, "user.passwd", NULL, username, err);
	if (st)
		goto rollback;
	return db_commit(ctx->db, err);
rollback:
	db_rollback(ctx->db);
	return st;
}

enum rcms_status db_user_enable(struct db_ctx *ctx, const char *username,
				bool enabled, struct rcms_err *err)
{
	static const char sql[] =
		"UPDATE users SET enabled = ?2, updated_at = ?3"
		" WHERE username = ?1";
	struct db_user u;
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	if ((st = need_admin(ctx, err)))
		return st;
	if ((st = db_user_get(ctx->db, username, &u, err)))
		return st;
	if (!enabled && strcmp(username, ctx->user.username) == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "username",
				    "you cannot disable your own account");
	if ((st = db_begin(ctx->db, err)))
		return st;
	s = db_stmt(ctx->db, sql, err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, username);
	db_bind_int(s, 2, enabled);
	db_bind_int(s, 3, ctx->now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(ctx->db, rc, err);
		goto rollback;
	}
	st = db_dir_op(ctx, "user.update", username, NULL, -1, NULL, enabled,
		       err);
	if (!st)
		st = db_audit_append(ctx, enabled ? "user.enable"
						  : "user.disable",
				     NULL, username, err);
	if (st)
		goto rollback;
	return db_commit(ctx->db, err);
rollback:
	db_rollback(ctx->db);
	return st;
}

enum rcms_status db_user_edit(struct db_ctx *ctx, const char *username,
			      const char *full_name, int role,
			      struct rcms_err *err)
{
	static const char sql[] =
		"UPDATE users SET full_name = coalesce(?2, full_name),"
		" role = coalesce(?3, role), updated_at = ?4"
		" WHERE username = ?1";
	struct db_user u;
	char detail[RCMS_LINE_LEN];
	const char *rname = role >= 0 ? rcms_enum_name(rcms_role_names, role)
				      : NULL;
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	if ((st = need_admin(ctx, err)))
		return st;
	if (!full_name && role < 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "say what changes: --full-name NAME or "
				    "--role ROLE");
	if (rname && strcmp(rname, "?") == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "role",
				    "role must be officer, supervisor or "
				    "admin");
	if (full_name && (st = rcms_text_check(full_name, RCMS_NAME_LEN - 1,
					       RCMS_TEXT_SINGLE_LINE,
					       "full name", err)))
		return st;
	if ((st = db_user_get(ctx->db, username, &u, err)))
		return st;
	if (rname && role != RCMS_ROLE_ADMIN &&
	    strcmp(username, ctx->user.username) == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "role",
				    "you cannot take the administrator's "
				    "role from your own account");
	if ((st = db_begin(ctx->db, err)))
		return st;
	if (!(s = db_stmt(ctx->db, sql, err))) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, username);
	if (full_name)
		db_bind_text(s, 2, full_name);
	else
		sqlite3_bind_null(s, 2);
	if (rname)
		db_bind_text(s, 3, rname);
	else
		sqlite3_bind_null(s, 3);
	db_bind_int(s, 4, ctx->now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(ctx->db, rc, err);
		goto rollback;
	}
	snprintf(detail, sizeof(detail), "%s:%s%s%s", username,
		 rname ? " role " : "", rname ? rname : "",
		 full_name ? " full name" : "");
	if ((st = db_dir_op(ctx, "user.update", username, full_name, role,
			    NULL, -1, err)) ||
	    (st = db_audit_append(ctx, "user.edit", NULL, detail, err)))
		goto rollback;
	return db_commit(ctx->db, err);
rollback:
	db_rollback(ctx->db);
	return st;
}

/* "2026-03-02 10:15 UTC": when a lock ends, to the minute (rounded up,
 * so that the account is open at the time said). */
static void utc_minute(int64_t t, char *out, size_t size)
{
	int y, mo, d;
	int64_t sod;

	t = (t + 59) / 60 * 60;
	rcms_utc_to_ymd(t, &y, &mo, &d);
	sod = ((t % 86400) + 86400) % 86400;
	snprintf(out, size, "%04d-%02d-%02d %02d:%02d UTC", y, mo, d,
		 (int)(sod / 3600), (int)(sod / 60 % 60));
}

/* In db_login's transaction, after a failure was counted: when it locked
 * the account, say so in the audit log (the failure has its own entry). */
static void audit_lock(struct db_ctx *ctx, int64_t until_set)
{
	struct db_user u;
	char detail[96], until[32];

	if (db_user_get(ctx->db, ctx->user.username, &u, NULL) != RCMS_OK ||
	    u.locked_until != until_set)
		return;
	utc_minute(u.locked_until, until, sizeof(until));
	snprintf(detail, sizeof(detail), "locked until %s after %d failed "
		 "logins", until, u.failed_logins);
	db_audit_append(ctx, "login.locked", NULL, detail, NULL);
}

enum rcms_status db_login(struct rcms_db *db, const char *username,
			  const char *password,
			  const struct db_login_policy *policy, int64_t now,
			  struct db_user *out, struct rcms_err *err)
{
	static const char hash_sql[] =
		"SELECT pw_hash FROM users WHERE username = ?1";
	static const char any_hash_sql[] =
		"SELECT pw_hash FROM users WHERE pw_hash <> '' LIMIT 1";
	/* a lock that has run out was the penalty: counting starts afresh
	 * (?4 is now), else one typo after it would lock again at once */
	static const char fail_sql[] =
		"UPDATE users SET failed_logins = 1 + CASE WHEN locked_until"
		" BETWEEN 1 AND ?4 THEN 0 ELSE failed_logins END,"
		" locked_until = CASE WHEN 1 + CASE WHEN locked_until"
		" BETWEEN 1 AND ?4 THEN 0 ELSE failed_logins END >= ?2"
		" THEN ?3 ELSE 0 END WHERE username = ?1";
	static const char ok_sql[] =
		"UPDATE users SET failed_logins = 0, locked_until = 0"
		" WHERE username = ?1";
	struct db_ctx ctx = {.db = db, .now = now};
	struct db_user u;
	char hash[256] = "";
	sqlite3_stmt *s;
	enum rcms_status st;
	int max_fail = policy && policy->max_failures > 0
			       ? policy->max_failures : 5;
	int64_t lock = policy && policy->lock_seconds > 0
			       ? policy->lock_seconds : 15 * 60;
	int rc, ok;

	if (!db || !username || !password)
		return rcms_err_set(err, RCMS_ERR_AUTH, NULL, NULL);
	snprintf(ctx.user.username, sizeof(ctx.user.username), "%s",
		 username);
	st = db_user_get(db, username, &u, NULL);
	if (st == RCMS_OK) {
		s = db_stmt(db, hash_sql, err);
		if (!s)
			return err ? err->status : RCMS_ERR_DB;
		db_bind_text(s, 1, username);
		if (sqlite3_step(s) == SQLITE_ROW)
			db_col_text(s, 0, hash, sizeof(hash));
		sqlite3_reset(s);
	}
	if (st == RCMS_OK && !u.enabled) {
		db_audit_add(&ctx, "login.refused", NULL, "account disabled",
			     NULL);
		return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
				    "this account is disabled; ask your "
				    "administrator");
	}
	if (st == RCMS_OK && u.locked_until > now) {
		char until[32];
		utc_minute(u.locked_until, until, sizeof(until));
		db_audit_add(&ctx, "login.refused", NULL, "account locked",
			     NULL);
		return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
				    "this account is locked after too many "
				    "failed logins until %s (%lld minutes "
				    "from now); an administrator can unlock "
				    "it by setting a new password",
				    until,
				    (long long)((u.locked_until - now + 59) /
						60));
	}
	if (st != RCMS_OK || !hash[0]) {
		/* an unknown name costs what a wrong password costs: one
		 * verification at an account's parameters (whose result
		 * does not count), so that the time of the answer does not
		 * tell which names exist */
		s = db_stmt(db, any_hash_sql, NULL);
		if (s && sqlite3_step(s) == SQLITE_ROW) {
			char other[256];
			db_col_text(s, 0, other, sizeof(other));
			(void)argon2id_verify(other, password,
					      strlen(password));
		}
		if (s)
			sqlite3_reset(s);
	}
	ok = st == RCMS_OK && hash[0] &&
	     argon2id_verify(hash, password, strlen(password)) == ARGON2_OK;
	if (!ok) {
		if (st == RCMS_OK) {
			if (db_begin(db, err) == RCMS_OK) {
				s = db_stmt(db, fail_sql, err);
				if (s) {
					db_bind_text(s, 1, username);
					db_bind_int(s, 2, max_fail);
					db_bind_int(s, 3, now + lock);
					db_bind_int(s, 4, now);
					rc = sqlite3_step(s);
					sqlite3_reset(s);
					(void)rc;
				}
				db_audit_append(&ctx, "login.failed", NULL,
						"wrong password", NULL);
				audit_lock(&ctx, now + lock);
				db_commit(db, NULL);
			}
		} else {
			snprintf(ctx.user.username, sizeof(ctx.user.username),
				 "%s", "-");
			db_audit_add(&ctx, "login.failed", NULL,
				     "unknown user name", NULL);
		}
		return rcms_err_set(err, RCMS_ERR_AUTH, NULL,
				    "wrong user name or password");
	}
	if ((st = db_begin(db, err)))
		return st;
	s = db_stmt(db, ok_sql, err);
	if (s) {
		db_bind_text(s, 1, username);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	st = db_audit_append(&ctx, "login", NULL, "", err);
	if (st) {
		db_rollback(db);
		return st;
	}
	st = db_commit(db, err);
	if (st == RCMS_OK && out)
		*out = u;
	return st;
}

/* ---- sessions ----------------------------------------------------------- */

static void hex(const uint8_t *b, size_t n, char *out)
{
	static const char h[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = h[b[i] >> 4];
		out[2 * i + 1] = h[b[i] & 15];
	}
	out[2 * n] = '\0';
}

enum rcms_status db_session_open(struct db_ctx *ctx, int64_t expires,
				 char token_out[65], struct rcms_err *err)
{
	static const char sql[] =
		"INSERT INTO sessions(token_hash, username, created_at,"
		" last_used, expires) VALUES(?1, ?2, ?3, ?3, ?4)";
	static const char gc[] = "DELETE FROM sessions WHERE expires < ?1";
	uint8_t rnd[32];
	char th[RCMS_SHA256_HEX];
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	if ((st = db_random(rnd, sizeof(rnd), err)))
		return st;
	hex(rnd, sizeof(rnd), token_out);
	db_sha256_hex(token_out, 64, th);
	if ((st = db_begin(ctx->db, err)))
		return st;
	s = db_stmt(ctx->db, gc, err);
	if (s) {
		db_bind_int(s, 1, ctx->now);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	s = db_stmt(ctx->db, sql, err);
	if (!s) {
		db_rollback(ctx->db);
		return err ? err->status : RCMS_ERR_DB;
	}
	db_bind_text(s, 1, th);
	db_bind_text(s, 2, ctx->user.username);
	db_bind_int(s, 3, ctx->now);
	db_bind_int(s, 4, expires);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(ctx->db, rc, err);
		db_rollback(ctx->db);
		return st;
	}
	return db_commit(ctx->db, err);
}

enum rcms_status db_session_check(struct rcms_db *db, const char *token,
				  int64_t now, int64_t idle_seconds,
				  struct db_user *out, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT username, last_used, expires FROM sessions"
		" WHERE token_hash = ?1";
	static const char touch[] =
		"UPDATE sessions SET last_used = ?2 WHERE token_hash = ?1"
		" AND last_used < ?2 - 60";
	char th[RCMS_SHA256_HEX], user[RCMS_USER_LEN] = "";
	int64_t last = 0, expires = 0;
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	if (!token || strlen(token) != 64)
		return rcms_err_set(err, RCMS_ERR_AUTH, NULL,
				    "you are not logged in; run 'rcms login'");
	db_sha256_hex(token, 64, th);
	s = db_stmt(db, sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, th);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		db_col_text(s, 0, user, sizeof(user));
		last = sqlite3_column_int64(s, 1);
		expires = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sqlerr(db, rc, err);
	if (rc == SQLITE_DONE || now >= expires ||
	    (idle_seconds > 0 && now - last > idle_seconds))
		return rcms_err_set(err, RCMS_ERR_AUTH, NULL,
				    "your session has ended; run 'rcms "
				    "login' again");
	st = db_user_get(db, user, out, err);
	if (st)
		return st;
	if (!out->enabled)
		return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
				    "this account is disabled");
	/* touch at most once a minute: reads stay reads */
	if (now - last > 60) {
		s = db_stmt(db, touch, NULL);
		if (s) {
			db_bind_text(s, 1, th);
			db_bind_int(s, 2, now);
			sqlite3_step(s);
			sqlite3_reset(s);
		}
	}
	return RCMS_OK;
}

enum rcms_status db_session_close(struct rcms_db *db, const char *token,
				  struct rcms_err *err)
{
	static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?1";
	char th[RCMS_SHA256_HEX];
	sqlite3_stmt *s;
	int rc;

	if (!token || strlen(token) != 64)
		return RCMS_OK;
	db_sha256_hex(token, 64, th);
	s = db_stmt(db, sql, err);
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, th);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

/* ---- init and identity -------------------------------------------------- */

enum rcms_status db_identity_get(struct rcms_db *db, struct db_identity *out,
				 struct rcms_err *err)
{
	enum rcms_status st;

	if (db->have_identity) {
		*out = db->identity;
		return RCMS_OK;
	}
	memset(out, 0, sizeof(*out));
	st = db_meta_get(db, "agency", out->agency, sizeof(out->agency), NULL);
	if (st == RCMS_OK)
		st = db_meta_get(db, "workstation", out->workstation,
				 sizeof(out->workstation), NULL);
	if (st == RCMS_ERR_NOT_FOUND)
		return rcms_err_set(err, RCMS_ERR_CONFIG, NULL,
				    "this replica has no identity; run "
				    "'rcms init'");
	if (st)
		return rcms_err_set(err, st, NULL, "cannot read the "
				    "workstation's identity");
	out->country[0] = out->agency[0];
	out->country[1] = out->agency[1];
	out->country[2] = '\0';
	db->identity = *out;
	db->have_identity = true;
	return RCMS_OK;
}

static enum rcms_status workstation_check(const char *w, struct rcms_err *err)
{
	size_t i, n = w ? strlen(w) : 0;

	if (n < 1 || n > 16)
		goto bad;
	for (i = 0; i < n; i++)
		if (!isupper((unsigned char)w[i]) &&
		    !isdigit((unsigned char)w[i]))
			goto bad;
	return RCMS_OK;
bad:
	return rcms_err_set(err, RCMS_ERR_INVALID, "workstation",
			    "the workstation id is 1 to 16 capital letters "
			    "or digits, such as W01");
}

enum rcms_status db_init(struct rcms_db *db, const struct db_init_args *a,
			 struct rcms_err *err)
{
	static const char agency_sql[] =
		"INSERT OR IGNORE INTO agencies(code, country, name)"
		" VALUES(?1, ?2, ?3)";
	struct db_ctx ctx;
	struct db_user admin;
	struct db_password_cost cost;
	char buf[64], hash[256], cc[3];
	sqlite3_stmt *s;
	enum rcms_status st;
	size_t i;
	int rc;

	if (!db || !a)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no arguments");
	if (db_meta_get(db, "agency", buf, sizeof(buf), NULL) == RCMS_OK)
		return rcms_err_set(err, RCMS_ERR_EXISTS, NULL,
				    "this replica is already initialised for "
				    "%s", buf);
	if ((st = rcms_agency_code_check(a->agency, "agency", err)))
		return st;
	cc[0] = a->agency[0];
	cc[1] = a->agency[1];
	cc[2] = '\0';
	{
		if (!rcms_country_find(cc))
			return rcms_err_set(err, RCMS_ERR_INVALID, "agency",
					    "agency: '%s' does not start with "
					    "a country code", a->agency);
	}
	if ((st = workstation_check(a->workstation, err)) ||
	    (st = username_check(a->admin_user, err)))
		return st;
	memset(&cost, 0, sizeof(cost));
	cost.t_cost = a->argon2_t_cost;
	cost.m_cost_kib = a->argon2_m_cost_kib;
	cost.min_chars = a->password_min_chars;
	if ((st = password_check(a->admin_password, a->admin_user, &cost,
				 err)))
		return st;
	if ((st = hash_password(a->admin_password, &cost, hash, sizeof(hash),
				err)))
		return st;

	memset(&ctx, 0, sizeof(ctx));
	ctx.db = db;
	ctx.now = a->now;
	memset(&admin, 0, sizeof(admin));
	snprintf(admin.username, sizeof(admin.username), "%s", a->admin_user);
	snprintf(admin.full_name, sizeof(admin.full_name), "%s",
		 a->admin_full_name ? a->admin_full_name : "");
	admin.role = RCMS_ROLE_ADMIN;
	snprintf(admin.agency, sizeof(admin.agency), "%s", a->agency);
	ctx.user = admin;

	if ((st = db_begin(db, err)))
		return st;
	if ((st = db_meta_set(db, "agency", a->agency, err)) ||
	    (st = db_meta_set(db, "workstation", a->workstation, err)))
		goto rollback;
	snprintf(buf, sizeof(buf), "%lld", (long long)a->now);
	if ((st = db_meta_set(db, "created_at", buf, err)))
		goto rollback;
	if (a->test_clock && (st = db_meta_set(db, "test_clock", "yes", err)))
		goto rollback;
	s = db_stmt(db, agency_sql, err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, a->agency);
	db_bind_text(s, 2, cc);
	db_bind_text(s, 3, a->agency_name);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(db, rc, err);
		goto rollback;
	}
	if ((st = insert_user(&ctx, &admin, hash, err)) ||
	    (st = db_dir_op(&ctx, "user.create", admin.username,
			    admin.full_name, RCMS_ROLE_ADMIN, hash, -1, err)))
		goto rollback;
	for (i = 0; i < a->n_agreements; i++)
		if ((st = db_agreement_write(&ctx, &a->agreements[i], err)))
			goto rollback;
	for (i = 0; i < a->n_holidays; i++)
		if ((st = db_holiday_write(&ctx, &a->holidays[i], NULL, err)))
			goto rollback;
	snprintf(buf, sizeof(buf), "%s%s", a->agency,
		 a->test_clock ? " (for tests: its clock can be set)" : "");
	if ((st = db_audit_append(&ctx, "init", NULL, buf, err)))
		goto rollback;
	return db_commit(db, err);
rollback:
	db_rollback(db);
	return st;
}

bool db_test_clock(struct rcms_db *db)
{
	char v[8];

	return db && db_meta_get(db, "test_clock", v, sizeof(v), NULL) ==
			     RCMS_OK && strcmp(v, "yes") == 0;
}
