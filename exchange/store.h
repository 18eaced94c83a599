/*
 * store.h - the exchange's storage, behind an ops table so that another
 * backend (PostgreSQL) can be added without touching the handlers.
 *
 * One struct xstore per thread (each holds its own connection).  Every
 * handler works inside begin/commit; a failed request rolls back.
 */
#ifndef RCMS_EXCHANGE_STORE_H
#define RCMS_EXCHANGE_STORE_H

#include <cjson/cJSON.h>

#include "app/app.h"

struct xstore;

/* A case as the exchange keeps it: the record, per-field revisions, the
 * feed position and the exchange's own stamps. */
struct xcase {
	struct rcms_case c;
	cJSON *revs;            /* owned: {"surnames": 3, ...} */
	/* not NULL: revs as text, stored in place of revs (which is then
	 * NULL; not owned): a new case's, every field at 1 */
	const char *revs_text;
	int64_t seq;            /* last change in the feed */
	int64_t reply_due;      /* 0: none */
	int64_t deemed_at;      /* 0: never */
	int64_t purged_at;      /* 0: not purged (retention, case.purge) */
	bool exists;
};

/* A purge (case.purge) as the exchange's purge log records it: who, when,
 * which case by its reference; never personal data. */
struct xpurge {
	const char *op_id;
	const char *agency;
	const char *workstation;
	const char *actor;
	const char *reference;
	int64_t closed_at;
	int retention_days;
	int64_t now;
};

/* A workstation's audit entry as it was sent (POST /v1/audit); strings
 * borrowed. */
struct xaudit {
	int64_t seq, at;
	const char *actor, *action, *case_id, *detail;
	const char *prev_hash, *hash;
};

/* An account of an agency's directory: the agency's admin manages it on
 * any of its workstations (user.create, user.update, user.password), the
 * exchange keeps it and hands it to that agency's workstations alone
 * (GET /v1/directory). */
struct xuser {
	char agency[RCMS_AGENCY_LEN];
	char username[RCMS_USER_LEN];
	char full_name[RCMS_NAME_LEN];
	char role[16];              /* officer, supervisor, admin */
	char pw_hash[256];          /* Argon2id, encoded ($argon2id$...) */
	bool enabled;
	int64_t seq;                /* its last change in the directory */
	int64_t created_at, updated_at;
	int64_t disabled_at;        /* 0: enabled */
	char updated_by[RCMS_USER_LEN];
	char updated_ws[64];        /* the workstation the change came from */
	bool exists;
};

/* A workstation of an agency as the exchange knows it: from its first
 * request on; retired by the agency's admin (workstation.retire), after
 * which its certificate is refused. */
struct xws {
	char agency[RCMS_AGENCY_LEN];
	char workstation[64];
	int64_t first_seen;
	int64_t last_sync;          /* its last pull to the end of its feed */
	int64_t retired_at;         /* 0: in service */
	char retired_by[RCMS_USER_LEN];
	char retired_from[64];
	char reason[RCMS_LINE_LEN];
	bool exists;
};

/* A child record of a case: document, note, attachment link. */
struct xchild {
	const char *kind;       /* "document", "note", "attachment" */
	const char *id;
	const char *case_id;
	const char *sha256;     /* attachments: the blob; else NULL */
	const char *body;       /* JSON object text */
};

/* A tus upload session (tus.c): the bytes so far live in
 * DATA/uploads/<id>.part until the whole file is there. */
#define XUPLOAD_ID_LEN 32       /* 16 random bytes in lower-case hex */
struct xupload {
	char id[XUPLOAD_ID_LEN + 1];
	char agency[RCMS_AGENCY_LEN];   /* the session belongs to it */
	char workstation[64];
	char sha256[RCMS_SHA256_HEX];   /* the whole file's, as declared */
	char filename[RCMS_NAME_LEN];   /* display only, never a path */
	int64_t length;                 /* Upload-Length */
	int64_t offset;                 /* bytes received and synced */
	int64_t created_at, updated_at;
	bool done;                      /* verified and stored as a blob */
};

struct xstore_ops {
	const char *name;
	enum rcms_status (*open)(const char *data_dir, struct xstore **out,
				 struct rcms_err *err);
	void (*close)(struct xstore **s);
	enum rcms_status (*begin)(struct xstore *s, struct rcms_err *err);
	enum rcms_status (*commit)(struct xstore *s, struct rcms_err *err);
	void (*rollback)(struct xstore *s);
	/* a push batch: one transaction; begin/commit/rollback inside it
	 * act on one operation.  With savepoints, each operation is one;
	 * without, an operation costs no journal, and the rollback of one
	 * that had changed something spoils the batch (batch_spoiled): the
	 * caller rolls it back whole and runs it again with savepoints */
	enum rcms_status (*batch_begin)(struct xstore *s, bool savepoints,
					struct rcms_err *err);
	bool (*batch_spoiled)(struct xstore *s);
	enum rcms_status (*batch_commit)(struct xstore *s,
					 struct rcms_err *err);
	void (*batch_rollback)(struct xstore *s);

	/* idempotency: the stored fingerprint and result of an op */
	enum rcms_status (*op_get)(struct xstore *s, const char *op_id,
				   char fp[65], char **result,
				   struct rcms_err *err);
	enum rcms_status (*op_put)(struct xstore *s, const char *op_id,
				   const char *agency, const char *ws,
				   const char *fp, const char *result,
				   int64_t now, struct rcms_err *err);

	/* cases: get (exists=false when absent), put with a new seq */
	enum rcms_status (*case_get)(struct xstore *s, const char *id,
				     struct xcase *out, struct rcms_err *err);
	enum rcms_status (*case_put)(struct xstore *s, struct xcase *c,
				     struct rcms_err *err);
	enum rcms_status (*child_put)(struct xstore *s,
				      const struct xchild *ch,
				      struct rcms_err *err);
	/* a child's body (owned by the caller), and replacing it */
	enum rcms_status (*child_get)(struct xstore *s, const char *id,
				      const char *case_id, const char *kind,
				      char **body, struct rcms_err *err);
	enum rcms_status (*child_update)(struct xstore *s, const char *id,
					 const char *body,
					 struct rcms_err *err);
	/*
	 * Retention: the records of case id go (its children; the blobs no
	 * other case links, rows and files) and the purge log (append-only)
	 * gets p.  The caller clears the case's personal fields and puts
	 * it with purged_at set, in the same transaction.
	 */
	enum rcms_status (*case_purge)(struct xstore *s, const char *id,
				       const struct xpurge *p,
				       struct rcms_err *err);
	/*
	 * The audit entries of workstation ws of agency, append-only:
	 * audit_last its last seq (0: none); audit_hash the hash of entry
	 * seq (RCMS_ERR_NOT_FOUND: none); audit_put one more entry (the
	 * caller checked the chain); audit_list those after since, in
	 * order, at most limit (fn returns non-zero to stop).
	 */
	enum rcms_status (*audit_last)(struct xstore *s, const char *agency,
				       const char *ws, int64_t *seq,
				       struct rcms_err *err);
	enum rcms_status (*audit_hash)(struct xstore *s, const char *agency,
				       const char *ws, int64_t seq,
				       char hash[RCMS_SHA256_HEX],
				       struct rcms_err *err);
	enum rcms_status (*audit_put)(struct xstore *s, const char *agency,
				      const char *ws, const struct xaudit *a,
				      int64_t now, struct rcms_err *err);
	enum rcms_status (*audit_list)(struct xstore *s, const char *agency,
				       const char *ws, int64_t since,
				       int limit,
				       int (*fn)(const struct xaudit *a,
						 void *arg),
				       void *arg, struct rcms_err *err);
	/*
	 * The agency directory.  user_get: exists=false when absent;
	 * user_put writes u with a new directory seq (u->seq set);
	 * user_count: the agency's accounts; directory: the agency's
	 * accounts changed after since, in seq order (fn non-zero stops).
	 */
	enum rcms_status (*user_get)(struct xstore *s, const char *agency,
				     const char *username, struct xuser *out,
				     struct rcms_err *err);
	enum rcms_status (*user_put)(struct xstore *s, struct xuser *u,
				     struct rcms_err *err);
	enum rcms_status (*user_count)(struct xstore *s, const char *agency,
				       int64_t *n, struct rcms_err *err);
	enum rcms_status (*directory)(struct xstore *s, const char *agency,
				      int64_t since, int limit,
				      int (*fn)(const struct xuser *u,
						void *arg),
				      void *arg, struct rcms_err *err);
	/*
	 * Workstations.  ws_seen records a request from one (first_seen),
	 * synced: its pull reached the end of the feed (last_sync, written
	 * at most once a minute); ws_get: exists=false when never seen;
	 * ws_retire: marks it retired (RCMS_ERR_NOT_FOUND never seen);
	 * ws_list: the agency's, by name.
	 */
	enum rcms_status (*ws_seen)(struct xstore *s, const char *agency,
				    const char *ws, int64_t now, bool synced,
				    struct rcms_err *err);
	enum rcms_status (*ws_get)(struct xstore *s, const char *agency,
				   const char *ws, struct xws *out,
				   struct rcms_err *err);
	enum rcms_status (*ws_retire)(struct xstore *s, const struct xws *w,
				      struct rcms_err *err);
	enum rcms_status (*ws_list)(struct xstore *s, const char *agency,
				    int (*fn)(const struct xws *w, void *arg),
				    void *arg, struct rcms_err *err);

	/* the next final reference number for a year */
	enum rcms_status (*next_ref)(struct xstore *s, int year, int64_t *n,
				     struct rcms_err *err);

	/*
	 * The agency's feed after since: cases it takes part in (the
	 * requesting agency always; the requested agency once the case was
	 * submitted), in seq order, each as its stored JSON snapshot.  fn
	 * returns non-zero to stop.
	 */
	enum rcms_status (*changes)(struct xstore *s, const char *agency,
				    int64_t since, int limit,
				    int (*fn)(int64_t seq, const char *json,
					      size_t len, void *arg),
				    void *arg, struct rcms_err *err);
	/* Cases whose deemed_at has passed without a decision. */
	enum rcms_status (*due)(struct xstore *s, int64_t now,
				char (*ids)[RCMS_ID_LEN], int max, int *n,
				struct rcms_err *err);

	/* May agency read blob sha256?  It takes part in a case with an
	 * attachment of it linked by an agency that has the bytes (it
	 * uploaded them, or could read them when it linked them): a hash
	 * alone, linked to one's own case, opens nothing. */
	enum rcms_status (*blob_readable)(struct xstore *s, const char *agency,
					  const char *sha256, bool *ok,
					  struct rcms_err *err);

	/*
	 * tus upload sessions.  upload_get: RCMS_ERR_NOT_FOUND when absent.
	 * upload_advance moves the offset from `from` to `to` (and marks the
	 * session done); RCMS_ERR_CONFLICT when the offset is not `from` any
	 * more or the session is done or gone.  upload_count: the agency's
	 * sessions not done yet, and their lengths summed.  upload_idle: ids of sessions untouched
	 * since before `before`, at most max.
	 */
	enum rcms_status (*upload_put)(struct xstore *s,
				       const struct xupload *u,
				       struct rcms_err *err);
	enum rcms_status (*upload_get)(struct xstore *s, const char *id,
				       struct xupload *out,
				       struct rcms_err *err);
	enum rcms_status (*upload_advance)(struct xstore *s, const char *id,
					   int64_t from, int64_t to, bool done,
					   int64_t now, struct rcms_err *err);
	enum rcms_status (*upload_del)(struct xstore *s, const char *id,
				       struct rcms_err *err);
	enum rcms_status (*upload_count)(struct xstore *s, const char *agency,
					 int64_t *n, int64_t *bytes,
					 struct rcms_err *err);
	enum rcms_status (*upload_idle)(struct xstore *s, int64_t before,
					char (*ids)[XUPLOAD_ID_LEN + 1],
					int max, int *n,
					struct rcms_err *err);

	/*
	 * Blobs stored at DATA/blobs/ab/<sha256>.  blob_put records one and
	 * the agency that uploaded it (the blob, the uploader or both may be
	 * known already; the first uploader stays uploaded_by).  blob_get:
	 * RCMS_ERR_NOT_FOUND when the exchange has no such blob; *mine when
	 * agency uploaded it itself (it may then read it before any case
	 * links it: a workstation uploads before it pushes attachment.link).
	 */
	enum rcms_status (*blob_put)(struct xstore *s, const char *sha256,
				     int64_t size, const char *agency,
				     int64_t now, struct rcms_err *err);
	enum rcms_status (*blob_get)(struct xstore *s, const char *sha256,
				     const char *agency, int64_t *size,
				     bool *mine, struct rcms_err *err);

	/* reference data */
	enum rcms_status (*agency_put)(struct xstore *s,
				       const struct rcms_agency *a,
				       struct rcms_err *err);
	enum rcms_status (*agency_list)(struct xstore *s,
					int (*fn)(const struct rcms_agency *a,
						  void *arg),
					void *arg, struct rcms_err *err);
	enum rcms_status (*agreement_put)(struct xstore *s,
					  const struct rcms_agreement *a,
					  struct rcms_err *err);
	enum rcms_status (*agreement_for)(struct xstore *s, const char *code,
					  const char *alpha2,
					  struct rcms_agreement *out,
					  struct rcms_err *err);
	enum rcms_status (*holiday_put)(struct xstore *s,
					const struct rcms_holiday *h,
					struct rcms_err *err);
	enum rcms_status (*holidays)(struct xstore *s, const char *alpha2,
				     struct rcms_holiday *out, size_t max,
				     size_t *n, struct rcms_err *err);
	/* the whole reference data as JSON (agencies, agreements, ...) */
	enum rcms_status (*reference)(struct xstore *s, cJSON *out,
				      struct rcms_err *err);
};

extern const struct xstore_ops xstore_sqlite;

/* A thread that runs the WAL checkpoints of the store in data_dir for
 * the connections opened after it started, in place of the commits that
 * pass SQLite's mark (the server); stop: it ends. */
enum rcms_status xstore_checkpointer_start(const char *data_dir,
					   struct rcms_err *err);
void xstore_checkpointer_stop(void);

void xcase_init(struct xcase *c);
void xcase_free(struct xcase *c);

#endif
