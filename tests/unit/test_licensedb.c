/* test_licensedb.c - loading the real data, lookups, and schema problems. */
#include "tap.h"

#include "core/err.h"
#include "licensedb/licensedb.h"

#include <sys/stat.h>
#include <unistd.h>

static struct licensedb *load_builtin(void)
{
	struct licensedb *db = NULL;
	struct lt_error err;
	const char *roots[] = { LT_SOURCE_DIR };
	int rc = licensedb_load(&db, roots, 1, &err);
	if (rc)
		for (size_t i = 0; i < db->problems.n; i++)
			fprintf(stderr, "  %s\n", db->problems.v[i]);
	CHECK_EQ_INT(rc, 0);
	return db;
}

static void test_builtin_lookups(void)
{
	struct licensedb *db = load_builtin();
	const struct licdef *d;

	d = licensedb_lookup(db, "llama3.1");
	CHECK(d && !strcmp(d->id, "llama3.1"));
	CHECK(d && d->category == CAT_RESTRICTED_COMMUNITY);
	CHECK(licensedb_lookup(db, "Apache-2.0") == licensedb_get(db, "apache-2.0"));
	CHECK(licensedb_lookup(db, "  MIT ") == licensedb_get(db, "mit"));
	CHECK(licensedb_lookup(db, "open-mdw") == licensedb_get(db, "openmdw-1.0"));
	CHECK(licensedb_lookup(db, "tongyi-qianwen") != NULL);
	CHECK(licensedb_lookup(db, "no-such-license-x") == NULL);
	d = licensedb_get(db, "cc");
	CHECK(d && d->category == CAT_FAMILY && d->review);
	d = licensedb_get(db, "other");
	CHECK(d && d->review);
	d = licensedb_get(db, "mit");
	CHECK(d && d->ref_text != NULL);
	CHECK(licensedb_finding(db, "relicensed-restricted-base") != NULL);
	CHECK(db->nroles > 0);
	licensedb_free(db);
}

static void test_hub_ids_all_mapped(void)
{
	static const char *const hub[] = {
		"apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m",
		"bigscience-bloom-rail-1.0", "bigcode-openrail-m", "afl-3.0", "artistic-2.0",
		"bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause", "bsd-3-clause-clear", "c-uda", "cc",
		"cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0", "cc-by-sa-3.0",
		"cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
		"cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0",
		"cc-by-nc-sa-4.0", "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0",
		"wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0", "etalab-2.0", "eupl-1.1", "eupl-1.2",
		"agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0", "isc",
		"h-research", "intel-research", "lppl-1.3c", "ms-pl", "apple-ascl", "apple-amlr",
		"mpl-2.0", "odc-by", "odbl", "openmdw-1.0", "openmdw-1.1", "openrail++", "osl-3.0",
		"postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib", "pddl", "lgpl-lr",
		"deepfloyd-if-license", "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3",
		"llama4", "grok2-community", "gemma", "unknown", "other", "tii-falcon-llm", "open-mdw",
		NULL,
	};
	struct licensedb *db = load_builtin();
	static const char *const families[] = { "bsd", "cc", "gpl", "lgpl", "gfdl", "openrail", NULL };

	for (int i = 0; hub[i]; i++) {
		const struct licdef *d = licensedb_lookup(db, hub[i]);
		if (!d)
			fprintf(stderr, "  hub id '%s' maps to nothing\n", hub[i]);
		CHECK(d != NULL);
	}
	for (int i = 0; families[i]; i++) {
		const struct licdef *d = licensedb_lookup(db, families[i]);
		CHECK(d && d->review);
	}
	licensedb_free(db);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void test_problems_reported(void)
{
	char dir[] = "/tmp/lt_db_XXXXXX", p[512];
	struct licensedb *db = NULL;
	struct lt_error err;
	const char *roots[1];
	int found_key = 0, found_kind = 0, found_rule = 0;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(p, sizeof(p), "%s/licenses", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/rules", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/licenses/x.yaml", dir);
	write_file(p, "id: x\nname: X\nspdx: LicenseRef-x\nfamily: x\nversion: \"\"\ncategory: permissive\n"
		 "summary: s\ntypo: 1\nobligations:\n  - kind: bogus\n    flows: true\n"
		 "derivatives: {relicense: allowed, note: n}\n");
	snprintf(p, sizeof(p), "%s/rules/r.yaml", dir);
	write_file(p, "detect:\n  - id: r\n    license: y\n    all: [\"a\"]\n");
	roots[0] = dir;
	CHECK_EQ_INT(licensedb_load(&db, roots, 1, &err), LT_EINVAL);
	for (size_t i = 0; i < db->problems.n; i++) {
		found_key |= strstr(db->problems.v[i], "unknown key 'typo'") != NULL;
		found_kind |= strstr(db->problems.v[i], "unknown obligation kind 'bogus'") != NULL;
		found_rule |= strstr(db->problems.v[i], "unknown license 'y'") != NULL;
	}
	CHECK(found_key && found_kind && found_rule);
	CHECK(strstr(db->problems.v[0], "x.yaml:") != NULL);
	licensedb_free(db);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	CHECK_EQ_INT(system(p), 0);
}

TESTS(T(builtin_lookups), T(hub_ids_all_mapped), T(problems_reported))
