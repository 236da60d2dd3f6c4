/* test_licensedb.c - loading the real data, lookups, and schema problems. */
#include "tap.h"

#include "core/err.h"
#include "licensedb/installed.h"
#include "licensedb/licensedb.h"
#include "licensedb/snapshot.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
	/* words around a name that do not change the license */
	CHECK(licensedb_lookup(db, "The MIT License") == licensedb_get(db, "mit"));
	CHECK(licensedb_lookup(db, "Llama 3.1 Community License Agreement") ==
	      licensedb_get(db, "llama3.1"));
	CHECK(licensedb_lookup(db, "llama-3.2 community license") == licensedb_get(db, "llama3.2"));
	CHECK(licensedb_lookup(db, "CC-BY-NC-4.0 License") == licensedb_get(db, "cc-by-nc-4.0"));
	/* ... only around a known name, and an alias wins over stripping */
	CHECK(licensedb_lookup(db, "Apache License") == NULL);
	CHECK(licensedb_lookup(db, "License") == NULL);
	CHECK(licensedb_lookup(db, "the license agreement") == NULL);
	CHECK(licensedb_lookup(db, "The") == NULL);
	CHECK(licensedb_lookup(db, "yi-license") == licensedb_get(db, "other"));
	/* a license's own address, however it is written; none for an address two
	 * definitions share, or one no definition has */
	CHECK(licensedb_by_url(db, "https://ai.google.dev/gemma/terms") == licensedb_get(db, "gemma"));
	CHECK(licensedb_by_url(db, "http://www.AI.google.dev/gemma/terms/?hl=en#x") ==
	      licensedb_get(db, "gemma"));
	CHECK(licensedb_by_url(db, "https://mistral.ai/licenses/MRL-0.1.md") ==
	      licensedb_get(db, "mistral-mrl-0.1"));
	CHECK(licensedb_by_url(db, "https://ai.google.dev/gemma/TERMS") == NULL); /* paths keep case */
	CHECK(licensedb_by_url(db, "https://github.com/01-ai/Yi/blob/main/MODEL_LICENSE_AGREEMENT.txt") ==
	      NULL);
	CHECK(licensedb_by_url(db, "https://example.com/license") == NULL);
	CHECK(licensedb_by_url(db, "ftp://ai.google.dev/gemma/terms") == NULL);
	CHECK(licensedb_by_url(db, "LICENSE") == NULL);
	/* names found in free text are taken only as written */
	CHECK(licensedb_lookup_exact(db, "The MIT License") == NULL);
	CHECK(licensedb_lookup_exact(db, "Apache-2.0") == licensedb_get(db, "apache-2.0"));
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

static const struct obligation *find_ob(const struct licdef *d, enum ob_kind k, size_t nth)
{
	for (size_t i = 0; d && i < d->nobligations; i++)
		if (d->obligations[i].kind == k && nth-- == 0)
			return &d->obligations[i];
	return NULL;
}

/* Issue 9: each definition says what its text says. */
static void test_corrected_facts(void)
{
	struct licensedb *db = load_builtin();
	const struct licdef *stab = licensedb_get(db, "stabilityai-community-2024"), *d;
	static const char *const like_stability[] = { "mistral-medium-3.5", "lfm-1.0", "kimi-k3", NULL };
	static const char *const kimi_k2[] = { "kimi-k2", "kimi-k2.5", "kimi-k2.6", "kimi-k2.7-code", NULL };
	const struct obligation *o;

	CHECK(stab && stab->category == CAT_RESTRICTED_COMMUNITY);
	/* no-derivatives licenses are never permissive for models */
	for (size_t i = 0; i < db->nlics; i++)
		if (find_ob(db->lics[i], OB_NO_DERIVATIVES, 0))
			CHECK(db->lics[i]->category > CAT_PERMISSIVE_CONDITIONAL);
	/* revenue caps that end the rights: categorised like Stability's community license */
	for (int i = 0; like_stability[i]; i++) {
		d = licensedb_get(db, like_stability[i]);
		CHECK(d && stab && d->category == stab->category);
	}
	/* Yi 2.0 like 1.0 (discretionary authorisation), unlike 2.1 (registration) */
	CHECK(licensedb_get(db, "yi-2.0")->category == licensedb_get(db, "yi-1.0")->category);
	CHECK(licensedb_get(db, "yi-2.1")->category == CAT_RESTRICTED_COMMUNITY);
	/* NVIDIA AI Foundation community: non-production only without a subscription */
	CHECK(licensedb_get(db, "nvidia-ai-foundation-community")->category == CAT_RESEARCH_ONLY);
	/* Kimi K2-style size triggers start a display duty (thresholds with the text to
	 * display) and end no grant: no threshold without its text */
	for (int i = 0; kimi_k2[i]; i++) {
		const struct obligation *a, *u, *r;
		d = licensedb_get(db, kimi_k2[i]);
		a = find_ob(d, OB_ATTRIBUTION, 0);
		u = find_ob(d, OB_USER_THRESHOLD, 0);
		r = find_ob(d, OB_REVENUE_THRESHOLD, 0);
		CHECK(a && u && r && ob_display_trigger(u) && ob_display_trigger(r));
		CHECK(a && u && r && !strcmp(u->text, a->text) && !strcmp(r->text, a->text));
		CHECK(u && r && u->value == 100000000ULL && r->value == 20000000ULL && !strcmp(r->period, "monthly"));
		CHECK(!find_ob(d, OB_REVENUE_THRESHOLD, 1) && !find_ob(d, OB_USER_THRESHOLD, 1));
	}
	/* MiniMax M2's modified MIT: the same kind of display trigger, USD 30M a year */
	d = licensedb_get(db, "minimax-m2");
	o = find_ob(d, OB_REVENUE_THRESHOLD, 0);
	CHECK(o && ob_display_trigger(o) && o->value == 30000000ULL && !strcmp(o->period, "annual"));
	o = find_ob(d, OB_USER_THRESHOLD, 0);
	CHECK(o && ob_display_trigger(o) && o->value == 100000000ULL && !strcmp(o->text, "MiniMax M2"));
	/* Kimi K3: the §2 cap ends the grant (no text); the §3 trigger is a display duty */
	d = licensedb_get(db, "kimi-k3");
	o = find_ob(d, OB_REVENUE_THRESHOLD, 0);
	CHECK(o && o->period && !strcmp(o->period, "12-months") && !ob_display_trigger(o));
	o = find_ob(d, OB_REVENUE_THRESHOLD, 1);
	CHECK(o && ob_display_trigger(o) && !strcmp(o->text, "Kimi K3") && !find_ob(d, OB_REVENUE_THRESHOLD, 2));
	/* the full notice sentence */
	o = find_ob(licensedb_get(db, "hunyuan-a13b-2025"), OB_NOTICE, 0);
	CHECK(o && strstr(o->text, "The trademark rights of") != NULL);
	o = find_ob(licensedb_get(db, "flux-nc-2.1"), OB_NOTICE, 0);
	CHECK(o && strstr(o->text, "IN NO EVENT SHALL BLACK FOREST LABS") != NULL);
	/* territory scope */
	o = find_ob(licensedb_get(db, "llama4"), OB_TERRITORY_EXCLUSION, 0);
	CHECK(o && o->scope && !strcmp(o->scope, "all"));
	o = find_ob(licensedb_get(db, "llama3.2"), OB_TERRITORY_EXCLUSION, 0);
	CHECK(o && o->scope && !strcmp(o->scope, "multimodal"));
	/* output limits */
	o = find_ob(licensedb_get(db, "flux-nc-2.1"), OB_OUTPUT_RESTRICTION, 1);
	CHECK(o && o->clause && !strcmp(o->clause, "§4(a)"));
	o = find_ob(licensedb_get(db, "falcon-3-2024-12"), OB_OUTPUT_RESTRICTION, 0);
	CHECK(o && o->clause && !strcmp(o->clause, "§5.2"));
	/* Built on NVIDIA Cosmos: Cosmos models only */
	o = find_ob(licensedb_get(db, "nvidia-open-model-2025-04"), OB_ATTRIBUTION, 0);
	CHECK(o && o->scope && !strcmp(o->scope, "cosmos"));
	/* Apple AMLR */
	d = licensedb_get(db, "apple-amlr");
	CHECK(d && d->law && strstr(d->law, "California") && find_ob(d, OB_LICENSE_COPY, 0) &&
	      find_ob(d, OB_MARK_MODIFICATIONS, 0));
	/* card license_name values seen in the wild */
	CHECK(licensedb_lookup(db, "falcon-llm-license") == licensedb_get(db, "falcon-3-2024-12"));
	CHECK(licensedb_lookup(db, "tencent-hunyuan-a13b") == licensedb_get(db, "hunyuan-a13b-2025"));
	CHECK(licensedb_lookup(db, "modified-mit") == licensedb_get(db, "other"));
	CHECK(licensedb_lookup(db, "yi-license") == licensedb_get(db, "other"));
	licensedb_free(db);
}

/* Provenance: a verified definition names a source and a YYYY-MM-DD date;
 * definitions whose text we have in the corpus are verified. */
static void test_provenance(void)
{
	struct licensedb *db = load_builtin();
	static const char *const checked[] = { "llama3.1", "llama4", "kimi-k3", "flux-nc-2.1", "mit",
					       "cc-by-nd-4.0", "nvidia-open-model-2025-04", NULL };

	for (size_t i = 0; i < db->nlics; i++) {
		const struct licdef *d = db->lics[i];
		if (!d->verified_source)
			continue;
		CHECK(d->verified_date && strlen(d->verified_date) == 10 && d->verified_date[4] == '-');
	}
	for (int i = 0; checked[i]; i++)
		CHECK(licensedb_get(db, checked[i])->verified_source != NULL);
	CHECK(licensedb_get(db, "yi-2.0")->verified_source == NULL); /* text not available */
	licensedb_free(db);
}

/* Every obligation kind is acted on: the table names a finding for each, the
 * names round-trip, and a definition using a kind loads without problems. */
static void test_every_kind_acted_on(void)
{
	for (int k = 0; k < OB__COUNT; k++) {
		CHECK(ob_kind_finding((enum ob_kind)k) != NULL);
		CHECK_EQ_INT(ob_kind_parse(ob_kind_name((enum ob_kind)k)), k);
	}
	CHECK(ob_kind_finding(OB__COUNT) == NULL);
	CHECK(ob_kind_checklist(OB_KEEP_NOTICES) && ob_kind_checklist(OB_MARK_MODIFICATIONS) &&
	      ob_kind_checklist(OB_NO_SUBLICENSE));
	CHECK(!ob_kind_checklist(OB_REGISTRATION) && !ob_kind_checklist(OB_NO_DERIVATIVES) &&
	      !ob_kind_checklist(OB_SHARE_ALIKE) && !ob_kind_checklist(OB_GUARDRAILS));
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

/* --- snapshot (licensedb_load_cached) --- */

static int diffs_;

static void differ(const char *what, const char *id)
{
	if (diffs_++ < 10)
		fprintf(stderr, "  snapshot differs: %s of '%s'\n", what, id ? id : "?");
}

static void same_str(const char *a, const char *b, const char *what, const char *id)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		differ(what, id);
}

static void same_list(const struct strlist *a, const struct strlist *b, const char *what,
		      const char *id)
{
	if (a->n != b->n || (a->v == NULL) != (b->v == NULL)) {
		differ(what, id);
		return;
	}
	for (size_t i = 0; i < a->n; i++)
		same_str(a->v[i], b->v[i], what, id);
}

/* Position of p in arr[0..n), or -1 (for pointers that must mean the same record). */
static long pos_of(const void *const *arr, size_t n, const void *p)
{
	for (size_t i = 0; p && i < n; i++)
		if (arr[i] == p)
			return (long)i;
	return -1;
}

#define LICPOS(db, d) pos_of((const void *const *)(db)->lics, (db)->nlics, (d))

/* Every field of every record, and the lookups, of two databases. */
static void same_db(const struct licensedb *a, const struct licensedb *b)
{
	static const char *const probes[] = { "MIT", " apache_2.0 ", "Llama 3.1", "CC BY 4.0",
					      "no-such-license-x", "", "OTHER", NULL };

	diffs_ = 0;
	if (a->nlics != b->nlics || a->nrules != b->nrules || a->nroles != b->nroles ||
	    a->nfindings != b->nfindings || a->problems.n != b->problems.n) {
		differ("counts", "db");
		CHECK(diffs_ == 0);
		return;
	}
	for (size_t i = 0; i < a->nlics; i++) {
		const struct licdef *x = a->lics[i], *y = b->lics[i];
		const char *id = x->id;

		same_str(x->id, y->id, "id", id);
		same_str(x->name, y->name, "name", id);
		same_str(x->spdx, y->spdx, "spdx", id);
		same_str(x->family, y->family, "family", id);
		same_str(x->version, y->version, "version", id);
		same_str(x->date, y->date, "date", id);
		same_str(x->licensor, y->licensor, "licensor", id);
		same_str(x->law, y->law, "law", id);
		same_str(x->venue, y->venue, "venue", id);
		same_str(x->url, y->url, "url", id);
		same_str(x->text_file, y->text_file, "text_file", id);
		same_str(x->summary, y->summary, "summary", id);
		same_str(x->derivatives_note, y->derivatives_note, "derivatives_note", id);
		same_str(x->path, y->path, "path", id);
		same_list(&x->hub_ids, &y->hub_ids, "hub_ids", id);
		same_list(&x->aliases, &y->aliases, "aliases", id);
		if (x->category != y->category || x->review != y->review || x->relicense != y->relicense)
			differ("category/review/relicense", id);
		if ((x->ref_text == NULL) != (y->ref_text == NULL) || x->ref_len != y->ref_len ||
		    (x->ref_text && memcmp(x->ref_text, y->ref_text, x->ref_len + 1) != 0))
			differ("ref_text", id);
		if (x->nobligations != y->nobligations || (x->obligations == NULL) != (y->obligations == NULL)) {
			differ("nobligations", id);
			continue;
		}
		for (size_t j = 0; j < x->nobligations; j++) {
			const struct obligation *o = &x->obligations[j], *p = &y->obligations[j];
			if (o->kind != p->kind || o->value != p->value || o->flows != p->flows)
				differ("obligation kind/value/flows", id);
			same_str(o->text, p->text, "obligation text", id);
			same_str(o->url, p->url, "obligation url", id);
			same_str(o->period, p->period, "obligation period", id);
			same_str(o->scope, p->scope, "obligation scope", id);
			same_str(o->note, p->note, "obligation note", id);
			same_list(&o->territories, &p->territories, "territories", id);
		}
		if (licensedb_get(a, id) != x || licensedb_get(b, id) != y)
			differ("get by id", id);
		for (size_t j = 0; j < x->hub_ids.n + x->aliases.n; j++) {
			const char *nm = j < x->hub_ids.n ? x->hub_ids.v[j] : x->aliases.v[j - x->hub_ids.n];
			if (LICPOS(a, licensedb_lookup(a, nm)) != LICPOS(b, licensedb_lookup(b, nm)) ||
			    LICPOS(a, licensedb_lookup(a, nm)) < 0)
				differ("lookup of hub id / alias", nm);
		}
	}
	for (size_t i = 0; i < a->nrules; i++) {
		const struct detect_rule *x = a->rules[i], *y = b->rules[i];
		const char *id = x->id;

		same_str(x->id, y->id, "rule id", id);
		same_str(x->license, y->license, "rule license", id);
		same_str(x->note, y->note, "rule note", id);
		same_str(x->path, y->path, "rule path", id);
		same_list(&x->all, &y->all, "rule all", id);
		same_list(&x->any, &y->any, "rule any", id);
		same_list(&x->none, &y->none, "rule none", id);
		same_list(&x->overrides, &y->overrides, "rule overrides", id);
		if (x->kind != y->kind || x->line != y->line || x->confidence != y->confidence ||
		    x->similar_min != y->similar_min)
			differ("rule kind/line/confidence/similar", id);
		if (LICPOS(a, x->lic) != LICPOS(b, y->lic) || (x->lic && LICPOS(a, x->lic) < 0) ||
		    y->lic != licensedb_get(b, y->license))
			differ("rule lic", id);
		if (licensedb_rule(a, id) != x || licensedb_rule(b, id) != y)
			differ("rule lookup", id);
	}
	for (size_t i = 0; i < a->nroles; i++) {
		const struct role_rule *x = a->roles[i], *y = b->roles[i];

		same_str(x->id, y->id, "role id", x->id);
		same_str(x->role, y->role, "role", x->id);
		same_str(x->path, y->path, "role path", x->id);
		same_list(&x->names, &y->names, "role names", x->id);
		if (x->line != y->line)
			differ("role line", x->id);
	}
	for (size_t i = 0; i < a->nfindings; i++) {
		const struct finding_def *x = a->findings[i], *y = b->findings[i];

		same_str(x->id, y->id, "finding id", x->id);
		same_str(x->title, y->title, "finding title", x->id);
		same_str(x->why, y->why, "finding why", x->id);
		same_str(x->fix, y->fix, "finding fix", x->id);
		same_str(x->path, y->path, "finding path", x->id);
		if (x->severity != y->severity || x->line != y->line)
			differ("finding severity/line", x->id);
		if (licensedb_finding(a, x->id) != x || licensedb_finding(b, y->id) != y)
			differ("finding lookup", x->id);
	}
	for (int i = 0; probes[i]; i++)
		if (LICPOS(a, licensedb_lookup(a, probes[i])) != LICPOS(b, licensedb_lookup(b, probes[i])))
			differ("lookup", probes[i]);
	if (licensedb_finding(b, "no-such-finding") || licensedb_rule(b, "no-such-rule") ||
	    licensedb_get(b, "MIT"))
		differ("unknown lookups", "db");
	CHECK(diffs_ == 0);
}

static struct licensedb *load_cached(const char *const *roots, size_t n, const char *snap,
				     int want_snapshot)
{
	struct licensedb *db = NULL;
	struct lt_error err;
	int rc = licensedb_load_cached(&db, roots, n, snap, &err);

	if (rc)
		fprintf(stderr, "  load_cached: %s\n", err.message);
	CHECK_EQ_INT(rc, 0);
	CHECK(db != NULL);
	if (db && licdb_from_snapshot(db) != want_snapshot)
		fprintf(stderr, "  expected a load %s the snapshot\n", want_snapshot ? "from" : "without");
	CHECK(db && licdb_from_snapshot(db) == want_snapshot);
	return db;
}

/* Snapshot files in dir; *name gets the path of the last one seen. */
static int count_snapshots(const char *dir, char *name, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "licensedb-", 10) && strlen(e->d_name) == 46 &&
		    !strcmp(e->d_name + 42, ".bin")) {
			n++;
			if (name)
				snprintf(name, size, "%s/%s", dir, e->d_name);
		}
	closedir(d);
	return n;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)n + 1)) && fread(data, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	fclose(f);
	return data;
}

static void spit(const char *path, const char *data, size_t len)
{
	FILE *f;

	unlink(path);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK(fwrite(data, 1, len, f) == len);
		fclose(f);
	}
}

static void rm_rf(const char *dir)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK_EQ_INT(system(cmd), 0);
}

static void test_snapshot_builtin_identical(void)
{
	char dir[] = "/tmp/lt_snap_XXXXXX", snap[256], file[512];
	const char *roots[] = { LT_SOURCE_DIR };
	struct licensedb *yaml = load_builtin(), *fresh, *cached, *plain;
	struct stat st;

	CHECK(mkdtemp(dir) != NULL);
	/* the folder and its parents do not exist yet */
	snprintf(snap, sizeof(snap), "%s/a/b/snap", dir);
	fresh = load_cached(roots, 1, snap, 0);
	same_db(yaml, fresh);
	CHECK_EQ_INT(count_snapshots(snap, file, sizeof(file)), 1);
	CHECK(stat(snap, &st) == 0 && (st.st_mode & 0777) == 0700);
	cached = load_cached(roots, 1, snap, 1);
	same_db(yaml, cached);
	same_db(fresh, cached);
	CHECK(licensedb_lookup(cached, "Apache-2.0") == licensedb_get(cached, "apache-2.0"));
	CHECK(licensedb_get(cached, "mit") && licensedb_get(cached, "mit")->ref_text != NULL);
	/* a snapshot-built database takes problems from higher layers like any other */
	licensedb_problem(cached, "x", 1, "added %d", 1);
	CHECK_EQ_INT(cached->problems.n, 1);
	/* no folder: the YAML only */
	plain = load_cached(roots, 1, NULL, 0);
	same_db(yaml, plain);
	licensedb_free(plain);
	plain = load_cached(roots, 1, "", 0);
	licensedb_free(plain);
	licensedb_free(yaml);
	licensedb_free(fresh);
	licensedb_free(cached);
	rm_rf(dir);
}

static void put32(char *data, size_t off, uint32_t v)
{
	memcpy(data + off, &v, sizeof(v));
}

static void test_snapshot_corrupt_ignored(void)
{
	enum { HDR = 64, COUNTS = HDR, LIC0 = HDR + 24 };
	char dir[] = "/tmp/lt_snap_XXXXXX", file[512], cmd[1200];
	const char *roots[] = { LT_SOURCE_DIR };
	struct licensedb *yaml = load_builtin(), *db;
	char *good, *bad, *back;
	size_t len, blen;
	uint32_t strs_len, nlics;

	CHECK(mkdtemp(dir) != NULL);
	licensedb_free(load_cached(roots, 1, dir, 0));
	CHECK_EQ_INT(count_snapshots(dir, file, sizeof(file)), 1);
	good = slurp(file, &len);
	CHECK(good && len > 1000);
	if (!good || len <= 1000)
		goto done;
	memcpy(&strs_len, good + 60, sizeof(strs_len));
	memcpy(&nlics, good + COUNTS, sizeof(nlics));
	bad = malloc(len + 1);
	for (int k = 0; k < 19; k++) {
		size_t n = len;
		int reseal = 1;

		memcpy(bad, good, len);
		switch (k) {
		case 0: n = 0; break;                                   /* empty */
		case 1: n = HDR - 1; break;                             /* short header */
		case 2: n = len / 2; break;                             /* truncated */
		case 3: n = len - 1; break;                             /* last NUL gone */
		case 4: bad[len / 3] ^= 0x20; reseal = 0; break;        /* payload flip */
		case 5: bad[0] ^= 1; break;                             /* magic */
		case 6: put32(bad, 8, 999); break;                      /* version */
		case 7: bad[20] ^= 1; break;                            /* fingerprint */
		case 8: put32(bad, 32, (uint32_t)len + 1); break;       /* total length */
		case 9: bad[len] = 'x'; n = len + 1; break;             /* trailing byte */
		case 10: put32(bad, COUNTS, nlics + 1); break;          /* license count */
		case 11: put32(bad, COUNTS, 0xffffffffu); break;
		case 12: put32(bad, COUNTS + 20, 0x7fffffffu); break;   /* list items in all */
		case 13: put32(bad, LIC0 + 15 * 8 + 3 * 4, 0xffff); break; /* first hub_ids count */
		case 14: put32(bad, LIC0, 0xfffffff0u); break;          /* id offset out of range */
		case 15: put32(bad, LIC0 + 4, strs_len); break;         /* id length past the end */
		case 16: bad[len - 1] = 'x'; break;                     /* unterminated string */
		case 17: put32(bad, LIC0 + 15 * 8, 77); break;          /* category out of range */
		case 18: put32(bad, 52, 8); break;                      /* records length */
		}
		if (reseal)
			licdb_snap_reseal(bad, n);
		spit(file, bad, n);
		db = load_cached(roots, 1, dir, 0);
		if (tap_failed_)
			fprintf(stderr, "  (corruption %d)\n", k);
		same_db(yaml, db);
		licensedb_free(db);
		/* rewritten, byte for byte as before */
		back = slurp(file, &blen);
		CHECK(back && blen == len && memcmp(back, good, len) == 0);
		free(back);
	}
	/* over the size cap: refused before it is read */
	CHECK(truncate(file, 17 << 20) == 0);
	db = load_cached(roots, 1, dir, 0);
	licensedb_free(db);
	/* a symbolic link is not followed */
	snprintf(cmd, sizeof(cmd), "%s.real", file);
	spit(cmd, good, len);
	unlink(file);
	CHECK(symlink(cmd, file) == 0);
	db = load_cached(roots, 1, dir, 0);
	licensedb_free(db);
	db = load_cached(roots, 1, dir, 1);
	licensedb_free(db);
	unlink(cmd);
	/* a snapshot that cannot be written is no error */
	unlink(file);
	CHECK(mkdir(file, 0700) == 0);
	db = load_cached(roots, 1, dir, 0);
	same_db(yaml, db);
	licensedb_free(db);
	free(bad);
done:
	free(good);
	licensedb_free(yaml);
	rm_rf(dir);
}

/* Random damage with a valid checksum, decoded directly: never a crash (run it
 * under the sanitizers), and what loads is consistent enough to free. */
static void test_snapshot_fuzz_decode(void)
{
	char dir[] = "/tmp/lt_snap_XXXXXX", file[512];
	const char *roots[] = { LT_SOURCE_DIR };
	unsigned char fp[LICDB_FP_LEN];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	uint32_t recs_len;
	char *good;
	size_t len;
	int loaded = 0;

	CHECK(mkdtemp(dir) != NULL);
	licensedb_free(load_cached(roots, 1, dir, 0));
	CHECK_EQ_INT(count_snapshots(dir, file, sizeof(file)), 1);
	good = slurp(file, &len);
	CHECK(good && len > 1000);
	if (!good || len <= 1000)
		goto done;
	memcpy(fp, good + 16, sizeof(fp));
	memcpy(&recs_len, good + 52, sizeof(recs_len));
	for (int it = 0; it < 1500; it++) {
		char *d = malloc(len);
		struct licensedb *db = NULL;
		int nmut = 1 + it % 4, rc;

		memcpy(d, good, len);
		for (int m = 0; m < nmut; m++) {
			size_t at;
			uint32_t v;
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* three in four in the records (counts, offsets, lengths), the rest anywhere */
			if (it % 4)
				at = 64 + (size_t)(x >> 16) % (recs_len - 4);
			else
				at = 64 + (size_t)(x >> 16) % (len - 68);
			if (it % 3 == 0)
				at &= ~(size_t)3;
			v = (uint32_t)(x >> 8);
			if (m % 2)
				v &= 0xff;
			memcpy(d + at, &v, it % 5 == 0 ? 1 : 4);
		}
		licdb_snap_reseal(d, len);
		rc = licdb_snap_decode(&db, d, len, fp); /* takes d */
		if (rc == 0) {
			loaded++;
			CHECK(db && db->nlics > 0 && licensedb_get(db, db->lics[0]->id) != NULL);
			licensedb_free(db);
		} else {
			CHECK(db == NULL);
		}
	}
	/* most damage to the records is caught; a changed line number, threshold or
	 * string byte is not (the checksum is resealed here, as a forger would) */
	CHECK(loaded < 1500 / 2);
done:
	free(good);
	rm_rf(dir);
}

static void replace_in_file(const char *path, const char *from, const char *to)
{
	size_t len;
	char *s = slurp(path, &len), *p;
	FILE *f;

	CHECK(s != NULL);
	if (!s)
		return;
	s[len] = '\0';
	p = strstr(s, from);
	CHECK(p != NULL);
	f = fopen(path, "wb");
	if (p && f) {
		fwrite(s, 1, (size_t)(p - s), f);
		fputs(to, f);
		fputs(p + strlen(from), f);
	}
	if (f)
		fclose(f);
	free(s);
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	CHECK_EQ_INT(system(cmd), 0);
}

static void test_snapshot_follows_data_changes(void)
{
	char dir[] = "/tmp/lt_snap_XXXXXX", root[300], snap[300], p[400];
	const char *roots[] = { root }, *two[] = { LT_SOURCE_DIR, root };
	struct licensedb *db, *yaml;
	struct lt_error err;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(root, sizeof(root), "%s/data", dir);
	snprintf(snap, sizeof(snap), "%s/snap", dir);
	CHECK(mkdir(root, 0700) == 0 && mkdir(snap, 0700) == 0);
	sh("cp -R '%s/licenses' '%s/'", LT_SOURCE_DIR, root);
	sh("cp -R '%s/rules' '%s/'", LT_SOURCE_DIR, root);
	/* fresh copies are "racy" (modified within the last seconds): no snapshot yet */
	db = load_cached(roots, 1, snap, 0);
	licensedb_free(db);
	CHECK_EQ_INT(count_snapshots(snap, NULL, 0), 0);
	sh("find '%s' -exec touch -h -d @1500000000 {} +", root);
	/* nine old snapshots and a dead writer's temp file: pruned to eight when one is written */
	for (int i = 0; i < 9; i++) {
		snprintf(p, sizeof(p), "%s/licensedb-%032d.bin", snap, i);
		spit(p, "old", 3);
	}
	snprintf(p, sizeof(p), "%s/licensedb-%032d.bin.tmp.1", snap, 0);
	spit(p, "tmp", 3);
	sh("touch -d @1400000000 '%s'/licensedb-*", snap);
	db = load_cached(roots, 1, snap, 0);
	licensedb_free(db);
	CHECK_EQ_INT(count_snapshots(snap, NULL, 0), 8);
	CHECK(access(p, F_OK) != 0);
	db = load_cached(roots, 1, snap, 1);
	CHECK_STR(licensedb_get(db, "mit")->name, "MIT License");
	licensedb_free(db);

	/* a changed definition: new fingerprint, new content */
	snprintf(p, sizeof(p), "%s/licenses/mit.yaml", root);
	replace_in_file(p, "name: MIT License\n", "name: MIT License (edited)\n");
	sh("touch -d @1500000100 '%s'", p);
	db = load_cached(roots, 1, snap, 0);
	CHECK_STR(licensedb_get(db, "mit")->name, "MIT License (edited)");
	licensedb_free(db);
	db = load_cached(roots, 1, snap, 1);
	CHECK_STR(licensedb_get(db, "mit")->name, "MIT License (edited)");
	CHECK(licensedb_load(&yaml, roots, 1, &err) == 0);
	same_db(yaml, db);
	licensedb_free(yaml);
	licensedb_free(db);

	/* an edit that keeps the size and the mtime (a rewrite by rename: new inode, ctime) */
	replace_in_file(p, "(edited)", "(EDITED)");
	sh("cp -p '%s' '%s.new'", p, p);
	sh("mv '%s.new' '%s'", p, p);
	sh("touch -d @1500000100 '%s'", p);
	db = load_cached(roots, 1, snap, 0);
	CHECK_STR(licensedb_get(db, "mit")->name, "MIT License (EDITED)");
	licensedb_free(db);

	/* a reference text counts too */
	snprintf(p, sizeof(p), "%s/licenses/texts/MIT.txt", root);
	sh("printf 'changed' >> '%s'; touch -d @1500000200 '%s'", p, p);
	db = load_cached(roots, 1, snap, 0);
	CHECK(strstr(licensedb_get(db, "mit")->ref_text, "changed") != NULL);
	licensedb_free(db);
	db = load_cached(roots, 1, snap, 1);
	CHECK(strstr(licensedb_get(db, "mit")->ref_text, "changed") != NULL);
	licensedb_free(db);

	/* an edit just now: loaded, but not snapshotted until it is a few seconds old */
	snprintf(p, sizeof(p), "%s/licenses/mit.yaml", root);
	replace_in_file(p, "(EDITED)", "(again)");
	db = load_cached(roots, 1, snap, 0);
	CHECK_STR(licensedb_get(db, "mit")->name, "MIT License (again)");
	licensedb_free(db);
	db = load_cached(roots, 1, snap, 0);
	licensedb_free(db);
	sh("touch -d @1500000300 '%s'", p);

	/* two roots: the later one overrides; paths and rule links must survive */
	CHECK(licensedb_load(&yaml, two, 2, &err) == 0);
	db = NULL;
	CHECK(licensedb_load_cached(&db, two, 2, snap, &err) == 0);
	licensedb_free(db);
	db = NULL;
	CHECK(licensedb_load_cached(&db, two, 2, snap, &err) == 0);
	CHECK(db && licdb_from_snapshot(db));
	same_db(yaml, db);
	CHECK_STR(licensedb_get(db, "mit")->name, "MIT License (again)");
	licensedb_free(yaml);
	licensedb_free(db);

	/* data with problems: the same answer as licensedb_load, and no snapshot */
	snprintf(p, sizeof(p), "%s/licenses/broken.yaml", root);
	spit(p, "id: broken\n", 11);
	sh("touch -d @1500000400 '%s'", p);
	{
		int before = count_snapshots(snap, NULL, 0);
		struct licensedb *plain = NULL;
		int rc1 = licensedb_load(&plain, roots, 1, &err);
		int rc2 = licensedb_load_cached(&db, roots, 1, snap, &err);
		CHECK_EQ_INT(rc1, LT_EINVAL);
		CHECK_EQ_INT(rc2, LT_EINVAL);
		CHECK(db && plain && db->problems.n == plain->problems.n && db->problems.n > 0);
		CHECK_EQ_INT(count_snapshots(snap, NULL, 0), before);
		licensedb_free(plain);
		licensedb_free(db);
	}
	rm_rf(dir);
}

/* A pid that ran and is gone: a child that exited and was reaped. */
static long dead_pid(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	CHECK(p > 0);
	CHECK(waitpid(p, NULL, 0) == p);
	return (long)p;
}

static int exists(const char *dir, const char *name)
{
	char p[600];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return lstat(p, &st) == 0;
}

static void plant(const char *dir, const char *name, const char *mtime)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	spit(p, "tmp", 3);
	if (mtime)
		sh("touch -d '%s' '%s'", mtime, p);
}

static int any_name(const char *s, size_t len)
{
	(void)s;
	return len > 0;
}

/* Temp files of a snapshot writer that was killed: the next load removes them,
 * also when it is served from the snapshot and writes nothing; a live writer's
 * file, another name, and a link are kept (issue 10). */
static void test_snapshot_sweeps_killed_writers(void)
{
	char dir[] = "/tmp/lt_snap_XXXXXX", snap[300], dead[120], dead2[120], own[120], link[120],
	     target[400];
	const char *roots[] = { LT_SOURCE_DIR };
	const char *live = "licensedb-11111111111111111111111111111111.bin.tmp.1";
	const char *old_live = "licensedb-22222222222222222222222222222222.bin.tmp.1";
	long gone = dead_pid();
	struct licensedb *db;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(snap, sizeof(snap), "%s/snap", dir);
	db = load_cached(roots, 1, snap, 0); /* writes the snapshot */
	licensedb_free(db);
	snprintf(dead, sizeof(dead), "licensedb-%032d.bin.tmp.%ld", 3, gone);
	snprintf(dead2, sizeof(dead2), "licensedb-%032d.bin.tmp.%ld", 4, gone);
	snprintf(own, sizeof(own), "licensedb-%032d.bin.tmp.%ld", 5, (long)getpid());
	snprintf(link, sizeof(link), "licensedb-%032d.bin.tmp.%ld", 6, gone);
	snprintf(target, sizeof(target), "%s/outside", dir);
	plant(snap, dead, NULL);                   /* just written, writer gone */
	plant(snap, dead2, "2020-01-01");          /* old, writer gone */
	plant(snap, live, NULL);                   /* pid 1 runs: a live writer */
	plant(snap, old_live, "2020-01-01");       /* pid 1, but a day old: reused pid */
	plant(snap, own, NULL);                    /* this process's own */
	plant(snap, "notes.tmp.99999999", "2020-01-01");       /* not our name */
	plant(snap, "licensedb-zz.bin.tmp.99999999", "2020-01-01"); /* not a snapshot name */
	spit(target, "keep", 4);
	sh("ln -s '%s' '%s/%s' && touch -h -d 2020-01-01 '%s/%s'", target, snap, link, snap, link);
	db = load_cached(roots, 1, snap, 1); /* served from the snapshot */
	licensedb_free(db);
	CHECK(!exists(snap, dead));
	CHECK(!exists(snap, dead2));
	CHECK(!exists(snap, old_live));
	CHECK(exists(snap, live));
	CHECK(exists(snap, own));
	CHECK(exists(snap, "notes.tmp.99999999"));
	CHECK(exists(snap, "licensedb-zz.bin.tmp.99999999"));
	CHECK(exists(snap, link));
	CHECK(access(target, F_OK) == 0);
	CHECK_EQ_INT(count_snapshots(snap, NULL, 0), 1);

	/* a snapshot folder that is a link is not swept */
	{
		char alias[320];
		snprintf(alias, sizeof(alias), "%s/alias", dir);
		plant(snap, dead, NULL);
		CHECK(symlink(snap, alias) == 0);
		CHECK_EQ_INT(licdb_sweep_temp(alias, any_name), 0);
		CHECK(exists(snap, dead));
	}
	rm_rf(dir);
}

/* The same for --write-installed-data: a killed build's temp files in the output
 * folder go, only those two names of ours. */
static void test_installed_sweeps_killed_writers(void)
{
	char dir[] = "/tmp/lt_inst_XXXXXX", snap_tmp[120], man_tmp[120], live[120];
	struct lt_error err;
	long gone = dead_pid();

	CHECK(mkdtemp(dir) != NULL);
	snprintf(snap_tmp, sizeof(snap_tmp), "%s.tmp.%ld", LICDB_INSTALLED_SNAPSHOT, gone);
	snprintf(man_tmp, sizeof(man_tmp), "%s.tmp.%ld", LICDB_INSTALLED_MANIFEST, gone);
	snprintf(live, sizeof(live), "%s.tmp.1", LICDB_INSTALLED_SNAPSHOT);
	plant(dir, snap_tmp, NULL);
	plant(dir, man_tmp, "2020-01-01");
	plant(dir, live, NULL);
	plant(dir, "README.tmp.99999999", "2020-01-01");
	plant(dir, "licensedb.snapshot.tmp.x1", "2020-01-01");
	CHECK_EQ_INT(licensedb_write_installed(LT_SOURCE_DIR, "/usr/share/lictrace", dir, &err), 0);
	CHECK(exists(dir, LICDB_INSTALLED_SNAPSHOT));
	CHECK(exists(dir, LICDB_INSTALLED_MANIFEST));
	CHECK(!exists(dir, snap_tmp));
	CHECK(!exists(dir, man_tmp));
	CHECK(exists(dir, live));
	CHECK(exists(dir, "README.tmp.99999999"));
	CHECK(exists(dir, "licensedb.snapshot.tmp.x1"));
	rm_rf(dir);
}

TESTS(T(builtin_lookups), T(hub_ids_all_mapped), T(corrected_facts), T(provenance),
      T(every_kind_acted_on), T(problems_reported),
      T(snapshot_builtin_identical), T(snapshot_corrupt_ignored), T(snapshot_fuzz_decode),
      T(snapshot_follows_data_changes), T(snapshot_sweeps_killed_writers),
      T(installed_sweeps_killed_writers))
