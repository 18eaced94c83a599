/*
 * db.h - the local SQLite replica and the use cases that change it.
 *
 * Every mutating use case writes its domain rows, its outbox operation and
 * its audit entry in ONE transaction (BEGIN IMMEDIATE ... COMMIT with
 * synchronous=FULL): after a crash either all three exist or none.  Only
 * this layer speaks SQL, and only through prepared statements; column
 * names come from the field tables of app/fields.h, never from user text.
 *
 * Ownership: struct rcms_db is owned by its opener and freed with
 * db_close().  Output structs are filled by the callee; strings passed in
 * are borrowed.
 */
#ifndef RCMS_DB_DB_H
#define RCMS_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/justify.h"

struct rcms_db;

/* The schema version this build writes (PRAGMA user_version). */
#define DB_SCHEMA_VERSION 14

enum db_open_flags {
	DB_OPEN_CREATE = 1,    /* create the file if missing */
	DB_OPEN_READONLY = 2
};

/*
 * Open (and migrate) the replica at path.  A path of ":memory:" opens a
 * private in-memory database (tests).  data_dir is where attachments live
 * (borrowed, copied); NULL for none.
 */
enum rcms_status db_open(const char *path, const char *data_dir,
			 unsigned flags, struct rcms_db **out,
			 struct rcms_err *err);
/* Close and free; accepts NULL and *db == NULL; clears the pointer. */
void db_close(struct rcms_db **db);

/*
 * WAL checkpoints on a thread of their own, for a long writer (a sync's
 * pull): SQLite's own checkpoint (every 1,000 pages of WAL) copies the
 * pages into the database and waits for the disk inside the commit that
 * passes the mark, on the writer's thread.  While the checkpointer runs,
 * that commit only wakes it, and it copies them on its own connection
 * alongside the writer (a PASSIVE checkpoint); a commit that finds
 * 16,000 pages still in the WAL checkpoints itself, so the WAL stays
 * bounded.  Stopped, and SQLite's own checkpoint back, by
 * db_checkpointer_stop or db_close.  Nothing to do for an in-memory
 * database; an error when the thread or its connection cannot be had
 * (the caller goes on without it).
 */
enum rcms_status db_checkpointer_start(struct rcms_db *db,
				       struct rcms_err *err);
/* Stop it (accepts a database without one); a checkpoint under way ends
 * first. */
void db_checkpointer_stop(struct rcms_db *db);

/*
 * A batch: many use cases in one transaction (imports, the benchmark).
 * Each use case inside still succeeds or fails as a whole (a savepoint);
 * nothing is durable before db_batch_commit.
 */
enum rcms_status db_batch_begin(struct rcms_db *db, struct rcms_err *err);
enum rcms_status db_batch_commit(struct rcms_db *db, struct rcms_err *err);
void db_batch_rollback(struct rcms_db *db);

/* The migrated schema version of an open replica. */
int db_schema_version(struct rcms_db *db);

/* ---- the acting user and the clock ----------------------------------- */

struct db_user {
	char username[RCMS_USER_LEN];
	char full_name[RCMS_NAME_LEN];
	enum rcms_role role;
	char agency[RCMS_AGENCY_LEN];
	bool enabled;
	int failed_logins;
	int64_t locked_until;
	int64_t created_at;
};

/*
 * Who acts and when.  now is UTC seconds; tests pin it.  The context is a
 * value the caller owns; db is borrowed.
 */
struct db_ctx {
	struct rcms_db *db;
	struct db_user user;
	int64_t now;
};

/* The workstation's identity, set by db_init. */
struct db_identity {
	char agency[RCMS_AGENCY_LEN];
	char workstation[32];
	char country[3];     /* alpha-2 of the agency */
};

struct db_init_args {
	const char *agency;          /* "RS-MUP" */
	const char *agency_name;     /* may be NULL */
	const char *workstation;     /* "W01" */
	const char *admin_user;
	const char *admin_full_name; /* may be NULL */
	const char *admin_password;
	const struct rcms_agreement *agreements; /* borrowed, may be NULL */
	size_t n_agreements;
	const struct rcms_holiday *holidays;     /* borrowed, may be NULL */
	size_t n_holidays;
	uint32_t argon2_t_cost;      /* 0: default */
	uint32_t argon2_m_cost_kib;  /* 0: default */
	unsigned password_min_chars; /* 0: RCMS_PASSWORD_MIN_DEFAULT */
	bool test_clock;             /* tests only: see db_test_clock */
	int64_t now;
};

/* Initialise an empty replica: identity, agreements, the first admin. */
enum rcms_status db_init(struct rcms_db *db, const struct db_init_args *a,
			 struct rcms_err *err);
enum rcms_status db_identity_get(struct rcms_db *db, struct db_identity *out,
				 struct rcms_err *err);
/* Was the replica made for automated tests (db_init_args.test_clock)?
 * Only then may the command line take its clock from RCMS_TEST_NOW. */
bool db_test_clock(struct rcms_db *db);

/* ---- users ----------------------------------------------------------- */

/* How a new password is checked (app/password.h) and hashed; 0 in a
 * field: its default. */
struct db_password_cost {
	uint32_t t_cost;     /* Argon2id iterations */
	uint32_t m_cost_kib; /* memory */
	unsigned min_chars;  /* the policy's minimum length */
};

enum rcms_status db_user_add(struct db_ctx *ctx, const struct db_user *u,
			     const char *password,
			     const struct db_password_cost *cost,
			     struct rcms_err *err);
enum rcms_status db_user_get(struct rcms_db *db, const char *username,
			     struct db_user *out, struct rcms_err *err);
/* Call fn for each user, ordered by name; fn returns non-zero to stop. */
enum rcms_status db_user_list(struct db_ctx *ctx,
			      int (*fn)(const struct db_user *u, void *arg),
			      void *arg, struct rcms_err *err);
/* Change a password: one's own, or any as admin. */
enum rcms_status db_user_passwd(struct db_ctx *ctx, const char *username,
				const char *password,
				const struct db_password_cost *cost,
				struct rcms_err *err);
/* Enable or disable an account (admin). */
enum rcms_status db_user_enable(struct db_ctx *ctx, const char *username,
				bool enabled, struct rcms_err *err);
/* Change an account's full name (NULL: kept) or role (-1: kept); admin;
 * not the admin's own role. */
enum rcms_status db_user_edit(struct db_ctx *ctx, const char *username,
			      const char *full_name, int role,
			      struct rcms_err *err);
/*
 * Check a password and fill *out.  Failed attempts are counted and the
 * account locks after policy.max_failures for policy.lock_seconds; both
 * outcomes are audited.  RCMS_ERR_AUTH for a wrong name or password
 * (the same message for both), RCMS_ERR_PERMISSION for a locked or
 * disabled account.
 */
struct db_login_policy {
	int max_failures;
	int64_t lock_seconds;
};
enum rcms_status db_login(struct rcms_db *db, const char *username,
			  const char *password,
			  const struct db_login_policy *policy, int64_t now,
			  struct db_user *out, struct rcms_err *err);

/* Sessions: a random token whose SHA-256 is stored; see rcms(1) LOGIN. */
enum rcms_status db_session_open(struct db_ctx *ctx, int64_t expires,
				 char token_out[65], struct rcms_err *err);
enum rcms_status db_session_check(struct rcms_db *db, const char *token,
				  int64_t now, int64_t idle_seconds,
				  struct db_user *out, struct rcms_err *err);
enum rcms_status db_session_close(struct rcms_db *db, const char *token,
				  struct rcms_err *err);

/* ---- agreements and holidays ----------------------------------------- */

enum rcms_status db_agreement_get(struct rcms_db *db, const char *code,
				  struct rcms_agreement *out,
				  struct rcms_err *err);
/* The agreement that applies to a requested country (alpha-2), or
 * RCMS_ERR_NOT_FOUND. */
enum rcms_status db_agreement_for_country(struct rcms_db *db,
					  const char *alpha2,
					  struct rcms_agreement *out,
					  struct rcms_err *err);
enum rcms_status db_agreement_list(struct rcms_db *db,
				   int (*fn)(const struct rcms_agreement *a,
					     void *arg),
				   void *arg, struct rcms_err *err);
/* Insert or replace an agreement (admin); audited. */
enum rcms_status db_agreement_put(struct db_ctx *ctx,
				  const struct rcms_agreement *a,
				  struct rcms_err *err);
/* Add a public holiday (admin); audited. */
enum rcms_status db_holiday_put(struct db_ctx *ctx, const struct rcms_holiday *h,
				const char *name, struct rcms_err *err);
/* The holidays of a country (alpha-2), into a caller's array. */
enum rcms_status db_holidays(struct rcms_db *db, const char *alpha2,
			     struct rcms_holiday *out, size_t max,
			     size_t *n, struct rcms_err *err);

/* ---- cases ----------------------------------------------------------- */

/* A field change: name and text value, as `case edit` takes them. */
struct db_change {
	const char *field;
	const char *value;
};

/*
 * Create a case from c (validated; id, references, status, creator and
 * times are assigned here and written back into c).  docs may be NULL.
 */
enum rcms_status db_case_create(struct db_ctx *ctx, struct rcms_case *c,
				const struct rcms_document *docs, size_t ndocs,
				struct rcms_err *err);
/* Find a case by local or final reference or id. */
enum rcms_status db_case_get(struct db_ctx *ctx, const char *ref,
			     struct rcms_case *out, struct rcms_err *err);
/*
 * Record that the personal data of case c was consulted: an audit entry
 * case.view whose detail is "WHY: what" ("legal: case show").  why must
 * be a code of the agency's justifications (list, borrowed; app/justify.h)
 * and what says where, never whom ("case show", "workstation"): else
 * RCMS_ERR_INVALID and nothing is recorded.  The role must be allowed to
 * read cases (RCMS_ERR_PERMISSION).
 */
enum rcms_status db_case_viewed(struct db_ctx *ctx, const struct rcms_case *c,
				const struct rcms_justify_list *list,
				const char *why, const char *what,
				struct rcms_err *err);
/*
 * Record that a list of n cases showing names was consulted: one audit
 * entry action ("case.list", "case.search") for the lot, without a case,
 * whose detail is "WHY: what (N cases)" ("legal: search (3 cases)").  The
 * same rules as db_case_viewed; what must not hold the query (a name).
 */
enum rcms_status db_cases_listed(struct db_ctx *ctx, const char *action,
				 const struct rcms_justify_list *list,
				 const char *why, const char *what, long n,
				 struct rcms_err *err);
/* Apply changes to a case: all or nothing; one outbox op for the lot. */
enum rcms_status db_case_edit(struct db_ctx *ctx, const char *ref,
			      const struct db_change *changes, size_t n,
			      struct rcms_err *err);
/* Take a step of the state machine (app/state.h). */
enum rcms_status db_case_transition(struct db_ctx *ctx, const char *ref,
				    const char *action,
				    const struct rcms_transition_args *args,
				    struct rcms_case *out,
				    struct rcms_err *err);

enum db_order { DB_ORDER_UPDATED, DB_ORDER_CREATED, DB_ORDER_DUE, DB_ORDER_REF };

struct db_case_filter {
	int status;                 /* enum rcms_case_status, -1 any */
	const char *requested;      /* agency code, NULL any */
	int64_t due_before;         /* reply due before, 0 any */
	const char *created_by;     /* NULL any */
	enum db_order order;
	int limit;                  /* 0: 100 */
	int offset;
};

/* A row of the case list: what a list shows, no more. */
struct db_case_row {
	char id[RCMS_ID_LEN];
	char local_ref[RCMS_REF_LEN];
	char final_ref[RCMS_REF_LEN];
	char requesting_agency[RCMS_AGENCY_LEN];
	char requested_agency[RCMS_AGENCY_LEN];
	enum rcms_case_status status;
	enum rcms_procedure procedure;
	char surnames[RCMS_NAME_LEN];
	char given_names[RCMS_NAME_LEN];
	char nationality[4];
	struct rcms_pdate birth_date;
	char created_by[RCMS_USER_LEN];
	int64_t created_at;
	int64_t updated_at;
	int64_t reply_due;
};

enum rcms_status db_case_list(struct db_ctx *ctx,
			      const struct db_case_filter *f,
			      int (*fn)(const struct db_case_row *r, void *arg),
			      void *arg, struct rcms_err *err);

/*
 * The case list a page at a time by keyset (case_page.c): the rows after
 * (or, backward, before) the key from in the filter's order, at most
 * limit, without OFFSET, so a page costs the same at row 10 and at row
 * 900,000.  Backward pages come nearest first (the caller reverses them).
 * search is a prefix (case-insensitive for ASCII) of a surname, given
 * name, reference or document number; NULL or "" for all.  Here the
 * filter's requested agency matches either party of a case.
 */
struct db_case_key {
	bool set;                   /* false: from the start (or the end) */
	int64_t t;                  /* updated, created or due time */
	char ref[RCMS_REF_LEN];     /* DB_ORDER_REF */
	char id[RCMS_ID_LEN];       /* breaks ties */
};
struct db_page {
	const struct db_case_key *from;   /* may be NULL */
	bool inclusive;             /* the row at from too */
	bool backward;
	bool open_only;             /* leave out closed and withdrawn */
	int limit;                  /* 0: 100 */
	const char *search;
	const char *requested;      /* the requested agency exactly, or NULL */
	const char *not_created_by; /* four eyes: not this user's, or NULL */
};
void db_case_key_of(enum db_order order, const struct db_case_row *r,
		    struct db_case_key *k);
enum rcms_status db_case_page(struct db_ctx *ctx,
			      const struct db_case_filter *f,
			      const struct db_page *p,
			      int (*fn)(const struct db_case_row *r, void *arg),
			      void *arg, struct rcms_err *err);

/* Documents of a case. */
enum rcms_status db_document_add(struct db_ctx *ctx, const char *ref,
				 struct rcms_document *d,
				 struct rcms_err *err);
enum rcms_status db_document_list(struct db_ctx *ctx, const char *case_id,
				  int (*fn)(const struct rcms_document *d,
					    void *arg),
				  void *arg, struct rcms_err *err);

/* ---- notes and attachments ------------------------------------------- */

enum rcms_status db_note_add(struct db_ctx *ctx, const char *ref,
			     const char *text, struct rcms_note *out,
			     struct rcms_err *err);
enum rcms_status db_note_list(struct db_ctx *ctx, const char *case_id,
			      int (*fn)(const struct rcms_note *n, void *arg),
			      void *arg, struct rcms_err *err);

/*
 * Attach the file at path to a case: its bytes are hashed (SHA-256),
 * written to the blob store under the data folder as a temporary file,
 * fsynced and renamed, then linked in one transaction with its outbox op.
 * A file already stored is linked without copying it again.  max_bytes
 * bounds the file's size.
 */
enum rcms_status db_attach(struct db_ctx *ctx, const char *ref,
			   const char *path, enum rcms_attach_kind kind,
			   int64_t max_bytes, struct rcms_attachment *out,
			   struct rcms_err *err);
enum rcms_status db_attachment_list(struct db_ctx *ctx, const char *case_id,
				    int (*fn)(const struct rcms_attachment *a,
					      void *arg),
				    void *arg, struct rcms_err *err);
/* The blob store path of a hash, into buf. */
enum rcms_status db_blob_path(struct rcms_db *db, const char *sha256,
			      char *buf, size_t size);

/* ---- identity checks (idcheck.c) ------------------------------------- */

/* Ask the requested agency to check identity, nationality or a document
 * (requesting side, after submission). */
enum rcms_status db_idcheck_request(struct db_ctx *ctx, const char *ref,
				    enum rcms_idcheck_kind kind,
				    const char *question,
				    struct rcms_idcheck *out,
				    struct rcms_err *err);
/* Answer it once (requested side); a negative answer needs a text. */
enum rcms_status db_idcheck_answer(struct db_ctx *ctx, const char *ref,
				   const char *idcheck_id,
				   enum rcms_idcheck_answer answer,
				   const char *text, struct rcms_err *err);
enum rcms_status db_idcheck_list(struct db_ctx *ctx, const char *case_id,
				 int (*fn)(const struct rcms_idcheck *q,
					   void *arg),
				 void *arg, struct rcms_err *err);
/* From the feed: insert, or record the answer of a pending check. */
enum rcms_status db_idcheck_write_remote(struct db_ctx *ctx,
					 const struct rcms_idcheck *q,
					 struct rcms_err *err);

/* ---- outbox and audit ------------------------------------------------ */

struct db_op {
	int64_t seq;
	char op_id[RCMS_ID_LEN];
	char type[32];            /* "case.create", "case.update", ... */
	char entity_id[RCMS_ID_LEN];
	int64_t base_rev;
	char *fields;             /* JSON object; owned by the callback's caller */
	char actor[RCMS_USER_LEN];
	int64_t device_time;
	char state[16];           /* pending, sent, applied, rejected */
	const char *result;       /* the exchange's answer (JSON), borrowed;
				     "" before it answered */
};

enum rcms_status db_outbox_list(struct rcms_db *db,
				int (*fn)(const struct db_op *op, void *arg),
				void *arg, struct rcms_err *err);
enum rcms_status db_outbox_count(struct rcms_db *db, const char *state,
				 int64_t *out, struct rcms_err *err);
/* The same, counting at most max (0: all): what a status line shows over
 * a million pending operations costs what counting max of them does. */
enum rcms_status db_outbox_count_upto(struct rcms_db *db, const char *state,
				      int64_t max, int64_t *out,
				      struct rcms_err *err);

struct db_audit {
	int64_t seq;
	int64_t at;
	char actor[RCMS_USER_LEN];
	char action[32];
	char case_id[RCMS_ID_LEN];
	char detail[RCMS_LINE_LEN];
	char prev_hash[RCMS_SHA256_HEX];
	char hash[RCMS_SHA256_HEX];
};

/* Record an audit entry in its own transaction (reads, prints, logins). */
enum rcms_status db_audit_add(struct db_ctx *ctx, const char *action,
			      const char *case_id, const char *detail,
			      struct rcms_err *err);
enum rcms_status db_audit_list(struct rcms_db *db, const char *case_id,
			       int (*fn)(const struct db_audit *a, void *arg),
			       void *arg, struct rcms_err *err);
/* Check the hash chain; on a break err names the first bad entry. */
enum rcms_status db_audit_verify(struct rcms_db *db, int64_t *checked,
				 struct rcms_err *err);

/*
 * The entries from seq `from` on (the one before the first to send, so
 * that its hash anchors the batch; 0: from the first), at most max + 1,
 * in order, for the push to the exchange.  fn returns non-zero to stop.
 */
enum rcms_status db_audit_since(struct rcms_db *db, int64_t from, int max,
				int (*fn)(const struct db_audit *a, void *arg),
				void *arg, struct rcms_err *err);
/* The last entry the exchange holds (meta audit_pushed_seq; 0: none). */
enum rcms_status db_audit_pushed(struct rcms_db *db, int64_t *seq,
				 struct rcms_err *err);
enum rcms_status db_audit_set_pushed(struct rcms_db *db, int64_t seq,
				     struct rcms_err *err);

/* ---- sync (used by sync/) ------------------------------------------- */

struct db_sync_state {
	char exchange[512];       /* URL, "" when not enrolled */
	int64_t cursor;           /* the feed position pulled so far */
	int64_t last_sync;        /* 0 never */
	char last_outcome[256];
	int64_t pending;          /* outbox ops waiting */
	int64_t rejected;         /* rejected or conflicting ops kept */
};

enum rcms_status db_sync_state(struct rcms_db *db, struct db_sync_state *out,
			       struct rcms_err *err);
/* The same with the operations counted up to max each (0: all); the
 * workstation's status line, max or more shown as "max+". */
enum rcms_status db_sync_state_upto(struct rcms_db *db, int64_t max,
				    struct db_sync_state *out,
				    struct rcms_err *err);
/* Enrol: the exchange's URL (admin); the certificates are files. */
enum rcms_status db_sync_enroll(struct db_ctx *ctx, const char *url,
				struct rcms_err *err);
/* The end of a sync: its time and outcome (sync status), and the
 * caseload's moves folded into its counts. */
enum rcms_status db_sync_outcome(struct rcms_db *db, int64_t now,
				 const char *outcome, struct rcms_err *err);

/* A batch to push: the pending ops after seq `after` in order, at most
 * max.  An op's fields come as JSON text SQLite has found well-formed
 * (json_valid), to be sent as they are; "{}" when they are not. */
enum rcms_status db_outbox_batch(struct rcms_db *db, int64_t after, int max,
				 int (*fn)(const struct db_op *op, void *arg),
				 void *arg, struct rcms_err *err);
/* Pending ops in order, at most max (0: all), for pushing. */
enum rcms_status db_outbox_pending(struct rcms_db *db, int max,
				   const char *entity_id,
				   int (*fn)(const struct db_op *op, void *arg),
				   void *arg, struct rcms_err *err);

/* Is any op pending, or waiting for an officer (a conflict)?  *any is
 * true when it cannot tell.  A pull asks once a page, not per case. */
enum rcms_status db_outbox_open(struct rcms_db *db, bool *any,
				struct rcms_err *err);

/* What the exchange answered for one op. */
/* Operations seq lo..hi are on their way to the exchange until `until`
 * (unix seconds): new operations on their cases are refused with
 * RCMS_ERR_TEMP until the answer is applied (db_push_results), the lease
 * is released, or it runs out (a killed sync holds nothing for long). */
enum rcms_status db_outbox_lease(struct rcms_db *db, int64_t lo, int64_t hi,
				 int64_t until, struct rcms_err *err);
/* The lease of the operations seq lo..hi that are still pending ends (a
 * batch that was not answered, or what an answer did not settle). */
enum rcms_status db_outbox_release(struct rcms_db *db, int64_t lo, int64_t hi,
				   struct rcms_err *err);

struct db_push_result {
	const char *op_id;
	const char *state;        /* applied, duplicate, conflict, rejected */
	const char *result;       /* the answer as JSON text, kept */
	const char *final_ref;    /* may be NULL */
	int64_t received_at;      /* 0: none */
	int64_t reply_due;        /* 0: none */
	/* the exchange's directory has the op's actor disabled since this
	 * time (the op was delivered all the same); 0: not disabled */
	int64_t actor_disabled_at;
};

/*
 * The agency directory (db/directory.c): an account as the exchange hands
 * it out (GET /v1/directory).  db_directory_apply writes a page of them
 * and the new cursor in one transaction: an account with a change of its
 * own waiting in the outbox is left as it is here; a new password or a
 * disabled account ends its sessions; each change is audited.  Lockouts
 * and sessions stay this workstation's own.
 */
struct db_dir_user {
	char username[RCMS_USER_LEN];
	char full_name[RCMS_NAME_LEN];
	enum rcms_role role;
	char pw_hash[256];
	bool enabled;
	int64_t seq;
	char updated_by[RCMS_USER_LEN];
	char updated_on[40];      /* the workstation the change came from */
};
enum rcms_status db_directory_apply(struct db_ctx *ctx,
				    const struct db_dir_user *users, size_t n,
				    int64_t next, size_t *changed,
				    struct rcms_err *err);
/* Retire workstation ws of this agency (admin; not this one): an
 * operation for the exchange, which refuses ws's certificate once it has
 * it; reason optional (one line, at most 200 characters). */
enum rcms_status db_workstation_retire(struct db_ctx *ctx, const char *ws,
				       const char *reason,
				       struct rcms_err *err);
/* The directory position pulled so far (0: from the start). */
int64_t db_directory_cursor(struct rcms_db *db);

/* The exchange refuses this workstation (it was retired): every pending
 * operation is marked rejected with result (the exchange's answer, JSON)
 * and the refusal audited with why; *n how many. */
enum rcms_status db_outbox_refuse_all(struct db_ctx *ctx, const char *result,
				      const char *why, int64_t *n,
				      struct rcms_err *err);

/* Record a batch's answers in one transaction (and stamp the cases). */
enum rcms_status db_push_results(struct db_ctx *ctx,
				 const struct db_push_result *r, size_t n,
				 struct rcms_err *err);

/* A case from the feed, with its records. */
/*
 * A person's words for the search index, and the columns of its case the
 * index keeps a copy of: what db/search.c writes for a case.  Worked out
 * from a case held in memory by db_search_words, with no database (the
 * sync's decoder thread does it for the cases of a page).
 */
struct db_search_words {
	char names[2048];
	char keys[2048];
	char skels[2048];
	char docs[1024];
	char refs[256];
	char facts[64];
	/* each longer than what a case holds */
	int64_t updated_at;
	char requesting[64], requested[64], status[64], nationality[64];
	char birth_date[64];
};

/* The words of case c stored with documents docs[0..ndocs), in order. */
void db_search_words(const struct rcms_case *c,
		     const struct rcms_document *docs, size_t ndocs,
		     struct db_search_words *w);

/* The words packed, for a page of cases (some hundred bytes a case, not
 * the struct's 7.7 KB): each text ended by a NUL, then the time of the
 * case's last change.  Returns the bytes needed; writes them only when
 * they fit in size. */
size_t db_search_words_pack(const struct db_search_words *w, char *buf,
			    size_t size);

struct db_remote_case {
	struct rcms_case c;
	int64_t reply_due;
	struct rcms_document *docs;
	size_t ndocs;
	struct rcms_note *notes;
	size_t nnotes;
	struct rcms_attachment *atts;
	size_t natts;
	struct rcms_idcheck *idchecks;
	size_t nidchecks;
	/* fields with a pending local operation: kept as they are here */
	const char *const *keep;
	size_t nkeep;
	bool keep_status;         /* a local step is pending */
	int64_t purged_at;        /* the exchange purged it (retention): its
				     personal data and records go here too */
	/* c's words packed (db_search_words_pack), for a case new here;
	 * NULL: they are read back from the database */
	const char *words;
};

/* Operations the exchange answered with a conflict, oldest first; the
 * callback gets the op and its stored answer (JSON text). */
enum rcms_status db_conflicts(struct rcms_db *db, const char *case_id,
			      int (*fn)(const struct db_op *op,
					const char *result, void *arg),
			      void *arg, struct rcms_err *err);

/*
 * Settle one field of a conflicting operation: set it locally to value
 * (validated), queue a case.update of that field on the exchange's base
 * (server_rev), and store the op's remaining answer (new_result); when
 * nothing is left, the op is marked resolved and its fields that were not
 * in conflict (more) go with the last one, so that nothing of the
 * officer's change is lost.  One transaction, audited.
 */
enum rcms_status db_conflict_resolve(struct db_ctx *ctx, const char *op_id,
				     const char *field, const char *value,
				     const struct db_change *more, size_t nmore,
				     int64_t server_rev,
				     const char *new_result, bool all_done,
				     struct rcms_err *err);

/* A blob for the transfer queues. */
struct db_blob {
	char sha256[RCMS_SHA256_HEX];
	int64_t size;
	char upload_url[512];
	char filename[RCMS_NAME_LEN];
};

/* Blobs here whose attachment link the exchange applied but which it
 * does not have yet: the upload queue, oldest first. */
enum rcms_status db_blobs_to_upload(struct rcms_db *db,
				    int (*fn)(const struct db_blob *b,
					      void *arg),
				    void *arg, struct rcms_err *err);
/* Blobs known from the feed whose bytes are not here: the download
 * queue; case_id "" for all. */
enum rcms_status db_blobs_missing(struct rcms_db *db, const char *case_id,
				  int (*fn)(const struct db_blob *b, void *arg),
				  void *arg, struct rcms_err *err);
enum rcms_status db_blob_set_upload(struct rcms_db *db, const char *sha256,
				    const char *url, bool done,
				    struct rcms_err *err);
/* The file at tmp_path (already checked against its hash) becomes the
 * blob's bytes: fsync, rename into the store, mark present. */
enum rcms_status db_blob_adopt(struct rcms_db *db, const char *sha256,
			       const char *tmp_path, struct rcms_err *err);

/* Apply a page of the feed and the new cursor in one transaction. */
enum rcms_status db_pull_apply(struct db_ctx *ctx,
			       const struct db_remote_case *cases, size_t n,
			       int64_t cursor, struct rcms_err *err);
/* The same, calling tick(arg) every few cases, between statements (the
 * sync reads the network meanwhile; tick must not use the database). */
enum rcms_status db_pull_apply_ticked(struct db_ctx *ctx,
				      const struct db_remote_case *cases,
				      size_t n, int64_t cursor,
				      void (*tick)(void *arg), void *arg,
				      struct rcms_err *err);

/* ---- reports (report.c): read-only queries that stream rows ------------ */

/*
 * What a report covers.  Every query is limited to the cases the acting
 * user's agency takes part in; the period is [from, to) in UTC seconds
 * (0: open) and applies to the time each query names; strings are
 * borrowed, NULL or "" for any.
 */
struct db_report_filter {
	int64_t from;
	int64_t to;
	const char *agency;      /* the requested agency */
	const char *country;     /* the requested country, alpha-2 */
	const char *officer;     /* who opened the case (workload: the user) */
};

/* One consistent snapshot for a report's queries (a deferred read
 * transaction); end it before anything is written (the audit entry). */
enum rcms_status db_report_begin(struct rcms_db *db, struct rcms_err *err);
void db_report_end(struct rcms_db *db);
/* The name of an agency ("" when unknown). */
enum rcms_status db_report_agency_name(struct rcms_db *db, const char *code,
				       char *buf, size_t size,
				       struct rcms_err *err);

/* Cases opened in the period, counted by requested country and status,
 * ordered by country then status. */
struct db_caseload_row {
	char country[3];
	enum rcms_case_status status;
	int64_t n;
};
enum rcms_status db_report_caseload(struct db_ctx *ctx,
				    const struct db_report_filter *f,
				    int (*fn)(const struct db_caseload_row *r,
					      void *arg),
				    void *arg, struct rcms_err *err);

/* Open cases (no period): awaiting_reply, those waiting for the requested
 * agency's reply by reply deadline; else those (deemed) accepted and not
 * yet transferred, by the time of acceptance. */
struct db_open_case {
	char id[RCMS_ID_LEN];
	char local_ref[RCMS_REF_LEN];
	char final_ref[RCMS_REF_LEN];
	char requested_agency[RCMS_AGENCY_LEN];
	char agreement[32];
	enum rcms_case_status status;
	enum rcms_procedure procedure;
	char surnames[RCMS_NAME_LEN];
	char given_names[RCMS_NAME_LEN];
	char name_native[RCMS_NAME_LEN];
	char created_by[RCMS_USER_LEN];
	int64_t received_at;
	int64_t decided_at;
	int64_t reply_due;
	int extension_days;
};
enum rcms_status db_report_open_cases(struct db_ctx *ctx,
				      const struct db_report_filter *f,
				      bool awaiting_reply,
				      int (*fn)(const struct db_open_case *r,
						void *arg),
				      void *arg, struct rcms_err *err);

/* Identity checks asked in the period, per requested agency: counts and
 * the turnaround of the answered ones (seconds; median, 90th percentile
 * by nearest rank). */
struct db_idcheck_stat {
	char agency[RCMS_AGENCY_LEN];
	int64_t asked, answered, pending;
	int64_t confirmed, not_confirmed, interview;
	bool has_turnaround;
	double median_s;
	int64_t p90_s;
};
enum rcms_status db_report_idcheck_stats(
	struct db_ctx *ctx, const struct db_report_filter *f,
	int (*fn)(const struct db_idcheck_stat *r, void *arg), void *arg,
	struct rcms_err *err);
/* The checks asked in the period still unanswered, oldest first. */
struct db_idcheck_pending {
	char local_ref[RCMS_REF_LEN];
	char final_ref[RCMS_REF_LEN];
	char surnames[RCMS_NAME_LEN];
	char given_names[RCMS_NAME_LEN];
	char name_native[RCMS_NAME_LEN];
	char requested_agency[RCMS_AGENCY_LEN];
	enum rcms_idcheck_kind kind;
	char asked_by[RCMS_USER_LEN];
	int64_t asked_at;
};
enum rcms_status db_report_idcheck_pending(
	struct db_ctx *ctx, const struct db_report_filter *f,
	int (*fn)(const struct db_idcheck_pending *r, void *arg), void *arg,
	struct rcms_err *err);

/* Decisions in the period (the decision's time; for a deemed acceptance
 * without one, the reply deadline), per month ("YYYY-MM") and requested
 * country, in that order. */
struct db_outcome_row {
	char month[8];
	char country[3];
	int64_t accepted, rejected, deemed;
};
enum rcms_status db_report_outcomes(struct db_ctx *ctx,
				    const struct db_report_filter *f,
				    int (*fn)(const struct db_outcome_row *r,
					      void *arg),
				    void *arg, struct rcms_err *err);
/* The reasons of the rejections in the period, the most frequent first,
 * at most max (0: 20). */
enum rcms_status db_report_reasons(struct db_ctx *ctx,
				   const struct db_report_filter *f, int max,
				   int (*fn)(const char *reason, int64_t n,
					     void *arg),
				   void *arg, struct rcms_err *err);

/* Per user: cases opened in the period and where they stand, and the
 * applications the user approved in the period. */
struct db_workload_row {
	char username[RCMS_USER_LEN];
	char full_name[RCMS_NAME_LEN];
	int64_t opened, preparing, open, sent, decided, done, approved;
};
enum rcms_status db_report_workload(struct db_ctx *ctx,
				    const struct db_report_filter *f,
				    int (*fn)(const struct db_workload_row *r,
					      void *arg),
				    void *arg, struct rcms_err *err);

/* Applications approved in the period, per requested country: sent,
 * received by the exchange, decided (seconds from receipt to decision,
 * summed), decided before the reply deadline, deemed accepted. */
struct db_indicator_row {
	char country[3];
	int64_t sent, exchanged, decided, in_time, deemed;
	double decide_seconds;
};
enum rcms_status db_report_indicators(
	struct db_ctx *ctx, const struct db_report_filter *f,
	int (*fn)(const struct db_indicator_row *r, void *arg), void *arg,
	struct rcms_err *err);

/* The means of evidence recorded for a case. */
enum rcms_status db_report_evidence(struct db_ctx *ctx, const char *case_id,
				    int (*fn)(const struct rcms_evidence *e,
					      void *arg),
				    void *arg, struct rcms_err *err);

/* ---- finding people (search.c) ----------------------------------------- */

/*
 * A search query (db_search_parse): words and prefixes, and filters.
 * Each word is folded (app/fold.h) and must be found, as a prefix of a
 * folded name, a document number or a reference, or by its canonical key
 * (romanisation variants; a prefix from four letters on), or for Arabic
 * script by its consonant skeleton.  Filters:
 *   nat:PAK      nationality (a code or a country's name)
 *   dob:1990     birth date compatible with a partial date (1990,
 *                1990-03, 1990-03-14 find each other; unknown dates do
 *                not match)
 *   status:submitted   the case's state
 *   doc:AB123    a document number's prefix (spaces and dashes ignored)
 *   ref:RS-MUP-W01-2026  a reference's prefix
 * match is the FTS5 expression ("" when the query has filters only);
 * the bench runs it bare to measure what the rest costs.
 */
struct db_search_query {
	char match[4096];
	char status[32];
	char nationality[4];
	char birth[16];
	int words;
	int filters;
};
enum rcms_status db_search_parse(const char *query,
				 struct db_search_query *q,
				 struct rcms_err *err);

struct db_search_opts {
	const char *query;      /* borrowed */
	int limit;              /* 0: 20 */
	int offset;             /* rows skipped (the next page) */
	bool open_only;         /* leave out closed and withdrawn cases */
	bool newest;            /* the most recently indexed first, not
				   ranked: a short prefix matches too many
				   to rank them as one types */
};
struct db_search_hit {
	struct db_case_row row;
	double score;           /* relevance, higher first (bm25) */
};
/*
 * Search the cases the acting user's agency takes part in, best first
 * (for filters only: the last changed first).  For the command line and
 * the screens' search as you type alike: fn gets each hit (borrowed for
 * the call) and returns non-zero to stop.  RCMS_ERR_INVALID for a bad
 * filter (err names it), RCMS_ERR_USAGE for an empty query.
 */
enum rcms_status db_search(struct db_ctx *ctx, const struct db_search_opts *o,
			   int (*fn)(const struct db_search_hit *h, void *arg),
			   void *arg, struct rcms_err *err);

/* An officer's decision about two cases' persons. */
enum db_person_decision {
	DB_PERSON_UNDECIDED,
	DB_PERSON_SAME,         /* linked: one person */
	DB_PERSON_DIFFERENT     /* not the same person: not proposed again */
};

struct db_dup_opts {
	int limit;              /* 0: 10 */
	bool all;               /* every candidate scored, and those marked
				   different too */
};
struct db_dup_hit {
	char id[RCMS_ID_LEN];
	char local_ref[RCMS_REF_LEN];
	char final_ref[RCMS_REF_LEN];
	enum rcms_case_status status;
	char surnames[RCMS_NAME_LEN];
	char given_names[RCMS_NAME_LEN];
	struct rcms_pdate birth_date;
	char nationality[4];
	struct rcms_dup_score score;  /* per field: app/dup.h */
	int decision;                 /* enum db_person_decision */
};
/*
 * Possible earlier cases of the person of case ref: candidates found by
 * the keys of the person's names (born the same year, or of unknown
 * year) or by a document number, scored by app/dup.h; those at
 * RCMS_DUP_THRESHOLD or more, and the ones linked as the same person,
 * linked first then best first; the ones marked different are left out.
 * The case itself need not be in the index (a row not written through
 * the use cases): it is read from cases and documents.  For rcms
 * duplicates, and case new and case show (at most 5 there).
 */
enum rcms_status db_duplicates(struct db_ctx *ctx, const char *ref,
			       const struct db_dup_opts *o,
			       int (*fn)(const struct db_dup_hit *h, void *arg),
			       void *arg, struct rcms_err *err);
/* Remember (audited) that the persons of two cases are the same, are
 * different, or (DB_PERSON_UNDECIDED) forget the decision. */
enum rcms_status db_person_decide(struct db_ctx *ctx, const char *ref_a,
				  const char *ref_b,
				  enum db_person_decision d,
				  struct rcms_err *err);

/* ---- retention (purge.c) ---------------------------------------------- */

/* A case the purge would take: its references and when it was closed
 * (the closed case's last change); no personal data. */
struct db_purge_row {
	char id[RCMS_ID_LEN];
	char local_ref[RCMS_REF_LEN];
	char final_ref[RCMS_REF_LEN];
	int64_t closed_at;
};
/* The workstation agency's own cases closed at or before `before` and not
 * purged yet, oldest first (the administrator: RCMS_PERM_PURGE). */
enum rcms_status db_purge_list(struct db_ctx *ctx, int64_t before,
			       int (*fn)(const struct db_purge_row *r,
					 void *arg),
			       void *arg, struct rcms_err *err);
/*
 * Purge one of them: its personal data cleared (rcms_case_anonymise), its
 * documents, evidence, notes, attachments, identity checks' texts, person
 * decisions, search index row and answered outbox operations gone, in one
 * transaction with a case.purge operation (retention_days, the reference
 * and the closing time in its fields) and an audit entry case.purge that
 * names the reference only; then the blobs no other case links are
 * deleted from the store.  RCMS_ERR_TEMP while the case has operations
 * not yet settled with the exchange.
 */
enum rcms_status db_case_purge(struct db_ctx *ctx, const char *case_id,
			       int64_t before, int retention_days,
			       struct rcms_err *err);

/* ---- meta ------------------------------------------------------------ */

enum rcms_status db_meta_get(struct rcms_db *db, const char *key, char *buf,
			     size_t size, struct rcms_err *err);

/* Case counts per status (for `rcms status` and the demo). */
enum rcms_status db_case_counts(struct rcms_db *db, int64_t counts[RCMS_CS__COUNT],
				struct rcms_err *err);

/* For tests and the bench: the raw SQLite handle.  Do not use elsewhere. */
void *db_raw(struct rcms_db *db);

#endif
