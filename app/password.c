/* password.c - the password policy (app/password.h). */
#include "app/password.h"

#include <stdlib.h>
#include <string.h>

#include "app/text.h"

/* data/common-passwords.txt, one string a line, sorted by the Makefile
 * (LC_ALL=C sort -u): bsearch with strcmp. */
static const char *const common[] = {
#include "common_passwords.inc"
};

#define N_COMMON (sizeof(common) / sizeof(common[0]))

enum rcms_status rcms_username_check(const char *u, struct rcms_err *err)
{
	size_t n, i;

	if (!u || !*u)
		return rcms_err_set(err, RCMS_ERR_INVALID, "username",
				    "the user name is empty");
	n = strlen(u);
	if (n > 32)
		return rcms_err_set(err, RCMS_ERR_INVALID, "username",
				    "the user name is too long (at most 32 "
				    "characters)");
	for (i = 0; i < n; i++) {
		char ch = u[i];
		bool lower = ch >= 'a' && ch <= 'z';
		bool digit = ch >= '0' && ch <= '9';
		if (!(lower || digit || ch == '.' || ch == '_' || ch == '-') ||
		    (i == 0 && !lower))
			return rcms_err_set(err, RCMS_ERR_INVALID, "username",
					    "user names are lower-case letters, "
					    "digits and . _ -, starting with a "
					    "letter");
	}
	return RCMS_OK;
}

enum rcms_status rcms_pw_hash_check(const char *h, struct rcms_err *err)
{
	static const char head[] = "$argon2id$v=19$m=";
	size_t n = h ? strlen(h) : 0, i, dollars = 0;

	if (n < sizeof(head) + 8 || n > 255 ||
	    strncmp(h, head, sizeof(head) - 1) != 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "pw_hash",
				    "the password hash is not an Argon2id "
				    "encoding ($argon2id$v=19$m=...)");
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)h[i];
		if (ch <= ' ' || ch > '~')
			return rcms_err_set(err, RCMS_ERR_INVALID, "pw_hash",
					    "the password hash holds a "
					    "character an encoding never has");
		dollars += ch == '$';
	}
	if (dollars != 5)
		return rcms_err_set(err, RCMS_ERR_INVALID, "pw_hash",
				    "the password hash is not an Argon2id "
				    "encoding (it needs salt and hash)");
	return RCMS_OK;
}

size_t rcms_password_common_count(void)
{
	return N_COMMON;
}

static int cmp(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool tail_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 0x21 && c <= 0x2f) ||
	       (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) ||
	       (c >= 0x7b && c <= 0x7e) || c == ' ';
}

bool rcms_password_common(const char *pw)
{
	char buf[RCMS_PASSWORD_MAX_BYTES + 1];
	size_t i, n;

	if (!pw)
		return false;
	n = strlen(pw);
	if (n > RCMS_PASSWORD_MAX_BYTES)
		return false;
	for (i = 0; i < n; i++)
		buf[i] = lower(pw[i]);
	buf[n] = '\0';
	if (bsearch(buf, common, N_COMMON, sizeof(common[0]), cmp))
		return true;
	/* a common one with digits and punctuation after it: every cut
	 * inside the trailing run ("123456789012" is "1234567890" and "12") */
	while (n > 1 && tail_char((unsigned char)buf[n - 1])) {
		buf[--n] = '\0';
		if (bsearch(buf, common, N_COMMON, sizeof(common[0]), cmp))
			return true;
	}
	return false;
}

/* Characters (code points) of valid UTF-8. */
static size_t chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* Characters of pw left once every occurrence of name (ASCII letters in
 * any case) is taken out. */
static size_t chars_without(const char *pw, const char *name)
{
	size_t n = strlen(pw), k = strlen(name), i = 0, c = 0, j;

	while (i < n) {
		for (j = 0; j < k && i + j < n; j++)
			if (lower(pw[i + j]) != lower(name[j]))
				break;
		if (k > 0 && j == k) {
			i += k;
			continue;
		}
		if (((unsigned char)pw[i] & 0xc0) != 0x80)
			c++;
		i++;
	}
	return c;
}

enum rcms_status rcms_password_check(const char *pw, const char *username,
				     unsigned min_chars, struct rcms_err *err)
{
	size_t n, len, i, kinds, distinct = 0;
	bool lo = false, up = false, dig = false, other = false;
	uint32_t seen[RCMS_PASSWORD_DISTINCT];

	if (min_chars == 0)
		min_chars = RCMS_PASSWORD_MIN_DEFAULT;
	if (!pw)
		return rcms_err_set(err, RCMS_ERR_INVALID, "password",
				    "no password given");
	n = strlen(pw);
	if (n > RCMS_PASSWORD_MAX_BYTES)
		return rcms_err_set(err, RCMS_ERR_INVALID, "password",
				    "the password is too long: at most %u "
				    "bytes", RCMS_PASSWORD_MAX_BYTES);
	if (!rcms_utf8_valid(pw, n, NULL))
		return rcms_err_set(err, RCMS_ERR_INVALID, "password",
				    "the password is not valid UTF-8");
	len = chars(pw, n);
	if (len < min_chars)
		return rcms_err_set(err, RCMS_ERR_INVALID, "password",
				    "the password is too short: at least %u "
				    "characters (a few words with spaces "
				    "between them make a good one)",
				    min_chars);
	if (username && strlen(username) >= 3 &&
	    chars_without(pw, username) < min_chars)
		return rcms_err_set(err, RCMS_ERR_INVALID, "password",
				    "the password is built on the user name: "
				    "without it, it must still have %u "
				    "characters", min_chars);
	for (i = 0; i < n;) {
		uint32_t cp = 0;
		int k = rcms_utf8_decode(pw + i, n - i, &cp);
		size_t j;

		if (k <= 0)
			break;
		i += (size_t)k;
		if (cp >= 'a' && cp <= 'z')
			lo = true;
		else if (cp >= 'A' && cp <= 'Z')
			up = true;
		else if (cp >= '0' && cp <= '9')
			dig = true;
		else
			other = true;
		for (j = 0; j < distinct && seen[j] != cp; j++)
			;
		if (j == distinct && distinct < RCMS_PASSWORD_DISTINCT)
			seen[distinct++] = cp;
	}
	kinds = (size_t)lo + (size_t)up + (size_t)dig + (size_t)other;
	if (len < RCMS_PASSWORD_LONG && kinds < 2)
		return rcms_err_set(err, RCMS_ERR_INVALID, "password",
				    "the password is only one kind of "
				    "character: below %u characters, mix two "
				    "of lower-case letters, capitals, digits "
				    "and other signs, or make it longer",
				    RCMS_PASSWORD_LONG);
	if (distinct < RCMS_PASSWORD_DISTINCT)
		return rcms_err_set(err, RCMS_ERR_INVALID, "password",
				    "the password repeats too few characters: "
				    "at least %u different ones",
				    RCMS_PASSWORD_DISTINCT);
	if (rcms_password_common(pw))
		return rcms_err_set(err, RCMS_ERR_INVALID, "password",
				    "the password is one of the most common "
				    "passwords (or one with digits after it), "
				    "which are tried first; choose another");
	return RCMS_OK;
}
