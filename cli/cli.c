/* cli.c - the command table, paths, configuration, login and the helpers
 * every command shares. */
#include "cli/cli.h"
#include "cli/cli_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

const struct cli_cmd cli_commands[] = {
	{"init", NULL, cmd_init,
	 "--agency CODE --workstation ID --admin USER [--admin-name NAME] "
	 "[--agency-name NAME] [--agreements FILE] [--exchange URL --enroll "
	 "DIR]",
	 "create the local replica, the workstation's identity and the first "
	 "administrator"},
	{"login", NULL, cmd_login, "[USER] [--why CODE]",
	 "log in (the session lasts session_hours, ends when idle)"},
	{"logout", NULL, cmd_logout, "", "end the session"},
	{"whoami", NULL, cmd_whoami, "", "show the logged-in user, the "
	 "workstation and the session's purpose"},
	{"status", NULL, cmd_status, "", "cases per status and pending "
	 "operations"},
	{"user", "add", cmd_user_add,
	 "USER --role officer|supervisor|admin [--full-name NAME]",
	 "add an account to the agency's directory (admin); it reaches the "
	 "agency's other workstations at their next sync"},
	{"user", "list", cmd_user_list, "[--format table|csv|json]",
	 "list users"},
	{"user", "passwd", cmd_user_passwd, "[USER]",
	 "change your password, or any user's (admin), on every workstation "
	 "of the agency"},
	{"user", "enable", cmd_user_enable, "USER", "enable an account (admin)"},
	{"user", "disable", cmd_user_disable, "USER",
	 "disable an account (admin): every workstation of the agency "
	 "refuses it from its next sync"},
	{"user", "edit", cmd_user_edit,
	 "USER [--full-name NAME] [--role officer|supervisor|admin]",
	 "change an account's full name or role (admin)"},
	{"workstation", "list", cmd_ws_list, "[--format table|csv|json]",
	 "the agency's workstations and their last sync, as the exchange "
	 "knows them (admin)"},
	{"workstation", "retire", cmd_ws_retire, "WS [--reason TEXT]",
	 "retire a workstation of the agency: from this workstation's next "
	 "sync the exchange refuses its certificate and what it still sends "
	 "(admin)"},
	{"case", "new", cmd_case_new,
	 "[FIELD=VALUE...] [--set FIELD=VALUE] [--json FILE] [--mrz FILE|-] "
	 "[--doc FIELD=VALUE,...]",
	 "open a case; prints its reference"},
	{"case", "list", cmd_case_list,
	 "[--status S] [--requested AGENCY] [--due-before DATE] [--mine] "
	 "[--sort updated|created|due|ref] [--limit N] [--offset N] "
	 "[--format table|csv|json] [--why CODE]",
	 "list cases, newest change first"},
	{"case", "show", cmd_case_show, "REF [--json] [--why CODE]",
	 "show a case with its documents, notes and attachments"},
	{"case", "edit", cmd_case_edit, "REF FIELD=VALUE...",
	 "change fields of a case (all or nothing)"},
	{"case", "fields", cmd_case_fields, "",
	 "list the fields of a case and what they take"},
	{"case", "submit", cmd_case_step, "REF",
	 "send the application for a supervisor's approval"},
	{"case", "approve", cmd_case_step, "REF",
	 "approve an application (a supervisor who did not create it)"},
	{"case", "return", cmd_case_step, "REF --reason TEXT",
	 "send an application back to its officer for changes (supervisor)"},
	{"case", "withdraw", cmd_case_step, "REF [--reason TEXT]",
	 "withdraw the application (reason needed once it was sent)"},
	{"case", "accept", cmd_case_step, "REF",
	 "accept an application (requested agency)"},
	{"case", "reject", cmd_case_step, "REF --reason TEXT",
	 "reject an application, with the reasons (requested agency)"},
	{"case", "extend", cmd_case_step, "REF --days N --reason TEXT",
	 "ask for more time to reply (requested agency)"},
	{"case", "issue", cmd_case_step, "REF --travel-doc NUMBER",
	 "record the travel document issued (requested agency)"},
	{"case", "schedule", cmd_case_step, "REF --date YYYY-MM-DD",
	 "schedule the transfer"},
	{"case", "transfer", cmd_case_step, "REF",
	 "record that the transfer took place"},
	{"case", "close", cmd_case_step, "REF [--reason TEXT]",
	 "close the case: after the transfer or a rejection; without a "
	 "transfer only a supervisor, with a reason"},
	{"doc", "add", cmd_doc_add, "REF FIELD=VALUE...",
	 "add an identity or travel document to a case"},
	{"note", "add", cmd_note_add, "REF TEXT|-", "add a note to a case"},
	{"note", "list", cmd_note_list, "REF [--why CODE]",
	 "list the notes of a case"},
	{"idcheck", "request", cmd_idcheck_request,
	 "REF --kind identity|nationality|document --question TEXT",
	 "ask the requested agency to check identity, nationality or a "
	 "document (after submission); prints its id"},
	{"idcheck", "answer", cmd_idcheck_answer,
	 "REF ID --answer confirmed|not_confirmed|interview_required "
	 "[--text TEXT]",
	 "answer an identity check, once (requested agency; a text unless "
	 "confirmed)"},
	{"idchecks", NULL, cmd_idchecks, "REF [--why CODE]",
	 "the identity checks of a case and their answers"},
	{"attach", NULL, cmd_attach,
	 "REF FILE [--kind scan|photo|fingerprints|other]",
	 "attach a file (stored by its SHA-256)"},
	{"attachments", NULL, cmd_attachments,
	 "REF [--format table|csv|json] [--why CODE]",
	 "list the attachments of a case"},
	{"agreement", "list", cmd_agreement_list, "",
	 "list readmission agreements and their time limits"},
	{"agreement", "show", cmd_agreement_show, "CODE", "show one agreement"},
	{"agreement", "set", cmd_agreement_set, "CODE FIELD=VALUE...",
	 "add or change an agreement (admin)"},
	{"agreement", "load", cmd_agreement_load, "FILE",
	 "load agreements and holidays from a JSON file (admin)"},
	{"holiday", "add", cmd_holiday_add, "COUNTRY YYYY-MM-DD [NAME]",
	 "add a public holiday (admin)"},
	{"outbox", NULL, cmd_outbox, "[--format table|json]",
	 "list the operations waiting to be sent to the exchange"},
	{"mrz", "check", cmd_mrz_check, "[LINE...]",
	 "check a machine readable zone (lines as arguments or on standard "
	 "input); exit 65 when it has errors"},
	{"mrz", "parse", cmd_mrz_parse, "[--json] [LINE...]",
	 "the fields of a machine readable zone as JSON"},
	{"mrz", "make", cmd_mrz_make,
	 "--json FILE [--format td1|td2|td3|mrva|mrvb]",
	 "write the machine readable zone of a person's document"},
	{"enroll", NULL, cmd_enroll, "--exchange URL --bundle DIR",
	 "enrol this workstation with the exchange (admin): its certificate "
	 "bundle and address"},
	{"sync", "status", cmd_sync_status, "",
	 "the exchange, the feed position, operations waiting, the last sync"},
	{"sync", NULL, cmd_sync, "[--watch [--interval SECONDS]] [--times]",
	 "send the outbox to the exchange and receive the agency's feed; "
	 "exit 75 when offline, 65 when operations were refused; --watch "
	 "keeps syncing; --times says how long each phase took"},
	{"conflicts", "list", cmd_conflicts_list, "",
	 "changes the exchange could not merge: mine and theirs, per field"},
	{"conflicts", "show", cmd_conflicts_show, "REF",
	 "the conflicts of one case"},
	{"conflicts", "resolve", cmd_conflicts_resolve,
	 "REF --field F --take mine|theirs | --value V",
	 "settle one field; the choice goes to the exchange on its current "
	 "revision"},
	{"audit", "list", cmd_audit_list,
	 "[--case REF | --exchange [WORKSTATION]]",
	 "list the audit log, or the exchange's copy of a workstation's"},
	{"audit", "verify", cmd_audit_verify, "",
	 "check the audit log's hash chain"},
	{"report", NULL, cmd_report,
	 "NAME [--from DATE] [--to DATE] [--agency A] [--country C] "
	 "[--officer U] [--format text|csv|pdf] [--width 80|132] [-o FILE] "
	 "[--print [QUEUE]] [--why CODE] | --list",
	 "make a report for supervisors; --list names them"},
	{"search", NULL, cmd_search,
	 "[--format table|json] [--limit N] [--offset N] [--open] "
	 "[--why CODE] QUERY...",
	 "find cases by a person's name in any script or spelling, a "
	 "document number or a reference; filters nat:PAK dob:1990 "
	 "status:submitted doc:AB123 ref:REF"},
	{"person", "same", cmd_person_decide, "REF OTHER",
	 "the persons of two cases are one person: linked"},
	{"person", "different", cmd_person_decide, "REF OTHER",
	 "the persons of two cases are not the same: not proposed again"},
	{"person", "forget", cmd_person_decide, "REF OTHER",
	 "forget the decision about two cases' persons"},
	{"duplicates", NULL, cmd_duplicates,
	 "REF [--format table|json] [--limit N] [--all] [--why CODE]",
	 "possible earlier cases of the person of a case, with the reasons "
	 "field by field"},
	{"purge", NULL, cmd_purge, "[--dry-run]",
	 "anonymise the agency's cases closed more than retention_days ago "
	 "(rcms.conf), here and through the exchange (admin); --dry-run "
	 "lists them (reference, closed on) and changes nothing"},
	{"roles", NULL, cmd_roles, "[--format table|csv|mdoc]",
	 "who may do what: each action, the roles allowed, its commands and "
	 "why the others are refused (the ROLES section of rcms(1))"},
	{"ui", NULL, cmd_ui, "[--why CODE]",
	 "open the full-screen workstation (also: rcms with no command on a "
	 "terminal)"},
	{NULL, NULL, NULL, NULL, NULL},
};

static const struct cli_cmd *current;

const struct cli_cmd *cli_current(void)
{
	return current;
}

/* ---- messages ------------------------------------------------------------ */

int cli_may(struct cli *cli, enum rcms_perm p)
{
	if (rcms_perm_check(p, cli->ctx.user.role, &cli->err))
		return cli_fail(cli, RCMS_ERR_PERMISSION);
	return 0;
}

int cli_fail(struct cli *cli, enum rcms_status st)
{
	if (cli->err.status == RCMS_OK)
		cli->err.status = st;
	fprintf(stderr, "%s: %s\n", cli->prog, rcms_err_msg(&cli->err));
	return rcms_status_exit(st ? st : cli->err.status);
}

void cli_cmd_help(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "usage: rcms %s%s%s %s\n  %s\n", cmd->name,
		cmd->sub ? " " : "", cmd->sub ? cmd->sub : "", cmd->usage,
		cmd->help);
}

int cli_usage(struct cli *cli, const struct cli_cmd *cmd, const char *fmt,
	      ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		cli_cmd_help(stderr, cmd);
	return EX_USAGE_;
}

static void usage_all(FILE *f)
{
	const struct cli_cmd *c;

	fprintf(f,
		"usage: rcms COMMAND [ARGS]\n"
		"       rcms COMMAND --help | rcms --help | rcms --version\n\n"
		"rcms keeps readmission cases in a local replica that works "
		"offline.\n\nCommands:\n");
	for (c = cli_commands; c->name; c++) {
		char name[40];
		snprintf(name, sizeof(name), "%s%s%s", c->name,
			 c->sub ? " " : "", c->sub ? c->sub : "");
		fprintf(f, "  %-18s %s\n", name, c->help);
	}
	fprintf(f,
		"\nExit status: 0 ok, 64 usage, 65 bad data, 69 unavailable,\n"
		"70 internal error, 71 out of memory, 74 I/O error,\n"
		"75 temporary failure, 77 permission denied,\n"
		"78 configuration error.\n"
		"See rcms(1) and rcms.conf(5).\n");
}

/* ---- paths and configuration -------------------------------------------- */

static int set_paths(struct cli *cli)
{
	const char *home = getenv("RCMS_HOME");
	const char *xdg_data = getenv("XDG_DATA_HOME");
	const char *xdg_conf = getenv("XDG_CONFIG_HOME");
	const char *h = getenv("HOME");
	int n1, n2;

	if (home && *home) {
		n1 = snprintf(cli->data_dir, sizeof(cli->data_dir), "%s", home);
		n2 = snprintf(cli->conf_path, sizeof(cli->conf_path),
			      "%s/rcms.conf", home);
	} else {
		if (!h || !*h) {
			fprintf(stderr, "%s: neither RCMS_HOME nor HOME is "
				"set\n", cli->prog);
			return EX_CONFIG_;
		}
		if (xdg_data && *xdg_data)
			n1 = snprintf(cli->data_dir, sizeof(cli->data_dir),
				      "%s/rcms", xdg_data);
		else
			n1 = snprintf(cli->data_dir, sizeof(cli->data_dir),
				      "%s/.local/share/rcms", h);
		if (xdg_conf && *xdg_conf)
			n2 = snprintf(cli->conf_path, sizeof(cli->conf_path),
				      "%s/rcms/rcms.conf", xdg_conf);
		else
			n2 = snprintf(cli->conf_path, sizeof(cli->conf_path),
				      "%s/.config/rcms/rcms.conf", h);
	}
	if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof(cli->data_dir) - 64 ||
	    (size_t)n2 >= sizeof(cli->conf_path)) {
		fprintf(stderr, "%s: the data folder's path is too long\n",
			cli->prog);
		return EX_CONFIG_;
	}
	snprintf(cli->db_path, sizeof(cli->db_path), "%s/rcms.db",
		 cli->data_dir);
	snprintf(cli->session_path, sizeof(cli->session_path), "%s/session",
		 cli->data_dir);
	return 0;
}

static int conf_int(struct cli *cli, const char *key, const char *val,
		    long long lo, long long hi, long long *out, int line)
{
	char *end = NULL;
	long long v;

	errno = 0;
	v = strtoll(val, &end, 10);
	if (errno || !end || *end || end == val || v < lo || v > hi) {
		fprintf(stderr, "%s: %s, line %d: %s must be a whole number "
			"from %lld to %lld\n", cli->prog, cli->conf_path, line,
			key, lo, hi);
		return EX_CONFIG_;
	}
	*out = v;
	return 0;
}

/* "sha256//" and 44 base64 characters (a SHA-256), ';' between several:
 * libcurl's CURLOPT_PINNEDPUBLICKEY. */
static bool pin_valid(const char *v)
{
	for (;;) {
		size_t i;
		if (strncmp(v, "sha256//", 8) != 0)
			return false;
		v += 8;
		for (i = 0; i < 44; i++) {
			char ch = v[i];
			if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
			      (ch >= '0' && ch <= '9') || ch == '+' ||
			      ch == '/' || (ch == '=' && i == 43)))
				return false;
		}
		if (v[43] != '=')
			return false;
		v += 44;
		if (*v == '\0')
			return true;
		if (*v++ != ';')
			return false;
	}
}

static int load_config(struct cli *cli)
{
	struct cli_config *c = &cli->conf;
	char line[8192];
	FILE *f;
	int n = 0, rc = 0;

	c->session_hours = 12;
	c->session_idle_minutes = 60;
	c->argon2_t_cost = 3;
	c->argon2_m_cost_kib = 65536;
	c->password_min_length = RCMS_PASSWORD_MIN_DEFAULT;
	c->max_login_failures = 5;
	c->lock_minutes = 15;
	c->idle_lock_minutes = 10;
	c->sync_interval = 300;
	c->sync_idle_timeout = 30;
	c->sync_page = 500;
	c->attachment_max_mb = 50;
	/* five years after closing: the agreements' procedures, appeals and
	 * the yearly statistics are done with long before; see rcms.conf(5) */
	c->retention_days = 1825;
	c->agreements_file[0] = '\0';
	rcms_justify_defaults(&c->justify);

	f = fopen(cli->conf_path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "%s: cannot read %s: %s\n", cli->prog,
			cli->conf_path, strerror(errno));
		return EX_CONFIG_;
	}
	while (fgets(line, sizeof(line), f)) {
		char *key, *val, *eq, *p;
		long long v = 0;

		n++;
		p = line + strlen(line);
		while (p > line && (p[-1] == '\n' || p[-1] == '\r' ||
				    p[-1] == ' ' || p[-1] == '\t'))
			*--p = '\0';
		key = line;
		while (*key == ' ' || *key == '\t')
			key++;
		if (*key == '\0' || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			fprintf(stderr, "%s: %s, line %d: expected KEY = VALUE\n",
				cli->prog, cli->conf_path, n);
			rc = EX_CONFIG_;
			break;
		}
		val = eq + 1;
		while (eq > key && (eq[-1] == ' ' || eq[-1] == '\t'))
			eq--;
		*eq = '\0';
		while (*val == ' ' || *val == '\t')
			val++;
		if (strcmp(key, "session_hours") == 0) {
			if ((rc = conf_int(cli, key, val, 1, 24 * 7, &v, n)))
				break;
			c->session_hours = (int)v;
		} else if (strcmp(key, "session_idle_minutes") == 0) {
			if ((rc = conf_int(cli, key, val, 1, 24 * 60, &v, n)))
				break;
			c->session_idle_minutes = (int)v;
		} else if (strcmp(key, "argon2_t_cost") == 0) {
			if ((rc = conf_int(cli, key, val, 1, 100, &v, n)))
				break;
			c->argon2_t_cost = (unsigned)v;
		} else if (strcmp(key, "argon2_m_cost_kib") == 0) {
			if ((rc = conf_int(cli, key, val, 8, 4194304, &v, n)))
				break;
			c->argon2_m_cost_kib = (unsigned)v;
		} else if (strcmp(key, "password_min_length") == 0) {
			if ((rc = conf_int(cli, key, val,
					   RCMS_PASSWORD_MIN_LOWEST,
					   RCMS_PASSWORD_MIN_HIGHEST, &v, n)))
				break;
			c->password_min_length = (unsigned)v;
		} else if (strcmp(key, "test_clock") == 0) {
			if (strcmp(val, "yes") == 0) {
				c->test_clock = true;
			} else if (strcmp(val, "no") == 0) {
				c->test_clock = false;
			} else {
				fprintf(stderr, "%s: %s, line %d: test_clock "
					"is yes or no\n", cli->prog,
					cli->conf_path, n);
				rc = EX_CONFIG_;
				break;
			}
		} else if (strcmp(key, "max_login_failures") == 0) {
			if ((rc = conf_int(cli, key, val, 1, 100, &v, n)))
				break;
			c->max_login_failures = (int)v;
		} else if (strcmp(key, "lock_minutes") == 0) {
			if ((rc = conf_int(cli, key, val, 1, 24 * 60, &v, n)))
				break;
			c->lock_minutes = (int)v;
		} else if (strcmp(key, "idle_lock") == 0) {
			if ((rc = conf_int(cli, key, val, 0, 24 * 60, &v, n)))
				break;
			c->idle_lock_minutes = (int)v;
		} else if (strcmp(key, "sync_idle_timeout") == 0) {
			if ((rc = conf_int(cli, key, val, 1, 600, &v, n)))
				break;
			c->sync_idle_timeout = (int)v;
		} else if (strcmp(key, "sync_page") == 0) {
			if ((rc = conf_int(cli, key, val, 10, 500, &v, n)))
				break;
			c->sync_page = (int)v;
		} else if (strcmp(key, "sync_interval") == 0) {
			if ((rc = conf_int(cli, key, val, 0, 86400, &v, n)))
				break;
			c->sync_interval = (int)v;
		} else if (strcmp(key, "attachment_max_mb") == 0) {
			if ((rc = conf_int(cli, key, val, 1, 4096, &v, n)))
				break;
			c->attachment_max_mb = v;
		} else if (strcmp(key, "retention_days") == 0) {
			if ((rc = conf_int(cli, key, val, 0, 36500, &v, n)))
				break;
			if (v != 0 && v < 365) {
				fprintf(stderr, "%s: %s, line %d: "
					"retention_days is 0 (never purge) "
					"or 365 to 36500\n", cli->prog,
					cli->conf_path, n);
				rc = EX_CONFIG_;
				break;
			}
			c->retention_days = (int)v;
		} else if (strcmp(key, "exchange_pin") == 0) {
			if (!pin_valid(val) ||
			    strlen(val) >= sizeof(c->exchange_pin)) {
				fprintf(stderr, "%s: %s, line %d: exchange_pin "
					"is sha256// and the key's SHA-256 in "
					"base64 (44 characters), several "
					"separated by ';' (see rcms.conf(5))\n",
					cli->prog, cli->conf_path, n);
				rc = EX_CONFIG_;
				break;
			}
			memcpy(c->exchange_pin, val, strlen(val) + 1);
		} else if (strcmp(key, "justifications") == 0) {
			struct rcms_err e;
			rcms_err_clear(&e);
			if (rcms_justify_parse(val, &c->justify, &e)) {
				fprintf(stderr, "%s: %s, line %d: %s (see "
					"rcms.conf(5))\n", cli->prog,
					cli->conf_path, n, rcms_err_msg(&e));
				rc = EX_CONFIG_;
				break;
			}
		} else if (strcmp(key, "agreements_file") == 0) {
			snprintf(c->agreements_file, sizeof(c->agreements_file),
				 "%s", val);
		} else {
			fprintf(stderr, "%s: %s, line %d: unknown setting "
				"'%s' (see rcms.conf(5))\n", cli->prog,
				cli->conf_path, n, key);
			rc = EX_CONFIG_;
			break;
		}
	}
	fclose(f);
	return rc;
}

/* ---- opening and authenticating ----------------------------------------- */

int64_t cli_now(void)
{
	return (int64_t)time(NULL);
}

/*
 * RCMS_TEST_NOW (UTC seconds) sets the clock of this run -- logins, locks,
 * sessions, audit entries -- but only on a replica made for tests (rcms.conf
 * had test_clock = yes at rcms init, which the init audit entry records).
 * Anywhere else it is an error, never ignored: a production replica never
 * runs on a clock from the environment, and never silently.
 */
static int test_now(struct cli *cli)
{
	const char *v = getenv("RCMS_TEST_NOW");
	char *end = NULL;
	long long t;

	if (!v || !*v)
		return 0;
	if (!db_test_clock(cli->db)) {
		rcms_err_set(&cli->err, RCMS_ERR_CONFIG, NULL,
			     "RCMS_TEST_NOW is set but this replica was not "
			     "made for tests (test_clock in rcms.conf(5) at "
			     "rcms init); unset it");
		return cli_fail(cli, RCMS_ERR_CONFIG);
	}
	errno = 0;
	t = strtoll(v, &end, 10);
	if (errno || !end || *end || end == v || t < 0 ||
	    t > 253402300799LL) {
		rcms_err_set(&cli->err, RCMS_ERR_CONFIG, NULL,
			     "RCMS_TEST_NOW must be UTC seconds since 1970");
		return cli_fail(cli, RCMS_ERR_CONFIG);
	}
	cli->ctx.now = (int64_t)t;
	return 0;
}

int cli_open_db(struct cli *cli, bool create)
{
	struct stat sb;
	enum rcms_status st;

	if (create) {
		if (mkdir(cli->data_dir, 0700) != 0 && errno != EEXIST) {
			rcms_err_set(&cli->err, RCMS_ERR_IO, NULL,
				     "cannot create the data folder %s: %s",
				     cli->data_dir, strerror(errno));
			return cli_fail(cli, RCMS_ERR_IO);
		}
		chmod(cli->data_dir, 0700);
	} else if (stat(cli->db_path, &sb) != 0) {
		rcms_err_set(&cli->err, RCMS_ERR_CONFIG, NULL,
			     "no case database in %s; run 'rcms init' first",
			     cli->data_dir);
		return cli_fail(cli, RCMS_ERR_CONFIG);
	}
	st = db_open(cli->db_path, cli->data_dir, create ? DB_OPEN_CREATE : 0,
		     &cli->db, &cli->err);
	if (st)
		return cli_fail(cli, st);
	cli->ctx.db = cli->db;
	cli->ctx.now = cli_now();
	return test_now(cli);
}

static int read_line_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	if (!fgets(buf, (int)size, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

int cli_read_password_file(struct cli *cli, const char *path, char *buf,
			   size_t size)
{
	if (read_line_file(path, buf, size) != 0) {
		rcms_err_set(&cli->err, RCMS_ERR_IO, NULL,
			     "cannot read the password from %s", path);
		return cli_fail(cli, RCMS_ERR_IO);
	}
	return 0;
}

int cli_read_password(struct cli *cli, const char *prompt, char *buf,
		      size_t size)
{
	const char *pf = getenv("RCMS_PASSWORD_FILE");
	struct termios old, quiet;
	FILE *tty;
	size_t n;
	int echo_off = 0;

	if (pf && *pf) {
		if (read_line_file(pf, buf, size) != 0) {
			rcms_err_set(&cli->err, RCMS_ERR_IO, NULL,
				     "cannot read the password from "
				     "RCMS_PASSWORD_FILE (%s)", pf);
			return cli_fail(cli, RCMS_ERR_IO);
		}
		return 0;
	}
	tty = fopen("/dev/tty", "r+");
	if (!tty) {
		rcms_err_set(&cli->err, RCMS_ERR_USAGE, NULL,
			     "no terminal to ask for the password; set "
			     "RCMS_PASSWORD_FILE");
		return cli_fail(cli, RCMS_ERR_USAGE);
	}
	fprintf(tty, "%s", prompt ? prompt : "Password: ");
	fflush(tty);
	if (tcgetattr(fileno(tty), &old) == 0) {
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		if (tcsetattr(fileno(tty), TCSAFLUSH, &quiet) == 0)
			echo_off = 1;
	}
	if (!fgets(buf, (int)size, tty))
		buf[0] = '\0';
	if (echo_off)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

/* The session file's second line, "why CODE", the standing purpose of
 * rcms login --why; kept only when the code is still in the list. */
static void read_session_why(struct cli *cli)
{
	char line[160];
	FILE *f = fopen(cli->session_path, "r");

	cli->session_why[0] = '\0';
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "why ", 4) == 0 &&
		    rcms_justify_find(&cli->conf.justify, line + 4))
			snprintf(cli->session_why, sizeof(cli->session_why),
				 "%.31s", line + 4);
	}
	fclose(f);
}

static void print_codes(struct cli *cli)
{
	size_t i;

	fprintf(stderr, "%s: the agency's justifications:\n", cli->prog);
	for (i = 0; i < cli->conf.justify.n; i++)
		fprintf(stderr, "  %-16s %s\n", cli->conf.justify.items[i].code,
			cli->conf.justify.items[i].label);
}

int cli_check_why(struct cli *cli, const char *code)
{
	char codes[RCMS_JUSTIFY_MAX * RCMS_JUSTIFY_CODE_LEN];

	if (rcms_justify_find(&cli->conf.justify, code))
		return 0;
	fprintf(stderr, "%s: '%.40s' is not one of the agency's "
		"justifications (%s)\n", cli->prog, code,
		rcms_justify_codes(&cli->conf.justify, codes, sizeof(codes)));
	print_codes(cli);
	return EX_USAGE_;
}

int cli_take_why(struct cli *cli, int *argc, char **argv)
{
	const char *code = NULL;
	int i, j = 1;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			for (; i < *argc; i++)
				argv[j++] = argv[i];
			break;
		}
		if (strcmp(argv[i], "--why") == 0) {
			if (i + 1 >= *argc)
				return cli_usage(cli, cli_current(),
						 "--why needs a code");
			code = argv[++i];
		} else if (strncmp(argv[i], "--why=", 6) == 0) {
			code = argv[i] + 6;
		} else {
			argv[j++] = argv[i];
		}
	}
	argv[j] = NULL;
	*argc = j;
	if (!code)
		return 0;
	if (cli_check_why(cli, code))
		return EX_USAGE_;
	snprintf(cli->why, sizeof(cli->why), "%s", code);
	return 0;
}

int cli_purpose(struct cli *cli)
{
	return cli_purpose_of(cli, NULL);
}

int cli_purpose_of(struct cli *cli, const char *what)
{
	/* a role that may not consult cases is refused for its role
	 * (db_case_viewed), not asked why */
	if (cli->why[0] ||
	    !rcms_perm_allows(RCMS_PERM_CASE_READ, cli->ctx.user.role))
		return 0;
	if (cli->session_why[0]) {
		snprintf(cli->why, sizeof(cli->why), "%s", cli->session_why);
		return 0;
	}
	fprintf(stderr, "%s: why do you consult %s? Say it with --why "
		"CODE, or for the session with 'rcms login --why CODE'\n",
		cli->prog, what ? what : "this case");
	print_codes(cli);
	return EX_USAGE_;
}

enum rcms_status cli_case_viewed(struct cli *cli, const struct rcms_case *c,
				 const char *what)
{
	return db_case_viewed(&cli->ctx, c, &cli->conf.justify, cli->why,
			      what, &cli->err);
}

enum rcms_status cli_cases_listed(struct cli *cli, const char *action,
				  const char *what, long n)
{
	return db_cases_listed(&cli->ctx, action, &cli->conf.justify,
			       cli->why, what, n, &cli->err);
}

int cli_open(struct cli *cli)
{
	const char *user = getenv("RCMS_USER");
	const char *pf = getenv("RCMS_PASSWORD_FILE");
	char token[128] = "";
	enum rcms_status st;
	int rc;

	if ((rc = cli_open_db(cli, false)))
		return rc;
	if (user && *user && pf && *pf) {
		/* scripts: authenticate each run */
		char pw[512];
		struct db_login_policy pol = {
			cli->conf.max_login_failures,
			(int64_t)cli->conf.lock_minutes * 60};
		if ((rc = cli_read_password(cli, NULL, pw, sizeof(pw))))
			return rc;
		st = db_login(cli->db, user, pw, &pol, cli->ctx.now,
			      &cli->ctx.user, &cli->err);
		memset(pw, 0, sizeof(pw));
		return st ? cli_fail(cli, st) : 0;
	}
	if (read_line_file(cli->session_path, token, sizeof(token)) != 0) {
		rcms_err_set(&cli->err, RCMS_ERR_AUTH, NULL,
			     "you are not logged in; run 'rcms login'");
		return cli_fail(cli, RCMS_ERR_AUTH);
	}
	read_session_why(cli);
	st = db_session_check(cli->db, token, cli->ctx.now,
			      (int64_t)cli->conf.session_idle_minutes * 60,
			      &cli->ctx.user, &cli->err);
	return st ? cli_fail(cli, st) : 0;
}

/* ---- small helpers -------------------------------------------------------- */

int cli_read_file(struct cli *cli, const char *path, size_t max, char **out,
		  size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (!f) {
		rcms_err_set(&cli->err, errno == ENOENT ? RCMS_ERR_NOT_FOUND
							 : RCMS_ERR_IO,
			     "file", "cannot open %s: %s", path,
			     strerror(errno));
		return cli_fail(cli, cli->err.status);
	}
	for (;;) {
		size_t r;
		if (n + 4096 + 1 > cap) {
			char *nb;
			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				if (f != stdin)
					fclose(f);
				rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL,
					     NULL);
				return cli_fail(cli, RCMS_ERR_NOMEM);
			}
			buf = nb;
		}
		r = fread(buf + n, 1, 4096, f);
		n += r;
		if (n > max) {
			free(buf);
			if (f != stdin)
				fclose(f);
			rcms_err_set(&cli->err, RCMS_ERR_INVALID, "file",
				     "%s is too large (more than %zu bytes)",
				     path, max);
			return cli_fail(cli, RCMS_ERR_INVALID);
		}
		if (r < 4096) {
			if (ferror(f)) {
				free(buf);
				if (f != stdin)
					fclose(f);
				rcms_err_set(&cli->err, RCMS_ERR_IO, "file",
					     "cannot read %s", path);
				return cli_fail(cli, RCMS_ERR_IO);
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
}

bool cli_split_assign(char *s, char **field, char **value)
{
	char *eq = strchr(s, '=');
	char *p;

	if (!eq || eq == s)
		return false;
	for (p = s; p < eq; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_' ||
		      (*p >= '0' && *p <= '9')))
			return false;
	*eq = '\0';
	*field = s;
	*value = eq + 1;
	return true;
}

int cli_parse_format(struct cli *cli, const char *s, enum cli_format *out)
{
	if (strcmp(s, "table") == 0)
		*out = CLI_TABLE;
	else if (strcmp(s, "csv") == 0)
		*out = CLI_CSV;
	else if (strcmp(s, "json") == 0)
		*out = CLI_JSON;
	else
		return cli_usage(cli, cli_current(),
				 "unknown format '%s': use table, csv or json",
				 s);
	return 0;
}

void cli_csv_field(FILE *f, const char *s, bool last)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}

void cli_put_col(FILE *f, const char *s, size_t width)
{
	size_t bytes = rcms_utf8_clip(s, strlen(s), width);
	char tmp[1024];
	size_t w;

	if (bytes >= sizeof(tmp))
		bytes = sizeof(tmp) - 1;
	memcpy(tmp, s, bytes);
	tmp[bytes] = '\0';
	w = rcms_utf8_width(tmp);
	fputs(tmp, f);
	while (w++ < width)
		fputc(' ', f);
}

/* ---- main ----------------------------------------------------------------- */

int rcms_cli_main(int argc, char **argv)
{
	struct cli cli;
	const struct cli_cmd *c, *match = NULL;
	int i, rc, skip;
	bool group_found = false;

	memset(&cli, 0, sizeof(cli));
	cli.prog = "rcms";
	/* personal data: nothing we create is readable by others (the
	 * database's -wal and -shm files, blobs, the session) */
	umask(077);
	if (argc < 2 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		static char prog[] = "rcms", ui[] = "ui";
		static char *ui_argv[] = {prog, ui, NULL};
		argc = 2;
		argv = ui_argv;
	}
	if (argc < 2) {
		usage_all(stderr);
		return EX_USAGE_;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage_all(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("rcms %s (schema %d)\n", RCMS_VERSION,
		       DB_SCHEMA_VERSION);
		return 0;
	}
	for (c = cli_commands; c->name; c++) {
		if (strcmp(c->name, argv[1]) != 0)
			continue;
		group_found = true;
		if (!c->sub) {
			match = c;
			break;
		}
		if (argc > 2 && strcmp(c->sub, argv[2]) == 0) {
			match = c;
			break;
		}
	}
	if (!match) {
		if (group_found) {
			fprintf(stderr, "%s: '%s' needs one of:", cli.prog,
				argv[1]);
			for (c = cli_commands; c->name; c++)
				if (strcmp(c->name, argv[1]) == 0)
					fprintf(stderr, " %s", c->sub);
			fputc('\n', stderr);
			if (argc > 2 && (strcmp(argv[2], "--help") == 0 ||
					 strcmp(argv[2], "-h") == 0)) {
				for (c = cli_commands; c->name; c++)
					if (strcmp(c->name, argv[1]) == 0)
						cli_cmd_help(stdout, c);
				return 0;
			}
			return EX_USAGE_;
		}
		fprintf(stderr, "%s: unknown command '%s'; see 'rcms --help'\n",
			cli.prog, argv[1]);
		return EX_USAGE_;
	}
	current = match;
	skip = match->sub ? 2 : 1;
	for (i = skip + 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			cli_cmd_help(stdout, match);
			return 0;
		}
	}
	if ((rc = set_paths(&cli)) || (rc = load_config(&cli)))
		return rc;
	rc = match->run(&cli, argc - skip, argv + skip);
	db_close(&cli.db);
	if (fflush(stdout) != 0 && rc == 0) {
		fprintf(stderr, "%s: cannot write the output: %s\n", cli.prog,
			strerror(errno));
		rc = EX_IOERR_;
	}
	return rc;
}
