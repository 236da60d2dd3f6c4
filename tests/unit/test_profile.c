/* test_profile.c - the organisation's profile: flags, policy YAML, merging. */
#include "tap.h"
#include "core/err.h"
#include "profile/profile.h"
#include "yamlx/yamlx.h"

static int set(struct profile *p, const char *k, const char *v)
{
	char msg[256];
	return profile_set(p, k, v, msg, sizeof(msg));
}

static void test_numbers(void)
{
	struct profile p;

	profile_init(&p);
	CHECK(!profile_given(&p));
	CHECK_EQ_INT(set(&p, "users", "40M"), 0);
	CHECK(p.has_users && p.users == 40000000ULL);
	CHECK_EQ_INT(set(&p, "users", "700000001"), 0);
	CHECK(p.users == 700000001ULL);
	CHECK_EQ_INT(set(&p, "revenue", "200m"), 0);
	CHECK(p.revenue == 200000000ULL);
	CHECK_EQ_INT(set(&p, "revenue", "3B"), 0);
	CHECK(p.revenue == 3000000000ULL);
	CHECK(profile_given(&p));
	/* strict: no sign, no blanks, no decimals, no unknown suffix, no overflow */
	CHECK_EQ_INT(set(&p, "users", "-5"), -1);
	CHECK_EQ_INT(set(&p, "users", " 5"), -1);
	CHECK_EQ_INT(set(&p, "users", "5 "), -1);
	CHECK_EQ_INT(set(&p, "users", "1.5M"), -1);
	CHECK_EQ_INT(set(&p, "users", "40MM"), -1);
	CHECK_EQ_INT(set(&p, "users", "40X"), -1);
	CHECK_EQ_INT(set(&p, "users", ""), -1);
	CHECK_EQ_INT(set(&p, "users", "101B"), -1);
	CHECK_EQ_INT(set(&p, "revenue", "99999999999999999999999"), -1);
	CHECK(p.users == 700000001ULL); /* a refused value changes nothing */
}

static void test_words(void)
{
	struct profile p;
	char msg[256];

	profile_init(&p);
	CHECK_EQ_INT(set(&p, "use", "commercial"), 0);
	CHECK_EQ_INT(p.use, PUSE_COMMERCIAL);
	CHECK_EQ_INT(set(&p, "use", "research"), 0);
	CHECK_EQ_INT(p.use, PUSE_RESEARCH);
	CHECK_EQ_INT(set(&p, "use", "Commercial"), -1);
	CHECK_EQ_INT(set(&p, "distribution", "weights"), 0);
	CHECK_EQ_INT(p.dist, PDIST_WEIGHTS);
	CHECK_EQ_INT(profile_set(&p, "distribution", "public", msg, sizeof(msg)), -1);
	CHECK(strstr(msg, "internal, hosted or weights") != NULL);
	CHECK_EQ_INT(set(&p, "train_on_outputs", "true"), 0);
	CHECK_EQ_INT(p.train, 1);
	CHECK_EQ_INT(set(&p, "train-on-outputs", "no"), 0);
	CHECK_EQ_INT(p.train, 0);
	CHECK_EQ_INT(set(&p, "train-on-outputs", "maybe"), -1);
	CHECK_EQ_INT(profile_set(&p, "size", "1", msg, sizeof(msg)), -1);
	CHECK(strstr(msg, "unknown profile key 'size'") != NULL);
}

static void test_jurisdictions(void)
{
	struct profile p;
	char who[4] = "", t[80];

	profile_init(&p);
	CHECK_EQ_INT(set(&p, "jurisdiction", "de,kr"), 0);
	CHECK(!profile_given(&p)); /* a jurisdiction alone asks no question */
	CHECK_EQ_INT(set(&p, "jurisdiction", "US"), 0);
	CHECK_EQ_INT(set(&p, "jurisdiction", "DE"), 0); /* once each */
	CHECK_EQ_INT(p.njuris, 3);
	profile_juris_text(&p, t, sizeof(t));
	CHECK_STR(t, "DE, KR, US");
	/* a country implies its unions */
	CHECK(profile_in(&p, "EU", who));
	CHECK_STR(who, "DE");
	CHECK(profile_in(&p, "EEA", NULL));
	CHECK(profile_in(&p, "KR", who));
	CHECK_STR(who, "KR");
	CHECK(!profile_in(&p, "UK", NULL));
	CHECK(!profile_in(&p, "CN", NULL));
	CHECK_EQ_INT(set(&p, "jurisdiction", "XX"), -1);
	CHECK_EQ_INT(set(&p, "jurisdiction", "DE,"), -1);
	CHECK_EQ_INT(set(&p, "jurisdiction", "DEU"), -1);
	CHECK_EQ_INT(set(&p, "jurisdiction", ""), -1);
}

static int load(struct profile *p, const char *yaml, struct lt_error *err)
{
	struct ydoc *d = NULL;
	int rc;

	profile_init(p);
	if (yx_parse(&d, yaml, strlen(yaml), NULL, "policy.yaml", err))
		return -99;
	rc = profile_from_yaml(p, yx_get(yx_root(d), "profile"), "policy.yaml", err);
	yx_free(d);
	return rc;
}

static void test_yaml(void)
{
	struct profile p;
	struct lt_error err;

	CHECK_EQ_INT(load(&p, "profile:\n  users: 40M\n  revenue: 200000000\n  use: commercial\n"
			      "  distribution: hosted\n  train_on_outputs: false\n  jurisdiction: [DE, kr]\n",
			  &err), 0);
	CHECK(p.users == 40000000ULL && p.revenue == 200000000ULL);
	CHECK_EQ_INT(p.use, PUSE_COMMERCIAL);
	CHECK_EQ_INT(p.dist, PDIST_HOSTED);
	CHECK_EQ_INT(p.train, 0);
	CHECK_EQ_INT(p.njuris, 2);
	CHECK_EQ_INT(load(&p, "profile:\n  jurisdiction: DE,FR\n", &err), 0);
	CHECK_EQ_INT(p.njuris, 2);
	CHECK_EQ_INT(load(&p, "profile:\n  users: lots\n", &err), LT_EINVAL);
	CHECK(strstr(err.message, "'lots'") != NULL);
	CHECK_EQ_INT(err.line, 2);
	CHECK_EQ_INT(load(&p, "profile:\n  seats: 5\n", &err), LT_EINVAL);
	CHECK(strstr(err.message, "seats") != NULL);
	CHECK_EQ_INT(load(&p, "profile: [a]\n", &err), LT_EINVAL);
	CHECK_EQ_INT(load(&p, "profile:\n  users:\n", &err), LT_EINVAL);
	CHECK_EQ_INT(load(&p, "profile:\n  jurisdiction: [DE, [x]]\n", &err), LT_EINVAL);
}

static void test_merge_and_describe(void)
{
	struct profile file, flags, p;
	char d[256];

	profile_init(&file);
	profile_init(&flags);
	set(&file, "users", "40M");
	set(&file, "use", "research");
	set(&file, "jurisdiction", "US");
	set(&flags, "use", "commercial");
	set(&flags, "distribution", "hosted");
	set(&flags, "jurisdiction", "DE");
	profile_merge(&p, &file, &flags);
	CHECK(p.has_users && p.users == 40000000ULL); /* kept from the file */
	CHECK_EQ_INT(p.use, PUSE_COMMERCIAL);         /* the flag wins */
	CHECK_EQ_INT(p.njuris, 1);
	CHECK_STR(p.juris[0], "DE");
	profile_describe(&p, d, sizeof(d));
	CHECK_STR(d, "commercial hosted use by an organisation in DE with 40M users");
	set(&p, "revenue", "1500000");
	set(&p, "train-on-outputs", "true");
	profile_describe(&p, d, sizeof(d));
	CHECK_STR(d, "commercial hosted use by an organisation in DE with 40M users and USD 1.5M revenue, "
		     "training other models on the outputs");
}

static void test_fmt_count(void)
{
	static const struct { unsigned long long v; const char *s; } c[] = {
		{ 0, "0" }, { 700, "700" }, { 1000, "1K" }, { 40000000ULL, "40M" }, { 700000000ULL, "700M" },
		{ 1500000ULL, "1.5M" }, { 1250000ULL, "1250K" }, { 1234567ULL, "1234567" },
		{ 2000000000ULL, "2B" }, { 2500000000ULL, "2.5B" },
	};
	char out[32];

	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		profile_fmt_count(c[i].v, out, sizeof(out));
		CHECK_STR(out, c[i].s);
	}
}

TESTS(T(numbers), T(fmt_count), T(words), T(jurisdictions), T(yaml), T(merge_and_describe))
