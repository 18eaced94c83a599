/*
 * directory.c - the replica's copy of its agency's directory of accounts.
 *
 * Accounts are managed once for the agency: every change made here (user
 * add, edit, enable, disable, passwd; rcms init's admin) is written with
 * an operation for the exchange in the same transaction (user.create,
 * user.update, user.password), and the exchange hands the agency's
 * accounts back to each of its workstations (db_directory_apply).  What
 * stays here alone: failed logins and lockouts (each workstation counts
 * its own), sessions.
 */
#include "db/db_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum rcms_status db_dir_op(struct db_ctx *ctx, const char *type,
			   const char *username, const char *full_name,
			   int role, const char *pw_hash, int enabled,
			   struct rcms_err *err)
{
	struct rcms_jsonw w;
	char id[RCMS_ID_LEN];
	enum rcms_status st;

	if ((st = db_uuid(ctx->now * 1000, id, err)))
		return st;
	rcms_jsonw_init(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "username", username);
	if (full_name)
		rcms_jsonw_kstr(&w, "full_name", full_name);
	if (role >= 0)
		rcms_jsonw_kstr(&w, "role",
				rcms_enum_name(rcms_role_names, role));
	if (pw_hash)
		rcms_jsonw_kstr(&w, "pw_hash", pw_hash);
	if (enabled >= 0)
		rcms_jsonw_kbool(&w, "enabled", enabled != 0);
	rcms_jsonw_obj_end(&w);
	st = rcms_jsonw_status(&w);
	if (st)
		rcms_err_set(err, st, NULL, NULL);
	else
		st = db_outbox_add(ctx, type, id, 0, w.buf, err);
	rcms_jsonw_free(&w);
	return st;
}

/* Has username a change of its own still waiting to be sent? */
static int pending_for(struct rcms_db *db, const char *username,
		       struct rcms_err *err)
{
	static const char sql[] =
		"SELECT 1 FROM outbox WHERE state = 'pending' AND type LIKE"
		" 'user.%' AND json_extract(fields, '$.username') = ?1 LIMIT 1";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return -1;
	db_bind_text(s, 1, username);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_sqlerr(db, rc, err);
	return -1;
}

static enum rcms_status exec1(struct rcms_db *db, const char *sql,
			      const char *arg, struct rcms_err *err)
{
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, arg);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

/* One account from the directory; *changed when something of it is new
 * here (an audit entry says what). */
static enum rcms_status apply_one(struct db_ctx *ctx, const char *agency,
				  const struct db_dir_user *u, bool *changed,
				  struct rcms_err *err)
{
	static const char upsert[] =
		"INSERT INTO users(username, full_name, role, agency, pw_hash,"
		" enabled, created_at, updated_at, dir_seq)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)"
		" ON CONFLICT(username) DO UPDATE SET full_name = ?2,"
		" role = ?3, pw_hash = ?5, enabled = ?6, updated_at = ?7,"
		" dir_seq = ?8";
	static const char old_sql[] =
		"SELECT full_name, role, pw_hash, enabled, dir_seq FROM users"
		" WHERE username = ?1";
	static const char kill[] = "DELETE FROM sessions WHERE username = ?1";
	char full[RCMS_NAME_LEN] = "", role[16] = "", hash[256] = "";
	char detail[RCMS_LINE_LEN];
	const char *rname = rcms_enum_name(rcms_role_names, (int)u->role);
	bool had = false, was_on = false, new_pw, new_role, new_name;
	bool taken = false;   /* made here, now the directory's account */
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	*changed = false;
	if (!(s = db_stmt(ctx->db, old_sql, err)))
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, u->username);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		had = true;
		db_col_text(s, 0, full, sizeof(full));
		db_col_text(s, 1, role, sizeof(role));
		db_col_text(s, 2, hash, sizeof(hash));
		was_on = sqlite3_column_int(s, 3) != 0;
		taken = sqlite3_column_int64(s, 4) == 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sqlerr(ctx->db, rc, err);
	new_pw = !had || strcmp(hash, u->pw_hash) != 0;
	new_role = !had || strcmp(role, rname) != 0;
	new_name = !had || strcmp(full, u->full_name) != 0;
	if (had && !new_pw && !new_role && !new_name && was_on == u->enabled) {
		/* the directory's own now: a later change is one */
		if (!(s = db_stmt(ctx->db, "UPDATE users SET dir_seq = ?2"
					   " WHERE username = ?1", err)))
			return err ? err->status : RCMS_ERR_DB;
		db_bind_text(s, 1, u->username);
		db_bind_int(s, 2, u->seq);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
	}
	if (!(s = db_stmt(ctx->db, upsert, err)))
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, u->username);
	db_bind_text(s, 2, u->full_name);
	db_bind_text(s, 3, rname);
	db_bind_text(s, 4, agency);
	db_bind_text(s, 5, u->pw_hash);
	db_bind_int(s, 6, u->enabled);
	db_bind_int(s, 7, ctx->now);
	db_bind_int(s, 8, u->seq);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_sqlerr(ctx->db, rc, err);
	/* a new password ends its sessions here, as it did on the
	 * workstation where it was changed; an account made here that the
	 * directory had already (this workstation joined the agency) keeps
	 * the session of whoever made it.  A disabled account's sessions are
	 * refused by db_session_check, saying why. */
	if (had && new_pw && !taken &&
	    (st = exec1(ctx->db, kill, u->username, err)))
		return st;
	if (had && taken)
		snprintf(detail, sizeof(detail), "%s: this workstation's "
			 "account replaced by the agency directory's, as %s%s "
			 "(made by %s on %s)", u->username, rname,
			 u->enabled ? "" : ", disabled", u->updated_by,
			 u->updated_on);
	else if (!had)
		snprintf(detail, sizeof(detail), "%s as %s%s (from %s on %s)",
			 u->username, rname, u->enabled ? "" : ", disabled",
			 u->updated_by, u->updated_on);
	else
		snprintf(detail, sizeof(detail), "%s:%s%s%s%s (by %s on %s)",
			 u->username,
			 was_on && !u->enabled	 ? " disabled"
			 : !was_on && u->enabled ? " enabled" : "",
			 new_role ? " role " : "", new_role ? rname : "",
			 new_pw ? " new password" : new_name ? " full name"
							     : "",
			 u->updated_by, u->updated_on);
	*changed = true;
	return db_audit_append(ctx, had ? "user.sync" : "user.add", NULL,
			       detail, err);
}

enum rcms_status db_directory_apply(struct db_ctx *ctx,
				    const struct db_dir_user *users, size_t n,
				    int64_t next, size_t *changed,
				    struct rcms_err *err)
{
	struct db_identity id;
	char buf[32];
	enum rcms_status st;
	size_t i;

	*changed = 0;
	/* nothing new (most syncs): no transaction, no disk sync */
	if (n == 0 && next == db_directory_cursor(ctx->db))
		return RCMS_OK;
	if ((st = db_identity_get(ctx->db, &id, err)))
		return st;
	if ((st = db_begin(ctx->db, err)))
		return st;
	for (i = 0; i < n; i++) {
		bool ch = false;
		int p = pending_for(ctx->db, users[i].username, err);
		if (p < 0) {
			st = err ? err->status : RCMS_ERR_DB;
			goto rollback;
		}
		/* a change of it made here and not sent yet wins until the
		 * exchange answers it (the directory is read again then) */
		if (p)
			continue;
		if ((st = apply_one(ctx, id.agency, &users[i], &ch, err)))
			goto rollback;
		*changed += ch;
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)next);
	if ((st = db_meta_set(ctx->db, "sync.dir_cursor", buf, err)))
		goto rollback;
	return db_commit(ctx->db, err);
rollback:
	db_rollback(ctx->db);
	return st;
}

int64_t db_directory_cursor(struct rcms_db *db)
{
	char buf[32];

	if (db_meta_get(db, "sync.dir_cursor", buf, sizeof(buf), NULL))
		return 0;
	return strtoll(buf, NULL, 10);
}

/* Migration 7: the accounts this replica has go to the exchange's
 * directory, made by its first administrator (the agency's first account
 * makes itself there; one that exists there already is taken from it). */
enum rcms_status db_directory_seed(struct rcms_db *db, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT username, full_name, role, pw_hash FROM users"
		" ORDER BY role <> 'admin', created_at, username";
	struct db_ctx ctx;
	sqlite3_stmt *s;
	enum rcms_status st = RCMS_OK;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.db = db;
	ctx.now = (int64_t)time(NULL);
	if (!(s = db_stmt(db, sql, err)))
		return err ? err->status : RCMS_ERR_DB;
	/* the statement stays open while operations are written: other
	 * statements, the same connection */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char name[RCMS_USER_LEN], full[RCMS_NAME_LEN], role[16];
		char hash[256];
		int rv = RCMS_ROLE_OFFICER;

		db_col_text(s, 0, name, sizeof(name));
		db_col_text(s, 1, full, sizeof(full));
		db_col_text(s, 2, role, sizeof(role));
		db_col_text(s, 3, hash, sizeof(hash));
		rcms_enum_parse(rcms_role_names, role, &rv);
		if (!ctx.user.username[0])
			snprintf(ctx.user.username, sizeof(ctx.user.username),
				 "%s", name);
		if ((st = db_dir_op(&ctx, "user.create", name, full, rv, hash,
				    -1, err)))
			break;
	}
	sqlite3_reset(s);
	if (st)
		return st;
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

enum rcms_status db_workstation_retire(struct db_ctx *ctx, const char *ws,
				       const char *reason,
				       struct rcms_err *err)
{
	struct db_identity id;
	struct rcms_jsonw w;
	char opid[RCMS_ID_LEN], detail[RCMS_LINE_LEN];
	enum rcms_status st;

	if ((st = rcms_perm_check(RCMS_PERM_WORKSTATION_MANAGE,
				  ctx->user.role, err)))
		return st;
	if (!ws || !*ws || strlen(ws) > 32 ||
	    strspn(ws, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(ws))
		return rcms_err_set(err, RCMS_ERR_INVALID, "workstation",
				    "a workstation's name is capitals and "
				    "digits, such as W02");
	if (reason && (st = rcms_text_check(reason, 200,
					    RCMS_TEXT_SINGLE_LINE, "reason",
					    err)))
		return st;
	if ((st = db_identity_get(ctx->db, &id, err)))
		return st;
	if (strcmp(ws, id.workstation) == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "workstation",
				    "a workstation cannot retire itself; "
				    "retire %s from another workstation of "
				    "%s", ws, id.agency);
	if ((st = db_uuid(ctx->now * 1000, opid, err)))
		return st;
	rcms_jsonw_init(&w);
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "workstation", ws);
	if (reason && *reason)
		rcms_jsonw_kstr(&w, "reason", reason);
	rcms_jsonw_obj_end(&w);
	if ((st = rcms_jsonw_status(&w))) {
		rcms_jsonw_free(&w);
		return rcms_err_set(err, st, NULL, NULL);
	}
	snprintf(detail, sizeof(detail), "%s/%s%s%.200s", id.agency, ws,
		 reason && *reason ? ": " : "", reason ? reason : "");
	if (!(st = db_begin(ctx->db, err))) {
		if ((st = db_outbox_add(ctx, "workstation.retire", opid, 0,
					w.buf, err)) ||
		    (st = db_audit_append(ctx, "workstation.retire", NULL,
					  detail, err)))
			db_rollback(ctx->db);
		else
			st = db_commit(ctx->db, err);
	}
	rcms_jsonw_free(&w);
	return st;
}
