/*
 * case_list.c - the case list, the inbox and the approval queue: one
 * screen over the replica that never holds more than a screenful of rows.
 * It keeps the key of its first row and reads a page from there (keyset
 * paging, db_case_page); moving past either end reads one row or one page
 * beyond it.  Search as you type goes through db_search (words and
 * prefixes of names, document numbers and references, nat: dob: status:
 * doc: ref:): up to SEARCH_MAX hits that pass the screen's filters are
 * held, and the list scrolls within them.  While letters come the hits
 * are the most recently indexed matches (cheap: ranking scores every
 * match, and a two-letter prefix matches tens of thousands over a
 * million cases); once typing pauses for RANK_PAUSE_MS, or on Enter, they
 * are ranked (bm25), best first.  One letter alone does not search.
 * The summary line counts the selected row as one moves (row 1 at the
 * start, after End from the end): nothing is counted in the database, so
 * it costs the same at row 900,000; a sync that brings rows above the
 * page does not move it.
 * Filters
 * (status, agency, due within N days, mine), four sort orders (not while
 * searching: hits come best first), a colour per status and the deadline.
 *
 *   inbox      cases addressed to this agency that are still open, the
 *              nearest deadline first; Tab shows the identity checks
 *              waiting for this agency's answer instead (the oldest
 *              first, CHECKS_MAX of them), and Enter on one opens its
 *              case with the answer asked for
 *   approvals  applications awaiting approval that this supervisor did
 *              not open (four eyes)
 *
 * The names on these screens are personal data: looking at them is a
 * consultation, recorded with the session's purpose (app/justify.h:
 * rcms ui --why, or the answer given when a case was first opened,
 * case_view.c).  Not at every key, page or keystroke of a search: the
 * audit log would fill with entries that say nothing more, and the
 * entries that matter would drown.  Recorded are
 *  - the screen's first showing with a purpose (after a login, or once
 *    the purpose is given): one case.list entry "CODE: workstation case
 *    list (N cases)", N the rows on the screen.  Paging, sorting,
 *    filters and a sync's reload go on with that consultation;
 *  - a search once committed: Enter or Esc leaving the search line, its
 *    hits left on the screen COMMIT_MS without a key, or a search given
 *    whole (a script's search request): one case.search entry "CODE:
 *    workstation search (N cases)", N the hits.  At most one a minute
 *    for the same query (the hits ranked after a pause and then Enter
 *    are one look).  The query, often a name, is kept in memory for
 *    that comparison and never recorded.
 * Without a purpose the names are not shown and a search is not run (it
 * would tell whose cases there are); nothing is recorded.  Opening a
 * case asks why, and the answer counts for the list too.
 */
#include "ui/ui_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PAGE_MAX 100
#define SEARCH_MAX 200
#define RANK_PAUSE_MS 300
#define CHECKS_MAX 100
#define COMMIT_MS 2000          /* hits left this long: a search committed */
#define SAME_QUERY_MS 60000     /* the same query: one entry a minute */
/* the name column's title without a purpose (it fits 80 columns) */
#define NAME_HIDDEN "Name (hidden)"

struct case_list {
	struct view v;
	enum list_mode mode;
	enum db_order order;
	int status;                        /* -1 any */
	char agency[RCMS_AGENCY_LEN];
	int due_days;                      /* 0 any */
	bool mine;
	struct ui_edit search;
	bool searching;
	struct db_case_key top;            /* the first row shown */
	int64_t top_pos;                   /* its place: 0 the first row;
					      from_end: 1 the last */
	bool from_end;
	struct db_case_row rows[PAGE_MAX];
	int n, cur, h;
	int64_t idchecks_waiting;          /* inbox */
	struct db_idcheck_pending *checks; /* inbox: the first CHECKS_MAX */
	int nchecks, check_top;
	bool show_checks;                  /* inbox: the checks, not cases */
	/* while a search is typed: its hits, best first; rows[] is the
	   window of them from hit_top */
	struct db_case_row *hits;
	int nhits, hit_top;
	bool hits_on;
	bool search_bad;                   /* the query cannot be run yet */
	bool search_short;                 /* one letter: not searched */
	bool ranked;                       /* hits best first, not newest */
	long long rank_at_ms;              /* rank then (0: not due) */
	/* consultations recorded (see the top) */
	bool listed;                       /* the first showing */
	long long commit_at_ms;            /* the search's then (0: none) */
	char recorded_q[UI_EDIT_MAX * 4];  /* the last search recorded */
	long long recorded_ms;             /* when */
};

static struct case_list *of(struct view *v)
{
	return (struct case_list *)v;
}

static const char *const order_names[] = {
	[DB_ORDER_UPDATED] = "last change", [DB_ORDER_CREATED] = "opened",
	[DB_ORDER_DUE] = "deadline", [DB_ORDER_REF] = "reference",
};

static const char *short_status(enum rcms_case_status st)
{
	switch (st) {
	case RCMS_CS_EXTENSION_REQUESTED: return "extension asked";
	case RCMS_CS_TRAVEL_DOCUMENT_ISSUED: return "travel doc issued";
	case RCMS_CS_TRANSFER_SCHEDULED: return "transfer planned";
	default: return rcms_enum_label(rcms_case_status_names, (int)st);
	}
}

/* ---- consultations (see the top) ------------------------------------------------ */

static bool has_purpose(const struct case_list *l)
{
	return l->v.ui->cli->why[0] != '\0';
}

static void record(struct case_list *l, const char *action, const char *what,
		   long n)
{
	struct ui *ui = l->v.ui;
	struct rcms_err err;

	rcms_err_clear(&err);
	if (db_cases_listed(ui->ctx, action, &ui->cli->conf.justify,
			    ui->cli->why, what, n, &err))
		ui_fail(ui, &err);
}

/* The screen shown: its first showing with a purpose is recorded. */
static void list_shown(struct case_list *l)
{
	if (l->listed || !has_purpose(l))
		return;
	l->listed = true;
	record(l, "case.list",
	       l->mode == LIST_INBOX ? "workstation inbox"
	       : l->mode == LIST_APPROVALS ? "workstation approval queue"
				     : "workstation case list",
	       l->n);
}

/* The search on the screen is committed: recorded, unless the same query
 * was within the minute. */
static void search_committed(struct case_list *l)
{
	char q[sizeof(l->recorded_q)];
	long long now = ui_ms();

	l->commit_at_ms = 0;
	if (!l->hits_on || l->search_bad || !has_purpose(l))
		return;
	ui_edit_get(&l->search, q, sizeof(q));
	if (strcmp(q, l->recorded_q) == 0 && l->recorded_ms &&
	    now - l->recorded_ms < SAME_QUERY_MS)
		return;
	snprintf(l->recorded_q, sizeof(l->recorded_q), "%s", q);
	l->recorded_ms = now;
	record(l, "case.search", "workstation search", l->nhits);
}

/* Hits shown: committed if left COMMIT_MS on the screen. */
static void hits_shown(struct case_list *l)
{
	l->commit_at_ms = l->hits_on && !l->search_bad
				  ? ui_ms() + COMMIT_MS : 0;
}

/* ---- reading pages -------------------------------------------------------- */

struct fetch {
	struct db_case_row *rows;
	int n, max;
};

static int take(const struct db_case_row *r, void *arg)
{
	struct fetch *f = arg;

	if (f->n < f->max)
		f->rows[f->n++] = *r;
	return f->n >= f->max;
}

/* Read at most max rows from key (backward: before it, nearest first). */
static int fetch(struct case_list *l, const struct db_case_key *from,
		 bool inclusive, bool backward, struct db_case_row *out,
		 int max)
{
	struct ui *ui = l->v.ui;
	struct db_case_filter f;
	struct db_page p;
	struct fetch fs = {out, 0, max};
	struct rcms_err err;

	memset(&f, 0, sizeof(f));
	memset(&p, 0, sizeof(p));
	f.status = l->status;
	f.requested = l->agency[0] ? l->agency : NULL;
	f.due_before = l->due_days > 0
			       ? ui_now() + (int64_t)l->due_days * 86400 : 0;
	f.created_by = l->mine ? ui->ctx->user.username : NULL;
	f.order = l->order;
	p.from = from;
	p.inclusive = inclusive;
	p.backward = backward;
	p.limit = max;
	if (l->mode == LIST_INBOX) {
		p.requested = ui->id.agency;
		p.open_only = true;
	} else if (l->mode == LIST_APPROVALS) {
		f.status = RCMS_CS_AWAITING_APPROVAL;
		p.not_created_by = ui->ctx->user.username;
	}
	rcms_err_clear(&err);
	if (db_case_page(ui->ctx, &f, &p, take, &fs, &err) != RCMS_OK) {
		ui_fail(ui, &err);
		return -1;
	}
	return fs.n;
}

/* ---- search as you type ------------------------------------------------------ */

struct hits {
	struct case_list *l;
	int64_t due_before;
};

/* A hit the screen's filters let through (db_search has its own). */
static bool hit_passes(const struct case_list *l, const struct db_case_row *r,
		       int64_t due_before)
{
	struct ui *ui = l->v.ui;

	if (l->status >= 0 && (int)r->status != l->status)
		return false;
	if (l->agency[0] && strcmp(r->requested_agency, l->agency) != 0 &&
	    strcmp(r->requesting_agency, l->agency) != 0)
		return false;
	if (due_before && !(r->reply_due > 0 && r->reply_due < due_before))
		return false;
	if (l->mine && strcmp(r->created_by, ui->ctx->user.username) != 0)
		return false;
	if (l->mode == LIST_INBOX &&
	    strcmp(r->requested_agency, ui->id.agency) != 0)
		return false;
	if (l->mode == LIST_APPROVALS &&
	    (r->status != RCMS_CS_AWAITING_APPROVAL ||
	     strcasecmp(r->created_by, ui->ctx->user.username) == 0))
		return false;
	return true;
}

static int take_hit(const struct db_search_hit *h, void *arg)
{
	struct hits *x = arg;
	struct case_list *l = x->l;

	if (hit_passes(l, &h->row, x->due_before))
		l->hits[l->nhits++] = h->row;
	return l->nhits >= SEARCH_MAX;
}

/* Run the search typed (ranked: best first, else the newest first);
 * false when there is none (the keyset list). */
static bool search_run(struct case_list *l, bool ranked)
{
	struct ui *ui = l->v.ui;
	struct db_search_opts o;
	struct hits x = {l, 0};
	struct rcms_err err;
	char q[UI_EDIT_MAX * 4];
	enum rcms_status st;

	ui_edit_get(&l->search, q, sizeof(q));
	l->nhits = 0;
	l->hit_top = 0;
	l->search_bad = false;
	l->ranked = ranked;
	l->rank_at_ms = 0;
	{
		/* one character alone: too many matches to search yet */
		const char *t = q + strspn(q, " ");
		mbstate_t ms;
		size_t k;
		memset(&ms, 0, sizeof(ms));
		k = *t ? mbrlen(t, strlen(t), &ms) : 0;
		l->search_short = k > 0 && k < (size_t)-2 &&
				  t[k + strspn(t + k, " ")] == '\0';
	}
	l->hits_on = q[strspn(q, " ")] != '\0' && !l->search_short;
	if (!l->hits_on)
		return false;
	if (!l->hits && !(l->hits = calloc(SEARCH_MAX, sizeof(*l->hits)))) {
		ui_error(ui, "out of memory");
		return true;
	}
	memset(&o, 0, sizeof(o));
	o.query = q;
	/* more than are kept: the screen's filters may drop some */
	o.limit = SEARCH_MAX * 2;
	o.open_only = l->mode == LIST_INBOX;
	o.newest = !ranked;
	x.due_before = l->due_days > 0
			       ? ui_now() + (int64_t)l->due_days * 86400 : 0;
	rcms_err_clear(&err);
	st = db_search(ui->ctx, &o, take_hit, &x, &err);
	if (st == RCMS_ERR_USAGE) {
		l->hits_on = false;
		return false;
	}
	if (st) {
		/* "nat:" before its value: say so, show nothing yet */
		l->search_bad = true;
		ui_fail(ui, &err);
	}
	return true;
}

/* rows[] from the hits at hit_top. */
static void hits_window(struct case_list *l)
{
	int h = l->h > 0 && l->h <= PAGE_MAX ? l->h : 20;

	if (l->hit_top > l->nhits - h)
		l->hit_top = l->nhits - h;
	if (l->hit_top < 0)
		l->hit_top = 0;
	l->n = l->nhits - l->hit_top < h ? l->nhits - l->hit_top : h;
	if (l->n > 0)
		memcpy(l->rows, l->hits + l->hit_top,
		       (size_t)l->n * sizeof(l->rows[0]));
	if (l->cur >= l->n)
		l->cur = l->n > 0 ? l->n - 1 : 0;
	if (l->cur < 0)
		l->cur = 0;
}

static void load(struct case_list *l)
{
	int n;

	if (l->hits_on) {
		hits_window(l);
		return;
	}
	n = fetch(l, &l->top, true, false, l->rows,
		      l->h > 0 && l->h <= PAGE_MAX ? l->h : 20);

	l->n = n > 0 ? n : 0;
	if (l->n == 0 && l->top.set) {
		/* the first row went away (a filter, a change): the start */
		l->top.set = false;
		l->top_pos = 0;
		l->from_end = false;
		n = fetch(l, &l->top, true, false, l->rows,
			  l->h > 0 && l->h <= PAGE_MAX ? l->h : 20);
		l->n = n > 0 ? n : 0;
	}
	if (l->cur >= l->n)
		l->cur = l->n > 0 ? l->n - 1 : 0;
	if (l->cur < 0)
		l->cur = 0;
}

static void from_start(struct case_list *l)
{
	memset(&l->top, 0, sizeof(l->top));
	l->top_pos = 0;
	l->from_end = false;
	l->cur = 0;
	search_run(l, true);
	hits_shown(l);
	load(l);
}

/* The page now starts at r, by rows further down (negative: up). */
static void set_top(struct case_list *l, const struct db_case_row *r,
		    int64_t by)
{
	db_case_key_of(l->order, r, &l->top);
	l->top_pos += l->from_end ? -by : by;
}

static int take_check(const struct db_idcheck_pending *r, void *arg)
{
	struct case_list *l = arg;

	l->idchecks_waiting++;
	if (l->nchecks < CHECKS_MAX)
		l->checks[l->nchecks++] = *r;
	return 0;
}

/* The identity checks waiting for this agency's answer (the inbox). */
static void load_checks(struct case_list *l)
{
	struct ui *ui = l->v.ui;
	struct db_report_filter f;
	struct rcms_err err;

	l->nchecks = 0;
	l->idchecks_waiting = 0;
	if (!l->checks &&
	    !(l->checks = calloc(CHECKS_MAX, sizeof(*l->checks)))) {
		ui_error(ui, "out of memory");
		return;
	}
	memset(&f, 0, sizeof(f));
	f.agency = ui->id.agency;
	rcms_err_clear(&err);
	if (db_report_idcheck_pending(ui->ctx, &f, take_check, l, &err))
		ui_fail(ui, &err);
	if (l->check_top > l->nchecks - 1)
		l->check_top = l->nchecks > 0 ? l->nchecks - 1 : 0;
}

static int open_list(struct view *v)
{
	struct case_list *l = of(v);

	if (l->hits_on) {
		/* read again (after a sync): the same place in the hits */
		int top = l->hit_top;
		search_run(l, l->ranked);
		l->hit_top = top;
	}
	load(l);
	if (l->mode == LIST_INBOX)
		load_checks(l);
	list_shown(l);
	return 0;
}

/* ---- drawing ------------------------------------------------------------------ */

static void summary(struct case_list *l, char *buf, size_t size)
{
	size_t u = 0;

#define ADD(...) u += (size_t)snprintf(buf + u, u < size ? size - u : 0, \
				       __VA_ARGS__)
	buf[0] = '\0';
	if (l->status >= 0)
		ADD("%sstatus %s", u ? " | " : "",
		    rcms_enum_name(rcms_case_status_names, l->status));
	if (l->agency[0])
		ADD("%sagency %s", u ? " | " : "", l->agency);
	if (l->due_days)
		ADD("%sdue within %d d", u ? " | " : "", l->due_days);
	if (l->mine)
		ADD("%smine", u ? " | " : "");
	if (l->search_short)
		ADD("%sone more letter to search", u ? " | " : "");
	if (l->hits_on && !l->search_bad)
		ADD("%s%d%s found, %s", u ? " | " : "", l->nhits,
		    l->nhits >= SEARCH_MAX ? "+" : "",
		    l->ranked ? "best first" : "newest first");
	else if (l->hits_on)
		ADD("%snot searched", u ? " | " : "");
	else
		ADD("%ssorted by %s", u ? " | " : "",
		    order_names[l->order]);
	if (l->hits_on && l->nhits > 0)
		ADD(" | row %d", l->hit_top + l->cur + 1);
	else if (!l->hits_on && l->n > 0 && !l->from_end)
		ADD(" | row %lld", (long long)(l->top_pos + l->cur + 1));
	else if (!l->hits_on && l->n > 0 && l->top_pos - l->cur <= 1)
		ADD(" | the last row");
	else if (!l->hits_on && l->n > 0)
		ADD(" | row %lld from the end",
		    (long long)(l->top_pos - l->cur));
	if (l->mode == LIST_INBOX && l->show_checks)
		snprintf(buf, size, "identity checks waiting for our answer, "
			 "oldest first: %lld | Tab: applications",
			 (long long)l->idchecks_waiting);
	else if (l->mode == LIST_INBOX)
		ADD(" | Tab: %lld identity check(s) to answer",
		    (long long)l->idchecks_waiting);
#undef ADD
	if (u >= size)
		buf[size - 1] = '\0';
}

/* The inbox's identity checks: one a line, the selected in reverse. */
static void draw_checks(struct case_list *l, int top, int h, int cols)
{
	int name_w = cols - 22 - 1 - 16 - 1 - 12 - 1 - 10;
	char line[512], name[600], when[32];
	bool hidden = !has_purpose(l);
	int i;

	attron(A_BOLD | A_UNDERLINE);
	snprintf(line, sizeof(line), "%-22s %-*s %-16s %-12s %-10s",
		 "Reference", name_w, hidden ? NAME_HIDDEN : "Name", "Check",
		 "Asked by", "Asked on");
	ui_put(top + 1, 0, line, cols, true);
	attroff(A_BOLD | A_UNDERLINE);
	if (l->nchecks == 0)
		ui_put(top + 3, 2, "No identity check waits for our answer.",
		       cols - 4, false);
	for (i = 0; i < h && l->check_top + i < l->nchecks; i++) {
		const struct db_idcheck_pending *c = &l->checks[l->check_top + i];
		bool sel = i == l->cur;
		int y = top + 2 + i;
		if (hidden)
			name[0] = '\0';
		else
			snprintf(name, sizeof(name), "%s%s%s", c->surnames,
				 c->given_names[0] ? ", " : "",
				 c->given_names);
		rcms_time_format(c->asked_at, when, sizeof(when));
		when[10] = '\0';
		if (sel)
			attron(A_REVERSE);
		ui_put(y, 0, c->final_ref[0] ? c->final_ref : c->local_ref, 22,
		       true);
		addch(' ');
		ui_put(y, 23, name, name_w, true);
		addch(' ');
		ui_put(y, 24 + name_w, rcms_enum_label(rcms_idcheck_kind_names,
						       (int)c->kind), 16, true);
		addch(' ');
		ui_put(y, 41 + name_w, c->asked_by, 12, true);
		addch(' ');
		ui_put(y, 54 + name_w, when, cols - 54 - name_w, true);
		if (sel)
			attroff(A_REVERSE);
	}
}

static void draw(struct view *v, int top, int rows, int cols)
{
	struct case_list *l = of(v);
	int name_w = cols - 22 - 1 - 1 - 3 - 1 - 17 - 1 - 15 - 1;
	int i, y, h = rows - 2;
	char line[512], sum[480];
	int64_t now = ui_now();
	bool hidden = !has_purpose(l);

	if (h != l->h && h > 0) {
		l->h = h > PAGE_MAX ? PAGE_MAX : h;
		load(l);
	}
	summary(l, sum, sizeof(sum));
	if (l->search.len || l->searching) {
		/* "search: ", the text typed, then the rest */
		char s[UI_EDIT_MAX * 4];
		ui_put(top, 0, "search:", 8, true);
		ui_put(top, 8, ui_edit_get(&l->search, s, sizeof(s)), 30,
		       true);
		snprintf(line, sizeof(line), " | %s", sum);
		ui_put(top, 38, line, cols - 38, false);
	} else {
		ui_put(top, 0, sum, cols, false);
	}
	if (l->mode == LIST_INBOX && l->show_checks) {
		draw_checks(l, top, h, cols);
		return;
	}
	attron(A_BOLD | A_UNDERLINE);
	snprintf(line, sizeof(line), "%-22s %-*s %-3s %-17s %-15s",
		 "Reference", name_w, hidden ? NAME_HIDDEN : "Name", "Nat",
		 "Status", "Deadline");
	ui_put(top + 1, 0, line, cols, true);
	attroff(A_BOLD | A_UNDERLINE);
	if (l->n == 0) {
		ui_put(top + 3, 2, l->mode == LIST_APPROVALS
			   ? "Nothing waits for your approval."
			   : l->mode == LIST_INBOX
			   ? "Nothing is addressed to this agency."
			   : "No cases here.  n opens a new case, x clears "
			     "the filters.", cols - 4, false);
	}
	for (i = 0; i < l->n && i < h; i++) {
		const struct db_case_row *r = &l->rows[i];
		char name[600], due[32];
		bool sel = i == l->cur;
		y = top + 2 + i;
		if (hidden)
			name[0] = '\0';
		else
			snprintf(name, sizeof(name), "%s%s%s", r->surnames,
				 r->given_names[0] ? ", " : "",
				 r->given_names);
		ui_due_text(now, r->reply_due, r->status, due, sizeof(due));
		if (sel)
			attron(A_REVERSE);
		ui_put(y, 0, r->final_ref[0] ? r->final_ref : r->local_ref,
		       22, true);
		addch(' ');
		ui_put(y, 23, name, name_w, true);
		addch(' ');
		ui_put(y, 24 + name_w, r->nationality, 3, true);
		addch(' ');
		if (!sel)
			attron(COLOR_PAIR(ui_status_pair(r->status)));
		ui_put(y, 28 + name_w, short_status(r->status), 17, true);
		if (!sel)
			attroff(COLOR_PAIR(ui_status_pair(r->status)));
		addch(' ');
		if (!sel && due[0] == 'o')
			attron(A_BOLD | COLOR_PAIR(UI_PAIR_BAD));
		ui_put(y, 46 + name_w, due, cols - 46 - name_w, true);
		attroff(A_BOLD | COLOR_PAIR(UI_PAIR_BAD));
		if (sel)
			attroff(A_REVERSE);
	}
	if (l->searching)
		ui_edit_draw(&l->search, top, 8, 30, true);
}

/* ---- moving ----------------------------------------------------------------------- */

/* Within the hits of a search: all in memory. */
static unsigned move_in_hits(struct case_list *l, enum ui_request req)
{
	int h = l->h > 0 ? l->h : 20, at = l->hit_top + l->cur;

	switch (req) {
	case UI_REQ_DOWN: at++; break;
	case UI_REQ_UP: at--; break;
	case UI_REQ_PAGE_DOWN: at += h; l->hit_top += h; break;
	case UI_REQ_PAGE_UP: at -= h; l->hit_top -= h; break;
	case UI_REQ_FIRST: at = 0; break;
	case UI_REQ_LAST: at = l->nhits - 1; break;
	default: break;
	}
	if (at >= l->nhits)
		at = l->nhits - 1;
	if (at < 0)
		at = 0;
	if (at < l->hit_top)
		l->hit_top = at;
	if (at >= l->hit_top + h)
		l->hit_top = at - h + 1;
	if (l->hit_top > l->nhits - h)
		l->hit_top = l->nhits - h;
	if (l->hit_top < 0)
		l->hit_top = 0;
	l->cur = at - l->hit_top;
	hits_window(l);
	return UI_REDRAW;
}

static unsigned move_by(struct case_list *l, enum ui_request req)
{
	struct db_case_row more[PAGE_MAX];
	int k, h = l->h > 0 ? l->h : 20;

	if (l->hits_on)
		return move_in_hits(l, req);
	switch (req) {
	case UI_REQ_DOWN:
		if (l->cur < l->n - 1) {
			l->cur++;
			break;
		}
		if (l->n == 0)
			break;
		{
			struct db_case_key kl;
			db_case_key_of(l->order, &l->rows[l->n - 1], &kl);
			k = fetch(l, &kl, false, false, more, 1);
		}
		if (k > 0 && l->n >= h) {
			/* one row further: the page starts at its second */
			set_top(l, &l->rows[1 < l->n ? 1 : 0], 1);
			load(l);
			l->cur = l->n - 1;
		}
		break;
	case UI_REQ_UP:
		if (l->cur > 0) {
			l->cur--;
			break;
		}
		if (l->n == 0)
			break;
		{
			struct db_case_key k0;
			db_case_key_of(l->order, &l->rows[0], &k0);
			if (fetch(l, &k0, false, true, more, 1) == 1) {
				set_top(l, &more[0], -1);
				load(l);
				l->cur = 0;
			}
		}
		break;
	case UI_REQ_PAGE_DOWN:
		if (l->n < h) {
			l->cur = l->n > 0 ? l->n - 1 : 0;
			break;
		}
		{
			struct db_case_key kl;
			db_case_key_of(l->order, &l->rows[l->n - 1], &kl);
			k = fetch(l, &kl, false, false, more, h);
			if (k > 0) {
				set_top(l, &more[0], l->n);
				load(l);
			} else {
				l->cur = l->n - 1;
			}
		}
		break;
	case UI_REQ_PAGE_UP:
		if (l->n == 0)
			break;
		{
			struct db_case_key k0;
			db_case_key_of(l->order, &l->rows[0], &k0);
			k = fetch(l, &k0, false, true, more, h);
			if (k > 0) {
				set_top(l, &more[k - 1], -(int64_t)k);
				load(l);
			} else {
				l->cur = 0;
			}
		}
		break;
	case UI_REQ_FIRST:
		from_start(l);
		break;
	case UI_REQ_LAST:
		k = fetch(l, NULL, false, true, more, h);
		if (k > 0) {
			l->from_end = true;
			l->top_pos = 0;
			set_top(l, &more[k - 1], -(int64_t)k);
			load(l);
			l->cur = l->n - 1;
		}
		break;
	default:
		break;
	}
	return UI_REDRAW;
}

/* ---- requests -------------------------------------------------------------------- */

static int complete_status(const char *prefix, char out[][256], int max)
{
	int i, n = 0;
	size_t len = strlen(prefix);

	for (i = 0; rcms_case_status_names[i].name && n < max; i++)
		if (strncmp(rcms_case_status_names[i].name, prefix, len) == 0)
			snprintf(out[n++], 256, "%s",
				 rcms_case_status_names[i].name);
	return n;
}

/* The inbox showing its identity checks: moving, Enter answers one, Tab
 * goes back to the applications; UI_PASS for the rest. */
static unsigned handle_checks(struct case_list *l, enum ui_request req)
{
	struct ui *ui = l->v.ui;
	int h = l->h > 0 ? l->h : 20, at = l->check_top + l->cur, n;

	switch (req) {
	case UI_REQ_DOWN: at++; break;
	case UI_REQ_UP: at--; break;
	case UI_REQ_PAGE_DOWN: at += h; break;
	case UI_REQ_PAGE_UP: at -= h; break;
	case UI_REQ_FIRST: at = 0; break;
	case UI_REQ_LAST: at = l->nchecks - 1; break;
	case UI_REQ_NEXT_TAB:
	case UI_REQ_PREV_TAB:
		l->show_checks = false;
		l->cur = 0;
		load(l);
		return UI_REDRAW;
	case UI_REQ_ENTER:
	case UI_REQ_ANSWER:
		if (at < 0 || at >= l->nchecks)
			return UI_NOTHING;
		n = ui->nviews;
		ui_push(ui, ui_case_view_new(ui, l->checks[at].local_ref));
		if (ui->nviews > n)
			return ui_case_view_answer(ui_top(ui)) | UI_REDRAW;
		return UI_REDRAW;
	default:
		return UI_PASS;
	}
	if (at >= l->nchecks)
		at = l->nchecks - 1;
	if (at < 0)
		at = 0;
	if (at < l->check_top)
		l->check_top = at;
	if (at >= l->check_top + h)
		l->check_top = at - h + 1;
	l->cur = at - l->check_top;
	return UI_REDRAW;
}

static unsigned handle(struct view *v, enum ui_request req, const char *arg)
{
	struct case_list *l = of(v);
	struct ui *ui = v->ui;
	int st;

	if (l->searching && (req == UI_REQ_ENTER || req == UI_REQ_BACK)) {
		l->searching = false;
		v->edit = NULL;
		if (l->hits_on && !l->ranked) {
			search_run(l, true);
			load(l);
		}
		search_committed(l);
		return UI_REDRAW;
	}
	if (l->mode == LIST_INBOX && l->show_checks) {
		unsigned c = handle_checks(l, req);
		if (!(c & UI_PASS))
			return c;
		l->show_checks = false;   /* the rest is about the cases */
		l->cur = 0;
		load(l);
	} else if (l->mode == LIST_INBOX &&
		   (req == UI_REQ_NEXT_TAB || req == UI_REQ_PREV_TAB)) {
		l->show_checks = true;
		l->cur = 0;
		l->check_top = 0;
		return UI_REDRAW;
	}
	switch (req) {
	case UI_REQ_UP:
	case UI_REQ_DOWN:
	case UI_REQ_PAGE_UP:
	case UI_REQ_PAGE_DOWN:
	case UI_REQ_FIRST:
	case UI_REQ_LAST:
		return move_by(l, req);
	case UI_REQ_ENTER:
		if (l->n == 0)
			return UI_NOTHING;
		ui_push(ui, ui_case_view_new(ui, l->rows[l->cur].local_ref));
		return UI_REDRAW;
	case UI_REQ_SEARCH:
		if (!has_purpose(l)) {
			ui_error(ui, "Say first why you consult cases: open "
				 "one (Enter), or start with rcms ui --why");
			return UI_REDRAW;
		}
		if (arg) {
			ui_edit_set(&l->search, arg);
			from_start(l);
			search_committed(l);
			return UI_REDRAW;
		}
		l->searching = true;
		v->edit = &l->search;
		return UI_REDRAW;
	case UI_REQ_FILTER_STATUS:
		if (!arg)
			return ui_ask_text(ui, v, req, "Status (empty: any):",
					   "", complete_status);
		if (!arg[0]) {
			l->status = -1;
		} else if (rcms_enum_parse(rcms_case_status_names, arg, &st)) {
			ui_error(ui, "'%.40s' is not a status; Tab completes",
				 arg);
			return UI_REDRAW;
		} else {
			l->status = st;
		}
		from_start(l);
		return UI_REDRAW;
	case UI_REQ_FILTER_AGENCY:
		if (!arg)
			return ui_ask_text(ui, v, req,
					   "Agency (RS-MUP; empty: any):", "",
					   NULL);
		if (arg[0] && rcms_agency_code_check(arg, "agency", NULL)) {
			ui_error(ui, "'%.20s' is not an agency code such as "
				 "RS-MUP", arg);
			return UI_REDRAW;
		}
		snprintf(l->agency, sizeof(l->agency), "%s", arg);
		from_start(l);
		return UI_REDRAW;
	case UI_REQ_FILTER_DUE:
		if (!arg)
			return ui_ask_text(ui, v, req,
					   "Due within how many days (empty: "
					   "any):", "", NULL);
		{
			char *end = NULL;
			long d = arg[0] ? strtol(arg, &end, 10) : 0;
			if (arg[0] && (!end || *end || d < 1 || d > 3650)) {
				ui_error(ui, "give a number of days, 1 to "
					 "3650");
				return UI_REDRAW;
			}
			l->due_days = (int)d;
		}
		from_start(l);
		return UI_REDRAW;
	case UI_REQ_FILTER_MINE:
		l->mine = !l->mine;
		from_start(l);
		return UI_REDRAW;
	case UI_REQ_FILTER_CLEAR:
		l->status = -1;
		l->agency[0] = '\0';
		l->due_days = 0;
		l->mine = false;
		ui_edit_set(&l->search, "");
		l->searching = false;
		v->edit = NULL;
		from_start(l);
		return UI_REDRAW;
	case UI_REQ_SORT:
		if (arg) {
			int o;
			for (o = 0; o < 4; o++)
				if (strcmp(arg, order_names[o]) == 0 ||
				    (o == DB_ORDER_UPDATED &&
				     strcmp(arg, "updated") == 0) ||
				    (o == DB_ORDER_CREATED &&
				     strcmp(arg, "created") == 0) ||
				    (o == DB_ORDER_DUE &&
				     strcmp(arg, "due") == 0) ||
				    (o == DB_ORDER_REF &&
				     strcmp(arg, "ref") == 0))
					break;
			if (o == 4) {
				ui_error(ui, "sort by updated, created, due "
					 "or ref");
				return UI_REDRAW;
			}
			l->order = (enum db_order)o;
		} else {
			l->order = (enum db_order)((l->order + 1) % 4);
		}
		from_start(l);
		if (l->hits_on)
			ui_say(ui, "Sorted by %s when the search is cleared; "
			       "the hits come best first.",
			       order_names[l->order]);
		else
			ui_say(ui, "Sorted by %s.", order_names[l->order]);
		return UI_REDRAW;
	case UI_REQ_NEW_CASE:
		ui_push(ui, ui_form_new(ui, NULL));
		return UI_REDRAW;
	default:
		return UI_PASS;
	}
}

/* A letter typed: the newest hits now, ranked when typing pauses (at
 * once in a script: nothing pauses there). */
static unsigned edited(struct view *v)
{
	struct case_list *l = of(v);
	bool now = v->ui->script != NULL;

	memset(&l->top, 0, sizeof(l->top));
	l->cur = 0;
	l->commit_at_ms = 0;
	if (search_run(l, now) && !now && l->hits_on && !l->search_bad)
		l->rank_at_ms = ui_ms() + RANK_PAUSE_MS;
	else if (now)
		hits_shown(l);
	load(l);
	return UI_REDRAW;
}

static unsigned tick(struct view *v)
{
	struct case_list *l = of(v);

	if (l->commit_at_ms && ui_ms() >= l->commit_at_ms)
		search_committed(l);
	if (!l->rank_at_ms || ui_ms() < l->rank_at_ms)
		return UI_NOTHING;
	search_run(l, true);
	hits_shown(l);
	l->cur = 0;
	load(l);
	return UI_REDRAW;
}

static void close_view(struct view *v)
{
	free(of(v)->hits);
	free(of(v)->checks);
	free(v);
}

static const struct view_ops list_ops = {
	.name = "case-list",
	.keymap = &ui_keymap_list,
	.open = open_list,
	.draw = draw,
	.handle = handle,
	.edited = edited,
	.tick = tick,
	.close = close_view,
};

struct view *ui_case_list_new(struct ui *ui, enum list_mode mode)
{
	struct case_list *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->v.ops = &list_ops;
	l->v.ui = ui;
	l->mode = mode;
	l->status = -1;
	l->h = LINES - 5 > 0 && LINES - 5 <= PAGE_MAX ? LINES - 5 : 20;
	l->search.max_bytes = RCMS_NAME_LEN - 1;
	switch (mode) {
	case LIST_INBOX:
		l->order = DB_ORDER_DUE;
		snprintf(l->v.title, sizeof(l->v.title),
			 "Inbox: applications addressed to %s", ui->id.agency);
		break;
	case LIST_APPROVALS:
		snprintf(l->v.title, sizeof(l->v.title),
			 "Approval queue: applications awaiting approval");
		break;
	default:
		snprintf(l->v.title, sizeof(l->v.title), "Cases");
	}
	return &l->v;
}

struct view *ui_home_new(struct ui *ui)
{
	return ui_case_list_new(ui, LIST_ALL);
}
