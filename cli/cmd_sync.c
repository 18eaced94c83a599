/* cmd_sync.c - rcms enroll, rcms sync, rcms sync status. */
#include "cli/cli_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <signal.h>
#include <sys/random.h>

#include "sync/sync.h"

static int tls_path(struct cli *cli, const char *name, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/tls/%s", cli->data_dir, name);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Copy a bundle file into the data folder: temp, fsync, rename. */
static int copy_file(struct cli *cli, const char *from, const char *to)
{
	char *data = NULL, tmp[4400];
	size_t len = 0;
	int fd, rc;

	if ((rc = cli_read_file(cli, from, 1 << 20, &data, &len)))
		return rc;
	snprintf(tmp, sizeof(tmp), "%s.tmp", to);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len || fsync(fd) != 0) {
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		free(data);
		rcms_err_set(&cli->err, RCMS_ERR_IO, NULL, "cannot write %s: %s",
			     to, strerror(errno));
		return cli_fail(cli, RCMS_ERR_IO);
	}
	close(fd);
	free(data);
	if (rename(tmp, to) != 0) {
		unlink(tmp);
		rcms_err_set(&cli->err, RCMS_ERR_IO, NULL, "cannot write %s: %s",
			     to, strerror(errno));
		return cli_fail(cli, RCMS_ERR_IO);
	}
	return 0;
}

/* "agency = RS-MUP" lines of the bundle's enrolment.conf */
static void conf_value(const char *text, const char *key, char *out,
		       size_t size)
{
	const char *p = text;
	size_t k = strlen(key);

	out[0] = '\0';
	while (p && *p) {
		if (strncmp(p, key, k) == 0 && (p[k] == ' ' || p[k] == '=')) {
			const char *v = strchr(p, '=');
			size_t n;
			if (!v)
				return;
			v++;
			while (*v == ' ')
				v++;
			n = strcspn(v, "\r\n");
			if (n >= size)
				n = size - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

int cmd_enroll(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"exchange", required_argument, NULL, 'x'},
		{"bundle", required_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	const char *url = NULL, *bundle = NULL;
	int o, rc;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'x')
			url = optarg;
		else if (o == 'b')
			bundle = optarg;
		else
			return cli_usage(cli, cli_current(), "unknown option");
	}
	if (!url || !bundle || optind != argc)
		return cli_usage(cli, cli_current(),
				 "--exchange URL and --bundle DIR are needed");
	if ((rc = cli_open(cli)))
		return rc;
	return cli_enroll(cli, url, bundle);
}

/* Enrol the open replica (its user an admin) with an exchange. */
int cli_enroll(struct cli *cli, const char *url, const char *bundle)
{
	static const char *const files[] = {"cert.pem", "key.pem", "ca.pem"};
	struct db_identity id;
	char path[4300], to[4300], agency[64], ws[64], *conf = NULL;
	size_t i;
	int rc;

	if ((rc = cli_may(cli, RCMS_PERM_ENROLL)))
		return rc;
	if (db_identity_get(cli->db, &id, &cli->err))
		return cli_fail(cli, cli->err.status);
	snprintf(path, sizeof(path), "%s/enrolment.conf", bundle);
	if ((rc = cli_read_file(cli, path, 65536, &conf, NULL)))
		return rc;
	conf_value(conf, "agency", agency, sizeof(agency));
	conf_value(conf, "workstation", ws, sizeof(ws));
	free(conf);
	if (strcmp(agency, id.agency) != 0 || strcmp(ws, id.workstation) != 0) {
		rcms_err_set(&cli->err, RCMS_ERR_INVALID, NULL,
			     "the bundle is for %s %s, this workstation is %s "
			     "%s; ask the exchange operator for the right one",
			     agency, ws, id.agency, id.workstation);
		return cli_fail(cli, RCMS_ERR_INVALID);
	}
	snprintf(path, sizeof(path), "%s/tls", cli->data_dir);
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		rcms_err_set(&cli->err, RCMS_ERR_IO, NULL, "cannot create %s: %s",
			     path, strerror(errno));
		return cli_fail(cli, RCMS_ERR_IO);
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", bundle, files[i]);
		if (tls_path(cli, files[i], to, sizeof(to)) ||
		    (rc = copy_file(cli, path, to)))
			return rc ? rc : cli_fail(cli, RCMS_ERR_IO);
	}
	{
		char u[512];
		size_t n = strlen(url);
		if (n >= sizeof(u)) {
			rcms_err_set(&cli->err, RCMS_ERR_INVALID, "exchange",
				     "the exchange's address is too long");
			return cli_fail(cli, RCMS_ERR_INVALID);
		}
		memcpy(u, url, n + 1);
		while (n > 0 && u[n - 1] == '/')
			u[--n] = '\0';
		if (db_sync_enroll(&cli->ctx, u, &cli->err))
			return cli_fail(cli, cli->err.status);
	}
	printf("enrolled %s %s with %s\n", id.agency, id.workstation, url);
	return 0;
}

int cli_sync_conf(struct cli *cli, struct sync_conf *c)
{
	struct db_sync_state ss;

	memset(c, 0, sizeof(*c));
	if (db_sync_state(cli->db, &ss, &cli->err))
		return cli_fail(cli, cli->err.status);
	snprintf(c->url, sizeof(c->url), "%s", ss.exchange);
	if (tls_path(cli, "cert.pem", c->cert, sizeof(c->cert)) ||
	    tls_path(cli, "key.pem", c->key, sizeof(c->key)) ||
	    tls_path(cli, "ca.pem", c->ca, sizeof(c->ca)))
		return cli_fail(cli, RCMS_ERR_CONFIG);
	snprintf(c->data_dir, sizeof(c->data_dir), "%s", cli->data_dir);
	snprintf(c->pin, sizeof(c->pin), "%s", cli->conf.exchange_pin);
	c->connect_timeout = 10;
	c->timeout = 120;
	c->idle_timeout = cli->conf.sync_idle_timeout;
	c->page = cli->conf.sync_page;
	c->retries = 2;
	return 0;
}

static volatile sig_atomic_t watch_stop;

static void on_stop(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void report(const struct sync_report *rep, bool times)
{
	printf("pushed %lld (%lld applied, %lld duplicate, %lld conflict, "
	       "%lld rejected), received %lld cases, %lld waiting; documents "
	       "%lld sent (%lld bytes), %lld received (%lld bytes)\n",
	       (long long)rep->pushed, (long long)rep->applied,
	       (long long)rep->duplicate, (long long)rep->conflict,
	       (long long)rep->rejected, (long long)rep->pulled,
	       (long long)rep->pending, (long long)rep->blobs_up,
	       (long long)rep->bytes_up, (long long)rep->blobs_down,
	       (long long)rep->bytes_down);
	if (rep->accounts || rep->superseded)
		printf("accounts: %lld changed from the agency directory, %lld "
		       "made here that it had already (the directory's "
		       "taken)\n", (long long)rep->accounts,
		       (long long)rep->superseded);
	if (times)
		printf("times: push %.3f s, pull %.3f s, documents sent %.3f s, "
		       "received %.3f s\n", rep->push_s, rep->pull_s,
		       rep->up_s, rep->down_s);
	fflush(stdout);
}

int cmd_sync(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"watch", no_argument, NULL, 'w'},
		{"interval", required_argument, NULL, 'i'},
		{"times", no_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	struct sync_conf c;
	struct sync_report rep;
	enum rcms_status st;
	bool watch = false, times = false;
	long interval = 30, wait_s;
	int o, rc;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'w') {
			watch = true;
		} else if (o == 't') {
			times = true;
		} else if (o == 'i') {
			char *end = NULL;
			interval = strtol(optarg, &end, 10);
			if (!end || *end || interval < 1 || interval > 86400)
				return cli_usage(cli, cli_current(),
						 "--interval takes 1 to 86400 "
						 "seconds");
		} else {
			return cli_usage(cli, cli_current(), "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage(cli, cli_current(), "unexpected '%s'",
				 argv[optind]);
	if ((rc = cli_open(cli)) || (rc = cli_sync_conf(cli, &c)))
		return rc;
	if (!watch) {
		int lock = sync_lock_take(c.data_dir, &cli->err);
		if (lock < 0) {
			fprintf(stderr, "%s: %s\n", cli->prog,
				rcms_err_msg(&cli->err));
			/* busy: a temporary failure, as offline */
			return cli->err.status == RCMS_ERR_BUSY ? 75 : 74;
		}
		st = sync_run(&cli->ctx, &c, &rep, &cli->err);
		sync_lock_drop(lock);
		report(&rep, times);
		if (st == RCMS_ERR_UNAVAILABLE || st == RCMS_ERR_TEMP) {
			fprintf(stderr, "%s: %s\n", cli->prog,
				rcms_err_msg(&cli->err));
			return 75;  /* offline: try later; nothing is lost */
		}
		return st ? cli_fail(cli, st) : 0;
	}
	/* --watch: sync, wait, again; back off while the exchange is away */
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	wait_s = interval;
	while (!watch_stop) {
		rcms_err_clear(&cli->err);
		cli->ctx.now = cli_now();
		{
			/* another sync of this replica: skip this round */
			int lock = sync_lock_take(c.data_dir, &cli->err);
			if (lock < 0) {
				st = cli->err.status == RCMS_ERR_BUSY
					     ? RCMS_ERR_TEMP : cli->err.status;
				memset(&rep, 0, sizeof(rep));
			} else {
				st = sync_run(&cli->ctx, &c, &rep, &cli->err);
				sync_lock_drop(lock);
				report(&rep, times);
			}
		}
		if (st == RCMS_ERR_UNAVAILABLE || st == RCMS_ERR_TEMP) {
			unsigned r = 0;
			fprintf(stderr, "%s: %s\n", cli->prog,
				rcms_err_msg(&cli->err));
			if (getrandom(&r, sizeof(r), 0) < 0)
				r = 0;
			wait_s = wait_s * 2 > 300 ? 300 : wait_s * 2;
			wait_s += (long)(r % 5);
		} else {
			if (st)
				fprintf(stderr, "%s: %s\n", cli->prog,
					rcms_err_msg(&cli->err));
			if (st == RCMS_ERR_PERMISSION || st == RCMS_ERR_CONFIG ||
			    st == RCMS_ERR_AUTH)
				return cli_fail(cli, st);
			wait_s = interval;
		}
		for (long i = 0; i < wait_s * 10 && !watch_stop; i++)
			usleep(100 * 1000);
	}
	return 0;
}

int cmd_sync_status(struct cli *cli, int argc, char **argv)
{
	struct db_sync_state ss;
	char t[32];
	int rc;

	(void)argv;
	if (argc != 1)
		return cli_usage(cli, cli_current(), "no arguments");
	if ((rc = cli_open(cli)))
		return rc;
	if (db_sync_state(cli->db, &ss, &cli->err))
		return cli_fail(cli, cli->err.status);
	printf("%-22s %s\n", "exchange", ss.exchange[0] ? ss.exchange
						       : "(not enrolled)");
	printf("%-22s %lld\n", "feed position", (long long)ss.cursor);
	printf("%-22s %lld\n", "operations to send", (long long)ss.pending);
	printf("%-22s %lld\n", "refused, to see to", (long long)ss.rejected);
	if (ss.last_sync) {
		rcms_time_format(ss.last_sync, t, sizeof(t));
		printf("%-22s %s\n", "last sync", t);
		printf("%-22s %s\n", "outcome", ss.last_outcome);
	} else {
		printf("%-22s %s\n", "last sync", "never");
	}
	return 0;
}

/* ---- the agency's workstations -------------------------------------------- */

struct wslist {
	enum cli_format fmt;
	struct rcms_jsonw w;
	const char *self;
};

static void when(int64_t t, char *buf, size_t size)
{
	char full[32];

	if (!t) {
		snprintf(buf, size, "never");
		return;
	}
	rcms_time_format(t, full, sizeof(full));
	snprintf(buf, size, "%.10s %.5s", full, full + 11);
}

static int ws_row(const struct sync_ws *w, void *arg)
{
	struct wslist *l = arg;
	char last[32], ret[32], state[RCMS_LINE_LEN + 64];

	when(w->last_sync, last, sizeof(last));
	when(w->retired_at, ret, sizeof(ret));
	if (w->retired_at)
		snprintf(state, sizeof(state), "retired %s by %.64s%s%.300s", ret,
			 w->retired_by, w->reason[0] ? ": " : "", w->reason);
	else
		snprintf(state, sizeof(state), "%s",
			 strcmp(w->workstation, l->self) == 0 ? "this one"
							      : "in service");
	switch (l->fmt) {
	case CLI_TABLE:
		cli_put_col(stdout, w->workstation, 12);
		fputc(' ', stdout);
		cli_put_col(stdout, last, 17);
		fputc(' ', stdout);
		fputs(state, stdout);
		fputc('\n', stdout);
		break;
	case CLI_CSV:
		cli_csv_field(stdout, w->workstation, false);
		cli_csv_field(stdout, w->last_sync ? last : "", false);
		cli_csv_field(stdout, w->retired_at ? ret : "", false);
		cli_csv_field(stdout, w->retired_by, false);
		cli_csv_field(stdout, w->reason, true);
		break;
	case CLI_JSON:
		rcms_jsonw_obj_begin(&l->w);
		rcms_jsonw_kstr(&l->w, "workstation", w->workstation);
		rcms_jsonw_kint(&l->w, "first_seen", w->first_seen);
		rcms_jsonw_kint(&l->w, "last_sync", w->last_sync);
		rcms_jsonw_kint(&l->w, "retired_at", w->retired_at);
		rcms_jsonw_kstr(&l->w, "retired_by", w->retired_by);
		rcms_jsonw_kstr(&l->w, "reason", w->reason);
		rcms_jsonw_obj_end(&l->w);
		break;
	}
	return 0;
}

int cmd_ws_list(struct cli *cli, int argc, char **argv)
{
	struct sync_conf c;
	struct db_identity id;
	struct wslist l;
	enum rcms_status st;
	int rc;

	memset(&l, 0, sizeof(l));
	if (argc == 3 && strcmp(argv[1], "--format") == 0) {
		if ((rc = cli_parse_format(cli, argv[2], &l.fmt)))
			return rc;
	} else if (argc != 1) {
		return cli_usage(cli, cli_current(), "unexpected arguments");
	}
	if ((rc = cli_open(cli)) ||
	    (rc = cli_may(cli, RCMS_PERM_WORKSTATION_MANAGE)))
		return rc;
	if (db_identity_get(cli->db, &id, &cli->err))
		return cli_fail(cli, cli->err.status);
	if ((rc = cli_sync_conf(cli, &c)))
		return rc;
	if (!c.url[0]) {
		rcms_err_set(&cli->err, RCMS_ERR_CONFIG, NULL,
			     "this workstation is not enrolled with an "
			     "exchange (rcms enroll)");
		return cli_fail(cli, RCMS_ERR_CONFIG);
	}
	l.self = id.workstation;
	if (l.fmt == CLI_CSV)
		fputs("workstation,last_sync,retired_at,retired_by,reason\r\n",
		      stdout);
	if (l.fmt == CLI_JSON) {
		rcms_jsonw_init(&l.w);
		rcms_jsonw_arr_begin(&l.w);
	}
	st = sync_workstations(&c, ws_row, &l, &cli->err);
	if (l.fmt == CLI_JSON) {
		rcms_jsonw_arr_end(&l.w);
		if (!st)
			printf("%s\n", l.w.buf);
		rcms_jsonw_free(&l.w);
	}
	if (st == RCMS_ERR_UNAVAILABLE || st == RCMS_ERR_TEMP) {
		fprintf(stderr, "%s: %s\n", cli->prog,
			rcms_err_msg(&cli->err));
		return 75;
	}
	return st ? cli_fail(cli, st) : 0;
}

int cmd_ws_retire(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"reason", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	const char *reason = NULL;
	enum rcms_status st;
	int o, rc;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'r')
			reason = optarg;
		else
			return cli_usage(cli, cli_current(), "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage(cli, cli_current(),
				 "give the workstation's name (W02)");
	if ((rc = cli_open(cli)))
		return rc;
	st = db_workstation_retire(&cli->ctx, argv[optind], reason,
				   &cli->err);
	if (st)
		return cli_fail(cli, st);
	printf("%s will be retired at the next sync\n", argv[optind]);
	return 0;
}
