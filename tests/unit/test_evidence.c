/*
 * test_evidence.c - the evidence readers: model cards, JSON configs, mergekit
 * configs, GGUF and safetensors headers; real shapes, line numbers, and hostile
 * input (which must give a clear error, in bounded time and memory, never a
 * crash). GGUF and safetensors files are written by the helpers below into a
 * temporary folder, so the repository holds no large or broken binaries.
 */
#include "tap.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/limits.h"
#include "core/str.h"
#include "evidence/card.h"
#include "evidence/gguf.h"
#include "evidence/jsoncfg.h"
#include "evidence/mergekit.h"
#include "evidence/safetensors.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FIX LT_SOURCE_DIR "/fixtures/"

/* ---- helpers ------------------------------------------------------------ */

static int slurp(struct buf *b, const char *path)
{
	struct lt_error err;
	buf_init(b, 64u * 1024u * 1024u);
	return lt_read_file(b, path, 64u * 1024u * 1024u, &err);
}

static struct card *card_file(const char *rel)
{
	struct buf b;
	struct card *c = NULL;
	struct lt_error err;
	char path[512];

	snprintf(path, sizeof(path), FIX "cards/%s", rel);
	if (slurp(&b, path) != 0) {
		fprintf(stderr, "  cannot read %s\n", path);
		buf_release(&b);
		return NULL;
	}
	if (card_parse(&c, rel, buf_cstr(&b), b.len, &err) != 0)
		fprintf(stderr, "  card_parse(%s): %s\n", rel, err.message);
	buf_release(&b);
	return c;
}

static struct card *card_str(const char *s)
{
	struct card *c = NULL;
	struct lt_error err;

	if (card_parse(&c, "README.md", s, strlen(s), &err) != 0)
		fprintf(stderr, "  card_parse: %s\n", err.message);
	return c;
}

/* A private temporary folder, removed by tmp_done(). */
static char tmpdir_[256];

static const char *tmp_path(const char *name)
{
	static char p[512];

	if (!tmpdir_[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(tmpdir_, sizeof(tmpdir_), "%s/lt-evidence-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(tmpdir_)) {
			tmpdir_[0] = '\0';
			return NULL;
		}
	}
	snprintf(p, sizeof(p), "%s/%s", tmpdir_, name);
	return p;
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Deterministic pseudo-random numbers for the mutation loops. */
static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

/* Item i of a card array, or NULL / 0 when the array is shorter (so a failing
 * check reports instead of crashing). */
static const char *cv_value(const struct card_value *v, size_t n, size_t i)
{
	return i < n ? v[i].value : NULL;
}

static int cv_line(const struct card_value *v, size_t n, size_t i)
{
	return i < n ? v[i].line : 0;
}

/* ---- cards -------------------------------------------------------------- */

static void test_card_scalar_license(void)
{
	struct card *c = card_file("scalar-license.md");
	const char *id = NULL;
	char *rel = NULL, *pid = NULL;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_INT(c->has_front_matter, 1);
	CHECK(c->fm_error == NULL);
	CHECK_EQ_INT(c->fm_first_line, 2);
	CHECK_EQ_INT(c->nlicenses, 1);
	CHECK_STR(cv_value(c->licenses, c->nlicenses, 0), "apache-2.0");
	CHECK_EQ_INT(cv_line(c->licenses, c->nlicenses, 0), 4);
	CHECK_EQ_INT(c->licence_misspelt, 0);
	CHECK_STR(c->library_name.value, "transformers");
	CHECK_EQ_INT(c->library_name.line, 5);
	CHECK_EQ_INT(c->base_model_key, 1);
	CHECK_EQ_INT(c->nbase_models, 1);
	CHECK_STR(cv_value(c->base_models, c->nbase_models, 0), "acme-labs/tinyfox-1b");
	CHECK_EQ_INT(cv_line(c->base_models, c->nbase_models, 0), 6);
	CHECK_STR(c->base_model_relation.value, "finetune");
	CHECK_EQ_INT(c->base_model_relation.line, 7);
	CHECK_EQ_INT(c->ndatasets, 1);
	CHECK_STR(cv_value(c->datasets, c->ndatasets, 0), "acme-labs/kitchen-recipes");
	CHECK_EQ_INT(c->ntags, 4);
	CHECK_STR(cv_value(c->tags, c->ntags, 3), "2024"); /* a number kept as text */
	CHECK_EQ_INT(cv_line(c->tags, c->ntags, 1), 11);
	CHECK_STR(c->new_version.value, "acme-labs/tinyfox-1b-chef-v2");
	CHECK(c->license_name.value == NULL);
	CHECK_EQ_INT(c->license_name.line, 0);
	CHECK_EQ_INT(c->body_line, 17);
	CHECK(c->body_len > 0 && strncmp(c->body, "\n# tinyfox-1b-chef", 18) == 0);
	CHECK_EQ_INT(card_tag_license(cv_value(c->tags, c->ntags, 1), &id), 1);
	CHECK_STR(id, "apache-2.0");
	CHECK_EQ_INT(card_tag_base_model(cv_value(c->tags, c->ntags, 2), &rel, &pid), 1);
	CHECK_STR(rel, "finetune");
	CHECK_STR(pid, "acme-labs/tinyfox-1b");
	free(rel);
	free(pid);
	card_free(c);
}

static void test_card_list_license(void)
{
	struct card *c = card_file("list-license-merge.md");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_INT(c->nlicenses, 2);
	CHECK_STR(cv_value(c->licenses, c->nlicenses, 0), "mit");
	CHECK_EQ_INT(cv_line(c->licenses, c->nlicenses, 0), 3);
	CHECK_STR(cv_value(c->licenses, c->nlicenses, 1), "apache-2.0");
	CHECK_EQ_INT(cv_line(c->licenses, c->nlicenses, 1), 4);
	CHECK_EQ_INT(c->nbase_models, 3);
	CHECK_STR(cv_value(c->base_models, c->nbase_models, 1), "southwind/beta-7b");
	CHECK_EQ_INT(cv_line(c->base_models, c->nbase_models, 1), 7);
	CHECK_STR(cv_value(c->base_models, c->nbase_models, 2), "northwind/alpha-7b@3f2a9c1");
	CHECK_EQ_INT(c->ntags, 2);
	CHECK_STR(cv_value(c->tags, c->ntags, 1), "mergekit");
	CHECK_EQ_INT(c->ndatasets, 2);
	CHECK_STR(cv_value(c->datasets, c->ndatasets, 1), "42");
	CHECK_EQ_INT(c->body_line, 15);
	card_free(c);
}

/* A license or lineage key given twice: the last counts, as the Hub reads it,
 * and the repetition is kept with both lines; other keys may repeat freely. */
static void test_card_duplicate_keys(void)
{
	struct card *c = card_str("---\nlicense: apache-2.0\ntags: [a]\nbase_model: org/a\n"
				  "tags: [b]\nlicense: llama3.1\nbase_model: org/b\n"
				  "license: mit\n---\n");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_INT(c->nlicenses, 1);
	CHECK_STR(cv_value(c->licenses, c->nlicenses, 0), "mit");
	CHECK_STR(cv_value(c->base_models, c->nbase_models, 0), "org/b");
	CHECK_EQ_INT(c->ndups, 2);
	if (c->ndups == 2) {
		CHECK_STR(c->dups[0].key, "license");
		CHECK_EQ_INT(c->dups[0].first_line, 2);
		CHECK_EQ_INT(c->dups[0].line, 8); /* the third one, the one that counts */
		CHECK_STR(c->dups[1].key, "base_model");
		CHECK_EQ_INT(c->dups[1].first_line, 4);
		CHECK_EQ_INT(c->dups[1].line, 7);
	}
	card_free(c);
	c = card_str("---\nlicense: mit\nlicence: mit\nlicense_name: x\n---\n");
	CHECK(c && c->ndups == 0); /* different keys, none repeated */
	card_free(c);
}

static void test_card_licence_misspelt(void)
{
	struct card *c = card_file("licence-misspelt.md");
	char *rel = NULL, *pid = NULL;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_INT(c->licence_misspelt, 1);
	CHECK_EQ_INT(c->nlicenses, 1);
	CHECK_STR(cv_value(c->licenses, c->nlicenses, 0), "license");
	CHECK_EQ_INT(cv_line(c->licenses, c->nlicenses, 0), 9);
	CHECK_STR(cv_value(c->base_models, c->nbase_models, 0), "placeholder-org/base-llm-7b");
	CHECK_STR(c->library_name.value, "peft");
	CHECK_STR(c->model_name.value, "my_adapter");
	CHECK_EQ_INT(card_tag_base_model(cv_value(c->tags, c->ntags, 0), &rel, &pid), 1);
	CHECK_STR(rel, "adapter");
	CHECK_STR(pid, "placeholder-org/base-llm-7b");
	free(rel);
	free(pid);
	card_free(c);

	/* both keys: the correct one wins and nothing is flagged */
	c = card_str("---\nlicence: mit\nlicense: apache-2.0\n---\n");
	CHECK(c && c->nlicenses == 1 && c->licence_misspelt == 0);
	if (c)
		CHECK_STR(cv_value(c->licenses, c->nlicenses, 0), "apache-2.0");
	card_free(c);
}

static void test_card_other_gated(void)
{
	struct card *c = card_file("other-gated.md");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_STR(cv_value(c->licenses, c->nlicenses, 0), "other");
	CHECK_STR(c->license_name.value, "tinyfox-community-license");
	CHECK_EQ_INT(c->license_name.line, 3);
	CHECK_STR(c->license_link.value, "LICENSE.md");
	CHECK_EQ_INT(c->extra_gated_eu_disallowed, 1);
	CHECK(c->extra_gated_prompt.value &&
	      lt_starts_with(c->extra_gated_prompt.value, "By clicking below you agree"));
	CHECK(c->extra_gated_prompt.value && strstr(c->extra_gated_prompt.value, "harm others.\n"));
	CHECK_EQ_INT(c->extra_gated_prompt.line, 7); /* the text, below its '|' header */
	CHECK_STR(c->quantized_by.value, "someone-quantizes");
	CHECK_STR(c->model_creator.value, "Acme Labs");
	CHECK_STR(c->model_name.value, "TinyFox 1B");
	CHECK_EQ_INT(c->base_model_key, 0);
	CHECK_EQ_INT(c->nbase_models, 0);
	card_free(c);
}

static void test_card_nested_base_model_ignored(void)
{
	struct card *c = card_file("nested-base-model.md");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_INT(c->nbase_models, 1);
	CHECK_STR(cv_value(c->base_models, c->nbase_models, 0), "acme-labs/tinyfox-1b");
	CHECK_EQ_INT(cv_line(c->base_models, c->nbase_models, 0), 11);
	card_free(c);

	c = card_str("---\nlicense: mit\nlm_studio:\n  base_model: Fox\nextra:\n  - base_model: x/y\n---\n");
	CHECK(c && c->base_model_key == 0 && c->nbase_models == 0);
	card_free(c);
}

static void test_card_empty_base_model(void)
{
	struct card *c = card_file("empty-base-model.md");

	CHECK(c && c->base_model_key == 1 && c->nbase_models == 0 && c->base_models == NULL);
	card_free(c);
	c = card_str("---\nbase_model:\n---\n");
	CHECK(c && c->base_model_key == 1 && c->nbase_models == 0);
	card_free(c);
	c = card_str("---\nbase_model: \"\"\nlicense: [~, null]\n---\n");
	CHECK(c && c->base_model_key == 1 && c->nbase_models == 0 && c->nlicenses == 0);
	card_free(c);
}

static void test_card_bom_and_blank_lines(void)
{
	struct card *c = card_file("bom-blank-lines.md");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_INT(c->has_front_matter, 1);
	CHECK_EQ_INT(c->fm_first_line, 5);
	CHECK_STR(cv_value(c->licenses, c->nlicenses, 0), "cc-by-4.0");
	CHECK_EQ_INT(cv_line(c->licenses, c->nlicenses, 0), 5);
	CHECK_EQ_INT(cv_line(c->base_models, c->nbase_models, 0), 6);
	CHECK_EQ_INT(c->body_line, 8);
	CHECK(c->body_len == 18 && memcmp(c->body, "Body starts here.\n", 18) == 0);
	card_free(c);
}

static void test_card_crlf_and_cr(void)
{
	struct card *c = card_file("crlf.md");
	struct card_value pv = { 0 };

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(c->fm_error == NULL);
	CHECK_STR(cv_value(c->licenses, c->nlicenses, 0), "mit");
	CHECK_EQ_INT(cv_line(c->licenses, c->nlicenses, 0), 2);
	CHECK_STR(cv_value(c->base_models, c->nbase_models, 0), "acme-labs/tinyfox-1b");
	CHECK_EQ_INT(cv_line(c->base_models, c->nbase_models, 0), 4);
	CHECK_EQ_INT(c->body_line, 6); /* the closing line had trailing spaces */
	CHECK_EQ_INT(card_prose_license(c, &pv), 1);
	CHECK_STR(pv.value, "mit");
	CHECK_EQ_INT(pv.line, 9);
	free(pv.value);
	card_free(c);

	c = card_file("cr-only.md");
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_STR(cv_value(c->licenses, c->nlicenses, 0), "bsd-3-clause");
	CHECK_EQ_INT(cv_line(c->licenses, c->nlicenses, 0), 2);
	CHECK_EQ_INT(c->license_name.line, 3);
	CHECK_EQ_INT(c->body_line, 5);
	CHECK(c->body_len == 19 && memcmp(c->body, "Old Mac line ends.\r", 19) == 0);
	card_free(c);
}

static void test_card_no_front_matter(void)
{
	struct card *c = card_file("no-front-matter.md");
	struct card_value pv = { 0 };

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_INT(c->has_front_matter, 0);
	CHECK(c->fm_error == NULL);
	CHECK_EQ_INT(c->nlicenses, 0);
	CHECK_EQ_INT(c->body_line, 1);
	CHECK_EQ_INT(c->body_len, c->text_len);
	CHECK_EQ_INT(card_prose_license(c, &pv), 1);
	CHECK_STR(pv.value, "apache-2.0");
	CHECK_EQ_INT(pv.line, 5);
	free(pv.value);
	card_free(c);

	/* empty input, and a horizontal rule that is not at the top */
	c = card_str("");
	CHECK(c && !c->has_front_matter && c->body_len == 0);
	card_free(c);
	c = card_str("# Title\n---\nlicense: mit\n---\n");
	CHECK(c && !c->has_front_matter && c->nlicenses == 0);
	card_free(c);
	c = card_str("----\nlicense: mit\n---\n");
	CHECK(c && !c->has_front_matter);
	card_free(c);
}

static void test_card_unterminated(void)
{
	struct card *c = card_file("unterminated.md");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_INT(c->has_front_matter, 1);
	CHECK(c->fm_error && strstr(c->fm_error, "no closing '---'"));
	CHECK_EQ_INT(c->fm_error_line, 1);
	CHECK_EQ_INT(c->nlicenses, 0);
	CHECK_EQ_INT(c->nbase_models, 0);
	card_free(c);

	c = card_str("---");
	CHECK(c && c->has_front_matter && c->fm_error);
	card_free(c);
}

static void test_card_malformed_yaml(void)
{
	struct card *c = card_file("malformed.md");

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_INT(c->has_front_matter, 1);
	CHECK(c->fm_error && strstr(c->fm_error, "malformed yaml"));
	CHECK(c->fm_error && strstr(c->fm_error, "malformed.md"));
	CHECK(c->fm_error_line >= 3 && c->fm_error_line <= 5);
	CHECK_EQ_INT(c->nlicenses, 0); /* no fields from a broken block */
	CHECK_EQ_INT(c->body_line, 6);
	card_free(c);

	/* a root that is not a mapping */
	c = card_str("---\n- a\n- b\n---\nbody\n");
	CHECK(c && c->fm_error && strstr(c->fm_error, "not a mapping"));
	card_free(c);
	c = card_str("---\njust a string\n---\n");
	CHECK(c && c->fm_error);
	card_free(c);
}

static void test_card_alias_bomb(void)
{
	struct buf b;
	struct card *c = NULL;
	struct lt_error err;

	buf_init(&b, 1 << 20);
	buf_adds(&b, "---\nlicense: mit\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char ch = 'b'; ch <= 'k'; ch++)
		buf_printf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", ch, ch,
			   ch - 1, ch - 1, ch - 1, ch - 1, ch - 1, ch - 1, ch - 1, ch - 1, ch - 1, ch - 1);
	buf_adds(&b, "---\n# bomb\n");
	CHECK_EQ_INT(card_parse(&c, "README.md", b.data, b.len, &err), 0);
	CHECK(c && c->fm_error && strstr(c->fm_error, "alias"));
	CHECK(c && c->nlicenses == 0);
	CHECK(c && c->fm_error_line >= 2);
	card_free(c);
	buf_release(&b);
}

static void test_card_too_big(void)
{
	const size_t big = 100u * 1024u * 1024u;
	struct card *c = NULL;
	struct lt_error err;
	struct buf b;
	const char *path;
	char *mem;
	FILE *f;

	/* in memory: refused on the length alone (calloc'd pages are never touched) */
	mem = calloc(1, big);
	CHECK(mem != NULL);
	if (mem) {
		memcpy(mem, "---\nlicense: mit\n---\n", 21);
		CHECK_EQ_INT(card_parse(&c, "README.md", mem, big, &err), LT_ETOOBIG);
		CHECK(c == NULL);
		CHECK(strstr(err.message, "over the") != NULL);
		free(mem);
	}
	/* one byte over the cap is enough */
	mem = calloc(1, LT_MAX_CARD_BYTES + 1u);
	if (mem) {
		CHECK_EQ_INT(card_parse(&c, "README.md", mem, LT_MAX_CARD_BYTES + 1u, &err), LT_ETOOBIG);
		free(mem);
	}
	/* on disk: a sparse 100 MB README is refused by the capped read, unread */
	path = tmp_path("big-README.md");
	f = path ? fopen(path, "wb") : NULL;
	CHECK(f != NULL);
	if (f) {
		fputs("---\nlicense: mit\n---\n", f);
		fseek(f, (long)big, SEEK_SET);
		fputc('x', f);
		fclose(f);
		buf_init(&b, LT_MAX_CARD_BYTES + 1u);
		CHECK_EQ_INT(lt_read_file(&b, path, LT_MAX_CARD_BYTES, &err), LT_ETOOBIG);
		CHECK_EQ_INT(b.len, 0);
		buf_release(&b);
		unlink(path);
	}
}

static void test_card_front_matter_too_big(void)
{
	struct buf b;
	struct card *c = NULL;
	struct lt_error err;

	buf_init(&b, LT_MAX_CARD_BYTES);
	buf_adds(&b, "---\nlicense: mit\nextra_gated_prompt: |\n");
	while (b.len < LT_MAX_FRONT_MATTER_BYTES + 100u)
		buf_adds(&b, "  You agree to a very long license text, again and again and again.\n");
	buf_adds(&b, "---\nbody\n");
	CHECK_EQ_INT(buf_error(&b), 0);
	CHECK_EQ_INT(card_parse(&c, "README.md", b.data, b.len, &err), 0);
	CHECK(c && c->fm_error && strstr(c->fm_error, "over the"));
	CHECK(c && c->nlicenses == 0);
	CHECK(c && c->body_len == 5);
	card_free(c);
	buf_release(&b);
}

static void test_card_invalid_utf8(void)
{
	struct card *c = card_str("---\nlicense: mit\nlicense_name: \"\xff\xfe" "bad\"\n---\n");

	CHECK(c && c->fm_error && strstr(c->fm_error, "UTF-8"));
	CHECK(c && c->fm_error_line == 3);
	CHECK(c && c->nlicenses == 0);
	card_free(c);
	/* overlong and surrogate forms too */
	c = card_str("---\nlicense: \xc0\xaf\n---\n");
	CHECK(c && c->fm_error);
	card_free(c);
	c = card_str("---\nlicense: \xed\xa0\x80\n---\n");
	CHECK(c && c->fm_error);
	card_free(c);
	/* bad bytes in the body do not matter */
	c = card_str("---\nlicense: mit\n---\n\xff\xfe body\n");
	CHECK(c && !c->fm_error && c->nlicenses == 1);
	card_free(c);
	/* a NUL inside a front-matter value cannot shorten it to a known id */
	c = card_str("---\nlicense: \"mit\\0gpl\"\n---\n");
	CHECK(c && c->nlicenses == 1);
	if (c && c->nlicenses)
		CHECK_STR(cv_value(c->licenses, c->nlicenses, 0), "mit?gpl");
	card_free(c);
}

static void test_card_value_shapes(void)
{
	struct card *c;

	/* non-scalars where a scalar is expected are ignored */
	c = card_str("---\nlicense_name: [a, b]\nlicense_link: {x: y}\nlicense: {a: b}\n"
		     "model_name: 3.5\nnew_version: true\n---\n");
	CHECK(c && !c->fm_error);
	if (c) {
		CHECK(c->license_name.value == NULL);
		CHECK(c->license_link.value == NULL);
		CHECK_EQ_INT(c->nlicenses, 0);
		CHECK_STR(c->model_name.value, "3.5");
		CHECK_STR(c->new_version.value, "true");
	}
	card_free(c);
	/* a list with nulls, mappings and lists inside */
	c = card_str("---\nlicense: [mit, null, {x: y}, [z], ~, '']\ntags: single-tag\n---\n");
	CHECK(c && c->nlicenses == 1 && c->ntags == 1);
	if (c && c->ntags)
		CHECK_STR(cv_value(c->tags, c->ntags, 0), "single-tag");
	card_free(c);
	/* the last of a repeated key wins, as on the Hub */
	c = card_str("---\nlicense: mit\nlicense: apache-2.0\nlicense_name: a\nlicense_name: b\n---\n");
	CHECK(c && c->nlicenses == 1);
	if (c && c->nlicenses) {
		CHECK_STR(cv_value(c->licenses, c->nlicenses, 0), "apache-2.0");
		CHECK_EQ_INT(cv_line(c->licenses, c->nlicenses, 0), 3);
		CHECK_STR(c->license_name.value, "b");
	}
	card_free(c);
	/* empty front matter, and delimiters with trailing blanks */
	c = card_str("---\n---\nbody\n");
	CHECK(c && c->has_front_matter && !c->fm_error && c->body_line == 3);
	card_free(c);
	c = card_str("--- \t\nlicense: mit\n---\t\nbody");
	CHECK(c && c->nlicenses == 1 && c->body_line == 4 && c->body_len == 4);
	card_free(c);
	c = card_str("---\nextra_gated_eu_disallowed: false\nlicense: 'null'\n---\n");
	CHECK(c && c->extra_gated_eu_disallowed == 0 && c->nlicenses == 1);
	card_free(c);
	/* where a value's text starts: block scalars begin below their header */
	c = card_str("---\nlicense_details: >-  # folded\n  Free for research.\n"
		     "license_name: \"two\n  lines\"\nmodel_name: a |\nlicense_link: |2\n   x\n"
		     "extra_gated_prompt: *p\n---\n");
	CHECK(c && c->fm_error); /* unknown alias */
	card_free(c);
	c = card_str("---\nlicense_details: >-  # folded\n  Free for research.\n"
		     "license_name: \"two\n  lines\"\nmodel_name: a |\nlicense_link: |2\n   x\n---\n");
	CHECK(c && !c->fm_error);
	if (c) {
		CHECK_STR(c->license_details.value, "Free for research.");
		CHECK_EQ_INT(c->license_details.line, 3);
		CHECK_EQ_INT(c->license_name.line, 4);
		CHECK_STR(c->model_name.value, "a |");
		CHECK_EQ_INT(c->model_name.line, 6);
		CHECK_EQ_INT(c->license_link.line, 8);
	}
	card_free(c);
	c = card_str("---\nx: &p !!str |\n  shared text\nextra_gated_prompt: *p\nlicense_name: |\n  n\n---\n");
	CHECK(c && !c->fm_error);
	if (c) {
		CHECK_STR(c->extra_gated_prompt.value, "shared text\n");
		CHECK_EQ_INT(c->extra_gated_prompt.line, 3);
		CHECK_EQ_INT(c->license_name.line, 6);
	}
	card_free(c);
	/* a YAML document end marker inside is tolerated */
	c = card_str("---\nlicense: mit\n...\n---\n");
	CHECK(c && c->nlicenses == 1);
	card_free(c);
}

static void test_card_bad_args(void)
{
	struct card *c = NULL;
	struct lt_error err;

	CHECK_EQ_INT(card_parse(NULL, "x", "a", 1, &err), LT_EINVAL);
	CHECK_EQ_INT(card_parse(&c, "x", NULL, 1, &err), LT_EINVAL);
	CHECK_EQ_INT(card_parse(&c, NULL, NULL, 0, NULL), 0);
	card_free(c);
	card_free(NULL);
}

static void test_card_tags(void)
{
	const char *id = NULL;
	char *rel = NULL, *pid = NULL;
	static const char *const bad[] = { "base_model:", "base_model:finetune:",
					   "base_model:distill:org/x", "base_model:Finetune:org/x",
					   "base_model:finetune:a:b", "base_model:org x",
					   "base_model", "basemodel:org/x", "" };

	CHECK_EQ_INT(card_tag_license("license:mit", &id), 1);
	CHECK_STR(id, "mit");
	CHECK_EQ_INT(card_tag_license("License:llama3.1", &id), 1);
	CHECK_STR(id, "llama3.1");
	CHECK_EQ_INT(card_tag_license("license:", &id), 0);
	CHECK(id == NULL);
	CHECK_EQ_INT(card_tag_license("license: mit", &id), 0);
	CHECK_EQ_INT(card_tag_license("licenses:mit", &id), 0);
	CHECK_EQ_INT(card_tag_license("mit", &id), 0);
	CHECK_EQ_INT(card_tag_license(NULL, &id), 0);

	CHECK_EQ_INT(card_tag_base_model("base_model:org/x", &rel, &pid), 1);
	CHECK(rel == NULL);
	CHECK_STR(pid, "org/x");
	free(pid);
	static const char *const rels[] = { "finetune", "adapter", "quantized", "merge" };
	for (size_t i = 0; i < 4; i++) {
		char tag[64];
		snprintf(tag, sizeof(tag), "base_model:%s:org/m-%zu", rels[i], i);
		CHECK_EQ_INT(card_tag_base_model(tag, &rel, &pid), 1);
		CHECK_STR(rel, rels[i]);
		CHECK(pid && lt_starts_with(pid, "org/m-"));
		free(rel);
		free(pid);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		rel = pid = (char *)"sentinel";
		CHECK_EQ_INT(card_tag_base_model(bad[i], &rel, &pid), 0);
		CHECK(rel == NULL && pid == NULL);
	}
}

static void test_card_prose_license(void)
{
	struct card *c = card_file("prose-license.md");
	struct card_value pv = { 0 };
	static const struct {
		const char *body, *want;
	} cases[] = {
		{ "**License**: cc-by-4.0\n", "cc-by-4.0" },
		{ "## License: mit\n", "mit" },
		{ "* Licence: `MIT`.\n", "MIT" },
		{ "> - __License:__ llama3.1 **\n", "llama3.1" },
		{ "- **License:** [Fox ImpACT](https://x.org/l) Low-risk license.\n",
		  "Fox ImpACT Low-risk license" },
		{ "License: [MIT](LICENSE) (see the file)\n", "MIT" },
		{ "License: [MIT](LICENSE) and a long remark on its terms\n", "MIT" },
		{ "Licensed under MIT\n", NULL },
		{ "License: This model is released under the terms of a long sentence here\n", NULL },
		{ "- **License:** [More Information Needed]\n", NULL },
		{ "License:\n", NULL },
		{ "~~~\nLicense: mit\n~~~\n", NULL },
		{ "<!-- License: mit -->\n", NULL },
		{ "The License: is below\n", NULL },
	};

	CHECK(c != NULL);
	if (c) {
		CHECK_EQ_INT(c->nlicenses, 0);
		CHECK_EQ_INT(card_prose_license(c, &pv), 1);
		CHECK_STR(pv.value, "Apache 2.0");
		CHECK_EQ_INT(pv.line, 19);
		free(pv.value);
		card_free(c);
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char doc[256];
		snprintf(doc, sizeof(doc), "---\nx: 1\n---\n%s", cases[i].body);
		c = card_str(doc);
		pv.value = (char *)"sentinel";
		CHECK_EQ_INT(card_prose_license(c, &pv), cases[i].want ? 1 : 0);
		if (cases[i].want) {
			CHECK_STR(pv.value, cases[i].want);
			CHECK_EQ_INT(pv.line, 4);
		} else {
			CHECK(pv.value == NULL);
		}
		free(pv.value);
		card_free(c);
	}
	CHECK_EQ_INT(card_prose_license(NULL, &pv), 0);
}

/* Hostile bytes at every position of a valid card: never a crash. */
static void test_card_mutations(void)
{
	struct buf b;
	size_t n;

	if (slurp(&b, FIX "cards/other-gated.md") != 0) {
		CHECK(0);
		buf_release(&b);
		return;
	}
	n = b.len;
	for (int round = 0; round < 3000; round++) {
		char *copy = lt_strndup(b.data, n);
		struct card *c = NULL;
		struct card_value pv = { 0 };
		struct lt_error err;
		int flips = 1 + (int)(rng() % 4);

		for (int k = 0; k < flips && copy; k++)
			copy[rng() % n] = (char)(rng() & 0xff);
		if (copy && card_parse(&c, "README.md", copy, (size_t)(rng() % (n + 1)), &err) == 0) {
			CHECK(c != NULL);
			if (card_prose_license(c, &pv) == 1)
				free(pv.value);
		}
		card_free(c);
		free(copy);
	}
	buf_release(&b);
}

/* ---- JSON configs ------------------------------------------------------- */

static int parse_config_file(const char *rel, struct model_config **out, struct lt_error *err)
{
	struct buf b;
	char path[512];
	int rc;

	snprintf(path, sizeof(path), FIX "configs/%s", rel);
	if ((rc = slurp(&b, path)) == 0)
		rc = model_config_parse(out, rel, buf_cstr(&b), b.len, err);
	buf_release(&b);
	return rc;
}

static void test_config_transformers(void)
{
	struct model_config *mc = NULL;
	struct lt_error err;

	CHECK_EQ_INT(parse_config_file("config-quantized.json", &mc, &err), 0);
	if (mc) {
		CHECK_STR(mc->name_or_path, "acme-labs/tinyfox-1b");
		CHECK_EQ_INT(mc->name_or_path_line, 10); /* not the nested one on line 6 */
		CHECK_EQ_INT(mc->has_quantization_config, 1);
		CHECK_STR(mc->quant_method, "gptq");
		CHECK_STR(mc->model_type, "llama");
		CHECK_EQ_INT(mc->keras_like, 0);
	}
	model_config_free(mc);
	mc = NULL;
	CHECK_EQ_INT(parse_config_file("config-local-path.json", &mc, &err), 0);
	if (mc) {
		CHECK_STR(mc->name_or_path, "/content/drive/MyDrive/checkpoints/run-3");
		CHECK_EQ_INT(mc->name_or_path_line, 1);
		CHECK_EQ_INT(mc->has_quantization_config, 0);
		CHECK(mc->quant_method == NULL);
	}
	model_config_free(mc);
	mc = NULL;
	CHECK_EQ_INT(parse_config_file("config-keras.json", &mc, &err), 0);
	if (mc) {
		CHECK_EQ_INT(mc->keras_like, 1);
		CHECK(mc->model_type == NULL && mc->name_or_path == NULL);
		CHECK_EQ_INT(mc->name_or_path_line, 0);
	}
	model_config_free(mc);
	model_config_free(NULL);
}

static void test_config_hostile(void)
{
	struct model_config *mc = NULL;
	struct lt_error err;
	struct buf b;
	char *big;
	const char *s;

	CHECK_EQ_INT(parse_config_file("config-array-root.json", &mc, &err), LT_EPARSE);
	CHECK(strstr(err.message, "not a json object") != NULL);
	CHECK(mc == NULL);
	CHECK_EQ_INT(parse_config_file("config-malformed.json", &mc, &err), LT_EPARSE);
	CHECK(strstr(err.message, "malformed json") != NULL);
	CHECK_EQ_INT(err.line, 4);
	CHECK_EQ_INT(model_config_parse(&mc, "config.json", "", 0, &err), LT_EPARSE);
	CHECK_EQ_INT(model_config_parse(&mc, "config.json", "\"str\"", 5, &err), LT_EPARSE);
	s = "{\"_name_or_path\": \"a\\u0000b\"}";
	CHECK_EQ_INT(model_config_parse(&mc, "config.json", s, strlen(s), &err), LT_EPARSE);
	/* wrong types are ignored, not errors */
	s = "{\"_name_or_path\": 5, \"quantization_config\": \"gptq\", \"model_type\": [1]}";
	CHECK_EQ_INT(model_config_parse(&mc, "config.json", s, strlen(s), &err), 0);
	CHECK(mc && !mc->name_or_path && !mc->has_quantization_config && !mc->model_type);
	model_config_free(mc);
	mc = NULL;
	/* over the size cap: refused before parsing (the bytes are never read) */
	big = calloc(1, LT_MAX_CONFIG_BYTES + 1u);
	if (big) {
		CHECK_EQ_INT(model_config_parse(&mc, "config.json", big, LT_MAX_CONFIG_BYTES + 1u, &err),
			     LT_ETOOBIG);
		free(big);
	}
	/* deep nesting: jansson's depth limit answers, no stack overflow */
	buf_init(&b, 1 << 20);
	buf_adds(&b, "{\"a\":");
	for (int i = 0; i < 200000; i++)
		buf_addc(&b, '[');
	CHECK_EQ_INT(model_config_parse(&mc, "config.json", b.data, b.len, &err), LT_EPARSE);
	buf_release(&b);
	CHECK_EQ_INT(model_config_parse(NULL, "config.json", "{}", 2, &err), LT_EINVAL);
}

static void test_adapter_config(void)
{
	struct adapter_config *ac = NULL;
	struct lt_error err;
	struct buf b;
	const char *s;

	CHECK_EQ_INT(slurp(&b, FIX "configs/adapter_config.json"), 0);
	CHECK_EQ_INT(adapter_config_parse(&ac, "adapter_config.json", buf_cstr(&b), b.len, &err), 0);
	if (ac) {
		CHECK_STR(ac->base_model_name_or_path, "acme-labs/tinyfox-1b");
		CHECK_EQ_INT(ac->base_line, 4);
		CHECK_STR(ac->revision, "a1b2c3d");
		CHECK_STR(ac->peft_type, "LORA");
	}
	adapter_config_free(ac);
	ac = NULL;
	buf_release(&b);
	s = "{\"peft_type\": \"LORA\"}";
	CHECK_EQ_INT(adapter_config_parse(&ac, "adapter_config.json", s, strlen(s), &err), 0);
	CHECK(ac && !ac->base_model_name_or_path && ac->base_line == 0 && !ac->revision);
	adapter_config_free(ac);
	ac = NULL;
	s = "[1]";
	CHECK_EQ_INT(adapter_config_parse(&ac, "adapter_config.json", s, strlen(s), &err), LT_EPARSE);
	adapter_config_free(NULL);
}

/* ---- mergekit ----------------------------------------------------------- */

static struct mergekit *mk_file(const char *rel)
{
	struct mergekit *m = NULL;
	struct lt_error err;
	struct buf b;
	char path[512];

	snprintf(path, sizeof(path), FIX "configs/%s", rel);
	if (slurp(&b, path) == 0 && mergekit_parse(&m, rel, buf_cstr(&b), b.len, &err) != 0)
		fprintf(stderr, "  mergekit_parse(%s): %s\n", rel, err.message);
	buf_release(&b);
	return m;
}

static int mk_str(struct mergekit **m, const char *s, struct lt_error *err)
{
	*m = NULL;
	return mergekit_parse(m, "mergekit_config.yml", s, strlen(s), err);
}

static void test_mergekit_models(void)
{
	struct mergekit *m = mk_file("mergekit_config.yml");

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_STR(m->merge_method, "ties");
	CHECK_STR(m->base_model, "acme-labs/tinyfox-7b");
	CHECK_EQ_INT(m->base_line, 3);
	CHECK_EQ_INT(m->nmodels, 5);
	if (m->nmodels == 5) {
		CHECK_STR(m->models[0].model, "acme-labs/tinyfox-7b");
		CHECK_EQ_INT(m->models[0].line, 3);
		CHECK_STR(m->models[1].model, "northwind/alpha-7b");
		CHECK_EQ_INT(m->models[1].line, 5);
		CHECK_STR(m->models[2].model, "southwind/beta-7b@9f8e7d6");
		CHECK_EQ_INT(m->models[2].line, 9);
		CHECK_STR(m->models[3].model, "eastwind/gamma-7b");
		CHECK_STR(m->models[4].model, "eastwind/gamma-lora-r16");
		CHECK_EQ_INT(m->models[4].line, 12);
	}
	mergekit_free(m);
}

static void test_mergekit_slices_and_moe(void)
{
	struct mergekit *m = mk_file("merge.yml");

	CHECK(m != NULL);
	if (m) {
		CHECK_STR(m->merge_method, "passthrough");
		CHECK(m->base_model == NULL);
		CHECK_EQ_INT(m->nmodels, 2);
		if (m->nmodels == 2) {
			CHECK_STR(m->models[0].model, "northwind/alpha-7b");
			CHECK_EQ_INT(m->models[0].line, 3);
			CHECK_STR(m->models[1].model, "southwind/beta-7b");
			CHECK_EQ_INT(m->models[1].line, 6);
		}
	}
	mergekit_free(m);
	m = mk_file("mergekit_moe_config.yml");
	CHECK(m && m->nmodels == 3);
	if (m && m->nmodels == 3) {
		CHECK_STR(m->models[0].model, "acme-labs/tinyfox-7b");
		CHECK_STR(m->models[2].model, "southwind/beta-7b");
	}
	mergekit_free(m);
}

static void test_mergekit_shapes(void)
{
	struct mergekit *m = NULL;
	struct lt_error err;

	/* object form of a reference, a plain string item, and modules */
	CHECK_EQ_INT(mk_str(&m, "models:\n  - model: {model: {path: a/x, revision: r1}, lora: {path: a/l}}\n"
				"  - b/y\nmodules:\n  text:\n    slices:\n      - sources:\n"
				"          - model: c/z\n", &err), 0);
	CHECK(m && m->nmodels == 4);
	if (m && m->nmodels == 4) {
		CHECK_STR(m->models[0].model, "a/x@r1");
		CHECK_STR(m->models[1].model, "a/l");
		CHECK_STR(m->models[2].model, "b/y");
		CHECK_STR(m->models[3].model, "c/z");
	}
	mergekit_free(m);
	/* base_model with a LoRA: the base is the model part; both are merged in */
	CHECK_EQ_INT(mk_str(&m, "base_model: a/x@main+a/lora\nmerge_method: slerp\n", &err), 0);
	CHECK(m && m->nmodels == 2);
	if (m) {
		CHECK_STR(m->base_model, "a/x@main");
		if (m->nmodels == 2)
			CHECK_STR(m->models[1].model, "a/lora");
	}
	mergekit_free(m);
	/* nothing merged is not an error */
	CHECK_EQ_INT(mk_str(&m, "dtype: float16\n", &err), 0);
	CHECK(m && m->nmodels == 0);
	mergekit_free(m);
	CHECK_EQ_INT(mk_str(&m, "", &err), 0);
	CHECK(m && m->nmodels == 0);
	mergekit_free(m);
	/* duplicates collapse: 300 references to one model */
	{
		struct buf b;
		buf_init(&b, 1 << 20);
		buf_adds(&b, "models:\n");
		for (int i = 0; i < 300; i++)
			buf_adds(&b, "  - model: same/model\n");
		CHECK_EQ_INT(mk_str(&m, b.data, &err), 0);
		CHECK(m && m->nmodels == 1);
		mergekit_free(m);
		buf_release(&b);
	}
	CHECK_EQ_INT(mergekit_is_config_name("mergekit_config.yml"), 1);
	CHECK_EQ_INT(mergekit_is_config_name("MERGE.YAML"), 1);
	CHECK_EQ_INT(mergekit_is_config_name("mergekit_moe_config.yaml"), 1);
	CHECK_EQ_INT(mergekit_is_config_name("config.yml"), 0);
	CHECK_EQ_INT(mergekit_is_config_name("merge.yml.bak"), 0);
	CHECK_EQ_INT(mergekit_is_config_name(NULL), 0);
}

static void test_mergekit_hostile(void)
{
	struct mergekit *m = NULL;
	struct lt_error err;
	struct buf b;

	CHECK_EQ_INT(mk_str(&m, "models:\n  - model: a/x+b/y+c/z\n", &err), LT_EPARSE);
	CHECK_EQ_INT(err.line, 2);
	CHECK(strstr(err.message, "a/x+b/y+c/z") != NULL);
	CHECK_EQ_INT(mk_str(&m, "models:\n  - model: +a/x\n", &err), LT_EPARSE);
	CHECK_EQ_INT(mk_str(&m, "models:\n  - model: a/x+\n", &err), LT_EPARSE);
	CHECK_EQ_INT(mk_str(&m, "- a\n- b\n", &err), LT_EPARSE);
	CHECK_EQ_INT(mk_str(&m, "models: [a, b\n", &err), LT_EPARSE);
	CHECK(m == NULL);
	/* too many distinct models */
	buf_init(&b, 1 << 20);
	buf_adds(&b, "models:\n");
	for (int i = 0; i < LT_MAX_PARENTS + 1; i++)
		buf_printf(&b, "  - model: org/m%d\n", i);
	CHECK_EQ_INT(mk_str(&m, b.data, &err), LT_ETOOBIG);
	CHECK_EQ_INT(err.line, LT_MAX_PARENTS + 2);
	buf_release(&b);
	/* alias bomb */
	buf_init(&b, 1 << 20);
	buf_adds(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char ch = 'b'; ch <= 'k'; ch++)
		buf_printf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", ch, ch,
			   ch - 1, ch - 1, ch - 1, ch - 1, ch - 1, ch - 1, ch - 1, ch - 1, ch - 1, ch - 1);
	buf_adds(&b, "models: *k\n");
	CHECK_EQ_INT(mk_str(&m, b.data, &err), LT_ETOOBIG);
	buf_release(&b);
	CHECK_EQ_INT(mergekit_parse(NULL, "x", "", 0, &err), LT_EINVAL);
	mergekit_free(NULL);
}

/* ---- GGUF writer -------------------------------------------------------- */

struct gw {
	struct buf b;
	unsigned nkv;
};

static void gw_u32(struct gw *w, uint32_t v)
{
	unsigned char p[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	buf_add(&w->b, p, 4);
}

static void gw_u64(struct gw *w, uint64_t v)
{
	gw_u32(w, (uint32_t)v);
	gw_u32(w, (uint32_t)(v >> 32));
}

static void gw_strn(struct gw *w, const char *s, size_t n)
{
	gw_u64(w, n);
	buf_add(&w->b, s, n);
}

static void gw_str(struct gw *w, const char *s)
{
	gw_strn(w, s, strlen(s));
}

/* Header with a kv count patched by gw_finish(). */
static void gw_begin(struct gw *w, uint32_t version)
{
	buf_init(&w->b, 64u * 1024u * 1024u);
	w->nkv = 0;
	buf_add(&w->b, "GGUF", 4);
	gw_u32(w, version);
	gw_u64(w, 7);  /* tensor count */
	gw_u64(w, 0);  /* kv count, patched */
}

static void gw_finish(struct gw *w)
{
	uint64_t n = w->nkv;
	for (int i = 0; i < 8; i++)
		w->b.data[16 + i] = (char)(n >> (8 * i));
}

static void gw_key(struct gw *w, const char *key, uint32_t type)
{
	gw_str(w, key);
	gw_u32(w, type);
	w->nkv++;
}

static void gw_kv_str(struct gw *w, const char *key, const char *val)
{
	gw_key(w, key, 8);
	gw_str(w, val);
}

static void gw_kv_u32(struct gw *w, const char *key, uint32_t v)
{
	gw_key(w, key, 4);
	gw_u32(w, v);
}

static void gw_kv_u16(struct gw *w, const char *key, uint16_t v)
{
	unsigned char p[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	gw_key(w, key, 2);
	buf_add(&w->b, p, 2);
}

static void gw_kv_str_array(struct gw *w, const char *key, size_t n, const char *const *items)
{
	gw_key(w, key, 9);
	gw_u32(w, 8);
	gw_u64(w, n);
	for (size_t i = 0; i < n; i++)
		gw_str(w, items[i]);
}

/* A realistic v3 header: identity, license, two base models, assorted types, a
 * large vocabulary, and one kept key after the vocabulary. */
static void gw_realistic(struct gw *w, int ntokens)
{
	static const char *const merges[] = { "a b", "c d" };

	gw_begin(w, 3);
	gw_kv_str(w, "general.architecture", "llama");
	gw_kv_str(w, "general.type", "model");
	gw_kv_str(w, "general.name", "Tinyfox 1B Chef");
	gw_kv_str(w, "general.basename", "tinyfox");
	gw_kv_str(w, "general.finetune", "chef");
	gw_kv_str(w, "general.organization", "Acme Labs");
	gw_kv_str(w, "general.license", "llama3.1");
	gw_kv_str(w, "general.license.link", "https://example.org/LICENSE");
	gw_kv_u32(w, "general.base_model.count", 2);
	gw_kv_str(w, "general.base_model.0.name", "Tinyfox 1B");
	gw_kv_str(w, "general.base_model.0.organization", "Acme Labs");
	gw_kv_str(w, "general.base_model.0.repo_url", "https://huggingface.co/acme-labs/tinyfox-1b");
	gw_kv_str(w, "general.base_model.1.name", "Alpha 1B");
	gw_kv_str(w, "general.base_model.1.version", "v2");
	gw_kv_str(w, "general.base_model.1.repo_url", "https://huggingface.co/northwind/alpha-1b");
	gw_kv_str(w, "general.base_model.1.description", "ignored");
	gw_kv_str(w, "general.quantized_by", "someone");
	gw_kv_u16(w, "split.no", 0);
	gw_kv_u16(w, "split.count", 3);
	gw_key(w, "llama.rope.freq_base", 6);
	gw_u32(w, 0x47435000);
	gw_key(w, "tokenizer.ggml.add_bos_token", 7);
	buf_addc(&w->b, 1);
	gw_key(w, "llama.context_length", 10);
	gw_u64(w, 131072);
	gw_key(w, "general.file_type", 11);
	gw_u64(w, 15);
	gw_key(w, "some.f64", 12);
	gw_u64(w, 0x3ff0000000000000ULL);
	gw_key(w, "tokenizer.ggml.token_type", 9);
	gw_u32(w, 5);
	gw_u64(w, 3);
	gw_u32(w, 1);
	gw_u32(w, 1);
	gw_u32(w, 3);
	gw_kv_str_array(w, "tokenizer.ggml.merges", 2, merges);
	gw_key(w, "tokenizer.ggml.tokens", 9);
	gw_u32(w, 8);
	gw_u64(w, (uint64_t)ntokens);
	for (int i = 0; i < ntokens; i++) {
		char tok[32];
		int n = snprintf(tok, sizeof(tok), "tok%d", i);
		gw_strn(w, tok, (size_t)n);
	}
	gw_kv_str(w, "general.source.repo_url", "https://github.com/acme-labs/tinyfox");
	gw_finish(w);
}

static void check_realistic(const struct gguf_meta *g)
{
	CHECK_EQ_INT(g->version, 3);
	CHECK(g->tensor_count == 7);
	CHECK_STR(g->license, "llama3.1");
	CHECK_STR(g->license_link, "https://example.org/LICENSE");
	CHECK(g->license_name == NULL);
	CHECK_STR(g->name, "Tinyfox 1B Chef");
	CHECK_STR(g->basename, "tinyfox");
	CHECK_STR(g->finetune, "chef");
	CHECK_STR(g->organization, "Acme Labs");
	CHECK_STR(g->quantized_by, "someone");
	CHECK_EQ_INT(g->nbases, 2);
	if (g->nbases == 2) {
		CHECK_STR(g->bases[0].repo_url, "https://huggingface.co/acme-labs/tinyfox-1b");
		CHECK_STR(g->bases[0].organization, "Acme Labs");
		CHECK_STR(g->bases[1].name, "Alpha 1B");
		CHECK_STR(g->bases[1].version, "v2");
		CHECK_STR(g->bases[1].repo_url, "https://huggingface.co/northwind/alpha-1b");
	}
	CHECK_EQ_INT(g->split_no, 0);
	CHECK_EQ_INT(g->split_count, 3);
}

static void test_gguf_valid_v3(void)
{
	struct gw w;
	struct gguf_meta *g = NULL;
	struct lt_error err;
	struct buf b;
	const char *path = tmp_path("model-00001-of-00003.gguf");
	int truncated = 0;

	gw_realistic(&w, 200000);
	CHECK(w.b.len > 1000000);
	CHECK(path && write_file(path, w.b.data, w.b.len) == 0);

	/* the whole file */
	CHECK_EQ_INT(gguf_parse(&g, (const unsigned char *)w.b.data, w.b.len, 1, &err), 0);
	if (g) {
		check_realistic(g);
		CHECK_EQ_INT(g->truncated, 0);
		CHECK(g->kv_read == g->kv_count && g->kv_count == w.nkv);
		CHECK_STR(g->source_repo_url, "https://github.com/acme-labs/tinyfox");
	}
	gguf_meta_free(g);
	g = NULL;

	/* a 64 KiB prefix read from disk: the vocabulary runs past it */
	buf_init(&b, 64u * 1024u + 1u);
	CHECK_EQ_INT(lt_read_prefix(&b, path, 64u * 1024u, &truncated, &err), 0);
	CHECK_EQ_INT(truncated, 1);
	CHECK_EQ_INT(gguf_parse(&g, (const unsigned char *)b.data, b.len, 0, &err), 0);
	if (g) {
		check_realistic(g);
		CHECK_EQ_INT(g->truncated, 1);
		CHECK(g->kv_read < g->kv_count);
		CHECK(g->kv_read == w.nkv - 2); /* stopped at the vocabulary */
		CHECK(g->source_repo_url == NULL);
	}
	gguf_meta_free(g);
	g = NULL;
	/* the same prefix claimed to be the whole file is a cut file */
	CHECK_EQ_INT(gguf_parse(&g, (const unsigned char *)b.data, b.len, 1, &err), LT_ETRUNC);
	CHECK(strstr(err.message, "truncated gguf header") != NULL);
	CHECK(strstr(err.message, "tokenizer.ggml.tokens") != NULL);
	CHECK(g == NULL);
	buf_release(&b);
	buf_release(&w.b);
	unlink(path);
}

static void test_gguf_v2_license_list(void)
{
	struct gw w;
	struct gguf_meta *g = NULL;
	struct lt_error err;
	static const char *const lic[] = { "apache-2.0", "mit" };

	gw_begin(&w, 2);
	gw_kv_str_array(&w, "general.license", 2, lic);
	gw_kv_str(&w, "general.license.name", "custom");
	gw_kv_str(&w, "general.repo_url", "https://huggingface.co/a/b");
	gw_finish(&w);
	CHECK_EQ_INT(gguf_parse(&g, (const unsigned char *)w.b.data, w.b.len, 1, &err), 0);
	if (g) {
		CHECK_EQ_INT(g->version, 2);
		CHECK_STR(g->license, "apache-2.0,mit");
		CHECK_STR(g->license_name, "custom");
		CHECK_STR(g->repo_url, "https://huggingface.co/a/b");
		CHECK_EQ_INT(g->nbases, 0);
		CHECK_EQ_INT(g->split_no, -1);
		CHECK_EQ_INT(g->split_count, -1);
	}
	gguf_meta_free(g);
	buf_release(&w.b);

	/* wrong types for kept keys are skipped; a repeated key: last wins */
	gw_begin(&w, 3);
	gw_kv_u32(&w, "general.license", 5);
	gw_kv_str(&w, "general.name", "first");
	gw_kv_str(&w, "general.name", "second");
	gw_key(&w, "general.license.link", 9);
	gw_u32(&w, 4);
	gw_u64(&w, 2);
	gw_u32(&w, 1);
	gw_u32(&w, 2);
	gw_kv_str(&w, "general.base_model.0.name", "Zero");
	gw_kv_str(&w, "general.base_model.x.name", "not an index");
	gw_finish(&w);
	g = NULL;
	CHECK_EQ_INT(gguf_parse(&g, (const unsigned char *)w.b.data, w.b.len, 1, &err), 0);
	if (g) {
		CHECK(g->license == NULL && g->license_link == NULL);
		CHECK_STR(g->name, "second");
		CHECK_EQ_INT(g->nbases, 1);
		if (g->nbases)
			CHECK_STR(g->bases[0].name, "Zero");
	}
	gguf_meta_free(g);
	buf_release(&w.b);
}

/* Parse w's bytes and expect code; message must contain want (if given). */
static void expect_gguf(struct gw *w, int complete, int code, const char *want)
{
	struct gguf_meta *g = NULL;
	struct lt_error err;
	int rc;

	lt_error_clear(&err);
	rc = gguf_parse(&g, (const unsigned char *)w->b.data, w->b.len, complete, &err);
	CHECK_EQ_INT(rc, code);
	if (rc != code)
		fprintf(stderr, "  message: %s\n", err.message);
	if (want && !strstr(err.message, want)) {
		fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.message, want);
		CHECK(0);
	}
	CHECK(rc == 0 ? g != NULL : g == NULL);
	gguf_meta_free(g);
	buf_release(&w->b);
}

static void test_gguf_hostile_header(void)
{
	struct gw w;

	gw_begin(&w, 3);
	memcpy(w.b.data, "GGUX", 4);
	expect_gguf(&w, 1, LT_EPARSE, "magic");
	gw_begin(&w, 1);
	expect_gguf(&w, 1, LT_EUNSUPP, "version 1");
	gw_begin(&w, 4);
	expect_gguf(&w, 1, LT_EUNSUPP, "version 4");
	gw_begin(&w, 0x03000000u); /* what a big-endian v3 file looks like */
	expect_gguf(&w, 1, LT_EUNSUPP, "big-endian gguf not supported");
	gw_begin(&w, 3);
	buf_truncate(&w.b, 20);
	expect_gguf(&w, 1, LT_ETRUNC, "truncated gguf header");
	gw_begin(&w, 3);
	buf_truncate(&w.b, 20);
	expect_gguf(&w, 0, LT_ETRUNC, NULL);
	gw_begin(&w, 3);
	w.nkv = LT_GGUF_MAX_KV + 1u;
	gw_finish(&w);
	expect_gguf(&w, 1, LT_ETOOBIG, "key/value pairs");
	gw_begin(&w, 3);
	w.nkv = 0xffffffffu;
	gw_finish(&w);
	expect_gguf(&w, 0, LT_ETOOBIG, NULL);
	/* a declared count far above what follows: a prefix, or a cut file */
	gw_begin(&w, 3);
	gw_kv_str(&w, "general.license", "mit");
	w.nkv = 1000;
	gw_finish(&w);
	{
		struct gguf_meta *g = NULL;
		struct lt_error err;
		CHECK_EQ_INT(gguf_parse(&g, (const unsigned char *)w.b.data, w.b.len, 0, &err), 0);
		CHECK(g && g->truncated == 1 && g->kv_read == 1);
		if (g)
			CHECK_STR(g->license, "mit");
		gguf_meta_free(g);
	}
	expect_gguf(&w, 1, LT_ETRUNC, "truncated gguf header");
	CHECK_EQ_INT(gguf_parse(NULL, NULL, 0, 1, NULL), LT_EINVAL);
	gguf_meta_free(NULL);
}

static void test_gguf_hostile_values(void)
{
	struct gw w;

	/* huge string lengths */
	gw_begin(&w, 3);
	gw_key(&w, "general.license", 8);
	gw_u64(&w, 1ULL << 62);
	gw_finish(&w);
	expect_gguf(&w, 0, LT_ETOOBIG, "general.license");
	gw_begin(&w, 3);
	gw_u64(&w, 0xffffffffffffffffULL); /* key length */
	w.nkv = 1;
	gw_finish(&w);
	expect_gguf(&w, 0, LT_ETOOBIG, NULL);
	/* a plausible length that runs past the end */
	gw_begin(&w, 3);
	gw_key(&w, "general.name", 8);
	gw_u64(&w, 5000);
	buf_adds(&w.b, "short");
	gw_finish(&w);
	expect_gguf(&w, 1, LT_ETRUNC, "general.name");
	/* a numeric array bigger than the rest of the file */
	gw_begin(&w, 3);
	gw_key(&w, "tokenizer.ggml.scores", 9);
	gw_u32(&w, 6);
	gw_u64(&w, 1000000);
	gw_finish(&w);
	expect_gguf(&w, 1, LT_ETRUNC, "tokenizer.ggml.scores");
	/* absurd array count */
	gw_begin(&w, 3);
	gw_key(&w, "tokenizer.ggml.tokens", 9);
	gw_u32(&w, 8);
	gw_u64(&w, (uint64_t)LT_GGUF_MAX_ARRAY + 1u);
	gw_finish(&w);
	expect_gguf(&w, 0, LT_ETOOBIG, "tokenizer.ggml.tokens");
	gw_begin(&w, 3);
	gw_key(&w, "general.license", 9);
	gw_u32(&w, 8);
	gw_u64(&w, 0x4000000000000000ULL);
	gw_finish(&w);
	expect_gguf(&w, 0, LT_ETOOBIG, "general.license");
	/* unknown value type, unknown element type, nested arrays */
	gw_begin(&w, 3);
	gw_key(&w, "weird.key", 13);
	gw_u32(&w, 0);
	gw_finish(&w);
	expect_gguf(&w, 1, LT_EPARSE, "weird.key");
	gw_begin(&w, 3);
	gw_key(&w, "weird.array", 9);
	gw_u32(&w, 99);
	gw_u64(&w, 1);
	gw_finish(&w);
	expect_gguf(&w, 1, LT_EPARSE, "element type");
	gw_begin(&w, 3);
	gw_key(&w, "nested", 9);
	gw_u32(&w, 9);
	gw_u64(&w, 1);
	gw_u32(&w, 4);
	gw_u64(&w, 0);
	gw_finish(&w);
	expect_gguf(&w, 1, LT_EPARSE, "nested");
	/* base model counts and indexes */
	gw_begin(&w, 3);
	gw_kv_u32(&w, "general.base_model.count", 100000);
	gw_finish(&w);
	expect_gguf(&w, 1, LT_ETOOBIG, "general.base_model.count");
	gw_begin(&w, 3);
	gw_kv_str(&w, "general.base_model.9999.repo_url", "https://huggingface.co/x/y");
	gw_finish(&w);
	expect_gguf(&w, 1, LT_ETOOBIG, "general.base_model.9999.repo_url");
	/* kept strings must be UTF-8 without NULs; skipped ones may be anything */
	gw_begin(&w, 3);
	gw_kv_str(&w, "general.license", "mit\xff");
	gw_finish(&w);
	expect_gguf(&w, 1, LT_EPARSE, "general.license");
	gw_begin(&w, 3);
	gw_key(&w, "general.license", 8);
	gw_strn(&w, "mit\0gpl-3.0", 11);
	gw_finish(&w);
	expect_gguf(&w, 1, LT_EPARSE, "UTF-8");
	gw_begin(&w, 3);
	gw_kv_str(&w, "tokenizer.chat_template", "\xff\xfe\x00binary");
	gw_kv_str(&w, "general.license", "mit");
	gw_finish(&w);
	expect_gguf(&w, 1, 0, NULL);
	/* a key with control bytes is named printably */
	gw_begin(&w, 3);
	gw_key(&w, "bad\x01key", 77);
	gw_finish(&w);
	expect_gguf(&w, 1, LT_EPARSE, "bad?key");
}

/* Every prefix and many random mutations of a small valid file: no crash, and
 * every outcome is either success or a known error code. */
static void test_gguf_mutations(void)
{
	struct gw w;

	gw_realistic(&w, 20);
	for (size_t n = 0; n <= w.b.len; n++) {
		for (int complete = 0; complete <= 1; complete++) {
			struct gguf_meta *g = NULL;
			struct lt_error err;
			int rc = gguf_parse(&g, (const unsigned char *)w.b.data, n, complete, &err);
			CHECK(rc == 0 || rc == LT_ETRUNC || rc == LT_EPARSE);
			if (complete && n < w.b.len)
				CHECK(rc != 0);
			if (!complete && n >= 24)
				CHECK(rc == 0 && g && (n == w.b.len || g->truncated));
			gguf_meta_free(g);
		}
	}
	for (int round = 0; round < 20000; round++) {
		char *copy = lt_strndup(w.b.data, w.b.len);
		struct gguf_meta *g = NULL;
		struct lt_error err;
		int flips = 1 + (int)(rng() % 3), rc;

		if (!copy)
			break;
		for (int k = 0; k < flips; k++)
			copy[rng() % w.b.len] = (char)(rng() & 0xff);
		rc = gguf_parse(&g, (const unsigned char *)copy, w.b.len, (int)(rng() & 1), &err);
		CHECK(rc <= 0);
		CHECK(rc == 0 ? g != NULL : g == NULL);
		gguf_meta_free(g);
		free(copy);
	}
	buf_release(&w.b);
}

/* ---- safetensors -------------------------------------------------------- */

/* 8-byte length + json (+ pad spaces) + fake tensor bytes. */
static void st_build(struct buf *b, const char *json, size_t pad, size_t data_bytes)
{
	uint64_t n = strlen(json) + pad;
	unsigned char hdr[8];

	for (int i = 0; i < 8; i++)
		hdr[i] = (unsigned char)(n >> (8 * i));
	buf_init(b, 64u * 1024u * 1024u);
	buf_add(b, hdr, 8);
	buf_adds(b, json);
	for (size_t i = 0; i < pad; i++)
		buf_addc(b, ' ');
	for (size_t i = 0; i < data_bytes; i++)
		buf_addc(b, (char)i);
}

static int st_parse(const struct buf *b, unsigned long long file_size, struct st_meta **m,
		    struct lt_error *err)
{
	*m = NULL;
	return safetensors_parse(m, (const unsigned char *)b->data, b->len, file_size, err);
}

static void test_safetensors_valid(void)
{
	struct buf b;
	struct st_meta *m = NULL;
	struct lt_error err;
	const char *json =
		"{\"lora_unet.w\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
		"\"__metadata__\":{\"format\":\"pt\",\"modelspec.license\":\"openrail++\","
		"\"ss_pretrained_model_name_or_path\":\"acme-labs/tinyfox-xl\","
		"\"modelspec.title\":\"Fox \\u00e9 \\\"LoRA\\\"\",\"ss_epoch\":5,\"x\":null},"
		"\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,8]}}";

	st_build(&b, json, 5, 8);
	CHECK_EQ_INT(st_parse(&b, b.len, &m, &err), 0);
	if (m) {
		CHECK_EQ_INT(m->n, 4); /* non-string values ignored */
		CHECK(m->header_len == strlen(json) + 5);
		CHECK_STR(st_meta_get(m, "format"), "pt");
		CHECK_STR(st_meta_get(m, "modelspec.license"), "openrail++");
		CHECK_STR(st_meta_get(m, "ss_pretrained_model_name_or_path"), "acme-labs/tinyfox-xl");
		CHECK_STR(st_meta_get(m, "modelspec.title"), "Fox \xc3\xa9 \"LoRA\"");
		CHECK(st_meta_get(m, "ss_epoch") == NULL);
		CHECK(st_meta_get(m, "missing") == NULL);
	}
	safetensors_meta_free(m);
	/* file size unknown (0) is accepted */
	CHECK_EQ_INT(st_parse(&b, 0, &m, &err), 0);
	safetensors_meta_free(m);
	buf_release(&b);

	/* no metadata, and an empty header */
	st_build(&b, "{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 0, 2);
	CHECK_EQ_INT(st_parse(&b, b.len, &m, &err), 0);
	CHECK(m && m->n == 0 && st_meta_get(m, "format") == NULL);
	safetensors_meta_free(m);
	buf_release(&b);
	st_build(&b, "{}", 6, 0);
	CHECK_EQ_INT(st_parse(&b, b.len, &m, &err), 0);
	safetensors_meta_free(m);
	buf_release(&b);
	CHECK(st_meta_get(NULL, "x") == NULL);
	safetensors_meta_free(NULL);
}

static void expect_st(const char *json, int code, const char *want)
{
	struct buf b;
	struct st_meta *m = NULL;
	struct lt_error err;

	st_build(&b, json, 0, 0);
	lt_error_clear(&err);
	CHECK_EQ_INT(st_parse(&b, b.len, &m, &err), code);
	if (want && !strstr(err.message, want)) {
		fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.message, want);
		CHECK(0);
	}
	CHECK(code == 0 ? m != NULL : m == NULL);
	safetensors_meta_free(m);
	buf_release(&b);
}

static void test_safetensors_hostile(void)
{
	struct buf b;
	struct st_meta *m = NULL;
	struct lt_error err;
	unsigned char raw[16];

	/* header length over the cap, or past the end of the file */
	memset(raw, 0, sizeof(raw));
	raw[3] = 0x10; /* 268 MB */
	CHECK_EQ_INT(safetensors_parse(&m, raw, 16, 1ULL << 40, &err), LT_ETOOBIG);
	memset(raw, 0xff, 8);
	CHECK_EQ_INT(safetensors_parse(&m, raw, 16, 1ULL << 40, &err), LT_ETOOBIG);
	st_build(&b, "{\"__metadata__\":{\"a\":\"b\"}}", 0, 0);
	CHECK_EQ_INT(st_parse(&b, b.len - 1, &m, &err), LT_EPARSE);
	CHECK(strstr(err.message, "past the end") != NULL);
	/* a prefix shorter than the header: the caller reads more */
	CHECK_EQ_INT(safetensors_parse(&m, (const unsigned char *)b.data, b.len - 3, b.len, &err),
		     LT_ETRUNC);
	CHECK(strstr(err.message, "needed") != NULL);
	CHECK_EQ_INT(safetensors_parse(&m, (const unsigned char *)b.data, 5, b.len, &err), LT_ETRUNC);
	CHECK_EQ_INT(safetensors_parse(&m, (const unsigned char *)b.data, 5, 5, &err), LT_EPARSE);
	CHECK(m == NULL);
	buf_release(&b);
	CHECK_EQ_INT(safetensors_parse(NULL, raw, 16, 16, &err), LT_EINVAL);

	/* malformed JSON around and inside the metadata */
	expect_st("", LT_EPARSE, "malformed");
	expect_st("[]", LT_EPARSE, "malformed");
	expect_st("{\"a\":1", LT_EPARSE, NULL);
	expect_st("{\"a\" 1}", LT_EPARSE, NULL);
	expect_st("{\"a\":\"unterminated}", LT_EPARSE, NULL);
	expect_st("{\"a\":1} trailing", LT_EPARSE, NULL);
	expect_st("{\"a\":[1,2}", LT_EPARSE, NULL);
	expect_st("{\"a\":1,}", LT_EPARSE, NULL);
	expect_st("{\"a\":\"tab\there\"}", LT_EPARSE, NULL);
	expect_st("{\"__metadata__\":\"pt\"}", LT_EPARSE, "not an object");
	expect_st("{\"__metadata__\":[\"pt\"]}", LT_EPARSE, "not an object");
	expect_st("{\"__metadata__\":{\"a\":tru}}", LT_EPARSE, "__metadata__");
	expect_st("{\"__metadata__\":{\"a\":\"\\u0000\"}}", LT_EPARSE, NULL);
	expect_st("{\"__metadata__\":{\"a\":\"\xff\"}}", LT_EPARSE, NULL);
	/* the last of two metadata objects wins */
	expect_st("{\"__metadata__\":{\"a\":\"1\"},\"__metadata__\":{\"b\":\"2\"}}", 0, NULL);
}

/* A 5 MB tensor table of tiny arrays and deep nesting: scanned, not built. */
static void test_safetensors_big_table(void)
{
	struct buf j, b;
	struct st_meta *m = NULL;
	struct lt_error err;

	buf_init(&j, 16u * 1024u * 1024u);
	buf_adds(&j, "{\"x\":[");
	while (j.len < 5u * 1024u * 1024u)
		buf_adds(&j, "[],[],[],[],");
	buf_adds(&j, "[]],\"__metadata__\":{\"modelspec.license\":\"mit\"}}");
	st_build(&b, j.data, 0, 0);
	CHECK_EQ_INT(st_parse(&b, b.len, &m, &err), 0);
	if (m)
		CHECK_STR(st_meta_get(m, "modelspec.license"), "mit");
	safetensors_meta_free(m);
	m = NULL;
	buf_release(&b);
	buf_reset(&j);
	buf_adds(&j, "{\"x\":");
	for (int i = 0; i < 1000000; i++)
		buf_addc(&j, '[');
	for (int i = 0; i < 1000000; i++)
		buf_addc(&j, ']');
	buf_adds(&j, "}");
	st_build(&b, j.data, 0, 0);
	CHECK_EQ_INT(st_parse(&b, b.len, &m, &err), 0);
	safetensors_meta_free(m);
	m = NULL;
	buf_release(&b);
	buf_release(&j);
}

static void test_safetensors_mutations(void)
{
	struct buf b;
	const char *json = "{\"__metadata__\":{\"format\":\"pt\",\"modelspec.license\":\"mit\"},"
			   "\"w\":{\"dtype\":\"F16\",\"shape\":[1,2],\"data_offsets\":[0,4]}}";

	st_build(&b, json, 3, 4);
	for (int round = 0; round < 20000; round++) {
		char *copy = lt_strndup(b.data, b.len);
		struct st_meta *m = NULL;
		struct lt_error err;
		int rc;

		if (!copy)
			break;
		for (int k = 0, flips = 1 + (int)(rng() % 3); k < flips; k++)
			copy[rng() % b.len] = (char)(rng() & 0xff);
		rc = safetensors_parse(&m, (const unsigned char *)copy, rng() % (b.len + 1), b.len, &err);
		CHECK(rc <= 0);
		CHECK(rc == 0 ? m != NULL : m == NULL);
		safetensors_meta_free(m);
		free(copy);
	}
	buf_release(&b);
}

/* ---- the small binary fixtures (each folder has its make-fixtures.py) --- */

static void test_binary_fixtures(void)
{
	struct buf b;
	struct lt_error err;
	struct gguf_meta *g = NULL;
	struct st_meta *m = NULL;

	if (slurp(&b, FIX "gguf/tiny-v3.gguf") == 0) {
		CHECK_EQ_INT(gguf_parse(&g, (const unsigned char *)b.data, b.len, 1, &err), 0);
		if (g) {
			CHECK_STR(g->license, "apache-2.0");
			CHECK_EQ_INT(g->nbases, 1);
			if (g->nbases)
				CHECK_STR(g->bases[0].repo_url, "https://huggingface.co/acme-labs/tinyfox-1b");
		}
		gguf_meta_free(g);
	} else {
		CHECK(0);
	}
	buf_release(&b);
	if (slurp(&b, FIX "safetensors/tiny-lora.safetensors") == 0) {
		CHECK_EQ_INT(safetensors_parse(&m, (const unsigned char *)b.data, b.len, b.len, &err), 0);
		if (m)
			CHECK_STR(st_meta_get(m, "modelspec.license"), "openrail++");
		safetensors_meta_free(m);
	} else {
		CHECK(0);
	}
	buf_release(&b);
}

/* ---- the real-world corpus (read-only, skipped when absent) ------------- */

/* Split s at sep into at most max fields (in place). */
static size_t split(char *s, char sep, char **fields, size_t max)
{
	size_t n = 0;

	fields[n++] = s;
	for (char *p = s; *p && n < max; p++) {
		if (*p == sep) {
			*p = '\0';
			fields[n++] = p + 1;
		}
	}
	return n;
}

static int license_agrees(const struct card *c, const char *decl_in)
{
	char decl[1024], *parts[8];
	size_t np;

	lt_strlcpy(decl, decl_in, sizeof(decl));
	if (lt_starts_with(decl, "(none")) {
		const char *says = strstr(decl, "body says ");
		if (strstr(decl, "misspel"))
			return c->licence_misspelt == 1;
		if (c->nlicenses != 0)
			return 0;
		if (says) {
			struct card_value pv = { 0 };
			char want[64];
			int ok;
			lt_strlcpy(want, says + 10, sizeof(want));
			want[strcspn(want, ")")] = '\0';
			ok = card_prose_license(c, &pv) == 1 && lt_strieq(pv.value, want);
			free(pv.value);
			return ok;
		}
		return 1;
	}
	if (decl[0] == '[') {
		decl[strcspn(decl, "]")] = '\0';
		np = split(decl + 1, ';', parts, 8);
		if (np != c->nlicenses)
			return 0;
		for (size_t i = 0; i < np; i++)
			if (strcmp(parts[i], c->licenses[i].value) != 0)
				return 0;
		return 1;
	}
	np = 0;
	for (char *p = decl, *q; p && np < 8; p = q) {
		q = strstr(p, " / ");
		if (q) {
			*q = '\0';
			q += 3;
		}
		parts[np++] = p;
	}
	if (c->nlicenses != 1 || strcmp(cv_value(c->licenses, c->nlicenses, 0), parts[0]) != 0)
		return 0;
	for (size_t i = 1; i < np; i++) {
		const struct card_value *v = lt_starts_with(parts[i], "license_name=") ? &c->license_name
					   : lt_starts_with(parts[i], "license_link=") ? &c->license_link
					   : NULL;
		const char *want = strchr(parts[i], '=');
		if (!v || !want || !v->value || strcmp(v->value, want + 1) != 0)
			return 0;
	}
	return 1;
}

static int bases_agree(const struct card *c, const char *col_in)
{
	char col[4096], *parts[64];
	size_t np, listed;
	const char *entries;

	lt_strlcpy(col, col_in, sizeof(col));
	if (strcmp(col, "(none)") == 0)
		return c->nbase_models == 0;
	if (strcmp(col, "[]") == 0)
		return c->base_model_key && c->nbase_models == 0;
	if (col[0] != '[')
		return c->nbase_models == 1 && strcmp(cv_value(c->base_models, c->nbase_models, 0), col) == 0;
	entries = strstr(col_in, " entries)");
	col[strcspn(col, "]")] = '\0';
	np = split(col + 1, ';', parts, 64);
	listed = np;
	if (entries) { /* "[a;b;... (36 entries)]" lists only the first few */
		const char *num = entries;
		while (num > col_in && num[-1] >= '0' && num[-1] <= '9')
			num--;
		while (listed > 0 && strstr(parts[listed - 1], "..."))
			listed--;
		if (c->nbase_models != strtoul(num, NULL, 10))
			return 0;
	} else if (np != c->nbase_models) {
		return 0;
	}
	for (size_t i = 0; i < listed && i < c->nbase_models; i++)
		if (strcmp(parts[i], c->base_models[i].value) != 0)
			return 0;
	return 1;
}

static void test_corpus_cards(void)
{
	const char *dir = LT_SOURCE_DIR "/../shared/corpus/cards";
	char path[1024], line[8192];
	FILE *f;
	int rows = 0, lic_ok = 0, base_ok = 0;

	snprintf(path, sizeof(path), "%s/MANIFEST.tsv", dir);
	f = fopen(path, "r");
	if (!f) {
		printf("# corpus not present (%s): skipped\n", path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *fields[10];
		struct buf b;
		struct card *c = NULL;
		struct lt_error err;
		size_t nf;

		line[strcspn(line, "\r\n")] = '\0';
		nf = split(line, '\t', fields, 10);
		if (nf < 6 || strcmp(fields[0], "file") == 0)
			continue;
		rows++;
		snprintf(path, sizeof(path), "%s/%s", dir, fields[0]);
		buf_init(&b, LT_MAX_CARD_BYTES + 1u);
		if (lt_read_file(&b, path, LT_MAX_CARD_BYTES, &err) != 0) {
			fprintf(stderr, "  %s: %s\n", fields[0], err.message);
			CHECK(0);
			buf_release(&b);
			continue;
		}
		CHECK_EQ_INT(card_parse(&c, fields[0], buf_cstr(&b), b.len, &err), 0);
		if (c) {
			struct card_value pv = { 0 };
			if (c->fm_error)
				fprintf(stderr, "  %s: %s\n", fields[0], c->fm_error);
			CHECK(c->fm_error == NULL);
			if (license_agrees(c, fields[4])) {
				lic_ok++;
			} else {
				fprintf(stderr, "  %s: license \"%s\" disagrees (got %zu, first \"%s\")\n",
					fields[0], fields[4], c->nlicenses,
					c->nlicenses ? cv_value(c->licenses, c->nlicenses, 0) : "");
				CHECK(0);
			}
			if (bases_agree(c, fields[5])) {
				base_ok++;
			} else {
				fprintf(stderr, "  %s: base_model \"%s\" disagrees (got %zu, first \"%s\")\n",
					fields[0], fields[5], c->nbase_models,
					c->nbase_models ? cv_value(c->base_models, c->nbase_models, 0) : "");
				CHECK(0);
			}
			if (card_prose_license(c, &pv) == 1)
				free(pv.value);
		}
		card_free(c);
		buf_release(&b);
	}
	fclose(f);
	printf("# corpus: %d cards, %d licenses agree, %d base models agree\n", rows, lic_ok, base_ok);
	CHECK(rows > 0);
}

static void test_cleanup(void)
{
	if (tmpdir_[0])
		CHECK_EQ_INT(rmdir(tmpdir_), 0);
	tmpdir_[0] = '\0';
}

TESTS(T(card_scalar_license), T(card_list_license), T(card_licence_misspelt), T(card_duplicate_keys), T(card_other_gated),
      T(card_nested_base_model_ignored), T(card_empty_base_model), T(card_bom_and_blank_lines),
      T(card_crlf_and_cr), T(card_no_front_matter), T(card_unterminated), T(card_malformed_yaml),
      T(card_alias_bomb), T(card_too_big), T(card_front_matter_too_big), T(card_invalid_utf8),
      T(card_value_shapes), T(card_bad_args), T(card_tags), T(card_prose_license),
      T(card_mutations), T(config_transformers), T(config_hostile), T(adapter_config),
      T(mergekit_models), T(mergekit_slices_and_moe), T(mergekit_shapes), T(mergekit_hostile),
      T(gguf_valid_v3), T(gguf_v2_license_list), T(gguf_hostile_header), T(gguf_hostile_values),
      T(gguf_mutations), T(safetensors_valid), T(safetensors_hostile), T(safetensors_big_table),
      T(safetensors_mutations), T(binary_fixtures), T(corpus_cards), T(cleanup))
