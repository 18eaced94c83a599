/*
 * test_tus_hash.c - the exchange's whole-file SHA-256 of the uploads under
 * way (exchange/tus_hash.c): a file fed part by part as it grows gives
 * its SHA-256; whatever the thread cannot vouch for (never fed, pushed
 * out, dropped, an offset going back, a file shorter or longer than
 * said, the thread stopped) gives -1, so that the exchange reads the
 * file itself.  Real files, the real thread.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "exchange/tus_hash.h"
#include "tests/unit/testutil.h"

struct fx {
	char dir[256];
	char path[300];
	unsigned char *data;
	size_t size;
};

#define BIG (5 * 1024 * 1024 + 123)   /* more than one of the thread's steps */

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	size_t i;
	uint32_t x = 2463534242u;

	assert_non_null(f);
	tu_mkdtemp(f->dir, sizeof(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/up.part", f->dir);
	f->size = BIG;
	f->data = malloc(f->size);
	assert_non_null(f->data);
	for (i = 0; i < f->size; i++) {   /* xorshift: no two parts alike */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		f->data[i] = (unsigned char)x;
	}
	assert_int_equal(tus_hash_start(), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	tus_hash_stop();
	tu_rmrf(f->dir);
	free(f->data);
	free(f);
	return 0;
}

static void sha(const unsigned char *p, size_t n, unsigned char md[32])
{
	unsigned int l = 0;

	assert_true(EVP_Digest(p, n, md, &l, EVP_sha256(), NULL));
	assert_int_equal(l, 32);
}

/* Append n bytes of the data from at to the file (as a PATCH does). */
static void append(struct fx *f, size_t at, size_t n)
{
	int fd = open(f->path, O_WRONLY | O_CREAT | O_APPEND, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, f->data + at, n), (ssize_t)n);
	assert_int_equal(fdatasync(fd), 0);
	close(fd);
}

/* The thread's hash of upload id's first n bytes is their SHA-256. */
static void take_is_sha(struct fx *f, const char *id, size_t n)
{
	unsigned char want[32], got[32];

	sha(f->data, n, want);
	assert_int_equal(tus_hash_take(id, (int64_t)n, got), 0);
	assert_memory_equal(got, want, 32);
}

/* The file written and fed in parts, the thread given time or not. */
static void test_parts(void **state)
{
	struct fx *f = *state;
	static const size_t cut[] = {0, 1, 4096, 1048576, 1048577, 3000000,
				     BIG};
	unsigned char want[32], got[32];
	size_t i;

	for (i = 1; i < sizeof(cut) / sizeof(cut[0]); i++) {
		append(f, cut[i - 1], cut[i] - cut[i - 1]);
		tus_hash_feed("a1", f->path, (int64_t)cut[i]);
		if (i % 2)
			usleep(20 * 1000);   /* the thread catches up */
	}
	sha(f->data, f->size, want);
	assert_int_equal(tus_hash_take("a1", (int64_t)f->size, got), 0);
	assert_memory_equal(got, want, 32);
	/* taken: forgotten */
	assert_int_equal(tus_hash_take("a1", (int64_t)f->size, got), -1);
}

/* Fed once, whole: the taker hashes it all itself if it must. */
static void test_whole_at_once(void **state)
{
	struct fx *f = *state;

	append(f, 0, f->size);
	tus_hash_feed("a2", f->path, (int64_t)f->size);
	take_is_sha(f, "a2", f->size);
}

/* An empty file: the SHA-256 of nothing. */
static void test_empty(void **state)
{
	struct fx *f = *state;

	append(f, 0, 0);
	tus_hash_feed("a3", f->path, 0);
	take_is_sha(f, "a3", 0);
}

/* What the thread cannot vouch for is -1. */
static void test_unknown(void **state)
{
	struct fx *f = *state;
	unsigned char got[32];
	int fd;

	append(f, 0, 100000);
	/* never fed */
	assert_int_equal(tus_hash_take("b0", 100000, got), -1);
	/* fed less than the length asked */
	tus_hash_feed("b1", f->path, 50000);
	assert_int_equal(tus_hash_take("b1", 100000, got), -1);
	/* ... and then forgotten */
	tus_hash_feed("b1", f->path, 100000);
	assert_int_equal(tus_hash_take("b1", 100000, got), 0);
	/* an offset going back */
	tus_hash_feed("b2", f->path, 60000);
	tus_hash_feed("b2", f->path, 40000);
	tus_hash_feed("b2", f->path, 100000);
	assert_int_equal(tus_hash_take("b2", 100000, got), -1);
	/* dropped */
	tus_hash_feed("b3", f->path, 100000);
	tus_hash_drop("b3");
	assert_int_equal(tus_hash_take("b3", 100000, got), -1);
	/* a file that is not there */
	tus_hash_feed("b4", "/nonexistent/rcms/up.part", 10);
	assert_int_equal(tus_hash_take("b4", 10, got), -1);
	/* fed past the file's end: a short read */
	tus_hash_feed("b5", f->path, 150000);
	assert_int_equal(tus_hash_take("b5", 150000, got), -1);
	/* a file longer than the length: not the upload's */
	append(f, 100000, 10);
	tus_hash_feed("b6", f->path, 100000);
	assert_int_equal(tus_hash_take("b6", 100000, got), -1);
	/* a file cut below what was fed after the thread read it: its
	 * size says so */
	fd = open(f->path, O_WRONLY);
	assert_true(fd >= 0);
	tus_hash_feed("b7", f->path, 100010);
	usleep(50 * 1000);
	assert_int_equal(ftruncate(fd, 50000), 0);
	close(fd);
	assert_int_equal(tus_hash_take("b7", 100010, got), -1);
	/* an id too long for the table is never kept */
	{
		char id[200];
		memset(id, 'c', sizeof(id) - 1);
		id[sizeof(id) - 1] = '\0';
		tus_hash_feed(id, f->path, 50000);
		assert_int_equal(tus_hash_take(id, 50000, got), -1);
	}
}

/* More uploads than slots: the one fed longest ago is pushed out, the
 * others are still right. */
static void test_pushed_out(void **state)
{
	struct fx *f = *state;
	unsigned char got[32];
	char id[16];
	int i;

	append(f, 0, 200000);
	for (i = 0; i <= TUS_HASH_SLOTS; i++) {
		snprintf(id, sizeof(id), "p%d", i);
		tus_hash_feed(id, f->path, 200000);
	}
	assert_int_equal(tus_hash_take("p0", 200000, got), -1);
	for (i = 1; i <= TUS_HASH_SLOTS; i++) {
		snprintf(id, sizeof(id), "p%d", i);
		take_is_sha(f, id, 200000);
	}
}

/* Stopped: nothing is kept; started again, an upload fed anew is read
 * from its byte 0 (the exchange restarted mid-upload). */
static void test_restart(void **state)
{
	struct fx *f = *state;
	unsigned char got[32];

	append(f, 0, 300000);
	tus_hash_feed("r1", f->path, 100000);
	tus_hash_stop();
	tus_hash_feed("r1", f->path, 200000);
	assert_int_equal(tus_hash_take("r1", 200000, got), -1);
	assert_int_equal(tus_hash_start(), 0);
	tus_hash_feed("r1", f->path, 300000);
	take_is_sha(f, "r1", 300000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_at_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pushed_out, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_restart, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
