/*
 * fuzz_jsoncfg.c - libFuzzer harness for config.json and adapter_config.json
 * (evidence/jsoncfg.h): both parsers see every input.
 */
#include "evidence/jsoncfg.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model_config *mc = NULL;
	struct adapter_config *ac = NULL;
	struct lt_error err;

	if (model_config_parse(&mc, "config.json", (const char *)data, size, &err) == 0)
		model_config_free(mc);
	if (adapter_config_parse(&ac, "adapter_config.json", (const char *)data, size, &err) == 0)
		adapter_config_free(ac);
	return 0;
}
