/* report.c - the table of reports; running one (over one database
 * snapshot, twice for a PDF to count its pages), exporting it atomically,
 * printing it through CUPS; the audit entry of each. */
#include "reports/plugin.h"
#include "reports/report_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALL_FORMATS ((1u << REPORT_TEXT) | (1u << REPORT_CSV) | \
		     (1u << REPORT_PDF))
#define DOC_FORMATS ((1u << REPORT_TEXT) | (1u << REPORT_PDF))
#define FILTERS (REPORT_P_AGENCY | REPORT_P_COUNTRY | REPORT_P_OFFICER)

static const struct report_def reports[] = {
	{"caseload", "Caseload",
	 "cases by status and requested country, opened in a period",
	 REPORT_P_PERIOD | FILTERS, ALL_FORMATS, "Opened", report_caseload},
	{"deadlines", "Deadlines",
	 "open cases by reply and transfer deadline, overdue first; deemed "
	 "acceptances flagged", FILTERS, ALL_FORMATS, NULL,
	 report_deadlines},
	{"idchecks", "Identity checks",
	 "turnaround (median, 90th percentile) per requested agency; the "
	 "checks still pending", REPORT_P_PERIOD | FILTERS, ALL_FORMATS,
	 "Asked", report_idchecks},
	{"outcomes", "Outcomes",
	 "accepted, rejected and deemed accepted per country and month; "
	 "rejection reasons", REPORT_P_PERIOD | FILTERS, ALL_FORMATS,
	 "Decided", report_outcomes},
	{"workload", "Workload",
	 "per officer: cases opened and where they stand, approvals",
	 REPORT_P_PERIOD | FILTERS, ALL_FORMATS, "Opened", report_workload},
	{"indicators", "Indicators",
	 "applications exchanged electronically, average processing time, "
	 "share answered within the deadline", REPORT_P_PERIOD | FILTERS,
	 ALL_FORMATS, "Approved", report_indicators},
	{"case", "Case file",
	 "the full case file with its history", REPORT_P_CASE, DOC_FORMATS,
	 NULL, report_casefile},
	{"application", "Readmission application",
	 "the application in the layout of the agreements' common form",
	 REPORT_P_CASE, DOC_FORMATS, NULL, report_application},
};

const struct rcms_enum_name report_format_names[] = {
	{REPORT_TEXT, "text", "text"},
	{REPORT_CSV, "csv", "CSV"},
	{REPORT_PDF, "pdf", "PDF"},
	{0, NULL, NULL},
};

const struct report_def *report_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
		if (strcmp(reports[i].name, name) == 0)
			return &reports[i];
	return NULL;
}

const struct report_def *report_list(size_t *n)
{
	if (n)
		*n = sizeof(reports) / sizeof(reports[0]);
	return reports;
}

bool report_has_format(const struct report_def *def, enum report_format fmt)
{
	return def && (unsigned)fmt < REPORT_FORMAT__COUNT &&
	       (def->formats & (1u << fmt));
}

/* ---- parameters -------------------------------------------------------- */

enum rcms_status report_parse_date(const char *s, bool end_of_day,
				   const char *field, int64_t *out,
				   struct rcms_err *err)
{
	struct rcms_pdate d;
	enum rcms_status st = rcms_pdate_parse(s, field, &d, err);
	int y, m, day;

	if (st)
		return st;
	if (!rcms_pdate_is_set(&d))
		return rcms_err_set(err, RCMS_ERR_USAGE, field,
				    "%s: give a date as YYYY-MM-DD (or YYYY-MM, "
				    "YYYY)", field ? field : "date");
	y = d.year;
	m = d.month ? d.month : 1;
	day = d.day ? d.day : 1;
	if (end_of_day) {
		/* the start of the next day, month or year */
		if (d.day) {
			day++;
			if (day > rcms_days_in_month(y, m)) {
				day = 1;
				if (++m > 12) {
					m = 1;
					y++;
				}
			}
		} else if (d.month) {
			if (++m > 12) {
				m = 1;
				y++;
			}
		} else {
			y++;
		}
	}
	*out = rcms_days_from_civil(y, m, day) * 86400;
	return RCMS_OK;
}

int64_t report_now_from_env(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	long long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || !end || *end || v <= 0 || v > 253402300799LL)
		return 0;
	return (int64_t)v;
}

static bool given(const char *s)
{
	return s && *s;
}

enum rcms_status report_check(const struct report_def *def,
			      enum report_format fmt,
			      const struct report_params *p,
			      struct rcms_err *err)
{
	if (!def || !p)
		return rcms_err_set(err, RCMS_ERR_USAGE, NULL,
				    "no report given");
	if (!report_has_format(def, fmt))
		return rcms_err_set(err, RCMS_ERR_USAGE, "format",
				    "the %s report has no %s form (it has "
				    "text%s and PDF)", def->name,
				    rcms_enum_name(report_format_names,
						   (int)fmt),
				    def->formats & (1u << REPORT_CSV)
					    ? ", CSV" : "");
	if (!(def->params & REPORT_P_PERIOD) && (p->from || p->to))
		return rcms_err_set(err, RCMS_ERR_USAGE, "from",
				    "the %s report takes no period", def->name);
	if (!(def->params & REPORT_P_AGENCY) && given(p->agency))
		return rcms_err_set(err, RCMS_ERR_USAGE, "agency",
				    "the %s report takes no --agency",
				    def->name);
	if (!(def->params & REPORT_P_COUNTRY) && given(p->country))
		return rcms_err_set(err, RCMS_ERR_USAGE, "country",
				    "the %s report takes no --country",
				    def->name);
	if (!(def->params & REPORT_P_OFFICER) && given(p->officer))
		return rcms_err_set(err, RCMS_ERR_USAGE, "officer",
				    "the %s report takes no --officer",
				    def->name);
	if ((def->params & REPORT_P_CASE) && !given(p->case_ref))
		return rcms_err_set(err, RCMS_ERR_USAGE, "case",
				    "the %s report needs a case reference: "
				    "rcms report %s REF", def->name, def->name);
	if (!(def->params & REPORT_P_CASE) && given(p->case_ref))
		return rcms_err_set(err, RCMS_ERR_USAGE, "case",
				    "the %s report is not about one case",
				    def->name);
	if (p->from && p->to && p->to <= p->from)
		return rcms_err_set(err, RCMS_ERR_INVALID, "to",
				    "the period ends before it begins (--to "
				    "is earlier than --from)");
	if (p->width != 0 && p->width != 80 && p->width != 132)
		return rcms_err_set(err, RCMS_ERR_USAGE, "width",
				    "the width is 80 or 132 columns");
	if (given(p->country) && (strlen(p->country) != 2 ||
				  !rcms_country_find(p->country)))
		return rcms_err_set(err, RCMS_ERR_INVALID, "country",
				    "'%s' is not a country's two-letter code",
				    p->country);
	return RCMS_OK;
}

/* ---- formatting helpers -------------------------------------------------- */

const char *report_date(int64_t t, char *buf, size_t size)
{
	int y, m, d;

	if (t <= 0) {
		snprintf(buf, size, "%s", "");
		return buf;
	}
	rcms_utc_to_ymd(t, &y, &m, &d);
	snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
	return buf;
}

const char *report_datetime(int64_t t, char *buf, size_t size)
{
	int y, m, d;
	int64_t s;

	if (t <= 0) {
		snprintf(buf, size, "%s", "");
		return buf;
	}
	rcms_utc_to_ymd(t, &y, &m, &d);
	s = t % 86400;
	if (s < 0)
		s += 86400;
	snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", y, m, d,
		 (int)(s / 3600), (int)(s / 60 % 60));
	return buf;
}

const char *report_int(int64_t v, char *buf, size_t size)
{
	snprintf(buf, size, "%lld", (long long)v);
	return buf;
}

const char *report_name(const char *surnames, const char *given_names,
			const char *native, char *buf, size_t size)
{
	if (given(native))
		snprintf(buf, size, "%s%s%s (%s)", surnames,
			 given(given_names) ? ", " : "", given_names, native);
	else
		snprintf(buf, size, "%s%s%s", surnames,
			 given(given_names) ? ", " : "", given_names);
	return buf;
}

const char *report_country(const char *alpha2)
{
	const struct rcms_country *c;

	if (!given(alpha2))
		return "(none)";
	c = rcms_country_find(alpha2);
	return c ? c->name : alpha2;
}

const char *report_ref(const char *final_ref, const char *local_ref)
{
	return given(final_ref) ? final_ref : local_ref;
}

/* ---- running ----------------------------------------------------------- */

static void header(struct db_ctx *ctx, const struct report_def *def,
		   const struct report_params *p, int64_t now,
		   struct rw_header *h)
{
	struct db_identity id;
	char name[RCMS_LINE_LEN] = "", a[16], b[16], when[32];
	size_t n = 0;

	memset(h, 0, sizeof(*h));
	memset(&id, 0, sizeof(id));
	snprintf(id.agency, sizeof(id.agency), "%s", ctx->user.agency);
	db_report_agency_name(ctx->db, id.agency, name, sizeof(name), NULL);
	if (name[0])
		snprintf(h->agency, sizeof(h->agency), "%s \xe2\x80\x94 %s",
			 id.agency, name);
	else
		snprintf(h->agency, sizeof(h->agency), "%s", id.agency);
	snprintf(h->title, sizeof(h->title), "%s", def->title);
	snprintf(h->about, sizeof(h->about), "%s", def->help);

#define ADD(...)                                                              \
	do {                                                                  \
		int k_ = snprintf(h->subtitle + n, sizeof(h->subtitle) - n,   \
				  __VA_ARGS__);                               \
		if (k_ > 0)                                                   \
			n = n + (size_t)k_ < sizeof(h->subtitle)              \
				    ? n + (size_t)k_                          \
				    : sizeof(h->subtitle) - 1;                \
	} while (0)
	if (def->params & REPORT_P_PERIOD) {
		report_date(p->from, a, sizeof(a));
		report_date(p->to > 0 ? p->to - 86400 : 0, b, sizeof(b));
		if (p->from && p->to)
			ADD("%s %s to %s", def->period_of, a, b);
		else if (p->from)
			ADD("%s from %s", def->period_of, a);
		else if (p->to)
			ADD("%s up to %s", def->period_of, b);
		else
			ADD("%s at any time", def->period_of);
	} else if (def->params & REPORT_P_CASE) {
		ADD("Case %s", p->case_ref);
	} else {
		report_datetime(now, when, sizeof(when));
		ADD("As of %s UTC", when);
	}
	if (def->params & REPORT_P_AGENCY)
		ADD("; requested agency: %s", given(p->agency) ? p->agency
							       : "all");
	if (def->params & REPORT_P_COUNTRY)
		ADD("; requested country: %s",
		    given(p->country) ? report_country(p->country) : "all");
	if ((def->params & REPORT_P_OFFICER) && given(p->officer))
		ADD("; officer: %s", p->officer);
#undef ADD
	report_datetime(now, when, sizeof(when));
	if (ctx->user.full_name[0])
		snprintf(h->printed, sizeof(h->printed),
			 "Printed by %s (%s) on %s UTC", ctx->user.username,
			 ctx->user.full_name, when);
	else
		snprintf(h->printed, sizeof(h->printed),
			 "Printed by %s on %s UTC", ctx->user.username, when);
}

static enum rcms_status one_pass(struct report_run *r, struct rw *w)
{
	enum rcms_status st;

	r->w = w;
	r->cases = 0;
	st = r->def->body(r);
	if (st == RCMS_OK)
		st = w->ops->end(w, r->err);
	r->w = NULL;
	return st;
}

/* Make the report into out, without the audit entry. */
static enum rcms_status generate(struct db_ctx *ctx,
				 const struct report_def *def,
				 const struct report_params *p,
				 enum report_format fmt, FILE *out,
				 struct report_result *res,
				 struct rcms_err *err)
{
	struct report_run r;
	struct rw_header *h = NULL;
	struct rw *w = NULL;
	enum rcms_status st;
	int pages = 0;

	if (!ctx || !out)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no database or output");
	if ((st = report_check(def, fmt, p, err)))
		return st;
	/* one case's file: the case's workers; the agency's figures: its
	 * supervisors (app/perm.h) */
	if ((st = rcms_perm_check((def->params & REPORT_P_CASE)
					  ? RCMS_PERM_REPORT_CASE
					  : RCMS_PERM_REPORT,
				  ctx->user.role, err)))
		return st;
	h = malloc(sizeof(*h));
	if (!h)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.def = def;
	r.p = p;
	r.err = err;
	r.now = p->now > 0 ? p->now : ctx->now;
	r.width = p->width == 132 ? 132 : 80;
	r.f.from = p->from;
	r.f.to = p->to;
	r.f.agency = p->agency;
	r.f.country = p->country;
	r.f.officer = p->officer;
	header(ctx, def, p, r.now, h);

	if ((st = db_report_begin(ctx->db, err)))
		goto out;
	if (fmt == REPORT_PDF) {
		const struct report_plugin *pl = report_plugin(err);
		if (!pl) {
			st = err && err->status ? err->status
						: RCMS_ERR_UNAVAILABLE;
			goto end;
		}
		/* the first pass counts the pages for "page x of y" */
		w = pl->pdf_new(NULL, h, 0, err);
		if (!w) {
			st = err && err->status ? err->status : RCMS_ERR_NOMEM;
			goto end;
		}
		st = one_pass(&r, w);
		pages = w->pages;
		rw_free(&w);
		if (st)
			goto end;
		w = pl->pdf_new(out, h, pages, err);
	} else if (fmt == REPORT_CSV) {
		w = rw_csv_new(out, h);
	} else {
		w = rw_text_new(out, r.width, h);
	}
	if (!w) {
		st = err && err->status ? err->status
					: rcms_err_set(err, RCMS_ERR_NOMEM,
						       NULL, NULL);
		goto end;
	}
	st = one_pass(&r, w);
	if (res) {
		res->cases = r.cases;
		res->pages = fmt == REPORT_PDF ? w->pages : 0;
	}
end:
	db_report_end(ctx->db);
out:
	if (res)
		memcpy(res->case_id, r.case_id, sizeof(res->case_id));
	rw_free(&w);
	free(h);
	return st;
}

static void audit(struct db_ctx *ctx, const struct report_def *def,
		  const struct report_params *p, const char *action,
		  const char *fmt_name, const char *dest,
		  const struct report_result *res, struct rcms_err *err)
{
	char detail[RCMS_LINE_LEN], a[16], b[16];
	int n;

	n = snprintf(detail, sizeof(detail), "%s%s%s %s to %s: %lld case%s",
		     given(p->why) ? p->why : "", given(p->why) ? ": " : "",
		     def->name, fmt_name, dest, (long long)res->cases,
		     res->cases == 1 ? "" : "s");
	if (n > 0 && (size_t)n < sizeof(detail) && (p->from || p->to))
		n += snprintf(detail + n, sizeof(detail) - (size_t)n,
			      "; period %s..%s", report_date(p->from, a,
							      sizeof(a)),
			      report_date(p->to > 0 ? p->to - 86400 : 0, b,
					  sizeof(b)));
	if (n > 0 && (size_t)n < sizeof(detail) && given(p->agency))
		n += snprintf(detail + n, sizeof(detail) - (size_t)n,
			      "; agency %s", p->agency);
	if (n > 0 && (size_t)n < sizeof(detail) && given(p->country))
		n += snprintf(detail + n, sizeof(detail) - (size_t)n,
			      "; country %s", p->country);
	if (n > 0 && (size_t)n < sizeof(detail) && given(p->officer))
		snprintf(detail + n, sizeof(detail) - (size_t)n,
			 "; officer %s", p->officer);
	db_audit_add(ctx, action, res->case_id, detail, err);
}

enum rcms_status report_run(struct db_ctx *ctx, const struct report_def *def,
			    const struct report_params *p,
			    enum report_format fmt, FILE *out, const char *dest,
			    struct report_result *res, struct rcms_err *err)
{
	struct report_result mine;
	enum rcms_status st;

	if (!res)
		res = &mine;
	memset(res, 0, sizeof(*res));
	st = generate(ctx, def, p, fmt, out, res, err);
	if (st)
		return st;
	audit(ctx, def, p, "report.export",
	      rcms_enum_name(report_format_names, (int)fmt),
	      given(dest) ? dest : "a stream", res, err);
	return err && err->status ? err->status : RCMS_OK;
}

enum rcms_status report_export(struct db_ctx *ctx,
			       const struct report_def *def,
			       const struct report_params *p,
			       enum report_format fmt, const char *path,
			       struct report_result *res,
			       struct rcms_err *err)
{
	struct report_result mine;
	char *tmp = NULL;
	size_t len;
	FILE *f = NULL;
	int fd = -1;
	enum rcms_status st;

	if (!res)
		res = &mine;
	memset(res, 0, sizeof(*res));
	if (!given(path))
		return rcms_err_set(err, RCMS_ERR_USAGE, "output",
				    "no output file given");
	if ((st = report_check(def, fmt, p, err)))
		return st;
	len = strlen(path) + 16;
	tmp = malloc(len);
	if (!tmp)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	/* a temporary file beside the target, renamed over it at the end:
	 * a failure leaves nothing, never half a report */
	snprintf(tmp, len, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		st = rcms_err_set(err, RCMS_ERR_IO, "output",
				  "cannot write %s: %s", path,
				  strerror(errno));
		goto out;
	}
	f = fdopen(fd, "wb");
	if (!f) {
		st = rcms_err_set(err, RCMS_ERR_IO, "output",
				  "cannot write %s: %s", path,
				  strerror(errno));
		close(fd);
		goto fail;
	}
	st = generate(ctx, def, p, fmt, f, res, err);
	if (st)
		goto fail;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		st = rcms_err_set(err, RCMS_ERR_IO, "output",
				  "cannot write %s: %s", path,
				  strerror(errno));
		goto fail;
	}
	if (fclose(f) != 0) {
		f = NULL;
		st = rcms_err_set(err, RCMS_ERR_IO, "output",
				  "cannot write %s: %s", path,
				  strerror(errno));
		goto fail;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		st = rcms_err_set(err, RCMS_ERR_IO, "output",
				  "cannot write %s: %s", path,
				  strerror(errno));
		goto fail;
	}
	audit(ctx, def, p, "report.export",
	      rcms_enum_name(report_format_names, (int)fmt), path, res, err);
	st = err && err->status ? err->status : RCMS_OK;
	goto out;
fail:
	if (f)
		fclose(f);
	unlink(tmp);
out:
	free(tmp);
	return st;
}

enum rcms_status report_print(struct db_ctx *ctx, const struct report_def *def,
			      const struct report_params *p, const char *queue,
			      struct report_result *res, struct rcms_err *err)
{
	struct report_result mine;
	char tmp[4200], title[300], dest[sizeof(res->queue) + 32];
	const char *dir = getenv("TMPDIR");
	const struct report_plugin *pl;
	FILE *f = NULL;
	int fd, job;
	enum rcms_status st;

	if (!res)
		res = &mine;
	memset(res, 0, sizeof(*res));
	if ((st = report_check(def, REPORT_PDF, p, err)))
		return st;
	if (!(pl = report_plugin(err)))
		return err && err->status ? err->status : RCMS_ERR_UNAVAILABLE;
	if (!given(queue)) {
		if ((st = pl->default_queue(res->queue, sizeof(res->queue),
					    err)))
			return st;
	} else {
		snprintf(res->queue, sizeof(res->queue), "%s", queue);
	}
	snprintf(tmp, sizeof(tmp), "%s/rcms-report-XXXXXX",
		 given(dir) ? dir : "/tmp");
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w+b"))) {
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return rcms_err_set(err, RCMS_ERR_IO, NULL,
				    "cannot make a temporary file for the "
				    "printer: %s", strerror(errno));
	}
	snprintf(dest, sizeof(dest), "%s", res->queue);
	st = generate(ctx, def, p, REPORT_PDF, f, res, err);
	memcpy(res->queue, dest, sizeof(res->queue));
	res->queue[sizeof(res->queue) - 1] = '\0';
	if (fclose(f) != 0 && st == RCMS_OK)
		st = rcms_err_set(err, RCMS_ERR_IO, NULL,
				  "cannot write the temporary file for the "
				  "printer: %s", strerror(errno));
	if (st)
		goto out;
	snprintf(title, sizeof(title), "rcms %s", def->name);
	if ((st = pl->print_file(res->queue, tmp, title, &job, err)))
		goto out;
	res->job = job;
	snprintf(dest, sizeof(dest), "printer %s (job %d)", res->queue, job);
	audit(ctx, def, p, "report.print", "pdf", dest, res, err);
	st = err && err->status ? err->status : RCMS_OK;
out:
	unlink(tmp);
	return st;
}
