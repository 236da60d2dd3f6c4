/*
 * licensedb.c - load and validate licenses/<id>.yaml and rules/<name>.yaml; see licensedb.h.
 *
 * Validation is strict because these files are a legal statement: an unknown key
 * is more likely a typo that silently drops a duty than an extension, so it is a
 * problem, not a warning. Every problem is collected (file:line: message) before
 * the load fails, so one `lictrace rules check` run shows them all.
 */
#include "licensedb.h"
#include "index.h"
#include "snapshot.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/limits.h"
#include "core/path.h"
#include "core/str.h"
#include "core/strmap.h"
#include "yamlx/yamlx.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Definition and rule files are small; a 1 MiB file is a mistake. */
#define LICDB_MAX_FILE (1u << 20)

static const char *cat_names[CAT__COUNT] = {
	"public-domain", "permissive", "permissive-conditional", "weak-copyleft", "copyleft",
	"rail", "restricted-community", "non-commercial", "research-only", "proprietary",
	"family", "unknown",
};

/* Every obligation kind with the finding that acts on it: a check that fires when
 * the duty is not met, or a checklist item (an info finding a policy rule can
 * match) for a duty that only a person can confirm. A kind with no entry here is
 * stored but acted on by nothing: loading a definition that uses it is a problem,
 * so `rules check` fails instead of the duty silently changing nothing. The
 * findings layer raises exactly these ids (tests/unit/test_obligations.c). */
static const struct {
	const char *name;
	const char *finding;
	int checklist;
} ob_table[OB__COUNT] = {
	[OB_LICENSE_COPY] = { "license-copy", "missing-license-copy", 0 },
	[OB_NOTICE] = { "notice", "missing-notice", 0 },
	[OB_KEEP_NOTICES] = { "keep-notices", "checklist-keep-notices", 1 },
	[OB_MARK_MODIFICATIONS] = { "mark-modifications", "checklist-mark-modifications", 1 },
	[OB_ATTRIBUTION] = { "attribution", "attribution-required", 0 },
	[OB_NAME_PREFIX] = { "name-prefix", "name-prefix", 0 },
	[OB_ACCEPTABLE_USE] = { "acceptable-use", "checklist-acceptable-use", 1 },
	[OB_USE_RESTRICTIONS] = { "use-restrictions", "use-restrictions-passthrough", 0 },
	[OB_USER_THRESHOLD] = { "user-threshold", "user-threshold", 0 },
	[OB_REVENUE_THRESHOLD] = { "revenue-threshold", "revenue-threshold", 0 },
	[OB_TERRITORY_EXCLUSION] = { "territory-exclusion", "territory-restriction", 0 },
	[OB_OUTPUT_RESTRICTION] = { "output-restriction", "output-restriction", 0 },
	[OB_NO_IMPROVE_OTHER_MODELS] = { "no-improve-other-models", "output-restriction", 0 },
	[OB_NON_COMMERCIAL] = { "non-commercial", "non-commercial-inherited", 0 },
	[OB_RESEARCH_ONLY] = { "research-only", "research-only-inherited", 0 },
	[OB_REGISTRATION] = { "registration", "registration-required", 0 },
	[OB_SHARE_ALIKE] = { "share-alike", "share-alike-conflict", 0 },
	[OB_DISCLOSE_SOURCE] = { "disclose-source", "checklist-disclose-source", 1 },
	[OB_NO_DERIVATIVES] = { "no-derivatives", "no-derivatives-violated", 0 },
	[OB_NO_SUBLICENSE] = { "no-sublicense", "checklist-no-sublicense", 1 },
	[OB_GUARDRAILS] = { "guardrails", "guardrails-removed", 0 },
};

/* Index of s in names[0..n), or -1. */
static int name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char *lic_category_name(enum lic_category c)
{
	return (unsigned)c < CAT__COUNT ? cat_names[c] : "unknown";
}

int lic_category_parse(const char *s)
{
	return name_index(cat_names, CAT__COUNT, s);
}

const char *ob_kind_name(enum ob_kind k)
{
	return (unsigned)k < OB__COUNT && ob_table[k].name ? ob_table[k].name : "unknown";
}

int ob_kind_parse(const char *s)
{
	for (int i = 0; s && i < OB__COUNT; i++)
		if (ob_table[i].name && strcmp(s, ob_table[i].name) == 0)
			return i;
	return -1;
}

const char *ob_kind_finding(enum ob_kind k)
{
	return (unsigned)k < OB__COUNT ? ob_table[k].finding : NULL;
}

int ob_kind_checklist(enum ob_kind k)
{
	return (unsigned)k < OB__COUNT && ob_table[k].checklist;
}

const char *relicense_name(enum relicense r)
{
	switch (r) {
	case RELIC_ALLOWED: return "allowed";
	case RELIC_ADDITIONAL_TERMS: return "additional-terms";
	case RELIC_FORBIDDEN: return "forbidden";
	}
	return "forbidden";
}

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO: return "info";
	case SEV_WARNING: return "warning";
	case SEV_ERROR: return "error";
	}
	return "error";
}

void licensedb_problem(struct licensedb *db, const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	char *full;
	char **p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	full = line > 0 ? lt_asprintf("%s:%d: %s", file, line, msg) : lt_asprintf("%s: %s", file, msg);
	if (!full)
		return;
	p = realloc(db->problems.v, (db->problems.n + 1) * sizeof(*p));
	if (!p) {
		free(full);
		return;
	}
	db->problems.v = p;
	p[db->problems.n++] = full;
}

static void strlist_release(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int strlist_add(struct strlist *l, const char *s)
{
	char **p = realloc(l->v, (l->n + 1) * sizeof(*p));
	if (!p)
		return LT_ENOMEM;
	l->v = p;
	p[l->n] = lt_strdup(s);
	if (!p[l->n])
		return LT_ENOMEM;
	l->n++;
	return 0;
}

/* --- reading helpers with validation --- */

struct ctx {
	struct licensedb *db;
	const char *file;
};

static char *get_str(struct ctx *c, const struct ynode *map, const char *key, int required)
{
	const struct ynode *n = yx_get(map, key);
	const char *s;

	if (!n) {
		if (required)
			licensedb_problem(c->db, c->file, map->line, "missing required key '%s'", key);
		return NULL;
	}
	if (n->kind != Y_SCALAR) {
		licensedb_problem(c->db, c->file, n->line, "'%s' must be a string", key);
		return NULL;
	}
	s = yx_str(n);
	if (!s) {
		if (required)
			licensedb_problem(c->db, c->file, n->line, "'%s' is empty", key);
		return NULL;
	}
	return lt_strdup(s);
}

static void get_list(struct ctx *c, const struct ynode *map, const char *key, struct strlist *out)
{
	const struct ynode *n = yx_get(map, key);

	if (!n)
		return;
	if (n->kind == Y_SCALAR) {
		if (yx_str(n))
			strlist_add(out, yx_str(n));
		return;
	}
	if (n->kind != Y_SEQ) {
		licensedb_problem(c->db, c->file, n->line, "'%s' must be a list of strings", key);
		return;
	}
	for (size_t i = 0; i < yx_count(n); i++) {
		const struct ynode *it = yx_item(n, i);
		if (!yx_str(it)) {
			licensedb_problem(c->db, c->file, it->line, "'%s' item %zu must be a non-empty string", key, i + 1);
			continue;
		}
		strlist_add(out, yx_str(it));
	}
}

/* A mapping with only the allowed keys; each unknown key is a problem. Returns -1
 * (after reporting "<what> must be a mapping") when map is not a mapping. */
static int check_keys(struct ctx *c, const struct ynode *map, const char *const *allowed, const char *what)
{
	if (!map || map->kind != Y_MAP) { /* NULL: an item of something that is not a list */
		licensedb_problem(c->db, c->file, map ? map->line : 0, "%s must be a mapping", what);
		return -1;
	}
	for (size_t i = 0; i < yx_count(map); i++) {
		const struct ynode *k = yx_key(map, i);
		const char *ks = yx_str(k);
		int ok = 0;
		for (size_t j = 0; ks && allowed[j]; j++)
			if (strcmp(ks, allowed[j]) == 0)
				ok = 1;
		if (!ok)
			licensedb_problem(c->db, c->file, k->line, "unknown key '%s' in %s", ks ? ks : "?", what);
	}
	return 0;
}

/* --- licenses --- */

static void licdef_release(struct licdef *d)
{
	free(d->id); free(d->name); free(d->spdx); free(d->family); free(d->version); free(d->date);
	free(d->licensor); free(d->law); free(d->venue); free(d->url); free(d->text_file);
	free(d->summary); free(d->derivatives_note); free(d->path); free(d->ref_text);
	strlist_release(&d->hub_ids);
	strlist_release(&d->aliases);
	strlist_release(&d->hub_orgs);
	free(d->verified_source); free(d->verified_date);
	for (size_t i = 0; i < d->nobligations; i++) {
		struct obligation *o = &d->obligations[i];
		free(o->text); free(o->url); free(o->period); free(o->scope); free(o->note);
		free(o->clause);
		strlist_release(&o->territories);
	}
	free(d->obligations);
}

static void parse_obligation(struct ctx *c, const struct ynode *n, struct obligation *o)
{
	static const char *const keys[] = { "kind", "text", "url", "value", "period", "territories",
					    "scope", "flows", "note", "clause", NULL };
	char *kind;
	int k;

	memset(o, 0, sizeof(*o));
	if (check_keys(c, n, keys, "an obligation")) {
		o->kind = OB__COUNT;
		return;
	}
	kind = get_str(c, n, "kind", 1);
	k = ob_kind_parse(kind);
	if (kind && k < 0)
		licensedb_problem(c->db, c->file, n->line, "unknown obligation kind '%s'", kind);
	o->kind = k < 0 ? OB__COUNT : (enum ob_kind)k;
	if (k >= 0 && !ob_kind_finding(o->kind))
		licensedb_problem(c->db, c->file, n->line,
				  "obligation kind '%s' is stored but no check or checklist item acts on it", kind);
	free(kind);
	o->text = get_str(c, n, "text", 0);
	o->url = get_str(c, n, "url", 0);
	o->period = get_str(c, n, "period", 0);
	o->scope = get_str(c, n, "scope", 0);
	o->note = get_str(c, n, "note", 0);
	o->clause = get_str(c, n, "clause", 0);
	get_list(c, n, "territories", &o->territories);
	if (yx_get(n, "value") && yx_uint(yx_get(n, "value"), &o->value) != 0)
		licensedb_problem(c->db, c->file, yx_get(n, "value")->line, "'value' must be a whole number");
	if (!yx_get(n, "flows"))
		licensedb_problem(c->db, c->file, n->line, "obligation is missing 'flows'");
	o->flows = yx_bool(yx_get(n, "flows"), 0);
	switch (o->kind) {
	case OB_NOTICE:
	case OB_ATTRIBUTION:
	case OB_NAME_PREFIX:
		if (!o->text)
			licensedb_problem(c->db, c->file, n->line, "'%s' obligation needs 'text'", ob_kind_name(o->kind));
		break;
	case OB_USER_THRESHOLD:
	case OB_REVENUE_THRESHOLD:
		if (!o->value)
			licensedb_problem(c->db, c->file, n->line, "'%s' obligation needs a 'value'", ob_kind_name(o->kind));
		break;
	case OB_TERRITORY_EXCLUSION:
		if (!o->territories.n)
			licensedb_problem(c->db, c->file, n->line, "'territory-exclusion' needs 'territories'");
		break;
	default:
		break;
	}
}

static void load_ref_text(struct ctx *c, struct licdef *d, const char *root, int line)
{
	char *dir = path_join(root, "licenses/texts"), *p = NULL;
	struct buf b;
	struct lt_error err;

	if (!path_is_safe_relative(d->text_file) || strchr(d->text_file, '/')) {
		licensedb_problem(c->db, c->file, line, "'text' must be a file name under licenses/texts");
		free(dir);
		return;
	}
	p = dir ? path_join(dir, d->text_file) : NULL;
	buf_init(&b, LICDB_MAX_REF_TEXT);
	if (!p || lt_read_file(&b, p, LICDB_MAX_REF_TEXT, &err) != 0) {
		licensedb_problem(c->db, c->file, line, "reference text '%s' cannot be read", d->text_file);
		buf_release(&b);
	} else {
		d->ref_text = buf_detach(&b, &d->ref_len);
	}
	free(p);
	free(dir);
}

static struct licdef *parse_license(struct ctx *c, const struct ynode *r, const char *root,
				    const char *stem)
{
	static const char *const keys[] = { "id", "name", "spdx", "hub_ids", "aliases", "family",
					    "version", "date", "licensor", "law", "venue", "category",
					    "url", "text", "review", "summary", "obligations",
					    "derivatives", "verified", "hub_orgs", NULL };
	static const char *const dkeys[] = { "relicense", "note", NULL };
	static const char *const vkeys[] = { "source", "retrieved", NULL };
	struct licdef *d = calloc(1, sizeof(*d));
	const struct ynode *obs, *der, *ver;
	char *cat, *rel;
	int ci;

	if (!d)
		return NULL;
	check_keys(c, r, keys, "a license definition");
	d->path = lt_strdup(c->file);
	d->id = get_str(c, r, "id", 1);
	d->name = get_str(c, r, "name", 1);
	d->spdx = get_str(c, r, "spdx", 1);
	d->family = get_str(c, r, "family", 1);
	if (yx_get(r, "version") && yx_get(r, "version")->kind == Y_SCALAR)
		d->version = lt_strdup(yx_get(r, "version")->value);
	else
		licensedb_problem(c->db, c->file, r->line, "missing required key 'version' (use \"\" when none)");
	d->date = get_str(c, r, "date", 0);
	d->licensor = get_str(c, r, "licensor", 0);
	d->law = get_str(c, r, "law", 0);
	d->venue = get_str(c, r, "venue", 0);
	d->url = get_str(c, r, "url", 0);
	d->text_file = get_str(c, r, "text", 0);
	d->summary = get_str(c, r, "summary", 1);
	d->review = yx_bool(yx_get(r, "review"), 0);
	get_list(c, r, "hub_ids", &d->hub_ids);
	get_list(c, r, "aliases", &d->aliases);
	get_list(c, r, "hub_orgs", &d->hub_orgs);
	ver = yx_get(r, "verified");
	if (ver && ver->kind != Y_MAP) {
		licensedb_problem(c->db, c->file, ver->line, "'verified' must be a mapping (source, retrieved)");
	} else if (ver && check_keys(c, ver, vkeys, "'verified'") == 0) {
		d->verified_source = get_str(c, ver, "source", 1);
		d->verified_date = get_str(c, ver, "retrieved", 1);
	}
	cat = get_str(c, r, "category", 1);
	ci = lic_category_parse(cat);
	if (cat && ci < 0)
		licensedb_problem(c->db, c->file, yx_get(r, "category")->line, "unknown category '%s'", cat);
	d->category = ci < 0 ? CAT_UNKNOWN : (enum lic_category)ci;
	free(cat);
	if (d->category == CAT_FAMILY || d->category == CAT_UNKNOWN)
		d->review = 1;
	if (d->id && stem && strcmp(d->id, stem) != 0)
		licensedb_problem(c->db, c->file, yx_get(r, "id")->line,
				  "id '%s' does not match the file name '%s.yaml'", d->id, stem);
	if (d->id) {
		for (const char *p = d->id; *p; p++)
			if (*p >= 'A' && *p <= 'Z') {
				licensedb_problem(c->db, c->file, yx_get(r, "id")->line, "id '%s' must be lower case", d->id);
				break;
			}
	}
	obs = yx_get(r, "obligations");
	if (obs && obs->kind != Y_SEQ) {
		licensedb_problem(c->db, c->file, obs->line, "'obligations' must be a list");
	} else if (obs && yx_count(obs)) {
		d->obligations = calloc(yx_count(obs), sizeof(*d->obligations));
		if (d->obligations) {
			for (size_t i = 0; i < yx_count(obs); i++)
				parse_obligation(c, yx_item(obs, i), &d->obligations[i]);
			d->nobligations = yx_count(obs);
		}
	}
	der = yx_get(r, "derivatives");
	d->relicense = RELIC_FORBIDDEN; /* fail closed when unspecified */
	if (!der || der->kind != Y_MAP) {
		licensedb_problem(c->db, c->file, r->line, "missing 'derivatives' mapping");
	} else {
		check_keys(c, der, dkeys, "'derivatives'");
		rel = get_str(c, der, "relicense", 1);
		if (rel && strcmp(rel, "allowed") == 0)
			d->relicense = RELIC_ALLOWED;
		else if (rel && strcmp(rel, "additional-terms") == 0)
			d->relicense = RELIC_ADDITIONAL_TERMS;
		else if (rel && strcmp(rel, "forbidden") != 0)
			licensedb_problem(c->db, c->file, der->line, "unknown relicense value '%s'", rel);
		free(rel);
		d->derivatives_note = get_str(c, der, "note", 1);
	}
	if (d->text_file)
		load_ref_text(c, d, root, yx_get(r, "text")->line);
	return d;
}

/* --- rules --- */

static void rule_free(struct detect_rule *r)
{
	if (!r)
		return;
	free(r->id); free(r->license); free(r->note); free(r->path);
	strlist_release(&r->all); strlist_release(&r->any); strlist_release(&r->none);
	strlist_release(&r->overrides);
	free(r);
}

static void role_free(struct role_rule *r)
{
	if (!r)
		return;
	free(r->id); free(r->role); free(r->path);
	strlist_release(&r->names);
	free(r);
}

static void finding_free(struct finding_def *f)
{
	if (!f)
		return;
	free(f->id); free(f->title); free(f->why); free(f->fix); free(f->path);
	free(f);
}

static struct detect_rule *parse_detect(struct ctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "id", "license", "kind", "all", "any", "none",
					    "confidence", "overrides", "similar", "note", NULL };
	struct detect_rule *r;
	char *kind, *conf;
	const struct ynode *sim;

	if (check_keys(c, n, keys, "a detect rule"))
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->path = lt_strdup(c->file);
	r->line = n->line;
	r->id = get_str(c, n, "id", 1);
	r->license = get_str(c, n, "license", 1);
	r->note = get_str(c, n, "note", 0);
	kind = get_str(c, n, "kind", 0);
	if (!kind || strcmp(kind, "license") == 0)
		r->kind = RULE_LICENSE;
	else if (strcmp(kind, "policy") == 0)
		r->kind = RULE_POLICY;
	else if (strcmp(kind, "notice") == 0)
		r->kind = RULE_NOTICE;
	else
		licensedb_problem(c->db, c->file, n->line, "unknown rule kind '%s'", kind);
	free(kind);
	get_list(c, n, "all", &r->all);
	get_list(c, n, "any", &r->any);
	get_list(c, n, "none", &r->none);
	get_list(c, n, "overrides", &r->overrides);
	if (!r->all.n && !r->any.n)
		licensedb_problem(c->db, c->file, n->line, "rule '%s' has no 'all' or 'any' phrases",
				  r->id ? r->id : "?");
	conf = get_str(c, n, "confidence", 0);
	r->confidence = 0.9;
	if (conf) {
		char *end;
		double v = strtod(conf, &end);
		if (*end || v <= 0 || v > 1)
			licensedb_problem(c->db, c->file, n->line, "confidence must be in (0, 1]");
		else
			r->confidence = v;
		free(conf);
	}
	sim = yx_get(n, "similar");
	if (sim) {
		const char *m = yx_str(yx_get(sim, "min"));
		char *end = NULL;
		double v = m ? strtod(m, &end) : -1;
		if (sim->kind != Y_MAP || !m || *end || v <= 0 || v > 1)
			licensedb_problem(c->db, c->file, sim->line, "'similar' must be {min: 0..1}");
		else
			r->similar_min = v;
	}
	for (int l = 0; l < 3; l++) {
		struct strlist *pl = l == 0 ? &r->all : l == 1 ? &r->any : &r->none;
		for (size_t i = 0; i < pl->n; i++)
			if (strlen(pl->v[i]) > LT_MAX_PHRASE_BYTES)
				licensedb_problem(c->db, c->file, n->line, "phrase over %d bytes", LT_MAX_PHRASE_BYTES);
	}
	return r;
}

static struct role_rule *parse_role(struct ctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "id", "role", "names", NULL };
	static const char *const roles[] = { "license", "notice", "policy", "card", "config",
					     "adapter", "mergekit", "weights", "quant-config", NULL };
	struct role_rule *r;
	int ok = 0;

	if (check_keys(c, n, keys, "a role rule"))
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->path = lt_strdup(c->file);
	r->line = n->line;
	r->id = get_str(c, n, "id", 1);
	r->role = get_str(c, n, "role", 1);
	for (int i = 0; r->role && roles[i]; i++)
		if (strcmp(r->role, roles[i]) == 0)
			ok = 1;
	if (r->role && !ok)
		licensedb_problem(c->db, c->file, n->line, "unknown role '%s'", r->role);
	get_list(c, n, "names", &r->names);
	if (!r->names.n)
		licensedb_problem(c->db, c->file, n->line, "role rule needs 'names'");
	return r;
}

static struct finding_def *parse_finding(struct ctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "id", "severity", "title", "why", "fix", NULL };
	struct finding_def *f;
	char *sev;

	if (check_keys(c, n, keys, "a finding"))
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->path = lt_strdup(c->file);
	f->line = n->line;
	f->id = get_str(c, n, "id", 1);
	f->title = get_str(c, n, "title", 1);
	f->why = get_str(c, n, "why", 1);
	f->fix = get_str(c, n, "fix", 1);
	sev = get_str(c, n, "severity", 1);
	f->severity = SEV_ERROR;
	if (sev && strcmp(sev, "info") == 0)
		f->severity = SEV_INFO;
	else if (sev && strcmp(sev, "warning") == 0)
		f->severity = SEV_WARNING;
	else if (sev && strcmp(sev, "error") != 0)
		licensedb_problem(c->db, c->file, n->line, "unknown severity '%s'", sev);
	free(sev);
	return f;
}

/* --- files and directories --- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted *.yaml / *.yml names in dir; NULL list when the dir does not exist. */
static int list_yaml(const char *dir, struct strlist *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return LT_ENOTFOUND;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (lt_ends_with(e->d_name, ".yaml") || lt_ends_with(e->d_name, ".yml"))
			strlist_add(out, e->d_name);
	}
	closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_str);
	return 0;
}

static struct ydoc *load_yaml_file(struct licensedb *db, const char *path)
{
	struct buf b;
	struct lt_error err;
	struct ydoc *doc = NULL;
	struct yx_limits lim;

	buf_init(&b, LICDB_MAX_FILE);
	if (lt_read_file(&b, path, LICDB_MAX_FILE, &err) != 0) {
		licensedb_problem(db, path, 0, "%s", err.message);
	} else {
		yx_default_limits(&lim);
		lim.max_bytes = LICDB_MAX_FILE;
		if (yx_parse(&doc, b.data ? b.data : "", b.len, &lim, path, &err) != 0)
			licensedb_problem(db, path, err.line, "%s", err.message);
		else if (!yx_root(doc) || yx_root(doc)->kind != Y_MAP) {
			licensedb_problem(db, path, 1, "the file must hold a mapping");
			yx_free(doc);
			doc = NULL;
		}
	}
	buf_release(&b);
	return doc;
}

/* Add p to array (arr, n) replacing an entry with the same id from an earlier
 * root; a duplicate within the same root is a problem. */
#define ADD_OR_REPLACE(db, arr, n, item, idfield, freefn, rootgen, gens)                       \
	do {                                                                                   \
		size_t i_;                                                                     \
		for (i_ = 0; i_ < (n); i_++)                                                   \
			if ((arr)[i_]->idfield && (item)->idfield &&                           \
			    strcmp((arr)[i_]->idfield, (item)->idfield) == 0)                  \
				break;                                                         \
		if (i_ < (n)) {                                                                \
			if ((gens)[i_] == (rootgen)) {                                         \
				licensedb_problem(db, (item)->path, 0, "duplicate id '%s' (also in %s)", \
						  (item)->idfield, (arr)[i_]->path);           \
				freefn(item); /* the first definition stays */                 \
			} else {                                                               \
				freefn((arr)[i_]); /* a later root overrides */                \
				(arr)[i_] = (item);                                            \
				(gens)[i_] = (rootgen);                                        \
			}                                                                      \
		} else {                                                                       \
			void *p_ = realloc((arr), ((n) + 1) * sizeof(*(arr)));                 \
			void *g_ = realloc((gens), ((n) + 1) * sizeof(*(gens)));               \
			if (p_)                                                                \
				(arr) = p_;                                                    \
			if (g_)                                                                \
				(gens) = g_;                                                   \
			if (p_ && g_) {                                                        \
				(arr)[(n)] = (item);                                           \
				(gens)[(n)] = (rootgen);                                       \
				(n)++;                                                         \
			} else {                                                               \
				freefn(item);                                                  \
			}                                                                      \
		}                                                                              \
	} while (0)

static void licdef_free(struct licdef *d)
{
	if (d) {
		licdef_release(d);
		free(d);
	}
}

struct gens {
	int *lic, *rule, *role, *finding;
};

static void load_licenses(struct licensedb *db, const char *root, int gen, struct gens *g)
{
	char *dir = path_join(root, "licenses");
	struct strlist files = { 0 };

	if (!dir)
		return;
	if (list_yaml(dir, &files) != 0) {
		free(dir);
		return;
	}
	for (size_t i = 0; i < files.n; i++) {
		char *path = path_join(dir, files.v[i]);
		char *stem = lt_strdup(files.v[i]);
		struct ydoc *doc;
		struct ctx c = { db, path };

		if (!path || !stem) {
			free(path);
			free(stem);
			continue;
		}
		*strrchr(stem, '.') = '\0';
		doc = load_yaml_file(db, path);
		if (doc) {
			struct licdef *d = parse_license(&c, yx_root(doc), root, stem);
			if (d)
				ADD_OR_REPLACE(db, db->lics, db->nlics, d, id, licdef_free, gen, g->lic);
			yx_free(doc);
		}
		free(stem);
		free(path);
	}
	strlist_release(&files);
	free(dir);
}

static void load_rules(struct licensedb *db, const char *root, int gen, struct gens *g)
{
	char *dir = path_join(root, "rules");
	struct strlist files = { 0 };

	if (!dir)
		return;
	if (list_yaml(dir, &files) != 0) {
		free(dir);
		return;
	}
	for (size_t i = 0; i < files.n; i++) {
		char *path = path_join(dir, files.v[i]);
		struct ydoc *doc = path ? load_yaml_file(db, path) : NULL;
		struct ctx c = { db, path };
		const struct ynode *r = yx_root(doc), *l;
		static const char *const keys[] = { "detect", "roles", "findings", NULL };

		if (doc) {
			check_keys(&c, r, keys, "a rules file");
			if ((l = yx_get(r, "detect")))
				for (size_t j = 0; j < yx_count(l); j++) {
					struct detect_rule *x = parse_detect(&c, yx_item(l, j));
					if (x)
						ADD_OR_REPLACE(db, db->rules, db->nrules, x, id, rule_free, gen, g->rule);
				}
			if ((l = yx_get(r, "roles")))
				for (size_t j = 0; j < yx_count(l); j++) {
					struct role_rule *x = parse_role(&c, yx_item(l, j));
					if (x)
						ADD_OR_REPLACE(db, db->roles, db->nroles, x, id, role_free, gen, g->role);
				}
			if ((l = yx_get(r, "findings")))
				for (size_t j = 0; j < yx_count(l); j++) {
					struct finding_def *x = parse_finding(&c, yx_item(l, j));
					if (x)
						ADD_OR_REPLACE(db, db->findings, db->nfindings, x, id, finding_free, gen, g->finding);
				}
			yx_free(doc);
		}
		free(path);
	}
	strlist_release(&files);
	free(dir);
}

int licensedb_load(struct licensedb **out, const char *const *roots, size_t nroots,
		   struct lt_error *err)
{
	struct licensedb *db = calloc(1, sizeof(*db));
	struct gens g = { 0 };

	*out = db;
	if (!db)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < nroots; i++) {
		load_licenses(db, roots[i], (int)i, &g);
		load_rules(db, roots[i], (int)i, &g);
	}
	free(g.lic);
	free(g.rule);
	free(g.role);
	free(g.finding);
	if (!db->nlics)
		licensedb_problem(db, nroots ? roots[0] : "?", 0, "no license definitions found under 'licenses/'");
	if (db->nrules > LT_MAX_RULES)
		licensedb_problem(db, nroots ? roots[0] : "?", 0, "more than %d rules", LT_MAX_RULES);
	licdb_build_index(db);
	if (db->problems.n)
		return lt_error_set(err, LT_EINVAL, NULL, 0, "%zu problem%s in license data; first: %s",
				    db->problems.n, db->problems.n == 1 ? "" : "s", db->problems.v[0]);
	return 0;
}

void licensedb_free(struct licensedb *db)
{
	struct licdb_index *ix;

	if (!db)
		return;
	ix = db->index_;
	if (ix && ix->snap_file) {
		/* rebuilt from a snapshot: records, lists and strings live in two blocks */
		free(ix->snap_recs);
		if (ix->snap_mapped)
			lt_unmap(ix->snap_file, ix->snap_len);
		else
			free(ix->snap_file);
	} else {
		for (size_t i = 0; i < db->nlics; i++)
			licdef_free(db->lics[i]);
		free(db->lics);
		for (size_t i = 0; i < db->nrules; i++)
			rule_free(db->rules[i]);
		free(db->rules);
		for (size_t i = 0; i < db->nroles; i++)
			role_free(db->roles[i]);
		free(db->roles);
		for (size_t i = 0; i < db->nfindings; i++)
			finding_free(db->findings[i]);
		free(db->findings);
	}
	strlist_release(&db->problems);
	licdb_index_free(ix);
	free(db);
}
