/* blobs.c - documents travel after the records, in their own queue:
 * uploads speak tus 1.0 (creation, checksum; resumed from the exchange's
 * offset after an interruption), downloads are verified against their
 * SHA-256 before they become visible. */
#include "sync/sync.h"
#include "sync/sync_priv.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include <openssl/evp.h>

#define CHUNK (4 * 1024 * 1024)

struct hdrs {
	char location[600];
	long long offset;       /* -1: none */
};

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
	struct hdrs *h = arg;
	size_t len = size * n;
	char buf[600];

	if (len >= sizeof(buf))
		return len;
	memcpy(buf, line, len);
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (strncasecmp(buf, "Location:", 9) == 0) {
		const char *v = buf + 9;
		while (*v == ' ')
			v++;
		snprintf(h->location, sizeof(h->location), "%s", v);
	} else if (strncasecmp(buf, "Upload-Offset:", 14) == 0) {
		char *end = NULL;
		long long o = strtoll(buf + 14, &end, 10);
		if (end && *end == '\0' && o >= 0)
			h->offset = o;
	}
	return len;
}

static size_t discard(char *d, size_t s, size_t n, void *a)
{
	(void)d;
	(void)a;
	return s * n;
}

static size_t to_file(char *d, size_t s, size_t n, void *a)
{
	struct sync_file *f = a;
	size_t k = s * n;

	if (f->written + (int64_t)k > f->limit)
		return 0;
	if (write(f->fd, d, k) != (ssize_t)k)
		return 0;
	EVP_DigestUpdate(f->md, d, k);
	f->written += (int64_t)k;
	return k;
}

/* One tus or blob request, through a multi handle like every other. */
static enum rcms_status xfer(const struct sync_conf *conf, const char *method,
			     const char *path, struct curl_slist *extra,
			     const char *body, size_t len,
			     struct sync_file *out, long *status,
			     struct hdrs *h, struct rcms_err *err)
{
	CURL *e = curl_easy_init();
	CURLM *m = curl_multi_init();
	struct curl_slist *hdr = NULL, *it;
	char url[1024];
	CURLMsg *msg;
	CURLcode cc = CURLE_OK;
	int running = 1, left;
	enum rcms_status st = RCMS_OK;

	*status = 0;
	h->location[0] = '\0';
	h->offset = -1;
	if (!e || !m) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	snprintf(url, sizeof(url), "%s%s", conf->url, path);
	sync_tls(e, conf);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, h);
	if (out) {
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, to_file);
		curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
	} else {
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	}
	for (it = extra; it; it = it->next)
		hdr = curl_slist_append(hdr, it->data);
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)len);
		hdr = curl_slist_append(hdr, "Expect:");
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdr);
	curl_multi_add_handle(m, e);
	while (running) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		if (running)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	while ((msg = curl_multi_info_read(m, &left)))
		if (msg->msg == CURLMSG_DONE)
			cc = msg->data.result;
	if (cc != CURLE_OK) {
		st = rcms_err_set(err, RCMS_ERR_UNAVAILABLE, NULL,
				  "a document transfer was interrupted (%s); "
				  "it resumes with the next sync",
				  curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
out:
	if (m && e)
		curl_multi_remove_handle(m, e);
	curl_easy_cleanup(e);
	curl_multi_cleanup(m);
	curl_slist_free_all(hdr);
	return st;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A progress line on stderr when it is a terminal: bytes, rate, time
 * left.  The screens read the same figures from the report. */
static void progress(const char *what, const char *name, int64_t done,
		     int64_t total, double started, bool last)
{
	double secs = mono() - started, rate;

	if (!isatty(2))
		return;
	rate = secs > 0.05 ? (double)done / secs : 0;
	fprintf(stderr, "\r%s %.40s: %.1f/%.1f MB, %.1f MB/s, %s%.0f s left  ",
		what, name, (double)done / 1e6, (double)total / 1e6,
		rate / 1e6, rate > 0 ? "" : "~",
		rate > 0 ? (double)(total - done) / rate : 0.0);
	if (last)
		fputc('\n', stderr);
	fflush(stderr);
}

static void b64(const unsigned char *in, size_t n, char *out, size_t size)
{
	if (size < 4 * ((n + 2) / 3) + 1) {
		out[0] = '\0';
		return;
	}
	EVP_EncodeBlock((unsigned char *)out, in, (int)n);
}

/* Upload one blob, resuming a stored upload when the exchange has it. */
static enum rcms_status upload_one(struct db_ctx *ctx,
				   const struct sync_conf *conf,
				   const struct db_blob *b,
				   struct sync_report *rep,
				   struct rcms_err *err)
{
	struct curl_slist *h = NULL;
	struct hdrs hd;
	char path[600], line[1200], m1[200], m2[800], file[4300];
	unsigned char *chunk = NULL;
	long status = 0;
	long long offset = 0;
	double started = 0;
	enum rcms_status st;
	int fd = -1;

	/* the exchange may have these bytes already */
	snprintf(path, sizeof(path), "/v1/blobs/%s", b->sha256);
	if ((st = xfer(conf, "HEAD", path, NULL, NULL, 0, NULL, &status, &hd,
		       err)))
		return st;
	if (status == 200)
		return db_blob_set_upload(ctx->db, b->sha256, "", true, err);
	h = curl_slist_append(h, "Tus-Resumable: 1.0.0");
	if (b->upload_url[0]) {
		st = xfer(conf, "HEAD", b->upload_url, h, NULL, 0, NULL,
			  &status, &hd, err);
		if (st)
			goto out;
		if (status == 200 && hd.offset >= 0) {
			offset = hd.offset;
			snprintf(path, sizeof(path), "%s", b->upload_url);
		} else {
			path[0] = '\0';
		}
	} else {
		path[0] = '\0';
	}
	if (!path[0]) {
		struct curl_slist *c = curl_slist_append(NULL,
							 "Tus-Resumable: 1.0.0");
		b64((const unsigned char *)b->sha256, 64, m1, sizeof(m1));
		b64((const unsigned char *)(b->filename[0] ? b->filename
							   : "attachment"),
		    strlen(b->filename[0] ? b->filename : "attachment"), m2,
		    sizeof(m2));
		snprintf(line, sizeof(line), "Upload-Length: %lld",
			 (long long)b->size);
		c = curl_slist_append(c, line);
		snprintf(line, sizeof(line),
			 "Upload-Metadata: sha256 %s,filename %s", m1, m2);
		c = curl_slist_append(c, line);
		st = xfer(conf, "POST", "/v1/uploads", c, "", 0, NULL, &status,
			  &hd, err);
		curl_slist_free_all(c);
		if (st)
			goto out;
		if (status != 201 || !hd.location[0] ||
		    strncmp(hd.location, "/v1/uploads/", 12) != 0 ||
		    strlen(hd.location) >= sizeof(path) - 1) {
			st = rcms_err_set(err, RCMS_ERR_TEMP, NULL,
					  "the exchange refused a document "
					  "upload (HTTP %ld)", status);
			goto out;
		}
		snprintf(path, sizeof(path), "%s", hd.location);
		/* kept before the bytes go: a crash resumes here */
		if ((st = db_blob_set_upload(ctx->db, b->sha256, path, false,
					     err)))
			goto out;
	}
	if (db_blob_path(ctx->db, b->sha256, file, sizeof(file)) != RCMS_OK ||
	    (fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		st = rcms_err_set(err, RCMS_ERR_IO, NULL,
				  "a document to send is missing from the "
				  "store (%.12s)", b->sha256);
		goto out;
	}
	chunk = malloc(CHUNK);
	if (!chunk) {
		st = rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	started = mono();
	while (offset < b->size) {
		struct curl_slist *c = NULL;
		unsigned char md[32];
		unsigned int mdl = 0;
		char sum[64];
		ssize_t r = pread(fd, chunk, CHUNK, (off_t)offset);
		if (r <= 0) {
			st = rcms_err_set(err, RCMS_ERR_IO, NULL,
					  "cannot read a document to send");
			goto out;
		}
		EVP_Digest(chunk, (size_t)r, md, &mdl, EVP_sha256(), NULL);
		b64(md, 32, sum, sizeof(sum));
		c = curl_slist_append(c, "Tus-Resumable: 1.0.0");
		c = curl_slist_append(c, "Content-Type: "
					 "application/offset+octet-stream");
		snprintf(line, sizeof(line), "Upload-Offset: %lld", offset);
		c = curl_slist_append(c, line);
		snprintf(line, sizeof(line), "Upload-Checksum: sha256 %s", sum);
		c = curl_slist_append(c, line);
		st = xfer(conf, "PATCH", path, c, (const char *)chunk,
			  (size_t)r, NULL, &status, &hd, err);
		curl_slist_free_all(c);
		if (st)
			goto out;
		if (status != 204 || hd.offset < 0) {
			st = rcms_err_set(err, RCMS_ERR_TEMP, NULL,
					  "the exchange refused a part of a "
					  "document (HTTP %ld)", status);
			goto out;
		}
		rep->bytes_up += hd.offset - offset;
		offset = hd.offset;
		progress("sending", b->filename, offset, b->size, started,
			 offset >= b->size);
	}
	st = db_blob_set_upload(ctx->db, b->sha256, "", true, err);
	if (!st)
		rep->blobs_up++;
out:
	if (fd >= 0)
		close(fd);
	free(chunk);
	curl_slist_free_all(h);
	return st;
}

struct queue {
	struct db_blob *b;
	size_t n, cap;
};

static int enqueue(const struct db_blob *b, void *arg)
{
	struct queue *q = arg;

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

enum rcms_status sync_upload_blobs(struct db_ctx *ctx,
				   const struct sync_conf *conf,
				   struct sync_report *rep,
				   struct rcms_err *err)
{
	struct queue q = {NULL, 0, 0};
	enum rcms_status st;
	size_t i;

	if ((st = db_blobs_to_upload(ctx->db, enqueue, &q, err)))
		goto out;
	for (i = 0; i < q.n && !st; i++)
		st = upload_one(ctx, conf, &q.b[i], rep, err);
out:
	free(q.b);
	return st;
}

static enum rcms_status download_one(struct db_ctx *ctx,
				     const struct sync_conf *conf,
				     const struct db_blob *b,
				     struct sync_report *rep,
				     struct rcms_err *err)
{
	static const char hexd[] = "0123456789abcdef";
	struct sync_file f;
	struct hdrs hd;
	char path[600], tmp[4300], got[65];
	unsigned char md[32];
	unsigned int mdl = 0;
	long status = 0;
	enum rcms_status st;
	int i;

	snprintf(tmp, sizeof(tmp), "%s/blobs", conf->data_dir);
	mkdir(tmp, 0700);
	snprintf(tmp, sizeof(tmp), "%s/blobs/dl.XXXXXX", conf->data_dir);
	memset(&f, 0, sizeof(f));
	f.fd = mkstemp(tmp);
	if (f.fd < 0)
		return rcms_err_set(err, RCMS_ERR_IO, NULL,
				    "cannot store a downloaded document: %s",
				    strerror(errno));
	f.md = EVP_MD_CTX_new();
	f.limit = b->size;
	EVP_DigestInit_ex(f.md, EVP_sha256(), NULL);
	snprintf(path, sizeof(path), "/v1/blobs/%s", b->sha256);
	st = xfer(conf, "GET", path, NULL, NULL, 0, &f, &status, &hd, err);
	EVP_DigestFinal_ex(f.md, md, &mdl);
	EVP_MD_CTX_free(f.md);
	if (!st && status != 200)
		st = rcms_err_set(err, status == 404 ? RCMS_ERR_NOT_FOUND
						     : RCMS_ERR_TEMP,
				  NULL, "a document is not available yet "
				  "(HTTP %ld)", status);
	for (i = 0; i < 32; i++) {
		got[2 * i] = hexd[md[i] >> 4];
		got[2 * i + 1] = hexd[md[i] & 15];
	}
	got[64] = '\0';
	if (!st && (strcmp(got, b->sha256) != 0 || f.written != b->size))
		st = rcms_err_set(err, RCMS_ERR_TEMP, NULL,
				  "a downloaded document does not match its "
				  "hash; it was discarded");
	if (!st && fsync(f.fd) != 0)
		st = rcms_err_set(err, RCMS_ERR_IO, NULL,
				  "cannot sync a downloaded document");
	close(f.fd);
	if (!st)
		st = db_blob_adopt(ctx->db, b->sha256, tmp, err);
	if (st)
		unlink(tmp);
	else {
		rep->blobs_down++;
		rep->bytes_down += f.written;
	}
	return st;
}

enum rcms_status sync_download_blobs(struct db_ctx *ctx,
				     const struct sync_conf *conf,
				     const char *case_id,
				     struct sync_report *rep,
				     struct rcms_err *err)
{
	struct queue q = {NULL, 0, 0};
	enum rcms_status st;
	size_t i;

	if ((st = db_blobs_missing(ctx->db, case_id, enqueue, &q, err)))
		goto out;
	for (i = 0; i < q.n && !st; i++) {
		st = download_one(ctx, conf, &q.b[i], rep, err);
		if (st == RCMS_ERR_NOT_FOUND) {
			/* not uploaded yet by its agency: next time */
			rcms_err_clear(err);
			st = RCMS_OK;
		}
	}
out:
	free(q.b);
	return st;
}
