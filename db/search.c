/*
 * search.c - finding people: the full-text index of persons (FTS5, on
 * folded names), the search query language, and duplicate persons.
 *
 * The index (migration 5) is two tables:
 *
 *   search_persons  one row per case: the person's words folded
 *                   (app/fold.h) into names, keys and skels, document
 *                   numbers (docs), the case's references (refs) and the
 *                   birth year as a token (facts: "y1990", "y0" unknown);
 *   search_fts      FTS5 over search_persons (external content), written
 *                   here with it: the schema is not trusted
 *                   (trusted_schema=OFF), so no trigger writes it.
 *
 * Only this file writes search_persons' words, always inside the
 * transaction of the use case that changed the case (db_search_index):
 * create, edit, document added, pull, push results (a final reference),
 * conflict resolution.  A case's status, nationality and birth date are
 * filters, not words: search_persons holds a copy of them (and of the
 * agencies and the time of the last change), taken from the case when
 * its row is made and kept equal to it by migration 9's trigger, so that
 * a search filters and sorts its matches without reading the cases
 * table.
 */
#include "db/db_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the index ------------------------------------------------------- */

/* Append s (and a space before it when buf is not empty), or nothing when
 * it does not fit. */
static void put_words(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf), l = strlen(s);

	if (l == 0)
		return;
	if (n + (n ? 1 : 0) + l + 1 > size)
		return;
	if (n)
		buf[n++] = ' ';
	memcpy(buf + n, s, l + 1);
}

static void index_fold(struct db_search_words *r, const char *s)
{
	struct rcms_fold f;
	char buf[RCMS_FOLD_WORDS * RCMS_FOLD_WORD_LEN];

	rcms_fold_name(s, &f);
	if (f.n == 0)
		return;
	put_words(r->names, sizeof(r->names),
		  rcms_fold_join(&f, 't', buf, sizeof(buf)));
	put_words(r->keys, sizeof(r->keys),
		  rcms_fold_join(&f, 'k', buf, sizeof(buf)));
	put_words(r->skels, sizeof(r->skels),
		  rcms_fold_join(&f, 's', buf, sizeof(buf)));
}

static const char fts_delete_sql[] =
	"INSERT INTO search_fts(search_fts, rowid, names, keys, skels, docs,"
	" refs, facts) SELECT 'delete', pid, names, keys, skels, docs, refs,"
	" facts FROM search_persons WHERE pid = ?1";
/* deferred (db_search_defer): what the index holds of a person, kept
 * once before its row changes; and the persons it must take */
static const char old_note_sql[] =
	"INSERT OR IGNORE INTO temp.search_old SELECT pid, names, keys, skels,"
	" docs, refs, facts FROM search_persons WHERE pid = ?1"
	/* a person first indexed in this batch is not in FTS5 yet */
	" AND pid NOT IN (SELECT pid FROM temp.search_new)";
static const char new_note_sql[] =
	"INSERT OR IGNORE INTO temp.search_new(pid) VALUES(?1)";
static const char fts_insert_sql[] =
	"INSERT INTO search_fts(rowid, names, keys, skels, docs, refs, facts)"
	" SELECT pid, names, keys, skels, docs, refs, facts FROM search_persons"
	" WHERE pid = ?1";

/* Run a cached statement whose only parameter is a row id. */
static enum rcms_status run_pid(struct rcms_db *db, const char *sql,
				int64_t pid, struct rcms_err *err)
{
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_int(s, 1, pid);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
}

/* A new person's row takes its case's columns (migration 12); the post
 * step of an earlier migration writes the schema of its time. */
static bool row_takes_facts(const struct rcms_db *db)
{
	return !db->migrating || db->migrating >= 12;
}

/*
 * Write a case's row and its FTS5 entry (external content: the old entry
 * is deleted with the values it was indexed with, before they change).
 * An unchanged row is left alone.
 */
static enum rcms_status put_row(struct rcms_db *db, const char *case_id,
				const struct db_search_words *r,
				struct rcms_err *err)
{
	static const char get_sql[] =
		"SELECT pid, names = ?2 AND keys = ?3 AND skels = ?4 AND"
		" docs = ?5 AND refs = ?6 AND facts = ?7"
		" FROM search_persons WHERE case_id = ?1";
	/* a new person with its case's columns, and without them (before
	 * migration 9 there are none: row_takes_facts) */
	static const char ins_sql[] =
		"INSERT INTO search_persons(case_id, names, keys, skels, docs,"
		" refs, facts, " SEARCH_FACTS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
		" ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
	static const char ins_old_sql[] =
		"INSERT INTO search_persons(case_id, names, keys, skels, docs,"
		" refs, facts) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	static const char upd_sql[] =
		"UPDATE search_persons SET names = ?2, keys = ?3, skels = ?4,"
		" docs = ?5, refs = ?6, facts = ?7 WHERE pid = ?1";
	const char *const cols[6] = {r->names, r->keys, r->skels, r->docs,
				     r->refs, r->facts};
	enum rcms_status st;
	sqlite3_stmt *s;
	int64_t pid = 0;
	int rc, i, same = 0;

	if (!(s = db_stmt(db, get_sql, err)))
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, case_id);
	for (i = 0; i < 6; i++)
		db_bind_text(s, i + 2, cols[i]);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		pid = sqlite3_column_int64(s, 0);
		same = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sqlerr(db, rc, err);
	if (pid && same)
		return RCMS_OK;
	if (pid && db->search_defer &&
	    (st = run_pid(db, old_note_sql, pid, err)))
		return st;
	if (pid && !db->search_defer &&
	    (st = run_pid(db, fts_delete_sql, pid, err)))
		return st;
	if (!(s = db_stmt(db, pid ? upd_sql
				  : row_takes_facts(db) ? ins_sql : ins_old_sql,
			 err)))
		return err ? err->status : RCMS_ERR_DB;
	if (pid)
		db_bind_int(s, 1, pid);
	else
		db_bind_text(s, 1, case_id);
	for (i = 0; i < 6; i++)
		db_bind_text(s, i + 2, cols[i]);
	if (!pid && row_takes_facts(db)) {
		db_bind_int(s, 8, r->updated_at);
		db_bind_text(s, 9, r->requesting);
		db_bind_text(s, 10, r->requested);
		db_bind_text(s, 11, r->status);
		db_bind_text(s, 12, r->nationality);
		db_bind_text(s, 13, r->birth_date);
	}
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_sqlerr(db, rc, err);
	if (!pid)
		pid = sqlite3_last_insert_rowid(db->sql);
	return run_pid(db, db->search_defer ? new_note_sql : fts_insert_sql,
		       pid, err);
}

enum rcms_status db_search_defer(struct rcms_db *db, struct rcms_err *err)
{
	int rc = sqlite3_exec(db->sql,
		"CREATE TEMP TABLE IF NOT EXISTS search_old(pid INTEGER"
		"  PRIMARY KEY, names, keys, skels, docs, refs, facts);"
		"CREATE TEMP TABLE IF NOT EXISTS search_new(pid INTEGER"
		"  PRIMARY KEY);"
		"DELETE FROM temp.search_old; DELETE FROM temp.search_new;",
		NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return db_sqlerr(db, rc, err);
	db->search_defer = true;
	return RCMS_OK;
}

enum rcms_status db_search_flush(struct rcms_db *db, struct rcms_err *err)
{
	static const char drop_sql[] =
		"INSERT INTO search_fts(search_fts, rowid, names, keys, skels,"
		" docs, refs, facts) SELECT 'delete', pid, names, keys, skels,"
		" docs, refs, facts FROM temp.search_old";
	/* the page's new rows first, each found by its pid (CROSS JOIN
	 * keeps that order): the temporary table has no statistics, and
	 * SQLite chose to read every person of the replica instead, on
	 * every page, an empty one too */
	static const char take_sql[] =
		"INSERT INTO search_fts(rowid, names, keys, skels, docs, refs,"
		" facts) SELECT p.pid, p.names, p.keys, p.skels, p.docs, p.refs,"
		" p.facts FROM temp.search_new n CROSS JOIN search_persons p"
		" ON p.pid = n.pid";
	static const char clear_sql[] =
		"DELETE FROM temp.search_old; DELETE FROM temp.search_new;";
	const char *const steps[] = {drop_sql, take_sql};
	sqlite3_stmt *s;
	size_t i;
	int rc;

	if (!db->search_defer)
		return RCMS_OK;
	db->search_defer = false;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (!(s = db_stmt(db, steps[i], err)))
			return err ? err->status : RCMS_ERR_DB;
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_sqlerr(db, rc, err);
	}
	rc = sqlite3_exec(db->sql, clear_sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? RCMS_OK : db_sqlerr(db, rc, err);
}

void db_search_defer_cancel(struct rcms_db *db)
{
	db->search_defer = false;
}

enum rcms_status db_search_unindex(struct rcms_db *db, const char *case_id,
				   struct rcms_err *err)
{
	static const char get_sql[] =
		"SELECT pid FROM search_persons WHERE case_id = ?1";
	static const char del_sql[] = "DELETE FROM search_persons WHERE pid = ?1";
	sqlite3_stmt *s = db_stmt(db, get_sql, err);
	enum rcms_status st;
	int64_t pid = 0;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, case_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		pid = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sqlerr(db, rc, err);
	if (!pid)
		return RCMS_OK;
	if ((st = run_pid(db, fts_delete_sql, pid, err)))
		return st;
	return run_pid(db, del_sql, pid, err);
}

/* The words of a person from its case's texts as stored (names: the five
 * name columns); words->docs are added to it after. */
static void words_of(struct db_search_words *r, const char *const names[5],
		     const char *local_ref, const char *final_ref)
{
	int i;

	r->names[0] = r->keys[0] = r->skels[0] = r->docs[0] = r->refs[0] =
		r->facts[0] = '\0';
	for (i = 0; i < 5; i++)
		index_fold(r, names[i]);
	put_words(r->refs, sizeof(r->refs), local_ref);
	put_words(r->refs, sizeof(r->refs), final_ref);
	snprintf(r->facts, sizeof(r->facts), "y%.4s",
		 r->birth_date[0] ? r->birth_date : "0");
}

static void words_doc(struct db_search_words *r, const char *number)
{
	char code[128];

	put_words(r->docs, sizeof(r->docs),
		  rcms_fold_code(number, code, sizeof(code)));
}

/* A text field of a case as it is written (db/case.c's bind_case: up to
 * its first NUL within the field), into buf. */
static void case_text(const char *field, size_t size, char *buf,
		      size_t bufsize)
{
	size_t n = strnlen(field, size);

	if (n >= bufsize)
		n = bufsize - 1;
	memcpy(buf, field, n);
	buf[n] = '\0';
}

void db_search_words(const struct rcms_case *c,
		     const struct rcms_document *docs, size_t ndocs,
		     struct db_search_words *w)
{
	char n[5][RCMS_NAME_LEN], lref[RCMS_NAME_LEN], fref[RCMS_NAME_LEN];
	const char *const names[5] = {n[0], n[1], n[2], n[3], n[4]};
	const struct rcms_person *p = &c->person;
	const char *status;
	size_t i;

	case_text(p->surnames, sizeof(p->surnames), n[0], sizeof(n[0]));
	case_text(p->given_names, sizeof(p->given_names), n[1], sizeof(n[1]));
	case_text(p->name_native, sizeof(p->name_native), n[2], sizeof(n[2]));
	case_text(p->previous_names, sizeof(p->previous_names), n[3],
		  sizeof(n[3]));
	case_text(p->aliases, sizeof(p->aliases), n[4], sizeof(n[4]));
	case_text(c->local_ref, sizeof(c->local_ref), lref, sizeof(lref));
	case_text(c->final_ref, sizeof(c->final_ref), fref, sizeof(fref));
	if (rcms_pdate_format(&p->birth_date, w->birth_date,
			      sizeof(w->birth_date)) < 0)
		w->birth_date[0] = '\0';
	words_of(w, names, lref, fref);
	for (i = 0; i < ndocs; i++)
		words_doc(w, docs[i].number);
	w->updated_at = c->updated_at;
	case_text(c->requesting_agency, sizeof(c->requesting_agency),
		  w->requesting, sizeof(w->requesting));
	case_text(c->requested_agency, sizeof(c->requested_agency),
		  w->requested, sizeof(w->requested));
	status = rcms_enum_name(rcms_case_status_names, (int)c->status);
	case_text(status ? status : "", sizeof(w->status), w->status,
		  sizeof(w->status));
	case_text(p->nationality, sizeof(p->nationality), w->nationality,
		  sizeof(w->nationality));
}

/* The texts of the words, in their packed order. */
#define WORDS_TEXTS(w)                                                        \
	{                                                                     \
		{(w)->names, sizeof((w)->names)},                             \
		{(w)->keys, sizeof((w)->keys)},                               \
		{(w)->skels, sizeof((w)->skels)},                             \
		{(w)->docs, sizeof((w)->docs)},                               \
		{(w)->refs, sizeof((w)->refs)},                               \
		{(w)->facts, sizeof((w)->facts)},                             \
		{(w)->requesting, sizeof((w)->requesting)},                   \
		{(w)->requested, sizeof((w)->requested)},                     \
		{(w)->status, sizeof((w)->status)},                           \
		{(w)->nationality, sizeof((w)->nationality)},                 \
		{(w)->birth_date, sizeof((w)->birth_date)},                   \
	}
#define NTEXTS 11

size_t db_search_words_pack(const struct db_search_words *w, char *buf,
			    size_t size)
{
	const struct {
		const char *p;
		size_t size;
	} t[NTEXTS] = WORDS_TEXTS(w);
	char when[24];
	size_t need = 0, i, l;

	snprintf(when, sizeof(when), "%lld", (long long)w->updated_at);
	for (i = 0; i <= NTEXTS; i++) {
		const char *p = i < NTEXTS ? t[i].p : when;
		l = i < NTEXTS ? strnlen(p, t[i].size - 1) : strlen(p);
		if (buf && need + l + 1 <= size) {
			memcpy(buf + need, p, l);
			buf[need + l] = '\0';
		}
		need += l + 1;
	}
	return need;
}

/* Packed words back into w (each text within its field: they were). */
static void words_unpack(const char *p, struct db_search_words *w)
{
	struct {
		char *p;
		size_t size;
	} t[NTEXTS] = WORDS_TEXTS(w);
	size_t i, l;

	for (i = 0; i < NTEXTS; i++) {
		l = strlen(p);
		if (l >= t[i].size)
			l = t[i].size - 1;
		memcpy(t[i].p, p, l);
		t[i].p[l] = '\0';
		p += strlen(p) + 1;
	}
	w->updated_at = strtoll(p, NULL, 10);
}

enum rcms_status db_search_index_words(struct rcms_db *db,
				       const char *case_id,
				       const char *packed,
				       struct rcms_err *err)
{
	struct db_search_words *w = malloc(sizeof(*w));
	enum rcms_status st;

	if (!w)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	words_unpack(packed, w);
	st = put_row(db, case_id, w, err);
	free(w);
	return st;
}

enum rcms_status db_search_index(struct rcms_db *db, const char *case_id,
				 struct rcms_err *err)
{
	static const char get_sql[] =
		"SELECT surnames, given_names, name_native, previous_names,"
		" aliases, local_ref, final_ref, birth_date, updated_at,"
		" requesting_agency, requested_agency, status, nationality"
		" FROM cases WHERE id = ?1";
	static const char docs_sql[] =
		"SELECT number FROM documents WHERE case_id = ?1 ORDER BY rowid";
	struct db_search_words *r = NULL;
	char text[7][RCMS_NAME_LEN];
	const char *const names[5] = {text[0], text[1], text[2], text[3],
				      text[4]};
	enum rcms_status st = RCMS_OK;
	sqlite3_stmt *s;
	int rc, i;

	/* not 9 KB of zeros a case: words_of sets the strings */
	r = malloc(sizeof(*r));
	if (!r)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	if (!(s = db_stmt(db, get_sql, err))) {
		st = err ? err->status : RCMS_ERR_DB;
		goto out;
	}
	db_bind_text(s, 1, case_id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		st = rc == SQLITE_DONE ? RCMS_OK : db_sqlerr(db, rc, err);
		goto out;  /* no such case: nothing to index */
	}
	for (i = 0; i < 7; i++)
		db_col_text(s, i, text[i], sizeof(text[i]));
	db_col_text(s, 7, r->birth_date, sizeof(r->birth_date));
	words_of(r, names, text[5], text[6]);
	r->updated_at = sqlite3_column_int64(s, 8);
	db_col_text(s, 9, r->requesting, sizeof(r->requesting));
	db_col_text(s, 10, r->requested, sizeof(r->requested));
	db_col_text(s, 11, r->status, sizeof(r->status));
	db_col_text(s, 12, r->nationality, sizeof(r->nationality));
	sqlite3_reset(s);

	if (!(s = db_stmt(db, docs_sql, err))) {
		st = err ? err->status : RCMS_ERR_DB;
		goto out;
	}
	db_bind_text(s, 1, case_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		db_col_text(s, 0, text[0], sizeof(text[0]));
		words_doc(r, text[0]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(db, rc, err);
		goto out;
	}

	st = put_row(db, case_id, r, err);
out:
	free(r);
	return st;
}

enum rcms_status db_search_index_op(struct rcms_db *db, const char *op_id,
				    struct rcms_err *err)
{
	static const char sql[] =
		"SELECT entity_id FROM outbox WHERE op_id = ?1";
	char id[RCMS_ID_LEN] = "";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, op_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		db_col_text(s, 0, id, sizeof(id));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sqlerr(db, rc, err);
	return id[0] ? db_search_index(db, id, err) : RCMS_OK;
}

enum rcms_status db_search_reindex_all(struct rcms_db *db,
				       struct rcms_err *err)
{
	sqlite3_stmt *s = NULL;
	enum rcms_status st = RCMS_OK;
	char id[RCMS_ID_LEN];
	int rc;

	size_t n = 0;

	/* its own statement: db_search_index uses the cached ones; the FTS5
	 * rows go in bulk, a thousand persons at a time */
	rc = sqlite3_prepare_v2(db->sql, "SELECT id FROM cases", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return db_sqlerr(db, rc, err);
	if ((st = db_search_defer(db, err))) {
		sqlite3_finalize(s);
		return st;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		db_col_text(s, 0, id, sizeof(id));
		if ((st = db_search_index(db, id, err)))
			break;
		if (++n % 1000 == 0 && ((st = db_search_flush(db, err)) ||
					(st = db_search_defer(db, err))))
			break;
	}
	if (!st && rc != SQLITE_DONE)
		st = db_sqlerr(db, rc, err);
	sqlite3_finalize(s);
	if (!st)
		st = db_search_flush(db, err);
	else
		db_search_defer_cancel(db);
	return st;
}

/* ---- the query language ----------------------------------------------- */

/* Append text to the expression, or fail when it is full. */
static enum rcms_status expr_put(struct db_search_query *q, const char *s,
				 struct rcms_err *err)
{
	size_t n = strlen(q->match), l = strlen(s);

	if (n + l + 1 > sizeof(q->match))
		return rcms_err_set(err, RCMS_ERR_INVALID, "query",
				    "search: the query is too long; use "
				    "fewer words");
	memcpy(q->match + n, s, l + 1);
	return RCMS_OK;
}

static enum rcms_status expr_and(struct db_search_query *q,
				 const char *term, struct rcms_err *err)
{
	enum rcms_status st = RCMS_OK;

	if (q->match[0])
		st = expr_put(q, " AND ", err);
	return st ? st : expr_put(q, term, err);
}

/* The term of one folded word: a prefix of its text in names, document
 * numbers and references, or its key (a prefix too from four letters on:
 * search as you type); Arabic script by its skeleton. */
static enum rcms_status word_term(struct db_search_query *q,
				  const struct rcms_fold_word *w,
				  struct rcms_err *err)
{
	char t[4 * RCMS_FOLD_WORD_LEN + 96];

	if (w->abjad)
		snprintf(t, sizeof(t), "skels : \"%s\"*", w->skel);
	else if (w->key[0])
		snprintf(t, sizeof(t),
			 "({names docs refs} : \"%s\"* OR keys : \"%s\"%s)",
			 w->text, w->key, strlen(w->text) >= 4 ? "*" : "");
	else
		snprintf(t, sizeof(t), "{names docs refs} : \"%s\"*", w->text);
	return expr_and(q, t, err);
}

static enum rcms_status filter_value(const char *name, const char *v,
				     struct db_search_query *q,
				     struct rcms_err *err)
{
	char t[256], code[128];

	if (!*v)
		return rcms_err_set(err, RCMS_ERR_INVALID, "query",
				    "search: %.20s: needs a value (%.20s:...)",
				    name, name);
	if (strcmp(name, "nat") == 0 || strcmp(name, "nationality") == 0) {
		const struct rcms_country *c = rcms_country_find(v);
		if (!c)
			return rcms_err_set(err, RCMS_ERR_INVALID, "query",
					    "search: nat:%.40s is not a "
					    "country; use a code such as PAK "
					    "or a name", v);
		snprintf(q->nationality, sizeof(q->nationality), "%s",
			 c->alpha3);
		return RCMS_OK;
	}
	if (strcmp(name, "dob") == 0 || strcmp(name, "born") == 0) {
		struct rcms_pdate d;
		struct rcms_err e;
		if (rcms_pdate_parse(v, "dob", &d, &e) != RCMS_OK ||
		    !rcms_pdate_is_set(&d))
			return rcms_err_set(err, RCMS_ERR_INVALID, "query",
					    "search: dob:%.40s is not a date; "
					    "write YYYY, YYYY-MM or "
					    "YYYY-MM-DD", v);
		rcms_pdate_format(&d, q->birth, sizeof(q->birth));
		return RCMS_OK;
	}
	if (strcmp(name, "status") == 0) {
		int st;
		char list[512];
		if (rcms_enum_parse(rcms_case_status_names, v, &st) != RCMS_OK)
			return rcms_err_set(
				err, RCMS_ERR_INVALID, "query",
				"search: status:%.40s is not a state; one of %s",
				v, rcms_enum_list(rcms_case_status_names, list,
						  sizeof(list)));
		snprintf(q->status, sizeof(q->status), "%s",
			 rcms_enum_name(rcms_case_status_names, st));
		return RCMS_OK;
	}
	if (strcmp(name, "doc") == 0) {
		rcms_fold_code(v, code, sizeof(code));
		if (!code[0])
			return rcms_err_set(err, RCMS_ERR_INVALID, "query",
					    "search: doc: needs letters or "
					    "digits of a document number");
		snprintf(t, sizeof(t), "docs : \"%s\"*", code);
		return expr_and(q, t, err);
	}
	if (strcmp(name, "ref") == 0) {
		struct rcms_fold f;
		char words[512];
		rcms_fold_name(v, &f);
		if (f.n == 0)
			return rcms_err_set(err, RCMS_ERR_INVALID, "query",
					    "search: ref: needs a reference");
		rcms_fold_join(&f, 't', words, sizeof(words));
		snprintf(t, sizeof(t), "refs : \"%.200s\"*", words);
		return expr_and(q, t, err);
	}
	return rcms_err_set(err, RCMS_ERR_INVALID, "query",
			    "search: there is no filter '%.20s:'; use nat:, "
			    "dob:, status:, doc: or ref:", name);
}

enum rcms_status db_search_parse(const char *query,
				 struct db_search_query *q,
				 struct rcms_err *err)
{
	const char *p = query;
	enum rcms_status st;

	if (!q)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL, "no query");
	memset(q, 0, sizeof(*q));
	if (!query)
		return RCMS_OK;
	while (*p) {
		char tok[512], name[24];
		size_t l;
		const char *colon;

		p += strspn(p, " \t\n");
		l = strcspn(p, " \t\n");
		if (l == 0)
			break;
		if (l >= sizeof(tok))
			return rcms_err_set(err, RCMS_ERR_INVALID, "query",
					    "search: a word of the query is "
					    "too long");
		memcpy(tok, p, l);
		tok[l] = '\0';
		p += l;
		colon = strchr(tok, ':');
		if (colon && colon > tok &&
		    (size_t)(colon - tok) < sizeof(name)) {
			size_t k, nl = (size_t)(colon - tok);
			for (k = 0; k < nl; k++) {
				char c = tok[k];
				name[k] = (char)(c >= 'A' && c <= 'Z'
							 ? c - 'A' + 'a' : c);
			}
			name[nl] = '\0';
			if ((st = filter_value(name, colon + 1, q, err)))
				return st;
			q->filters++;
			continue;
		}
		{
			struct rcms_fold f;
			size_t i;
			rcms_fold_name(tok, &f);
			for (i = 0; i < f.n; i++) {
				if ((st = word_term(q, &f.w[i], err)))
					return st;
				q->words++;
			}
		}
	}
	return RCMS_OK;
}

/* ---- search ------------------------------------------------------------ */

#define HIT_COLS                                                              \
	"c.id, c.local_ref, c.final_ref, c.requesting_agency,"                \
	" c.requested_agency, c.status, c.procedure, c.surnames,"             \
	" c.given_names, c.nationality, c.birth_date, c.created_by,"          \
	" c.created_at, c.updated_at, c.reply_due"

/* t: the table holding the case's columns (c, or search_persons p,
 * whose copies of them migration 9 keeps) */
#define HIT_FILTERS(t)                                                        \
	" AND (" t ".requesting_agency = ?2 OR " t ".requested_agency = ?2)"  \
	" AND (?3 = '' OR " t ".status = ?3)"                                 \
	" AND (?4 = '' OR " t ".nationality = ?4)"                            \
	" AND (?5 = '' OR (" t ".birth_date <> '' AND"                        \
	"  (substr(" t ".birth_date, 1, length(?5)) = ?5"                     \
	"   OR substr(?5, 1, length(" t ".birth_date)) = " t ".birth_date)))" \
	" AND (?8 = '' OR " t ".status <> 'closed' AND " t ".status <>"        \
	" 'withdrawn')"

/* The matches are ranked, filtered and cut to the page on the index's
 * own tables; only the page's cases are read from cases (a common name
 * matches tens of thousands of persons, each of whose case rows is a page
 * of the table apart).  bm25 weights: names, keys, skels, docs, refs,
 * facts. */
static const char search_sql[] =
	"SELECT " HIT_COLS ", t.r FROM (SELECT p.case_id AS id,"
	" p.updated_at AS u,"
	" bm25(search_fts, 10.0, 4.0, 1.0, 8.0, 8.0, 0.0) AS r"
	" FROM search_fts JOIN search_persons p ON p.pid = search_fts.rowid"
	" WHERE search_fts MATCH ?1" HIT_FILTERS("p")
	" ORDER BY r, u DESC LIMIT ?6 OFFSET ?7) t"
	" JOIN cases c ON c.id = t.id ORDER BY t.r, t.u DESC";

/* as one types: the most recently indexed first (FTS5 reads its rowids
 * backwards and stops at the limit; bm25 would score every match) */
static const char newest_sql[] =
	"SELECT " HIT_COLS ", 0.0 FROM (SELECT p.case_id AS id,"
	" search_fts.rowid AS k"
	" FROM search_fts JOIN search_persons p ON p.pid = search_fts.rowid"
	" WHERE search_fts MATCH ?1" HIT_FILTERS("p")
	" ORDER BY search_fts.rowid DESC LIMIT ?6 OFFSET ?7) t"
	" JOIN cases c ON c.id = t.id ORDER BY t.k DESC";

/* filters only: the newest first */
static const char filter_sql[] =
	"SELECT " HIT_COLS ", 0.0 FROM cases c WHERE ?1 = ''" HIT_FILTERS("c")
	" ORDER BY c.updated_at DESC, c.id DESC LIMIT ?6 OFFSET ?7";

static void hit_from_row(sqlite3_stmt *s, struct db_search_hit *h)
{
	struct db_case_row *r = &h->row;
	char buf[32];
	int v;

	memset(h, 0, sizeof(*h));
	db_col_text(s, 0, r->id, sizeof(r->id));
	db_col_text(s, 1, r->local_ref, sizeof(r->local_ref));
	db_col_text(s, 2, r->final_ref, sizeof(r->final_ref));
	db_col_text(s, 3, r->requesting_agency, sizeof(r->requesting_agency));
	db_col_text(s, 4, r->requested_agency, sizeof(r->requested_agency));
	db_col_text(s, 5, buf, sizeof(buf));
	v = 0;
	rcms_enum_parse(rcms_case_status_names, buf, &v);
	r->status = (enum rcms_case_status)v;
	db_col_text(s, 6, buf, sizeof(buf));
	v = 0;
	rcms_enum_parse(rcms_procedure_names, buf, &v);
	r->procedure = (enum rcms_procedure)v;
	db_col_text(s, 7, r->surnames, sizeof(r->surnames));
	db_col_text(s, 8, r->given_names, sizeof(r->given_names));
	db_col_text(s, 9, r->nationality, sizeof(r->nationality));
	db_col_text(s, 10, buf, sizeof(buf));
	if (buf[0])
		rcms_pdate_parse(buf, "date", &r->birth_date, NULL);
	db_col_text(s, 11, r->created_by, sizeof(r->created_by));
	r->created_at = sqlite3_column_int64(s, 12);
	r->updated_at = sqlite3_column_int64(s, 13);
	r->reply_due = sqlite3_column_int64(s, 14);
	/* bm25 is negative, better the lower: the score shown is its
	 * opposite */
	h->score = -sqlite3_column_double(s, 15);
}

enum rcms_status db_search(struct db_ctx *ctx, const struct db_search_opts *o,
			   int (*fn)(const struct db_search_hit *h, void *arg),
			   void *arg, struct rcms_err *err)
{
	struct db_search_query *q = NULL;
	struct db_search_hit h;
	enum rcms_status st;
	sqlite3_stmt *s;
	int rc;

	if (!ctx || !ctx->db || !o || !fn)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no query or callback");
	if ((st = rcms_perm_check(RCMS_PERM_CASE_READ, ctx->user.role, err)))
		return st;
	q = malloc(sizeof(*q));
	if (!q)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	if ((st = db_search_parse(o->query, q, err)))
		goto out;
	if (!q->match[0] && !q->filters) {
		st = rcms_err_set(err, RCMS_ERR_USAGE, "query",
				  "search: nothing to search for; give a "
				  "name, a number or a filter such as "
				  "nat:PAK");
		goto out;
	}
	s = db_stmt(ctx->db, !q->match[0] ? filter_sql
				: o->newest ? newest_sql : search_sql, err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto out;
	}
	db_bind_text(s, 1, q->match);
	db_bind_text(s, 2, ctx->user.agency);
	db_bind_text(s, 3, q->status);
	db_bind_text(s, 4, q->nationality);
	db_bind_text(s, 5, q->birth);
	db_bind_int(s, 6, o->limit > 0 ? o->limit : 20);
	db_bind_int(s, 7, o->offset > 0 ? o->offset : 0);
	db_bind_text(s, 8, o->open_only ? "1" : "");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		hit_from_row(s, &h);
		if (fn(&h, arg))
			break;
	}
	sqlite3_reset(s);
	st = (rc == SQLITE_ROW || rc == SQLITE_DONE)
		     ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
out:
	free(q);
	return st;
}

/* ---- duplicate persons ------------------------------------------------- */

static const char cand_cols[] =
	"c.id, c.local_ref, c.final_ref, c.status, c.surnames, c.given_names,"
	" c.name_native, c.previous_names, c.aliases, c.birth_date,"
	" c.nationality, p.docs";

/* The person of a row of cand_cols (from column 4 on). */
static void person_from_row(sqlite3_stmt *s, struct rcms_dup_person *p,
			    struct db_dup_hit *h)
{
	char sur[RCMS_NAME_LEN], giv[RCMS_NAME_LEN], nat[RCMS_NAME_LEN];
	char prev[RCMS_NAME_LEN], ali[RCMS_NAME_LEN], bd[32], nt[4];
	char docs[1024];
	struct rcms_pdate d = {0, 0, 0};
	char buf[32];
	int v = 0;

	db_col_text(s, 0, h->id, sizeof(h->id));
	db_col_text(s, 1, h->local_ref, sizeof(h->local_ref));
	db_col_text(s, 2, h->final_ref, sizeof(h->final_ref));
	db_col_text(s, 3, buf, sizeof(buf));
	rcms_enum_parse(rcms_case_status_names, buf, &v);
	h->status = (enum rcms_case_status)v;
	db_col_text(s, 4, sur, sizeof(sur));
	db_col_text(s, 5, giv, sizeof(giv));
	db_col_text(s, 6, nat, sizeof(nat));
	db_col_text(s, 7, prev, sizeof(prev));
	db_col_text(s, 8, ali, sizeof(ali));
	db_col_text(s, 9, bd, sizeof(bd));
	db_col_text(s, 10, nt, sizeof(nt));
	db_col_text(s, 11, docs, sizeof(docs));
	if (bd[0])
		rcms_pdate_parse(bd, "date", &d, NULL);
	snprintf(h->surnames, sizeof(h->surnames), "%s", sur);
	snprintf(h->given_names, sizeof(h->given_names), "%s", giv);
	snprintf(h->nationality, sizeof(h->nationality), "%s", nt);
	h->birth_date = d;
	rcms_dup_person_set(p, sur, giv, nat, prev, ali, &d, nt, docs);
}

/* The FTS expression that finds the candidates of a person: any of its
 * keys (skeletons for Arabic script) born the same year or of no known
 * year, or any of its document numbers. */
static void cand_expr(const struct rcms_dup_person *p, const char *year,
		      char *out, size_t size)
{
	const struct rcms_fold *fs[2] = {&p->name, &p->other};
	size_t n = 0, i, k;
	int words = 0;

	out[0] = '\0';
#define PUT(...)                                                              \
	do {                                                                  \
		int w_ = snprintf(out + n, size - n, __VA_ARGS__);            \
		if (w_ < 0 || (size_t)w_ >= size - n)                         \
			return;                                               \
		n += (size_t)w_;                                              \
	} while (0)
	for (k = 0; k < 2; k++)
		for (i = 0; i < fs[k]->n; i++) {
			const struct rcms_fold_word *w = &fs[k]->w[i];
			if (!w->key[0])
				continue;
			PUT("%s%s", words ? " OR " : "(", w->abjad
						? "skels : \"" : "keys : \"");
			PUT("%s\"", w->abjad ? w->skel : w->key);
			words++;
		}
	if (words) {
		PUT(")");
		if (year[0])
			PUT(" AND facts : (\"y%s\" OR \"y0\")", year);
	}
	{
		const char *d = p->docs;
		while (*d) {
			size_t l = strcspn(d, " ");
			if (l && l < 100)
				PUT("%sdocs : \"%.*s\"", n ? " OR " : "",
				    (int)l, d);
			d += l;
			d += strspn(d, " ");
		}
	}
#undef PUT
}

static int hit_cmp(const void *a, const void *b)
{
	const struct db_dup_hit *x = a, *y = b;

	if (x->decision != y->decision)
		return x->decision == DB_PERSON_SAME ? -1
		       : y->decision == DB_PERSON_SAME ? 1 : 0;
	if (x->score.score != y->score.score)
		return x->score.score > y->score.score ? -1 : 1;
	return strcmp(x->local_ref, y->local_ref);
}

static enum rcms_status decision_of(struct rcms_db *db, const char *a,
				    const char *b, int *out,
				    struct rcms_err *err)
{
	static const char sql[] =
		"SELECT decision FROM person_decisions WHERE a = ?1 AND b = ?2";
	sqlite3_stmt *s = db_stmt(db, sql, err);
	char buf[16] = "";
	int rc;

	*out = DB_PERSON_UNDECIDED;
	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, strcmp(a, b) < 0 ? a : b);
	db_bind_text(s, 2, strcmp(a, b) < 0 ? b : a);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		db_col_text(s, 0, buf, sizeof(buf));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sqlerr(db, rc, err);
	if (strcmp(buf, "same") == 0)
		*out = DB_PERSON_SAME;
	else if (strcmp(buf, "different") == 0)
		*out = DB_PERSON_DIFFERENT;
	return RCMS_OK;
}

#define DUP_CANDIDATES 5000

enum rcms_status db_duplicates(struct db_ctx *ctx, const char *ref,
			       const struct db_dup_opts *o,
			       int (*fn)(const struct db_dup_hit *h, void *arg),
			       void *arg, struct rcms_err *err)
{
	static const char self_sql[] =
		"SELECT c.id, c.local_ref, c.final_ref, c.status, c.surnames,"
		" c.given_names, c.name_native, c.previous_names, c.aliases,"
		" c.birth_date, c.nationality, COALESCE(p.docs,"
		"  (SELECT group_concat(number, ' ') FROM documents"
		"   WHERE case_id = c.id), '') FROM cases c"
		" LEFT JOIN search_persons p ON p.case_id = c.id"
		" WHERE c.id = ?1";
	static const char cand_sql[] =
		"SELECT c.id, c.local_ref, c.final_ref, c.status, c.surnames,"
		" c.given_names, c.name_native, c.previous_names, c.aliases,"
		" c.birth_date, c.nationality, p.docs FROM search_fts"
		" JOIN search_persons p ON p.pid = search_fts.rowid"
		" JOIN cases c ON c.id = p.case_id"
		" WHERE search_fts MATCH ?1 AND c.id <> ?2"
		" AND (c.requesting_agency = ?3 OR c.requested_agency = ?3)"
		" LIMIT ?4";
	static const char linked_sql[] =
		"SELECT c.id, c.local_ref, c.final_ref, c.status, c.surnames,"
		" c.given_names, c.name_native, c.previous_names, c.aliases,"
		" c.birth_date, c.nationality, p.docs FROM person_decisions d"
		" JOIN cases c ON c.id = (CASE WHEN d.a = ?1 THEN d.b ELSE d.a END)"
		" JOIN search_persons p ON p.case_id = c.id"
		" WHERE (d.a = ?1 OR d.b = ?1) AND d.decision = 'same'"
		" AND (c.requesting_agency = ?2 OR c.requested_agency = ?2)";
	struct rcms_case *c = NULL;
	struct rcms_dup_person *me = NULL, *other = NULL;
	struct db_dup_hit *hits = NULL, h;
	size_t nhits = 0, cap = 0, i;
	char *expr = NULL, year[8] = "";
	double threshold;
	enum rcms_status st;
	sqlite3_stmt *s;
	int rc, pass, max;

	(void)cand_cols;
	if (!ctx || !ctx->db || !ref || !fn)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no case or callback");
	if ((st = rcms_perm_check(RCMS_PERM_CASE_READ, ctx->user.role, err)))
		return st;
	threshold = o && o->all ? 0.0 : RCMS_DUP_THRESHOLD;
	max = o && o->limit > 0 ? o->limit : 10;
	c = malloc(sizeof(*c));
	me = malloc(sizeof(*me));
	other = malloc(sizeof(*other));
	expr = malloc(8192);
	if (!c || !me || !other || !expr) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	if ((st = db_case_get(ctx, ref, c, err)))
		goto out;
	if (!(s = db_stmt(ctx->db, self_sql, err))) {
		st = err ? err->status : RCMS_ERR_DB;
		goto out;
	}
	db_bind_text(s, 1, c->id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		person_from_row(s, me, &h);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW) {
		st = rc == SQLITE_DONE
			     ? rcms_err_set(err, RCMS_ERR_NOT_FOUND, NULL,
					    "case %.48s is gone", ref)
			     : db_sqlerr(ctx->db, rc, err);
		goto out;
	}
	if (rcms_pdate_is_set(&me->birth))
		snprintf(year, sizeof(year), "%04d", me->birth.year);
	cand_expr(me, year, expr, 8192);

	for (pass = 0; pass < 2; pass++) {
		if (pass == 0 && !expr[0])
			continue;
		s = db_stmt(ctx->db, pass == 0 ? cand_sql : linked_sql, err);
		if (!s) {
			st = err ? err->status : RCMS_ERR_DB;
			goto out;
		}
		if (pass == 0) {
			db_bind_text(s, 1, expr);
			db_bind_text(s, 2, c->id);
			db_bind_text(s, 3, ctx->user.agency);
			db_bind_int(s, 4, DUP_CANDIDATES);
		} else {
			db_bind_text(s, 1, c->id);
			db_bind_text(s, 2, ctx->user.agency);
		}
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			memset(&h, 0, sizeof(h));
			person_from_row(s, other, &h);
			for (i = 0; i < nhits; i++)
				if (strcmp(hits[i].id, h.id) == 0)
					break;
			if (i < nhits)
				continue;
			rcms_dup_compare(me, other, &h.score);
			if (pass == 0 && h.score.score < threshold)
				continue;
			if (nhits == cap) {
				size_t nc = cap ? 2 * cap : 16;
				struct db_dup_hit *nh =
					realloc(hits, nc * sizeof(*nh));
				if (!nh) {
					sqlite3_reset(s);
					st = rcms_err_set(err, RCMS_ERR_NOMEM,
							  NULL, NULL);
					goto out;
				}
				hits = nh;
				cap = nc;
			}
			hits[nhits++] = h;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			st = db_sqlerr(ctx->db, rc, err);
			goto out;
		}
	}
	for (i = 0; i < nhits; i++)
		if ((st = decision_of(ctx->db, c->id, hits[i].id,
				      &hits[i].decision, err)))
			goto out;
	if (nhits)
		qsort(hits, nhits, sizeof(*hits), hit_cmp);
	{
		int shown = 0;
		for (i = 0; i < nhits && shown < max; i++) {
			if (hits[i].decision == DB_PERSON_DIFFERENT &&
			    !(o && o->all))
				continue;
			shown++;
			if (fn(&hits[i], arg))
				break;
		}
	}
	st = RCMS_OK;
out:
	free(c);
	free(me);
	free(other);
	free(expr);
	free(hits);
	return st;
}

enum rcms_status db_person_decide(struct db_ctx *ctx, const char *ref_a,
				  const char *ref_b,
				  enum db_person_decision d,
				  struct rcms_err *err)
{
	static const char put_sql[] =
		"INSERT INTO person_decisions(a, b, decision, decided_by,"
		" decided_at) VALUES(?1, ?2, ?3, ?4, ?5)"
		" ON CONFLICT(a, b) DO UPDATE SET decision = excluded.decision,"
		" decided_by = excluded.decided_by,"
		" decided_at = excluded.decided_at";
	static const char del_sql[] =
		"DELETE FROM person_decisions WHERE a = ?1 AND b = ?2";
	struct rcms_case *a = NULL, *b = NULL;
	char detail[RCMS_LINE_LEN];
	const char *lo, *hi;
	enum rcms_status st;
	sqlite3_stmt *s;
	int rc;

	if (!ctx || !ctx->db || !ref_a || !ref_b)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no cases");
	if ((st = rcms_perm_check(RCMS_PERM_PERSON_DECIDE, ctx->user.role,
				  err)))
		return st;
	a = malloc(sizeof(*a));
	b = malloc(sizeof(*b));
	if (!a || !b) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	if ((st = db_begin(ctx->db, err)))
		goto out;
	if ((st = db_case_get(ctx, ref_a, a, err)) ||
	    (st = db_case_get(ctx, ref_b, b, err)))
		goto rollback;
	if (strcmp(a->id, b->id) == 0) {
		st = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				  "%.48s and %.48s are the same case", ref_a,
				  ref_b);
		goto rollback;
	}
	lo = strcmp(a->id, b->id) < 0 ? a->id : b->id;
	hi = lo == a->id ? b->id : a->id;
	s = db_stmt(ctx->db, d == DB_PERSON_UNDECIDED ? del_sql : put_sql,
		    err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, lo);
	db_bind_text(s, 2, hi);
	if (d != DB_PERSON_UNDECIDED) {
		db_bind_text(s, 3, d == DB_PERSON_SAME ? "same" : "different");
		db_bind_text(s, 4, ctx->user.username);
		db_bind_int(s, 5, ctx->now);
	}
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(ctx->db, rc, err);
		goto rollback;
	}
	snprintf(detail, sizeof(detail), "%s %s",
		 d == DB_PERSON_SAME ? "same person as"
		 : d == DB_PERSON_DIFFERENT ? "not the same person as"
					    : "no decision about",
		 b->local_ref);
	if ((st = db_audit_append(ctx, "person.decide", a->id, detail, err)))
		goto rollback;
	st = db_commit(ctx->db, err);
	goto out;
rollback:
	db_rollback(ctx->db);
out:
	free(a);
	free(b);
	return st;
}
