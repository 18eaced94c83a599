/* tus.c - tus 1.0 uploads under /v1/uploads: core, creation, checksum and
 * termination (https://tus.io/protocols/resumable-upload).
 *
 * A session is a row (struct xupload) and a file DATA/uploads/<id>.part.
 * A PATCH streams its body into the file as it arrives, never whole in
 * memory, and the session's offset moves only once the bytes are synced.
 * When the last byte is there, the whole file's SHA-256 is checked against
 * the one declared at creation and the file becomes the blob
 * DATA/blobs/ab/<sha256>, stored once: a blob the exchange has already is
 * kept as it is.  A session belongs to the agency that created it; to any
 * other it does not exist (404).  One PATCH or DELETE at a time works on a
 * session; another meets 423 Locked, which tus clients retry. */
/* sync_file_range(2): Linux's way to start writing back early */
#define _GNU_SOURCE
#include "exchange/server_priv.h"
#include "exchange/tus_hash.h"
#include "exchange/tus_parse.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#define TUS_VERSION "1.0.0"
#define TUS_MAX_OPEN 1000                /* unfinished sessions an agency */
#define TUS_MAX_OPEN_BYTES (16LL << 30)  /* their declared lengths, summed */
#define TUS_IDLE_SECONDS (7 * 86400)     /* untouched this long: removed */
#define TUS_EXPIRE_BATCH 32
#define TUS_LOCKS 1024                   /* sessions busy at once */
#define TUS_PATH_MAX 4400
#define TUS_KICK_BYTES (512 * 1024)          /* writeback started this often */

/* the state of one PATCH (xreq.upload) */
struct tus_stream {
	struct xupload u;        /* the session as the PATCH began */
	char part[TUS_PATH_MAX];
	int fd;
	int64_t start;           /* the offset this PATCH began at */
	int64_t written;         /* bytes of this PATCH in the file */
	int64_t kicked;          /* ... of which writeback has been started */
	EVP_MD_CTX *ck;          /* Upload-Checksum over this PATCH's bytes */
	unsigned char want[EVP_MAX_MD_SIZE];
	unsigned int want_len;
	bool locked;
	bool settled;            /* answered: nothing more to keep or undo */
};

/* ---- small parsers ------------------------------------------------------- */

static int parse_checksum(const char *h, struct tus_stream *ts,
			  const char **why)
{
	const EVP_MD *md = NULL;

	if (tus_parse_checksum(h, &md, ts->want, sizeof(ts->want),
			       &ts->want_len, why) != 0)
		return -1;
	ts->ck = EVP_MD_CTX_new();
	if (!ts->ck || !EVP_DigestInit_ex(ts->ck, md, NULL)) {
		*why = "out of memory";
		return -2;
	}
	return 0;
}

static bool resumable_ok(struct MHD_Connection *c)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "Tus-Resumable");

	return v && strcmp(v, TUS_VERSION) == 0;
}

/* ---- sessions busy with a PATCH or DELETE -------------------------------- */

static pthread_mutex_t lock_mu = PTHREAD_MUTEX_INITIALIZER;
static char locks[TUS_LOCKS][XUPLOAD_ID_LEN + 1];

/* 0: taken; 1: busy; -1: the table is full */
static int lock_take(const char *id)
{
	int i, free_slot = -1, rc = 0;

	pthread_mutex_lock(&lock_mu);
	for (i = 0; i < TUS_LOCKS; i++) {
		if (!locks[i][0]) {
			if (free_slot < 0)
				free_slot = i;
		} else if (strcmp(locks[i], id) == 0) {
			rc = 1;
			break;
		}
	}
	if (rc == 0) {
		if (free_slot < 0)
			rc = -1;
		else
			snprintf(locks[free_slot], sizeof(locks[free_slot]),
				 "%s", id);
	}
	pthread_mutex_unlock(&lock_mu);
	return rc;
}

static void lock_drop(const char *id)
{
	int i;

	pthread_mutex_lock(&lock_mu);
	for (i = 0; i < TUS_LOCKS; i++)
		if (strcmp(locks[i], id) == 0) {
			locks[i][0] = '\0';
			break;
		}
	pthread_mutex_unlock(&lock_mu);
}

/* ---- files --------------------------------------------------------------- */

static int part_path(const char *id, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/uploads/%s.part", xsrv.conf->data_dir,
			 id);

	return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

int xblob_path(const char *sha256, char *buf, size_t size)
{
	int n;

	if (!xsha256_valid(sha256))
		return -1;
	n = snprintf(buf, size, "%s/blobs/%.2s/%s", xsrv.conf->data_dir,
		     sha256, sha256);
	return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

static int mkdir_in_data(const char *sub)
{
	char dir[TUS_PATH_MAX];
	int n = snprintf(dir, sizeof(dir), "%s/%s", xsrv.conf->data_dir, sub);

	if (n < 0 || (size_t)n >= sizeof(dir))
		return -1;
	return (mkdir(dir, 0700) == 0 || errno == EEXIST) ? 0 : -1;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Is the SHA-256 md the one written in hex (lowercase) in want? */
static bool md_is(const unsigned char md[32], const char *want)
{
	static const char hexd[] = "0123456789abcdef";
	char hex[65];
	int i;

	for (i = 0; i < 32; i++) {
		hex[2 * i] = hexd[md[i] >> 4];
		hex[2 * i + 1] = hexd[md[i] & 15];
	}
	hex[64] = '\0';
	return strcmp(hex, want) == 0;
}

/* The whole file's SHA-256 is want (hex) and its size length?  0 yes,
 * 1 no, -1 cannot tell (I/O). */
static int file_matches(const char *path, const char *want, int64_t length)
{
	unsigned char buf[32768], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = NULL;
	int64_t total = 0;
	int fd, rc = -1;
	ssize_t k;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		goto out;
	while ((k = read(fd, buf, sizeof(buf))) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		total += k;
		if (total > length) {
			rc = 1;
			goto out;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)k);
	}
	if (!EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32)
		goto out;
	rc = (total == length && md_is(md, want)) ? 0 : 1;
out:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}

/* file_matches for the session's file, from the hash the thread of
 * tus_hash.c has kept up with the parts when it has. */
static int hashed_matches(const struct xupload *u, const char *part)
{
	unsigned char md[32];

	tus_hash_feed(u->id, part, u->length);
	if (tus_hash_take(u->id, u->length, md) != 0)
		return file_matches(part, u->sha256, u->length);
	return md_is(md, u->sha256) ? 0 : 1;
}

/* Give the synced file at part its blob name: a hard link, so that a blob
 * the exchange has already is never replaced; then sync the folders. */
static int place_blob(const char *part, const char *sha256)
{
	char dir[TUS_PATH_MAX], final[TUS_PATH_MAX];
	int n;

	if (mkdir_in_data("blobs") != 0)
		return -1;
	n = snprintf(dir, sizeof(dir), "%s/blobs/%.2s", xsrv.conf->data_dir,
		     sha256);
	if (n < 0 || (size_t)n >= sizeof(dir) ||
	    (mkdir(dir, 0700) != 0 && errno != EEXIST) ||
	    xblob_path(sha256, final, sizeof(final)) != 0)
		return -1;
	if (link(part, final) != 0 && errno != EEXIST) {
		/* no hard links here: a rename does it, minus the guard */
		struct stat sb;
		if (stat(final, &sb) != 0 && rename(part, final) != 0)
			return -1;
	}
	if (fsync_dir(dir) != 0)
		return -1;
	n = snprintf(dir, sizeof(dir), "%s/blobs", xsrv.conf->data_dir);
	if (n < 0 || (size_t)n >= sizeof(dir) || fsync_dir(dir) != 0)
		return -1;
	return 0;
}

/* Remove a session and its file (lock held or not needed). */
static void discard_session(struct xstore *s, const char *id)
{
	char part[TUS_PATH_MAX];

	xsrv.ops->upload_del(s, id, NULL);
	tus_hash_drop(id);
	if (part_path(id, part, sizeof(part)) == 0)
		unlink(part);
}

/*
 * All of the session's bytes are in part (synced): check the whole hash,
 * store the blob once, record it and the uploader, and mark the session
 * done, its offset moving from `from` to its length.  Returns 204, 460
 * (the hash differs: the session is discarded) or 500/503.
 */
static int finish(struct xstore *s, const struct xupload *u,
		  const char *part, int64_t from, const char **why)
{
	struct rcms_err err;
	int m;

	m = hashed_matches(u, part);
	if (m == 1) {
		discard_session(s, u->id);
		*why = "the file's SHA-256 is not the one declared in "
		       "Upload-Metadata; the upload was discarded";
		return 460;
	}
	if (m < 0 || place_blob(part, u->sha256) != 0) {
		*why = "the file could not be stored";
		return 500;
	}
	if (xsrv.ops->begin(s, &err) != RCMS_OK) {
		*why = "storage unavailable; retry";
		return 503;
	}
	if (xsrv.ops->blob_put(s, u->sha256, u->length, u->agency, xsrv_now(),
			       &err) != RCMS_OK ||
	    xsrv.ops->upload_advance(s, u->id, from, u->length, true,
				     xsrv_now(), &err) != RCMS_OK ||
	    xsrv.ops->commit(s, &err) != RCMS_OK) {
		xsrv.ops->rollback(s);
		*why = "storage unavailable; retry";
		return 503;
	}
	/* the blob has its own name now; the session's is no longer needed */
	unlink(part);
	return 204;
}

/* Sessions untouched for a week go, with their files. */
static void expire_idle(struct xstore *s)
{
	char ids[TUS_EXPIRE_BATCH][XUPLOAD_ID_LEN + 1];
	int n = 0, i;

	if (xsrv.ops->upload_idle(s, xsrv_now() - TUS_IDLE_SECONDS, ids,
				  TUS_EXPIRE_BATCH, &n, NULL) != RCMS_OK)
		return;
	for (i = 0; i < n; i++) {
		if (lock_take(ids[i]) != 0)
			continue;
		discard_session(s, ids[i]);
		lock_drop(ids[i]);
	}
}

/* ---- answers ------------------------------------------------------------- */

/* An empty answer with the session's offset and length (-1: leave out). */
static enum MHD_Result reply(struct MHD_Connection *c, struct xreq *r,
			     int status, int64_t offset, int64_t length)
{
	struct MHD_Response *resp;
	char b[32];

	resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	if (offset >= 0) {
		snprintf(b, sizeof(b), "%lld", (long long)offset);
		MHD_add_response_header(resp, "Upload-Offset", b);
	}
	if (length >= 0) {
		snprintf(b, sizeof(b), "%lld", (long long)length);
		MHD_add_response_header(resp, "Upload-Length", b);
	}
	return xsrv_send(c, r, status, resp);
}

static enum MHD_Result precondition(struct MHD_Connection *c,
				    struct xreq *r, bool early)
{
	const char *t = "Tus-Resumable: 1.0.0 is required";

	return early ? xsrv_refuse(c, r, 412, "tus-version", t, NULL)
		     : xsrv_problem(c, r, 412, "tus-version", t, NULL);
}

static enum MHD_Result no_upload(struct MHD_Connection *c, struct xreq *r,
				 bool early)
{
	const char *t = "no such upload";

	return early ? xsrv_refuse(c, r, 404, "not-found", t, NULL)
		     : xsrv_problem(c, r, 404, "not-found", t, NULL);
}

static enum MHD_Result unavailable(struct MHD_Connection *c, struct xreq *r,
				   bool early)
{
	const char *t = "storage unavailable";

	return early ? xsrv_refuse(c, r, 503, "unavailable", t, NULL)
		     : xsrv_problem(c, r, 503, "unavailable", t, NULL);
}

/* The session in r->tail if it is this agency's: 0, 404 or 503. */
static int own_session(struct xstore *s, struct xreq *r, struct xupload *u)
{
	enum rcms_status st;

	if (r->tail_bad || !tus_id_valid(r->tail))
		return 404;
	if (!s)
		return 503;
	st = xsrv.ops->upload_get(s, r->tail, u, NULL);
	if (st == RCMS_ERR_NOT_FOUND ||
	    (st == RCMS_OK && strcmp(u->agency, r->agency) != 0))
		return 404;
	return st == RCMS_OK ? 0 : 503;
}

/* ---- the handlers -------------------------------------------------------- */

enum MHD_Result tus_options(struct MHD_Connection *c, struct xreq *r)
{
	struct MHD_Response *resp;
	char b[32];

	resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	snprintf(b, sizeof(b), "%lld", (long long)xsrv.conf->max_upload);
	MHD_add_response_header(resp, "Tus-Version", TUS_VERSION);
	MHD_add_response_header(resp, "Tus-Extension",
				"creation,checksum,termination");
	MHD_add_response_header(resp, "Tus-Max-Size", b);
	MHD_add_response_header(resp, "Tus-Checksum-Algorithm", "sha256,sha1");
	return xsrv_send(c, r, 204, resp);
}

enum MHD_Result tus_create(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	struct xupload u;
	struct MHD_Response *resp;
	unsigned char rnd[XUPLOAD_ID_LEN / 2];
	char part[TUS_PATH_MAX], loc[64], detail[96];
	const char *why = NULL;
	int64_t open_n = 0, open_bytes = 0;
	int fd, i;

	if (!resumable_ok(c))
		return precondition(c, r, false);
	if (!s)
		return unavailable(c, r, false);
	memset(&u, 0, sizeof(u));
	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					"Upload-Defer-Length"))
		return xsrv_problem(c, r, 400, "invalid-header",
				    "Upload-Defer-Length is not supported; "
				    "send Upload-Length", NULL);
	if (tus_parse_count(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "Upload-Length"),
			&u.length) != 0)
		return xsrv_problem(c, r, 400, "invalid-header",
				    "Upload-Length must be a byte count",
				    NULL);
	if (u.length > xsrv.conf->max_upload) {
		snprintf(detail, sizeof(detail), "at most %lld bytes",
			 (long long)xsrv.conf->max_upload);
		return xsrv_problem(c, r, 413, "upload-too-large",
				    "the file is larger than the exchange "
				    "accepts", detail);
	}
	if (tus_parse_metadata(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						       "Upload-Metadata"),
			   &u, &why) != 0)
		return xsrv_problem(c, r, 400, "invalid-metadata",
				    "Upload-Metadata is invalid", why);
	expire_idle(s);
	if (xsrv.ops->upload_count(s, r->agency, &open_n, &open_bytes,
				   NULL) != RCMS_OK)
		return unavailable(c, r, false);
	if (open_n >= TUS_MAX_OPEN ||
	    open_bytes + u.length > TUS_MAX_OPEN_BYTES)
		return xsrv_problem(c, r, 429, "too-many-uploads",
				    "too many unfinished uploads; finish or "
				    "delete some", NULL);
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return xsrv_problem(c, r, 503, "unavailable",
				    "no randomness for an upload id", NULL);
	for (i = 0; i < (int)sizeof(rnd); i++)
		snprintf(u.id + 2 * i, 3, "%02x", rnd[i]);
	snprintf(u.agency, sizeof(u.agency), "%s", r->agency);
	snprintf(u.workstation, sizeof(u.workstation), "%s", r->workstation);
	u.created_at = u.updated_at = xsrv_now();
	if (mkdir_in_data("uploads") != 0 ||
	    part_path(u.id, part, sizeof(part)) != 0)
		return xsrv_problem(c, r, 500, "internal",
				    "the upload folder is not usable", NULL);
	fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		return xsrv_problem(c, r, 500, "internal",
				    "the upload file cannot be created", NULL);
	close(fd);
	if (xsrv.ops->upload_put(s, &u, NULL) != RCMS_OK) {
		unlink(part);
		return unavailable(c, r, false);
	}
	if (u.length == 0) {
		/* nothing to send: the upload is complete as it is created */
		int st = finish(s, &u, part, 0, &why);
		if (st != 204)
			return xsrv_problem(c, r, st,
					    st == 460 ? "hash-mismatch"
						      : "unavailable",
					    st == 460 ? "checksum mismatch"
						      : "storage unavailable",
					    why);
	}
	resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	snprintf(loc, sizeof(loc), "/v1/uploads/%s", u.id);
	MHD_add_response_header(resp, "Location", loc);
	MHD_add_response_header(resp, "Upload-Offset", "0");
	return xsrv_send(c, r, 201, resp);
}

enum MHD_Result tus_head(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	struct xupload u;
	struct MHD_Response *resp;
	char meta[512], b[32];
	size_t used;
	int st;

	if (!resumable_ok(c))
		return precondition(c, r, false);
	if ((st = own_session(s, r, &u)))
		return st == 404 ? no_upload(c, r, false)
				 : unavailable(c, r, false);
	resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	snprintf(b, sizeof(b), "%lld", (long long)u.offset);
	MHD_add_response_header(resp, "Upload-Offset", b);
	snprintf(b, sizeof(b), "%lld", (long long)u.length);
	MHD_add_response_header(resp, "Upload-Length", b);
	/* the metadata kept, as the client sent it (base64) */
	used = (size_t)snprintf(meta, sizeof(meta), "sha256 ");
	tus_b64_encode((const unsigned char *)u.sha256, 64, meta + used,
		   sizeof(meta) - used);
	used = strlen(meta);
	if (u.filename[0] && used + 12 < sizeof(meta)) {
		used += (size_t)snprintf(meta + used, sizeof(meta) - used,
					 ",filename ");
		tus_b64_encode((const unsigned char *)u.filename,
			   strlen(u.filename), meta + used,
			   sizeof(meta) - used);
	}
	MHD_add_response_header(resp, "Upload-Metadata", meta);
	return xsrv_send(c, r, 200, resp);
}

enum MHD_Result tus_delete(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	struct xupload u;
	int st;

	if (!resumable_ok(c))
		return precondition(c, r, false);
	if ((st = own_session(s, r, &u)))
		return st == 404 ? no_upload(c, r, false)
				 : unavailable(c, r, false);
	st = lock_take(u.id);
	if (st == 1)
		return xsrv_problem(c, r, 423, "upload-locked",
				    "the upload is busy with another request; "
				    "retry", NULL);
	if (st < 0)
		return unavailable(c, r, false);
	discard_session(s, u.id);
	lock_drop(u.id);
	return reply(c, r, 204, -1, -1);
}

/* Undo what this PATCH wrote: the session stays at its start offset. */
static void undo_chunk(struct tus_stream *ts)
{
	if (ts->fd >= 0 && ts->written > 0)
		(void)!ftruncate(ts->fd, (off_t)ts->start);
	ts->written = 0;
	ts->kicked = 0;
}

enum MHD_Result tus_patch_begin(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	struct tus_stream *ts;
	const char *v, *why = NULL;
	char detail[96];
	int64_t off = 0, cl = 0;
	int st;

	if (!resumable_ok(c))
		return precondition(c, r, true);
	ts = calloc(1, sizeof(*ts));
	if (!ts)
		return MHD_NO;
	ts->fd = -1;
	if ((st = own_session(s, r, &ts->u))) {
		free(ts);
		return st == 404 ? no_upload(c, r, true)
				 : unavailable(c, r, true);
	}
	/* from here on tus_request_done releases what is held */
	r->upload = ts;
	ts->settled = true;
	st = lock_take(ts->u.id);
	if (st == 1)
		return xsrv_refuse(c, r, 423, "upload-locked",
				   "the upload is busy with another request; "
				   "retry", NULL);
	if (st < 0)
		return unavailable(c, r, true);
	ts->locked = true;
	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if (!v || strncasecmp(v, "application/offset+octet-stream", 31) != 0 ||
	    (v[31] && v[31] != ';' && v[31] != ' '))
		return xsrv_refuse(c, r, 415, "unsupported-media-type",
				   "a PATCH carries "
				   "application/offset+octet-stream", NULL);
	if (tus_parse_count(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "Upload-Offset"),
			&off) != 0)
		return xsrv_refuse(c, r, 400, "invalid-header",
				   "Upload-Offset must be a byte count", NULL);
	if (off != ts->u.offset) {
		snprintf(detail, sizeof(detail),
			 "the upload is at byte %lld; ask with HEAD",
			 (long long)ts->u.offset);
		return xsrv_refuse(c, r, 409, "offset-mismatch",
				   "Upload-Offset is not the upload's offset",
				   detail);
	}
	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (v && (tus_parse_count(v, &cl) != 0 ||
		  cl > ts->u.length - ts->u.offset))
		return xsrv_refuse(c, r, 413, "upload-too-long",
				   "the body goes past Upload-Length", NULL);
	v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Upload-Checksum");
	if (v && (st = parse_checksum(v, ts, &why)) != 0)
		return st == -2 ? unavailable(c, r, true)
				: xsrv_refuse(c, r, 400, "invalid-checksum",
					      "Upload-Checksum is invalid",
					      why);
	ts->start = off;
	if (!ts->u.done) {
		if (part_path(ts->u.id, ts->part, sizeof(ts->part)) != 0)
			return unavailable(c, r, true);
		ts->fd = open(ts->part, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		if (ts->fd < 0 && errno == ENOENT) {
			/* the bytes are gone: the session is of no use */
			discard_session(s, ts->u.id);
			return no_upload(c, r, true);
		}
		/* drop what a refused or cut-off PATCH left past the offset */
		if (ts->fd < 0 || ftruncate(ts->fd, (off_t)off) != 0 ||
		    lseek(ts->fd, (off_t)off, SEEK_SET) != (off_t)off)
			return xsrv_refuse(c, r, 500, "internal",
					   "the upload file is not usable",
					   NULL);
	}
	ts->settled = false;
	return MHD_YES;
}

void tus_patch_data(struct xreq *r, const char *data, size_t n)
{
	struct tus_stream *ts = r->upload;

	if (ts->settled)
		return;
	if ((uint64_t)n > (uint64_t)(ts->u.length - ts->start - ts->written)) {
		undo_chunk(ts);
		ts->settled = true;
		xsrv_refuse_later(r, 413, "upload-too-long",
				  "the body goes past Upload-Length", NULL);
		return;
	}
	if (write_all(ts->fd, data, n) != 0) {
		undo_chunk(ts);
		ts->settled = true;
		xsrv_refuse_later(r, errno == ENOSPC ? 507 : 500, "internal",
				  "the upload could not be written", NULL);
		return;
	}
	if (ts->ck)
		EVP_DigestUpdate(ts->ck, data, n);
	ts->written += (int64_t)n;
	/* the disk starts on the bytes while more arrive: the fdatasync at
	 * the end of the PATCH then waits for the tail only, not for the
	 * whole part (4 MiB parts are synced one by one) */
	if (ts->written - ts->kicked >= TUS_KICK_BYTES) {
		(void)sync_file_range(ts->fd, ts->start + ts->kicked,
				      ts->written - ts->kicked,
				      SYNC_FILE_RANGE_WRITE);
		ts->kicked = ts->written;
	}
}

enum MHD_Result tus_patch_end(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	struct tus_stream *ts = r->upload;
	const char *why = NULL;
	int64_t now_at;
	int st;

	if (!ts || ts->settled || !s)
		return xsrv_problem(c, r, 500, "internal", "lost the upload",
				    NULL);
	ts->settled = true;
	if (ts->ck) {
		unsigned char got[EVP_MAX_MD_SIZE];
		unsigned int n = 0;
		if (!EVP_DigestFinal_ex(ts->ck, got, &n) || n != ts->want_len ||
		    memcmp(got, ts->want, n) != 0) {
			undo_chunk(ts);
			return xsrv_problem(c, r, 460, "checksum-mismatch",
					    "Upload-Checksum does not match "
					    "the bytes received; they were "
					    "discarded", NULL);
		}
	}
	if (ts->u.done)
		return reply(c, r, 204, ts->u.length, -1);
	now_at = ts->start + ts->written;
	if (ts->written > 0 && fdatasync(ts->fd) != 0) {
		undo_chunk(ts);
		return xsrv_problem(c, r, 500, "internal",
				    "the upload could not be synced", NULL);
	}
	if (now_at < ts->u.length) {
		if (ts->written > 0 &&
		    xsrv.ops->upload_advance(s, ts->u.id, ts->start, now_at,
					     false, xsrv_now(),
					     NULL) != RCMS_OK) {
			undo_chunk(ts);
			return unavailable(c, r, false);
		}
		/* final from here: the whole file's hash takes them now */
		tus_hash_feed(ts->u.id, ts->part, now_at);
		return reply(c, r, 204, now_at, -1);
	}
	close(ts->fd);
	ts->fd = -1;
	st = finish(s, &ts->u, ts->part, ts->start, &why);
	if (st == 204)
		return reply(c, r, 204, ts->u.length, -1);
	return xsrv_problem(c, r, st,
			    st == 460 ? "hash-mismatch" : "unavailable",
			    st == 460 ? "the file's SHA-256 does not match"
				      : "the upload could not be completed",
			    why);
}

void tus_request_done(struct xreq *r)
{
	struct tus_stream *ts = r->upload;

	if (!ts)
		return;
	/*
	 * Cut off mid-body: keep what arrived, as tus asks, so that the
	 * client resumes from there; unless a checksum was to vouch for the
	 * bytes (they cannot be checked now) or they would complete the file
	 * unchecked.
	 */
	if (!ts->settled && ts->fd >= 0 && ts->written > 0) {
		struct xstore *s = xsrv_store();
		int64_t to = ts->start + ts->written;
		if (!ts->ck && to < ts->u.length && s &&
		    fdatasync(ts->fd) == 0 &&
		    xsrv.ops->upload_advance(s, ts->u.id, ts->start, to, false,
					     xsrv_now(), NULL) == RCMS_OK) {
			ts->written = 0; /* kept */
			tus_hash_feed(ts->u.id, ts->part, to);
		} else {
			undo_chunk(ts);
		}
	}
	if (ts->fd >= 0)
		close(ts->fd);
	EVP_MD_CTX_free(ts->ck);
	if (ts->locked)
		lock_drop(ts->u.id);
	free(ts);
	r->upload = NULL;
}
