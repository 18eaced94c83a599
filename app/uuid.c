/* uuid.c - UUIDv7 formatting. */
#include "app/uuid.h"

void rcms_uuid7_format(uint64_t unix_ms, const uint8_t rnd[10], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t b[16];
	int i, o = 0;

	b[0] = (uint8_t)(unix_ms >> 40);
	b[1] = (uint8_t)(unix_ms >> 32);
	b[2] = (uint8_t)(unix_ms >> 24);
	b[3] = (uint8_t)(unix_ms >> 16);
	b[4] = (uint8_t)(unix_ms >> 8);
	b[5] = (uint8_t)unix_ms;
	for (i = 0; i < 10; i++)
		b[6 + i] = rnd[i];
	b[6] = (uint8_t)(0x70 | (b[6] & 0x0f));   /* version 7 */
	b[8] = (uint8_t)(0x80 | (b[8] & 0x3f));   /* variant 10 */
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}
