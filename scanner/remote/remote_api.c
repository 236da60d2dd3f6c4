/* remote_api.c - the plugin's one exported table; see remote.h. */
#include "remote.h"
#include "http/cache.h"
#include "http/http.h"
#include "lineage/resolver.h"
#include "source/hub.h"
#include "source/source.h"

static const struct lt_remote_api api = {
	LT_REMOTE_ABI,
	source_open_git,
	source_git_is_url,
	source_git_is_repo,
	source_open_archive,
	source_archive_name_matches,
	hub_parse_target,
	hub_token_from_env,
	http_default_opts,
	http_client_new,
	http_client_free,
	cache_default_dir,
	resolver_hub_new,
	hub_list_models,
};

__attribute__((visibility("default"))) const struct lt_remote_api *lictrace_remote_api(void)
{
	return &api;
}
