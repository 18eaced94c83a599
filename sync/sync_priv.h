/* sync_priv.h - what the sync files share. */
#ifndef RCMS_SYNC_SYNC_PRIV_H
#define RCMS_SYNC_SYNC_PRIV_H

#include <curl/curl.h>
#include <openssl/evp.h>

#include "sync/sync.h"

/* A download in progress: its file, its running hash, its size limit. */
struct sync_file {
	int fd;
	EVP_MD_CTX *md;
	int64_t written;
	int64_t limit;
};

/* Mutual TLS with the exchange's CA pinned; verification never off. */
void sync_tls(CURL *e, const struct sync_conf *conf);

enum rcms_status sync_upload_blobs(struct db_ctx *ctx,
				   const struct sync_conf *conf,
				   struct sync_report *rep,
				   struct rcms_err *err);
enum rcms_status sync_download_blobs(struct db_ctx *ctx,
				     const struct sync_conf *conf,
				     const char *case_id,
				     struct sync_report *rep,
				     struct rcms_err *err);

#endif
