/* family.c - a model name's license family; see family.h. */
#include "family.h"
#include "licensedb.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

/* Lower-case ASCII letters and digits only. */
static char *fold(const char *s)
{
	char *o = lt_strdup(s), *w = o;

	if (!o)
		return NULL;
	for (const char *p = s; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			*w++ = *p;
		else if (*p >= 'A' && *p <= 'Z')
			*w++ = (char)(*p - 'A' + 'a');
	*w = '\0';
	return o;
}

const struct licdef *licensedb_family_of_name(const struct licensedb *db, const char *name)
{
	char *sq = name ? fold(name) : NULL;
	const struct licdef *best = NULL;
	size_t blen = 0;

	for (size_t i = 0; sq && db && i < db->nlics; i++) {
		const struct licdef *d = db->lics[i];
		char *fam;
		size_t fl;
		if (!d->hub_orgs.n || !d->family)
			continue;
		fam = fold(d->family);
		fl = fam ? strlen(fam) : 0;
		if (fl >= 2 && strncmp(sq, fam, fl) == 0 &&
		    (fl > blen || (fl == blen && best && best->version && *best->version &&
				   (!d->version || !*d->version)))) {
			best = d;
			blen = fl;
		}
		free(fam);
	}
	free(sq);
	return best;
}

const struct licdef *licensedb_license_of_id(const struct licensedb *db, const char *id)
{
	const char *slash = id ? strchr(id, '/') : NULL;
	char *name, *org;
	const struct licdef *best = NULL, *only = NULL;
	size_t blen = 0, nfam = 0;

	if (!slash)
		return id ? licensedb_family_of_name(db, id) : NULL;
	org = lt_strndup(id, (size_t)(slash - id));
	name = fold(slash + 1);
	for (size_t i = 0; org && name && db && i < db->nlics; i++) {
		const struct licdef *d = db->lics[i];
		int ours = 0;
		char *fam, *famver;
		for (size_t k = 0; k < d->hub_orgs.n && !ours; k++)
			ours = lt_strieq(d->hub_orgs.v[k], org);
		if (!ours || !d->family)
			continue;
		fam = fold(d->family);
		if (fam && *fam && strstr(name, fam)) {
			nfam++;
			only = d;
			famver = d->version ? lt_asprintf("%s%s", d->family, d->version) : NULL;
			if (famver) {
				char *f = fold(famver);
				size_t fl = f ? strlen(f) : 0;
				if (f && fl > strlen(fam) && strstr(name, f) && fl > blen) {
					best = d;
					blen = fl;
				}
				free(f);
			}
			free(famver);
		}
		free(fam);
	}
	free(org);
	free(name);
	return best ? best : nfam == 1 ? only : NULL;
}
