/*
 * tus_hash.c - the whole file's SHA-256 of the uploads under way, by a
 * thread of its own (tus_hash.h).
 *
 * A tus upload comes in parts, one PATCH each, and only once its last
 * byte is there can the exchange check the file against the SHA-256
 * declared at its creation.  Reading and hashing the whole file then
 * kept the last PATCH waiting: 200 MB is about a fifth of a second of
 * SHA-256 on the exchange, with the sender idle.  Here a thread hashes
 * each part as soon as it is synced and acknowledged (a byte below the
 * session's offset is never written again), on the other CPU while the
 * next part arrives; the last PATCH hashes only what the thread has not
 * reached yet, itself, and finalizes.
 *
 * The table is small (TUS_HASH_SLOTS); an upload pushed out of it, one
 * the exchange did not follow from its byte 0 (a restart: then the
 * first feed reads from 0 again), or one whose read failed is simply not
 * known, and finish() reads the file as it always could.
 */
#include "exchange/tus_hash.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#define ID_MAX 72                 /* an upload id and its NUL, with room */
#define STEP (1024 * 1024)        /* hashed between two looks at the table */

struct slot {
	char id[ID_MAX];          /* "" when free */
	int fd;
	EVP_MD_CTX *md;
	int64_t done;             /* bytes hashed, from 0 */
	int64_t avail;            /* bytes that may be hashed */
	uint64_t used;            /* when last fed: the oldest goes first */
	bool busy;                /* being read and hashed, outside the lock */
	bool failed;              /* a read or the digest failed */
	bool gone;                /* forgotten while busy: freed after */
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t work;      /* something to hash, or stop */
	pthread_cond_t progress;  /* a slot is no longer busy */
	pthread_t thread;
	bool running, stop;
	uint64_t tick;
	int next;                 /* where the thread looks first */
	struct slot s[TUS_HASH_SLOTS];
} H = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.work = PTHREAD_COND_INITIALIZER,
	.progress = PTHREAD_COND_INITIALIZER,
};

/* Lock held, slot not busy. */
static void slot_free(struct slot *s)
{
	if (s->fd >= 0)
		close(s->fd);
	EVP_MD_CTX_free(s->md);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* Lock held. */
static struct slot *slot_find(const char *id)
{
	int i;

	for (i = 0; i < TUS_HASH_SLOTS; i++)
		if (H.s[i].id[0] && strcmp(H.s[i].id, id) == 0)
			return &H.s[i];
	return NULL;
}

/*
 * Hash up to max of s's waiting bytes with buf: the lock is held on entry
 * and on return, and let go in between (s is busy meanwhile).
 */
static void hash_some(struct slot *s, unsigned char *buf, size_t max)
{
	int64_t from = s->done, want = s->avail - s->done;
	size_t n = want < (int64_t)max ? (size_t)want : max, got = 0;
	bool ok = true;

	s->busy = true;
	pthread_mutex_unlock(&H.mu);
	while (got < n) {
		ssize_t k = pread(s->fd, buf + got, n - got,
				  (off_t)(from + (int64_t)got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			ok = false;   /* shorter than acknowledged: not ours */
			break;
		}
		got += (size_t)k;
	}
	if (ok && !EVP_DigestUpdate(s->md, buf, n))
		ok = false;
	pthread_mutex_lock(&H.mu);
	s->busy = false;
	if (ok)
		s->done += (int64_t)n;
	else
		s->failed = true;
	if (s->gone)
		slot_free(s);
	pthread_cond_broadcast(&H.progress);
}

static void *hasher(void *arg)
{
	unsigned char *buf = arg;
	int i;

	pthread_mutex_lock(&H.mu);
	while (!H.stop) {
		struct slot *s = NULL;
		for (i = 0; i < TUS_HASH_SLOTS; i++) {
			struct slot *c = &H.s[(H.next + i) % TUS_HASH_SLOTS];
			if (c->id[0] && !c->busy && !c->failed &&
			    c->done < c->avail) {
				s = c;
				H.next = (H.next + i + 1) % TUS_HASH_SLOTS;
				break;
			}
		}
		if (!s) {
			pthread_cond_wait(&H.work, &H.mu);
			continue;
		}
		hash_some(s, buf, STEP);
	}
	pthread_mutex_unlock(&H.mu);
	free(buf);
	return NULL;
}

int tus_hash_start(void)
{
	unsigned char *buf = malloc(STEP);
	int i;

	if (!buf)
		return -1;
	pthread_mutex_lock(&H.mu);
	for (i = 0; i < TUS_HASH_SLOTS; i++) {
		memset(&H.s[i], 0, sizeof(H.s[i]));
		H.s[i].fd = -1;
	}
	H.stop = false;
	H.running = pthread_create(&H.thread, NULL, hasher, buf) == 0;
	pthread_mutex_unlock(&H.mu);
	if (!H.running) {
		free(buf);
		return -1;
	}
	return 0;
}

void tus_hash_stop(void)
{
	int i;

	pthread_mutex_lock(&H.mu);
	if (!H.running) {
		pthread_mutex_unlock(&H.mu);
		return;
	}
	H.stop = true;
	pthread_cond_broadcast(&H.work);
	pthread_mutex_unlock(&H.mu);
	pthread_join(H.thread, NULL);
	pthread_mutex_lock(&H.mu);
	H.running = false;
	/* no take is under way: the server has stopped */
	for (i = 0; i < TUS_HASH_SLOTS; i++)
		if (H.s[i].id[0] || H.s[i].gone)
			slot_free(&H.s[i]);
	pthread_mutex_unlock(&H.mu);
}

/* Lock held: a free slot, or the one fed longest ago made free; NULL when
 * every slot is busy. */
static struct slot *slot_new(void)
{
	struct slot *old = NULL;
	int i;

	for (i = 0; i < TUS_HASH_SLOTS; i++) {
		struct slot *c = &H.s[i];
		if (c->busy)
			continue;
		if (!c->id[0])
			return c;
		if (!old || c->used < old->used)
			old = c;
	}
	if (old)
		slot_free(old);
	return old;
}

void tus_hash_feed(const char *id, const char *path, int64_t upto)
{
	struct slot *s;

	if (strlen(id) >= ID_MAX || upto < 0)
		return;
	pthread_mutex_lock(&H.mu);
	if (!H.running)
		goto out;
	s = slot_find(id);
	if (!s) {
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		if (fd < 0 || !md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL) ||
		    !(s = slot_new())) {
			if (fd >= 0)
				close(fd);
			EVP_MD_CTX_free(md);
			goto out;
		}
		memcpy(s->id, id, strlen(id) + 1);
		s->fd = fd;
		s->md = md;
	}
	/* an offset only moves forward; were it ever to go back, the bytes
	 * hashed could have changed */
	if (upto < s->avail)
		s->failed = true;
	else
		s->avail = upto;
	s->used = ++H.tick;
	pthread_cond_signal(&H.work);
out:
	pthread_mutex_unlock(&H.mu);
}

int tus_hash_take(const char *id, int64_t length, unsigned char md[32])
{
	unsigned char *buf = NULL;
	unsigned int mdlen = 0;
	struct slot *s;
	struct stat sb;
	int rc = -1;

	pthread_mutex_lock(&H.mu);
	while ((s = slot_find(id)) && !s->failed && s->avail == length &&
	       (s->busy || s->done < s->avail)) {
		if (s->busy) {
			pthread_cond_wait(&H.progress, &H.mu);
			continue;
		}
		/* what the thread has not reached: hashed here, now */
		if (!buf) {
			pthread_mutex_unlock(&H.mu);
			buf = malloc(STEP);
			pthread_mutex_lock(&H.mu);
			if (!buf)
				break;
			continue;   /* look again: the lock was let go */
		}
		hash_some(s, buf, STEP);
	}
	if (s && !s->failed && !s->busy && s->avail == length &&
	    s->done == length && fstat(s->fd, &sb) == 0 &&
	    sb.st_size == (off_t)length &&
	    EVP_DigestFinal_ex(s->md, md, &mdlen) && mdlen == 32)
		rc = 0;
	if (s && s->busy) {
		s->gone = true;   /* the thread frees it */
		s->id[0] = '\0';
	} else if (s) {
		slot_free(s);
	}
	pthread_mutex_unlock(&H.mu);
	free(buf);
	return rc;
}

void tus_hash_drop(const char *id)
{
	struct slot *s;

	pthread_mutex_lock(&H.mu);
	if ((s = slot_find(id))) {
		if (s->busy) {
			s->gone = true;
			s->id[0] = '\0';
		} else {
			slot_free(s);
		}
	}
	pthread_mutex_unlock(&H.mu);
}
