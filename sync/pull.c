/* pull.c - the agency's feed, read a page ahead.
 *
 * A page of the feed costs the workstation three things one after the
 * other: the exchange's answer (its query, the wire), reading it (cJSON
 * and the fields: a third of the workstation's work) and applying it
 * (SQLite: the rest).  Here they overlap: while page N is applied on the
 * engine's thread, page N+1 is read on the decoder thread, and the GET of
 * page N+2 goes as soon as page N+1 says where it starts; the network is
 * read between the cases being applied (db_pull_apply_ticked).
 *
 * Nothing of this is kept: the cursor moves only with a page applied, in
 * its transaction, so a sync stopped or killed anywhere starts again from
 * the last page applied, and a page read ahead is read again.  An error
 * (a network failure, a 5xx, an answer that is not a page) is acted on
 * once every page before it has been applied, as when the pages came one
 * at a time.
 *
 * The decoder thread touches no database: the fields with pending local
 * operations are looked up when the page is applied.  It starts with the
 * first page of a sync that has more than one and ends with the engine;
 * if it cannot start, the pages are read on the engine's thread.
 */
#include "sync/sync_priv.h"
#include "sync/wire.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sync_decoder {
	pthread_t t;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool quit;
	/* the job: text read into pg, then done with st */
	struct sync_buf text;          /* owned */
	struct sync_pull_page *pg;
	bool busy, done;
	enum rcms_status st;
};

static void *decoder_main(void *arg)
{
	struct sync_decoder *d = arg;

	pthread_mutex_lock(&d->mu);
	for (;;) {
		while (!d->quit && !(d->busy && !d->done))
			pthread_cond_wait(&d->cv, &d->mu);
		if (d->quit)
			break;
		pthread_mutex_unlock(&d->mu);
		{
			enum rcms_status st = sync_pull_decode(d->pg,
							       d->text.p);
			pthread_mutex_lock(&d->mu);
			d->st = st;
		}
		d->done = true;
		pthread_cond_broadcast(&d->cv);
	}
	pthread_mutex_unlock(&d->mu);
	wire_arena_thread_end();
	return NULL;
}

/* The decoder, started; NULL if it cannot be (the pages are read on the
 * engine's thread then). */
static struct sync_decoder *decoder_new(void)
{
	struct sync_decoder *d = calloc(1, sizeof(*d));
	sigset_t all, old;
	int rc;

	if (!d)
		return NULL;
	if (pthread_mutex_init(&d->mu, NULL) != 0) {
		free(d);
		return NULL;
	}
	if (pthread_cond_init(&d->cv, NULL) != 0) {
		pthread_mutex_destroy(&d->mu);
		free(d);
		return NULL;
	}
	/* its signals stay with the thread that handles them (the
	 * workstation's SIGWINCH, the command line's SIGINT) */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&d->t, NULL, decoder_main, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		free(d);
		return NULL;
	}
	return d;
}

/* Wait for the job in hand, if any, to end; its outcome. */
static enum rcms_status decoder_wait(struct sync_decoder *d)
{
	enum rcms_status st;

	pthread_mutex_lock(&d->mu);
	while (d->busy && !d->done)
		pthread_cond_wait(&d->cv, &d->mu);
	st = d->busy ? d->st : RCMS_OK;
	d->busy = false;
	d->done = false;
	pthread_mutex_unlock(&d->mu);
	return st;
}

/* The job ended (without waiting). */
static bool decoder_done(struct sync_decoder *d)
{
	bool done;

	pthread_mutex_lock(&d->mu);
	done = d->done;
	pthread_mutex_unlock(&d->mu);
	return done;
}

void sync_pull_end(struct sync_engine *e)
{
	struct sync_decoder *d = e->dec;

	if (d) {
		pthread_mutex_lock(&d->mu);
		d->quit = true;
		pthread_cond_broadcast(&d->cv);
		pthread_mutex_unlock(&d->mu);
		pthread_join(d->t, NULL);
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		free(d->text.p);
		free(d);
		e->dec = NULL;
	}
	sync_pull_page_free(&e->pg[0]);
	sync_pull_page_free(&e->pg[1]);
}

/* The pipeline empty, for a new GET from the cursor. */
static void pull_reset(struct sync_engine *e)
{
	if (e->pl.decoding >= 0 && e->dec)
		decoder_wait(e->dec);
	e->pl.get = false;
	e->pl.decoding = -1;
	e->pl.ready = -1;
	e->pl.applying = -1;
	e->pl.want_get = false;
	e->pl.end = false;
	e->pl.failed = RCMS_OK;
	e->pl.failed_status = 0;
}

/* Ask for the page from `from` on. */
static void pull_get(struct sync_engine *e, int64_t from)
{
	struct curl_slist *h = NULL;
	char path[128];

	snprintf(path, sizeof(path), "/v1/changes?since=%lld&limit=%d",
		 (long long)from,
		 e->conf.page > 0 && e->conf.page < SYNC_PULL_PAGE
			 ? e->conf.page : SYNC_PULL_PAGE);
	h = curl_slist_append(h, "Accept: application/json");
	if (sync_req_start(e, "GET", path, h, NULL, 0, NULL) == RCMS_OK)
		e->pl.get = true;
	else
		e->pl.failed = e->err.status ? e->err.status : RCMS_ERR_INTERNAL;
}

/* A page read: it waits to be applied, and the next GET can go. */
static void page_read(struct sync_engine *e, enum rcms_status st)
{
	int k = e->pl.decoding;

	e->pl.decoding = -1;
	if (st) {
		/* acted on once the pages before it are applied */
		e->pl.failed = st;
		e->pl.failed_status = 200;
		return;
	}
	e->pl.ready = k;
	if (e->pg[k].more) {
		e->pl.next_from = e->pg[k].next;
		e->pl.want_get = true;
	} else {
		e->pl.end = true;
	}
}

/*
 * Move the pipeline along without waiting: read what the network has, hand
 * an answered page to the decoder, take a page it has read, send the next
 * GET.  Called from the engine's step and, while a page is applied, between
 * its cases: it touches no database.
 */
static void pump(void *arg)
{
	struct sync_engine *e = arg;
	struct sync_req *r = &e->rq;

	if (e->pl.decoding >= 0 && e->dec && decoder_done(e->dec))
		page_read(e, decoder_wait(e->dec));
	if (e->pl.want_get && !e->pl.get && !e->pl.failed && !e->cancel) {
		e->pl.want_get = false;
		pull_get(e, e->pl.next_from);
	}
	if (!e->pl.get || !sync_req_poll(e))
		return;
	/* answered: a page goes to the decoder when it has a free slot;
	 * anything else waits for the pages before it */
	if (r->cc != CURLE_OK || r->status != 200 || r->resp.too_big ||
	    e->pl.decoding >= 0 || e->pl.ready >= 0)
		return;
	sync_answered(e, SE_PULL);   /* a 200: no retry, counts reset */
	e->pl.get = false;
	e->pl.decoding = e->pl.applying == 0 ? 1 : 0;
	if (!e->dec) {
		/* read here: no decoder (not yet, or it could not start) */
		page_read(e, sync_pull_decode(&e->pg[e->pl.decoding],
					      r->resp.p));
		return;
	}
	{
		/* the answer's buffer goes with the job; the decoder's last
		 * one takes its place */
		struct sync_buf b = r->resp;
		struct sync_decoder *d = e->dec;
		pthread_mutex_lock(&d->mu);
		r->resp = d->text;
		d->text = b;
		d->pg = &e->pg[e->pl.decoding];
		d->busy = true;
		d->done = false;
		pthread_cond_broadcast(&d->cv);
		pthread_mutex_unlock(&d->mu);
	}
}

/* Apply the page read; false when the sync has failed. */
static bool apply_ready(struct sync_engine *e)
{
	enum rcms_status st;
	int k = e->pl.ready;

	e->pl.ready = -1;
	e->pl.applying = k;
	st = sync_pull_apply(e->ctx, &e->pg[k], &e->cursor, &e->rep, pump, e,
			     &e->err);
	e->pl.applying = -1;
	e->prog.records = e->rep.pulled;
	if (st) {
		pull_reset(e);
		sync_fail(e, st);
		return false;
	}
	return true;
}

void sync_pull_step(struct sync_engine *e)
{
	struct sync_req *r = &e->rq;
	enum rcms_status st;

	e->prog.phase = SYNC_PHASE_PULL;
	if (e->state == SE_PULL) {
		if (e->cancel) {
			rcms_err_set(&e->err, RCMS_ERR_TEMP, NULL,
				     "the sync was stopped");
			sync_fail(e, RCMS_ERR_TEMP);
			return;
		}
		pull_reset(e);
		pull_get(e, e->cursor);
		if (e->pl.failed) {
			sync_fail(e, e->pl.failed);
			return;
		}
		e->state = SE_PULL_WAIT;
		return;
	}
	for (;;) {
		pump(e);
		if (e->pl.ready >= 0) {
			/* one page a step: the screen stays live */
			if (!apply_ready(e))
				return;
			/* a sync of more than one page reads the next
			 * pages on the decoder from now on */
			if (!e->dec && !e->pl.end)
				e->dec = decoder_new();
			break;
		}
		if (e->pl.decoding >= 0) {
			page_read(e, decoder_wait(e->dec));
			continue;
		}
		if (e->pl.get) {
			if (!r->done)
				return;          /* waits on the network */
			/* not a page (pump hands every 200 on: the slots
			 * are free here): a retry, or why it failed */
			e->pl.get = false;
			if (!sync_answered(e, SE_PULL))
				return;          /* a retry, or the end */
			sync_fail(e, sync_pull_refused(e->conf.cert, r->status,
						       r->resp.p, &e->rep,
						       &e->err));
			return;
		}
		if (e->pl.failed) {
			st = e->pl.failed == RCMS_ERR_NOMEM
				     ? rcms_err_set(&e->err, RCMS_ERR_NOMEM,
						    NULL, NULL)
				     : e->pl.failed_status
					       ? sync_pull_unreadable(
							 e->pl.failed_status,
							 &e->err)
					       : e->pl.failed;
			pull_reset(e);
			sync_fail(e, st);
			return;
		}
		if (e->pl.want_get && e->cancel) {
			rcms_err_set(&e->err, RCMS_ERR_TEMP, NULL,
				     "the sync was stopped");
			pull_reset(e);
			sync_fail(e, RCMS_ERR_TEMP);
			return;
		}
		break;
	}
	if (e->pl.end && e->pl.ready < 0 && e->pl.decoding < 0 && !e->pl.get)
		e->state = SE_UP_LIST;
	else
		pump(e);  /* the next GET on its way before the step returns */
}

bool sync_pull_busy(const struct sync_engine *e)
{
	return e->state == SE_PULL_WAIT &&
	       (e->pl.ready >= 0 || e->pl.decoding >= 0 ||
		(e->pl.get && e->rq.done));
}
