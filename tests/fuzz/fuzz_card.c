/*
 * fuzz_card.c - libFuzzer harness for the model card reader (evidence/card.h).
 * Build and run: see tests/fuzz/README.md. Any input must give a card or an
 * error, never a crash, leak or sanitizer report.
 */
#include "evidence/card.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct card *c = NULL;
	struct lt_error err;
	struct card_value pv = { 0 };
	const char *id;
	char *rel = NULL, *pid = NULL;

	if (card_parse(&c, "README.md", (const char *)data, size, &err) != 0)
		return 0;
	if (card_prose_license(c, &pv) == 1)
		free(pv.value);
	for (size_t i = 0; i < c->ntags; i++) {
		(void)card_tag_license(c->tags[i].value, &id);
		if (card_tag_base_model(c->tags[i].value, &rel, &pid) == 1) {
			free(rel);
			free(pid);
		}
	}
	card_free(c);
	return 0;
}
