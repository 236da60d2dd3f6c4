/* test_core.c - buffer caps, errors, paths, strings, redaction, file reads. */
#include "tap.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/log.h"
#include "core/path.h"
#include "core/str.h"
#include "core/wbfile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_buf_cap_is_sticky(void)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK_EQ_INT(buf_adds(&b, "12345"), 0);
	CHECK_EQ_INT(buf_adds(&b, "6789"), LT_ETOOBIG);
	CHECK_EQ_INT(buf_adds(&b, "x"), LT_ETOOBIG); /* sticky */
	CHECK_STR(buf_cstr(&b), "12345");
	CHECK_EQ_INT(b.len, 5);
	buf_release(&b);
}

static void test_buf_printf_large(void)
{
	struct buf b;
	char big[1000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_init(&b, 4096);
	CHECK_EQ_INT(buf_printf(&b, "<%s>", big), 0);
	CHECK_EQ_INT(b.len, 1001);
	CHECK(b.data[1000] == '>');
	buf_release(&b);
}

static void test_buf_detach_empty(void)
{
	struct buf b;
	size_t n = 99;
	char *p;

	buf_init(&b, 10);
	p = buf_detach(&b, &n);
	CHECK(p && p[0] == '\0');
	CHECK_EQ_INT(n, 0);
	free(p);
}

static void test_path_safety(void)
{
	CHECK(path_is_safe_relative("LICENSE"));
	CHECK(path_is_safe_relative("a/b/c.txt"));
	CHECK(path_is_safe_relative("..foo"));
	CHECK(!path_is_safe_relative("../LICENSE"));
	CHECK(!path_is_safe_relative("a/../../x"));
	CHECK(!path_is_safe_relative("/etc/passwd"));
	CHECK(!path_is_safe_relative("C:/x"));
	CHECK(!path_is_safe_relative("a\\..\\b"));
	CHECK(!path_is_safe_relative(""));
	CHECK(!path_is_safe_relative("a/.."));
}

static void test_glob(void)
{
	CHECK(lt_glob_match("license*", "LICENSE.md"));
	CHECK(lt_glob_match("*.gguf", "model-Q4.GGUF"));
	CHECK(!lt_glob_match("license*", "my-LICENSE"));
	CHECK(lt_glob_match("*license*", "my-LICENSE"));
	CHECK(lt_glob_match("a?c", "abc"));
}

static void test_utf8(void)
{
	CHECK(lt_utf8_valid("caf\xc3\xa9", 5));
	CHECK(!lt_utf8_valid("\xc0\xaf", 2));         /* overlong */
	CHECK(!lt_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	CHECK(!lt_utf8_valid("abc\xe2\x82", 5));      /* truncated */
	CHECK(lt_utf8_valid("\xe4\xb8\xad", 3));
}

static void test_redaction(void)
{
	char *s;

	log_add_secret("hf_SECRETTOKEN");
	s = log_redact("Authorization: Bearer hf_SECRETTOKEN and hf_SECRETTOKEN");
	CHECK_STR(s, "Authorization: Bearer *** and ***");
	free(s);
	log_clear_secrets();
}

static void test_read_file_caps_and_symlink(void)
{
	char dir[] = "/tmp/lt_core_XXXXXX";
	char *f, *l;
	struct buf b;
	struct lt_error err;
	FILE *fp;

	CHECK(mkdtemp(dir) != NULL);
	f = path_join(dir, "f.txt");
	l = path_join(dir, "link");
	fp = fopen(f, "w");
	fputs("0123456789", fp);
	fclose(fp);
	CHECK_EQ_INT(symlink(f, l), 0);

	buf_init(&b, 100);
	CHECK_EQ_INT(lt_read_file(&b, f, 100, &err), 0);
	CHECK_STR(buf_cstr(&b), "0123456789");
	buf_reset(&b);
	CHECK_EQ_INT(lt_read_file(&b, f, 5, &err), LT_ETOOBIG);
	buf_reset(&b);
	CHECK_EQ_INT(lt_read_file(&b, l, 100, &err), LT_EUNSAFE);
	CHECK(strstr(err.message, "symbolic link") != NULL);
	buf_reset(&b);
	int trunc = 0;
	CHECK_EQ_INT(lt_read_prefix(&b, f, 4, &trunc, &err), 0);
	CHECK_STR(buf_cstr(&b), "0123");
	CHECK_EQ_INT(trunc, 1);
	buf_release(&b);
	unlink(l);
	unlink(f);
	rmdir(dir);
	free(f);
	free(l);
}

/* The write-back stream writes every byte, across several kicks, in order; a
 * write that fails shows as a stream error, never as a short file taken whole. */
static void test_wbfile(void)
{
	char *dir = lt_strdup("/tmp/lt-wb-XXXXXX"), *f;
	size_t n = WBFILE_KICK * 2 + 12345, i;
	unsigned char *blk = malloc(32768), *back;
	struct stat st;
	FILE *fp;
	int fd, ok = 1;

	CHECK(dir && mkdtemp(dir) && blk);
	f = lt_asprintf("%s/out", dir);
	fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && (fp = wbfile_fdopen(fd)) != NULL);
	for (i = 0; i < n; i += 32768) {
		size_t k = n - i < 32768 ? n - i : 32768;
		for (size_t j = 0; j < k; j++)
			blk[j] = (unsigned char)((i + j) * 7 + (i + j) / 4099);
		CHECK_EQ_INT(fwrite(blk, 1, k, fp), k);
	}
	CHECK_EQ_INT(fflush(fp), 0);
	CHECK_EQ_INT(fsync(fd), 0);
	CHECK_EQ_INT(fclose(fp), 0);
	CHECK(stat(f, &st) == 0 && (size_t)st.st_size == n);
	back = malloc(n);
	fp = fopen(f, "rb");
	CHECK(back && fp && fread(back, 1, n, fp) == n);
	for (i = 0; back && i < n && ok; i++)
		ok = back[i] == (unsigned char)(i * 7 + i / 4099);
	CHECK(ok);
	if (fp)
		fclose(fp);
	/* a descriptor that cannot be written: the error reaches the caller */
	fd = open(f, O_RDONLY);
	CHECK(fd >= 0 && (fp = wbfile_fdopen(fd)) != NULL);
	fwrite(blk, 1, 32768, fp);
	CHECK(fflush(fp) != 0 || ferror(fp));
	fclose(fp);
	unlink(f);
	rmdir(dir);
	free(back);
	free(blk);
	free(f);
	free(dir);
}

static void test_error_message(void)
{
	struct lt_error err;

	CHECK_EQ_INT(lt_error_set(&err, LT_EPARSE, "card.md", 7, "bad '%s'", "x"), LT_EPARSE);
	CHECK_STR(err.message, "bad 'x'");
	CHECK_STR(err.file, "card.md");
	CHECK_EQ_INT(err.line, 7);
	CHECK_STR(lt_code_name(LT_EUNSAFE), "unsafe");
	CHECK_EQ_INT(lt_error_set(NULL, LT_EIO, NULL, 0, "x"), LT_EIO);
}

TESTS(T(buf_cap_is_sticky), T(buf_printf_large), T(buf_detach_empty), T(path_safety), T(glob),
      T(utf8), T(redaction), T(read_file_caps_and_symlink), T(wbfile), T(error_message))
