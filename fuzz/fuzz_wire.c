/*
 * fuzz_wire.c - libFuzzer target for the wire decoder (sync/wire.c): the
 * JSON the exchange and the workstations read from each other.
 *
 *   make fuzz && build/fuzz/bin/fuzz_wire -runs=10000000 CORPUS_DIR
 *
 * Besides "no crash, no sanitizer report", it checks what the decoder
 * promises, and aborts when a promise is broken:
 *  - wire_parse refuses NUL bytes, invalid UTF-8 and nesting deeper than
 *    WIRE_MAX_DEPTH, and what it accepts is an object;
 *  - a case wire_case_from_json reads, written back with
 *    wire_record_to_json and read again, writes the same JSON: nothing is
 *    lost or changed on the way;
 *  - every error comes with a message;
 *  - the reference data parser (agreements, holidays) either refuses or
 *    returns validated arrays.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sync/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT (256 * 1024)

static void check(int ok)
{
	if (!ok)
		abort();
}

static int depth(const cJSON *j)
{
	const cJSON *c;
	int d = 0;

	for (c = j ? j->child : NULL; c; c = c->next) {
		int k = depth(c);
		if (k > d)
			d = k;
	}
	return d + 1;
}

static void case_round_trip(const cJSON *j)
{
	static struct rcms_case c, again;
	struct rcms_err err;
	cJSON *o1, *o2;
	char *t1, *t2;

	rcms_err_clear(&err);
	if (wire_case_from_json(j, &c, &err) != RCMS_OK) {
		check(rcms_err_msg(&err)[0] != '\0');
		return;
	}
	o1 = cJSON_CreateObject();
	check(o1 != NULL);
	wire_record_to_json(rcms_case_fields, &c, true, o1);
	check(wire_case_from_json(o1, &again, &err) == RCMS_OK);
	o2 = cJSON_CreateObject();
	check(o2 != NULL);
	wire_record_to_json(rcms_case_fields, &again, true, o2);
	t1 = cJSON_PrintUnformatted(o1);
	t2 = cJSON_PrintUnformatted(o2);
	check(t1 && t2 && strcmp(t1, t2) == 0);
	cJSON_free(t1);
	cJSON_free(t2);
	cJSON_Delete(o1);
	cJSON_Delete(o2);
}

static void records(const cJSON *j)
{
	static struct rcms_case c;
	static struct rcms_document d;
	struct rcms_err err;

	rcms_case_init(&c);
	rcms_err_clear(&err);
	if (wire_record_from_json(rcms_case_fields, &c, j, 0, NULL, &err))
		check(rcms_err_msg(&err)[0] != '\0');
	rcms_document_init(&d);
	rcms_err_clear(&err);
	if (wire_record_from_json(rcms_document_fields, &d, j, 0, NULL, &err))
		check(rcms_err_msg(&err)[0] != '\0');
}

static void reference(const char *text)
{
	struct rcms_agreement *agr = NULL;
	struct rcms_holiday *hol = NULL;
	size_t na = 0, nh = 0, i;
	struct rcms_err err;

	rcms_err_clear(&err);
	if (wire_reference_parse(text, &agr, &na, &hol, &nh, &err) == RCMS_OK) {
		for (i = 0; i < na; i++)
			check(rcms_agreement_validate(&agr[i], NULL) ==
			      RCMS_OK);
	} else {
		check(rcms_err_msg(&err)[0] != '\0');
	}
	free(agr);
	free(hol);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rcms_err err;
	char *text;
	cJSON *j;

	if (size > MAX_INPUT)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	rcms_err_clear(&err);
	j = wire_parse(text, size, &err);
	if (!j) {
		check(rcms_err_msg(&err)[0] != '\0');
	} else {
		check(cJSON_IsObject(j));
		check(memchr(data, '\0', size) == NULL);
		check(depth(j) <= WIRE_MAX_DEPTH + 1);
		case_round_trip(j);
		records(j);
		cJSON_Delete(j);
	}
	if (!memchr(data, '\0', size))
		reference(text);
	free(text);
	return 0;
}
