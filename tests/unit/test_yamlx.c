/* test_yamlx.c - the bounded YAML loader: shapes, lines, and hostile input. */
#include "tap.h"

#include "core/buf.h"
#include "core/err.h"
#include "yamlx/yamlx.h"

static struct ydoc *parse(const char *s, struct lt_error *err)
{
	struct ydoc *d = NULL;
	yx_parse(&d, s, strlen(s), NULL, "t.yaml", err);
	return d;
}

static void test_map_seq_scalars(void)
{
	struct lt_error err;
	struct ydoc *d = parse("license: apache-2.0\nbase_model:\n  - a/b\n  - c/d\nempty:\nq: \"null\"\n", &err);
	const struct ynode *r = yx_root(d);

	CHECK(d != NULL);
	CHECK_STR(yx_str(yx_get(r, "license")), "apache-2.0");
	CHECK_EQ_INT(yx_count(yx_get(r, "base_model")), 2);
	CHECK_STR(yx_str(yx_item(yx_get(r, "base_model"), 1)), "c/d");
	CHECK_EQ_INT(yx_item(yx_get(r, "base_model"), 1)->line, 4);
	CHECK(yx_str(yx_get(r, "empty")) == NULL);
	CHECK_STR(yx_str(yx_get(r, "q")), "null"); /* quoted stays a string */
	CHECK(yx_get(r, "missing") == NULL);
	yx_free(d);
}

static void test_line_offset(void)
{
	struct lt_error err;
	struct yx_limits lim;
	struct ydoc *d = NULL;
	const char *s = "a: 1\nb: 2\n";

	yx_default_limits(&lim);
	lim.line_offset = 10;
	CHECK_EQ_INT(yx_parse(&d, s, strlen(s), &lim, "x", &err), 0);
	CHECK_EQ_INT(yx_get(yx_root(d), "b")->line, 12);
	yx_free(d);
}

static void test_malformed(void)
{
	struct lt_error err;
	struct ydoc *d = parse("a: [1, 2\nb: {\n", &err);

	CHECK(d == NULL);
	CHECK_EQ_INT(err.code, LT_EPARSE);
	CHECK(strstr(err.message, "malformed yaml") != NULL);
}

static void test_alias_bomb_refused(void)
{
	struct buf b;
	struct lt_error err;
	struct ydoc *d = NULL;

	buf_init(&b, 1 << 20);
	buf_adds(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'k'; c++)
		buf_printf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c,
			   c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	CHECK_EQ_INT(yx_parse(&d, b.data, b.len, NULL, "bomb.yaml", &err), LT_ETOOBIG);
	CHECK(d == NULL);
	CHECK(strstr(err.message, "alias") != NULL);
	buf_release(&b);
}

static void test_small_alias_ok(void)
{
	struct lt_error err;
	struct ydoc *d = parse("base: &b {x: 1}\nother: *b\n", &err);

	CHECK(d != NULL);
	CHECK_STR(yx_str(yx_get(yx_get(yx_root(d), "other"), "x")), "1");
	yx_free(d);
}

static void test_depth_limit(void)
{
	struct buf b;
	struct lt_error err;
	struct ydoc *d = NULL;

	buf_init(&b, 1 << 20);
	for (int i = 0; i < 1000; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 1000; i++)
		buf_addc(&b, ']');
	CHECK_EQ_INT(yx_parse(&d, b.data, b.len, NULL, "deep.yaml", &err), LT_ETOOBIG);
	buf_release(&b);
}

static void test_byte_limit(void)
{
	struct lt_error err;
	struct yx_limits lim;
	struct ydoc *d = NULL;

	yx_default_limits(&lim);
	lim.max_bytes = 4;
	CHECK_EQ_INT(yx_parse(&d, "a: 12345", 8, &lim, "x", &err), LT_ETOOBIG);
}

static void test_unknown_alias(void)
{
	struct lt_error err;
	CHECK(parse("a: *nope\n", &err) == NULL);
}

static void test_uint_bool(void)
{
	struct lt_error err;
	struct ydoc *d = parse("n: 700_000_000\nb: yes\nx: 12a\n", &err);
	unsigned long long v = 0;

	CHECK_EQ_INT(yx_uint(yx_get(yx_root(d), "n"), &v), 0);
	CHECK(v == 700000000ULL);
	CHECK_EQ_INT(yx_bool(yx_get(yx_root(d), "b"), 0), 1);
	CHECK(yx_uint(yx_get(yx_root(d), "x"), &v) != 0);
	yx_free(d);
}

TESTS(T(map_seq_scalars), T(line_offset), T(malformed), T(alias_bomb_refused), T(small_alias_ok),
      T(depth_limit), T(byte_limit), T(unknown_alias), T(uint_bool))
