/* test_fix.c - the fix module: unified diffs (checked against what `diff -u`
 * prints for the same inputs), textual front matter edits that keep the user's
 * lines and comments, and writes that refuse links, names that leave the folder
 * and files changed since they were read. */
#include "tap.h"

#include "core/buf.h"
#include "core/err.h"
#include "evidence/card.h"
#include "fix/apply.h"
#include "fix/diff.h"
#include "fix/frontmatter.h"
#include "fix/plan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char *diff_of(const char *path, const char *old, const char *new_text)
{
	struct buf b;
	size_t n;

	buf_init(&b, 1 << 20);
	CHECK_EQ_INT(fix_diff(&b, path, old, old ? strlen(old) : 0, new_text, strlen(new_text)), 0);
	buf_cstr(&b);
	return buf_detach(&b, &n);
}

static void test_diff_new_file(void)
{
	char *d = diff_of("NOTICE", NULL, "one\ntwo\n");
	CHECK_STR(d, "--- /dev/null\n+++ b/NOTICE\n@@ -0,0 +1,2 @@\n+one\n+two\n");
	free(d);
	d = diff_of("N", NULL, "only");
	CHECK_STR(d, "--- /dev/null\n+++ b/N\n@@ -0,0 +1 @@\n+only\n\\ No newline at end of file\n");
	free(d);
}

static void test_diff_same_is_empty(void)
{
	char *d = diff_of("README.md", "a\nb\n", "a\nb\n");
	CHECK(d == NULL || !*d);
	free(d);
}

static void test_diff_append(void)
{
	/* diff -u of "1..5" against "1..5 + blank + x" */
	char *d = diff_of("README.md", "1\n2\n3\n4\n5\n", "1\n2\n3\n4\n5\n\nx\n");
	CHECK_STR(d, "--- a/README.md\n+++ b/README.md\n@@ -3,3 +3,5 @@\n 3\n 4\n 5\n+\n+x\n");
	free(d);
}

static void test_diff_replace_and_two_hunks(void)
{
	const char *old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n";
	const char *new_text = "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n";
	char *d = diff_of("F", old, new_text);
	CHECK_STR(d, "--- a/F\n+++ b/F\n"
		     "@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n"
		     "@@ -11,3 +11,4 @@\n k\n l\n m\n+n\n");
	free(d);
	/* changes within six lines of each other share one hunk */
	d = diff_of("F", "1\n2\n3\n4\n5\n6\n", "0\n1\n2\n3\n4\n5\n6\n9\n");
	CHECK_STR(d, "--- a/F\n+++ b/F\n@@ -1,6 +1,8 @@\n+0\n 1\n 2\n 3\n 4\n 5\n 6\n+9\n");
	free(d);
	/* eight lines apart: two hunks */
	d = diff_of("F", "1\n2\n3\n4\n5\n6\n7\n8\n", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n");
	CHECK_STR(d, "--- a/F\n+++ b/F\n@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n@@ -6,3 +7,4 @@\n 6\n 7\n 8\n+9\n");
	free(d);
}

static void test_diff_newline_at_end(void)
{
	char *d = diff_of("F", "a\nb", "a\nb\nc\n");
	CHECK_STR(d, "--- a/F\n+++ b/F\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n");
	free(d);
}

static void test_diff_delete_all(void)
{
	char *d = diff_of("F", "x\ny\n", "");
	CHECK_STR(d, "--- a/F\n+++ b/F\n@@ -1,2 +0,0 @@\n-x\n-y\n");
	free(d);
}

/* Apply a unified diff made by fix_diff to old, as patch(1) would; the result,
 * or NULL when the diff does not fit old (a context or deleted line that is not
 * there, or lines out of order). */
static char *patch_apply(const char *old, const char *d)
{
	const char *ol[64];
	size_t oll[64], no = 0, pos = 0, n;
	struct buf out;
	const char *p;
	char last = 0;

	for (const char *q = old; *q && no < 64;) {
		size_t len = strcspn(q, "\n");
		ol[no] = q;
		oll[no++] = len; /* without the newline */
		q += len + (q[len] == '\n');
	}
	buf_init(&out, 1 << 20);
	p = strchr(d, '\n');
	p = p ? strchr(p + 1, '\n') : NULL; /* past the --- and +++ lines */
	for (p = p ? p + 1 : NULL; p && *p;) {
		size_t len = strcspn(p, "\n");
		if (!strncmp(p, "@@ -", 4)) {
			unsigned long a = strtoul(p + 4, NULL, 10), cnt = 1, start;
			const char *comma = p + 4 + strspn(p + 4, "0123456789");
			if (*comma == ',')
				cnt = strtoul(comma + 1, NULL, 10);
			start = cnt ? a - 1 : a;
			if (start < pos || start > no)
				goto fail;
			for (; pos < start; pos++) {
				buf_add(&out, ol[pos], oll[pos]);
				buf_addc(&out, '\n');
			}
		} else if (p[0] == ' ' || p[0] == '-') {
			if (pos >= no || oll[pos] != len - 1 || strncmp(ol[pos], p + 1, len - 1))
				goto fail;
			if (p[0] == ' ') {
				buf_add(&out, p + 1, len - 1);
				buf_addc(&out, '\n');
			}
			pos++;
			last = p[0];
		} else if (p[0] == '+') {
			buf_add(&out, p + 1, len - 1);
			buf_addc(&out, '\n');
			last = '+';
		} else if (p[0] == '\\') {
			if (last != '-')
				buf_truncate(&out, out.len - 1);
		} else {
			goto fail;
		}
		p += len + (p[len] == '\n');
	}
	for (; pos < no; pos++) {
		buf_add(&out, ol[pos], oll[pos]);
		buf_addc(&out, '\n');
	}
	/* an old text without its final newline, copied through unchanged */
	if (*old && old[strlen(old) - 1] != '\n' && last != '-' && last != '+' && out.len &&
	    !strstr(d, "\\ No newline"))
		buf_truncate(&out, out.len - 1);
	buf_cstr(&out);
	return buf_detach(&out, &n);
fail:
	buf_release(&out);
	return NULL;
}

/* Random texts from a small alphabet of lines (many equal lines: the hard case),
 * with and without a final newline: every diff applies back to the new text. */
static void test_diff_round_trips(void)
{
	unsigned seed = 12345;
	int bad = 0;

	for (int round = 0; round < 400; round++) {
		char a[512], b[512];
		size_t al = 0, bl = 0;
		int na, nb;
		char *d, *got;
		seed = seed * 1103515245u + 12345u;
		na = (int)(seed >> 16) % 30;
		seed = seed * 1103515245u + 12345u;
		nb = (int)(seed >> 16) % 30;
		for (int i = 0; i < na; i++) {
			seed = seed * 1103515245u + 12345u;
			al += (size_t)snprintf(a + al, sizeof(a) - al, "%c\n", 'a' + (int)((seed >> 16) % 4));
		}
		for (int i = 0; i < nb; i++) {
			seed = seed * 1103515245u + 12345u;
			bl += (size_t)snprintf(b + bl, sizeof(b) - bl, "%c\n", 'a' + (int)((seed >> 16) % 4));
		}
		if (round % 3 == 1 && al)
			a[--al] = '\0';
		if (round % 5 == 2 && bl)
			b[--bl] = '\0';
		d = diff_of("F", a, b);
		got = d && *d ? patch_apply(a, d) : strdup(a);
		if (!got || strcmp(got, b)) {
			if (!bad++)
				fprintf(stderr, "  old:\n%s\n  new:\n%s\n  diff:\n%s\n", a, b, d ? d : "");
		}
		free(got);
		free(d);
	}
	CHECK_EQ_INT(bad, 0);
}

static char *fm(const char *text, const struct fm_kv *kv, size_t n, int *rc)
{
	struct buf b;
	struct lt_error err;
	size_t len;

	buf_init(&b, 1 << 20);
	*rc = fm_set(&b, text, strlen(text), kv, n, &err);
	buf_cstr(&b);
	return buf_detach(&b, &len);
}

static void test_frontmatter_keeps_comments(void)
{
	const char *lic[] = { "llama3.1" };
	const char *bases[] = { "org/a", "org/b" };
	struct fm_kv kv[] = { { "license", lic, 1 }, { "base_model", bases, 2 } };
	int rc;
	char *out = fm("---\n# top comment\nlicense: apache-2.0  # legal said so\ntags:\n  - x   # why\n"
		       "base_model:\n  - old/one\n  # keep me\n  - old/two\n---\nbody\n",
		       kv, 2, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK_STR(out, "---\n# top comment\nlicense: llama3.1  # legal said so\ntags:\n  - x   # why\n"
		       "base_model:\n- org/a\n- org/b\n  # keep me\n---\nbody\n");
	free(out);
}

/* A key given twice: the last is replaced and the earlier one goes with its
 * value, so the fixed card has one (card-duplicate-key no longer fires); its
 * comment lines and the keys around it stay. */
static void test_frontmatter_drops_earlier_duplicates(void)
{
	const char *lic[] = { "llama3.1" };
	struct fm_kv kv[] = { { "license", lic, 1 } };
	struct card *c = NULL;
	struct lt_error err;
	int rc;
	char *out = fm("---\nlicense:\n  - mit\n  # from the template\nlanguage: en\nlicense: apache-2.0\n"
		       "tags: [license]\n---\nlicense: in the body stays\n",
		       kv, 1, &rc);

	CHECK_EQ_INT(rc, 0);
	CHECK_STR(out, "---\n  # from the template\nlanguage: en\nlicense: llama3.1\ntags: [license]\n"
		       "---\nlicense: in the body stays\n");
	CHECK_EQ_INT(card_parse(&c, "README.md", out, strlen(out), &err), 0);
	CHECK(c && !c->fm_error && c->ndups == 0 && c->nlicenses == 1);
	card_free(c);
	free(out);
}

static void test_frontmatter_adds_and_quotes(void)
{
	const char *other[] = { "other" }, *name[] = { "qwen" }, *link[] = { "LICENSE: x" };
	struct fm_kv kv[] = { { "license", other, 1 }, { "license_name", name, 1 }, { "license_link", link, 1 } };
	struct card *c = NULL;
	struct lt_error err;
	int rc;
	char *out = fm("---\nlanguage: en\n---\n\n# t\n", kv, 3, &rc);

	CHECK_EQ_INT(rc, 0);
	CHECK_STR(out, "---\nlanguage: en\nlicense: other\nlicense_name: qwen\nlicense_link: \"LICENSE: x\"\n---\n\n# t\n");
	CHECK_EQ_INT(card_parse(&c, "README.md", out, strlen(out), &err), 0);
	CHECK(c && !c->fm_error && c->license_link.value && !strcmp(c->license_link.value, "LICENSE: x"));
	card_free(c);
	free(out);
	/* no front matter: one goes on top, the text stays below it */
	out = fm("# Title\n", kv, 1, &rc);
	CHECK_STR(out, "---\nlicense: other\n---\n\n# Title\n");
	free(out);
	/* CRLF cards get CRLF lines */
	out = fm("---\r\nlicense: mit\r\n---\r\nx\r\n", kv, 1, &rc);
	CHECK_STR(out, "---\r\nlicense: other\r\n---\r\nx\r\n");
	free(out);
}

static void test_frontmatter_refuses(void)
{
	const char *v[] = { "x" }, *bad[] = { "a\nb" };
	struct fm_kv kv[] = { { "license", v, 1 } }, kb[] = { { "license", bad, 1 } };
	int rc;
	char *out = fm("---\nlicense: mit\n", kv, 1, &rc); /* no closing line */
	CHECK_EQ_INT(rc, LT_EPARSE);
	free(out);
	out = fm("---\nlicense: mit\n---\n", kb, 1, &rc);
	CHECK_EQ_INT(rc, LT_EPARSE);
	free(out);
	out = fm("---\rlicense: mit\r---\r", kv, 1, &rc);
	CHECK_EQ_INT(rc, LT_EPARSE);
	free(out);
}

static char tmpdir[64];

static void mkfile(const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	f = fopen(p, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static char *slurp(const char *name)
{
	struct buf b;
	struct lt_error err;
	size_t n;

	buf_init(&b, 1 << 20);
	if (fix_read_dir(tmpdir, name, &b, &err)) {
		buf_release(&b);
		return NULL;
	}
	buf_cstr(&b);
	return buf_detach(&b, &n);
}

static void test_apply_writes_and_refuses(void)
{
	struct fix_change ch[2];
	struct fix_plan p;
	struct lt_error err;
	char link[300], *t;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/lt-test-fix-XXXXXX");
	CHECK(mkdtemp(tmpdir) != NULL);
	mkfile("NOTICE", "mine\n");
	memset(&p, 0, sizeof(p));
	memset(ch, 0, sizeof(ch));
	ch[0] = (struct fix_change){ (char *)"NOTICE", (char *)"mine\n", 5, (char *)"mine\n\nS\n", 8, NULL };
	ch[1] = (struct fix_change){ (char *)"LICENSE", NULL, 0, (char *)"text\n", 5, NULL };
	p.changes = ch;
	p.nchanges = 2;
	CHECK_EQ_INT(fix_apply(tmpdir, &p, &err), 0);
	t = slurp("NOTICE");
	CHECK_STR(t, "mine\n\nS\n");
	free(t);
	t = slurp("LICENSE");
	CHECK_STR(t, "text\n");
	free(t);

	/* the NOTICE changed meanwhile: nothing is written, not even the new file */
	mkfile("NOTICE", "edited\n");
	unlink((snprintf(link, sizeof(link), "%s/LICENSE", tmpdir), link));
	CHECK_EQ_INT(fix_apply(tmpdir, &p, &err), LT_EUNSAFE);
	CHECK(access(link, F_OK) != 0);

	/* a link is neither read nor written through */
	mkfile("target", "outside\n");
	snprintf(link, sizeof(link), "%s/NOTICE", tmpdir);
	unlink(link);
	CHECK_EQ_INT(symlink("target", link), 0);
	ch[0].old = (char *)"outside\n";
	ch[0].old_len = 8;
	p.nchanges = 1;
	CHECK_EQ_INT(fix_apply(tmpdir, &p, &err), LT_EUNSAFE);
	CHECK(strstr(err.message, "symbolic link") != NULL);
	t = slurp("target");
	CHECK_STR(t, "outside\n");
	free(t);
	CHECK(slurp("NOTICE") == NULL);

	/* names that leave the folder */
	ch[0] = (struct fix_change){ (char *)"../escape", NULL, 0, (char *)"x", 1, NULL };
	CHECK_EQ_INT(fix_apply(tmpdir, &p, &err), LT_EUNSAFE);
	ch[0].path = (char *)"..";
	CHECK_EQ_INT(fix_apply(tmpdir, &p, &err), LT_EUNSAFE);

	unlink(link);
	snprintf(link, sizeof(link), "%s/target", tmpdir);
	unlink(link);
	snprintf(link, sizeof(link), "%s/LICENSE", tmpdir);
	unlink(link);
	rmdir(tmpdir);
}

static void test_resolves(void)
{
	CHECK(fix_resolves("missing-notice"));
	CHECK(fix_resolves("missing-license-copy"));
	CHECK(fix_resolves("relicensed-restricted-base"));
	CHECK(!fix_resolves("name-prefix"));
	CHECK(!fix_resolves("attribution-required"));
}

TESTS(T(diff_new_file), T(diff_same_is_empty), T(diff_append), T(diff_replace_and_two_hunks),
      T(diff_newline_at_end), T(diff_delete_all), T(diff_round_trips), T(frontmatter_keeps_comments),
      T(frontmatter_drops_earlier_duplicates), T(frontmatter_adds_and_quotes), T(frontmatter_refuses),
      T(apply_writes_and_refuses),
      T(resolves))
