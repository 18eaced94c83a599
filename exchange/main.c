/* main.c - the rcms-exchange command line. */
#include "exchange/exchange.h"
#include "exchange/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sync/wire.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rcms-exchange serve --config FILE\n"
		"       rcms-exchange agency add CODE [NAME] --config FILE\n"
		"       rcms-exchange agency list --config FILE\n"
		"       rcms-exchange reference load FILE --config FILE\n"
		"       rcms-exchange pki init DIR\n"
		"       rcms-exchange pki issue DIR WORKSTATION --agency CODE "
		"[--exchange URL]\n"
		"       rcms-exchange pki revoke DIR WORKSTATION [--agency CODE]\n"
		"       rcms-exchange pki server DIR HOSTNAME\n"
		"       rcms-exchange --help | --version\n\n"
		"The central exchange of rcms: HTTPS with client certificates;\n"
		"see rcms-exchange(8) and rcms-exchange.conf(5).\n");
}

static const char *config_arg(int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--config") == 0)
			return argv[i + 1];
	return NULL;
}

static int open_store(const char *cfg, struct xconfig *c,
		      struct xstore **s)
{
	struct rcms_err err;

	rcms_err_clear(&err);
	if (!cfg) {
		fprintf(stderr, "rcms-exchange: --config FILE is needed\n");
		return 64;
	}
	if (xconfig_load(c, cfg, &err) ||
	    xstore_sqlite.open(c->data_dir, s, &err)) {
		fprintf(stderr, "rcms-exchange: %s\n", rcms_err_msg(&err));
		return rcms_status_exit(err.status);
	}
	return 0;
}

static int print_agency(const struct rcms_agency *a, void *arg)
{
	(void)arg;
	printf("%-12s %-3s %s\n", a->code, a->country, a->name);
	return 0;
}

static int cmd_agency(int argc, char **argv)
{
	struct xconfig c;
	struct xstore *s = NULL;
	struct rcms_err err;
	struct rcms_agency a;
	const char *cfg = config_arg(argc, argv);
	int rc;

	rcms_err_clear(&err);
	if (argc < 3) {
		usage(stderr);
		return 64;
	}
	if ((rc = open_store(cfg, &c, &s)))
		return rc;
	if (strcmp(argv[2], "list") == 0) {
		rc = xstore_sqlite.agency_list(s, print_agency, NULL, &err)
			     ? 74 : 0;
	} else if (strcmp(argv[2], "add") == 0 && argc >= 4) {
		memset(&a, 0, sizeof(a));
		if (rcms_agency_code_check(argv[3], "agency", &err) ||
		    rcms_country_check2((char[3]){argv[3][0], argv[3][1], 0},
					"agency", a.country, &err)) {
			fprintf(stderr, "rcms-exchange: %s\n",
				rcms_err_msg(&err));
			xstore_sqlite.close(&s);
			return 65;
		}
		snprintf(a.code, sizeof(a.code), "%s", argv[3]);
		if (argc >= 5 && strcmp(argv[4], "--config") != 0)
			snprintf(a.name, sizeof(a.name), "%s", argv[4]);
		rc = xstore_sqlite.agency_put(s, &a, &err) ? 74 : 0;
		if (!rc)
			printf("agency %s added\n", a.code);
	} else {
		usage(stderr);
		rc = 64;
	}
	if (rc == 74)
		fprintf(stderr, "rcms-exchange: %s\n", rcms_err_msg(&err));
	xstore_sqlite.close(&s);
	return rc;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    n < 4 << 20 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n)
			buf[n] = '\0';
		else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static int cmd_reference(int argc, char **argv)
{
	struct xconfig c;
	struct xstore *s = NULL;
	struct rcms_err err;
	struct rcms_agreement *agr = NULL;
	struct rcms_holiday *hol = NULL;
	size_t na = 0, nh = 0, i;
	char *json;
	int rc;

	rcms_err_clear(&err);
	if (argc < 4 || strcmp(argv[2], "load") != 0) {
		usage(stderr);
		return 64;
	}
	json = slurp(argv[3]);
	if (!json) {
		fprintf(stderr, "rcms-exchange: cannot read %s\n", argv[3]);
		return 66;
	}
	if (wire_reference_parse(json, &agr, &na, &hol, &nh, &err)) {
		fprintf(stderr, "rcms-exchange: %s: %s\n", argv[3],
			rcms_err_msg(&err));
		free(json);
		return 65;
	}
	free(json);
	if ((rc = open_store(config_arg(argc, argv), &c, &s)))
		goto out;
	if (xstore_sqlite.begin(s, &err)) {
		rc = 74;
		goto out;
	}
	for (i = 0; i < na && !rc; i++)
		if (xstore_sqlite.agreement_put(s, &agr[i], &err))
			rc = 74;
	for (i = 0; i < nh && !rc; i++)
		if (xstore_sqlite.holiday_put(s, &hol[i], &err))
			rc = 74;
	if (rc || xstore_sqlite.commit(s, &err)) {
		xstore_sqlite.rollback(s);
		fprintf(stderr, "rcms-exchange: %s\n", rcms_err_msg(&err));
		rc = 74;
		goto out;
	}
	printf("loaded %zu agreements and %zu holidays\n", na, nh);
out:
	xstore_sqlite.close(&s);
	free(agr);
	free(hol);
	return rc;
}

/* pki: the openssl command line does the cryptography (pki.sh). */
static int cmd_pki(int argc, char **argv)
{
	static const char *const places[] = {
		RCMS_DATADIR "/rcms-exchange-pki",
		"exchange/pki.sh",
	};
	char **args;
	size_t i;
	int k;

	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		if (access(places[i], R_OK) != 0)
			continue;
		args = calloc((size_t)argc + 2, sizeof(*args));
		if (!args)
			return 71;
		args[0] = (char *)"sh";
		args[1] = (char *)places[i];
		for (k = 1; k < argc; k++)
			args[k + 1] = argv[k];
		execvp("sh", args);
		perror("rcms-exchange: sh");
		free(args);
		return 69;
	}
	fprintf(stderr, "rcms-exchange: the pki script is not installed\n");
	return 69;
}

int main(int argc, char **argv)
{
	struct xconfig c;
	struct rcms_err err;

	rcms_err_clear(&err);
	umask(077);
	/* No memory statistics in SQLite (nothing reads them): with them
	 * every sqlite3_malloc and free of every thread takes one global
	 * mutex.  Only before SQLite starts (its first open), as here. */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (argc < 2) {
		usage(stderr);
		return 64;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("rcms-exchange %s (sync protocol v1)\n", RCMS_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "serve") == 0) {
		const char *cfg = config_arg(argc, argv);
		if (!cfg) {
			fprintf(stderr, "rcms-exchange: serve needs --config "
				"FILE\n");
			return 64;
		}
		if (xconfig_load(&c, cfg, &err)) {
			fprintf(stderr, "rcms-exchange: %s\n",
				rcms_err_msg(&err));
			return 78;
		}
		return xserver_run(&c);
	}
	if (strcmp(argv[1], "agency") == 0)
		return cmd_agency(argc, argv);
	if (strcmp(argv[1], "reference") == 0)
		return cmd_reference(argc, argv);
	if (strcmp(argv[1], "pki") == 0)
		return cmd_pki(argc - 1, argv + 1);
	fprintf(stderr, "rcms-exchange: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 64;
}
