/*
 * fuzz_state.c - libFuzzer harness for the audit state file (cli/audit_state.h):
 * any bytes read as a state file give verified records and reported lines, never
 * a crash; a record lictrace formats always reads back as itself.
 */
#include "cli/audit_state.h"

#include <jansson.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct audit_state st;
	FILE *f;
	char *t, *line = NULL;
	enum verdict v;
	json_t *sec;

	if (size == 0 || !(f = fmemopen((void *)data, size, "r")))
		return 0;
	audit_state_init(&st, "fuzz", NULL, "{}");
	audit_state_read(&st, f);
	fclose(f);
	audit_state_release(&st);

	/* round trip: the input (up to its first NUL) as a target */
	t = strndup((const char *)data, size);
	sec = t ? json_pack("{s:s?}", "id", t) : NULL;
	audit_state_init(&st, "fuzz", NULL, "{\"x\":1}");
	if (t && *t && sec && (line = audit_state_format(&st, t, (enum verdict)(data[0] & 3), sec))) {
		audit_state_release(&st);
		f = fmemopen(line, strlen(line), "r");
		audit_state_init(&st, "fuzz", NULL, "{\"x\":1}");
		if (!f || audit_state_read(&st, f) || st.bad || !audit_state_get(&st, t, &v) ||
		    v != (enum verdict)(data[0] & 3))
			abort();
		fclose(f);
		audit_state_release(&st);
		free(line);
	} else {
		audit_state_release(&st);
	}
	json_decref(sec);
	free(t);
	return 0;
}
