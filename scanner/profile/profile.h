/*
 * profile.h - the organisation's profile for a pre-adoption question: how many
 * users its products have, its annual revenue, what it would use the model for,
 * how it would offer it, whether model outputs train other models, and where it
 * is established and operates. Built from command-line flags and a policy file's
 * `profile:` section (flags win, key by key); the findings and report layers only
 * read it.
 *
 * A field not given stays unset: a duty that depends on it is judged `review`
 * naming the field, never `pass`. Ownership: a profile is a plain value (no heap).
 */
#ifndef LT_PROFILE_H
#define LT_PROFILE_H

#include <stddef.h>

struct lt_error;
struct ynode;

#define PROFILE_MAX_JURIS 16
/* Bounds on the numbers: more users than there are people, or more revenue than
 * the world's output, is a typing mistake. */
#define PROFILE_MAX_USERS 100000000000ULL        /* 1e11 */
#define PROFILE_MAX_REVENUE 1000000000000000ULL  /* USD 1e15 */

enum profile_use { PUSE_UNSET, PUSE_COMMERCIAL, PUSE_NONCOMMERCIAL, PUSE_RESEARCH };
enum profile_dist { PDIST_UNSET, PDIST_INTERNAL, PDIST_HOSTED, PDIST_WEIGHTS };

struct profile {
	int has_users, has_revenue;
	unsigned long long users;   /* monthly active users */
	unsigned long long revenue; /* annual revenue, USD */
	enum profile_use use;
	enum profile_dist dist;
	int train;                  /* outputs train other models: -1 unset, 0 no, 1 yes */
	char juris[PROFILE_MAX_JURIS][4]; /* upper-case codes: DE, EU, UK, ... */
	size_t njuris;
};

void profile_init(struct profile *p);
/* 1 when a question is asked: any field but the jurisdictions is set. Jurisdictions
 * alone keep the older meaning of --jurisdiction (territory findings, no answer). */
int profile_given(const struct profile *p);

/* Set one field from text. key is the flag or YAML name: users, revenue, use,
 * distribution, train-on-outputs (true/false), jurisdiction (one code, or several
 * separated by commas; added to those already set). Numbers are whole, with an
 * optional K, M or B suffix (40M = 40000000). Returns 0, or -1 with a one-line
 * reason in msg. */
int profile_set(struct profile *p, const char *key, const char *value, char *msg, size_t msgsz);

/* Read a policy file's `profile:` map (keys as above, `_` or `-`; jurisdiction
 * may be a list). Unknown keys and bad values are errors naming file and line. */
int profile_from_yaml(struct profile *p, const struct ynode *map, const char *file,
		      struct lt_error *err);

/* out = base with every field that over sets replacing it (flags over the file). */
void profile_merge(struct profile *out, const struct profile *base, const struct profile *over);

/* 1 when some jurisdiction of p falls in territory (iso3166_within); the code
 * that does is copied to who (size >= 4) when not NULL. */
int profile_in(const struct profile *p, const char *territory, char *who);

/* "40M", "1.5B", "700", "1250K", "1234567": a count for people to read, exact. */
void profile_fmt_count(unsigned long long v, char *out, size_t n);
/* The question in plain words: "commercial hosted use by an organisation in DE
 * with 40M users and USD 200M revenue, outputs not used to train other models". */
void profile_describe(const struct profile *p, char *out, size_t n);
/* The jurisdictions as "DE, KR" (or "" when none). */
void profile_juris_text(const struct profile *p, char *out, size_t n);

const char *profile_use_name(enum profile_use u);   /* "commercial", ... or NULL */
const char *profile_dist_name(enum profile_dist d); /* "hosted", ... or NULL */

#endif
