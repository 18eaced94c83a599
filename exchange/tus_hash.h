/* tus_hash.h - the whole file's SHA-256 of the uploads under way, computed
 * by a thread of its own behind the PATCHes (tus_hash.c), so that the
 * last PATCH of a large file need not read it all again before it is
 * answered.  Nothing here is trusted for more than a shortcut: when the
 * thread has not seen an upload's bytes from its first (a restart, a
 * session pushed out of the table, a read error), tus_hash_take says so
 * and the caller reads the file itself. */
#ifndef RCMS_EXCHANGE_TUS_HASH_H
#define RCMS_EXCHANGE_TUS_HASH_H

#include <stdint.h>

#define TUS_HASH_SLOTS 16        /* uploads followed at once */

/* Start the thread (0), or -1: then every take answers -1. */
int tus_hash_start(void);
/* Stop it and forget every upload. */
void tus_hash_stop(void);
/* The first upto bytes of upload id's file at path are final (synced,
 * acknowledged, never written again): hash them in the background.  The
 * first call for an id opens the file and starts from its byte 0. */
void tus_hash_feed(const char *id, const char *path, int64_t upto);
/* The SHA-256 of upload id's first length bytes, waiting for the thread
 * to get there, into md; the upload is forgotten.  0, or -1 when it is
 * not known here (never fed, pushed out, a short or failed read, a file
 * whose size is not length): read the file. */
int tus_hash_take(const char *id, int64_t length, unsigned char md[32]);
/* Forget upload id (discarded or expired). */
void tus_hash_drop(const char *id);

#endif
