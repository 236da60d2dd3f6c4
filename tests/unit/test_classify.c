/*
 * test_classify.c - normalisation, the phrase automaton, similarity and license
 * classification: our fixtures (fixtures/texts/<expected>/<file>) and, when it
 * is present, the real-world development corpus (../shared/corpus/licenses).
 */
#include "tap.h"

#include "classify/ac.h"
#include "classify/classcache.h"
#include "classify/classify.h"
#include "classify/normalize.h"
#include "classify/similar.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/digest.h"
#include "core/str.h"
#include "licensedb/licensedb.h"

#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_TEXT (4u * 1024u * 1024u)

/* --- helpers --- */

static char *norm_opts(const char *s, size_t len, int flags)
{
	struct buf b;
	struct lt_error err;
	char *out;

	buf_init(&b, 1u << 20);
	if (normalize_text_opts(&b, NULL, s, len, flags, &err) != 0) {
		buf_release(&b);
		return NULL;
	}
	out = lt_strndup(buf_cstr(&b), b.len);
	buf_release(&b);
	return out;
}

static char *norm(const char *s)
{
	return norm_opts(s, strlen(s), NORM_FULL);
}

#define CHECK_NORM(in, want)                                                               \
	do {                                                                               \
		char *got_ = norm(in);                                                     \
		CHECK_STR(got_, want);                                                     \
		free(got_);                                                                \
	} while (0)

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static struct licensedb *load_db(void)
{
	const char *roots[1] = { LT_SOURCE_DIR };
	struct licensedb *db = NULL;
	struct lt_error err;
	int rc = licensedb_load(&db, roots, 1, &err);

	if (rc != 0) {
		fprintf(stderr, "  licensedb: %s\n", err.message);
		for (size_t i = 0; db && i < db->problems.n && i < 20; i++)
			fprintf(stderr, "    %s\n", db->problems.v[i]);
	}
	CHECK_EQ_INT(rc, 0);
	return db;
}

static int read_path(struct buf *b, const char *path)
{
	struct lt_error err;

	buf_init(b, MAX_TEXT);
	return lt_read_file(b, path, MAX_TEXT, &err);
}

/* 1 when id is one of the detections in v[0..n). */
static int has_id(const struct detection *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].lic->id, id) == 0)
			return 1;
	return 0;
}

/* --- normalisation --- */

static void test_normalize_basics(void)
{
	CHECK_NORM("Hello,  World!\r\n", "hello world");
	CHECK_NORM("", "");
	CHECK_NORM(" \t\r\n ", "");
	CHECK_NORM("a\r\nb\rc\n\nd", "a b c d");                       /* CRLF, CR */
	CHECK_NORM("a\tb\xC2\xA0" "c\xE2\x80\x83" "d", "a b c d");      /* tab, no-break, em space */
	CHECK_NORM("\xEF\xBB\xBFMIT License", "mit license");            /* byte-order mark */
	CHECK_NORM("non\xE2\x80\x94" "commercial Non-Commercial non\xE2\x80\x90" "commercial",
		   "non commercial non commercial non commercial");        /* dashes */
	CHECK_NORM("the \xE2\x80\x9CSoftware\xE2\x80\x9D People\xE2\x80\x99s People's users'",
		   "the software peoples peoples users");                  /* quotes */
	CHECK_NORM("zero\xE2\x80\x8Bwidth soft\xC2\xADhyphen Llama\xE2\x84\xA2 2",
		   "zerowidth softhyphen llama 2");
	CHECK_NORM("Copyright \xC2\xA9 Meta, Copyright (c) Meta", "copyright c meta copyright c meta");
}

static void test_normalize_versions_and_numbers(void)
{
	CHECK_NORM("Llama 3.1 Version Release Date: July 23, 2024.",
		   "llama 3.1 version release date july 23 2024");
	CHECK_NORM("Version 1.0. 1. Definitions 2.0\n3.", "version 1.0 1 definitions 2.0 3");
	CHECK_NORM("Tencent Hunyuan Release Date: 2024/5/14", "tencent hunyuan release date 2024 5 14");
	CHECK_NORM("USD $1,000,000", "usd 1 000 000");
	CHECK_NORM("Kimi K2.5 vs MiniMax-M2.1", "kimi k2.5 vs minimax m2.1");
	CHECK_NORM("RAIL++-M GPL-2.0+ a + b", "rail++ m gpl 2.0+ a b");
}

static void test_normalize_markdown(void)
{
	CHECK_NORM("# Title\n## Sub\n**Bold** __b__ *i* _j_", "title sub bold b i j");
	CHECK_NORM("1\\. item\n2\\. llama3\\_3 3\\.1", "1 item 2 llama3 3 3.1");
	CHECK_NORM("llama3_3 and llama3\\_3", "llama3 3 and llama3 3");
	CHECK_NORM("[Use Policy](https://www.llama.com/llama3_2/use-policy)",
		   "use policy https www llama com llama3 2 use policy");
	CHECK_NORM("```text\nabc\n```\n\"\"", "text abc");
	CHECK_NORM("> quoted\n- bullet\n* star\n+ plus\n| a | b |\n---\n===", "quoted bullet star plus a b");
	CHECK_NORM("**LLAMA 3\\.3 COMMUNITY LICENSE AGREEMENT**", "llama 3.3 community license agreement");
}

static void test_normalize_entities_and_html(void)
{
	CHECK_NORM("a &amp; b &quot;c&quot; d&#39;s &nbsp;e &lt;f&gt; &#x41;&#66; &copy; &bogus; &#xZZ;",
		   "a b c ds e f ab c bogus xzz");
	CHECK_NORM("&#0; &#x110000; &#1114111;", "x110000 \xF4\x8F\xBF\xBF");
	CHECK_NORM("a<br>b <p class=\"x\">c</p> <!-- hidden -->d", "a b c d");
	CHECK_NORM("<yyyy> <unclosed tag", "yyyy unclosed tag");
}

static void test_normalize_headers(void)
{
	/* a YAML header at the top is dropped ... */
	CHECK_NORM("---\nkey: mit\nshort_name: MIT\nother_urls:\n    - http://x\n---\n\nMIT License",
		   "mit license");
	CHECK_NORM("\n\n---\nkey: x\n...\nbody", "body");
	/* ... but a markdown rule around prose is not YAML */
	CHECK_NORM("---\nHello world\n---\nx", "hello world x");
	CHECK_NORM("---\n---\nx", "x" /* no key: not a header, and '-' separates */);
	/* leading pointer lines */
	CHECK_NORM("[For the original license, see https://x.y/z]\n\nReal text", "real text");
	CHECK_NORM("---\nkey: a\n---\n[For the original, see https://x]\nBody", "body");
	CHECK_NORM("[yyyy] [name of copyright owner]\nBody", "yyyy name of copyright owner body");
	CHECK_NORM("[Licensee Name]\nBody", "licensee name body");
	CHECK_NORM("Body\n[For the original license, see https://x.y/z]",
		   "body for the original license see https x y z");
}

static void test_normalize_unicode(void)
{
	CHECK_NORM("许可协议（示例）。发布", "许可协议 示例 发布");
	CHECK_NORM("Baichuan 2模型社区许可协议 glm-4模型", "baichuan 2 模型社区许可协议 glm 4 模型");
	CHECK_NORM("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3\xEF\xBC\x91\xEF\xBC\x92", "abc12"); /* fullwidth */
	CHECK_NORM("Caf\xC3\xA9 na\xC3\xAFve", "caf\xC3\xA9 na\xC3\xAFve");
	CHECK_NORM("\xEF\xAC\x81le o\xEF\xAC\x80ice", "file office"); /* ligatures */
	/* invalid UTF-8: opaque bytes, kept, never a crash */
	CHECK_NORM("a\xFF\xFE" "b c\xC3", "a\xFF\xFE" "b c\xC3");
	CHECK_NORM("\xE2\x80", "\xE2\x80");
	{
		/* UTF-16LE with a byte-order mark */
		static const char u16[] = "\xFF\xFE" "A\0b\0 \0" "3\0.\0" "1\0\x19\x20s\0";
		char *got = norm_opts(u16, sizeof(u16) - 1, NORM_FULL);
		CHECK_STR(got, "ab 3.1s");
		free(got);
	}
}

static void test_normalize_offsets(void)
{
	const char *in = "  Ab\r\nC&amp;d";
	static const uint32_t want[] = { 2, 3, 4, 6, 7, 12 };
	struct buf b;
	struct lt_error err;
	struct norm_map m;

	buf_init(&b, 1024);
	CHECK_EQ_INT(normalize_text(&b, &m, in, strlen(in), &err), 0);
	CHECK_STR(buf_cstr(&b), "ab c d");
	CHECK_EQ_INT(m.out_len, 6);
	CHECK_EQ_INT(m.in_len, strlen(in));
	/* the separator maps to the first separating byte, " d" to the entity and after */
	for (size_t i = 0; i < 6; i++)
		CHECK_EQ_INT(norm_map_offset(&m, i), want[i]);
	CHECK_EQ_INT(norm_map_offset(&m, 6), strlen(in));
	CHECK_EQ_INT(norm_map_offset(&m, 1000), strlen(in));
	/* runs: "ab" and the CR that becomes the space (2, 3, 4); "c" and the entity
	 * that becomes the next space (6, 7); "d" (12) */
	CHECK_EQ_INT(m.n, 3);
	norm_map_release(&m);
	norm_map_release(&m); /* released twice: a zeroed map */
	buf_release(&b);
}

/* A long plain text needs a run per gap, not an offset per byte; every offset
 * still comes out exactly. */
static void test_normalize_offsets_runs(void)
{
	struct buf text, b;
	struct lt_error err;
	struct norm_map m;
	size_t words = 5000, checked = 0;

	buf_init(&text, 1 << 20);
	for (size_t w = 0; w < words; w++)
		if (w % 10 == 9)
			buf_printf(&text, "Word%zu\n\n", w);
		else
			buf_printf(&text, "word%zu ", w);
	buf_init(&b, 1 << 20);
	CHECK_EQ_INT(normalize_text(&b, &m, text.data, text.len, &err), 0);
	/* words and single spaces continue one run; only a blank line, folded into
	 * one space, starts a new one: a run per ten words */
	CHECK(m.n <= words / 10 + 1);
	for (size_t i = 0, o = 0; i < b.len; i++) {
		uint32_t got = norm_map_offset(&m, i);
		/* output byte i is input byte got, lower-cased or a separator */
		char want = text.data[got];
		if (b.data[i] == ' ')
			CHECK(want == ' ' || want == '\n');
		else
			CHECK(want == b.data[i] || want == b.data[i] - ('a' - 'A'));
		CHECK(got >= o);
		o = got;
		checked++;
	}
	CHECK_EQ_INT(checked, b.len);
	norm_map_release(&m);
	buf_release(&b);
	buf_release(&text);
}

/* Characters kept as their own UTF-8 bytes map byte for byte, so Chinese text is
 * one run; a character that changes (a fullwidth letter, a ligature) maps inside
 * its own input bytes. */
static void test_normalize_offsets_utf8(void)
{
	/* "模型许可" then "Ａ" (fullwidth A, 3 bytes -> "a") then "ﬁ" (3 bytes -> "fi") */
	const char *in = "\xE6\xA8\xA1\xE5\x9E\x8B\xE8\xAE\xB8\xE5\x8F\xAF \xEF\xBC\xA1\xEF\xAC\x81";
	struct buf b;
	struct lt_error err;
	struct norm_map m;

	buf_init(&b, 1024);
	CHECK_EQ_INT(normalize_text(&b, &m, in, strlen(in), &err), 0);
	CHECK_EQ_INT(b.len, 16); /* twelve bytes of CJK, a space, "a", "fi" */
	for (size_t i = 0; i < 12; i++)
		CHECK_EQ_INT(norm_map_offset(&m, i), i);
	CHECK_EQ_INT(norm_map_offset(&m, 12), 12); /* the space */
	CHECK_EQ_INT(norm_map_offset(&m, 13), 13); /* "a": the first byte of "Ａ" */
	CHECK_EQ_INT(norm_map_offset(&m, 14), 16); /* "f" and "i": the ligature's bytes */
	CHECK_EQ_INT(norm_map_offset(&m, 15), 17);
	CHECK_EQ_INT(m.n, 2); /* bytes 0..13, then the ligature */
	norm_map_release(&m);
	buf_release(&b);
}

/* A text that breaks a run at every byte (a zero-width space, dropped, after
 * each letter) gets an offset per byte instead: exact, and never more memory. */
static void test_normalize_offsets_flat(void)
{
	struct buf text, b;
	struct lt_error err;
	struct norm_map m;
	size_t letters = 5000;

	buf_init(&text, 1 << 20);
	for (size_t k = 0; k < letters; k++)
		buf_adds(&text, "a\xE2\x80\x8B");
	buf_init(&b, 1 << 20);
	CHECK_EQ_INT(normalize_text(&b, &m, text.data, text.len, &err), 0);
	CHECK_EQ_INT(b.len, letters);
	CHECK(m.flat != NULL);
	CHECK(m.run == NULL);
	for (size_t i = 0; i < b.len; i++)
		if (norm_map_offset(&m, i) != 4 * i) {
			CHECK_EQ_INT(norm_map_offset(&m, i), 4 * i);
			break;
		}
	CHECK_EQ_INT(norm_map_offset(&m, b.len), text.len);
	norm_map_release(&m);
	/* the same text short of the switch keeps its runs */
	CHECK_EQ_INT(normalize_text(&b, &m, text.data, 4 * 1000, &err), 0);
	CHECK(m.flat == NULL);
	CHECK_EQ_INT(m.n, 1000);
	CHECK_EQ_INT(norm_map_offset(&m, 999), 4 * 999);
	norm_map_release(&m);
	buf_release(&b);
	buf_release(&text);
}

static void test_normalize_modes_and_limits(void)
{
	struct buf b;
	struct lt_error err;
	char *p = norm_opts("1\\. &amp; [x](y)", 16, NORM_PLAIN);

	CHECK_STR(p, "1 amp x y");
	free(p);
	p = norm_opts("---\nkey: a\n---\nx", 16, NORM_PLAIN);
	CHECK_STR(p, "key a x");
	free(p);
	buf_init(&b, 8);
	CHECK_EQ_INT(normalize_text(&b, NULL, "a long text over the cap", 24, &err), LT_ETOOBIG);
	buf_release(&b);
	buf_init(&b, 8);
	CHECK_EQ_INT(normalize_text(&b, NULL, NULL, 0, &err), 0);
	CHECK_EQ_INT(b.len, 0);
	buf_release(&b);
}

/* every prefix of a hostile input normalises without a sanitizer report */
static void test_normalize_fuzz_prefixes(void)
{
	static const char nasty[] = "&#x1F600;&#99999999;&am\\\xF0\x9F\x98\x80<!--<br \xFF\xFE\x00"
				    "---\nk: v\n[see http]\n\xEF\xBB\xBF\xE2\x80\x99'.9.+";
	unsigned seed = 7;

	for (size_t n = 0; n <= sizeof(nasty) - 1; n++) {
		char *p = norm_opts(nasty, n, NORM_FULL);
		CHECK(p != NULL);
		free(p);
	}
	for (int round = 0; round < 300; round++) {
		char rnd[200];
		size_t n = (size_t)(round % 199) + 1;
		struct norm_map m;
		struct buf b;
		struct lt_error err;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			rnd[i] = "&#;x\\<>!-_.'a1 \n\xE2\x80\x99\xC3\xFF["[(seed >> 16) % 22];
		}
		buf_init(&b, 1 << 16);
		CHECK_EQ_INT(normalize_text(&b, &m, rnd, n, &err), 0);
		for (size_t i = 0; i < b.len; i++)
			if (norm_map_offset(&m, i) >= n) {
				CHECK(norm_map_offset(&m, i) < n);
				break;
			}
		norm_map_release(&m);
		buf_release(&b);
	}
}

/* --- automaton --- */

struct hits {
	uint32_t id[20000];
	size_t end[20000];
	size_t n;
};

static int collect(void *payload, uint32_t id, size_t end)
{
	struct hits *h = payload;

	if (h->n < 20000) {
		h->id[h->n] = id;
		h->end[h->n] = end;
		h->n++;
	}
	return 0;
}

static int cmp_hit(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return *x < *y ? -1 : *x > *y;
}

static void test_ac_matches_naive(void)
{
	static struct hits h;
	static char pats[300][8];
	static size_t plen[300];
	static uint32_t pid[300];
	static uint64_t want[20000], got[20000];
	unsigned seed = 12345;

	for (int mode = 0; mode < 2; mode++) {
		for (int round = 0; round < 20; round++) {
			struct ac *ac = NULL;
			struct lt_error err;
			char text[3000];
			size_t nw = 0, np = 100 + (size_t)round * 10;

			CHECK_EQ_INT(ac_new(&ac, mode ? AC_WORDS : AC_BYTES, 0, &err), 0);
			for (size_t i = 0; i < np; i++) {
				seed = seed * 1103515245u + 12345u;
				plen[i] = 1 + (seed >> 16) % 7;
				for (size_t k = 0; k < plen[i]; k++) {
					seed = seed * 1103515245u + 12345u;
					pats[i][k] = "ab c"[(seed >> 16) % 4];
				}
				CHECK_EQ_INT(ac_add(ac, pats[i], plen[i], &pid[i], &err), 0);
			}
			CHECK_EQ_INT(ac_build(ac, &err), 0);
			for (size_t k = 0; k < sizeof(text); k++) {
				seed = seed * 1103515245u + 12345u;
				text[k] = "ab c"[(seed >> 16) % 4];
			}
			h.n = 0;
			ac_scan(ac, text, sizeof(text), collect, &h);
			/* naive: every distinct pattern at every end position */
			for (size_t i = 0; i < np; i++) {
				int dup = 0;
				for (size_t j = 0; j < i; j++)
					if (plen[j] == plen[i] && memcmp(pats[j], pats[i], plen[i]) == 0) {
						CHECK_EQ_INT(pid[j], pid[i]); /* same bytes, same id */
						dup = 1;
					}
				if (dup)
					continue;
				for (size_t e = plen[i]; e <= sizeof(text); e++) {
					size_t s = e - plen[i];
					if (memcmp(text + s, pats[i], plen[i]) != 0)
						continue;
					if (mode && !((s == 0 || text[s - 1] == ' ') &&
						      (e == sizeof(text) || text[e] == ' ')))
						continue;
					if (nw < 20000)
						want[nw++] = ((uint64_t)e << 20) | pid[i];
				}
			}
			for (size_t i = 0; i < h.n; i++)
				got[i] = ((uint64_t)h.end[i] << 20) | h.id[i];
			qsort(want, nw, sizeof(*want), cmp_hit);
			qsort(got, h.n, sizeof(*got), cmp_hit);
			CHECK_EQ_INT(h.n, nw);
			CHECK(h.n == nw && memcmp(want, got, nw * sizeof(*want)) == 0);
			ac_free(ac);
		}
	}
}

static void test_ac_limits(void)
{
	struct ac *ac = NULL;
	struct lt_error err;
	uint32_t id;

	CHECK_EQ_INT(ac_new(&ac, AC_WORDS, 4, &err), 0);
	CHECK_EQ_INT(ac_add(ac, "abc", 3, &id, &err), 0);
	CHECK_EQ_INT(ac_add(ac, "abd", 3, &id, &err), LT_ETOOBIG); /* 5 states > 4 */
	CHECK_EQ_INT(ac_add(ac, "", 0, &id, &err), LT_EINVAL);
	CHECK_EQ_INT(ac_build(ac, &err), 0);
	CHECK_EQ_INT(ac_add(ac, "x", 1, &id, &err), LT_EINVAL);
	CHECK_EQ_INT(ac_npatterns(ac), 1);
	CHECK(ac_memory(ac) > 0);
	ac_free(ac);
	ac_free(NULL);
	/* word boundaries: "llama 3" does not hit inside "llama 3.1", "mit" not in "permit" */
	CHECK_EQ_INT(ac_new(&ac, AC_WORDS, 0, &err), 0);
	CHECK_EQ_INT(ac_add(ac, "llama 3", 7, &id, &err), 0);
	CHECK_EQ_INT(ac_add(ac, "mit", 3, &id, &err), 0);
	CHECK_EQ_INT(ac_build(ac, &err), 0);
	{
		static struct hits h;
		h.n = 0;
		ac_scan(ac, "llama 3.1 permit mit", 20, collect, &h);
		CHECK_EQ_INT(h.n, 1);
		CHECK_EQ_INT(h.end[0], 20);
		h.n = 0;
		ac_scan(ac, "meta llama 3", 12, collect, &h);
		CHECK_EQ_INT(h.n, 1);
	}
	ac_free(ac);
}

/* --- similarity --- */

static void test_similar(void)
{
	const char *a = "the quick brown fox jumps over the lazy dog";
	const char *b = "a quick brown fox jumps over a sleeping cat";
	struct simtext ta, tb;
	struct simset sa, sb;
	unsigned char cov[16] = { 0 };

	CHECK_EQ_INT(simtext_build(&ta, a, strlen(a)), 0);
	CHECK_EQ_INT(simtext_build(&tb, b, strlen(b)), 0);
	CHECK_EQ_INT(ta.n, 9);
	CHECK_EQ_INT(simset_build(&sa, &ta), 0);
	CHECK_EQ_INT(simset_build(&sb, &tb), 0);
	CHECK(simset_containment(&sa, &sa) > 0.999);
	/* shared 3-grams: quick brown fox, brown fox jumps, fox jumps over */
	CHECK(simset_containment(&sa, &sb) > 0.42 && simset_containment(&sa, &sb) < 0.43);
	simtext_cover(&tb, &sa, cov, 1);
	CHECK(!cov[0] && cov[1] && cov[5] && !cov[6] && !cov[8]);
	simset_release(&sa);
	simset_release(&sb);
	simtext_release(&ta);
	simtext_release(&tb);
	CHECK_EQ_INT(simtext_build(&ta, "", 0), 0);
	CHECK_EQ_INT(simset_build(&sa, &ta), 0);
	CHECK_EQ_INT(sa.n, 0);
	CHECK(simset_containment(&sa, &sa) == 0);
	simset_release(&sa);
	simtext_release(&ta);
}

/* A long text takes the radix sort: the set is strictly ascending, holds every
 * shingle of the text and nothing else, and repeated runs collapse. */
static void test_similar_long(void)
{
	struct buf b;
	struct simtext t;
	struct simset set;
	size_t ok = 1;

	buf_init(&b, 1 << 20);
	for (int i = 0; i < 3000; i++)
		buf_printf(&b, "%sw%d", i ? " " : "", (i * 7919) % 1000); /* words repeat */
	CHECK_EQ_INT(simtext_build(&t, buf_cstr(&b), b.len), 0);
	CHECK_EQ_INT(t.n, 3000);
	CHECK_EQ_INT(simset_build(&set, &t), 0);
	CHECK(set.n > 48 && set.n <= 2998);
	for (size_t i = 1; i < set.n; i++)
		ok &= set.v[i - 1] < set.v[i];
	CHECK(ok);
	for (size_t i = 0; i + SIM_K <= t.n; i++)
		ok &= (size_t)simset_has(&set, simtext_shingle(&t, i));
	CHECK(ok);
	/* 1000 distinct words in a cycle of 1000: exactly 1000 distinct shingles */
	CHECK_EQ_INT(set.n, 1000);
	CHECK(simset_containment(&set, &set) > 0.999);
	simset_release(&set);
	simtext_release(&t);
	buf_release(&b);
}

/* --- classification against our fixtures --- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Classify path; expected answer is the directory name. Returns 1 when right. */
static int check_fixture(const struct classify_ctx *ctx, const char *dir, const char *path)
{
	struct buf b;
	struct classify_result r;
	struct lt_error err;
	char *want[8], *copy = lt_strdup(dir), *p, *save = NULL;
	size_t nwant = 0;
	int ok;

	if (read_path(&b, path) != 0) {
		free(copy);
		return 0;
	}
	CHECK_EQ_INT(classify_text(ctx, buf_cstr(&b), b.len, &r, &err), 0);
	if (strcmp(dir, "binary") == 0) {
		ok = r.binary && r.n == 0;
	} else if (strcmp(dir, "unknown") == 0) {
		ok = !r.binary && r.n == 0;
	} else {
		for (p = strtok_r(copy, "+", &save); p && nwant < 8; p = strtok_r(NULL, "+", &save))
			want[nwant++] = p;
		ok = !r.binary && r.n == nwant;
		for (size_t i = 0; ok && i < nwant; i++)
			ok = has_id(r.v, r.n, want[i]);
		qsort(want, nwant, sizeof(*want), cmp_str);
	}
	if (!ok) {
		fprintf(stderr, "  %s: expected %s, got", path, dir);
		for (size_t i = 0; i < r.n; i++)
			fprintf(stderr, " %s", r.v[i].lic->id);
		fprintf(stderr, "%s%s\n", r.binary ? " (binary)" : "", r.n || r.binary ? "" : " nothing");
	}
	classify_result_release(&r);
	buf_release(&b);
	free(copy);
	return ok;
}

static void test_classify_fixtures(void)
{
	struct licensedb *db = load_db();
	struct classify_ctx *ctx = NULL;
	struct lt_error err;
	char root[512];
	DIR *d;
	struct dirent *e;
	int files = 0;

	if (!db)
		return;
	CHECK_EQ_INT(classify_new(&ctx, db, &err), 0);
	snprintf(root, sizeof(root), "%s/fixtures/texts", LT_SOURCE_DIR);
	d = opendir(root);
	CHECK(d != NULL);
	while (d && ctx && (e = readdir(d))) {
		char sub[1024];
		DIR *d2;
		struct dirent *f;
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", root, e->d_name);
		if (!(d2 = opendir(sub)))
			continue;
		while ((f = readdir(d2))) {
			char path[1536];
			struct stat st;
			if (f->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", sub, f->d_name);
			if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
				continue;
			files++;
			CHECK(check_fixture(ctx, e->d_name, path));
		}
		closedir(d2);
	}
	if (d)
		closedir(d);
	CHECK(files >= 30);
	classify_free(ctx);
	licensedb_free(db);
}

static int classify_file(const struct classify_ctx *ctx, const char *rel, struct classify_result *r)
{
	char path[1024];
	struct buf b;
	struct lt_error err;
	int rc;

	snprintf(path, sizeof(path), "%s/fixtures/texts/%s", LT_SOURCE_DIR, rel);
	memset(r, 0, sizeof(*r));
	if (read_path(&b, path) != 0) {
		CHECK(!"fixture readable");
		return -1;
	}
	rc = classify_text(ctx, buf_cstr(&b), b.len, r, &err);
	buf_release(&b);
	return rc;
}

static void test_classify_semantics(void)
{
	struct licensedb *db = load_db();
	struct classify_ctx *ctx = NULL;
	struct classify_result r;
	struct classify_stats st;
	struct lt_error err;

	if (!db)
		return;
	CHECK_EQ_INT(classify_new(&ctx, db, &err), 0);
	if (!ctx) {
		licensedb_free(db);
		return;
	}
	classify_get_stats(ctx, &st);
	CHECK(st.rules >= 200);
	CHECK(st.references >= 5);

	/* a Kimi-style modified MIT: the specific license, never mit */
	CHECK_EQ_INT(classify_file(ctx, "kimi-k2/LICENSE", &r), 0);
	CHECK(r.n == 1 && strcmp(r.v[0].lic->id, "kimi-k2") == 0);
	CHECK(!has_id(r.v, r.n, "mit") && !has_id(r.alt, r.nalt, "mit"));
	CHECK(r.modified_from == NULL);
	classify_result_release(&r);

	/* MIT plus an unknown extra clause: unknown, noted as modified from mit */
	CHECK_EQ_INT(classify_file(ctx, "unknown/modified-mit-extra-clause.txt", &r), 0);
	CHECK_EQ_INT(r.n, 0);
	CHECK_STR(r.modified_from, "mit");
	CHECK(has_id(r.alt, r.nalt, "mit"));
	CHECK(r.nalt && r.alt[0].confidence < r.alt[0].rule->confidence);
	classify_result_release(&r);

	/* the same MIT without the clause is plain mit; line of its first phrase */
	CHECK_EQ_INT(classify_file(ctx, "mit/scancode-header.LICENSE", &r), 0);
	CHECK(r.n == 1 && strcmp(r.v[0].lic->id, "mit") == 0 && r.v[0].kind == RULE_LICENSE);
	CHECK(r.n == 1 && r.v[0].line == 13);
	CHECK(r.modified_from == NULL);
	classify_result_release(&r);

	/* version lines tell Llama versions apart; the line is the date line */
	CHECK_EQ_INT(classify_file(ctx, "llama3.1/excerpt.txt", &r), 0);
	CHECK(r.n == 1 && strcmp(r.v[0].lic->id, "llama3.1") == 0);
	CHECK(r.n == 1 && r.v[0].line == 2);
	CHECK(r.n == 1 && strcmp(r.v[0].rule->id, "llama3.1-release-date") == 0);
	classify_result_release(&r);

	/* a license with its AUP appended: one detection of kind license */
	CHECK_EQ_INT(classify_file(ctx, "llama3/license-with-aup.txt", &r), 0);
	CHECK(r.n == 1 && strcmp(r.v[0].lic->id, "llama3") == 0 && r.v[0].kind == RULE_LICENSE);
	classify_result_release(&r);

	/* the family fallback loses to the dated version and is kept as alternative */
	CHECK_EQ_INT(classify_file(ctx, "gemma-2024-04/excerpt.txt", &r), 0);
	CHECK(r.n == 1 && strcmp(r.v[0].lic->id, "gemma-2024-04") == 0);
	CHECK(has_id(r.alt, r.nalt, "gemma"));
	classify_result_release(&r);

	/* bundle: both licenses, each with its own line */
	CHECK_EQ_INT(classify_file(ctx, "bsd-3-clause+mit/NOTICE", &r), 0);
	CHECK_EQ_INT(r.n, 2);
	CHECK(r.n == 2 && r.v[0].line != r.v[1].line);
	CHECK(r.modified_from == NULL);
	classify_result_release(&r);

	/* a per-file header plus a restriction is not plain Apache either */
	CHECK_EQ_INT(classify_file(ctx, "unknown/apache-header-plus-restriction.txt", &r), 0);
	CHECK_EQ_INT(r.n, 0);
	CHECK_STR(r.modified_from, "apache-2.0");
	classify_result_release(&r);

	/* a per-file header is a notice */
	CHECK_EQ_INT(classify_file(ctx, "apache-2.0/header-notice.txt", &r), 0);
	CHECK(r.n == 1 && r.v[0].kind == RULE_NOTICE);
	classify_result_release(&r);

	CHECK_EQ_INT(classify_file(ctx, "binary/weights.gguf", &r), 0);
	CHECK(r.binary == 1 && r.n == 0);
	classify_result_release(&r);

	/* limits */
	CHECK_EQ_INT(classify_text(ctx, "x", (size_t)CLASSIFY_MAX_TEXT + 1, &r, &err), LT_ETOOBIG);
	classify_result_release(&r);
	CHECK_EQ_INT(classify_text(ctx, "", 0, &r, &err), 0);
	CHECK(r.n == 0 && !r.binary);
	classify_result_release(&r);
	classify_result_release(NULL);
	classify_free(ctx);
	classify_free(NULL);
	licensedb_free(db);
}

/* --- licenses added for issue 9 ("Licenses still missing") --- */

/* Short texts in our own words around each added license's identifying phrases:
 * what classify must report (NULL: nothing), with which rule kind, and a
 * license that must not be reported alongside it (NULL: no such check). */
static void test_classify_added_licenses(void)
{
	static const struct {
		const char *text, *want;
		enum rule_kind kind;
		const char *absent;
	} cases[] = {
		/* Cohere: the policy alone is that license's use policy ... */
		{ "Cohere Labs Acceptable Use Policy\nNo deepfakes, no fraud.", "cohere-labs-cc-by-nc-4.0",
		  RULE_POLICY, NULL },
		{ "Our summary: you may not use or allow others to use our models or model derivatives for "
		  "harm.\nSynthetic data for commercial uses: forbidden.",
		  "cohere-labs-cc-by-nc-4.0", RULE_POLICY, NULL },
		/* ... and with the CC BY-NC 4.0 legal code it replaces plain cc-by-nc-4.0 */
		{ "Attribution-NonCommercial 4.0 International\n...\nCohere For AI Acceptable Use Policy\n",
		  "cohere-labs-cc-by-nc-4.0", RULE_LICENSE, "cc-by-nc-4.0" },
		/* plain CC BY-NC 4.0 stays cc-by-nc-4.0 */
		{ "Attribution-NonCommercial 4.0 International\nsome other project's data card",
		  "cc-by-nc-4.0", RULE_LICENSE, "cohere-labs-cc-by-nc-4.0" },
		/* FLUX.1 [dev] v1 text is not reported as the v2.1 text */
		{ "FLUX.1 [dev] Non-Commercial License\nBlack Forest Labs, non-commercial use only.",
		  "flux-1-dev-nc-1", RULE_LICENSE, "flux-nc-2.1" },
		{ "FLUX Non-Commercial License v2.1\nFLUX.1 [dev] Non-Commercial License (the older one)",
		  "flux-nc-2.1", RULE_LICENSE, "flux-1-dev-nc-1" },
		/* the MiniCPM agreement mentions Apache 2.0: not reported as apache-2.0 */
		{ "MiniCPM Model Community License Agreement\nVersion 1.0, June 5, 2024\nmust comply with "
		  "Apache 2.0 and this agreement",
		  "minicpm-community-1.0", RULE_LICENSE, "apache-2.0" },
		{ "HAI-DEF is provided under and subject to the Health AI Developer Foundations Terms of Use "
		  "found at https://developers.google.com/health-ai-developer-foundations/terms",
		  "health-ai-developer-foundations", RULE_NOTICE, "gemma" },
		{ "MICROSOFT RESEARCH LICENSE TERMS\nuse the Materials for research", "microsoft-research-license",
		  RULE_LICENSE, NULL },
		{ "The CogVideoX License\nLicensor: the CogVideoX Model Team.", "cogvideox", RULE_LICENSE, "mit" },
		/* NVIDIA's research source code license; the One-Way Noncommercial text is another */
		{ "NVIDIA Source Code License for Foo\nonly may be used or intended for use non-commercially",
		  "nvidia-source-code-nc", RULE_LICENSE, NULL },
		{ "NVIDIA Source Code License\nNVIDIA One-Way Noncommercial License\nSource Code License-NC", NULL,
		  RULE_LICENSE, NULL },
		/* Open Aleph: the grant excerpt is the license; a source header is a notice */
		{ "Open Aleph License 1.0 excerpt: for any Non-Commercial and Non-Administrative purpose.",
		  "open-aleph-1.0", RULE_LICENSE, NULL },
		{ "# Copyright (c) 2026, Aleph Alpha example\n# Open Aleph License 1.0\n", "open-aleph-1.0",
		  RULE_NOTICE, NULL },
		/* names alone (a card sentence) are not a license text */
		{ "This model is released under the SAM License by Meta.", NULL, RULE_LICENSE, NULL },
		{ "See the Microsoft Research license for details.", NULL, RULE_LICENSE, NULL },
		{ "Weights: the CogVideoX License applies.", NULL, RULE_LICENSE, NULL },
	};
	struct licensedb *db = load_db();
	struct classify_ctx *ctx = NULL;
	struct lt_error err;

	if (!db)
		return;
	CHECK_EQ_INT(classify_new(&ctx, db, &err), 0);
	for (size_t i = 0; ctx && i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct classify_result r;
		int ok;
		CHECK_EQ_INT(classify_text(ctx, cases[i].text, strlen(cases[i].text), &r, &err), 0);
		if (!cases[i].want)
			ok = r.n == 0;
		else
			ok = r.n >= 1 && has_id(r.v, r.n, cases[i].want) &&
			     (!cases[i].absent || !has_id(r.v, r.n, cases[i].absent));
		for (size_t j = 0; ok && cases[i].want && j < r.n; j++)
			if (strcmp(r.v[j].lic->id, cases[i].want) == 0)
				ok = r.v[j].kind == cases[i].kind;
		if (!ok) {
			fprintf(stderr, "  case %zu: expected %s, got", i, cases[i].want ? cases[i].want : "nothing");
			for (size_t j = 0; j < r.n; j++)
				fprintf(stderr, " %s(kind %d)", r.v[j].lic->id, (int)r.v[j].kind);
			fprintf(stderr, "\n");
		}
		CHECK(ok);
		classify_result_release(&r);
	}
	classify_free(ctx);
	licensedb_free(db);
}

/* --- rules check --- */

static void test_shipped_phrases_are_clean(void)
{
	struct licensedb *db = load_db();
	size_t before;

	if (!db)
		return;
	before = db->problems.n;
	CHECK_EQ_INT(classify_check_phrases(db), 0);
	for (size_t i = before; i < db->problems.n; i++)
		fprintf(stderr, "  %s\n", db->problems.v[i]);
	licensedb_free(db);
}

static int write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(s, f);
	return fclose(f);
}

static void test_check_phrases_finds_problems(void)
{
	char dir[] = "/tmp/lt-classify-XXXXXX", p[256];
	const char *roots[1] = { dir };
	struct licensedb *db = NULL;
	struct lt_error err;
	int n;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(p, sizeof(p), "%s/licenses", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/rules", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/licenses/foo.yaml", dir);
	CHECK_EQ_INT(write_file(p, "id: foo\nname: Foo\nspdx: LicenseRef-foo\nfamily: foo\nversion: \"\"\n"
				"category: permissive\nsummary: a test license\n"
				"derivatives:\n  relicense: allowed\n  note: test\n"), 0);
	snprintf(p, sizeof(p), "%s/rules/detect-test.yaml", dir);
	CHECK_EQ_INT(write_file(p, "detect:\n"
				"  - id: good\n    license: foo\n    all: ['Foo License, Version 1.0']\n"
				"  - id: entity\n    license: foo\n    all: ['Foo &amp; Bar']\n"
				"  - id: escape\n    license: foo\n    all: ['Version 3\\.1']\n"
				"  - id: empty\n    license: foo\n    all: ['---']\n"
				"  - id: pointer\n    license: foo\n    any: ['[For the original, see http://x]']\n"
				"  - id: both\n    license: foo\n    all: ['Foo License']\n    none: ['foo  LICENSE']\n"), 0);
	CHECK_EQ_INT(licensedb_load(&db, roots, 1, &err), 0);
	if (db) {
		size_t before = db->problems.n;
		n = classify_check_phrases(db);
		/* entity, escape, empty (+ no usable phrase), pointer (+ no usable phrase), both */
		CHECK_EQ_INT(n, 7);
		CHECK_EQ_INT(db->problems.n - before, 7);
		for (size_t i = before; i < db->problems.n; i++)
			CHECK(strstr(db->problems.v[i], "good") == NULL);
		{
			/* a rule with an empty phrase is skipped, the database still builds */
			struct classify_ctx *ctx = NULL;
			struct classify_result r;
			struct classify_stats st;
			CHECK_EQ_INT(classify_new(&ctx, db, &err), 0);
			classify_get_stats(ctx, &st);
			CHECK_EQ_INT(st.rules, 4); /* good, entity, escape, both */
			CHECK_EQ_INT(classify_text(ctx, "FOO LICENSE, version 1.0", 24, &r, &err), 0);
			CHECK(r.n == 1 && strcmp(r.v[0].rule->id, "good") == 0);
			classify_result_release(&r);
			classify_free(ctx);
		}
	}
	licensedb_free(db);
	snprintf(p, sizeof(p), "%s/rules/detect-test.yaml", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/licenses/foo.yaml", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/rules", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/licenses", dir);
	rmdir(p);
	rmdir(dir);
}

/* --- the real-world corpus --- */

struct expect {
	char family[96], version[96];
	char ids[256], allowed[256];
	char category[64];
};

static int load_map(struct expect *m, size_t max)
{
	char path[512], line[1024];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/fixtures/texts/corpus-map.tsv", LT_SOURCE_DIR);
	if (!(f = fopen(path, "r")))
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		char *save = NULL, *c[5];
		int k = 0;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		for (char *t = strtok_r(line, "\t", &save); t && k < 5; t = strtok_r(NULL, "\t", &save))
			c[k++] = t;
		if (k != 5)
			continue;
		lt_strlcpy(m[n].family, c[0], sizeof(m[n].family));
		lt_strlcpy(m[n].version, c[1], sizeof(m[n].version));
		lt_strlcpy(m[n].ids, c[2], sizeof(m[n].ids));
		lt_strlcpy(m[n].allowed, c[3], sizeof(m[n].allowed));
		lt_strlcpy(m[n].category, c[4], sizeof(m[n].category));
		n++;
	}
	fclose(f);
	return (int)n;
}

static int in_list(const char *list, const char *id)
{
	size_t k = strlen(id);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == k && memcmp(p, id, k) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

static int list_count(const char *list)
{
	int n = 1;

	if (strcmp(list, "-") == 0)
		return 0;
	for (const char *p = list; *p; p++)
		n += *p == ',';
	return n;
}

/* strictest category of the ids in list, or -1 */
static int list_category(const struct licensedb *db, const char *list)
{
	char copy[256], *save = NULL;
	int best = -1;

	lt_strlcpy(copy, list, sizeof(copy));
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		const struct licdef *d = licensedb_get(db, t);
		if (d && (int)d->category > best)
			best = (int)d->category;
	}
	return best;
}

static void test_corpus(void)
{
	static struct expect map[256];
	char dir[512], mpath[600], line[2048];
	struct licensedb *db = NULL;
	struct classify_ctx *ctx = NULL;
	struct lt_error err;
	FILE *mf;
	int nmap, correct = 0, wrong = 0, unknown = 0, looser = 0, unmapped = 0, total = 0;
	double t0, build_ms, scan_ms = 0;
	size_t bytes = 0;

	snprintf(dir, sizeof(dir), "%s/../shared/corpus/licenses", LT_SOURCE_DIR);
	snprintf(mpath, sizeof(mpath), "%s/MANIFEST.tsv", dir);
	if (access(mpath, R_OK) != 0) {
		printf("# corpus absent (%s), skipped\n", dir);
		return;
	}
	nmap = load_map(map, sizeof(map) / sizeof(*map));
	CHECK(nmap > 0);
	if (!(db = load_db()))
		return;
	t0 = now_ms();
	CHECK_EQ_INT(classify_new(&ctx, db, &err), 0);
	build_ms = now_ms() - t0;
	mf = fopen(mpath, "r");
	CHECK(mf != NULL);
	while (ctx && mf && fgets(line, sizeof(line), mf)) {
		char *save = NULL, *file, *family, *version, path[1024];
		const struct expect *x = NULL;
		struct classify_result r;
		struct buf b;
		int ok, truth, got = -1;

		line[strcspn(line, "\r\n")] = '\0';
		file = strtok_r(line, "\t", &save);
		family = strtok_r(NULL, "\t", &save);
		version = strtok_r(NULL, "\t", &save);
		if (!file || !family || !version || strcmp(file, "file") == 0)
			continue;
		for (int i = 0; i < nmap && !x; i++)
			if (strcmp(map[i].family, family) == 0 &&
			    (strcmp(map[i].version, version) == 0 || strcmp(map[i].version, "*") == 0))
				x = &map[i];
		if (!x) {
			printf("# unmapped: %s (%s %s)\n", file, family, version);
			unmapped++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		if (read_path(&b, path) != 0) {
			buf_release(&b);
			continue;
		}
		total++;
		t0 = now_ms();
		CHECK_EQ_INT(classify_text(ctx, buf_cstr(&b), b.len, &r, &err), 0);
		scan_ms += now_ms() - t0;
		bytes += b.len;
		/* right: every expected id, nothing else but the allowed extras */
		ok = (int)r.n >= list_count(x->ids);
		for (size_t i = 0; ok && i < r.n; i++)
			ok = in_list(x->ids, r.v[i].lic->id) || in_list(x->allowed, r.v[i].lic->id);
		for (int i = 0, k = list_count(x->ids); ok && i < k; i++) {
			char copy[256], *s2 = NULL, *t;
			lt_strlcpy(copy, x->ids, sizeof(copy));
			t = strtok_r(copy, ",", &s2);
			for (int j = 0; j < i && t; j++)
				t = strtok_r(NULL, ",", &s2);
			ok = t && has_id(r.v, r.n, t);
		}
		if (list_count(x->ids) == 0)
			ok = r.n == 0 && !r.binary;
		truth = strcmp(x->category, "-") != 0 ? lic_category_parse(x->category)
						      : list_category(db, x->ids);
		/* what a reader takes away: the first license for a single text, the
		 * strictest one for a bundle */
		if (r.n && list_count(x->ids) <= 1)
			got = (int)r.v[0].lic->category;
		for (size_t i = 0; r.n && list_count(x->ids) > 1 && i < r.n; i++)
			if ((int)r.v[i].lic->category > got)
				got = (int)r.v[i].lic->category;
		if (ok)
			correct++;
		else if (r.n == 0)
			unknown++;
		else
			wrong++;
		if (got >= 0 && truth >= 0 && got < truth) {
			looser++;
			printf("# MORE PERMISSIVE: %s: %s (%s) for %s (%s)\n", file, r.v[0].lic->id,
			       lic_category_name(r.v[0].lic->category), x->ids, lic_category_name(truth));
		}
		if (!ok) {
			printf("# miss: %s: expected %s, got", file, x->ids);
			for (size_t i = 0; i < r.n; i++)
				printf(" %s(%s)", r.v[i].lic->id, r.v[i].rule->id);
			printf("%s\n", r.n ? "" : " unknown");
		}
		classify_result_release(&r);
		buf_release(&b);
	}
	if (mf)
		fclose(mf);
	{
		struct classify_stats st;
		classify_get_stats(ctx, &st);
		printf("# corpus: %d texts: %d correct, %d wrong, %d unknown, %d more permissive than the truth"
		       " (%d unmapped)\n", total, correct, wrong, unknown, looser, unmapped);
		printf("# automaton: %zu rules, %zu phrases, %zu states, %zu KiB; built in %.1f ms"
		       " (with %zu reference texts)\n", st.rules, st.phrases, st.states, st.memory / 1024,
		       build_ms, st.references);
		/* throughput: repeat the pass so the figure is not timer noise */
		if (bytes && scan_ms > 0)
			printf("# classify: %zu KiB in %.1f ms: %.1f MiB/s (sanitizer builds are ~5x slower)\n",
			       bytes / 1024, scan_ms, (double)bytes / (1024.0 * 1024.0) / (scan_ms / 1000.0));
	}
	CHECK(total > 0);
	CHECK_EQ_INT(looser, 0); /* never more permissive than the truth */
	classify_free(ctx);
	licensedb_free(db);
}

/* --- the classification cache --- */

static int has_license(const struct classify_result *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].lic->id, id))
			return 1;
	return 0;
}

/* Every copy of a text after the first is answered from the cache, with the
 * classifier's own answer; other data (a rule removed) is never answered with
 * the first data's results. */
static void test_classcache(void)
{
	const char *texts[] = {
		NULL, /* licenses/texts/MIT.txt */
		"Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\nTERMS AND "
		"CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
		"nothing a license would say",
	};
	struct licensedb *a = load_db(), *b = load_db();
	struct classify_ctx *ca = NULL, *cb = NULL;
	struct classcache_stats st;
	struct classify_result r, d;
	struct lt_error err;
	size_t kept = 0;
	struct buf mit;

	buf_init(&mit, MAX_TEXT);
	if (!a || !b)
		goto out;
	CHECK_EQ_INT(read_path(&mit, LT_SOURCE_DIR "/licenses/texts/MIT.txt"), 0);
	if (!(texts[0] = buf_cstr(&mit)))
		goto out;
	classcache_forget();
	CHECK_EQ_INT(classify_new(&ca, a, &err), 0);
	for (int round = 0; ca && round < 100; round++)
		for (size_t i = 0; i < 3; i++) {
			CHECK_EQ_INT(classcache_classify(ca, a, texts[i], strlen(texts[i]), &r, &err), 0);
			if (round == 0 || round == 99) {
				/* the same answer as the classifier's */
				CHECK_EQ_INT(classify_text(ca, texts[i], strlen(texts[i]), &d, &err), 0);
				CHECK_EQ_INT(r.n, d.n);
				CHECK_EQ_INT(r.nalt, d.nalt);
				for (size_t k = 0; k < r.n && k < d.n; k++)
					CHECK(r.v[k].lic == d.v[k].lic && r.v[k].rule == d.v[k].rule &&
					      r.v[k].confidence == d.v[k].confidence && r.v[k].line == d.v[k].line);
				classify_result_release(&d);
			}
			classify_result_release(&r);
		}
	classcache_get_stats(&st);
	CHECK_EQ_INT(st.misses, 3); /* each distinct text classified once */
	CHECK_EQ_INT(st.hits, 297);
	CHECK_EQ_INT(st.entries, 3);
	CHECK_EQ_INT(classcache_classify(ca, a, texts[0], strlen(texts[0]), &r, &err), 0);
	CHECK(has_license(&r, "mit"));
	classify_result_release(&r);

	/* other data: b without its mit rules */
	for (size_t i = 0; i < b->nrules; i++) {
		struct detect_rule *t = b->rules[i];
		if (strcmp(t->license, "mit") != 0) {
			b->rules[i] = b->rules[kept];
			b->rules[kept++] = t;
		}
	}
	{
		size_t all = b->nrules;
		b->nrules = kept;
		CHECK_EQ_INT(classify_new(&cb, b, &err), 0);
		if (cb) {
			CHECK_EQ_INT(classcache_classify(cb, b, texts[0], strlen(texts[0]), &r, &err), 0);
			CHECK(!has_license(&r, "mit"));
			classify_result_release(&r);
			classcache_get_stats(&st);
			CHECK_EQ_INT(st.misses, 4);
			CHECK_EQ_INT(st.entries, 1); /* the first data's entries are gone */
		}
		/* and back to the first data: classified again, mit again */
		CHECK_EQ_INT(classcache_classify(ca, a, texts[0], strlen(texts[0]), &r, &err), 0);
		CHECK(has_license(&r, "mit"));
		classify_result_release(&r);
		classcache_get_stats(&st);
		CHECK_EQ_INT(st.misses, 5);
		classcache_forget();
		classify_free(cb);
		b->nrules = all;
	}
out:
	classcache_forget();
	classify_free(ca);
	licensedb_free(a);
	licensedb_free(b);
	buf_release(&mit);
}

/* Files of the on-disk cache folder dir, or -1. */
static int count_files(const char *dir, char *first, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			if (first && !n)
				lt_strlcpy(first, de->d_name, size);
			n++;
		}
	closedir(d);
	return n;
}

/* The answer through the cache equals the classifier's own. */
static int same_answer(const struct classify_ctx *c, const struct licensedb *db, const char *text)
{
	struct classify_result r, d;
	struct lt_error err;
	int same;

	if (classcache_classify(c, db, text, strlen(text), &r, &err) != 0)
		return 0;
	if (classify_text(c, text, strlen(text), &d, &err) != 0) {
		classify_result_release(&r);
		return 0;
	}
	same = r.n == d.n && r.nalt == d.nalt && r.binary == d.binary &&
	       !((r.modified_from == NULL) ^ (d.modified_from == NULL)) &&
	       (!r.modified_from || !strcmp(r.modified_from, d.modified_from));
	for (size_t k = 0; same && k < r.n; k++)
		same = r.v[k].lic == d.v[k].lic && r.v[k].rule == d.v[k].rule &&
		       r.v[k].confidence == d.v[k].confidence && r.v[k].line == d.v[k].line &&
		       r.v[k].kind == d.v[k].kind;
	for (size_t k = 0; same && k < r.nalt; k++)
		same = r.alt[k].lic == d.alt[k].lic && r.alt[k].rule == d.alt[k].rule &&
		       r.alt[k].confidence == d.alt[k].confidence;
	classify_result_release(&r);
	classify_result_release(&d);
	return same;
}

/* Across runs: a second run (memory dropped) answers from the folder with the
 * classifier's answers; other data never reads the first data's entries (and
 * deletes them); a damaged entry, a forged one naming an unknown license and a
 * symbolic link are ignored, the text classified again with the same answer. */
/* Texts of one length that differ in a byte, and one text cut short, are told
 * apart: the memo of SHA-256s reuses a key only for the very same bytes. */
static void test_classcache_same_length(void)
{
	struct licensedb *a = load_db();
	struct classify_ctx *ca = NULL;
	struct classcache_stats st, st0;
	struct classify_result r, d;
	struct lt_error err;
	struct buf mit;
	char *alt = NULL;
	size_t n;

	buf_init(&mit, MAX_TEXT);
	if (!a || read_path(&mit, LT_SOURCE_DIR "/licenses/texts/MIT.txt") != 0 || mit.len < 200)
		goto out;
	n = mit.len;
	alt = malloc(n + 1);
	if (!alt)
		goto out;
	/* the same length, no longer MIT: its grant replaced with filler */
	memset(alt, 'x', n);
	memcpy(alt, mit.data, 40);
	alt[n] = '\0';
	classcache_forget();
	classcache_get_stats(&st0); /* counts run on across tests */
	CHECK_EQ_INT(classify_new(&ca, a, &err), 0);
	for (int round = 0; ca && round < 3; round++) {
		const char *t[] = { mit.data, alt, mit.data };
		size_t len[] = { n, n, n - 100 };
		for (size_t i = 0; i < 3; i++) {
			CHECK_EQ_INT(classcache_classify(ca, a, t[i], len[i], &r, &err), 0);
			CHECK_EQ_INT(classify_text(ca, t[i], len[i], &d, &err), 0);
			CHECK_EQ_INT(r.n, d.n);
			for (size_t k = 0; k < r.n && k < d.n; k++)
				CHECK(r.v[k].lic == d.v[k].lic && r.v[k].rule == d.v[k].rule);
			if (i == 0)
				CHECK(has_license(&r, "mit"));
			if (i == 1)
				CHECK(!has_license(&r, "mit"));
			classify_result_release(&d);
			classify_result_release(&r);
		}
	}
	classcache_get_stats(&st);
	CHECK_EQ_INT((int)(st.misses - st0.misses), 3); /* three distinct texts */
	CHECK_EQ_INT((int)(st.hits - st0.hits), 6);
out:
	classcache_forget();
	classify_free(ca);
	licensedb_free(a);
	buf_release(&mit);
	free(alt);
}

static void test_classcache_disk(void)
{
	char dir[] = "/tmp/lt-classcache-XXXXXX", sub[128], name[256], path[512], victim[512];
	struct licensedb *a = load_db(), *b = load_db();
	struct classify_ctx *ca = NULL, *cb = NULL;
	struct classcache_stats s0, st;
	struct lt_error err;
	struct buf mit, data;
	const char *texts[3] = { NULL, "Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/",
				 "nothing a license would say" };
	size_t kept = 0;

	buf_init(&mit, MAX_TEXT);
	buf_init(&data, 1u << 20);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(sub, sizeof(sub), "%s/cache/classify", dir);
	if (!a || !b || read_path(&mit, LT_SOURCE_DIR "/licenses/texts/MIT.txt") != 0)
		goto out;
	texts[0] = buf_cstr(&mit);
	classcache_forget();
	CHECK_EQ_INT(classcache_set_dir(sub), 0);
	CHECK_EQ_INT(classify_new(&ca, a, &err), 0);
	if (!ca)
		goto out;
	classcache_get_stats(&s0);
	for (int i = 0; i < 3; i++)
		CHECK(same_answer(ca, a, texts[i]));
	classcache_get_stats(&st);
	CHECK_EQ_INT(st.disk_writes - s0.disk_writes, 3);
	CHECK_EQ_INT(st.disk_hits - s0.disk_hits, 0);
	CHECK_EQ_INT(count_files(sub, NULL, 0), 3);
	{
		struct stat sst;
		CHECK(stat(sub, &sst) == 0 && (sst.st_mode & 0777) == 0700);
	}

	/* a second run: nothing in memory, every answer from the folder */
	classcache_forget();
	classcache_get_stats(&s0);
	for (int i = 0; i < 3; i++)
		CHECK(same_answer(ca, a, texts[i]));
	classcache_get_stats(&st);
	CHECK_EQ_INT(st.disk_hits - s0.disk_hits, 3);
	CHECK_EQ_INT(st.disk_writes - s0.disk_writes, 0);
	CHECK_EQ_INT(st.disk_rejected - s0.disk_rejected, 0);

	/* damaged entries: each byte flipped in turn is caught, never a wrong answer */
	classcache_forget();
	CHECK_EQ_INT(count_files(sub, NULL, 0), 3);
	{
		DIR *d = opendir(sub);
		struct dirent *de;
		int checked = 0;
		while (d && (de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", sub, de->d_name);
			buf_release(&data); /* read_path starts it anew */
			if (read_path(&data, path) == 0 && strstr(data.data, "\nmit ")) {
				lt_strlcpy(victim, path, sizeof(victim));
				checked = 1;
			}
		}
		if (d)
			closedir(d);
		CHECK(checked);
	}
	buf_release(&data); /* read_path starts it anew */
	CHECK_EQ_INT(read_path(&data, victim), 0);
	for (size_t i = 0; i < data.len; i += 7) {
		data.data[i] ^= 0x20;
		CHECK_EQ_INT(lt_write_atomic(victim, data.data, data.len, &err), 0);
		classcache_forget();
		classcache_get_stats(&s0);
		CHECK(same_answer(ca, a, texts[0]));
		classcache_get_stats(&st);
		CHECK_EQ_INT(st.disk_hits - s0.disk_hits, 0);
		CHECK_EQ_INT(st.disk_rejected - s0.disk_rejected, 1);
		/* classified again and rewritten whole */
		CHECK_EQ_INT(st.disk_writes - s0.disk_writes, 1);
		buf_release(&data); /* read_path starts it anew */
		CHECK_EQ_INT(read_path(&data, victim), 0);
	}
	/* a forged entry with a good checksum naming a license this data lacks */
	{
		char *v = strstr(data.data, "\nmit "), sum[65];
		char *forged = v ? lt_asprintf("%.*s\nno-such-license%s", (int)(v - data.data), data.data, v + 4) : NULL;
		char *end = forged ? strstr(forged, "sum ") : NULL;
		if (end) {
			lt_sha256_hex(forged, (size_t)(end - forged), sum);
			memcpy(end + 4, sum, 64);
			CHECK_EQ_INT(lt_write_atomic(victim, forged, strlen(forged), &err), 0);
			classcache_forget();
			classcache_get_stats(&s0);
			CHECK(same_answer(ca, a, texts[0]));
			classcache_get_stats(&st);
			CHECK_EQ_INT(st.disk_hits - s0.disk_hits, 0);
			CHECK_EQ_INT(st.disk_rejected - s0.disk_rejected, 1);
		}
		CHECK(end != NULL);
		free(forged);
	}
	/* a symbolic link in place of an entry is not followed */
	snprintf(path, sizeof(path), "%s/good.cls", dir);
	buf_release(&data); /* read_path starts it anew */
	CHECK_EQ_INT(read_path(&data, victim), 0);
	CHECK_EQ_INT(lt_write_atomic(path, data.data, data.len, &err), 0);
	CHECK(unlink(victim) == 0 && symlink(path, victim) == 0);
	classcache_forget();
	classcache_get_stats(&s0);
	CHECK(same_answer(ca, a, texts[0]));
	classcache_get_stats(&st);
	CHECK_EQ_INT(st.disk_hits - s0.disk_hits, 0);
	CHECK_EQ_INT(st.disk_rejected - s0.disk_rejected, 0); /* not even opened */

	/* other data (b without its mit rules): the first data's entries are not
	 * used, and are deleted */
	for (size_t i = 0; i < b->nrules; i++) {
		struct detect_rule *t = b->rules[i];
		if (strcmp(t->license, "mit") != 0) {
			b->rules[i] = b->rules[kept];
			b->rules[kept++] = t;
		}
	}
	{
		size_t all = b->nrules;
		b->nrules = kept;
		CHECK_EQ_INT(classify_new(&cb, b, &err), 0);
		classcache_forget();
		classcache_get_stats(&s0);
		if (cb) {
			struct classify_result r;
			CHECK_EQ_INT(classcache_classify(cb, b, texts[0], strlen(texts[0]), &r, &err), 0);
			CHECK(!has_license(&r, "mit"));
			classify_result_release(&r);
		}
		classcache_get_stats(&st);
		CHECK_EQ_INT(st.disk_hits - s0.disk_hits, 0);
		CHECK_EQ_INT(st.disk_writes - s0.disk_writes, 1);
		CHECK_EQ_INT(count_files(sub, name, sizeof(name)), 1); /* only b's entry is left */
		classcache_forget();
		classify_free(cb);
		b->nrules = all;
	}

	/* data from a checked snapshot is named by the snapshot's id (no encoding of the
	 * whole database): the same id finds its entries, another id does not */
	lt_strlcpy(a->snapshot_id, "0123abcd", sizeof(a->snapshot_id));
	classcache_forget();
	classcache_get_stats(&s0);
	CHECK(same_answer(ca, a, texts[0]));
	classcache_forget();
	CHECK(same_answer(ca, a, texts[0]));
	classcache_get_stats(&st);
	CHECK_EQ_INT(st.disk_writes - s0.disk_writes, 1);
	CHECK_EQ_INT(st.disk_hits - s0.disk_hits, 1);
	lt_strlcpy(a->snapshot_id, "0123abce", sizeof(a->snapshot_id));
	classcache_forget();
	classcache_get_stats(&s0);
	CHECK(same_answer(ca, a, texts[0]));
	classcache_get_stats(&st);
	CHECK_EQ_INT(st.disk_hits - s0.disk_hits, 0);
	CHECK_EQ_INT(st.disk_writes - s0.disk_writes, 1);
	a->snapshot_id[0] = '\0';
out:
	classcache_forget();
	classcache_set_dir(NULL);
	classify_free(ca);
	licensedb_free(a);
	licensedb_free(b);
	buf_release(&mit);
	buf_release(&data);
	{
		char *rm = lt_asprintf("rm -rf '%s'", dir);
		if (rm && system(rm) != 0)
			fprintf(stderr, "  cannot remove %s\n", dir);
		free(rm);
	}
}

TESTS(T(normalize_basics), T(normalize_versions_and_numbers), T(normalize_markdown),
      T(normalize_entities_and_html), T(normalize_headers), T(normalize_unicode),
      T(normalize_offsets), T(normalize_offsets_runs), T(normalize_offsets_utf8), T(normalize_offsets_flat), T(normalize_modes_and_limits), T(normalize_fuzz_prefixes),
      T(ac_matches_naive), T(ac_limits), T(similar), T(similar_long), T(classify_fixtures),
      T(classify_semantics), T(classify_added_licenses), T(shipped_phrases_are_clean), T(check_phrases_finds_problems), T(classcache), T(classcache_disk), T(classcache_same_length),
      T(corpus))
