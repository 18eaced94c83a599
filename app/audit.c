/* audit.c - the audit entry's canonical content and hash. */
#include "app/audit.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

void rcms_audit_hash(int64_t seq, int64_t at, const char *actor,
		     const char *action, const char *case_id,
		     const char *detail, const char *prev_hash,
		     char out[RCMS_SHA256_HEX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int len = 0;
	char buf[2048];
	int n, i;

	actor = actor ? actor : "";
	action = action ? action : "";
	case_id = case_id ? case_id : "";
	detail = detail ? detail : "";
	prev_hash = prev_hash ? prev_hash : "";
	n = snprintf(buf, sizeof(buf),
		     "rcms-audit-v1\n%lld\n%lld\n%zu:%s\n%zu:%s\n%zu:%s\n"
		     "%zu:%s\n%s\n",
		     (long long)seq, (long long)at, strlen(actor), actor,
		     strlen(action), action, strlen(case_id), case_id,
		     strlen(detail), detail, prev_hash);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	EVP_Digest(buf, (size_t)n, md, &len, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}
