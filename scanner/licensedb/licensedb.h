/*
 * licensedb.h - license definitions (licenses/<id>.yaml) and rules (rules/<name>.yaml),
 * loaded and validated into read-only structs. The schema is docs/SCHEMA.md.
 *
 * Ownership: the database owns everything it returns; pointers stay valid until
 * licensedb_free(). Loading records every schema problem (file:line: message)
 * in the database's problem list; licensedb_load() fails with LT_EINVAL when
 * there is any, after collecting them all, so `lictrace rules check` can print
 * them in one go.
 */
#ifndef LT_LICENSEDB_H
#define LT_LICENSEDB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct lt_error;

/* Least to most restrictive; the order is the permissiveness rank. */
enum lic_category {
	CAT_PUBLIC_DOMAIN,
	CAT_PERMISSIVE,
	CAT_PERMISSIVE_CONDITIONAL,
	CAT_WEAK_COPYLEFT,
	CAT_COPYLEFT,
	CAT_RAIL,
	CAT_RESTRICTED_COMMUNITY,
	CAT_NON_COMMERCIAL,
	CAT_RESEARCH_ONLY,
	CAT_PROPRIETARY,
	CAT_FAMILY,
	CAT_UNKNOWN,
	CAT__COUNT
};

enum ob_kind {
	OB_LICENSE_COPY,
	OB_NOTICE,
	OB_KEEP_NOTICES,
	OB_MARK_MODIFICATIONS,
	OB_ATTRIBUTION,
	OB_NAME_PREFIX,
	OB_ACCEPTABLE_USE,
	OB_USE_RESTRICTIONS,
	OB_USER_THRESHOLD,
	OB_REVENUE_THRESHOLD,
	OB_TERRITORY_EXCLUSION,
	OB_OUTPUT_RESTRICTION,
	OB_NO_IMPROVE_OTHER_MODELS,
	OB_NON_COMMERCIAL,
	OB_RESEARCH_ONLY,
	OB_REGISTRATION,
	OB_SHARE_ALIKE,
	OB_DISCLOSE_SOURCE,
	OB_NO_DERIVATIVES,
	OB_NO_SUBLICENSE,
	OB_GUARDRAILS,
	OB__COUNT
};

enum relicense { RELIC_ALLOWED, RELIC_ADDITIONAL_TERMS, RELIC_FORBIDDEN };

struct strlist {
	char **v;
	size_t n;
};

struct obligation {
	enum ob_kind kind;
	char *text;                /* notice sentence, display text, name prefix, ... */
	char *url;
	unsigned long long value;  /* threshold (users or USD); 0 = none */
	char *period;              /* annual, monthly, 12-months, daily */
	struct strlist territories;
	char *scope;               /* all (default) or multimodal */
	int flows;                 /* binds derivatives */
	char *note;
	char *clause;              /* where the text says it ("§1.b.i"), or NULL */
};

struct licdef {
	char *id, *name, *spdx, *family, *version, *date;
	char *licensor, *law, *venue, *url, *text_file, *summary;
	char *verified_source;   /* where the text was checked: URL or owner/repo@commit:path */
	char *verified_date;     /* when (YYYY-MM-DD) */
	struct strlist hub_ids, aliases;
	struct strlist hub_orgs; /* the licensor's own hub organisations */
	enum lic_category category;
	int review;
	struct obligation *obligations;
	size_t nobligations;
	enum relicense relicense;
	char *derivatives_note;
	char *path;          /* definition file */
	char *ref_text;      /* contents of licenses/texts/<text_file>, or NULL */
	size_t ref_len;
};

/* A user or revenue threshold with a text: crossing it starts a duty to display
 * that text (Kimi's modified MIT), instead of ending the grant. */
static inline int ob_display_trigger(const struct obligation *o)
{
	return (o->kind == OB_USER_THRESHOLD || o->kind == OB_REVENUE_THRESHOLD) && o->text;
}

/* Two definitions of one family (or the same definition); one without a family
 * is only its own. */
static inline int licdef_same_family(const struct licdef *a, const struct licdef *b)
{
	return a == b || (a->family && b->family && strcmp(a->family, b->family) == 0);
}

enum rule_kind { RULE_LICENSE, RULE_POLICY, RULE_NOTICE };

struct detect_rule {
	char *id;
	char *license;             /* license id */
	const struct licdef *lic;
	enum rule_kind kind;
	struct strlist all, any, none;
	double confidence;
	struct strlist overrides;  /* license ids dropped when this rule fires */
	double similar_min;        /* 0 = no similarity requirement */
	char *note;
	char *path;
	int line;
};

struct role_rule {
	char *id;
	char *role; /* license, notice, policy, card, config, adapter, mergekit, weights */
	struct strlist names;
	char *path;
	int line;
};

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

struct finding_def {
	char *id;
	enum severity severity;
	char *title, *why, *fix;
	char *path;
	int line;
};

struct licensedb {
	struct licdef **lics;
	size_t nlics;
	struct detect_rule **rules;
	size_t nrules;
	struct role_rule **roles;
	size_t nroles;
	struct finding_def **findings;
	size_t nfindings;
	struct strlist problems; /* "file:line: message" */
	void *index_;            /* private lookup tables */
	/* Names this exact data when it was rebuilt from a checked snapshot (the
	 * snapshot's fingerprint in hex), else "": what derived caches are keyed on. */
	char snapshot_id[40];
};

/* Load the data under each root in order (ROOT/licenses/<id>.yaml, ROOT/rules/<name>.yaml).
 * A later root's definition or rule with the same id replaces an earlier one
 * (user data over the built-in data); a duplicate inside one root is a problem.
 * *out is set even on LT_EINVAL so the caller can print db->problems. */
int licensedb_load(struct licensedb **out, const char *const *roots, size_t nroots,
		   struct lt_error *err);
/* licensedb_load() through a binary snapshot in snapshot_dir, for start-up time
 * (one process per file in a pre-commit hook). The snapshot file is named after a
 * fingerprint of the inputs (each root's path; the names, sizes, mtimes, ctimes,
 * inodes of licenses/, licenses/texts/ and rules/) and of the build, so editing
 * the data or rebuilding lictrace selects a new one. A valid snapshot is rebuilt
 * into exactly the database licensedb_load() would give, without parsing YAML.
 * Otherwise the YAML is loaded and, when it has no problems, the snapshot is
 * written atomically (snapshot_dir is created 0700; older snapshots beyond a few
 * are deleted); not when an input changed in the last seconds, because a second
 * change within one timestamp tick would not change the fingerprint. A missing,
 * corrupt, truncated, foreign or hostile snapshot is ignored and rewritten, and
 * failing to write one is not an error. snapshot_dir NULL or "" is plain
 * licensedb_load(). Results, *out and ownership as for licensedb_load(). The
 * snapshot is a cache of validated data, never a validator: `rules check` must
 * call licensedb_load(). */
int licensedb_load_cached(struct licensedb **out, const char *const *roots, size_t nroots,
			  const char *snapshot_dir, struct lt_error *err);
void licensedb_free(struct licensedb *db);

/* For caches derived from the data (the compiled classifier, classify/image.h),
 * the snapshot's own tools: a 64-bit hash that detects accidents, not forgery,
 * and the owned-file reader (both described in snapshot.h). */
uint64_t licdb_snap_hash(const void *data, size_t n, uint64_t seed);
int licdb_read_owned(const char *path, size_t min, size_t max, int installed, char **out,
		     size_t *len);

/* Exact canonical id. */
const struct licdef *licensedb_get(const struct licensedb *db, const char *id);
/* A declared value (card `license`, `license_name`, GGUF general.license...):
 * case-insensitive over ids, Hub ids and aliases, also with '_' and ' ' folded to
 * '-'; a name still unknown is tried without a leading "The" and a trailing
 * "Agreement", "License" and "Community" ("The MIT License", "Llama 3.1 Community
 * License Agreement"). NULL when unknown. */
const struct licdef *licensedb_lookup(const struct licensedb *db, const char *declared);
/* The same without stripping words: for names found in free text, where "the
 * Apache 2.0 license" may be a remark, not a declaration. */
const struct licdef *licensedb_lookup_exact(const struct licensedb *db, const char *name);
/* The one definition whose `url` is this web address (http or https, "www.", the
 * host's case, a trailing '/', a query or fragment aside): a card's license_link.
 * NULL when none is, or when several are (versions of a text at one address). */
const struct licdef *licensedb_by_url(const struct licensedb *db, const char *url);
const struct finding_def *licensedb_finding(const struct licensedb *db, const char *id);
const struct detect_rule *licensedb_rule(const struct licensedb *db, const char *id);

const char *lic_category_name(enum lic_category c);
int lic_category_parse(const char *s);          /* -1 when unknown */
const char *ob_kind_name(enum ob_kind k);
int ob_kind_parse(const char *s);               /* -1 when unknown */
/* The finding id that acts on an obligation kind (a check, or a checklist item
 * when ob_kind_checklist()), NULL when nothing does (a load problem). */
const char *ob_kind_finding(enum ob_kind k);
int ob_kind_checklist(enum ob_kind k);
const char *relicense_name(enum relicense r);
const char *severity_name(enum severity s);
/* Add a problem line (used by validators in higher layers, e.g. phrase checks). */
void licensedb_problem(struct licensedb *db, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
