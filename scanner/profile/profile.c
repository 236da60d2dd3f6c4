/* profile.c - the organisation's profile; see profile.h. */
#include "profile.h"
#include "core/err.h"
#include "core/iso3166.h"
#include "core/str.h"
#include "yamlx/yamlx.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void profile_init(struct profile *p)
{
	memset(p, 0, sizeof(*p));
	p->train = -1;
}

int profile_given(const struct profile *p)
{
	return p->has_users || p->has_revenue || p->use != PUSE_UNSET || p->dist != PDIST_UNSET ||
	       p->train >= 0;
}

const char *profile_use_name(enum profile_use u)
{
	switch (u) {
	case PUSE_COMMERCIAL: return "commercial";
	case PUSE_NONCOMMERCIAL: return "noncommercial";
	case PUSE_RESEARCH: return "research";
	default: return NULL;
	}
}

const char *profile_dist_name(enum profile_dist d)
{
	switch (d) {
	case PDIST_INTERNAL: return "internal";
	case PDIST_HOSTED: return "hosted";
	case PDIST_WEIGHTS: return "weights";
	default: return NULL;
	}
}

/* Digits (no sign, no blanks), then at most one of K, M, B; the result within max. */
static int parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0, mul = 1;
	size_t i = 0;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	for (; isdigit((unsigned char)s[i]); i++) {
		if (v > (max - (unsigned long long)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	if (s[i]) {
		switch (s[i]) {
		case 'k': case 'K': mul = 1000ULL; break;
		case 'm': case 'M': mul = 1000000ULL; break;
		case 'b': case 'B': mul = 1000000000ULL; break;
		default: return -1;
		}
		if (s[i + 1])
			return -1;
	}
	if (v > max / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int juris_known(const char *s)
{
	return iso3166_alpha2(s) || lt_strieq(s, "EU") || lt_strieq(s, "EEA") || lt_strieq(s, "UK");
}

static int add_juris(struct profile *p, const char *code, size_t n, char *msg, size_t msgsz)
{
	char c[8];

	if (n == 0 || n > 3) {
		snprintf(msg, msgsz, "--jurisdiction takes an ISO 3166-1 alpha-2 country code (US, KR, GB, ...), EU, EEA or UK; several comma-separated or repeated; not '%.*s'",
			 (int)(n > 32 ? 32 : n), code);
		return -1;
	}
	memcpy(c, code, n);
	c[n] = '\0';
	if (!juris_known(c)) {
		snprintf(msg, msgsz, "--jurisdiction takes an ISO 3166-1 alpha-2 country code (US, KR, GB, ...), EU, EEA or UK; several comma-separated or repeated; not '%s'", c);
		return -1;
	}
	for (size_t i = 0; c[i]; i++)
		c[i] = (char)toupper((unsigned char)c[i]);
	for (size_t i = 0; i < p->njuris; i++)
		if (!strcmp(p->juris[i], c))
			return 0;
	if (p->njuris >= PROFILE_MAX_JURIS) {
		snprintf(msg, msgsz, "--jurisdiction takes at most %d codes", PROFILE_MAX_JURIS);
		return -1;
	}
	memcpy(p->juris[p->njuris++], c, strlen(c) + 1);
	return 0;
}

static int key_is(const char *key, const char *name)
{
	/* train-on-outputs and train_on_outputs are one key */
	for (; *key && *name; key++, name++)
		if (*key != *name && !((*key == '_' || *key == '-') && (*name == '-' || *name == '_')))
			return 0;
	return !*key && !*name;
}

int profile_set(struct profile *p, const char *key, const char *value, char *msg, size_t msgsz)
{
	if (!value)
		value = "";
	if (key_is(key, "users")) {
		if (parse_count(value, PROFILE_MAX_USERS, &p->users)) {
			snprintf(msg, msgsz, "--users takes a whole number of monthly active users (digits, optionally K, M or B: 40M), at most 100B, not '%s'", value);
			return -1;
		}
		p->has_users = 1;
	} else if (key_is(key, "revenue")) {
		if (parse_count(value, PROFILE_MAX_REVENUE, &p->revenue)) {
			snprintf(msg, msgsz, "--revenue takes whole US dollars of annual revenue (digits, optionally K, M or B: 200M), not '%s'", value);
			return -1;
		}
		p->has_revenue = 1;
	} else if (key_is(key, "use")) {
		if (!strcmp(value, "commercial"))
			p->use = PUSE_COMMERCIAL;
		else if (!strcmp(value, "noncommercial"))
			p->use = PUSE_NONCOMMERCIAL;
		else if (!strcmp(value, "research"))
			p->use = PUSE_RESEARCH;
		else {
			snprintf(msg, msgsz, "--use takes commercial, noncommercial or research, not '%s'", value);
			return -1;
		}
	} else if (key_is(key, "distribution")) {
		if (!strcmp(value, "internal"))
			p->dist = PDIST_INTERNAL;
		else if (!strcmp(value, "hosted"))
			p->dist = PDIST_HOSTED;
		else if (!strcmp(value, "weights"))
			p->dist = PDIST_WEIGHTS;
		else {
			snprintf(msg, msgsz, "--distribution takes internal, hosted or weights, not '%s'", value);
			return -1;
		}
	} else if (key_is(key, "train-on-outputs")) {
		if (!strcmp(value, "true") || !strcmp(value, "yes"))
			p->train = 1;
		else if (!strcmp(value, "false") || !strcmp(value, "no"))
			p->train = 0;
		else {
			snprintf(msg, msgsz, "train_on_outputs takes true or false, not '%s'", value);
			return -1;
		}
	} else if (key_is(key, "jurisdiction")) {
		const char *s = value;
		for (;;) {
			const char *c = strchr(s, ',');
			size_t n = c ? (size_t)(c - s) : strlen(s);
			if (add_juris(p, s, n, msg, msgsz))
				return -1;
			if (!c)
				break;
			s = c + 1;
		}
	} else {
		snprintf(msg, msgsz, "unknown profile key '%s' (users, revenue, use, distribution, train_on_outputs, jurisdiction)", key);
		return -1;
	}
	return 0;
}

int profile_from_yaml(struct profile *p, const struct ynode *map, const char *file,
		      struct lt_error *err)
{
	char msg[256];

	if (!map || map->kind != Y_MAP)
		return lt_error_set(err, LT_EINVAL, file, map ? map->line : 0,
				    "%s:%d: 'profile' must be a map (users, revenue, use, distribution, "
				    "train_on_outputs, jurisdiction)", file, map ? map->line : 0);
	for (size_t i = 0; i < yx_count(map); i++) {
		const struct ynode *k = yx_key(map, i), *v = yx_val(map, i);
		const char *key = yx_str(k);
		int line = v ? v->line : k->line;

		if (!key)
			return lt_error_set(err, LT_EINVAL, file, k->line, "%s:%d: a profile key must be text",
					    file, k->line);
		if (key_is(key, "jurisdiction") && v && v->kind == Y_SEQ) {
			for (size_t j = 0; j < yx_count(v); j++) {
				const char *c = yx_str(yx_item(v, j));
				line = yx_item(v, j)->line;
				if (!c || profile_set(p, "jurisdiction", c, msg, sizeof(msg)))
					return lt_error_set(err, LT_EINVAL, file, line, "%s:%d: profile: %s", file,
							    line, c ? msg : "a jurisdiction must be a code");
			}
			continue;
		}
		if (!v || v->kind != Y_SCALAR || !yx_str(v))
			return lt_error_set(err, LT_EINVAL, file, line, "%s:%d: profile: '%s' needs a value",
					    file, line, key);
		if (profile_set(p, key, yx_str(v), msg, sizeof(msg)))
			return lt_error_set(err, LT_EINVAL, file, line, "%s:%d: profile: %s", file, line, msg);
	}
	return 0;
}

void profile_merge(struct profile *out, const struct profile *base, const struct profile *over)
{
	struct profile r = *base;

	if (over->has_users) {
		r.has_users = 1;
		r.users = over->users;
	}
	if (over->has_revenue) {
		r.has_revenue = 1;
		r.revenue = over->revenue;
	}
	if (over->use != PUSE_UNSET)
		r.use = over->use;
	if (over->dist != PDIST_UNSET)
		r.dist = over->dist;
	if (over->train >= 0)
		r.train = over->train;
	if (over->njuris) {
		memcpy(r.juris, over->juris, sizeof(r.juris));
		r.njuris = over->njuris;
	}
	*out = r;
}

int profile_in(const struct profile *p, const char *territory, char *who)
{
	for (size_t i = 0; i < p->njuris; i++)
		if (iso3166_within(p->juris[i], territory)) {
			if (who)
				memcpy(who, p->juris[i], strlen(p->juris[i]) + 1);
			return 1;
		}
	return 0;
}

void profile_fmt_count(unsigned long long v, char *out, size_t n)
{
	static const struct { unsigned long long div; const char *sfx; } u[] = {
		{ 1000000000ULL, "B" }, { 1000000ULL, "M" }, { 1000ULL, "K" },
	};

	/* exact, never rounded: a reason comparing 1.25M with 1.2M must not read 1.2M > 1.2M */
	for (size_t i = 0; i < sizeof(u) / sizeof(*u); i++) {
		if (v < u[i].div)
			continue;
		if (v % u[i].div == 0) {
			snprintf(out, n, "%llu%s", v / u[i].div, u[i].sfx);
			return;
		}
		if (v % (u[i].div / 10) == 0) {
			snprintf(out, n, "%llu.%llu%s", v / u[i].div, v % u[i].div / (u[i].div / 10), u[i].sfx);
			return;
		}
	}
	snprintf(out, n, "%llu", v);
}

void profile_juris_text(const struct profile *p, char *out, size_t n)
{
	size_t w = 0;

	if (n)
		out[0] = '\0';
	for (size_t i = 0; i < p->njuris && w < n; i++) {
		int k = snprintf(out + w, n - w, "%s%s", i ? ", " : "", p->juris[i]);
		if (k < 0)
			break;
		w += (size_t)k;
	}
}

void profile_describe(const struct profile *p, char *out, size_t n)
{
	char num[32], jt[PROFILE_MAX_JURIS * 4 + 1];
	size_t w;
	const char *use = profile_use_name(p->use), *dist = profile_dist_name(p->dist);

	/* "commercial hosted use", "research internal use", "commercial use with the
	 * weights published", "use" */
	snprintf(out, n, "%s%s%s%suse%s", use ? use : "", use ? " " : "",
		 dist && p->dist != PDIST_WEIGHTS ? dist : "", dist && p->dist != PDIST_WEIGHTS ? " " : "",
		 p->dist == PDIST_WEIGHTS ? " with the weights published" : "");
	w = strlen(out);
	profile_juris_text(p, jt, sizeof(jt));
	snprintf(out + w, n - w, " by an organisation%s%s", *jt ? " in " : "", jt);
	w = strlen(out);
	if (p->has_users) {
		profile_fmt_count(p->users, num, sizeof(num));
		snprintf(out + w, n - w, " with %s users", num);
		w = strlen(out);
	}
	if (p->has_revenue) {
		profile_fmt_count(p->revenue, num, sizeof(num));
		snprintf(out + w, n - w, "%s USD %s revenue", p->has_users ? " and" : " with", num);
		w = strlen(out);
	}
	if (p->train == 1)
		snprintf(out + w, n - w, ", training other models on the outputs");
}
