/*
 * ui_sync.c - sync in the background of the event loop, and the status
 * line: online or offline (the last sync's outcome), operations and
 * document bytes waiting, the last sync, and a running sync's progress
 * (its phase; for a document the bytes, the rate and the time left).
 *
 * The stepping engine (sync/engine.h) does the work on the replica's own
 * connection between frames: ui_sync_tick takes a step every frame and
 * never waits; ui_sync_wait lets the loop sleep until the network or the
 * keyboard has something, 50 ms at most, so no frame waits longer on the
 * network.  A sync starts on the sync request and, when the workstation
 * is enrolled, every sync_interval seconds (rcms.conf; 0 never); while
 * the exchange cannot be reached the automatic one waits twice as long
 * each time, up to ten intervals.  When a sync ends the loop reloads the
 * screen, so that what came in shows.
 */
#include "ui/ui_priv.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sync/engine.h"

#define FIRST_SYNC_MS 2000LL
/* the status line counts operations waiting up to this ("10000+"): it is
 * read every second, and a replica may hold a million of them */
#define UI_PENDING_MAX 10000

struct ui_sync {
	struct sync_engine *e;
	struct sync_conf conf;       /* large: here, not on the stack */
	bool running;
	int lock;                    /* sync_lock_take's, while running; -1 */
	bool asked;                  /* by the officer (else automatic) */
	long long last_ms;           /* the last start (or the first frame) */
	long long wait_ms;           /* until the next automatic one */
	long long painted_ms;        /* progress last shown */
	char progress[160];
};

bool ui_sync_running(const struct ui *ui)
{
	return ui->sync && ui->sync->running;
}

static struct ui_sync *get(struct ui *ui)
{
	if (!ui->sync) {
		ui->sync = calloc(1, sizeof(*ui->sync));
		if (ui->sync) {
			ui->sync->lock = -1;
			/* the first one soon after the login */
			ui->sync->last_ms = ui_ms();
			ui->sync->wait_ms = ui->cli->conf.sync_interval > 0
				? FIRST_SYNC_MS : 0;
		}
	}
	return ui->sync;
}

static void human_bytes(int64_t n, char *buf, size_t size)
{
	if (n >= 1024 * 1024)
		snprintf(buf, size, "%.1f MB", (double)n / (1024.0 * 1024.0));
	else if (n >= 1024)
		snprintf(buf, size, "%.1f kB", (double)n / 1024.0);
	else
		snprintf(buf, size, "%lld B", (long long)n);
}

static enum rcms_status start(struct ui *ui, struct ui_sync *s,
			      struct rcms_err *err)
{
	struct db_sync_state ss;

	if (db_sync_state(ui->cli->db, &ss, err))
		return err->status;
	if (!ss.exchange[0])
		return rcms_err_set(err, RCMS_ERR_CONFIG, NULL,
				    "this workstation is not enrolled with an "
				    "exchange (an administrator runs 'rcms "
				    "enroll')");
	rcms_err_clear(&ui->cli->err);
	if (cli_sync_conf(ui->cli, &s->conf)) {
		/* cli_sync_conf wrote to stderr: paint everything again */
		clearok(curscr, TRUE);
		*err = ui->cli->err;
		return err->status ? err->status : RCMS_ERR_CONFIG;
	}
	ui->ctx->now = ui_now();
	/* another sync of this replica (rcms sync on the command line):
	 * this one waits for its next round */
	if ((s->lock = sync_lock_take(s->conf.data_dir, err)) < 0)
		return err->status;
	if (sync_engine_new(ui->ctx, &s->conf, &s->e, err)) {
		sync_lock_drop(s->lock);
		s->lock = -1;
		return err->status;
	}
	s->running = true;
	s->last_ms = s->painted_ms = ui_ms();
	snprintf(s->progress, sizeof(s->progress), "syncing");
	ui->status_read_ms = 0;
	return RCMS_OK;
}

unsigned ui_sync_start(struct ui *ui)
{
	struct ui_sync *s = get(ui);
	struct rcms_err err;

	if (!s) {
		ui_error(ui, "out of memory");
		return UI_REDRAW;
	}
	if (s->running) {
		s->asked = true;
		ui_say(ui, "A sync is already running.");
		return UI_REDRAW;
	}
	rcms_err_clear(&err);
	if (start(ui, s, &err))
		return ui_fail(ui, &err);
	s->asked = true;
	ui_say(ui, "Syncing with the exchange in the background ...");
	return UI_REDRAW;
}

/* The progress as the status line shows it. */
static void describe(const struct sync_progress *p, char *buf, size_t size)
{
	char done[32], total[32], rate[32];

	switch (p->phase) {
	case SYNC_PHASE_PUSH:
		snprintf(buf, size, "sending %lld/%lld",
			 (long long)p->ops_done, (long long)p->ops_total);
		break;
	case SYNC_PHASE_PULL:
		snprintf(buf, size, "receiving, %lld case(s)",
			 (long long)p->records);
		break;
	case SYNC_PHASE_UPLOAD:
	case SYNC_PHASE_DOWNLOAD:
		if (p->bytes_total <= 0) {
			snprintf(buf, size, "%s documents",
				 p->phase == SYNC_PHASE_UPLOAD ? "sending"
							       : "receiving");
			break;
		}
		human_bytes(p->bytes_done, done, sizeof(done));
		human_bytes(p->bytes_total, total, sizeof(total));
		human_bytes((int64_t)p->rate, rate, sizeof(rate));
		if (p->seconds_left >= 0)
			snprintf(buf, size, "%s %.16s %s of %s, %s/s, %lld:%02lld "
				 "left", p->phase == SYNC_PHASE_UPLOAD ? "up"
				 : "down", p->document, done, total, rate,
				 (long long)p->seconds_left / 60,
				 (long long)p->seconds_left % 60);
		else
			snprintf(buf, size, "%s %.16s %s of %s",
				 p->phase == SYNC_PHASE_UPLOAD ? "up" : "down",
				 p->document, done, total);
		break;
	case SYNC_PHASE_WAIT:
		snprintf(buf, size, "no answer, trying again");
		break;
	default:
		snprintf(buf, size, "syncing");
	}
}

unsigned ui_sync_tick(struct ui *ui)
{
	struct ui_sync *s = ui->sync;
	struct sync_progress p;
	char now[sizeof(s->progress)];

	if (!s && ui->logged_in && !ui->script)
		s = get(ui);
	if (!s)
		return UI_NOTHING;
	if (!s->running) {
		struct rcms_err err;
		/* the automatic sync: logged in, enrolled, not in a script */
		if (!ui->logged_in || ui->script || s->wait_ms <= 0 ||
		    ui_ms() - s->last_ms < s->wait_ms)
			return UI_NOTHING;
		rcms_err_clear(&err);
		s->asked = false;
		if (start(ui, s, &err)) {
			/* another sync of this replica: the next round as
			 * usual; not enrolled (or a broken configuration):
			 * the status line says so; look again much later */
			s->last_ms = ui_ms();
			s->wait_ms = (long long)ui->cli->conf.sync_interval *
				     (err.status == RCMS_ERR_BUSY ? 1000
								  : 10000);
			return UI_NOTHING;
		}
		return UI_REDRAW;
	}
	sync_engine_step(s->e);
	if (sync_engine_done(s->e)) {
		struct sync_report rep;
		struct rcms_err err;
		enum rcms_status st;
		long long base = (long long)ui->cli->conf.sync_interval * 1000;

		rcms_err_clear(&err);
		st = sync_engine_result(s->e, &rep, &err);
		sync_engine_free(s->e);
		s->e = NULL;
		sync_lock_drop(s->lock);
		s->lock = -1;
		s->running = false;
		s->progress[0] = '\0';
		s->last_ms = ui_ms();
		ui->status_read_ms = 0;
		if (st == RCMS_ERR_UNAVAILABLE || st == RCMS_ERR_TEMP)
			s->wait_ms = s->wait_ms * 2 > base * 10
					     ? base * 10 : s->wait_ms * 2;
		else
			s->wait_ms = base;
		if (s->wait_ms <= 0)
			s->wait_ms = base;
		if (s->asked) {
			if (st)
				ui_error(ui, "Sync: %s", rcms_err_msg(&err));
			else
				ui_say(ui, "Synced: %lld sent, %lld "
				       "received, %lld document(s).",
				       (long long)rep.pushed,
				       (long long)rep.pulled,
				       (long long)(rep.blobs_up +
						   rep.blobs_down));
		}
		s->asked = false;
		return UI_RELOAD;
	}
	sync_engine_progress(s->e, &p);
	describe(&p, now, sizeof(now));
	/* the status line at most ten times a second */
	if (strcmp(now, s->progress) != 0 && ui_ms() - s->painted_ms >= 100) {
		snprintf(s->progress, sizeof(s->progress), "%s", now);
		s->painted_ms = ui_ms();
		return UI_REDRAW;
	}
	return UI_NOTHING;
}

bool ui_sync_wait(struct ui *ui, int ms)
{
	if (!ui_sync_running(ui))
		return false;
	sync_engine_wait(ui->sync->e, STDIN_FILENO, ms);
	return true;
}

static int add_blob(const struct db_blob *b, void *arg)
{
	*(int64_t *)arg += b->size;
	return 0;
}

void ui_sync_status(struct ui *ui, char *buf, size_t size)
{
	struct ui_sync *s = ui->sync;

	if (ui_ms() - ui->status_read_ms > 1000) {
		struct db_sync_state ss;
		char when[40] = "never synced", bytes[32];
		int64_t nbytes = 0;
		const char *online;

		ui->status_read_ms = ui_ms();
		if (db_sync_state_upto(ui->cli->db, UI_PENDING_MAX, &ss,
				       NULL) != RCMS_OK) {
			snprintf(ui->status, sizeof(ui->status), "?");
			ui->status_when[0] = '\0';
		} else {
			db_blobs_to_upload(ui->cli->db, add_blob, &nbytes,
					   NULL);
			human_bytes(nbytes, bytes, sizeof(bytes));
			if (!ss.exchange[0])
				online = "not enrolled";
			else if (!ss.last_sync)
				online = "not synced yet";
			else if (strncmp(ss.last_outcome, "ok", 2) == 0 ||
				 strncmp(ss.last_outcome, "RCMS_ERR_INVALID",
					 16) == 0)
				online = "online";
			else
				online = "offline";
			if (ss.last_sync) {
				int y, m, d, ty, tm, td;
				int64_t t = ss.last_sync;
				rcms_utc_to_ymd(t, &y, &m, &d);
				rcms_utc_to_ymd(ui_now(), &ty, &tm, &td);
				if (y == ty && m == tm && d == td)
					snprintf(when, sizeof(when),
						 "synced %02d:%02d",
						 (int)(t % 86400 / 3600),
						 (int)(t % 3600 / 60));
				else
					snprintf(when, sizeof(when),
						 "synced %04d-%02d-%02d", y, m,
						 d);
			}
			snprintf(ui->status, sizeof(ui->status),
				 "%s | %lld%s to send, %s", online,
				 (long long)ss.pending,
				 ss.pending >= UI_PENDING_MAX ? "+" : "",
				 bytes);
			snprintf(ui->status_when, sizeof(ui->status_when),
				 "%s", ss.exchange[0] ? when : "");
		}
	}
	if (s && s->running)
		snprintf(buf, size, "%s | %s", ui->status,
			 s->progress[0] ? s->progress : "syncing");
	else if (ui->status_when[0])
		snprintf(buf, size, "%s | %s", ui->status, ui->status_when);
	else
		snprintf(buf, size, "%s", ui->status);
}

void ui_sync_free(struct ui *ui)
{
	if (!ui->sync)
		return;
	if (ui->sync->e) {
		sync_engine_cancel(ui->sync->e);
		sync_engine_free(ui->sync->e);
	}
	sync_lock_drop(ui->sync->lock);
	free(ui->sync);
	ui->sync = NULL;
}
