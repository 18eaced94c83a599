/* uuid.h - UUID version 7 (RFC 9562) text from a time and random bytes. */
#ifndef RCMS_APP_UUID_H
#define RCMS_APP_UUID_H

#include <stdint.h>

/*
 * Write the UUIDv7 for unix_ms and 10 random bytes into out (37 bytes,
 * lower-case hex with hyphens).  Pure: the caller brings the randomness.
 */
void rcms_uuid7_format(uint64_t unix_ms, const uint8_t rnd[10], char out[37]);

#endif
