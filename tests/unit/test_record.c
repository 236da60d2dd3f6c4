/* test_record.c - pieces of the model record that stand alone: the model's
 * name and owner from a URL or a folder (identity.h), and where a license or
 * notice file turns to third-party material (thirdparty.h). */
#include "tap.h"

#include "record/identity.h"
#include "record/thirdparty.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void url_is(const char *url, const char *owner, const char *name)
{
	char *o = (char *)1, *n = (char *)1;
	int before = tap_failed_;

	identity_from_url(url, &o, &n);
	if (owner)
		CHECK_STR(o, owner);
	else
		CHECK(o == NULL);
	if (name)
		CHECK_STR(n, name);
	else
		CHECK(n == NULL);
	if (tap_failed_ && !before)
		fprintf(stderr, "  (url %s)\n", url);
	tap_failed_ |= before;
	free(o);
	free(n);
}

static void test_identity_from_url(void)
{
	url_is("https://huggingface.co/acme/Llama-3.1-Acme-8B", "acme", "Llama-3.1-Acme-8B");
	url_is("https://huggingface.co/acme/Llama-3.1-Acme-8B/", "acme", "Llama-3.1-Acme-8B");
	url_is("https://huggingface.co/acme/Llama-3.1-Acme-8B.git", "acme", "Llama-3.1-Acme-8B");
	url_is("https://user@hf.co/acme/model-x", "acme", "model-x");
	url_is("git@github.com:acme-labs/tiny-llm.git", "acme-labs", "tiny-llm");
	url_is("ssh://git@hf.co/acme/model-y", "acme", "model-y");
	url_is("https://gitlab.example/group/sub/model-z.git", "sub", "model-z");
	/* a name with dots is not a ".git" suffix */
	url_is("https://huggingface.co/acme/Qwen2.5-7B", "acme", "Qwen2.5-7B");
	url_is("", NULL, NULL);
	url_is("no-slash-at-all", NULL, NULL);
}

/* identity.h: "Owner and name from a URL's last two path segments". A Hub URL
 * of a model without an organisation (legacy ids such as "gpt2") has one path
 * segment; the host is not an owner. */
static void test_identity_url_host_is_not_owner(void)
{
	url_is("https://huggingface.co/gpt2", NULL, "gpt2");
	url_is("git@hf.co:gpt2", NULL, "gpt2");
}

static char tmpdir[PATH_MAX];

static void mkdir_in(const char *name)
{
	char p[PATH_MAX * 2];
	snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
	CHECK_EQ_INT(mkdir(p, 0755), 0);
}

static void folder_is(const char *rel, const char *owner, const char *name)
{
	char p[PATH_MAX * 2];
	char *o = (char *)1, *n = (char *)1;
	int before = tap_failed_;

	if (rel[0] == '/' || rel[0] == '.')
		snprintf(p, sizeof(p), "%s", rel);
	else
		snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
	identity_from_folder(p, &o, &n);
	if (owner)
		CHECK_STR(o, owner);
	else
		CHECK(o == NULL);
	if (name)
		CHECK_STR(n, name);
	else
		CHECK(n == NULL);
	if (tap_failed_ && !before)
		fprintf(stderr, "  (folder %s)\n", p);
	tap_failed_ |= before;
	free(o);
	free(n);
}

static void test_identity_from_folder(void)
{
	char cwd[PATH_MAX], p[PATH_MAX * 2], link[PATH_MAX * 2];
	const char *tmp = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/lt-test-record-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	CHECK(mkdtemp(tmpdir) != NULL);
	mkdir_in("acme__Llama-3.1-Foo");
	mkdir_in("models--meta-llama--Llama-3.1-8B");
	mkdir_in("mirror__acme__model-b");
	mkdir_in("Llama-3.1-NetAssist");
	mkdir_in("trailing__");
	mkdir_in("__leading");
	mkdir_in("snake_case_model");

	folder_is("acme__Llama-3.1-Foo", "acme", "Llama-3.1-Foo");
	folder_is("models--meta-llama--Llama-3.1-8B", "meta-llama", "Llama-3.1-8B");
	folder_is("mirror__acme__model-b", "acme", "model-b"); /* the last two parts */
	folder_is("Llama-3.1-NetAssist", NULL, "Llama-3.1-NetAssist");
	folder_is("Llama-3.1-NetAssist/", NULL, "Llama-3.1-NetAssist");
	folder_is("Llama-3.1-NetAssist/.", NULL, "Llama-3.1-NetAssist");
	folder_is("trailing__", NULL, "trailing__");
	folder_is("__leading", NULL, "__leading");
	folder_is("snake_case_model", NULL, "snake_case_model");

	/* "." and a link resolve to the real folder's name, never "." */
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(p, sizeof(p), "%s/acme__Llama-3.1-Foo", tmpdir);
	CHECK_EQ_INT(chdir(p), 0);
	folder_is(".", "acme", "Llama-3.1-Foo");
	{
		char *b = identity_folder_base(".");
		CHECK_STR(b, "acme__Llama-3.1-Foo");
		free(b);
	}
	CHECK_EQ_INT(chdir(cwd), 0);
	snprintf(link, sizeof(link), "%s/current", tmpdir);
	CHECK_EQ_INT(symlink(p, link), 0);
	folder_is("current", "acme", "Llama-3.1-Foo");

	/* clean up */
	unlink(link);
	{
		static const char *const dirs[] = { "acme__Llama-3.1-Foo", "models--meta-llama--Llama-3.1-8B",
						    "mirror__acme__model-b", "Llama-3.1-NetAssist", "trailing__",
						    "__leading", "snake_case_model", NULL };
		for (int i = 0; dirs[i]; i++) {
			snprintf(p, sizeof(p), "%s/%s", tmpdir, dirs[i]);
			rmdir(p);
		}
	}
	rmdir(tmpdir);
}

static int tp(const char *text)
{
	return thirdparty_first_line(text, strlen(text));
}

static void test_thirdparty_headings(void)
{
	CHECK_EQ_INT(tp("Apache License\nVersion 2.0, January 2004\n\n"
			"LICENSE FOR Flash Attention\n\nBSD 3-Clause\n"),
		     4);
	CHECK_EQ_INT(tp("Qwen is licensed under the Qwen LICENSE AGREEMENT.\n\n"
			"------------- LICENSE FOR NVIDIA Megatron-LM code  --------------\n"),
		     3);
	CHECK_EQ_INT(tp("MIT License\n\n## Third-Party Notices\n"), 3);
	CHECK_EQ_INT(tp("# Model license\ntext\n### Licenses for bundled components\n"), 3);
	CHECK_EQ_INT(tp("NOTICES AND INFORMATION\nDo Not Translate or Localize\n\n"
			"This software incorporates material from third parties.\n"),
		     4);
	CHECK_EQ_INT(tp("Copyright 2024 Acme\n\n"
			"This product includes software developed at Example (https://example.invalid/).\n"),
		     3);
	CHECK_EQ_INT(tp("Usage and Legal Notices:\n\nOther dependencies and licenses:\n"), 3);
	CHECK_EQ_INT(tp("Open Source Software Licensed under the Apache License Version 2.0:\n"), 1);
	CHECK_EQ_INT(tp("**Component.** https://example.invalid/acme/kernels\n"), 1);
	CHECK_EQ_INT(tp("3rd party code\n"), 1);
	/* CRLF line ends */
	CHECK_EQ_INT(tp("MIT License\r\n\r\nThird party notices\r\n"), 3);
	/* nothing at all */
	CHECK_EQ_INT(tp(""), 0);
	CHECK_EQ_INT(thirdparty_first_line("LICENSE FOR x", 0), 0);
}

static void test_thirdparty_sentences_are_not_headings(void)
{
	/* the Apache-2.0 section 4(d) paragraph unwrapped (one long line) */
	CHECK_EQ_INT(tp("(d) If the Work includes a \"NOTICE\" text file as part of its distribution, then any "
			"Derivative Works that You distribute must include a readable copy of the attribution "
			"notices contained within such NOTICE file, within a display generated by the Derivative "
			"Works, if and wherever such third-party notices normally appear.\n"),
		     0);
	/* a wrapped sentence line of more words than a heading has */
	CHECK_EQ_INT(tp("   You will not use the Llama Materials to improve any other model, or enable\n"
			"   any third party to do so, except Llama 3.1 or derivative works thereof.\n"),
		     0);
	/* the word "bundled" inside a sentence is not an opener */
	CHECK_EQ_INT(tp("The model weights and the code bundled with them are licensed under the MIT License.\n"),
		     0);
	/* a line longer than any heading, even if it starts like one */
	{
		char big[1200];
		memset(big, 'x', sizeof(big));
		memcpy(big, "third party ", 12);
		big[sizeof(big) - 1] = '\0';
		CHECK_EQ_INT(tp(big), 0);
	}
}

/* License sentences wrapped the way the canonical files are: a short line of
 * a sentence is not a heading, nor is a line that happens to begin with
 * "third party". */
static void test_thirdparty_wrapped_sentences(void)
{
	CHECK_EQ_INT(tp("      (d) If the Work includes a \"NOTICE\" text file as part of its\n"
			"          distribution, then any Derivative Works that You distribute must\n"
			"          include a readable copy of the attribution notices contained\n"
			"          within such NOTICE file, excluding those notices that do not\n"
			"          pertain to any part of the Derivative Works, in at least one\n"
			"          of the following places: within a NOTICE text file distributed\n"
			"          as part of the Derivative Works; within the Source form or\n"
			"          documentation, if provided along with the Derivative Works; or,\n"
			"          within a display generated by the Derivative Works, if and\n"
			"          wherever such third-party notices normally appear. The contents\n"
			"          of the NOTICE file are for informational purposes only and\n"),
		     0);
	CHECK_EQ_INT(tp("      same \"printed page\" as the copyright notice for easier\n"
			"      identification within third-party archives.\n"),
		     0);
	CHECK_EQ_INT(tp("LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\n\n"
			"  v. You will not use the Llama Materials or any output or results of the\n"
			"     Llama Materials to improve any other large language model, or enable a\n"
			"     third party to do so, except Llama 3.1 or derivative works thereof.\n"),
		     0);
}

TESTS(T(identity_from_url), T(identity_url_host_is_not_owner), T(identity_from_folder),
      T(thirdparty_headings), T(thirdparty_sentences_are_not_headings), T(thirdparty_wrapped_sentences))
