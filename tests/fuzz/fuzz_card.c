/*
 * fuzz_card.c - libFuzzer harness for the model card reader (evidence/card.h)
 * and what it finds in a card's prose (evidence/prose.h).
 * Build and run: see tests/fuzz/README.md. Any input must give a card or an
 * error, never a crash, leak or sanitizer report.
 */
#include "evidence/card.h"
#include "evidence/prose.h"
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
	{
		/* the prose readers: base-model phrases, license names, a merge's list,
		 * a mergekit block; each hit a string of the card's */
		int (*const readers[])(const struct card *, struct prose_hit **, size_t *) = {
			prose_base_models, prose_license_names, prose_merge_list,
		};
		const char *text;
		size_t len;
		int line;

		for (size_t r = 0; r < sizeof(readers) / sizeof(*readers); r++) {
			struct prose_hit *v = NULL;
			size_t n = 0;
			if (readers[r](c, &v, &n) == 0)
				for (size_t i = 0; i < n; i++)
					if (!v[i].value || v[i].line < 0)
						abort();
			prose_hits_free(v, n);
		}
		if (prose_mergekit_block(c, &text, &len, &line) == 1 && (!text || len > size))
			abort();
	}
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
