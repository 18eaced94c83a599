/*
 * fuzz_mrz.c - libFuzzer target for the MRZ parser (app/mrz.c) and the
 * transliteration (app/translit.c).
 *
 *   clang -fsanitize=fuzzer,address,undefined -I. app/mrz.c \
 *       app/translit.c app/status.c app/enums.c fuzz/fuzz_mrz.c -o fuzz_mrz
 *   ./fuzz_mrz -runs=10000000 CORPUS_DIR
 *
 * Besides "no crash, no sanitizer report", it checks what the module
 * promises, and aborts when a promise is broken:
 *  - the status agrees with the error count; counts and texts are sane;
 *  - the table and the JSON fit their documented sizes, are NUL-terminated
 *    and report the length they needed;
 *  - a suggestion, applied, gives a valid zone;
 *  - a valid zone, generated again from its parsed values in the same
 *    format, parses valid with the same values;
 *  - transliteration either refuses or yields only A-Z 0-9 < within
 *    2 * n bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/mrz.h"
#include "app/translit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 512

static void check(int ok)
{
	if (!ok)
		abort();
}

static bool same_pdate(const struct rcms_pdate *a, const struct rcms_pdate *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day;
}

static void check_rendering(const struct rcms_mrz *m)
{
	static char table[RCMS_MRZ_TABLE_SIZE], json[RCMS_MRZ_JSON_SIZE];
	char small[16];
	size_t need = 0, need_small = 0;

	check(rcms_mrz_render_table(m, table, sizeof table, &need) == RCMS_OK);
	check(need == strlen(table));
	check(rcms_mrz_render_table(m, small, sizeof small, &need_small) ==
	      (need < sizeof small ? RCMS_OK : RCMS_ERR_INVALID));
	check(need_small == need && strlen(small) < sizeof small);
	check(rcms_mrz_render_json(m, json, sizeof json, &need) == RCMS_OK);
	check(need == strlen(json));
	check(json[0] == '{' && json[need - 1] == '}');
	/* no raw control character: JSON strings escape them */
	check(strpbrk(json, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"
		      "\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
		      "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f") == NULL);
}

static void check_result(const struct rcms_mrz *m, enum rcms_status st)
{
	int i;

	check((st == RCMS_OK) == (m->nerrors == 0));
	check(m->nissues >= 0 && m->nissues <= RCMS_MRZ_MAX_ISSUES);
	check(m->nissues <= m->nerrors + m->nwarnings);
	check(m->nsuggestions >= 0 &&
	      m->nsuggestions <= RCMS_MRZ_MAX_SUGGESTIONS);
	check(m->nsuggestions == 0 || m->nerrors > 0);
	check(m->nlines >= 0 && m->nlines <= 3);
	for (i = 0; i < m->nissues; i++)
		check(strlen(m->issue[i].msg) < RCMS_MRZ_MSG_LEN &&
		      m->issue[i].msg[0] != '\0');
	for (i = 0; i < 3; i++)
		check(strlen(m->line[i]) <= RCMS_MRZ_LINE_MAX);
	for (i = 0; i < RCMS_MRZ_F__COUNT; i++) {
		check(strlen(m->field[i].raw) < RCMS_MRZ_FIELD_MAX);
		check(strlen(m->field[i].value) < RCMS_MRZ_FIELD_MAX);
		check(m->field[i].present || !m->field[i].raw[0]);
	}
	if (st == RCMS_OK)
		for (i = 0; i < RCMS_MRZ_F__COUNT; i++)
			check(!m->field[i].present || m->field[i].valid);
}

/* The first suggestion applied must give a valid zone. */
static void check_suggestion(const struct rcms_mrz *m,
			     struct rcms_pdate today)
{
	static struct rcms_mrz again;
	const struct rcms_mrz_suggestion *s = &m->suggestion[0];
	char text[RCMS_MRZ_TEXT_MAX];
	size_t o = 0;
	int i;

	if (m->nsuggestions == 0)
		return;
	for (i = 0; i < m->nlines; i++) {
		const char *l = i == s->line - 1 ? s->corrected : m->line[i];
		size_t n = strlen(l);

		if (i)
			text[o++] = '\n';
		memcpy(text + o, l, n);
		o += n;
	}
	text[o] = '\0';
	check(rcms_mrz_parse(text, today, &again) == RCMS_OK);
}

/* Generate the zone again from what was read; read it again. */
static void check_round_trip(const struct rcms_mrz *m,
			     struct rcms_pdate today)
{
	static struct rcms_mrz again;
	static struct rcms_person p;
	static struct rcms_document d;
	struct rcms_mrz_gen_opts o;
	char out[RCMS_MRZ_TEXT_MAX];
	const struct rcms_mrz_field *f = m->field;
	enum rcms_mrz_field_id opt1 = m->format == RCMS_MRZ_TD3
		? RCMS_MRZ_F_PERSONAL_NUMBER : RCMS_MRZ_F_OPTIONAL1;
	static const enum rcms_mrz_field_id same[] = {
		RCMS_MRZ_F_DOC_CODE, RCMS_MRZ_F_ISSUING_STATE,
		RCMS_MRZ_F_SURNAMES, RCMS_MRZ_F_GIVEN_NAMES,
		RCMS_MRZ_F_DOC_NUMBER, RCMS_MRZ_F_NATIONALITY,
		RCMS_MRZ_F_BIRTH_DATE, RCMS_MRZ_F_SEX, RCMS_MRZ_F_EXPIRY_DATE,
		RCMS_MRZ_F_OPTIONAL1, RCMS_MRZ_F_OPTIONAL2,
		RCMS_MRZ_F_PERSONAL_NUMBER,
	};
	size_t i;

	memset(&p, 0, sizeof p);
	memset(&d, 0, sizeof d);
	memset(&o, 0, sizeof o);
	memcpy(p.surnames, f[RCMS_MRZ_F_SURNAMES].value, RCMS_MRZ_FIELD_MAX);
	memcpy(p.given_names, f[RCMS_MRZ_F_GIVEN_NAMES].value,
	       RCMS_MRZ_FIELD_MAX);
	memcpy(p.nationality, f[RCMS_MRZ_F_NATIONALITY].value,
	       sizeof p.nationality);
	p.birth_date = m->birth_date;
	p.sex = m->sex;
	memcpy(d.number, f[RCMS_MRZ_F_DOC_NUMBER].value, RCMS_MRZ_FIELD_MAX);
	memcpy(d.issuing_state, f[RCMS_MRZ_F_ISSUING_STATE].value,
	       sizeof d.issuing_state);
	d.expiry_date = m->expiry_date;
	o.doc_code = f[RCMS_MRZ_F_DOC_CODE].value;
	o.optional1 = f[opt1].value;
	o.optional2 = f[RCMS_MRZ_F_OPTIONAL2].value;

	check(rcms_mrz_generate(m->format, &p, &d, &o, out, sizeof out, NULL)
	      == RCMS_OK);
	check(rcms_mrz_parse(out, today, &again) == RCMS_OK);
	check(again.format == m->format);
	for (i = 0; i < sizeof same / sizeof same[0]; i++) {
		check(again.field[same[i]].present == f[same[i]].present);
		check(strcmp(again.field[same[i]].value, f[same[i]].value) ==
		      0);
	}
	check(again.sex == m->sex);
	check(same_pdate(&again.birth_date, &m->birth_date));
	check(same_pdate(&again.expiry_date, &m->expiry_date));
	check(again.long_document_number == m->long_document_number);
}

static void check_translit(const char *text, size_t n)
{
	static char out[2 * MAX_INPUT + 1];
	static const enum rcms_translit_lang langs[] = {
		RCMS_TRANSLIT_AUTO, RCMS_TRANSLIT_ICAO, RCMS_TRANSLIT_SR_MK,
		RCMS_TRANSLIT_BG,
	};
	enum rcms_translit_lang lang = langs[n % 4];

	if (rcms_translit_mrz_lang(text, lang, out, 2 * n + 1) != RCMS_OK) {
		check(out[0] == '\0');
		return;
	}
	check(strlen(out) <= 2 * n);
	check(strspn(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<") ==
	      strlen(out));
	/* a small buffer never overflows */
	(void)rcms_translit_mrz(text, out, 3);
	check(strlen(out) < 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rcms_mrz m;
	static const struct rcms_pdate days[] = {
		{2026, 3, 1}, {1990, 6, 15}, {2051, 12, 31}, {2000, 2, 29},
	};
	char text[MAX_INPUT + 1];
	struct rcms_pdate today;
	enum rcms_status st;
	size_t n = size < MAX_INPUT ? size : MAX_INPUT;

	memcpy(text, data, n);
	text[n] = '\0';
	n = strlen(text);
	today = days[size % 4];

	st = rcms_mrz_parse(text, today, &m);
	check_result(&m, st);
	check_rendering(&m);
	check_suggestion(&m, today);
	if (st == RCMS_OK)
		check_round_trip(&m, today);
	check_translit(text, n);
	(void)rcms_mrz_check_digit(text, n);
	return 0;
}
