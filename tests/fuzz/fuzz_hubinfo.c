/*
 * fuzz_hubinfo.c - libFuzzer harness for the hub's model info JSON
 * (source/hub.h): the input is stored in an offline cache as the API answer for
 * org/name, then the model is opened offline, which parses it. The listing
 * (/api/models?author=) and the HTTP headers are only reachable online.
 */
#include "source/hub.h"
#include "source/source.h"
#include "http/cache.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cache_key k = { "https://huggingface.co", "org/name", "", NULL, "api" };
	const char *ids[1] = { "org/name" };
	char dir[256], home[256];
	struct cache *c = NULL;
	struct hub_opts ho;
	struct source *src = NULL;
	struct hub_model_info *info = NULL;
	struct lt_error err, errs[1];

	snprintf(dir, sizeof(dir), "%s/cache", fuzz_dir());
	snprintf(home, sizeof(home), "%s/no-hf-home", fuzz_dir());
	if (cache_open(&c, dir, &err) || cache_put(c, &k, data, size, NULL, 0, &err))
		abort();
	cache_free(c);
	memset(&ho, 0, sizeof(ho)); /* every option not set here is off */
	ho.endpoint = "https://huggingface.co";
	ho.cache_dir = dir;
	ho.offline = 1;
	ho.hf_home = home;
	hub_open_many(NULL, &ho, ids, 1, &src, &info, errs);
	source_free(src);
	hub_model_info_free(info);
	return 0;
}
