/*
 * ui_sync.c - sync in the background of the event loop, and the status
 * line: online or offline, operations and document bytes waiting, the
 * last sync, a running upload's progress.
 *
 * The stepping engine (sync/engine.h) does the work: a step never waits
 * on the network, so a frame never waits more than the loop's 50 ms.
 * Until the engine is in this build (UI_SYNC_ENGINE 0), the sync request
 * says so and everything else here works.
 */
#include "ui/ui_priv.h"

#include <stdlib.h>
#include <string.h>

#ifndef UI_SYNC_ENGINE
#define UI_SYNC_ENGINE 0
#endif

#if UI_SYNC_ENGINE
#include "sync/engine.h"
#endif

/* A sync every so often while the workstation is open, when enrolled. */
#define AUTO_SYNC_MS (120 * 1000LL)

struct ui_sync {
#if UI_SYNC_ENGINE
	struct sync_engine *e;
#endif
	bool running;
	long long started_ms, last_ms;
	char progress[128];
};

bool ui_sync_running(const struct ui *ui)
{
	return ui->sync && ui->sync->running;
}

static struct ui_sync *get(struct ui *ui)
{
	if (!ui->sync)
		ui->sync = calloc(1, sizeof(*ui->sync));
	return ui->sync;
}

#if UI_SYNC_ENGINE
static int tls_path(struct ui *ui, const char *name, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/tls/%s", ui->cli->data_dir, name);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}
#endif

unsigned ui_sync_start(struct ui *ui)
{
	struct ui_sync *s = get(ui);
	struct db_sync_state ss;
	struct rcms_err err;

	if (!s) {
		ui_error(ui, "out of memory");
		return UI_REDRAW;
	}
	if (s->running) {
		ui_say(ui, "A sync is already running.");
		return UI_REDRAW;
	}
	rcms_err_clear(&err);
	if (db_sync_state(ui->cli->db, &ss, &err))
		return ui_fail(ui, &err);
	if (!ss.exchange[0]) {
		ui_error(ui, "this workstation is not enrolled with an "
			 "exchange (an administrator runs 'rcms enroll')");
		return UI_REDRAW;
	}
#if UI_SYNC_ENGINE
	{
		struct sync_conf c;
		memset(&c, 0, sizeof(c));
		snprintf(c.url, sizeof(c.url), "%s", ss.exchange);
		snprintf(c.data_dir, sizeof(c.data_dir), "%s",
			 ui->cli->data_dir);
		if (tls_path(ui, "cert.pem", c.cert, sizeof(c.cert)) ||
		    tls_path(ui, "key.pem", c.key, sizeof(c.key)) ||
		    tls_path(ui, "ca.pem", c.ca, sizeof(c.ca))) {
			ui_error(ui, "the data folder's path is too long");
			return UI_REDRAW;
		}
		c.connect_timeout = 10;
		c.timeout = 300;
		c.retries = 2;
		ui->ctx->now = ui_now();
		if (sync_engine_new(ui->ctx, &c, &s->e, &err))
			return ui_fail(ui, &err);
		s->running = true;
		s->started_ms = ui_ms();
		ui_say(ui, "Syncing with %s ...", ss.exchange);
	}
#else
	ui_error(ui, "background sync is not in this build yet; run "
		 "'rcms sync' in a shell");
#endif
	s->last_ms = ui_ms();
	ui->status_read_ms = 0;
	return UI_REDRAW;
}

unsigned ui_sync_tick(struct ui *ui)
{
	struct ui_sync *s = ui->sync;

	if (!s && ui->logged_in && !ui->script)
		s = get(ui);
	if (!s)
		return UI_NOTHING;
#if UI_SYNC_ENGINE
	if (s->running) {
		struct sync_progress p;
		sync_engine_step(s->e);
		sync_engine_progress(s->e, &p);
		if (p.document[0] && p.bytes_total > 0)
			snprintf(s->progress, sizeof(s->progress),
				 "up %lld%% %.40s",
				 (long long)(p.bytes_done * 100 /
					     p.bytes_total), p.document);
		else if (p.ops_total > 0)
			snprintf(s->progress, sizeof(s->progress),
				 "sending %lld/%lld", (long long)p.ops_done,
				 (long long)p.ops_total);
		else
			snprintf(s->progress, sizeof(s->progress),
				 "syncing");
		if (sync_engine_done(s->e)) {
			struct sync_report rep;
			struct rcms_err err;
			enum rcms_status st;
			rcms_err_clear(&err);
			st = sync_engine_result(s->e, &rep, &err);
			sync_engine_free(s->e);
			s->e = NULL;
			s->running = false;
			s->progress[0] = '\0';
			ui->status_read_ms = 0;
			if (st)
				ui_error(ui, "sync: %s", rcms_err_msg(&err));
			else
				ui_say(ui, "Synced: %lld sent, %lld received.",
				       (long long)rep.pushed,
				       (long long)rep.pulled);
			return UI_RELOAD;
		}
		return UI_NOTHING;
	}
	if (ui->logged_in && !ui->script &&
	    ui_ms() - s->last_ms > AUTO_SYNC_MS) {
		struct db_sync_state ss;
		s->last_ms = ui_ms();
		if (db_sync_state(ui->cli->db, &ss, NULL) == RCMS_OK &&
		    ss.exchange[0]) {
			char keep[sizeof(ui->msg)];
			memcpy(keep, ui->msg, sizeof(keep));
			ui_sync_start(ui);
			memcpy(ui->msg, keep, sizeof(keep));
		}
	}
#endif
	return UI_NOTHING;
}

static int add_blob(const struct db_blob *b, void *arg)
{
	*(int64_t *)arg += b->size;
	return 0;
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

void ui_sync_status(struct ui *ui, char *buf, size_t size)
{
	struct ui_sync *s = ui->sync;

	if (ui_ms() - ui->status_read_ms > 1000) {
		struct db_sync_state ss;
		char when[40] = "never", bytes[32];
		int64_t nbytes = 0;
		const char *online;

		ui->status_read_ms = ui_ms();
		if (db_sync_state(ui->cli->db, &ss, NULL) != RCMS_OK) {
			snprintf(ui->status, sizeof(ui->status), "?");
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
				int y, m, d;
				int64_t t = ss.last_sync;
				rcms_utc_to_ymd(t, &y, &m, &d);
				snprintf(when, sizeof(when),
					 "%04d-%02d-%02d %02d:%02d", y, m, d,
					 (int)(t % 86400 / 3600),
					 (int)(t % 3600 / 60));
			}
			snprintf(ui->status, sizeof(ui->status),
				 "%s | %lld to send, %s | last sync %s",
				 online, (long long)ss.pending, bytes, when);
		}
	}
	if (s && s->running && s->progress[0])
		snprintf(buf, size, "%s | %s", s->progress, ui->status);
	else
		snprintf(buf, size, "%s", ui->status);
}

void ui_sync_free(struct ui *ui)
{
	if (!ui->sync)
		return;
#if UI_SYNC_ENGINE
	if (ui->sync->e) {
		sync_engine_cancel(ui->sync->e);
		sync_engine_free(ui->sync->e);
	}
#endif
	free(ui->sync);
	ui->sync = NULL;
}
