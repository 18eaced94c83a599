/* blobs.c - GET and HEAD /v1/blobs/<sha256>: a stored blob, whole or one
 * byte range, streamed from its file (never read whole into memory).
 *
 * An agency may read a blob when it takes part in a case that links it
 * (store's blob_readable) or when it uploaded the blob itself (a
 * workstation uploads before it pushes the attachment.link op and asks
 * with HEAD whether it still needs to).  To everyone else a blob does not
 * exist: the answer is the same 404 whether the exchange has it or not. */
#include "exchange/server_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOB_PATH_MAX 4400

/* Digits at *p (saturating far above any file size); NULL if none. */
static const char *digits(const char *p, int64_t *out)
{
	int64_t v = 0;
	const char *s = p;

	while (*p >= '0' && *p <= '9') {
		if (v < ((int64_t)1 << 60))
			v = v * 10 + (*p - '0');
		p++;
	}
	*out = v;
	return p == s ? NULL : p;
}

/*
 * One byte range of RFC 9110 (bytes=a-b, a-, -n) over a file of size
 * bytes.  1: [*from, *from + *len) is to be sent; 0: no usable range (a
 * malformed header, another unit or several ranges: send it all);
 * -1: unsatisfiable (416).
 */
static int parse_range(const char *h, int64_t size, int64_t *from,
		       int64_t *len)
{
	int64_t a = 0, b = 0;
	const char *p;

	if (!h || strncasecmp(h, "bytes=", 6) != 0 || strchr(h, ','))
		return 0;
	p = h + 6;
	while (*p == ' ')
		p++;
	if (*p == '-') {
		if (!(p = digits(p + 1, &b)))
			return 0;
		while (*p == ' ')
			p++;
		if (*p)
			return 0;
		if (b == 0 || size == 0)
			return -1;
		if (b > size)
			b = size;
		*from = size - b;
		*len = b;
		return 1;
	}
	if (!(p = digits(p, &a)) || *p++ != '-')
		return 0;
	if (*p >= '0' && *p <= '9') {
		if (!(p = digits(p, &b)))
			return 0;
	} else {
		b = -1; /* a- : to the end */
	}
	while (*p == ' ')
		p++;
	if (*p || (b >= 0 && b < a))
		return 0;
	if (a >= size)
		return -1;
	if (b < 0 || b >= size)
		b = size - 1;
	*from = a;
	*len = b - a + 1;
	return 1;
}

static enum MHD_Result not_found(struct MHD_Connection *c, struct xreq *r)
{
	return xsrv_problem(c, r, 404, "not-found", "no such blob", NULL);
}

enum MHD_Result blob_get(struct MHD_Connection *c, struct xreq *r)
{
	struct xstore *s = xsrv_store();
	const char *sha = r->tail;
	const char *range, *if_range;
	char path[BLOB_PATH_MAX], etag[96], b[96];
	struct MHD_Response *resp;
	struct stat sb;
	int64_t size = 0, from = 0, len = 0;
	bool mine = false, linked = false;
	enum rcms_status st;
	int fd, rg = 0;

	if (r->tail_bad || !xsha256_valid(sha))
		return not_found(c, r);
	if (!s)
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	st = xsrv.ops->blob_get(s, sha, r->agency, &size, &mine, NULL);
	if (st == RCMS_ERR_NOT_FOUND)
		return not_found(c, r);
	if (st == RCMS_OK && !mine)
		st = xsrv.ops->blob_readable(s, r->agency, sha, &linked, NULL);
	if (st != RCMS_OK)
		return xsrv_problem(c, r, 503, "unavailable",
				    "storage unavailable", NULL);
	if (!mine && !linked)
		return not_found(c, r);
	if (xblob_path(sha, path, sizeof(path)) != 0)
		return not_found(c, r);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "rcms-exchange: blob %.12s... is recorded "
			"but its file is missing or unreadable\n", sha);
		return xsrv_problem(c, r, 500, "internal",
				    "the blob cannot be read", NULL);
	}
	size = (int64_t)sb.st_size;
	snprintf(etag, sizeof(etag), "\"%s\"", sha);
	range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Range");
	if_range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Range");
	/* a blob never changes; If-Range holds only for its own tag */
	if (range && (!if_range || strcmp(if_range, etag) == 0))
		rg = parse_range(range, size, &from, &len);
	if (rg < 0) {
		close(fd);
		resp = xsrv_problem_response(416, "range-not-satisfiable",
					     "the range is outside the blob",
					     NULL);
		if (!resp)
			return MHD_NO;
		snprintf(b, sizeof(b), "bytes */%lld", (long long)size);
		MHD_add_response_header(resp, "Content-Range", b);
		MHD_add_response_header(resp, "Accept-Ranges", "bytes");
		return xsrv_send(c, r, 416, resp);
	}
	if (rg == 0) {
		from = 0;
		len = size;
	}
	if (len == 0) {
		close(fd);
		resp = MHD_create_response_from_buffer(0, NULL,
						       MHD_RESPMEM_PERSISTENT);
	} else {
		/* MHD reads the file piece by piece and closes fd */
		resp = MHD_create_response_from_fd_at_offset64(
			(uint64_t)len, fd, (uint64_t)from);
		if (!resp)
			close(fd);
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type",
				"application/octet-stream");
	MHD_add_response_header(resp, "Content-Disposition", "attachment");
	MHD_add_response_header(resp, "Accept-Ranges", "bytes");
	MHD_add_response_header(resp, "ETag", etag);
	if (rg == 1) {
		snprintf(b, sizeof(b), "bytes %lld-%lld/%lld", (long long)from,
			 (long long)(from + len - 1), (long long)size);
		MHD_add_response_header(resp, "Content-Range", b);
	}
	return xsrv_send(c, r, rg == 1 ? 206 : 200, resp);
}
