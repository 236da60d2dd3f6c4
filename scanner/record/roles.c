/*
 * roles.c - the role of each file of a model repository by its name (the
 * `roles:` globs of rules/, case-insensitive on the base name; only weights count
 * below the top level), and what a source should read for record_build.
 */
#include "record_int.h"
#include "core/path.h"
#include "core/str.h"
#include "licensedb/licensedb.h"

#include <string.h>

#include "core/banned.h"

const char *rec_role_of(const struct licensedb *db, const char *path)
{
	const char *base = path_basename(path);
	int root = strchr(path, '/') == NULL;

	for (size_t i = 0; i < db->nroles; i++) {
		const struct role_rule *rr = db->roles[i];
		int weights = strcmp(rr->role, "weights") == 0;
		if (!root && !weights)
			continue;
		for (size_t j = 0; j < rr->names.n; j++)
			if (lt_glob_match(rr->names.v[j], base))
				return rr->role;
	}
	return NULL;
}

int rec_role_is_text(const char *role)
{
	return role && (!strcmp(role, "license") || !strcmp(role, "notice") || !strcmp(role, "policy"));
}

int record_reads_text(const struct licensedb *db, const char *name)
{
	return !strchr(name, '/') && rec_role_is_text(rec_role_of(db, name));
}

int record_reads_whole(const struct licensedb *db, const char *name)
{
	static const char *const whole[] = { "card", "license", "notice", "policy", "config",
					      "adapter", "mergekit", "quant-config" };
	const char *role = strchr(name, '/') ? NULL : rec_role_of(db, name);

	for (size_t i = 0; role && i < sizeof(whole) / sizeof(whole[0]); i++)
		if (!strcmp(role, whole[i]))
			return 1;
	return 0;
}
