/* cli_priv.h - the insides of the command line. */
#ifndef RCMS_CLI_CLI_PRIV_H
#define RCMS_CLI_CLI_PRIV_H

#include <stdbool.h>
#include <stdio.h>

#include "app/app.h"
#include "app/justify.h"
#include "db/db.h"

/* Exit codes (sysexits). */
enum {
	EX_OK_ = 0,
	EX_USAGE_ = 64,
	EX_DATAERR_ = 65,
	EX_UNAVAILABLE_ = 69,
	EX_SOFTWARE_ = 70,
	EX_IOERR_ = 74,
	EX_TEMPFAIL_ = 75,
	EX_NOPERM_ = 77,
	EX_CONFIG_ = 78
};

struct cli_config {
	int session_hours;          /* a login lasts at most this long */
	int session_idle_minutes;   /* and ends after this long unused */
	unsigned argon2_t_cost;
	unsigned argon2_m_cost_kib;
	unsigned password_min_length; /* characters a new password needs */
	int max_login_failures;
	int lock_minutes;
	int idle_lock_minutes;      /* the workstation locks when idle; 0 never */
	int sync_idle_timeout;      /* seconds without a byte end a request */
	int sync_page;              /* cases a page of the feed, 10-500 */
	int sync_interval;          /* the workstation syncs every so many
				       seconds; 0 only when asked */
	long long attachment_max_mb;
	int retention_days;         /* closed cases are purged after this
				       many days (rcms purge); 0 never */
	bool test_clock;            /* rcms init makes a replica for tests */
	char agreements_file[4096];
	/* the exchange's public key(s) pinned besides its CA:
	 * "sha256//BASE64[;sha256//BASE64...]", "" none */
	char exchange_pin[512];
	/* why a case may be consulted (justifications = ..., app/justify.h) */
	struct rcms_justify_list justify;
};

/* What every command gets: paths, configuration, and once opened, the
 * replica and the acting user. */
struct cli {
	char data_dir[4096];
	char conf_path[4096];
	char db_path[4200];
	char session_path[4200];
	struct cli_config conf;
	struct rcms_db *db;          /* owned */
	struct db_ctx ctx;
	struct rcms_err err;
	const char *prog;
	/* the purpose of consulting cases: --why, else the session's
	 * (rcms login --why), "" none */
	char why[RCMS_JUSTIFY_CODE_LEN];
	char session_why[RCMS_JUSTIFY_CODE_LEN];
};

struct cli_cmd {
	const char *name;            /* "case" */
	const char *sub;             /* "list", or NULL for a single command */
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;           /* "[--status S] [--limit N]" */
	const char *help;            /* one line */
};

extern const struct cli_cmd cli_commands[];

/* Print "rcms: message" for err and return its exit code. */
int cli_fail(struct cli *cli, enum rcms_status st);
/* 0 when the logged-in user's role may take p (app/perm.h); else print
 * the table's reason and return 77. */
int cli_may(struct cli *cli, enum rcms_perm p);
/* Print a usage error for the command and return 64. */
int cli_usage(struct cli *cli, const struct cli_cmd *cmd, const char *fmt,
	      ...) __attribute__((format(printf, 3, 4)));
/* The command being run (for its usage line). */
const struct cli_cmd *cli_current(void);
/* Print the help of one command. */
void cli_cmd_help(FILE *f, const struct cli_cmd *cmd);

/* Take --why CODE (or --why=CODE) out of argv, anywhere before "--",
 * into cli->why: 0, or 64 with the codes listed when CODE is not one of
 * the agency's justifications. */
int cli_take_why(struct cli *cli, int *argc, char **argv);
/* Is the code valid (in the agency's list)? Else print the message and
 * the codes, and return 64. */
int cli_check_why(struct cli *cli, const char *code);
/* After cli_open: 0 when a purpose is known (--why or the session's), else
 * print why the command refuses, with the codes, and return 64. */
int cli_purpose(struct cli *cli);
/* The same for what is consulted ("these cases"; NULL: "this case"). */
int cli_purpose_of(struct cli *cli, const char *what);
/* Record the consultation of c by the command what ("case show") with the
 * purpose of cli_purpose (db_case_viewed: "processing: case show"). */
enum rcms_status cli_case_viewed(struct cli *cli, const struct rcms_case *c,
				 const char *what);
/* Record the consultation of a list of n cases by the command what
 * ("case list") as one entry action ("case.list"; db_cases_listed:
 * "processing: case list (12 cases)"). */
enum rcms_status cli_cases_listed(struct cli *cli, const char *action,
				  const char *what, long n);
/* Open the replica (it must exist) and authenticate the user. */
int cli_open(struct cli *cli);
/* Open the replica without a user (init, login). */
int cli_open_db(struct cli *cli, bool create);
/* Read a password: from RCMS_PASSWORD_FILE, else from the terminal
 * without echo.  prompt may be NULL. */
int cli_read_password(struct cli *cli, const char *prompt, char *buf,
		      size_t size);
/* Read the first line of a file as a password. */
int cli_read_password_file(struct cli *cli, const char *path, char *buf,
			   size_t size);
/* The current UTC time. */
int64_t cli_now(void);
/* Read a whole file (or "-" for stdin) into a NUL-terminated buffer, at
 * most max bytes. */
int cli_read_file(struct cli *cli, const char *path, size_t max, char **out,
		  size_t *len);

/* Is s a FIELD=VALUE argument? Splits it in place. */
bool cli_split_assign(char *s, char **field, char **value);

/* Output formats. */
enum cli_format { CLI_TABLE, CLI_CSV, CLI_JSON };
int cli_parse_format(struct cli *cli, const char *s, enum cli_format *out);
/* Write a CSV field (RFC 4180). */
void cli_csv_field(FILE *f, const char *s, bool last);
/* Print text padded/clipped to a column width in terminal cells. */
void cli_put_col(FILE *f, const char *s, size_t width);

/* Commands (one file each). */
int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_roles(struct cli *cli, int argc, char **argv);
int cmd_purge(struct cli *cli, int argc, char **argv);
int cmd_login(struct cli *cli, int argc, char **argv);
int cmd_logout(struct cli *cli, int argc, char **argv);
int cmd_whoami(struct cli *cli, int argc, char **argv);
int cmd_user_add(struct cli *cli, int argc, char **argv);
int cmd_user_list(struct cli *cli, int argc, char **argv);
int cmd_user_passwd(struct cli *cli, int argc, char **argv);
int cmd_user_enable(struct cli *cli, int argc, char **argv);
int cmd_user_disable(struct cli *cli, int argc, char **argv);
int cmd_user_edit(struct cli *cli, int argc, char **argv);
int cmd_ws_list(struct cli *cli, int argc, char **argv);
int cmd_ws_retire(struct cli *cli, int argc, char **argv);
int cmd_case_new(struct cli *cli, int argc, char **argv);
int cmd_case_list(struct cli *cli, int argc, char **argv);
int cmd_case_show(struct cli *cli, int argc, char **argv);
int cmd_case_edit(struct cli *cli, int argc, char **argv);
int cmd_case_fields(struct cli *cli, int argc, char **argv);
int cmd_case_step(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
/* The sync configuration of an opened replica: the exchange's URL from
 * its enrolment, the certificate, key and CA in its tls folder; a
 * message and an exit status when it is not enrolled. */
struct sync_conf;
int cli_sync_conf(struct cli *cli, struct sync_conf *c);
int cmd_ui(struct cli *cli, int argc, char **argv);
/* One field of a change the exchange could not merge (borrowed). */
struct cli_conflict {
	const char *case_id;
	const char *ref;          /* the case's reference */
	const char *field;
	const char *mine;         /* the value this workstation sent */
	const char *theirs;       /* the exchange's */
};
/* Each conflicting field, of one case (case_id) or of all (NULL), oldest
 * first, to fn (nonzero stops); nothing is printed, a failure is left in
 * cli->err.  The workstation's conflicts screen and `rcms conflicts`. */
enum rcms_status cli_conflicts_each(struct cli *cli, const char *case_id,
				    int (*fn)(const struct cli_conflict *c,
					      void *arg),
				    void *arg);
/* Settle field of case_id: take "mine" or "theirs", or (take NULL)
 * value; the value kept into settled (may be NULL).  It goes to the
 * exchange with the next sync. */
enum rcms_status cli_conflict_settle(struct cli *cli, const char *case_id,
				     const char *field, const char *take,
				     const char *value, char *settled,
				     size_t size);
int cmd_doc_add(struct cli *cli, int argc, char **argv);
int cmd_note_add(struct cli *cli, int argc, char **argv);
int cmd_note_list(struct cli *cli, int argc, char **argv);
int cmd_attach(struct cli *cli, int argc, char **argv);
int cmd_attachments(struct cli *cli, int argc, char **argv);
int cmd_agreement_list(struct cli *cli, int argc, char **argv);
int cmd_agreement_show(struct cli *cli, int argc, char **argv);
int cmd_agreement_set(struct cli *cli, int argc, char **argv);
int cmd_agreement_load(struct cli *cli, int argc, char **argv);
int cmd_holiday_add(struct cli *cli, int argc, char **argv);
int cmd_outbox(struct cli *cli, int argc, char **argv);
int cmd_audit_list(struct cli *cli, int argc, char **argv);
int cmd_audit_verify(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);
int cmd_enroll(struct cli *cli, int argc, char **argv);
int cmd_idcheck_request(struct cli *cli, int argc, char **argv);
int cmd_idcheck_answer(struct cli *cli, int argc, char **argv);
int cmd_idchecks(struct cli *cli, int argc, char **argv);
/* Enrol the open replica (its user an admin) with an exchange. */
int cli_enroll(struct cli *cli, const char *url, const char *bundle);
int cmd_conflicts_list(struct cli *cli, int argc, char **argv);
int cmd_conflicts_show(struct cli *cli, int argc, char **argv);
int cmd_conflicts_resolve(struct cli *cli, int argc, char **argv);
int cmd_sync(struct cli *cli, int argc, char **argv);
int cmd_sync_status(struct cli *cli, int argc, char **argv);
int cmd_search(struct cli *cli, int argc, char **argv);
int cmd_duplicates(struct cli *cli, int argc, char **argv);
int cmd_person_decide(struct cli *cli, int argc, char **argv);
/* A candidate of db_duplicates as rcms duplicates --format json writes
 * it (one object into w); its score in whole per cent; its verdicts as a
 * line ("name match, birth date compatible, ..."), into buf. */
void cli_dup_json(struct rcms_jsonw *w, const struct db_dup_hit *h);
int cli_dup_percent(const struct db_dup_hit *h);
const char *cli_dup_reasons(const struct db_dup_hit *h, char *buf,
			    size_t size);
int cmd_mrz_check(struct cli *cli, int argc, char **argv);
int cmd_mrz_parse(struct cli *cli, int argc, char **argv);
int cmd_mrz_make(struct cli *cli, int argc, char **argv);
/* case new --mrz: fill c's person and d from the zone in path. */
int cli_case_from_mrz(struct cli *cli, const char *path, struct rcms_case *c,
		      struct rcms_document *d);

/* agreements.json: parse into arrays the caller frees with free(). */
int cli_agreements_parse(struct cli *cli, const char *json,
			 struct rcms_agreement **agr, size_t *nagr,
			 struct rcms_holiday **hol, size_t *nhol);

#endif
