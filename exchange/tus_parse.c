/* tus_parse.c - the tus request headers, parsed: ids, byte counts,
 * base64, Upload-Metadata and Upload-Checksum.  Pure functions of their
 * text (no server, no storage), so that they can be fuzzed alone
 * (fuzz/fuzz_tus.c). */
#include "exchange/tus_parse.h"

#include <string.h>

#include "app/app.h"

bool tus_id_valid(const char *s)
{
	size_t i;

	for (i = 0; i < XUPLOAD_ID_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[XUPLOAD_ID_LEN] == '\0';
}

bool xsha256_valid(const char *s)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[64] == '\0';
}

/* A byte count: 1 to 18 digits, nothing else. */
int tus_parse_count(const char *s, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (!s || !*s)
		return -1;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 18)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int b64_value(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/*
 * Strict base64 (RFC 4648 alphabet, "=" padding or none): the n characters
 * at in into out (cap bytes).  0, or -1 for anything else, including a
 * result that does not fit.
 */
int tus_b64_decode(const char *in, size_t n, unsigned char *out,
		      size_t cap, size_t *outlen)
{
	size_t i, o = 0, pad = 0;
	uint32_t acc = 0;
	int bits = 0;

	while (pad < 2 && n > 0 && in[n - 1] == '=') {
		n--;
		pad++;
	}
	if ((pad && (n + pad) % 4) || n % 4 == 1)
		return -1;
	for (i = 0; i < n; i++) {
		int v = b64_value(in[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -1;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc) /* stray bits: not what an encoder writes */
		return -1;
	*outlen = o;
	return 0;
}

void tus_b64_encode(const unsigned char *in, size_t n, char *out,
		       size_t cap)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				"abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0;

	if (cap == 0)
		return;
	for (i = 0; i < n && o + 4 < cap; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = a[(v >> 18) & 63];
		out[o++] = a[(v >> 12) & 63];
		out[o++] = i + 1 < n ? a[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? a[v & 63] : '=';
	}
	out[o] = '\0';
}

/*
 * Upload-Metadata: "key base64,key base64,key".  Keys are printable ASCII
 * without commas, each once; values base64 that decode to text without
 * control characters.  Only sha256 (the whole file's hash, 64 hex digits,
 * required) and filename (display data, one line of UTF-8) are kept.
 */
int tus_parse_metadata(const char *h, struct xupload *u, const char **why)
{
	unsigned char val[TUS_META_MAX];
	char keys[TUS_META_PAIRS][TUS_KEY_MAX + 1];
	int nkeys = 0, i;
	const char *p = h;
	bool have_sha = false;

	*why = "Upload-Metadata needs sha256 (the file's SHA-256 in hex, "
	       "base64-encoded)";
	if (!h)
		return -1;
	if (strlen(h) > TUS_META_MAX) {
		*why = "Upload-Metadata is too long";
		return -1;
	}
	while (*p) {
		const char *k, *v = NULL, *end;
		size_t klen, vlen = 0, n = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		k = p;
		while (*p > ' ' && *p < 0x7f && *p != ',')
			p++;
		klen = (size_t)(p - k);
		if (*p == ' ') {
			v = ++p;
			while (*p && *p != ',')
				p++;
			vlen = (size_t)(p - v);
			while (vlen && v[vlen - 1] == ' ')
				vlen--;
		}
		end = p;
		if (*end && *end != ',') {
			*why = "Upload-Metadata: a key holds a character that "
			       "is not printable ASCII";
			return -1;
		}
		if (klen == 0 || klen > TUS_KEY_MAX ||
		    nkeys >= TUS_META_PAIRS) {
			*why = "Upload-Metadata: an empty or too long key, or "
			       "too many keys";
			return -1;
		}
		for (i = 0; i < nkeys; i++)
			if (strlen(keys[i]) == klen &&
			    memcmp(keys[i], k, klen) == 0) {
				*why = "Upload-Metadata: a key appears twice";
				return -1;
			}
		memcpy(keys[nkeys], k, klen);
		keys[nkeys++][klen] = '\0';
		if (v && tus_b64_decode(v, vlen, val, sizeof(val) - 1, &n) != 0) {
			*why = "Upload-Metadata: a value is not base64";
			return -1;
		}
		val[n] = '\0';
		for (i = 0; (size_t)i < n; i++)
			if (val[i] < 0x20 || val[i] == 0x7f) {
				*why = "Upload-Metadata: a value holds a "
				       "control character";
				return -1;
			}
		if (klen == 6 && memcmp(k, "sha256", 6) == 0) {
			if (n != 64) {
				*why = "Upload-Metadata: sha256 must be 64 "
				       "hex digits";
				return -1;
			}
			for (i = 0; i < 64; i++)
				u->sha256[i] = (char)((val[i] >= 'A' &&
						       val[i] <= 'F')
							      ? val[i] + 32
							      : val[i]);
			u->sha256[64] = '\0';
			if (!xsha256_valid(u->sha256)) {
				*why = "Upload-Metadata: sha256 must be 64 "
				       "hex digits";
				return -1;
			}
			have_sha = true;
		} else if (klen == 8 && memcmp(k, "filename", 8) == 0) {
			/* display data only: it never becomes a path */
			if (n >= sizeof(u->filename) ||
			    rcms_text_check((const char *)val,
					    sizeof(u->filename) - 1,
					    RCMS_TEXT_SINGLE_LINE, "filename",
					    NULL) != RCMS_OK) {
				*why = "Upload-Metadata: filename must be one "
				       "line of UTF-8, at most 255 bytes";
				return -1;
			}
			memcpy(u->filename, val, n + 1);
		}
		p = *end ? end + 1 : end;
	}
	if (!have_sha)
		return -1;
	return 0;
}

/* Upload-Checksum: "sha256 <base64>" or "sha1 <base64>". */
int tus_parse_checksum(const char *h, const EVP_MD **md, unsigned char *want,
		       size_t cap, unsigned int *want_len, const char **why)
{
	const char *sp = h ? strchr(h, ' ') : NULL;
	size_t alen, n = 0;

	*why = "Upload-Checksum is \"sha256 <base64>\" or \"sha1 <base64>\"";
	if (!sp)
		return -1;
	alen = (size_t)(sp - h);
	if (alen == 6 && memcmp(h, "sha256", 6) == 0)
		*md = EVP_sha256();
	else if (alen == 4 && memcmp(h, "sha1", 4) == 0)
		*md = EVP_sha1();
	else {
		*why = "unsupported checksum algorithm (sha256, sha1)";
		return -1;
	}
	if (tus_b64_decode(sp + 1, strlen(sp + 1), want, cap, &n) != 0 ||
	    n != (size_t)EVP_MD_get_size(*md))
		return -1;
	*want_len = (unsigned int)n;
	return 0;
}
