/* blobs.c - the engine's document states.  Documents travel after the
 * records, in their own queue.  Uploads speak tus 1.0 (core, creation,
 * checksum): HEAD /v1/blobs/{sha256} first, so that nothing the exchange
 * has travels twice; a stored upload is resumed from the offset its
 * server reports; parts of 4 MiB carry their SHA-256.  Downloads are
 * verified against their SHA-256 before they become visible; until then
 * what has arrived waits in blobs/dl-SHA256.part, and a download cut off
 * asks for the rest only (Range), in this sync or the next. */
#include "sync/engine.h"
#include "sync/sync_priv.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#define CHUNK (4 * 1024 * 1024)

static int enqueue(const struct db_blob *b, void *arg)
{
	struct sync_blob_queue *q = arg;

	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 16;
		struct db_blob *nb = realloc(q->b, cap * sizeof(*nb));
		if (!nb)
			return 1;
		q->b = nb;
		q->cap = cap;
	}
	q->b[q->n++] = *b;
	return 0;
}

static void b64(const unsigned char *in, size_t n, char *out, size_t size)
{
	if (size < 4 * ((n + 2) / 3) + 1) {
		out[0] = '\0';
		return;
	}
	EVP_EncodeBlock((unsigned char *)out, in, (int)n);
}

/* Close what the current document holds open. */
void sync_blobs_reset(struct sync_engine *e)
{
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
	if (e->dl.fd >= 0) {
		close(e->dl.fd);
		if (!e->dl_keep)
			unlink(e->tmp);
	}
	e->dl.fd = -1;
	e->dl_keep = false;
	EVP_MD_CTX_free(e->dl.md);
	e->dl.md = NULL;
	free(e->chunk[0]);
	free(e->chunk[1]);
	e->chunk[0] = e->chunk[1] = NULL;
	e->next_at = -1;
}

static const struct db_blob *current(const struct sync_engine *e)
{
	return e->q.at < e->q.n ? &e->q.b[e->q.at] : NULL;
}

/* The next document: progress counts the finished one's bytes. */
static void next_blob(struct sync_engine *e, enum sync_state again)
{
	const struct db_blob *b = current(e);

	sync_blobs_reset(e);
	if (b) {
		e->prog.bytes_done = 0;
		for (size_t i = 0; i <= e->q.at && i < e->q.n; i++)
			e->prog.bytes_done += e->q.b[i].size;
	}
	e->q.at++;
	e->state = again;
}

/* Parts of downloads nobody has touched for a day and that this sync will
 * not continue (the case was purged, the document is no longer wanted),
 * and temporary files of older versions: they hold personal data for
 * nothing.  A day, not at once: another sync of this replica (the
 * workstation's, in the background) may be writing one. */
static void drop_stale_parts(struct sync_engine *e)
{
	char dir[4200];
	struct dirent *d;
	struct stat sb;
	time_t now = time(NULL);
	DIR *dp;
	size_t i;

	snprintf(dir, sizeof(dir), "%s/blobs", e->conf.data_dir);
	if (!(dp = opendir(dir)))
		return;
	while ((d = readdir(dp))) {
		const char *n = d->d_name;
		bool part = strncmp(n, "dl-", 3) == 0 && strlen(n) == 3 + 64 + 5 &&
			    strcmp(n + 67, ".part") == 0;
		bool wanted = false;

		if (!part && strncmp(n, "dl.", 3) != 0)
			continue;
		for (i = 0; part && i < e->q.n; i++)
			if (strncmp(n + 3, e->q.b[i].sha256, 64) == 0)
				wanted = true;
		if (!wanted &&
		    fstatat(dirfd(dp), n, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(sb.st_mode) && now - sb.st_mtime > 24 * 3600)
			unlinkat(dirfd(dp), n, 0);
	}
	closedir(dp);
}

static void list(struct sync_engine *e, bool up)
{
	enum rcms_status st;
	size_t i;

	e->q.n = 0;
	e->q.at = 0;
	if (up)
		st = db_blobs_to_upload(e->ctx->db, enqueue, &e->q, &e->err);
	else
		st = db_blobs_missing(e->ctx->db, e->case_id, enqueue, &e->q,
				      &e->err);
	if (st) {
		sync_fail(e, st);
		return;
	}
	if (!up)
		drop_stale_parts(e);
	e->prog.phase = up ? SYNC_PHASE_UPLOAD : SYNC_PHASE_DOWNLOAD;
	e->prog.bytes_total = 0;
	e->prog.bytes_done = 0;
	for (i = 0; i < e->q.n; i++)
		e->prog.bytes_total += e->q.b[i].size;
	e->state = up ? SE_UP_BLOB : SE_DOWN_BLOB;
}

static void begin(struct sync_engine *e, const struct db_blob *b)
{
	snprintf(e->prog.document, sizeof(e->prog.document), "%s",
		 b->filename[0] ? b->filename : "attachment");
	e->prog.rate = 0;
	e->prog.seconds_left = -1;
}

static void moved(struct sync_engine *e, const struct db_blob *b,
		  int64_t done)
{
	double secs = sync_mono() - e->started;
	int64_t before = 0;
	size_t i;

	for (i = 0; i < e->q.at && i < e->q.n; i++)
		before += e->q.b[i].size;
	e->prog.bytes_done = before + done;
	e->prog.rate = secs > 0.05 ? (double)done / secs : 0;
	e->prog.seconds_left = e->prog.rate > 0
		? (double)(b->size - done) / e->prog.rate : -1;
}

/* A Location the tus server gave: a path on the exchange, or an absolute
 * URL on the same origin (never another host, never plain http). */
static bool good_location(const struct sync_engine *e, const char *loc)
{
	size_t n = strlen(e->conf.url);

	if (!loc[0] || strlen(loc) >= sizeof(e->upath) ||
	    strlen(loc) >= sizeof(((struct db_blob *)0)->upload_url) ||
	    strpbrk(loc, " \t\r\n\"\\"))
		return false;
	if (loc[0] == '/')
		return loc[1] != '/';
	return strncmp(loc, e->conf.url, n) == 0 && loc[n] == '/';
}

static void refuse(struct sync_engine *e, const char *what)
{
	rcms_err_set(&e->err, RCMS_ERR_TEMP, NULL,
		     "the exchange refused %s (HTTP %ld); it is tried again "
		     "with the next sync", what, e->rq.status);
	sync_fail(e, RCMS_ERR_TEMP);
}

static void patch(struct sync_engine *e, const struct db_blob *b)
{
	struct curl_slist *h = NULL;
	unsigned char md[32];
	unsigned int mdl = 0;
	char line[200], sum[64];
	ssize_t r;

	if (e->offset >= b->size) {
		if (db_blob_set_upload(e->ctx->db, b->sha256, "", true,
				       &e->err)) {
			sync_fail(e, e->err.status);
			return;
		}
		e->rep.blobs_up++;
		next_blob(e, SE_UP_BLOB);
		return;
	}
	if (e->fd < 0) {
		char file[4300];
		if (db_blob_path(e->ctx->db, b->sha256, file, sizeof(file)) ||
		    (e->fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
			rcms_err_set(&e->err, RCMS_ERR_IO, NULL,
				     "a document to send is missing from the "
				     "store (%.12s)", b->sha256);
			sync_fail(e, RCMS_ERR_IO);
			return;
		}
	}
	if ((!e->chunk[0] && !(e->chunk[0] = malloc(CHUNK))) ||
	    (!e->chunk[1] && !(e->chunk[1] = malloc(CHUNK)))) {
		sync_fail(e, rcms_err_set(&e->err, RCMS_ERR_NOMEM, NULL, NULL));
		return;
	}
	if (e->next_at == e->offset) {
		/* read and hashed while the last part was on the wire */
		e->cur = 1 - e->cur;
		r = (ssize_t)e->next_len;
		memcpy(sum, e->next_sum, sizeof(sum));
	} else {
		r = pread(e->fd, e->chunk[e->cur], CHUNK, (off_t)e->offset);
		if (r <= 0) {
			rcms_err_set(&e->err, RCMS_ERR_IO, NULL,
				     "cannot read a document to send");
			sync_fail(e, RCMS_ERR_IO);
			return;
		}
		EVP_Digest(e->chunk[e->cur], (size_t)r, md, &mdl, EVP_sha256(),
			   NULL);
		b64(md, 32, sum, sizeof(sum));
	}
	e->next_at = -1;
	h = curl_slist_append(h, "Tus-Resumable: 1.0.0");
	h = curl_slist_append(h, "Content-Type: application/offset+octet-stream");
	snprintf(line, sizeof(line), "Upload-Offset: %lld",
		 (long long)e->offset);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "Upload-Checksum: sha256 %s", sum);
	h = curl_slist_append(h, line);
	if (sync_req_start(e, "PATCH", e->upath, h, e->chunk[e->cur],
			   (size_t)r, NULL)) {
		sync_fail(e, e->err.status);
		return;
	}
	e->state = SE_UP_PATCH_WAIT;
}

/* While a part is on the wire: read and hash the one after it into the
 * other buffer, so that the next PATCH can go as soon as this one is
 * answered. */
static void prepare_next(struct sync_engine *e, const struct db_blob *b)
{
	int64_t at = e->offset + (int64_t)e->rq.data_len;
	unsigned char md[32];
	unsigned int mdl = 0;
	ssize_t r;

	if (e->next_at >= 0 || at >= b->size || e->fd < 0 ||
	    !e->chunk[1 - e->cur])
		return;
	r = pread(e->fd, e->chunk[1 - e->cur], CHUNK, (off_t)at);
	if (r <= 0)
		return;   /* read again when its turn comes */
	EVP_Digest(e->chunk[1 - e->cur], (size_t)r, md, &mdl, EVP_sha256(),
		   NULL);
	b64(md, 32, e->next_sum, sizeof(e->next_sum));
	e->next_len = (size_t)r;
	e->next_at = at;
}

static void create(struct sync_engine *e, const struct db_blob *b)
{
	struct curl_slist *h = NULL;
	const char *name = b->filename[0] ? b->filename : "attachment";
	char line[1200], m1[200], m2[800];

	b64((const unsigned char *)b->sha256, 64, m1, sizeof(m1));
	b64((const unsigned char *)name, strlen(name), m2, sizeof(m2));
	h = curl_slist_append(h, "Tus-Resumable: 1.0.0");
	snprintf(line, sizeof(line), "Upload-Length: %lld",
		 (long long)b->size);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "Upload-Metadata: sha256 %s,filename %s",
		 m1, m2);
	h = curl_slist_append(h, line);
	if (sync_req_start(e, "POST", "/v1/uploads", h, NULL, 0, NULL)) {
		sync_fail(e, e->err.status);
		return;
	}
	e->state = SE_UP_CREATE_WAIT;
}

static void upload_step(struct sync_engine *e)
{
	const struct db_blob *b = current(e);
	struct sync_req *r = &e->rq;
	char path[600];

	switch (e->state) {
	case SE_UP_BLOB:
		if (!b) {
			e->state = e->cancel || e->upload_only ? SE_FINISH
							       : SE_DOWN_LIST;
			return;
		}
		if (e->cancel) {
			rcms_err_set(&e->err, RCMS_ERR_TEMP, NULL,
				     "the sync was stopped");
			sync_fail(e, RCMS_ERR_TEMP);
			return;
		}
		begin(e, b);
		/* the exchange may have these bytes already */
		snprintf(path, sizeof(path), "/v1/blobs/%s", b->sha256);
		if (sync_req_start(e, "HEAD", path, NULL, NULL, 0, NULL)) {
			sync_fail(e, e->err.status);
			return;
		}
		e->state = SE_UP_HAVE_WAIT;
		return;
	case SE_UP_HAVE_WAIT:
		if (!sync_req_poll(e) || !sync_answered(e, SE_UP_BLOB))
			return;
		if (r->status == 200) {
			if (db_blob_set_upload(e->ctx->db, b->sha256, "", true,
					       &e->err)) {
				sync_fail(e, e->err.status);
				return;
			}
			next_blob(e, SE_UP_BLOB);
			return;
		}
		e->offset = 0;
		e->started = sync_mono();
		if (b->upload_url[0]) {
			struct curl_slist *h = curl_slist_append(
				NULL, "Tus-Resumable: 1.0.0");
			snprintf(e->upath, sizeof(e->upath), "%s",
				 b->upload_url);
			if (sync_req_start(e, "HEAD", e->upath, h, NULL, 0,
					   NULL)) {
				sync_fail(e, e->err.status);
				return;
			}
			e->state = SE_UP_RESUME_WAIT;
			return;
		}
		create(e, b);
		return;
	case SE_UP_RESUME_WAIT:
		if (!sync_req_poll(e) || !sync_answered(e, SE_UP_BLOB))
			return;
		if (r->status == 200 && r->offset >= 0 &&
		    r->offset <= b->size) {
			/* continue from where the server has the bytes */
			e->offset = r->offset;
			e->started = sync_mono();
			patch(e, b);
			return;
		}
		/* gone (expired, or never finished creating): anew */
		create(e, b);
		return;
	case SE_UP_CREATE_WAIT:
		if (!sync_req_poll(e) || !sync_answered(e, SE_UP_BLOB))
			return;
		if (r->status != 201 || !good_location(e, r->location)) {
			refuse(e, "a document upload");
			return;
		}
		/* good_location checked that it fits */
		memcpy(e->upath, r->location, strlen(r->location) + 1);
		/* kept before the bytes go: a crash resumes here */
		if (db_blob_set_upload(e->ctx->db, b->sha256, e->upath, false,
				       &e->err)) {
			sync_fail(e, e->err.status);
			return;
		}
		memcpy(e->q.b[e->q.at].upload_url, e->upath,
		       sizeof(e->q.b[e->q.at].upload_url));
		e->offset = 0;
		patch(e, b);
		return;
	case SE_UP_PATCH_WAIT:
		if (!sync_req_poll(e)) {
			prepare_next(e, b);
			return;
		}
		if (!sync_answered(e, SE_UP_BLOB))
			return;
		if (r->status != 204 || r->offset < e->offset ||
		    r->offset > b->size) {
			if (r->status == 404 || r->status == 409 ||
			    r->status == 410) {
				/* the upload is gone or elsewhere: ask again
				 * (a 409 means another offset) */
				if (sync_retry(e, SE_UP_BLOB))
					return;
			}
			refuse(e, "a part of a document");
			return;
		}
		e->rep.bytes_up += r->offset - e->offset;
		e->offset = r->offset;
		moved(e, b, e->offset);
		patch(e, b);
		return;
	default:
		return;
	}
}

/* The part of a download that arrived before: its file opened at its end
 * and its bytes hashed into e->dl (nothing, or a file that cannot be read
 * back, starts from 0).  Returns the bytes kept, or -1 with the error set. */
static int64_t open_part(struct sync_engine *e, const struct db_blob *b)
{
	unsigned char *buf;
	struct stat sb;
	int64_t have = 0;
	ssize_t n;

	e->dl.fd = open(e->tmp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (e->dl.fd < 0 || fstat(e->dl.fd, &sb) != 0)
		return -1;
	have = sb.st_size <= b->size ? (int64_t)sb.st_size : 0;
	buf = have > 0 ? malloc(1 << 20) : NULL;
	if (have > 0 && buf) {
		int64_t at = 0;
		while (at < have &&
		       (n = pread(e->dl.fd, buf, (size_t)(have - at < (1 << 20)
					? have - at : (1 << 20)), at)) > 0) {
			EVP_DigestUpdate(e->dl.md, buf, (size_t)n);
			at += n;
		}
		if (at != have)
			have = 0;
	} else {
		have = 0;
	}
	free(buf);
	if (have == 0 &&
	    (ftruncate(e->dl.fd, 0) != 0 ||
	     !EVP_DigestInit_ex(e->dl.md, EVP_sha256(), NULL)))
		return -1;
	if (lseek(e->dl.fd, have, SEEK_SET) != have)
		return -1;
	return have;
}

/* The download's part is wrong (its hash, its size): it goes, and the
 * next try starts from the first byte. */
static void drop_part(struct sync_engine *e)
{
	e->dl_keep = false;
	sync_blobs_reset(e);
}

/* Every byte is in: verified, then moved into the store. */
static void download_done(struct sync_engine *e, const struct db_blob *b)
{
	static const char hexd[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int mdl = 0;
	char got[65];
	enum rcms_status st = RCMS_OK;
	int i;

	EVP_DigestFinal_ex(e->dl.md, md, &mdl);
	for (i = 0; i < 32; i++) {
		got[2 * i] = hexd[md[i] >> 4];
		got[2 * i + 1] = hexd[md[i] & 15];
	}
	got[64] = '\0';
	if (strcmp(got, b->sha256) != 0 || e->dl.written != b->size) {
		drop_part(e);
		rcms_err_set(&e->err, RCMS_ERR_TEMP, NULL,
			     "a downloaded document does not match its hash; "
			     "it was discarded");
		sync_fail(e, RCMS_ERR_TEMP);
		return;
	}
	if (fsync(e->dl.fd) != 0)
		st = rcms_err_set(&e->err, RCMS_ERR_IO, NULL,
				  "cannot sync a downloaded document");
	if (!st) {
		close(e->dl.fd);
		e->dl.fd = -1;
		st = db_blob_adopt(e->ctx->db, b->sha256, e->tmp, &e->err);
		if (st)
			unlink(e->tmp);
	}
	if (st) {
		drop_part(e);
		sync_fail(e, st);
		return;
	}
	e->rep.blobs_down++;
	e->rep.bytes_down += e->dl.written - e->dl.start;
	e->dl_keep = false;
	next_blob(e, SE_DOWN_BLOB);
}

static bool is_sha256(const char *s)
{
	int i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[64] == '\0';
}

static void download_step(struct sync_engine *e)
{
	const struct db_blob *b = current(e);
	struct sync_req *r = &e->rq;
	struct curl_slist *hdr = NULL;
	char path[600], range[64];
	int64_t have;

	if (e->state == SE_DOWN_BLOB) {
		if (!b) {
			e->state = SE_FINISH;
			return;
		}
		if (e->cancel) {
			rcms_err_set(&e->err, RCMS_ERR_TEMP, NULL,
				     "the sync was stopped");
			sync_fail(e, RCMS_ERR_TEMP);
			return;
		}
		if (!is_sha256(b->sha256)) {
			/* never a path made of it */
			next_blob(e, SE_DOWN_BLOB);
			return;
		}
		begin(e, b);
		snprintf(e->tmp, sizeof(e->tmp), "%s/blobs", e->conf.data_dir);
		mkdir(e->tmp, 0700);
		snprintf(e->tmp, sizeof(e->tmp), "%s/blobs/dl-%s.part",
			 e->conf.data_dir, b->sha256);
		memset(&e->dl, 0, sizeof(e->dl));
		e->dl.fd = -1;
		e->dl.limit = b->size;
		e->dl.md = EVP_MD_CTX_new();
		e->dl_keep = true;
		have = -1;
		if (e->dl.md && EVP_DigestInit_ex(e->dl.md, EVP_sha256(), NULL))
			have = open_part(e, b);
		if (have < 0) {
			rcms_err_set(&e->err, RCMS_ERR_IO, NULL,
				     "cannot store a downloaded document: %s",
				     strerror(errno));
			drop_part(e);
			sync_fail(e, RCMS_ERR_IO);
			return;
		}
		e->dl.written = e->dl.start = have;
		e->started = sync_mono();
		if (have == b->size && have > 0) {
			/* all of it came before: the hash decides */
			download_done(e, b);
			return;
		}
		if (have > 0) {
			snprintf(range, sizeof(range), "Range: bytes=%lld-",
				 (long long)have);
			hdr = curl_slist_append(NULL, range);
		}
		snprintf(path, sizeof(path), "/v1/blobs/%s", b->sha256);
		if (sync_req_start(e, "GET", path, hdr, NULL, 0, &e->dl)) {
			sync_fail(e, e->err.status);
			return;
		}
		e->state = SE_DOWN_WAIT;
		return;
	}
	/* SE_DOWN_WAIT */
	if (!sync_req_poll(e)) {
		moved(e, b, e->dl.written);
		return;
	}
	if (r->cc == CURLE_WRITE_ERROR)
		/* the answer did not fit the part (its range, its length) or
		 * the disk refused it: the part goes */
		e->dl_keep = false;
	if (!sync_answered(e, SE_DOWN_BLOB)) {
		/* cut off: what arrived stays for the next try */
		sync_blobs_reset(e);
		return;
	}
	if (r->status == 404) {
		/* not uploaded yet by its agency: next time */
		drop_part(e);
		next_blob(e, SE_DOWN_BLOB);
		return;
	}
	if (r->status == 416) {
		/* the part is longer than the document: from the start */
		drop_part(e);
		if (!sync_retry(e, SE_DOWN_BLOB))
			refuse(e, "a document download");
		return;
	}
	if (r->status != 200 && r->status != 206) {
		drop_part(e);
		refuse(e, "a document download");
		return;
	}
	download_done(e, b);
}

void sync_blobs_step(struct sync_engine *e)
{
	switch (e->state) {
	case SE_UP_LIST:
		list(e, true);
		return;
	case SE_DOWN_LIST:
		list(e, false);
		return;
	case SE_DOWN_BLOB:
	case SE_DOWN_WAIT:
		download_step(e);
		return;
	default:
		upload_step(e);
		return;
	}
}
