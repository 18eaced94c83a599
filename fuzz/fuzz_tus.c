/*
 * fuzz_tus.c - libFuzzer target for the tus request headers the exchange
 * parses (exchange/tus_parse.c): Upload-Metadata, Upload-Checksum,
 * Upload-Offset / Upload-Length, base64, upload ids.
 *
 *   make fuzz && build/fuzz/bin/fuzz_tus -runs=10000000 CORPUS_DIR
 *
 * The first byte chooses the header, the rest is its value.  Besides "no
 * crash, no sanitizer report", it checks what the parsers promise:
 *  - Upload-Metadata accepted: sha256 is 64 lowercase hex digits, the file
 *    name one line of UTF-8 that never holds a '/' it did not decode
 *    (display data: it never becomes a path), both NUL-terminated; refused:
 *    a reason for the client;
 *  - Upload-Checksum accepted: the digest has the algorithm's length;
 *  - a byte count accepted: only digits, at most 18, the value they say;
 *  - base64 decoded and encoded again gives the same text (when it came
 *    padded), and anything encoded decodes to itself;
 *  - an upload id accepted is XUPLOAD_ID_LEN lowercase hex digits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "exchange/tus_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void metadata(const char *h)
{
	struct xupload u;
	const char *why = NULL;
	size_t i;

	memset(&u, 0, sizeof(u));
	if (tus_parse_metadata(h, &u, &why) != 0) {
		check(why && why[0]);
		return;
	}
	check(xsha256_valid(u.sha256));
	for (i = 0; i < 64; i++)
		check((u.sha256[i] >= '0' && u.sha256[i] <= '9') ||
		      (u.sha256[i] >= 'a' && u.sha256[i] <= 'f'));
	check(memchr(u.filename, '\0', sizeof(u.filename)) != NULL);
	check(rcms_text_check(u.filename, sizeof(u.filename) - 1,
			      RCMS_TEXT_SINGLE_LINE, "filename", NULL) ==
	      RCMS_OK);
}

static void checksum(const char *h)
{
	const EVP_MD *md = NULL;
	unsigned char want[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	const char *why = NULL;

	if (tus_parse_checksum(h, &md, want, sizeof(want), &n, &why) != 0) {
		check(why && why[0]);
		return;
	}
	check(md != NULL && n == (unsigned int)EVP_MD_get_size(md));
}

static void count(const char *h)
{
	int64_t v = -1, w = 0;
	size_t i, n = strlen(h);

	if (tus_parse_count(h, &v) != 0)
		return;
	check(n >= 1 && n <= 18 && v >= 0);
	for (i = 0; i < n; i++) {
		check(h[i] >= '0' && h[i] <= '9');
		w = w * 10 + (h[i] - '0');
	}
	check(v == w);
}

static void base64(const char *h, const uint8_t *raw, size_t rawn)
{
	unsigned char out[4096], back[4096];
	char text[8192];
	size_t n = 0, m = 0;

	if (tus_b64_decode(h, strlen(h), out, sizeof(out), &n) == 0) {
		tus_b64_encode(out, n, text, sizeof(text));
		/* what an encoder writes (padded) comes back the same */
		if (strlen(h) % 4 == 0)
			check(strcmp(text, h) == 0);
	}
	if (rawn > 3000)
		rawn = 3000;
	tus_b64_encode(raw, rawn, text, sizeof(text));
	check(tus_b64_decode(text, strlen(text), back, sizeof(back), &m) == 0);
	check(m == rawn && memcmp(back, raw, rawn) == 0);
}

static void id(const char *h)
{
	size_t i;

	if (!tus_id_valid(h))
		return;
	check(strlen(h) == XUPLOAD_ID_LEN);
	for (i = 0; i < XUPLOAD_ID_LEN; i++)
		check((h[i] >= '0' && h[i] <= '9') ||
		      (h[i] >= 'a' && h[i] <= 'f'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h;

	if (size < 1 || size > 16384)
		return 0;
	h = malloc(size);
	if (!h)
		return 0;
	memcpy(h, data + 1, size - 1);
	h[size - 1] = '\0';
	switch (data[0] % 5) {
	case 0:
		metadata(h);
		break;
	case 1:
		checksum(h);
		break;
	case 2:
		count(h);
		break;
	case 3:
		base64(h, data + 1, size - 1);
		break;
	default:
		id(h);
		break;
	}
	free(h);
	return 0;
}
