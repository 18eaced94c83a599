/* attach.c - notes and attachments.  Attachment bytes live in a
 * content-addressed blob store under the data folder:
 * DATA/blobs/ab/abcdef... (the SHA-256 in hex). */
#include "db/db_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

/* ---- notes ------------------------------------------------------------- */

enum rcms_status db_note_add(struct db_ctx *ctx, const char *ref,
			     const char *text, struct rcms_note *out,
			     struct rcms_err *err)
{
	static const char sql[] =
		"INSERT INTO notes(id, case_id, author, created_at, text)"
		" VALUES(?1, ?2, ?3, ?4, ?5)";
	struct rcms_case *c = NULL;
	struct rcms_note n;
	struct rcms_jsonw w;
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	rcms_jsonw_init(&w);
	memset(&n, 0, sizeof(n));
	if (!ctx || !text)
		return rcms_err_set(err, RCMS_ERR_INVALID, "text",
				    "the note is empty");
	if ((st = rcms_perm_check(RCMS_PERM_NOTE_ADD, ctx->user.role, err)))
		return st;
	if ((st = rcms_copy(n.text, sizeof(n.text), text, "note", err)))
		return st;
	rcms_text_trim(n.text);
	if ((st = rcms_text_check(n.text, sizeof(n.text) - 1,
				  RCMS_TEXT_NONEMPTY, "note", err)))
		return st;
	c = malloc(sizeof(*c));
	if (!c)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	if ((st = db_uuid(ctx->now * 1000, n.id, err)))
		goto out;
	if ((st = db_begin(ctx->db, err)))
		goto out;
	if ((st = db_case_get(ctx, ref, c, err)))
		goto rollback;
	snprintf(n.case_id, sizeof(n.case_id), "%s", c->id);
	snprintf(n.author, sizeof(n.author), "%s", ctx->user.username);
	n.created_at = ctx->now;
	s = db_stmt(ctx->db, sql, err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, n.id);
	db_bind_text(s, 2, n.case_id);
	db_bind_text(s, 3, n.author);
	db_bind_int(s, 4, n.created_at);
	db_bind_text(s, 5, n.text);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(ctx->db, rc, err);
		goto rollback;
	}
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "note_id", n.id);
	rcms_jsonw_kstr(&w, "text", n.text);
	rcms_jsonw_obj_end(&w);
	if ((st = rcms_jsonw_status(&w))) {
		rcms_err_set(err, st, NULL, NULL);
		goto rollback;
	}
	if ((st = db_outbox_add(ctx, "note.add", c->id, c->rev, w.buf, err)) ||
	    (st = db_audit_append(ctx, "note.add", c->id, "", err)))
		goto rollback;
	st = db_commit(ctx->db, err);
	if (st == RCMS_OK && out)
		*out = n;
	goto out;
rollback:
	db_rollback(ctx->db);
out:
	rcms_jsonw_free(&w);
	free(c);
	return st;
}

enum rcms_status db_note_list(struct db_ctx *ctx, const char *case_id,
			      int (*fn)(const struct rcms_note *n, void *arg),
			      void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT id, case_id, author, created_at, text FROM notes"
		" WHERE case_id = ?1 ORDER BY created_at, rowid";
	sqlite3_stmt *s = db_stmt(ctx->db, sql, err);
	struct rcms_note *n;
	int rc;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	n = malloc(sizeof(*n));
	if (!n)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	db_bind_text(s, 1, case_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(n, 0, sizeof(*n));
		db_col_text(s, 0, n->id, sizeof(n->id));
		db_col_text(s, 1, n->case_id, sizeof(n->case_id));
		db_col_text(s, 2, n->author, sizeof(n->author));
		n->created_at = sqlite3_column_int64(s, 3);
		db_col_text(s, 4, n->text, sizeof(n->text));
		if (fn(n, arg))
			break;
	}
	sqlite3_reset(s);
	free(n);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}

/* ---- the blob store ----------------------------------------------------- */

static bool is_hex64(const char *h)
{
	size_t i;

	if (!h || strlen(h) != 64)
		return false;
	for (i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return false;
	return true;
}

enum rcms_status db_blob_path(struct rcms_db *db, const char *sha256,
			      char *buf, size_t size)
{
	int n;

	if (!db->data_dir || !is_hex64(sha256))
		return RCMS_ERR_INVALID;
	n = snprintf(buf, size, "%s/blobs/%.2s/%s", db->data_dir, sha256,
		     sha256);
	return (n < 0 || (size_t)n >= size) ? RCMS_ERR_INVALID : RCMS_OK;
}

static enum rcms_status mkdir_p(const char *dir, struct rcms_err *err)
{
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return RCMS_OK;
	return rcms_err_set(err, RCMS_ERR_IO, NULL, "cannot create %s: %s",
			    dir, strerror(errno));
}

static enum rcms_status fsync_dir(const char *dir, struct rcms_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return rcms_err_set(err, RCMS_ERR_IO, NULL, "cannot open %s: %s",
				    dir, strerror(errno));
	if (fsync(fd) != 0) {
		close(fd);
		return rcms_err_set(err, RCMS_ERR_IO, NULL,
				    "cannot sync %s: %s", dir,
				    strerror(errno));
	}
	close(fd);
	return RCMS_OK;
}

/* Copy src into a temporary file of the blob store while hashing it; then
 * fsync and rename it to its hash.  An existing blob is kept as it is. */
static enum rcms_status store_blob(struct rcms_db *db, const char *path,
				   int64_t max_bytes, char sha[RCMS_SHA256_HEX],
				   int64_t *size, struct rcms_err *err)
{
	static const char hexd[] = "0123456789abcdef";
	/* tmp starts empty: the early exits test it before mkstemp */
	char tmp[4200] = "", dir[4200], final[4300];
	unsigned char md[32], *buf = NULL;
	unsigned int mdlen = 0;
	EVP_MD_CTX *md_ctx = NULL;
	struct stat sb;
	enum rcms_status st = RCMS_OK;
	int in = -1, out = -1, i;
	int64_t total = 0;
	ssize_t r;

	if (!db->data_dir)
		return rcms_err_set(err, RCMS_ERR_CONFIG, NULL,
				    "no data folder for attachments");
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return rcms_err_set(err, errno == ENOENT ? RCMS_ERR_NOT_FOUND
							 : RCMS_ERR_IO,
				    "file", "cannot open %s: %s", path,
				    strerror(errno));
	if (fstat(in, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		st = rcms_err_set(err, RCMS_ERR_INVALID, "file",
				  "%s is not a regular file", path);
		goto out;
	}
	if (max_bytes > 0 && sb.st_size > max_bytes) {
		st = rcms_err_set(err, RCMS_ERR_INVALID, "file",
				  "%s is too large: %lld bytes, at most %lld",
				  path, (long long)sb.st_size,
				  (long long)max_bytes);
		goto out;
	}
	snprintf(dir, sizeof(dir), "%s/blobs", db->data_dir);
	if ((st = mkdir_p(dir, err)))
		goto out;
	snprintf(tmp, sizeof(tmp), "%s/blobs/tmp.XXXXXX", db->data_dir);
	out = mkstemp(tmp);
	if (out < 0) {
		st = rcms_err_set(err, RCMS_ERR_IO, NULL,
				  "cannot create a file in %s: %s", dir,
				  strerror(errno));
		goto out;
	}
	buf = malloc(1 << 16);
	md_ctx = EVP_MD_CTX_new();
	if (!buf || !md_ctx || !EVP_DigestInit_ex(md_ctx, EVP_sha256(), NULL)) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	while ((r = read(in, buf, 1 << 16)) != 0) {
		ssize_t w = 0;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			st = rcms_err_set(err, RCMS_ERR_IO, "file",
					  "cannot read %s: %s", path,
					  strerror(errno));
			goto out;
		}
		total += r;
		if (max_bytes > 0 && total > max_bytes) {
			st = rcms_err_set(err, RCMS_ERR_INVALID, "file",
					  "%s grew past the limit of %lld "
					  "bytes while it was read", path,
					  (long long)max_bytes);
			goto out;
		}
		EVP_DigestUpdate(md_ctx, buf, (size_t)r);
		while (w < r) {
			ssize_t k = write(out, buf + w, (size_t)(r - w));
			if (k < 0) {
				if (errno == EINTR)
					continue;
				st = rcms_err_set(err, RCMS_ERR_IO, NULL,
						  "cannot write the "
						  "attachment: %s",
						  strerror(errno));
				goto out;
			}
			w += k;
		}
	}
	EVP_DigestFinal_ex(md_ctx, md, &mdlen);
	for (i = 0; i < 32; i++) {
		sha[2 * i] = hexd[md[i] >> 4];
		sha[2 * i + 1] = hexd[md[i] & 15];
	}
	sha[64] = '\0';
	if (fsync(out) != 0) {
		st = rcms_err_set(err, RCMS_ERR_IO, NULL,
				  "cannot sync the attachment: %s",
				  strerror(errno));
		goto out;
	}
	close(out);
	out = -1;
	snprintf(dir, sizeof(dir), "%s/blobs/%.2s", db->data_dir, sha);
	if ((st = mkdir_p(dir, err)))
		goto out;
	snprintf(final, sizeof(final), "%s/%s", dir, sha);
	if (rename(tmp, final) != 0) {
		st = rcms_err_set(err, RCMS_ERR_IO, NULL,
				  "cannot store the attachment: %s",
				  strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	if ((st = fsync_dir(dir, err)))
		goto out;
	*size = total;
out:
	if (out >= 0)
		close(out);
	if (tmp[0] && out != -2)
		unlink(tmp);
	if (in >= 0)
		close(in);
	EVP_MD_CTX_free(md_ctx);
	free(buf);
	return st;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static const char *guess_mime(const char *name)
{
	static const struct {
		const char *ext, *mime;
	} t[] = {
		{".pdf", "application/pdf"}, {".jpg", "image/jpeg"},
		{".jpeg", "image/jpeg"},     {".png", "image/png"},
		{".tif", "image/tiff"},      {".tiff", "image/tiff"},
		{".txt", "text/plain"},      {".wsq", "image/wsq"},
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(dot, t[i].ext) == 0)
			return t[i].mime;
	return "application/octet-stream";
}

enum rcms_status db_attach(struct db_ctx *ctx, const char *ref,
			   const char *path, enum rcms_attach_kind kind,
			   int64_t max_bytes, struct rcms_attachment *out,
			   struct rcms_err *err)
{
	static const char blob_sql[] =
		"INSERT INTO blobs(sha256, size, created_at) VALUES(?1, ?2, ?3)"
		" ON CONFLICT(sha256) DO UPDATE SET present = 1";
	static const char att_sql[] =
		"INSERT INTO attachments(id, case_id, sha256, kind, filename,"
		" mime, size, added_by, added_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	struct rcms_case *c = NULL;
	struct rcms_attachment a;
	struct rcms_jsonw w;
	sqlite3_stmt *s;
	enum rcms_status st;
	int rc;

	rcms_jsonw_init(&w);
	memset(&a, 0, sizeof(a));
	if (!ctx || !ref || !path || !*path)
		return rcms_err_set(err, RCMS_ERR_INVALID, "file",
				    "no file given");
	if ((st = rcms_perm_check(RCMS_PERM_ATTACH, ctx->user.role, err)))
		return st;
	/* the display name must be text: names from disks are bytes */
	if (rcms_copy(a.filename, sizeof(a.filename), base_name(path),
		      "file name", NULL) != RCMS_OK ||
	    rcms_text_check(a.filename, sizeof(a.filename) - 1,
			    RCMS_TEXT_SINGLE_LINE | RCMS_TEXT_NONEMPTY,
			    "file name", NULL) != RCMS_OK)
		snprintf(a.filename, sizeof(a.filename), "attachment");
	c = malloc(sizeof(*c));
	if (!c)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	/* check the case first: no copying for a wrong reference */
	if ((st = db_case_get(ctx, ref, c, err)))
		goto out;
	if ((st = store_blob(ctx->db, path, max_bytes, a.sha256, &a.size, err)))
		goto out;
	if ((st = db_uuid(ctx->now * 1000, a.id, err)))
		goto out;
	snprintf(a.case_id, sizeof(a.case_id), "%s", c->id);
	a.kind = kind;
	snprintf(a.mime, sizeof(a.mime), "%s", guess_mime(a.filename));
	snprintf(a.added_by, sizeof(a.added_by), "%s", ctx->user.username);
	a.added_at = ctx->now;

	if ((st = db_begin(ctx->db, err)))
		goto out;
	if ((st = db_case_get(ctx, ref, c, err)))
		goto rollback;
	s = db_stmt(ctx->db, blob_sql, err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, a.sha256);
	db_bind_int(s, 2, a.size);
	db_bind_int(s, 3, ctx->now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(ctx->db, rc, err);
		goto rollback;
	}
	s = db_stmt(ctx->db, att_sql, err);
	if (!s) {
		st = err ? err->status : RCMS_ERR_DB;
		goto rollback;
	}
	db_bind_text(s, 1, a.id);
	db_bind_text(s, 2, a.case_id);
	db_bind_text(s, 3, a.sha256);
	db_bind_text(s, 4, rcms_enum_name(rcms_attach_kind_names, (int)kind));
	db_bind_text(s, 5, a.filename);
	db_bind_text(s, 6, a.mime);
	db_bind_int(s, 7, a.size);
	db_bind_text(s, 8, a.added_by);
	db_bind_int(s, 9, a.added_at);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		st = rcms_err_set(err, RCMS_ERR_EXISTS, "file",
				  "this file is already attached to case %s",
				  c->local_ref);
		goto rollback;
	}
	if (rc != SQLITE_DONE) {
		st = db_sqlerr(ctx->db, rc, err);
		goto rollback;
	}
	rcms_jsonw_obj_begin(&w);
	rcms_jsonw_kstr(&w, "attachment_id", a.id);
	rcms_jsonw_kstr(&w, "sha256", a.sha256);
	rcms_jsonw_kstr(&w, "kind",
			rcms_enum_name(rcms_attach_kind_names, (int)kind));
	rcms_jsonw_kstr(&w, "filename", a.filename);
	rcms_jsonw_kstr(&w, "mime", a.mime);
	rcms_jsonw_kint(&w, "size", a.size);
	rcms_jsonw_obj_end(&w);
	if ((st = rcms_jsonw_status(&w))) {
		rcms_err_set(err, st, NULL, NULL);
		goto rollback;
	}
	if ((st = db_outbox_add(ctx, "attachment.link", c->id, c->rev, w.buf,
				err)) ||
	    (st = db_audit_append(ctx, "attachment.link", c->id, a.sha256,
				  err)))
		goto rollback;
	st = db_commit(ctx->db, err);
	if (st == RCMS_OK && out)
		*out = a;
	goto out;
rollback:
	/* the blob file stays: content-addressed, harmless, reusable */
	db_rollback(ctx->db);
out:
	rcms_jsonw_free(&w);
	free(c);
	return st;
}

enum rcms_status db_attachment_list(struct db_ctx *ctx, const char *case_id,
				    int (*fn)(const struct rcms_attachment *a,
					      void *arg),
				    void *arg, struct rcms_err *err)
{
	static const char sql[] =
		"SELECT id, case_id, sha256, kind, filename, mime, size,"
		" added_by, added_at FROM attachments WHERE case_id = ?1"
		" ORDER BY added_at, rowid";
	sqlite3_stmt *s = db_stmt(ctx->db, sql, err);
	struct rcms_attachment a;
	char kind[32];
	int rc, v;

	if (!s)
		return err ? err->status : RCMS_ERR_DB;
	db_bind_text(s, 1, case_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&a, 0, sizeof(a));
		db_col_text(s, 0, a.id, sizeof(a.id));
		db_col_text(s, 1, a.case_id, sizeof(a.case_id));
		db_col_text(s, 2, a.sha256, sizeof(a.sha256));
		db_col_text(s, 3, kind, sizeof(kind));
		v = RCMS_ATT_OTHER;
		rcms_enum_parse(rcms_attach_kind_names, kind, &v);
		a.kind = (enum rcms_attach_kind)v;
		db_col_text(s, 4, a.filename, sizeof(a.filename));
		db_col_text(s, 5, a.mime, sizeof(a.mime));
		a.size = sqlite3_column_int64(s, 6);
		db_col_text(s, 7, a.added_by, sizeof(a.added_by));
		a.added_at = sqlite3_column_int64(s, 8);
		if (fn(&a, arg))
			break;
	}
	sqlite3_reset(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE)
		       ? RCMS_OK : db_sqlerr(ctx->db, rc, err);
}
