/* tus_put.c - the workstation's tus client on its own, for the interop
 * test (tests/sync/tus-interop.sh): sends the documents a replica has
 * waiting to any tus server, through the same sync engine `rcms sync`
 * drives, and prints what it did.
 *
 *   tus_put HOME URL CA CERT KEY
 *
 * HOME is a replica's folder (its rcms.db and blobs); URL the server's
 * origin (https://host:port), which serves tus at /v1/uploads.  Exit 0
 * when every document went, 75 when the transfer was cut (run it again:
 * it resumes), 1 otherwise. */
#include "sync/engine.h"

#include <stdio.h>
#include <string.h>

static int copy(char *dst, size_t size, const char *src)
{
	if (strlen(src) >= size) {
		fprintf(stderr, "tus_put: '%s' is too long\n", src);
		return 1;
	}
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

int main(int argc, char **argv)
{
	struct rcms_db *db = NULL;
	struct db_ctx ctx;
	struct sync_conf conf;
	struct sync_engine *e = NULL;
	struct sync_report rep;
	struct rcms_err err;
	char path[4200];
	enum rcms_status st;

	if (argc != 6) {
		fprintf(stderr, "usage: tus_put HOME URL CA CERT KEY\n");
		return 64;
	}
	memset(&ctx, 0, sizeof(ctx));
	memset(&conf, 0, sizeof(conf));
	rcms_err_clear(&err);
	if (copy(conf.data_dir, sizeof(conf.data_dir), argv[1]) ||
	    copy(conf.url, sizeof(conf.url), argv[2]) ||
	    copy(conf.ca, sizeof(conf.ca), argv[3]) ||
	    copy(conf.cert, sizeof(conf.cert), argv[4]) ||
	    copy(conf.key, sizeof(conf.key), argv[5]))
		return 64;
	conf.connect_timeout = 10;
	conf.timeout = 60;
	conf.retries = 0;   /* a cut shows: the test runs it again */
	snprintf(path, sizeof(path), "%s/rcms.db", argv[1]);
	if ((st = db_open(path, argv[1], 0, &db, &err)))
		goto out;
	ctx.db = db;
	if ((st = sync_engine_new_upload(&ctx, &conf, &e, &err)))
		goto out;
	while (!sync_engine_done(e)) {
		sync_engine_step(e);
		if (!sync_engine_done(e))
			sync_engine_wait(e, -1, 1000);
	}
	st = sync_engine_result(e, &rep, &err);
	printf("sent %lld document(s), %lld bytes\n", (long long)rep.blobs_up,
	       (long long)rep.bytes_up);
out:
	sync_engine_free(e);
	db_close(&db);
	if (st) {
		fprintf(stderr, "tus_put: %s\n", rcms_err_msg(&err));
		return st == RCMS_ERR_UNAVAILABLE || st == RCMS_ERR_TEMP ? 75
									 : 1;
	}
	return 0;
}
