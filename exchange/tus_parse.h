/* tus_parse.h - the tus request headers, parsed (tus_parse.c).  Every
 * function takes text from the network and trusts nothing of it. */
#ifndef RCMS_EXCHANGE_TUS_PARSE_H
#define RCMS_EXCHANGE_TUS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "exchange/store.h"

#define TUS_META_MAX 2048                /* Upload-Metadata, bytes */
#define TUS_META_PAIRS 32
#define TUS_KEY_MAX 64

/* An upload's id: XUPLOAD_ID_LEN lowercase hex digits, nothing else. */
bool tus_id_valid(const char *s);
/* 64 lowercase hex digits (a SHA-256). */
bool xsha256_valid(const char *s);
/* A byte count: 1 to 18 digits, nothing else; 0 or -1. */
int tus_parse_count(const char *s, int64_t *out);
/* Strict base64 (RFC 4648, "=" padding or none) of the n characters at
 * in, into out (cap bytes); 0, or -1 for anything else. */
int tus_b64_decode(const char *in, size_t n, unsigned char *out, size_t cap,
		   size_t *outlen);
/* base64 of n bytes into out (cap bytes, NUL-terminated, cut short when
 * it does not fit). */
void tus_b64_encode(const unsigned char *in, size_t n, char *out,
		    size_t cap);
/* Upload-Metadata: sha256 (required) and filename into u; 0, or -1 with
 * *why the reason for the client. */
int tus_parse_metadata(const char *h, struct xupload *u, const char **why);
/* Upload-Checksum: the algorithm and the expected digest (want, cap
 * bytes); 0, or -1 with *why. */
int tus_parse_checksum(const char *h, const EVP_MD **md, unsigned char *want,
		       size_t cap, unsigned int *want_len, const char **why);

#endif
