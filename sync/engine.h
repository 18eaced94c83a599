/*
 * engine.h - the sync engine as a state machine over one libcurl multi
 * handle, so that the full-screen workstation can run a sync inside its
 * event loop; `rcms sync` drives the same engine to completion
 * (sync_run in sync.h is that loop).
 *
 *   struct sync_engine *e;
 *   sync_engine_new(ctx, &conf, &e, &err);
 *   while (!sync_engine_done(e)) {
 *           ... wait up to 50 ms for a key (or sync_engine_wait) ...
 *           sync_engine_step(e);          never waits on the network
 *           sync_engine_progress(e, &p);  for the status line
 *   }
 *   st = sync_engine_result(e, &report, &err);
 *   sync_engine_free(e);
 *
 * A step does what the network allows without waiting: it reads what has
 * arrived, applies a finished response in its own transaction and starts
 * the next request.  The database is used on the caller's connection, in
 * the caller's thread, between steps only.
 */
#ifndef RCMS_SYNC_ENGINE_H
#define RCMS_SYNC_ENGINE_H

#include "sync/sync.h"

enum sync_phase {
	SYNC_PHASE_START,
	SYNC_PHASE_PUSH,          /* sending the outbox */
	SYNC_PHASE_PULL,          /* reading the agency's feed */
	SYNC_PHASE_UPLOAD,        /* documents to the exchange (tus) */
	SYNC_PHASE_DOWNLOAD,      /* documents of incoming cases */
	SYNC_PHASE_WAIT,          /* backing off before a retry */
	SYNC_PHASE_DONE,
};

/* What the status line shows; a snapshot, cheap to take every frame. */
struct sync_progress {
	enum sync_phase phase;
	int64_t ops_total;        /* operations to push in this sync */
	int64_t ops_done;         /* ... answered so far */
	int64_t records;          /* records pulled so far */
	int64_t bytes_total;      /* document bytes to move in this sync */
	int64_t bytes_done;
	double rate;              /* bytes/s of the current document */
	double seconds_left;      /* of the current document; < 0 unknown */
	char document[256];       /* its file name, "" none */
};

struct sync_engine;

enum rcms_status sync_engine_new(struct db_ctx *ctx,
				 const struct sync_conf *conf,
				 struct sync_engine **out,
				 struct rcms_err *err);

/* Fetch the documents of one case (case_id) instead of a full sync. */
enum rcms_status sync_engine_new_fetch(struct db_ctx *ctx,
				       const struct sync_conf *conf,
				       const char *case_id,
				       struct sync_engine **out,
				       struct rcms_err *err);

/* Send the documents waiting to go and nothing else: the tus client on
 * its own (the interop test runs it against the reference tus server). */
enum rcms_status sync_engine_new_upload(struct db_ctx *ctx,
					const struct sync_conf *conf,
					struct sync_engine **out,
					struct rcms_err *err);

/* Do what can be done now; never waits on the network. */
void sync_engine_step(struct sync_engine *e);

/* Wait at most timeout_ms for network activity, or for fd (-1: none) to
 * become readable; returns true when fd is readable. */
bool sync_engine_wait(struct sync_engine *e, int fd, int timeout_ms);

bool sync_engine_done(const struct sync_engine *e);
void sync_engine_progress(const struct sync_engine *e,
			  struct sync_progress *out);

/* Stop at the next safe point: a response already received is applied,
 * nothing new is started.  The outcome is RCMS_ERR_TEMP. */
void sync_engine_cancel(struct sync_engine *e);

/* The outcome, as sync_run returns it; valid once done. */
enum rcms_status sync_engine_result(const struct sync_engine *e,
				    struct sync_report *rep,
				    struct rcms_err *err);

void sync_engine_free(struct sync_engine *e);

#endif
