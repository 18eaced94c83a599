/* cmd_admin.c - rcms init, login, logout, whoami, status, user ... */
#include "cli/cli_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A new password: from RCMS_NEW_PASSWORD_FILE, else RCMS_PASSWORD_FILE
 * (simple scripts), else asked twice on the terminal.
 */
static int new_password(struct cli *cli, char *buf, size_t size)
{
	const char *npf = getenv("RCMS_NEW_PASSWORD_FILE");
	char again[512];
	int rc;

	if (npf && *npf) {
		if ((rc = cli_read_password_file(cli, npf, buf, size)))
			return rc;
		return 0;
	}
	if ((rc = cli_read_password(cli, "New password: ", buf, size)))
		return rc;
	if (getenv("RCMS_PASSWORD_FILE") && *getenv("RCMS_PASSWORD_FILE"))
		return 0;
	if ((rc = cli_read_password(cli, "Repeat it: ", again, sizeof(again))))
		return rc;
	if (strcmp(buf, again) != 0) {
		memset(again, 0, sizeof(again));
		rcms_err_set(&cli->err, RCMS_ERR_INVALID, "password",
			     "the two passwords differ; nothing was changed");
		return cli_fail(cli, RCMS_ERR_INVALID);
	}
	memset(again, 0, sizeof(again));
	return 0;
}

/* The agreements file: --agreements, agreements_file, then the installed
 * and the source tree's data/agreements.json. */
static const char *agreements_path(struct cli *cli, const char *given)
{
	static const char *const candidates[] = {
		RCMS_DATADIR "/agreements.json",
		"data/agreements.json",
	};
	size_t i;

	if (given)
		return given;
	if (cli->conf.agreements_file[0])
		return cli->conf.agreements_file;
	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++)
		if (access(candidates[i], R_OK) == 0)
			return candidates[i];
	return NULL;
}

int cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"agency", required_argument, NULL, 'a'},
		{"agency-name", required_argument, NULL, 'n'},
		{"workstation", required_argument, NULL, 'w'},
		{"admin", required_argument, NULL, 'u'},
		{"admin-name", required_argument, NULL, 'N'},
		{"agreements", required_argument, NULL, 'g'},
		{"exchange", required_argument, NULL, 'x'},
		{"enroll", required_argument, NULL, 'e'},
		{NULL, 0, NULL, 0},
	};
	const char *xurl = NULL, *xbundle = NULL;
	struct db_init_args a;
	struct rcms_agreement *agr = NULL;
	struct rcms_holiday *hol = NULL;
	size_t nagr = 0, nhol = 0;
	const char *agr_file = NULL;
	char pw[512], *json = NULL;
	struct stat sb;
	enum rcms_status st;
	int o, rc;

	memset(&a, 0, sizeof(a));
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'a': a.agency = optarg; break;
		case 'n': a.agency_name = optarg; break;
		case 'w': a.workstation = optarg; break;
		case 'u': a.admin_user = optarg; break;
		case 'N': a.admin_full_name = optarg; break;
		case 'g': agr_file = optarg; break;
		case 'x': xurl = optarg; break;
		case 'e': xbundle = optarg; break;
		default:
			return cli_usage(cli, cli_current(), "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage(cli, cli_current(), "unexpected '%s'",
				 argv[optind]);
	if (!a.agency || !a.workstation || !a.admin_user)
		return cli_usage(cli, cli_current(),
				 "--agency, --workstation and --admin are "
				 "needed");
	if (!xurl != !xbundle)
		return cli_usage(cli, cli_current(),
				 "--exchange and --enroll go together");
	if (stat(cli->db_path, &sb) == 0) {
		rcms_err_set(&cli->err, RCMS_ERR_EXISTS, NULL,
			     "a case database already exists at %s; "
			     "nothing was changed", cli->db_path);
		return cli_fail(cli, RCMS_ERR_EXISTS);
	}
	/* check what we can before creating anything */
	if (rcms_agency_code_check(a.agency, "agency", &cli->err))
		return cli_fail(cli, RCMS_ERR_INVALID);
	agr_file = agreements_path(cli, agr_file);
	if (!agr_file) {
		rcms_err_set(&cli->err, RCMS_ERR_CONFIG, NULL,
			     "no agreements file found; give --agreements "
			     "FILE");
		return cli_fail(cli, RCMS_ERR_CONFIG);
	}
	if ((rc = cli_read_file(cli, agr_file, 4 << 20, &json, NULL)))
		return rc;
	rc = cli_agreements_parse(cli, json, &agr, &nagr, &hol, &nhol);
	free(json);
	if (rc)
		return rc;
	if ((rc = new_password(cli, pw, sizeof(pw))))
		goto out;
	a.admin_password = pw;
	a.agreements = agr;
	a.n_agreements = nagr;
	a.holidays = hol;
	a.n_holidays = nhol;
	a.argon2_t_cost = cli->conf.argon2_t_cost;
	a.argon2_m_cost_kib = cli->conf.argon2_m_cost_kib;
	a.password_min_chars = cli->conf.password_min_length;
	a.test_clock = cli->conf.test_clock;
	a.now = cli_now();
	if ((rc = cli_open_db(cli, true)))
		goto out;
	st = db_init(cli->db, &a, &cli->err);
	if (st) {
		/* leave no half-made replica behind */
		char path[4300];
		db_close(&cli->db);
		unlink(cli->db_path);
		snprintf(path, sizeof(path), "%s-wal", cli->db_path);
		unlink(path);
		snprintf(path, sizeof(path), "%s-shm", cli->db_path);
		unlink(path);
		rc = cli_fail(cli, st);
		goto out;
	}
	printf("initialised %s workstation %s in %s (%zu agreements, %zu "
	       "holidays)\n", a.agency, a.workstation, cli->data_dir, nagr,
	       nhol);
	rc = 0;
	if (xurl) {
		/* enrol as the new administrator */
		if (db_user_get(cli->db, a.admin_user, &cli->ctx.user,
				&cli->err)) {
			rc = cli_fail(cli, cli->err.status);
			goto out;
		}
		rc = cli_enroll(cli, xurl, xbundle);
	}
out:
	memset(pw, 0, sizeof(pw));
	free(agr);
	free(hol);
	return rc;
}

static int write_session(struct cli *cli, const char *token)
{
	char tmp[4300];
	int fd;
	ssize_t w;

	snprintf(tmp, sizeof(tmp), "%s.tmp", cli->session_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		goto fail;
	w = write(fd, token, strlen(token));
	if (w != (ssize_t)strlen(token) || write(fd, "\n", 1) != 1 ||
	    (cli->why[0] &&
	     (write(fd, "why ", 4) != 4 ||
	      write(fd, cli->why, strlen(cli->why)) !=
		      (ssize_t)strlen(cli->why) ||
	      write(fd, "\n", 1) != 1)) ||
	    fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		goto fail;
	}
	close(fd);
	if (rename(tmp, cli->session_path) != 0) {
		unlink(tmp);
		goto fail;
	}
	return 0;
fail:
	rcms_err_set(&cli->err, RCMS_ERR_IO, NULL,
		     "cannot save the session in %s: %s", cli->data_dir,
		     strerror(errno));
	return cli_fail(cli, RCMS_ERR_IO);
}

int cmd_login(struct cli *cli, int argc, char **argv)
{
	struct db_login_policy pol;
	char pw[512], token[65], user[RCMS_USER_LEN];
	const char *name;
	enum rcms_status st;
	int rc;

	if ((rc = cli_take_why(cli, &argc, argv)))
		return rc;
	if (argc > 2)
		return cli_usage(cli, cli_current(), "one user at a time");
	name = argc == 2 ? argv[1] : getenv("RCMS_USER");
	if (!name || !*name) {
		const char *u = getenv("USER");
		name = u;
	}
	if (!name || !*name)
		return cli_usage(cli, cli_current(), "which user?");
	snprintf(user, sizeof(user), "%s", name);
	if ((rc = cli_open_db(cli, false)))
		return rc;
	if ((rc = cli_read_password(cli, "Password: ", pw, sizeof(pw))))
		return rc;
	pol.max_failures = cli->conf.max_login_failures;
	pol.lock_seconds = (int64_t)cli->conf.lock_minutes * 60;
	st = db_login(cli->db, user, pw, &pol, cli->ctx.now, &cli->ctx.user,
		      &cli->err);
	memset(pw, 0, sizeof(pw));
	if (st)
		return cli_fail(cli, st);
	st = db_session_open(&cli->ctx,
			     cli->ctx.now +
				     (int64_t)cli->conf.session_hours * 3600,
			     token, &cli->err);
	if (st)
		return cli_fail(cli, st);
	rc = write_session(cli, token);
	memset(token, 0, sizeof(token));
	if (rc)
		return rc;
	printf("logged in as %s (%s, %s)\n", cli->ctx.user.username,
	       rcms_enum_name(rcms_role_names, (int)cli->ctx.user.role),
	       cli->ctx.user.agency);
	if (cli->why[0])
		printf("consulting cases for: %s (%s)\n", cli->why,
		       rcms_justify_find(&cli->conf.justify, cli->why)->label);
	return 0;
}

int cmd_logout(struct cli *cli, int argc, char **argv)
{
	char token[128] = "";
	FILE *f;
	int rc;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, cli_current(), "no arguments");
	if ((rc = cli_open_db(cli, false)))
		return rc;
	f = fopen(cli->session_path, "r");
	if (f) {
		if (fgets(token, sizeof(token), f))
			token[strcspn(token, "\r\n")] = '\0';
		fclose(f);
		db_session_close(cli->db, token, NULL);
		unlink(cli->session_path);
	}
	printf("logged out\n");
	return 0;
}

int cmd_whoami(struct cli *cli, int argc, char **argv)
{
	struct db_identity id;
	int rc;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, cli_current(), "no arguments");
	if ((rc = cli_open(cli)))
		return rc;
	if (db_identity_get(cli->db, &id, &cli->err))
		return cli_fail(cli, cli->err.status);
	printf("%s (%s) %s, workstation %s of %s\n", cli->ctx.user.username,
	       cli->ctx.user.full_name,
	       rcms_enum_name(rcms_role_names, (int)cli->ctx.user.role),
	       id.workstation, id.agency);
	if (cli->session_why[0])
		printf("consulting cases for: %s (%s)\n", cli->session_why,
		       rcms_justify_find(&cli->conf.justify,
					 cli->session_why)->label);
	else
		printf("consulting cases for: no standing purpose (each "
		       "command's --why)\n");
	if (db_test_clock(cli->db))
		printf("a replica for tests: RCMS_TEST_NOW sets its clock\n");
	return 0;
}

int cmd_status(struct cli *cli, int argc, char **argv)
{
	int64_t counts[RCMS_CS__COUNT], pending = 0, total = 0;
	int i, rc;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, cli_current(), "no arguments");
	if ((rc = cli_open(cli)))
		return rc;
	if (db_case_counts(cli->db, counts, &cli->err) ||
	    db_outbox_count(cli->db, "pending", &pending, &cli->err))
		return cli_fail(cli, cli->err.status);
	for (i = 0; i < RCMS_CS__COUNT; i++) {
		if (!counts[i])
			continue;
		printf("%-24s %8lld\n",
		       rcms_enum_label(rcms_case_status_names, i),
		       (long long)counts[i]);
		total += counts[i];
	}
	printf("%-24s %8lld\n", "cases", (long long)total);
	printf("%-24s %8lld\n", "operations to send", (long long)pending);
	return 0;
}

/* ---- users ----------------------------------------------------------------- */

int cmd_user_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"full-name", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	struct db_user u;
	struct db_password_cost cost;
	char pw[512];
	enum rcms_status st;
	int o, rc, v;
	bool role_set = false;

	memset(&u, 0, sizeof(u));
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			if (rcms_enum_parse(rcms_role_names, optarg, &v))
				return cli_usage(cli, cli_current(),
						 "role must be officer, "
						 "supervisor or admin");
			u.role = (enum rcms_role)v;
			role_set = true;
			break;
		case 'n':
			if (rcms_copy(u.full_name, sizeof(u.full_name), optarg,
				      "full name", &cli->err))
				return cli_fail(cli, RCMS_ERR_INVALID);
			break;
		default:
			return cli_usage(cli, cli_current(), "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage(cli, cli_current(), "give one user name");
	if (!role_set)
		return cli_usage(cli, cli_current(), "--role is needed");
	snprintf(u.username, sizeof(u.username), "%s", argv[optind]);
	if (strlen(argv[optind]) >= sizeof(u.username))
		return cli_usage(cli, cli_current(), "user name too long");
	if ((rc = cli_open(cli)))
		return rc;
	/* before the password is asked for */
	if ((rc = cli_may(cli, RCMS_PERM_USER_MANAGE)))
		return rc;
	if ((rc = new_password(cli, pw, sizeof(pw))))
		return rc;
	cost.t_cost = cli->conf.argon2_t_cost;
	cost.m_cost_kib = cli->conf.argon2_m_cost_kib;
	cost.min_chars = cli->conf.password_min_length;
	st = db_user_add(&cli->ctx, &u, pw, &cost, &cli->err);
	memset(pw, 0, sizeof(pw));
	if (st)
		return cli_fail(cli, st);
	printf("added %s (%s)\n", u.username,
	       rcms_enum_name(rcms_role_names, (int)u.role));
	return 0;
}

struct ulist {
	enum cli_format fmt;
	struct rcms_jsonw w;
};

static int user_row(const struct db_user *u, void *arg)
{
	struct ulist *ul = arg;
	const char *role = rcms_enum_name(rcms_role_names, (int)u->role);

	switch (ul->fmt) {
	case CLI_TABLE:
		cli_put_col(stdout, u->username, 20);
		fputc(' ', stdout);
		cli_put_col(stdout, role, 11);
		fputc(' ', stdout);
		cli_put_col(stdout, u->enabled ? "enabled" : "disabled", 9);
		fputc(' ', stdout);
		fputs(u->full_name, stdout);
		fputc('\n', stdout);
		break;
	case CLI_CSV:
		cli_csv_field(stdout, u->username, false);
		cli_csv_field(stdout, role, false);
		cli_csv_field(stdout, u->enabled ? "yes" : "no", false);
		cli_csv_field(stdout, u->full_name, true);
		break;
	case CLI_JSON:
		rcms_jsonw_obj_begin(&ul->w);
		rcms_jsonw_kstr(&ul->w, "username", u->username);
		rcms_jsonw_kstr(&ul->w, "role", role);
		rcms_jsonw_kbool(&ul->w, "enabled", u->enabled);
		rcms_jsonw_kstr(&ul->w, "full_name", u->full_name);
		rcms_jsonw_kstr(&ul->w, "agency", u->agency);
		rcms_jsonw_obj_end(&ul->w);
		break;
	}
	return 0;
}

int cmd_user_list(struct cli *cli, int argc, char **argv)
{
	struct ulist ul;
	enum rcms_status st;
	int rc;

	memset(&ul, 0, sizeof(ul));
	if (argc == 3 && strcmp(argv[1], "--format") == 0) {
		if ((rc = cli_parse_format(cli, argv[2], &ul.fmt)))
			return rc;
	} else if (argc != 1) {
		return cli_usage(cli, cli_current(), "unexpected arguments");
	}
	if ((rc = cli_open(cli)))
		return rc;
	if (ul.fmt == CLI_CSV)
		fputs("username,role,enabled,full_name\r\n", stdout);
	if (ul.fmt == CLI_JSON) {
		rcms_jsonw_init(&ul.w);
		rcms_jsonw_arr_begin(&ul.w);
	}
	st = db_user_list(&cli->ctx, user_row, &ul, &cli->err);
	if (ul.fmt == CLI_JSON) {
		rcms_jsonw_arr_end(&ul.w);
		if (!st)
			printf("%s\n", ul.w.buf);
		rcms_jsonw_free(&ul.w);
	}
	return st ? cli_fail(cli, st) : 0;
}

int cmd_user_passwd(struct cli *cli, int argc, char **argv)
{
	struct db_password_cost cost;
	char pw[512];
	const char *who;
	enum rcms_status st;
	int rc;

	if (argc > 2)
		return cli_usage(cli, cli_current(), "one user at a time");
	if ((rc = cli_open(cli)))
		return rc;
	who = argc == 2 ? argv[1] : cli->ctx.user.username;
	if ((rc = new_password(cli, pw, sizeof(pw))))
		return rc;
	cost.t_cost = cli->conf.argon2_t_cost;
	cost.m_cost_kib = cli->conf.argon2_m_cost_kib;
	cost.min_chars = cli->conf.password_min_length;
	st = db_user_passwd(&cli->ctx, who, pw, &cost, &cli->err);
	memset(pw, 0, sizeof(pw));
	if (st)
		return cli_fail(cli, st);
	printf("password of %s changed\n", who);
	return 0;
}

static int user_enable(struct cli *cli, int argc, char **argv, bool on)
{
	enum rcms_status st;
	int rc;

	if (argc != 2)
		return cli_usage(cli, cli_current(), "give one user name");
	if ((rc = cli_open(cli)))
		return rc;
	st = db_user_enable(&cli->ctx, argv[1], on, &cli->err);
	if (st)
		return cli_fail(cli, st);
	printf("%s %s\n", argv[1], on ? "enabled" : "disabled");
	return 0;
}

int cmd_user_enable(struct cli *cli, int argc, char **argv)
{
	return user_enable(cli, argc, argv, true);
}

int cmd_user_disable(struct cli *cli, int argc, char **argv)
{
	return user_enable(cli, argc, argv, false);
}

int cmd_user_edit(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"full-name", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	const char *full = NULL;
	enum rcms_status st;
	int o, rc, role = -1, v;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			if (rcms_enum_parse(rcms_role_names, optarg, &v))
				return cli_usage(cli, cli_current(),
						 "role must be officer, "
						 "supervisor or admin");
			role = v;
			break;
		case 'n':
			full = optarg;
			break;
		default:
			return cli_usage(cli, cli_current(), "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage(cli, cli_current(), "give one user name");
	if (!full && role < 0)
		return cli_usage(cli, cli_current(),
				 "say what changes: --full-name or --role");
	if ((rc = cli_open(cli)))
		return rc;
	st = db_user_edit(&cli->ctx, argv[optind], full, role, &cli->err);
	if (st)
		return cli_fail(cli, st);
	printf("%s changed\n", argv[optind]);
	return 0;
}
