/*
 * sync.h - the workstation's synchronisation with the exchange: the
 * HTTPS client (libcurl multi, mutual TLS, the exchange's CA pinned),
 * push of the outbox and pull of the agency's feed.
 *
 *   wire.c       the JSON wire format, shared with the exchange
 *   reference.c  reference data (agreements, holidays)
 *   client.c     the transport and the push/pull engine
 */
#ifndef RCMS_SYNC_SYNC_H
#define RCMS_SYNC_SYNC_H

#include "db/db.h"

struct sync_conf {
	char url[512];            /* https://host:port, no trailing slash */
	char cert[4200];          /* the workstation's certificate (PEM) */
	char key[4200];           /* its private key (PEM) */
	char ca[4200];            /* the exchange's CA (pinned) */
	char pin[512];            /* its public key(s) too, "sha256//..."
				     (CURLOPT_PINNEDPUBLICKEY); "" none */
	char data_dir[4096];      /* downloads land here before the store */
	long connect_timeout;     /* seconds */
	long timeout;             /* seconds a request may take (not a
				     document's: those only idle_timeout) */
	long idle_timeout;        /* seconds without a byte: the request
				     ends (0: 30) */
	int retries;              /* on network errors and 5xx */
	int page;                 /* cases a page of the feed asks for
				     (0: SYNC_PULL_PAGE, 500) */
};

struct sync_report {
	int64_t pushed;           /* ops answered */
	int64_t applied, duplicate, conflict, rejected;
	int64_t pulled;           /* cases received */
	int64_t accounts;         /* accounts of the agency directory changed */
	int64_t superseded;       /* accounts made here the directory had */
	int64_t pending;          /* still waiting afterwards */
	int64_t blobs_up, blobs_down;
	int64_t bytes_up, bytes_down;
	char problem[512];        /* the first refusal's reason, "" none */
	/* seconds each phase took: push, pull, documents sent, received */
	double push_s, pull_s, up_s, down_s;
};

/*
 * Push every pending operation (batches of at most 500, in order), then
 * pull the feed to its end.  Returns RCMS_OK when everything went
 * through; RCMS_ERR_UNAVAILABLE / RCMS_ERR_TEMP when the exchange could
 * not be reached (nothing is lost: the outbox keeps its operations);
 * RCMS_ERR_PERMISSION when the exchange refused the certificate;
 * RCMS_ERR_INVALID when operations were rejected or conflict (they are
 * kept with the exchange's reason).  The outcome is recorded.
 */
enum rcms_status sync_run(struct db_ctx *ctx, const struct sync_conf *conf,
			  struct sync_report *out, struct rcms_err *err);

/*
 * One sync of a replica at a time (lock.c): the lock on DATA_DIR/sync.lock
 * as a descriptor to give back to sync_lock_drop, or -1 with the error:
 * RCMS_ERR_BUSY while another process syncs this replica.
 */
int sync_lock_take(const char *data_dir, struct rcms_err *err);
void sync_lock_drop(int fd);

/*
 * The exchange's copy of the audit log of workstation (of this agency:
 * the certificate's), every entry in order to fn (non-zero stops); the
 * caller checks that the user may read it (audit.read).
 */
/* GET path (from "/v1/...") of the exchange, the 200 answer's body in
 * *text (malloc'ed); what names it in messages.  Not the engine: for
 * the commands that show what the exchange knows. */
enum rcms_status sync_get(const struct sync_conf *conf, const char *path,
			  const char *what, char **text, struct rcms_err *err);

/* A workstation of the agency as the exchange knows it. */
struct sync_ws {
	char workstation[40];
	int64_t first_seen, last_sync, retired_at;  /* 0: none */
	char retired_by[RCMS_USER_LEN];
	char reason[RCMS_LINE_LEN];
};
/* The agency's workstations (GET /v1/workstations), by name, to fn. */
enum rcms_status sync_workstations(const struct sync_conf *conf,
				   int (*fn)(const struct sync_ws *w,
					     void *arg),
				   void *arg, struct rcms_err *err);

enum rcms_status sync_audit_read(const struct sync_conf *conf,
				 const char *workstation,
				 int (*fn)(const struct db_audit *a,
					   void *arg),
				 void *arg, struct rcms_err *err);

/* Download the documents of a case (case_id "" for all) that are known
 * but not here; each is verified against its SHA-256. */
enum rcms_status sync_fetch(struct db_ctx *ctx, const struct sync_conf *conf,
			    const char *case_id, struct sync_report *out,
			    struct rcms_err *err);

#endif
