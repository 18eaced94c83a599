/* cmd_mrz.c - rcms mrz check|parse|make, and the MRZ part of case new. */
#include "cli/cli_priv.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/mrz.h"

static struct rcms_pdate today_pdate(void)
{
	struct rcms_pdate t;

	rcms_utc_to_ymd(cli_now(), &t.year, &t.month, &t.day);
	return t;
}

/* The zone from the arguments (one line each) or from standard input. */
static int read_zone(struct cli *cli, int argc, char **argv, int first,
		     char **out)
{
	size_t n = 0, len;
	char *buf;
	int i;

	*out = NULL;
	if (first >= argc || (first + 1 == argc && strcmp(argv[first], "-") == 0))
		return cli_read_file(cli, "-", 4096, out, NULL);
	for (i = first; i < argc; i++)
		n += strlen(argv[i]) + 1;
	if (n > 4096) {
		rcms_err_set(&cli->err, RCMS_ERR_INVALID, NULL,
			     "that is too long for a machine readable zone");
		return cli_fail(cli, RCMS_ERR_INVALID);
	}
	buf = malloc(n + 1);
	if (!buf) {
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	buf[0] = '\0';
	len = 0;
	for (i = first; i < argc; i++) {
		size_t k = strlen(argv[i]);
		memcpy(buf + len, argv[i], k);
		len += k;
		buf[len++] = '\n';
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static int mrz_run(struct cli *cli, int argc, char **argv, bool json)
{
	struct rcms_mrz *m = NULL;
	char *zone = NULL, *text = NULL;
	size_t size = json ? RCMS_MRZ_JSON_SIZE : RCMS_MRZ_TABLE_SIZE;
	enum rcms_status st;
	int i, first = 1, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
			size = RCMS_MRZ_JSON_SIZE;
			first = i + 1;
		} else if (strcmp(argv[i], "--") == 0) {
			first = i + 1;
			break;
		} else {
			break;
		}
	}
	if ((rc = read_zone(cli, argc, argv, first, &zone)))
		return rc;
	m = malloc(sizeof(*m));
	text = malloc(size);
	if (!m || !text) {
		free(m);
		free(text);
		free(zone);
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	st = rcms_mrz_parse(zone, today_pdate(), m);
	if (json)
		rcms_mrz_render_json(m, text, size, NULL);
	else
		rcms_mrz_render_table(m, text, size, NULL);
	fputs(text, stdout);
	if (json)
		fputc('\n', stdout);
	free(m);
	free(text);
	free(zone);
	return st == RCMS_OK ? 0 : EX_DATAERR_;
}

int cmd_mrz_check(struct cli *cli, int argc, char **argv)
{
	return mrz_run(cli, argc, argv, false);
}

int cmd_mrz_parse(struct cli *cli, int argc, char **argv)
{
	return mrz_run(cli, argc, argv, true);
}

static enum rcms_mrz_format format_for(enum rcms_doc_type t)
{
	switch (t) {
	case RCMS_DOC_ID_CARD:
	case RCMS_DOC_TEMP_ID_CARD:
	case RCMS_DOC_MILITARY_ID:
	case RCMS_DOC_CNIC:
		return RCMS_MRZ_TD1;
	case RCMS_DOC_VISA:
		return RCMS_MRZ_MRVA;
	default:
		return RCMS_MRZ_TD3;
	}
}

int cmd_mrz_make(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", required_argument, NULL, 'j'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	static const char *const fmt_names[] = {
		[RCMS_MRZ_TD1] = "td1", [RCMS_MRZ_TD2] = "td2",
		[RCMS_MRZ_TD3] = "td3", [RCMS_MRZ_MRVA] = "mrva",
		[RCMS_MRZ_MRVB] = "mrvb",
	};
	struct rcms_case *c = NULL;
	struct rcms_document d;
	struct rcms_today t;
	enum rcms_mrz_format fmt = RCMS_MRZ_UNKNOWN;
	const char *path = NULL;
	char *json = NULL, out[RCMS_MRZ_TEXT_MAX], val[RCMS_TEXT_LEN];
	cJSON *root = NULL;
	const cJSON *it;
	int o, rc = 0, k;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'j':
			path = optarg;
			break;
		case 'f':
			for (k = RCMS_MRZ_TD1; k < RCMS_MRZ_FORMAT__COUNT; k++)
				if (strcasecmp(optarg, fmt_names[k]) == 0 ||
				    strcasecmp(optarg,
					       rcms_mrz_format_name(
						       (enum rcms_mrz_format)k)) == 0)
					fmt = (enum rcms_mrz_format)k;
			if (fmt == RCMS_MRZ_UNKNOWN)
				return cli_usage(cli, cli_current(),
						 "--format takes td1, td2, td3, "
						 "mrva or mrvb");
			break;
		default:
			return cli_usage(cli, cli_current(), "unknown option");
		}
	}
	if (!path || optind != argc)
		return cli_usage(cli, cli_current(),
				 "give --json FILE with the person and "
				 "document fields");
	if ((rc = cli_read_file(cli, path, 1 << 16, &json, NULL)))
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c) {
		free(json);
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	rcms_case_init(c);
	rcms_document_init(&d);
	rcms_utc_to_ymd(cli_now(), &t.y, &t.m, &t.d);
	root = cJSON_ParseWithOpts(json, NULL, 1);
	if (!root || !cJSON_IsObject(root)) {
		rcms_err_set(&cli->err, RCMS_ERR_INVALID, NULL,
			     "%s is not a JSON object", path);
		rc = cli_fail(cli, RCMS_ERR_INVALID);
		goto out;
	}
	/* person fields as in cases; document fields as in documents */
	cJSON_ArrayForEach(it, root) {
		const struct rcms_field *f;
		void *rec;
		if (cJSON_IsString(it))
			snprintf(val, sizeof(val), "%s", it->valuestring);
		else if (cJSON_IsBool(it))
			snprintf(val, sizeof(val), "%s",
				 cJSON_IsTrue(it) ? "yes" : "no");
		else {
			rcms_err_set(&cli->err, RCMS_ERR_INVALID, it->string,
				     "%s must be a string", it->string);
			rc = cli_fail(cli, RCMS_ERR_INVALID);
			goto out;
		}
		if ((f = rcms_field_find(rcms_document_fields, it->string)))
			rec = &d;
		else if ((f = rcms_field_find(rcms_case_fields, it->string)) &&
			 (f->flags & RCMS_FF_EDIT))
			rec = c;
		else {
			rcms_err_set(&cli->err, RCMS_ERR_INVALID, it->string,
				     "unknown field '%.40s'", it->string);
			rc = cli_fail(cli, RCMS_ERR_INVALID);
			goto out;
		}
		if (rcms_field_set(f, rec, val, &t, &cli->err)) {
			rc = cli_fail(cli, cli->err.status);
			goto out;
		}
	}
	if (fmt == RCMS_MRZ_UNKNOWN)
		fmt = format_for(d.type);
	if (rcms_mrz_generate(fmt, &c->person, &d, NULL, out, sizeof(out),
			      &cli->err)) {
		rc = cli_fail(cli, cli->err.status ? cli->err.status
						   : RCMS_ERR_INVALID);
		goto out;
	}
	printf("%s\n", out);
out:
	cJSON_Delete(root);
	free(json);
	free(c);
	return rc;
}

/*
 * case new --mrz FILE: fill the person and one document from a zone.  A
 * zone with errors is refused with the checker's table on stderr; its
 * warnings are shown and the case is created.
 */
int cli_case_from_mrz(struct cli *cli, const char *path, struct rcms_case *c,
		      struct rcms_document *d)
{
	struct rcms_mrz *m = NULL;
	char *zone = NULL, *text = NULL;
	struct rcms_today t;
	const struct rcms_mrz_field *f;
	enum rcms_status st;
	int rc = 0, i;

	if ((rc = cli_read_file(cli, path, 4096, &zone, NULL)))
		return rc;
	m = malloc(sizeof(*m));
	text = malloc(RCMS_MRZ_TABLE_SIZE);
	if (!m || !text) {
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		rc = cli_fail(cli, RCMS_ERR_NOMEM);
		goto out;
	}
	st = rcms_mrz_parse(zone, today_pdate(), m);
	if (st != RCMS_OK) {
		rcms_mrz_render_table(m, text, RCMS_MRZ_TABLE_SIZE, NULL);
		fputs(text, stderr);
		rcms_err_set(&cli->err, RCMS_ERR_INVALID, "mrz",
			     "the machine readable zone has errors (see "
			     "above); correct it, or enter the fields by "
			     "hand");
		rc = cli_fail(cli, RCMS_ERR_INVALID);
		goto out;
	}
	for (i = 0; i < m->nissues; i++)
		fprintf(stderr, "%s: warning: %s\n", cli->prog,
			m->issue[i].msg);
	rcms_utc_to_ymd(cli_now(), &t.y, &t.m, &t.d);
	f = &m->field[RCMS_MRZ_F_SURNAMES];
	snprintf(c->person.surnames, sizeof(c->person.surnames), "%s",
		 f->value);
	f = &m->field[RCMS_MRZ_F_GIVEN_NAMES];
	snprintf(c->person.given_names, sizeof(c->person.given_names), "%s",
		 f->value);
	c->person.sex = m->sex;
	c->person.birth_date = m->birth_date;
	f = &m->field[RCMS_MRZ_F_NATIONALITY];
	if (rcms_country_check(f->value, "nationality", c->person.nationality,
			       NULL) != RCMS_OK) {
		c->person.nationality[0] = '\0';
		fprintf(stderr, "%s: warning: nationality '%s' in the zone is "
			"not a country (stateless or refugee?); set "
			"nationality yourself\n", cli->prog, f->value);
	}
	rcms_document_init(d);
	switch (m->field[RCMS_MRZ_F_DOC_CODE].value[0]) {
	case 'P': d->type = RCMS_DOC_PASSPORT; break;
	case 'V': d->type = RCMS_DOC_VISA; break;
	case 'I': case 'A': case 'C': d->type = RCMS_DOC_ID_CARD; break;
	default: d->type = RCMS_DOC_OTHER;
	}
	snprintf(d->number, sizeof(d->number), "%s",
		 m->field[RCMS_MRZ_F_DOC_NUMBER].value);
	if (rcms_country_check(m->field[RCMS_MRZ_F_ISSUING_STATE].value,
			       "issuing state", d->issuing_state, NULL))
		d->issuing_state[0] = '\0';
	d->expiry_date = m->expiry_date;
	{
		size_t used = 0;
		for (i = 0; i < m->nlines; i++)
			used += (size_t)snprintf(d->mrz + used,
						 sizeof(d->mrz) - used, "%s%s",
						 i ? "\n" : "", m->line[i]);
	}
out:
	free(m);
	free(text);
	free(zone);
	return rc;
}
