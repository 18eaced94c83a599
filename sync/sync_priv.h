/* sync_priv.h - what the sync files share: the engine's state, its one
 * request in flight, and the payload functions of client.c. */
#ifndef RCMS_SYNC_SYNC_PRIV_H
#define RCMS_SYNC_SYNC_PRIV_H

#include <curl/curl.h>
#include <openssl/evp.h>

#include "sync/engine.h"
#include "sync/sync.h"

/* A download in progress: its file, its running hash, its size limit. */
struct sync_file {
	int fd;
	EVP_MD_CTX *md;
	int64_t written;           /* bytes in the file (a resumed download's too) */
	int64_t limit;
	int64_t start;             /* where this request's bytes begin */
	bool decided;              /* the answer's status has been looked at */
	bool not_body;             /* an error's answer: to memory, not to file */
};

/* An answer held in memory, with a hard maximum. */
struct sync_buf {
	char *p;
	size_t len, cap;
	bool too_big;
};

/* The one request in flight.  Its easy handle is reused from request to
 * request and the multi handle keeps the connection: one TLS handshake
 * a sync, not one a request. */
struct sync_req {
	CURL *e;
	struct curl_slist *hdr;    /* owned */
	char *body;                /* owned, or NULL */
	const void *data;          /* borrowed request body (a PATCH part) */
	size_t data_len;
	struct sync_buf resp;      /* the answer, unless it goes to file */
	struct sync_file *file;    /* borrowed: a download's target */
	char location[600];        /* Location: of the answer */
	long long offset;          /* Upload-Offset: of the answer; -1 none */
	long long range_first;     /* Content-Range:'s first byte; -1 none */
	long status;               /* HTTP status; 0 none */
	CURLcode cc;
	bool active;               /* added to the multi handle */
	bool done;
};

enum sync_state {
	SE_START,
	SE_PUSH, SE_PUSH_WAIT,
	SE_AUDIT, SE_AUDIT_WAIT,
	SE_DIR, SE_DIR_WAIT,
	SE_PULL, SE_PULL_WAIT,
	SE_UP_LIST, SE_UP_BLOB, SE_UP_HAVE_WAIT, SE_UP_RESUME_WAIT,
	SE_UP_CREATE_WAIT, SE_UP_PATCH, SE_UP_PATCH_WAIT,
	SE_DOWN_LIST, SE_DOWN_BLOB, SE_DOWN_WAIT,
	SE_BACKOFF,
	SE_FINISH,
	SE_DONE,
};

/* A page of the feed, read (client.c, sync_pull_decode below). */
struct keep;
struct sync_pull_page {
	struct db_remote_case *rcs;
	struct keep *keeps;
	/* rcs[i].words: packed one after the other in wbuf (woff[i] the
	 * start of case i's, SIZE_MAX none), worked out in *wscratch */
	char *wbuf;
	size_t wlen, wcap, *woff;
	struct db_search_words *wscratch;
	size_t n, cap;
	int64_t next;             /* the cursor after this page */
	bool more;
};
struct sync_decoder;

/* cases a GET of the feed asks for */
#define SYNC_PULL_PAGE 500

struct sync_blob_queue {
	struct db_blob *b;
	size_t n, cap, at;
};

struct sync_engine {
	struct db_ctx *ctx;            /* borrowed */
	struct sync_conf conf;
	CURLM *m;
	struct sync_req rq;
	enum sync_state state;
	enum sync_state retry_to;      /* where a backoff resumes */
	double retry_at;               /* monotonic seconds */
	long delay_ms;
	int attempt;
	bool fetch_only;               /* documents of one case only */
	bool upload_only;              /* documents to send only */
	char case_id[64];
	bool cancel;

	struct sync_report rep;
	enum rcms_status st;           /* the outcome so far */
	struct rcms_err err;
	enum rcms_status push_st;      /* a refused batch: pull still runs */

	/* push: the batch on the wire; the next one, read and leased while
	 * that one is with the exchange (next_ready), sent the moment its
	 * answer is in; that answer, held (held_n > 0) until the next
	 * batch's body has gone out, then applied */
	int batch_n;
	int64_t batch_lo, batch_hi;
	bool next_ready;
	char *next_body;               /* owned; NULL when next_n is 0 */
	int next_n;
	int64_t next_lo, next_hi;
	struct sync_buf held;          /* the answer held */
	int held_n;
	int64_t held_lo, held_hi;
	/* audit entries: the last of the batch in flight, more to send */
	int64_t audit_last;
	bool audit_more;
	bool audit_resent;        /* sent again once from the exchange's end */
	/* pull (pull.c): the cursor of the last page applied; the pages
	 * read ahead (pg: one applied while the next is read) */
	int64_t cursor;
	int64_t dir_cursor;       /* the agency directory's */
	struct sync_decoder *dec; /* the decoder thread; NULL before it */
	struct sync_pull_page pg[2];
	struct {
		bool get;              /* a GET of the feed is on rq */
		int decoding;          /* pg being read; -1 */
		int ready;             /* pg read, to be applied; -1 */
		int applying;          /* pg being applied; -1 */
		bool want_get;         /* the next GET, from next_from */
		int64_t next_from;
		bool end;              /* a page read said it was the last */
		enum rcms_status failed;  /* after the pages before it */
		long failed_status;    /* an answer that was not a page */
	} pl;
	/* documents */
	struct sync_blob_queue q;
	int fd;
	/* two parts: one on the wire, the next read and hashed meanwhile */
	unsigned char *chunk[2];
	int cur;                       /* the part on the wire */
	int64_t next_at;               /* where the other part starts; -1 */
	size_t next_len;
	char next_sum[64];
	int64_t offset;
	char upath[512];               /* the upload's URL (db_blob's size) */
	struct sync_file dl;
	char tmp[4300];
	bool dl_keep;                  /* tmp: a download's part, kept */
	double started;

	struct sync_progress prog;
	enum sync_phase timed;         /* the phase being timed */
	double phase_t0;
};

/* engine.c: the request in flight */
double sync_mono(void);
enum rcms_status sync_req_start(struct sync_engine *e, const char *method,
				const char *path, struct curl_slist *hdr,
				const void *data, size_t len,
				struct sync_file *file);
/* A network error or a 5xx: back off and go to `again`, or give up with
 * the message once the retries are spent.  Returns true when retrying. */
bool sync_retry(struct sync_engine *e, enum sync_state again);
void sync_fail(struct sync_engine *e, enum rcms_status st);
/* Read what has arrived; true once the request in flight has ended. */
bool sync_req_poll(struct sync_engine *e);
/* It ended: true when answered below 500; otherwise a retry (or the end)
 * is arranged and false returned. */
bool sync_answered(struct sync_engine *e, enum sync_state again);

/* blobs.c: the document states */
void sync_blobs_step(struct sync_engine *e);
void sync_blobs_reset(struct sync_engine *e);

/* client.c: payloads */
void sync_tls(CURL *e, const struct sync_conf *conf);
void sync_problem_text(const char *text, char *out, size_t size);
/* The next batch of the outbox, the pending ops after seq `after` (0:
 * from the first), as the body of POST /v1/ops (owned by the caller,
 * free()); *n ops, seq *lo to *hi.  Nothing pending: *n is 0, *body NULL. */
enum rcms_status sync_push_build(struct db_ctx *ctx, int64_t after,
				 char **body, int *n, int64_t *lo, int64_t *hi,
				 struct rcms_err *err);
enum rcms_status sync_push_answer(struct db_ctx *ctx, const char *conf_cert,
				  long status, const char *text, int n_sent,
				  struct sync_report *rep,
				  struct rcms_err *err);
/*
 * The audit entries after the last one the exchange holds (meta
 * audit_pushed_seq), at most SYNC_AUDIT_BATCH, as the body of POST
 * /v1/audit; *last the last one sent, *more when more wait.  The answer:
 * 200 records *last as sent; 409 (the log differs from the exchange's
 * copy) is RCMS_ERR_INVALID with the reason.
 */
#define SYNC_AUDIT_BATCH 1000
enum rcms_status sync_audit_build(struct db_ctx *ctx, char **body,
				  int64_t *last, bool *more,
				  struct rcms_err *err);
/* *resent: the exchange's copy ended before what was sent (a restored
 * exchange): the next batch starts where it ends, once a sync. */
enum rcms_status sync_audit_answer(struct db_ctx *ctx, const char *conf_cert,
				   long status, const char *text,
				   int64_t last, bool *resent,
				   struct sync_report *rep,
				   struct rcms_err *err);
/* A page of the agency directory (GET /v1/directory): applied, *cursor
 * and *more set. */
enum rcms_status sync_dir_answer(struct db_ctx *ctx, const char *conf_cert,
				 long status, const char *text,
				 int64_t *cursor, bool *more,
				 struct sync_report *rep, struct rcms_err *err);
/* A 403 that says the workstation was retired: its pending operations
 * are marked rejected with the exchange's reason (true then). */
bool sync_refused_retired(struct db_ctx *ctx, long status, const char *text,
			  struct sync_report *rep);
/* An answer of the feed below 500 that is not a page: why (401 and 403
 * say why the exchange refused), as an error. */
enum rcms_status sync_pull_refused(const char *conf_cert, long status,
				   const char *text, struct sync_report *rep,
				   struct rcms_err *err);

/*
 * A page of the feed in two parts, for the engine, which reads the next
 * page on its decoder thread while this one is applied.  sync_pull_decode touches no
 * database and no state but pg and the calling thread's own: RCMS_OK, or
 * RCMS_ERR_TEMP when the answer is not a page of the feed (the message:
 * sync_pull_unreadable), or RCMS_ERR_NOMEM.  sync_pull_apply (the
 * database's thread) keeps the fields with pending local operations and
 * applies the page and its cursor in one transaction, calling tick (when
 * not NULL) every few cases, between statements; it empties pg.
 * wire_arena_prepare must have run before a second thread parses JSON;
 * wire_arena_thread_end lets go of what a thread kept for its next page.
 */
enum rcms_status sync_pull_decode(struct sync_pull_page *pg,
				  const char *text);
enum rcms_status sync_pull_unreadable(long status, struct rcms_err *err);
enum rcms_status sync_pull_apply(struct db_ctx *ctx, struct sync_pull_page *pg,
				 int64_t *cursor, struct sync_report *rep,
				 void (*tick)(void *arg), void *arg,
				 struct rcms_err *err);
void sync_pull_page_free(struct sync_pull_page *pg);

/* pull.c: the states SE_PULL and SE_PULL_WAIT; the decoder thread and
 * the pages let go (the engine's end) */
void sync_pull_step(struct sync_engine *e);
void sync_pull_end(struct sync_engine *e);
/* work the pull has in hand: the engine must not wait on the network */
bool sync_pull_busy(const struct sync_engine *e);

#endif
