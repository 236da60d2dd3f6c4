/*
 * test_http.c - the HTTP client, the disk cache and the hub backend, against
 * tests/hubserver.py on 127.0.0.1 (a "hub" port and a "CDN" port).
 *
 * The server serves fixtures/hub/ plus a tree this test generates in a temp
 * folder (binary GGUF and safetensors files, an oversized LICENSE). Faults are
 * queued through POST /_ctl; GET /_log says what the server saw (including
 * whether an Authorization header arrived), which is how the token tests prove
 * the token never reached the CDN port.
 */
#include "tap.h"

#include "core/buf.h"
#include "core/digest.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/str.h"
#include "http/cache.h"
#include "http/http.h"
#include "http/verify.h"
#include "source/hub.h"
#include "source/source.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "hf_lictraceTEST_s3cr3t_token_value"

static pid_t srv_pid = -1;
static int srv_in = -1;
static int hub_port, cdn_port;
static char tmpdir[256];
static char endpoint[64];
static char gen_root[320];
static int started, start_failed;

/* ---- fixture helpers ------------------------------------------------------- */

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

static void mkdirs(const char *path)
{
	char tmp[1024];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	}
	mkdir(tmp, 0755);
}

static void put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A 3 MiB GGUF whose header says general.license = "mit", then filler. */
static int make_gguf(const char *path, size_t total)
{
	unsigned char *d = malloc(total);
	size_t o = 0;
	int rc;

	if (!d)
		return -1;
	for (size_t i = 0; i < total; i++)
		d[i] = (unsigned char)(i * 7);
	memcpy(d, "GGUF", 4);
	o = 4;
	put_u32(d + o, 3), o += 4;
	put_u64(d + o, 0), o += 8;
	put_u64(d + o, 1), o += 8;
	put_u64(d + o, 15), o += 8;
	memcpy(d + o, "general.license", 15), o += 15;
	put_u32(d + o, 8), o += 4;
	put_u64(d + o, 3), o += 8;
	memcpy(d + o, "mit", 3);
	rc = write_file(path, d, total);
	free(d);
	return rc;
}

static int make_safetensors(const char *path)
{
	const char *hdr = "{\"__metadata__\":{\"format\":\"pt\",\"modelspec.license\":\"mit\"}}";
	unsigned char d[8 + 128 + 64];
	size_t hl = strlen(hdr);

	memset(d, ' ', sizeof(d));
	put_u64(d, 128);
	memcpy(d + 8, hdr, hl);
	memset(d + 8 + 128, 0, 64);
	return write_file(path, d, sizeof(d));
}

static void make_tree(void)
{
	char p[512];
	char *big;

	snprintf(gen_root, sizeof(gen_root), "%s/root", tmpdir);
	snprintf(p, sizeof(p), "%s/gen/weights", gen_root);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/gen/weights/README.md", gen_root);
	write_file(p, "---\nlicense: mit\n---\n# weights\n", 31);
	snprintf(p, sizeof(p), "%s/gen/weights/model-00001-of-00002.gguf", gen_root);
	make_gguf(p, 3u * 1024u * 1024u);
	snprintf(p, sizeof(p), "%s/gen/weights/model-00002-of-00002.gguf", gen_root);
	make_gguf(p, 2048);
	snprintf(p, sizeof(p), "%s/gen/weights/model.safetensors", gen_root);
	make_safetensors(p);
	snprintf(p, sizeof(p), "%s/gen/lfs", gen_root);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/gen/lfs/LICENSE", gen_root);
	{
		const char *ptr = "version https://git-lfs.github.com/spec/v1\n"
				  "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
				  "size 12345\n";
		write_file(p, ptr, strlen(ptr));
	}
	snprintf(p, sizeof(p), "%s/gen/empty", gen_root);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/gen/empty/model.safetensors", gen_root);
	write_file(p, "", 0);
	snprintf(p, sizeof(p), "%s/gen/big", gen_root);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/gen/big/README.md", gen_root);
	write_file(p, "# big\n", 6);
	big = malloc(LT_MAX_LICENSE_BYTES + 1);
	if (big) {
		memset(big, 'L', LT_MAX_LICENSE_BYTES + 1);
		snprintf(p, sizeof(p), "%s/gen/big/LICENSE", gen_root);
		write_file(p, big, LT_MAX_LICENSE_BYTES + 1);
		free(big);
	}
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void stop_server(void)
{
	if (srv_in >= 0) {
		close(srv_in); /* the server exits when its stdin closes */
		srv_in = -1;
	}
	if (srv_pid > 0) {
		int st, i;
		for (i = 0; i < 50 && waitpid(srv_pid, &st, WNOHANG) == 0; i++)
			usleep(20000);
		if (i == 50) {
			kill(srv_pid, SIGTERM);
			waitpid(srv_pid, &st, 0);
		}
		srv_pid = -1;
	}
	if (tmpdir[0])
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	log_clear_secrets();
	curl_global_cleanup();
}

/* Start the server once; every test calls this first. 0 when it runs. */
static int server(void)
{
	int in[2], out[2];
	char line[64];
	ssize_t n;
	size_t got = 0;

	if (started)
		return start_failed ? -1 : 0;
	started = 1;
	start_failed = 1;
	/* the test must see only its own hub, never a proxy or the user's settings */
	static const char *const unset[] = { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
					      "ALL_PROXY", "all_proxy", "HF_ENDPOINT", "HF_HUB_OFFLINE",
					      "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH",
					      "HF_HOME", "HF_HUB_CACHE", "HF_HUB_DISABLE_IMPLICIT_TOKEN" };
	for (size_t i = 0; i < sizeof(unset) / sizeof(*unset); i++)
		unsetenv(unset[i]);
	setenv("NO_PROXY", "127.0.0.1", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/lt-test-http-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		tmpdir[0] = '\0';
		return -1;
	}
	atexit(stop_server);
	make_tree();
	if (pipe(in) || pipe(out))
		return -1;
	srv_pid = fork();
	if (srv_pid < 0)
		return -1;
	if (srv_pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execlp("python3", "python3", LT_SOURCE_DIR "/tests/hubserver.py",
		       LT_SOURCE_DIR "/fixtures/hub", gen_root, "--token", TOKEN, "--time-limit", "120",
		       (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	srv_in = in[1];
	fcntl(srv_in, F_SETFD, FD_CLOEXEC);
	while (got < sizeof(line) - 1 && (n = read(out[0], line + got, 1)) == 1 && line[got] != '\n')
		got++;
	line[got] = '\0';
	close(out[0]);
	if (sscanf(line, "%d %d", &hub_port, &cdn_port) != 2) {
		fprintf(stderr, "  hubserver did not start (got '%s')\n", line);
		return -1;
	}
	snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d", hub_port);
	start_failed = 0;
	return 0;
}

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
	buf_add(ud, p, s * n);
	return s * n;
}

/* POST body to /_ctl. */
static void ctl(const char *body)
{
	CURL *e = curl_easy_init();
	char url[128];
	struct buf b;

	buf_init(&b, 1 << 20);
	snprintf(url, sizeof(url), "%s/_ctl", endpoint);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
	CHECK_EQ_INT(curl_easy_perform(e), CURLE_OK);
	curl_easy_cleanup(e);
	buf_release(&b);
}

static void fault(const char *path, const char *faults_json)
{
	char body[1024];

	snprintf(body, sizeof(body), "{\"path\": \"%s\", \"faults\": %s}", path, faults_json);
	ctl(body);
}

static json_t *server_log(void)
{
	CURL *e = curl_easy_init();
	char url[128];
	struct buf b;
	json_t *j;

	buf_init(&b, 16 << 20);
	snprintf(url, sizeof(url), "%s/_log", endpoint);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
	curl_easy_perform(e);
	curl_easy_cleanup(e);
	j = json_loadb(buf_cstr(&b), b.len, 0, NULL);
	buf_release(&b);
	return j;
}

/* Log entries matching: server ("hub"/"cdn"/NULL), a path substring, the method
 * (NULL any). auth: -1 any, 0 without, 1 with an Authorization header. */
static int log_count(json_t *log, const char *srv, const char *sub, int auth)
{
	size_t i;
	json_t *v;
	int n = 0;

	json_array_foreach(log, i, v) {
		const char *s = json_string_value(json_object_get(v, "server"));
		const char *p = json_string_value(json_object_get(v, "path"));
		int a = json_is_true(json_object_get(v, "auth"));
		if (srv && (!s || strcmp(s, srv) != 0))
			continue;
		if (sub && (!p || !strstr(p, sub)))
			continue;
		if (auth >= 0 && a != auth)
			continue;
		n++;
	}
	return n;
}

static json_t *log_find(json_t *log, const char *srv, const char *sub)
{
	size_t i;
	json_t *v;

	json_array_foreach(log, i, v) {
		const char *s = json_string_value(json_object_get(v, "server"));
		const char *p = json_string_value(json_object_get(v, "path"));
		if (s && p && strcmp(s, srv) == 0 && strstr(p, sub))
			return v;
	}
	return NULL;
}

static void reset_server(void)
{
	ctl("{\"reset\": true}");
}

static struct http_client *client_with(const char *token, long total_ms, int retries)
{
	struct http_opts o;
	struct http_client *c = NULL;
	struct lt_error e;

	http_default_opts(&o);
	o.token = token;
	o.token_host = endpoint;
	o.connect_timeout_ms = 2000;
	o.total_timeout_ms = total_ms;
	o.max_retries = retries;
	o.backoff_base_ms = 10;
	o.backoff_max_ms = 200;
	o.jobs = 4;
	CHECK_EQ_INT(http_client_new(&c, &o, &e), 0);
	return c;
}

static struct http_client *client(void)
{
	return client_with(NULL, 5000, 3);
}

static void hub_opts_for(struct hub_opts *o, const char *cache_dir)
{
	static char empty_home[320];

	memset(o, 0, sizeof(*o));
	o->endpoint = endpoint;
	o->cache_dir = cache_dir;
	snprintf(empty_home, sizeof(empty_home), "%s/no-hf-home", tmpdir);
	o->hf_home = empty_home;
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One GET; resp must be released by the caller. */
static int get1(struct http_client *c, const char *path, const char *range, struct http_resp *r)
{
	struct http_req q;
	char url[512];

	memset(&q, 0, sizeof(q));
	snprintf(url, sizeof(url), "%s%s", endpoint, path);
	q.url = url;
	q.range = range;
	q.follow_redirects = 1;
	return http_perform(c, &q, 1, r);
}

static const struct source_entry *entry(const struct source *s, const char *path)
{
	return s ? source_find(s, path) : NULL;
}

static int has_problem(const struct source *s, const char *sub)
{
	for (size_t i = 0; s && i < s->nproblems; i++)
		if (strstr(s->problems[i], sub))
			return 1;
	return 0;
}

static int open1(struct http_client *c, const struct hub_opts *o, const char *id,
		 struct source **src, struct hub_model_info **info, struct lt_error *e)
{
	const char *ids[1] = { id };
	return hub_open_many(c, o, ids, 1, src, info, e);
}

static char *read_all(struct source *s, const char *path)
{
	struct buf b;
	struct lt_error e;

	buf_init(&b, 64u << 20);
	if (source_read(s, path, 64u << 20, &b, NULL, &e)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static char *fixture(const char *rel)
{
	struct buf b;
	char path[512];

	snprintf(path, sizeof(path), "%s/fixtures/hub/%s", LT_SOURCE_DIR, rel);
	buf_init(&b, 1 << 20);
	if (lt_read_file(&b, path, 1 << 20, NULL)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* sha of a repo, from the API */
static char *repo_sha(const char *id)
{
	struct http_client *c = client();
	struct hub_opts o;
	struct source *s = NULL;
	struct hub_model_info *info = NULL;
	struct lt_error e;
	char *sha = NULL;

	hub_opts_for(&o, "");
	if (open1(c, &o, id, &s, &info, &e) == 0)
		sha = lt_strdup(info->sha);
	source_free(s);
	hub_model_info_free(info);
	http_client_free(c);
	return sha;
}

/* ---- targets and tokens (no server) --------------------------------------------- */

static void check_target(const char *t, int rc, const char *id, const char *rev)
{
	char *i = NULL, *r = NULL;
	int got = hub_parse_target(t, &i, &r);

	if (got != rc)
		fprintf(stderr, "  target '%s'\n", t);
	CHECK_EQ_INT(got, rc);
	if (rc == 0) {
		CHECK_STR(i, id);
		if (rev)
			CHECK_STR(r, rev);
		else
			CHECK(r == NULL);
	}
	free(i);
	free(r);
}

static void test_parse_target(void)
{
	check_target("meta-llama/Llama-3.1-8B", 0, "meta-llama/Llama-3.1-8B", NULL);
	check_target("org/name@v1.0", 0, "org/name", "v1.0");
	check_target("org/name@refs/pr/1", 0, "org/name", "refs/pr/1");
	check_target("https://huggingface.co/org/name", 0, "org/name", NULL);
	check_target("https://huggingface.co/org/name/", 0, "org/name", NULL);
	check_target("https://huggingface.co/org/name/tree/dev", 0, "org/name", "dev");
	check_target("https://huggingface.co/org/name/tree/refs%2Fpr%2F3", 0, "org/name", "refs/pr/3");
	check_target("https://huggingface.co/org/name/blob/main/LICENSE", 0, "org/name", "main");
	check_target("https://huggingface.co/org/name/resolve/abc123/a/b.json", 0, "org/name", "abc123");
	check_target("https://hf.co/org/name", 0, "org/name", NULL);
	check_target("hf.co/org/name", 0, "org/name", NULL);
	check_target("huggingface.co/org/name?x=1#frag", 0, "org/name", NULL);
	check_target("https://huggingface.co/datasets/org/name", LT_EINVAL, NULL, NULL);
	check_target("https://huggingface.co/spaces/org/name", LT_EINVAL, NULL, NULL);
	check_target("https://huggingface.co/org", LT_EINVAL, NULL, NULL);
	check_target("https://huggingface.co/org/name/discussions/1", LT_EINVAL, NULL, NULL);
	check_target("https://example.com/org/name", LT_EINVAL, NULL, NULL);
	check_target("gpt2", LT_EINVAL, NULL, NULL);
	check_target("org/name/extra", LT_EINVAL, NULL, NULL);
	check_target("../name", LT_EINVAL, NULL, NULL);
	check_target("org/na..me", LT_EINVAL, NULL, NULL);
	check_target("org/na--me", LT_EINVAL, NULL, NULL);
	check_target("org/name@", LT_EINVAL, NULL, NULL);
	check_target("org/name@a b", LT_EINVAL, NULL, NULL);
	check_target("org/na me", LT_EINVAL, NULL, NULL);
	check_target("https://huggingface.co/org/name/tree/%00x", LT_EINVAL, NULL, NULL);
	check_target("", LT_EINVAL, NULL, NULL);
}

static void test_token_env(void)
{
	char path[512], home[512], *tok = NULL;

	if (server())
		{ CHECK(0); return; }
	snprintf(path, sizeof(path), "%s/tokfile", tmpdir);
	write_file(path, "hf_fromfile\n", 12);
	snprintf(home, sizeof(home), "%s/hfhome-tok", tmpdir);
	mkdirs(home);

	setenv("HF_TOKEN", "hf_fromenv", 1);
	CHECK_EQ_INT(hub_token_from_env(&tok, path), 0);
	CHECK_STR(tok, "hf_fromenv");
	free(tok);
	unsetenv("HF_TOKEN");

	CHECK_EQ_INT(hub_token_from_env(&tok, path), 0);
	CHECK_STR(tok, "hf_fromfile"); /* newline stripped */
	free(tok);

	setenv("HF_TOKEN_PATH", path, 1);
	CHECK_EQ_INT(hub_token_from_env(&tok, NULL), 0);
	CHECK_STR(tok, "hf_fromfile");
	free(tok);
	unsetenv("HF_TOKEN_PATH");

	setenv("HF_HOME", home, 1);
	CHECK_EQ_INT(hub_token_from_env(&tok, NULL), 0);
	CHECK(tok == NULL); /* no token file: no token, not an error */
	{
		char tf[600];
		snprintf(tf, sizeof(tf), "%s/token", home);
		write_file(tf, "hf_fromhome\r\n", 13);
	}
	CHECK_EQ_INT(hub_token_from_env(&tok, NULL), 0);
	CHECK_STR(tok, "hf_fromhome");
	free(tok);
	setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1", 1);
	CHECK_EQ_INT(hub_token_from_env(&tok, NULL), 0);
	CHECK(tok == NULL);
	unsetenv("HF_HUB_DISABLE_IMPLICIT_TOKEN");
	unsetenv("HF_HOME");

	{ /* a symlinked token file is followed (it is the user's own config) */
		char ln[600];
		snprintf(ln, sizeof(ln), "%s/toklink", tmpdir);
		CHECK_EQ_INT(symlink(path, ln), 0);
		CHECK_EQ_INT(hub_token_from_env(&tok, ln), 0);
		CHECK_STR(tok, "hf_fromfile");
		free(tok);
	}
	CHECK_EQ_INT(hub_token_from_env(&tok, "/nonexistent/lictrace/token"), LT_ENOTFOUND);
	CHECK(tok == NULL);
	write_file(path, "hf_bad\ttoken\n", 13);
	CHECK_EQ_INT(hub_token_from_env(&tok, path), LT_EINVAL);
	CHECK(tok == NULL);

	/* a registered token is redacted from every log line */
	{
		char *red;
		log_add_secret("hf_fromfile");
		red = log_redact("Authorization: Bearer hf_fromfile");
		CHECK_STR(red, "Authorization: Bearer ***");
		free(red);
		log_clear_secrets(); /* the log keeps only a few secrets; free the slots */
	}
}

/* ---- the disk cache ---------------------------------------------------------- */

static void test_cache_roundtrip(void)
{
	struct cache *c = NULL;
	struct cache_key k = { "http://h", "org/name", "0123", "LICENSE", NULL };
	struct cache_key k2 = { "http://h", "org/name", "0123", "LICENSE", "range=0-1" };
	struct buf b;
	char dir[512], *etag = NULL;
	int partial = 7;
	struct lt_error e;

	if (server())
		{ CHECK(0); return; }
	snprintf(dir, sizeof(dir), "%s/cache-rt", tmpdir);
	CHECK_EQ_INT(cache_open(&c, dir, &e), 0);
	buf_init(&b, 1024);
	CHECK_EQ_INT(cache_get(c, &k, 1024, &b, &etag, &partial, &e), LT_ENOTFOUND);
	CHECK_EQ_INT(cache_put(c, &k, "hello\0world", 11, "\"abc\"", 0, &e), 0);
	CHECK_EQ_INT(cache_put(c, &k2, "he", 2, "bad\netag", 1, &e), 0);
	CHECK_EQ_INT(cache_get(c, &k, 1024, &b, &etag, &partial, &e), 0);
	CHECK_EQ_INT(b.len, 11);
	CHECK(memcmp(b.data, "hello\0world", 11) == 0);
	CHECK_STR(etag, "\"abc\"");
	CHECK_EQ_INT(partial, 0);
	free(etag);
	buf_reset(&b);
	CHECK_EQ_INT(cache_get(c, &k2, 1024, &b, &etag, &partial, &e), 0);
	CHECK_EQ_INT(b.len, 2);
	CHECK(etag == NULL); /* a server ETag with a newline is not stored */
	CHECK_EQ_INT(partial, 1);
	buf_reset(&b);
	/* over the caller's cap: a miss, not a partial read */
	CHECK_EQ_INT(cache_get(c, &k, 4, &b, NULL, NULL, &e), LT_ENOTFOUND);
	CHECK_EQ_INT(b.len, 0);
	cache_free(c);
	/* a disabled cache stores nothing */
	CHECK_EQ_INT(cache_open(&c, "", &e), 0);
	CHECK(cache_disabled(c));
	CHECK_EQ_INT(cache_put(c, &k, "x", 1, NULL, 0, &e), 0);
	CHECK_EQ_INT(cache_get(c, &k, 1024, &b, NULL, NULL, &e), LT_ENOTFOUND);
	cache_free(c);
	buf_release(&b);
}

struct grep_ctx {
	const char *needle;
	int hits, files, tmpfiles;
};

static struct grep_ctx *grep_cur;

static int grep_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	struct buf b;

	(void)ftw;
	if (flag != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	grep_cur->files++;
	if (strstr(path, ".tmp."))
		grep_cur->tmpfiles++;
	buf_init(&b, 64u << 20);
	if (lt_read_file(&b, path, 64u << 20, NULL) == 0 && b.len &&
	    memmem(b.data, b.len, grep_cur->needle, strlen(grep_cur->needle)))
		grep_cur->hits++;
	buf_release(&b);
	return 0;
}

static struct grep_ctx grep_dir(const char *dir, const char *needle)
{
	struct grep_ctx g = { needle, 0, 0, 0 };

	grep_cur = &g;
	nftw(dir, grep_one, 16, FTW_PHYS);
	return g;
}

/* ---- the hub backend --------------------------------------------------------- */

static void test_plain_repo(void)
{
	struct http_client *c;
	struct hub_opts o;
	struct source *s = NULL;
	struct hub_model_info *info = NULL;
	struct lt_error e;
	json_t *log;
	char *lic, *want, sub[128];

	if (server())
		{ CHECK(0); return; }
	reset_server();
	c = client();
	hub_opts_for(&o, "");
	CHECK_EQ_INT(open1(c, &o, "test-http/plain", &s, &info, &e), 0);
	CHECK(s && info);
	if (!s || !info)
		goto done;
	CHECK_EQ_INT(s->kind, SOURCE_HUB);
	CHECK_STR(s->target, "test-http/plain");
	CHECK_STR(info->id, "test-http/plain");
	CHECK_EQ_INT(strlen(info->sha), 40);
	CHECK_STR(s->revision, info->sha);
	CHECK_EQ_INT(info->gated, 0);
	CHECK(info->card_data_json && strstr(info->card_data_json, "\"license\":\"apache-2.0\""));
	CHECK(info->ntags >= 1 && strcmp(info->tags[0], "license:apache-2.0") == 0);
	/* every sibling listed; only what the scanner needs is readable */
	CHECK_EQ_INT(s->nentries, 7);
	CHECK(entry(s, "README.md") && entry(s, "README.md")->readable);
	CHECK(entry(s, "LICENSE") && entry(s, "LICENSE")->readable);
	CHECK(entry(s, "NOTICE") && entry(s, "NOTICE")->readable);
	CHECK(entry(s, "USE_POLICY.md") && entry(s, "USE_POLICY.md")->readable);
	CHECK(entry(s, "config.json") && entry(s, "config.json")->readable);
	CHECK(entry(s, "tokenizer.json") && !entry(s, "tokenizer.json")->readable);
	CHECK(entry(s, "sub/config.json") && !entry(s, "sub/config.json")->readable);
	CHECK(entry(s, "LICENSE") && entry(s, "LICENSE")->size == 237);
	lic = read_all(s, "LICENSE");
	want = fixture("test-http/plain/LICENSE");
	CHECK(lic && want && strcmp(lic, want) == 0);
	free(lic);
	free(want);
	CHECK_EQ_INT(s->nproblems, 0);
	/* URLs: info with blobs=true; files pinned to the sha; nothing else fetched */
	log = server_log();
	CHECK_EQ_INT(log_count(log, "hub", "/api/models/test-http/plain?blobs=true", -1), 1);
	snprintf(sub, sizeof(sub), "/test-http/plain/resolve/%s/", info->sha);
	CHECK_EQ_INT(log_count(log, "hub", sub, -1), 5);
	CHECK_EQ_INT(log_count(log, "hub", "/resolve/", -1), 5);
	CHECK_EQ_INT(log_count(log, NULL, "tokenizer.json", -1), 0);
	CHECK_EQ_INT(log_count(log, NULL, NULL, 1), 0); /* no token configured: no header */
	json_decref(log);
done:
	source_free(s);
	hub_model_info_free(info);
	http_client_free(c);
}

static void test_cdn_token(void)
{
	struct http_client *c;
	struct http_resp r;
	json_t *log, *v;
	char path[512];
	struct buf fb;

	if (server())
		{ CHECK(0); return; }
	reset_server();
	c = client_with(TOKEN, 5000, 2);
	CHECK_EQ_INT(get1(c, "/gen/weights/resolve/main/model-00002-of-00002.gguf", NULL, &r), 0);
	CHECK_EQ_INT(r.status, 200);
	CHECK_EQ_INT(r.redirects, 1);
	CHECK(r.linked_etag && r.linked_etag[0] == '"');
	CHECK(r.repo_commit && strlen(r.repo_commit) == 40);
	CHECK_EQ_INT(r.linked_size, 2048);
	snprintf(path, sizeof(path), "%s/gen/weights/model-00002-of-00002.gguf", gen_root);
	buf_init(&fb, 1 << 20);
	CHECK_EQ_INT(lt_read_file(&fb, path, 1 << 20, NULL), 0);
	CHECK(r.body.len == fb.len && memcmp(r.body.data, fb.data, fb.len) == 0);
	buf_release(&fb);
	http_resp_release(&r);
	log = server_log();
	v = log_find(log, "hub", "model-00002-of-00002.gguf");
	CHECK(v && json_is_true(json_object_get(v, "auth"))); /* the hub got the token */
	CHECK(v && json_integer_value(json_object_get(v, "status")) == 302);
	v = log_find(log, "cdn", "model-00002-of-00002.gguf");
	CHECK(v != NULL);
	CHECK(v && !json_is_true(json_object_get(v, "auth"))); /* the CDN did not */
	CHECK_EQ_INT(log_count(log, "cdn", NULL, 1), 0);
	json_decref(log);
	http_client_free(c);

	/* HEAD without following: the hub's answer about the file, as huggingface_hub
	 * reads it (X-Repo-Commit, X-Linked-Etag, X-Linked-Size, Location) */
	{
		struct http_req q;
		char url[256];
		memset(&q, 0, sizeof(q));
		snprintf(url, sizeof(url), "%s/gen/weights/resolve/main/model-00002-of-00002.gguf",
			 endpoint);
		q.url = url;
		q.head = 1;
		c = client_with(TOKEN, 5000, 2);
		CHECK_EQ_INT(http_perform(c, &q, 1, &r), 0);
		CHECK_EQ_INT(r.status, 302);
		CHECK_EQ_INT(r.body.len, 0);
		CHECK_EQ_INT(r.linked_size, 2048);
		CHECK(r.repo_commit && strlen(r.repo_commit) == 40);
		CHECK(r.location && strstr(r.location, "/cdn/gen/weights/"));
		{
			char *id = http_etag_id(r.linked_etag);
			CHECK(id && strlen(id) == 64); /* sha256 of the content, quotes gone */
			free(id);
		}
		http_resp_release(&r);
		http_client_free(c);
	}

	/* a token bound to another origin is not sent to this hub at all */
	{
		struct http_opts o;
		char other[64];
		struct lt_error e;
		http_default_opts(&o);
		snprintf(other, sizeof(other), "http://127.0.0.1:%d", cdn_port);
		o.token = TOKEN;
		o.token_host = other;
		CHECK_EQ_INT(http_client_new(&c, &o, &e), 0);
		reset_server();
		CHECK_EQ_INT(get1(c, "/api/models/test-http/plain", NULL, &r), 0);
		CHECK_EQ_INT(r.status, 200);
		http_resp_release(&r);
		log = server_log();
		CHECK_EQ_INT(log_count(log, NULL, NULL, 1), 0);
		json_decref(log);
		http_client_free(c);
		/* bare host:port form: matches this origin */
		snprintf(other, sizeof(other), "127.0.0.1:%d", hub_port);
		o.token_host = other;
		CHECK_EQ_INT(http_client_new(&c, &o, &e), 0);
		CHECK(http_client_sends_token(c, endpoint));
		reset_server();
		CHECK_EQ_INT(get1(c, "/api/models/test-http/plain", NULL, &r), 0);
		http_resp_release(&r);
		log = server_log();
		CHECK_EQ_INT(log_count(log, "hub", NULL, 1), 1);
		json_decref(log);
		http_client_free(c);
		/* a token with a line break would inject headers: refused */
		o.token = "abc\r\nX-Evil: 1";
		CHECK_EQ_INT(http_client_new(&c, &o, &e), LT_EINVAL);
		CHECK(c == NULL);
		CHECK(strstr(e.message, "X-Evil") == NULL);
	}
}

static void test_token_not_leaked(void)
{
	struct http_client *c;
	struct hub_opts o;
	const char *ids[2] = { "test-http/gated", "gen/weights" };
	struct source *s[2] = { NULL, NULL };
	struct hub_model_info *info[2] = { NULL, NULL };
	struct lt_error e[2];
	char dir[512], logpath[512];
	struct grep_ctx g;
	FILE *lf;
	struct buf lb;

	if (server())
		{ CHECK(0); return; }
	reset_server();
	snprintf(dir, sizeof(dir), "%s/cache-token", tmpdir);
	snprintf(logpath, sizeof(logpath), "%s/log-token.txt", tmpdir);
	lf = fopen(logpath, "w");
	log_set_sink(lf);
	log_set_level(LOG_DEBUG);
	fault("/api/models/test-http/gated", "[\"503\"]"); /* make the client log a retry */
	c = client_with(TOKEN, 5000, 2);
	hub_opts_for(&o, dir);
	CHECK_EQ_INT(hub_open_many(c, &o, ids, 2, s, info, e), 0);
	CHECK(s[0] && entry(s[0], "LICENSE") && entry(s[0], "LICENSE")->readable); /* token works */
	log_msg(LOG_DEBUG, "echo of the token: %s", TOKEN);
	log_set_level(LOG_WARN);
	log_set_sink(NULL);
	fclose(lf);
	g = grep_dir(dir, TOKEN);
	CHECK(g.files >= 8); /* 2 infos + files were cached */
	CHECK_EQ_INT(g.hits, 0);
	CHECK_EQ_INT(g.tmpfiles, 0);
	buf_init(&lb, 1 << 20);
	CHECK_EQ_INT(lt_read_file(&lb, logpath, 1 << 20, NULL), 0);
	CHECK(lb.len > 0 && strstr(buf_cstr(&lb), "retry"));
	CHECK(strstr(buf_cstr(&lb), "echo of the token: ***") != NULL);
	CHECK(strstr(buf_cstr(&lb), TOKEN) == NULL);
	buf_release(&lb);
	for (int i = 0; i < 2; i++) {
		source_free(s[i]);
		hub_model_info_free(info[i]);
	}
	http_client_free(c);
}

static void test_retry_429(void)
{
	struct http_client *c;
	struct http_resp r;
	long long t0;

	if (server())
		{ CHECK(0); return; }
	reset_server();
	c = client();
	fault("/api/models/test-http/plain", "[\"429:retry-after=1\"]");
	t0 = ms_now();
	CHECK_EQ_INT(get1(c, "/api/models/test-http/plain", NULL, &r), 0);
	CHECK_EQ_INT(r.status, 200);
	CHECK_EQ_INT(r.attempts, 2);
	CHECK(ms_now() - t0 >= 900); /* Retry-After honoured, not just the 10 ms backoff */
	http_resp_release(&r);

	fault("/api/models/test-http/plain", "[\"429:ratelimit=1\"]");
	t0 = ms_now();
	CHECK_EQ_INT(get1(c, "/api/models/test-http/plain", NULL, &r), 0);
	CHECK_EQ_INT(r.status, 200);
	CHECK_EQ_INT(r.attempts, 2);
	CHECK(ms_now() - t0 >= 900); /* RateLimit r=0;t=1 honoured */
	http_resp_release(&r);

	/* persistent 429: the budget runs out and the status is kept */
	fault("/api/models/test-http/plain", "[\"429\", \"429\", \"429\", \"429\"]");
	CHECK_EQ_INT(get1(c, "/api/models/test-http/plain", NULL, &r), LT_ENET);
	CHECK_EQ_INT(r.status, 429);
	CHECK_EQ_INT(r.attempts, 4);
	CHECK(strstr(r.errmsg, "429") != NULL);
	http_resp_release(&r);
	http_client_free(c);
}

static void test_retry_5xx_and_reset(void)
{
	struct http_client *c;
	struct http_resp r;
	json_t *log;

	if (server())
		{ CHECK(0); return; }
	reset_server();
	c = client();
	fault("/api/models/test-http/plain", "[\"500\", \"503\"]");
	CHECK_EQ_INT(get1(c, "/api/models/test-http/plain", NULL, &r), 0);
	CHECK_EQ_INT(r.status, 200);
	CHECK_EQ_INT(r.attempts, 3);
	CHECK(r.body.len > 0 && strstr(buf_cstr(&r.body), "\"sha\""));
	http_resp_release(&r);
	/* 404 is an answer, not a failure: no retry */
	CHECK_EQ_INT(get1(c, "/api/models/test-http/nope", NULL, &r), 0);
	CHECK_EQ_INT(r.status, 401);
	CHECK_STR(r.error_code, "RepoNotFound");
	CHECK_EQ_INT(r.attempts, 1);
	http_resp_release(&r);

	reset_server();
	fault("/api/models/test-http/gated", "[\"reset\"]");
	CHECK_EQ_INT(get1(c, "/api/models/test-http/gated", NULL, &r), 0);
	CHECK_EQ_INT(r.status, 200);
	http_resp_release(&r);
	log = server_log();
	CHECK(log_count(log, "hub", "/api/models/test-http/gated", -1) >= 2); /* reset + answer */
	json_decref(log);
	http_client_free(c);
}

static void test_truncated(void)
{
	struct http_client *c;
	struct http_resp r;
	struct hub_opts o;
	struct source *s = NULL;
	struct lt_error e;
	char *sha = NULL, path[256];

	if (server())
		{ CHECK(0); return; }
	reset_server();
	c = client();
	fault("/test-http/plain/resolve/main/LICENSE", "[\"truncate\"]");
	CHECK_EQ_INT(get1(c, "/test-http/plain/resolve/main/LICENSE", NULL, &r), 0);
	CHECK_EQ_INT(r.status, 200);
	CHECK_EQ_INT(r.attempts, 2);
	CHECK_EQ_INT(r.body.len, 237);
	CHECK_EQ_INT(r.truncated, 0);
	http_resp_release(&r);

	fault("/test-http/plain/resolve/main/LICENSE", "[\"bad-length\"]");
	CHECK_EQ_INT(get1(c, "/test-http/plain/resolve/main/LICENSE", NULL, &r), 0);
	CHECK_EQ_INT(r.attempts, 2);
	CHECK_EQ_INT(r.body.len, 237);
	http_resp_release(&r);

	fault("/test-http/plain/resolve/main/LICENSE",
	      "[\"bad-length\", \"bad-length\", \"bad-length\", \"bad-length\"]");
	CHECK_EQ_INT(get1(c, "/test-http/plain/resolve/main/LICENSE", NULL, &r), LT_ETRUNC);
	CHECK_EQ_INT(r.truncated, 1);
	CHECK_EQ_INT(r.attempts, 4);
	http_resp_release(&r);

	/* through the hub: a file that stays truncated fails the model, naming it */
	sha = repo_sha("test-http/plain");
	CHECK(sha != NULL);
	if (sha) {
		snprintf(path, sizeof(path), "/test-http/plain/resolve/%s/NOTICE", sha);
		fault(path, "[\"truncate\", \"truncate\", \"truncate\", \"truncate\"]");
		hub_opts_for(&o, "");
		CHECK_EQ_INT(open1(c, &o, "test-http/plain", &s, NULL, &e), LT_ETRUNC);
		CHECK(s == NULL);
		CHECK(strstr(e.message, "'NOTICE'") != NULL);
	}
	free(sha);
	http_client_free(c);
}

static void test_timeout_and_parallel(void)
{
	struct http_client *c;
	struct http_resp r, rs[4];
	struct http_req q[4];
	char url[256];
	long long t0, dt;

	if (server())
		{ CHECK(0); return; }
	reset_server();
	/* the limit bounds the whole request: a 500, a quick retry, then a stall;
	 * the retry gets only what is left of the 1.5 s (it used to get 1.5 s of its
	 * own, and each further retry another 1.5 s plus backoff) */
	c = client_with(NULL, 1500, 4);
	fault("/api/models/test-http/plain", "[\"500\", \"slow:5\", \"slow:5\", \"slow:5\", \"slow:5\"]");
	t0 = ms_now();
	CHECK_EQ_INT(get1(c, "/api/models/test-http/plain", NULL, &r), LT_ENET);
	dt = ms_now() - t0;
	CHECK_EQ_INT(r.attempts, 2);
	CHECK(dt >= 1400 && dt < 2300);
	CHECK(strstr(r.errmsg, "timed out") != NULL);
	http_resp_release(&r);
	/* a retry that could not start inside the limit is not made */
	reset_server();
	fault("/api/models/test-http/plain", "[\"503:retry-after=5\", \"503:retry-after=5\"]");
	t0 = ms_now();
	CHECK_EQ_INT(get1(c, "/api/models/test-http/plain", NULL, &r), LT_ENET);
	dt = ms_now() - t0;
	CHECK_EQ_INT(r.attempts, 1);
	CHECK(dt < 1000);
	CHECK(strstr(r.errmsg, "time limit") != NULL);
	http_resp_release(&r);
	http_client_free(c);
	reset_server();
	{
		/* a total limit of 0 (or less) is refused: every request has a bound */
		struct http_opts o;
		struct lt_error e;
		struct http_client *z = NULL;
		http_default_opts(&o);
		o.total_timeout_ms = 0;
		CHECK_EQ_INT(http_client_new(&z, &o, &e), LT_EINVAL);
		CHECK(z == NULL);
	}

	/* four slow answers with jobs=4 overlap: about 0.6 s, not 2.4 s */
	c = client();
	fault("/api/models/test-http/gated", "[\"slow:0.6\", \"slow:0.6\", \"slow:0.6\", \"slow:0.6\"]");
	snprintf(url, sizeof(url), "%s/api/models/test-http/gated", endpoint);
	memset(q, 0, sizeof(q));
	for (int i = 0; i < 4; i++)
		q[i].url = url;
	t0 = ms_now();
	CHECK_EQ_INT(http_perform(c, q, 4, rs), 0);
	dt = ms_now() - t0;
	CHECK(dt >= 550 && dt < 1800);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ_INT(rs[i].status, 200);
		http_resp_release(&rs[i]);
	}
	http_client_free(c);

	/* ... and with jobs=2 never more than two at once: two rounds */
	{
		struct http_opts o;
		struct lt_error e;
		http_default_opts(&o);
		o.jobs = 2;
		CHECK_EQ_INT(http_client_new(&c, &o, &e), 0);
	}
	fault("/api/models/test-http/gated", "[\"slow:0.6\", \"slow:0.6\", \"slow:0.6\", \"slow:0.6\"]");
	t0 = ms_now();
	CHECK_EQ_INT(http_perform(c, q, 4, rs), 0);
	dt = ms_now() - t0;
	CHECK(dt >= 1150);
	for (int i = 0; i < 4; i++)
		http_resp_release(&rs[i]);
	http_client_free(c);
}

static void test_redirect_loop_and_cap(void)
{
	struct http_client *c;
	struct http_resp r;
	struct http_opts o;
	struct lt_error e;

	if (server())
		{ CHECK(0); return; }
	reset_server();
	http_default_opts(&o);
	o.max_redirects = 5;
	o.max_response_bytes = 100;
	CHECK_EQ_INT(http_client_new(&c, &o, &e), 0);
	fault("/test-http/plain/resolve/main/NOTICE", "[\"redirect-loop\", \"redirect-loop\", "
	      "\"redirect-loop\", \"redirect-loop\", \"redirect-loop\", \"redirect-loop\", "
	      "\"redirect-loop\", \"redirect-loop\"]");
	CHECK_EQ_INT(get1(c, "/test-http/plain/resolve/main/NOTICE", NULL, &r), LT_ENET);
	CHECK(strstr(r.errmsg, "too many redirects") != NULL);
	CHECK_EQ_INT(r.redirects, 5);
	http_resp_release(&r);
	/* the byte cap: cut, flagged, an error */
	CHECK_EQ_INT(get1(c, "/test-http/plain/resolve/main/LICENSE", NULL, &r), LT_ETOOBIG);
	CHECK_EQ_INT(r.truncated, 1);
	CHECK_EQ_INT(r.body.len, 100);
	http_resp_release(&r);
	/* Link: rel="next" */
	CHECK_EQ_INT(get1(c, "/api/models?author=test-http&limit=2", NULL, &r), LT_ETOOBIG);
	http_resp_release(&r);
	http_client_free(c);
	c = client();
	CHECK_EQ_INT(get1(c, "/api/models?author=test-http&limit=2", NULL, &r), 0);
	CHECK(r.link_next && strstr(r.link_next, "cursor=2") && strstr(r.link_next, "author=test-http"));
	http_resp_release(&r);
	{
		struct hub_opts ho;
		char **ids = NULL;
		size_t n = 0;
		hub_opts_for(&ho, "");
		CHECK_EQ_INT(hub_list_models(c, &ho, "test-http", &ids, &n, &e), 0);
		CHECK_EQ_INT(n, 5); /* apache-bsd, gated, gatedapi, plain, weights; private is hidden without a token */
		for (size_t i = 0; i < n; i++)
			free(ids[i]);
		free(ids);
	}
	http_client_free(c);
}

static void test_gated(void)
{
	struct http_client *c;
	struct hub_opts o;
	struct source *s = NULL;
	struct hub_model_info *info = NULL;
	struct lt_error e;
	char *txt;

	if (server())
		{ CHECK(0); return; }
	reset_server();
	c = client();
	hub_opts_for(&o, "");
	CHECK_EQ_INT(open1(c, &o, "test-http/gated", &s, &info, &e), 0);
	CHECK(s && info);
	if (s && info) {
		CHECK_EQ_INT(info->gated, 1);
		CHECK(entry(s, "README.md") && entry(s, "README.md")->readable);
		txt = read_all(s, "README.md");
		CHECK(txt && strstr(txt, "fixture-community-license"));
		free(txt);
		CHECK(entry(s, "LICENSE") && !entry(s, "LICENSE")->readable);
		CHECK(has_problem(s, "gated: 'LICENSE' needs an access token with granted access"));
		CHECK(has_problem(s, "gated: 'config.json'"));
		CHECK_STR(info->error_code, "GatedRepo");
	}
	source_free(s);
	hub_model_info_free(info);
	s = NULL;
	info = NULL;

	/* the info endpoint refuses too: the sha comes from README's X-Repo-Commit */
	CHECK_EQ_INT(open1(c, &o, "test-http/gatedapi", &s, &info, &e), 0);
	CHECK(s && info);
	if (s && info) {
		CHECK_EQ_INT(info->gated, 1);
		CHECK_EQ_INT(strlen(info->sha), 40);
		CHECK_STR(s->revision, info->sha);
		CHECK(entry(s, "README.md") && entry(s, "README.md")->readable);
		CHECK(has_problem(s, "gated: the file list"));
	}
	source_free(s);
	hub_model_info_free(info);
	s = NULL;
	info = NULL;
	http_client_free(c);

	/* with a token that has access, everything is readable */
	c = client_with(TOKEN, 5000, 2);
	CHECK_EQ_INT(open1(c, &o, "test-http/gated", &s, &info, &e), 0);
	if (s && info) {
		CHECK_EQ_INT(info->gated, 1);
		txt = read_all(s, "LICENSE");
		CHECK(txt && strstr(txt, "FIXTURE COMMUNITY LICENSE"));
		free(txt);
		CHECK_EQ_INT(s->nproblems, 0);
	}
	source_free(s);
	hub_model_info_free(info);
	http_client_free(c);
}

static void test_missing_and_auth(void)
{
	struct http_client *c;
	struct hub_opts o;
	const char *ids[4] = { "test-http/nope", "test-http/plain@nobranch", "test-http/plain",
			       "test-http/private" };
	struct source *s[4];
	struct hub_model_info *info[4];
	struct lt_error e[4];

	if (server())
		{ CHECK(0); return; }
	reset_server();
	c = client();
	hub_opts_for(&o, "");
	CHECK_EQ_INT(hub_open_many(c, &o, ids, 4, s, info, e), LT_ENOTFOUND);
	CHECK_EQ_INT(e[0].code, LT_ENOTFOUND);
	CHECK(strstr(e[0].message, "'test-http/nope' not found") != NULL);
	CHECK_EQ_INT(e[1].code, LT_ENOTFOUND);
	CHECK(strstr(e[1].message, "revision 'nobranch'") != NULL);
	CHECK_EQ_INT(e[2].code, 0); /* one model's failure does not stop the others */
	CHECK(s[2] != NULL && info[2] != NULL);
	CHECK_EQ_INT(e[3].code, LT_ENOTFOUND);
	CHECK(strstr(e[3].message, "needs a token") != NULL);
	CHECK(s[0] == NULL && s[1] == NULL && s[3] == NULL);
	for (int i = 0; i < 4; i++) {
		source_free(s[i]);
		hub_model_info_free(info[i]);
	}
	/* 401 without an error code and without a token */
	fault("/api/models/test-http/plain", "[\"401\"]");
	CHECK_EQ_INT(open1(c, &o, "test-http/plain", s, NULL, e), LT_EAUTH);
	CHECK(strstr(e[0].message, "not found or needs a token") != NULL);
	/* a bad id never reaches the network */
	CHECK_EQ_INT(open1(c, &o, "not an id", s, NULL, e), LT_EINVAL);
	/* network failure: nothing listens on this port */
	{
		struct hub_opts dead = o;
		struct http_client *c2 = client_with(NULL, 500, 1);
		dead.endpoint = "http://127.0.0.1:9";
		CHECK_EQ_INT(open1(c2, &dead, "test-http/plain", s, NULL, e), LT_ENET);
		http_client_free(c2);
	}
	http_client_free(c);
	/* with the token the private repo opens */
	c = client_with(TOKEN, 5000, 2);
	CHECK_EQ_INT(open1(c, &o, "test-http/private", s, info, e), 0);
	source_free(s[0]);
	hub_model_info_free(info[0]);
	http_client_free(c);
}

static void test_offline_and_revalidation(void)
{
	struct http_client *c;
	struct hub_opts o;
	const char *ids[3] = { "test-http/plain", "gen/weights", "test-http/gated" };
	struct source *s[3], *s2[3];
	struct hub_model_info *info[3], *info2[3];
	struct lt_error e[3];
	char dir[512], *a, *b;
	json_t *log, *v;

	if (server())
		{ CHECK(0); return; }
	reset_server();
	snprintf(dir, sizeof(dir), "%s/cache-offline", tmpdir);
	c = client();
	hub_opts_for(&o, dir);
	CHECK_EQ_INT(hub_open_many(c, &o, ids, 3, s, info, e), 0);

	/* second online run: the info is revalidated (304), the files are not refetched */
	reset_server();
	CHECK_EQ_INT(hub_open_many(c, &o, ids, 3, s2, info2, e), 0);
	log = server_log();
	v = log_find(log, "hub", "/api/models/test-http/plain");
	CHECK(v && json_is_string(json_object_get(v, "inm")));
	CHECK(v && json_integer_value(json_object_get(v, "status")) == 304);
	CHECK_EQ_INT(log_count(log, NULL, "/api/models/", -1), 3);
	/* files at a sha are immutable; gated refusals are asked again (access may
	 * have been granted since): LICENSE and config.json of the gated repo */
	CHECK_EQ_INT(log_count(log, "hub", "/resolve/", -1), 2);
	CHECK_EQ_INT(log_count(log, "cdn", NULL, -1), 0);
	json_decref(log);
	if (s2[0] && s[0]) {
		CHECK_STR(s2[0]->revision, s[0]->revision);
		a = read_all(s[0], "README.md");
		b = read_all(s2[0], "README.md");
		CHECK(a && b && strcmp(a, b) == 0);
		free(a);
		free(b);
		CHECK_EQ_INT(s2[0]->nentries, s[0]->nentries);
	}
	for (int i = 0; i < 3; i++) {
		source_free(s2[i]);
		hub_model_info_free(info2[i]);
	}

	/* offline: no client at all, same answers, no request reaches the server */
	reset_server();
	o.offline = 1;
	CHECK_EQ_INT(hub_open_many(NULL, &o, ids, 3, s2, info2, e), 0);
	log = server_log();
	CHECK_EQ_INT(json_array_size(log), 0);
	json_decref(log);
	if (s2[0] && s[0]) {
		CHECK_STR(s2[0]->revision, s[0]->revision);
		CHECK_STR(info2[0]->card_data_json, info[0]->card_data_json);
		a = read_all(s[0], "LICENSE");
		b = read_all(s2[0], "LICENSE");
		CHECK(a && b && strcmp(a, b) == 0);
		free(a);
		free(b);
		CHECK(entry(s2[0], "tokenizer.json") && !entry(s2[0], "tokenizer.json")->readable);
	}
	if (s2[1]) { /* the GGUF header prefix is cached as a prefix */
		struct buf hb;
		int tr = 0;
		buf_init(&hb, 8u << 20);
		CHECK_EQ_INT(source_read(s2[1], "model-00001-of-00002.gguf", 8u << 20, &hb, &tr, e), 0);
		CHECK_EQ_INT(hb.len, HUB_HEADER_BYTES);
		CHECK_EQ_INT(tr, 1);
		buf_release(&hb);
	}
	if (s2[2] && info2[2]) { /* gated refusals are remembered offline */
		CHECK_EQ_INT(info2[2]->gated, 1);
		CHECK(has_problem(s2[2], "gated: 'LICENSE'"));
	}
	for (int i = 0; i < 3; i++) {
		source_free(s[i]);
		hub_model_info_free(info[i]);
		source_free(s2[i]);
		hub_model_info_free(info2[i]);
	}

	/* HF_HUB_OFFLINE=1 works like --offline; an empty cache is "not in the offline cache" */
	{
		char empty[512];
		struct source *x = NULL;
		snprintf(empty, sizeof(empty), "%s/cache-empty", tmpdir);
		hub_opts_for(&o, empty);
		setenv("HF_HUB_OFFLINE", "1", 1);
		reset_server();
		CHECK_EQ_INT(open1(c, &o, "test-http/plain", &x, NULL, e), LT_ENOTFOUND);
		CHECK(strstr(e[0].message, "not in the offline cache") != NULL);
		CHECK(x == NULL);
		unsetenv("HF_HUB_OFFLINE");
		log = server_log();
		CHECK_EQ_INT(json_array_size(log), 0);
		json_decref(log);
	}
	http_client_free(c);
}

static void test_hf_cache_layout(void)
{
	char home[512], p[800], snap[700], sha[41];
	struct hub_opts o;
	struct source *s = NULL;
	struct hub_model_info *info = NULL;
	struct lt_error e;
	char *txt;

	if (server())
		{ CHECK(0); return; }
	memset(sha, 'a', 40);
	sha[40] = '\0';
	sha[0] = '1';
	snprintf(home, sizeof(home), "%s/hfhome", tmpdir);
	snprintf(p, sizeof(p), "%s/hub/models--acme--tiny/blobs", home);
	mkdirs(p);
	snprintf(p, sizeof(p), "%s/hub/models--acme--tiny/refs", home);
	mkdirs(p);
	snprintf(snap, sizeof(snap), "%s/hub/models--acme--tiny/snapshots/%s", home, sha);
	mkdirs(snap);
	snprintf(p, sizeof(p), "%s/hub/models--acme--tiny/blobs/0123456789abcdef", home);
	write_file(p, "---\nlicense: mit\n---\n# tiny\n", 28);
	snprintf(p, sizeof(p), "%s/README.md", snap);
	CHECK_EQ_INT(symlink("../../blobs/0123456789abcdef", p), 0);
	snprintf(p, sizeof(p), "%s/LICENSE", snap);
	CHECK_EQ_INT(symlink("/etc/passwd", p), 0); /* out of the cache: not followed */
	snprintf(p, sizeof(p), "%s/hub/models--acme--tiny/refs/main", home);
	write_file(p, sha, 40);

	memset(&o, 0, sizeof(o));
	o.endpoint = endpoint;
	o.cache_dir = "";
	o.offline = 1;
	o.hf_home = home;
	CHECK_EQ_INT(open1(NULL, &o, "acme/tiny", &s, &info, &e), 0);
	CHECK(s && info);
	if (s && info) {
		CHECK_EQ_INT(s->kind, SOURCE_HUB);
		CHECK_STR(s->revision, sha);
		CHECK_STR(info->sha, sha);
		CHECK_STR(s->target, "acme/tiny");
		txt = read_all(s, "README.md");
		CHECK(txt && strstr(txt, "# tiny"));
		free(txt);
		CHECK(entry(s, "LICENSE") && !entry(s, "LICENSE")->readable);
	}
	source_free(s);
	hub_model_info_free(info);
	s = NULL;
	info = NULL;
	/* pinned to the sha directly */
	snprintf(p, sizeof(p), "acme/tiny@%s", sha);
	CHECK_EQ_INT(open1(NULL, &o, p, &s, &info, &e), 0);
	source_free(s);
	hub_model_info_free(info);
	/* an unknown branch is not there */
	CHECK_EQ_INT(open1(NULL, &o, "acme/tiny@dev", &s, NULL, &e), LT_ENOTFOUND);
	CHECK_EQ_INT(open1(NULL, &o, "acme/other", &s, NULL, &e), LT_ENOTFOUND);
}

static void test_weights_header(void)
{
	struct http_client *c;
	struct hub_opts o;
	struct source *s = NULL;
	struct hub_model_info *info = NULL;
	struct lt_error e;
	struct buf b;
	int tr = 0;
	json_t *log, *v;

	if (server())
		{ CHECK(0); return; }
	reset_server();
	c = client_with(TOKEN, 5000, 2);
	hub_opts_for(&o, "");
	CHECK_EQ_INT(open1(c, &o, "gen/weights", &s, &info, &e), 0);
	if (!s) {
		http_client_free(c);
		return;
	}
	CHECK(entry(s, "model-00001-of-00002.gguf") && entry(s, "model-00001-of-00002.gguf")->readable);
	CHECK(entry(s, "model-00002-of-00002.gguf") && !entry(s, "model-00002-of-00002.gguf")->readable);
	CHECK(entry(s, "model-00001-of-00002.gguf")->size == 3u * 1024u * 1024u);
	buf_init(&b, 64u << 20);
	CHECK_EQ_INT(source_read(s, "model-00001-of-00002.gguf", 64u << 20, &b, &tr, &e), 0);
	CHECK_EQ_INT(b.len, HUB_HEADER_BYTES);
	CHECK_EQ_INT(tr, 1);
	CHECK(b.len > 40 && memcmp(b.data, "GGUF", 4) == 0 && memcmp(b.data + 32, "general.license", 15) == 0);
	buf_reset(&b);
	CHECK_EQ_INT(source_read(s, "model-00001-of-00002.gguf", 64u << 20, &b, NULL, &e), LT_ETOOBIG);
	buf_reset(&b);
	CHECK_EQ_INT(source_read(s, "model-00001-of-00002.gguf", 16, &b, &tr, &e), 0);
	CHECK_EQ_INT(b.len, 16);
	buf_reset(&b);
	/* a safetensors file smaller than the range arrives whole: no truncation */
	tr = 5;
	CHECK_EQ_INT(source_read(s, "model.safetensors", 1 << 20, &b, &tr, &e), 0);
	CHECK_EQ_INT(b.len, 200);
	CHECK_EQ_INT(tr, 0);
	buf_release(&b);
	log = server_log();
	v = log_find(log, "hub", "model-00001-of-00002.gguf");
	CHECK(v && json_is_true(json_object_get(v, "auth")));
	CHECK(v && json_is_string(json_object_get(v, "range")) &&
	      strcmp(json_string_value(json_object_get(v, "range")), "bytes=0-1048575") == 0);
	v = log_find(log, "cdn", "model-00001-of-00002.gguf");
	CHECK(v && json_integer_value(json_object_get(v, "status")) == 206);
	CHECK(v && !json_is_true(json_object_get(v, "auth")));
	CHECK(v && json_is_string(json_object_get(v, "range")));
	CHECK_EQ_INT(log_count(log, "cdn", NULL, 1), 0);
	json_decref(log);
	source_free(s);
	hub_model_info_free(info);
	s = NULL;

	/* a file served as an LFS pointer is flagged, not passed off as a license */
	CHECK_EQ_INT(open1(c, &o, "gen/lfs", &s, NULL, &e), 0);
	CHECK(s && entry(s, "LICENSE") && entry(s, "LICENSE")->lfs_pointer);
	CHECK(s && entry(s, "LICENSE") && entry(s, "LICENSE")->lfs_size == 12345);
	CHECK(has_problem(s, "'LICENSE' is a Git LFS pointer"));
	source_free(s);
	s = NULL;

	/* an empty weights file answers the Range with 416: an empty file, not a failure */
	CHECK_EQ_INT(open1(c, &o, "gen/empty", &s, NULL, &e), 0);
	CHECK(s && entry(s, "model.safetensors") && entry(s, "model.safetensors")->readable);
	if (s) {
		buf_init(&b, 1024);
		CHECK_EQ_INT(source_read(s, "model.safetensors", 1024, &b, NULL, &e), 0);
		CHECK_EQ_INT(b.len, 0);
		buf_release(&b);
	}
	source_free(s);
	s = NULL;

	/* a license file over the limit is a problem, and never requested */
	reset_server();
	CHECK_EQ_INT(open1(c, &o, "gen/big", &s, NULL, &e), 0);
	CHECK(s && entry(s, "LICENSE") && !entry(s, "LICENSE")->readable);
	CHECK(has_problem(s, "'LICENSE' is 2097153 bytes, over the"));
	log = server_log();
	CHECK_EQ_INT(log_count(log, NULL, "LICENSE", -1), 0);
	json_decref(log);
	source_free(s);
	http_client_free(c);
}

/* ---- digests (core/digest.c), against FIPS 180-4 examples and git ---------- */

static void test_digest(void)
{
	static const struct { const char *in, *sha1, *sha256; } v[] = {
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d",
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	char hex[65];
	char *m = malloc(1000000);
	struct lt_sha1 c1;
	struct lt_sha256 c2;
	unsigned char d1[LT_SHA1_LEN], d2[LT_SHA256_LEN];

	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		lt_sha1_hex(v[i].in, strlen(v[i].in), hex);
		CHECK_STR(hex, v[i].sha1);
		lt_sha256_hex(v[i].in, strlen(v[i].in), hex);
		CHECK_STR(hex, v[i].sha256);
	}
	if (!m) {
		CHECK(0);
		return;
	}
	/* a million 'a', fed in odd-sized pieces across block boundaries */
	memset(m, 'a', 1000000);
	lt_sha1_init(&c1);
	lt_sha256_init(&c2);
	for (size_t i = 0; i < 1000000; i += 7) {
		size_t n = 1000000 - i < 7 ? 1000000 - i : 7;
		lt_sha1_update(&c1, m + i, n);
		lt_sha256_update(&c2, m + i, n);
	}
	lt_sha1_final(&c1, d1);
	lt_sha256_final(&c2, d2);
	lt_hex(d1, sizeof(d1), hex);
	CHECK_STR(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	lt_hex(d2, sizeof(d2), hex);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(m);
	/* `printf 'hello\n' | git hash-object --stdin` */
	lt_git_blob_sha1_hex("hello\n", 6, hex);
	CHECK_STR(hex, "ce013625030ba8dba906f756967f9e9ca394464a");
	lt_git_blob_sha1_hex("", 0, hex);
	CHECK_STR(hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

/* ---- verification rules (http/verify.c), on synthetic answers --------------- */

static void fake_resp(struct http_resp *r, long status, const char *body, const char *etag,
		      const char *linked_etag, unsigned long long linked_size)
{
	memset(r, 0, sizeof(*r));
	r->status = status;
	buf_init(&r->body, 1 << 20);
	buf_adds(&r->body, body);
	r->etag = etag ? lt_strdup(etag) : NULL;
	r->linked_etag = linked_etag ? lt_strdup(linked_etag) : NULL;
	r->linked_size = linked_size;
	r->content_length = strlen(body);
}

static int verify1(const struct http_req *q, struct http_resp *r, int prefix, const char *want_why)
{
	char why[256] = "";
	int rc = http_verify_body(q, r, prefix, why, sizeof(why));

	if (want_why && !strstr(why, want_why)) {
		fprintf(stderr, "  why: '%s', expected '%s'\n", why, want_why);
		rc = -1;
	}
	http_resp_release(r);
	return rc;
}

static void test_verify_rules(void)
{
	const char *body = "hello\n";
	char blob[41], sha[65], quoted[80], weak[80], other[80];
	struct http_req q;
	struct http_resp r;

	lt_git_blob_sha1_hex(body, 6, blob);
	lt_sha256_hex(body, 6, sha);
	memset(&q, 0, sizeof(q));
	snprintf(quoted, sizeof(quoted), "\"%s\"", blob);
	snprintf(weak, sizeof(weak), "W/\"%s\"", blob);
	/* a git file: ETag "<blob sha1>", strong or weak */
	fake_resp(&r, 200, body, quoted, NULL, 0);
	CHECK_EQ_INT(verify1(&q, &r, 0, NULL), 0);
	fake_resp(&r, 200, body, weak, NULL, 0);
	CHECK_EQ_INT(verify1(&q, &r, 0, NULL), 0);
	/* half of it, with a Content-Length that matches the half */
	fake_resp(&r, 200, "hel", quoted, NULL, 0);
	CHECK_EQ_INT(verify1(&q, &r, 0, "does not match the ETag"), 1);
	/* the ETag of other content: caught even at the right size */
	{
		char ob[41];
		lt_git_blob_sha1_hex("other\n", 6, ob);
		snprintf(other, sizeof(other), "\"%s\"", ob);
	}
	fake_resp(&r, 200, body, other, NULL, 0);
	CHECK_EQ_INT(verify1(&q, &r, 0, "git blob sha1"), 1);
	/* an ETag that is the plain sha1 of the content is not a git blob id */
	{
		char plain[41], pq[48];
		lt_sha1_hex(body, 6, plain);
		snprintf(pq, sizeof(pq), "\"%s\"", plain);
		fake_resp(&r, 200, body, pq, NULL, 0);
		CHECK_EQ_INT(verify1(&q, &r, 0, NULL), 1);
	}
	/* a 64-hex ETag: the content's sha256 (LFS names, some mirrors) */
	snprintf(quoted, sizeof(quoted), "\"%s\"", sha);
	fake_resp(&r, 200, body, quoted, NULL, 0);
	CHECK_EQ_INT(verify1(&q, &r, 0, NULL), 0);
	fake_resp(&r, 200, "hellO\n", quoted, NULL, 0);
	CHECK_EQ_INT(verify1(&q, &r, 0, "sha256"), 1);
	/* ETags that are no content id are not held against the body */
	fake_resp(&r, 200, body, "W/\"1a2b-3c4d\"", NULL, 0);
	CHECK_EQ_INT(verify1(&q, &r, 0, NULL), 0);
	fake_resp(&r, 200, body, NULL, NULL, 0);
	CHECK_EQ_INT(verify1(&q, &r, 0, NULL), 0);
	/* LFS: X-Linked-Etag (sha256) and X-Linked-Size win over the ETag */
	fake_resp(&r, 200, body, "\"d41d8cd98f00b204e9800998ecf8427e\"", quoted, 6);
	CHECK_EQ_INT(verify1(&q, &r, 0, NULL), 0);
	fake_resp(&r, 200, "hel", NULL, quoted, 6);
	CHECK_EQ_INT(verify1(&q, &r, 0, "the hub says the file has 6"), 1);
	fake_resp(&r, 200, body, NULL, quoted, 7);
	CHECK_EQ_INT(verify1(&q, &r, 0, "the hub says the file has 7"), 1);
	/* the size in the model info, alone or against X-Linked-Size */
	q.expect_size = 6;
	fake_resp(&r, 200, "hel", NULL, NULL, 0);
	CHECK_EQ_INT(verify1(&q, &r, 0, "3 bytes arrived"), 1);
	fake_resp(&r, 200, body, NULL, quoted, 9);
	CHECK_EQ_INT(verify1(&q, &r, 0, "sizes disagree"), 1);
	q.expect_size = 0;
	/* Range reads: the range asked for, consistent with the file's size */
	q.range = "0-3";
	fake_resp(&r, 206, "hell", NULL, quoted, 6);
	r.has_range = 1, r.range_first = 0, r.range_last = 3, r.range_total = 6;
	CHECK_EQ_INT(verify1(&q, &r, 0, NULL), 0);
	fake_resp(&r, 206, "he", NULL, quoted, 6);
	r.has_range = 1, r.range_first = 0, r.range_last = 3, r.range_total = 6;
	CHECK_EQ_INT(verify1(&q, &r, 0, "Content-Range"), 1);
	fake_resp(&r, 206, "hell", NULL, quoted, 6);
	r.has_range = 1, r.range_first = 0, r.range_last = 3, r.range_total = 8;
	CHECK_EQ_INT(verify1(&q, &r, 0, "Content-Range says 8"), 1);
	fake_resp(&r, 206, "ello", NULL, quoted, 6);
	r.has_range = 1, r.range_first = 1, r.range_last = 4, r.range_total = 6;
	CHECK_EQ_INT(verify1(&q, &r, 0, "asked from byte 0"), 1);
	fake_resp(&r, 206, "hell", NULL, NULL, 0);
	CHECK_EQ_INT(verify1(&q, &r, 0, "without a usable Content-Range"), 1);
	/* a 206 that holds the whole file is checked like one */
	q.range = "0-1048575";
	fake_resp(&r, 206, "hellO\n", NULL, quoted, 6);
	r.has_range = 1, r.range_first = 0, r.range_last = 5, r.range_total = 6;
	CHECK_EQ_INT(verify1(&q, &r, 0, "sha256"), 1);
	/* a 200 cut at our byte cap: a prefix; only its Content-Length is checked */
	fake_resp(&r, 200, "hel", NULL, quoted, 6);
	r.content_length = 6;
	CHECK_EQ_INT(verify1(&q, &r, 1, NULL), 0);
	fake_resp(&r, 200, "hel", NULL, quoted, 6);
	r.content_length = 5;
	CHECK_EQ_INT(verify1(&q, &r, 1, "Content-Length 5"), 1);
}

/* ---- verification against the fixture hub ---------------------------------- */

static int get_v(struct http_client *c, const char *path, const char *range,
		 unsigned long long expect, struct http_resp *r)
{
	struct http_req q;
	char url[512];

	memset(&q, 0, sizeof(q));
	snprintf(url, sizeof(url), "%s%s", endpoint, path);
	q.url = url;
	q.range = range;
	q.follow_redirects = 1;
	q.verify = 1;
	q.expect_size = expect;
	return http_perform(c, &q, 1, r);
}

static void test_verify_live(void)
{
	struct http_client *c;
	struct http_resp r;
	struct hub_opts o;
	struct source *s = NULL;
	struct lt_error e;
	struct cache *cc = NULL;
	struct cache_key k;
	struct buf b;
	char dir[512], *sha = NULL;

	if (server())
		{ CHECK(0); return; }
	reset_server();
	c = client();
	/* the bug: without verification a cut body with a matching length passes */
	fault("/test-http/plain/resolve/main/LICENSE", "[\"cut\"]");
	CHECK_EQ_INT(get1(c, "/test-http/plain/resolve/main/LICENSE", NULL, &r), 0);
	CHECK_EQ_INT(r.body.len, 118);
	http_resp_release(&r);
	/* with it: retried, and the second answer is whole */
	fault("/test-http/plain/resolve/main/LICENSE", "[\"cut\"]");
	CHECK_EQ_INT(get_v(c, "/test-http/plain/resolve/main/LICENSE", NULL, 0, &r), 0);
	CHECK_EQ_INT(r.attempts, 2);
	CHECK_EQ_INT(r.body.len, 237);
	CHECK_EQ_INT(r.mismatch, 0);
	http_resp_release(&r);
	/* cut every time: an error, flagged, the body withheld */
	fault("/test-http/plain/resolve/main/LICENSE", "[\"cut\", \"cut\", \"cut\", \"cut\"]");
	CHECK_EQ_INT(get_v(c, "/test-http/plain/resolve/main/LICENSE", NULL, 0, &r), LT_ETRUNC);
	CHECK_EQ_INT(r.mismatch, 1);
	CHECK_EQ_INT(r.attempts, 4);
	CHECK_EQ_INT(r.body.len, 0);
	CHECK(strstr(r.errmsg, "does not match the ETag") != NULL);
	http_resp_release(&r);
	/* weak ETags are accepted; a wrong one is not */
	fault("/test-http/plain/resolve/main/LICENSE", "[\"weak-etag\"]");
	CHECK_EQ_INT(get_v(c, "/test-http/plain/resolve/main/LICENSE", NULL, 237, &r), 0);
	CHECK(r.etag && strncmp(r.etag, "W/\"", 3) == 0);
	CHECK_EQ_INT(r.attempts, 1);
	http_resp_release(&r);
	fault("/test-http/plain/resolve/main/LICENSE", "[\"bad-etag\", \"bad-etag\", \"bad-etag\", \"bad-etag\"]");
	CHECK_EQ_INT(get_v(c, "/test-http/plain/resolve/main/LICENSE", NULL, 237, &r), LT_ETRUNC);
	CHECK_EQ_INT(r.mismatch, 1);
	http_resp_release(&r);
	/* the size in the model info counts too */
	CHECK_EQ_INT(get_v(c, "/test-http/plain/resolve/main/LICENSE", NULL, 238, &r), LT_ETRUNC);
	CHECK(strstr(r.errmsg, "the hub says the file has 238") != NULL);
	http_resp_release(&r);

	/* LFS through the CDN: the CDN's own (MD5) ETag is not held against the
	 * body; X-Linked-Etag / X-Linked-Size from the hub are */
	CHECK_EQ_INT(get_v(c, "/gen/weights/resolve/main/model.safetensors", NULL, 0, &r), 0);
	CHECK_EQ_INT(r.redirects, 1);
	CHECK(r.linked_etag != NULL);
	CHECK_EQ_INT(r.body.len, 200);
	http_resp_release(&r);
	fault("/cdn/gen/weights/*/model.safetensors", "[\"cut\", \"cut\", \"cut\", \"cut\"]");
	CHECK_EQ_INT(get_v(c, "/gen/weights/resolve/main/model.safetensors", NULL, 0, &r), LT_ETRUNC);
	CHECK(strstr(r.errmsg, "the hub says the file has 200") != NULL);
	http_resp_release(&r);
	fault("/gen/weights/resolve/main/model.safetensors", "[\"bad-etag\", \"bad-etag\", \"bad-etag\", \"bad-etag\"]");
	CHECK_EQ_INT(get_v(c, "/gen/weights/resolve/main/model.safetensors", NULL, 0, &r), LT_ETRUNC);
	CHECK(strstr(r.errmsg, "X-Linked-Etag") != NULL);
	http_resp_release(&r);
	/* a mirror's bare redirect, then a CDN whose own ETag looks like a git blob
	 * id: the CDN's tag is not consulted (only the sizes are left to check) */
	fault("/gen/weights/resolve/main/model.safetensors", "[\"bare-redirect\", \"bare-redirect\"]");
	fault("/cdn/gen/weights/*/model.safetensors", "[\"sha1-etag\", \"sha1-etag\"]");
	CHECK_EQ_INT(get_v(c, "/gen/weights/resolve/main/model.safetensors", NULL, 200, &r), 0);
	CHECK(r.etag == NULL && r.linked_etag == NULL && r.linked_size == 0);
	CHECK_EQ_INT(r.attempts, 2);
	http_resp_release(&r);
	CHECK_EQ_INT(get_v(c, "/gen/weights/resolve/main/model.safetensors", NULL, 201, &r), LT_ETRUNC);
	http_resp_release(&r);
	reset_server();
	/* huggingface.co's relative redirect to /api/resolve-cache/...: the ETag of
	 * that hop (same origin) names the content and is checked */
	fault("/test-http/plain/resolve/main/LICENSE", "[\"resolve-cache\"]");
	CHECK_EQ_INT(get_v(c, "/test-http/plain/resolve/main/LICENSE", NULL, 0, &r), 0);
	CHECK_EQ_INT(r.redirects, 1);
	CHECK(r.etag != NULL);
	CHECK_EQ_INT(r.body.len, 237);
	http_resp_release(&r);
	/* (a retry after a mismatch asks the hub again, so each attempt is 307 + cut) */
	fault("/test-http/plain/resolve/main/LICENSE",
	      "[\"resolve-cache\", \"resolve-cache\", \"resolve-cache\", \"resolve-cache\"]");
	fault("/api/resolve-cache/models/test-http/plain/*/LICENSE", "[\"cut\", \"cut\", \"cut\", \"cut\"]");
	CHECK_EQ_INT(get_v(c, "/test-http/plain/resolve/main/LICENSE", NULL, 0, &r), LT_ETRUNC);
	CHECK_EQ_INT(r.mismatch, 1);
	CHECK_EQ_INT(r.attempts, 8);
	CHECK(strstr(r.errmsg, "does not match the ETag") != NULL);
	http_resp_release(&r);
	reset_server();
	/* a Range read of a weights header, cut short: the Content-Range disagrees */
	fault("/cdn/gen/weights/*/model-00001-of-00002.gguf", "[\"cut\", \"cut\", \"cut\", \"cut\"]");
	CHECK_EQ_INT(get_v(c, "/gen/weights/resolve/main/model-00001-of-00002.gguf", "0-1048575", 0, &r),
		     LT_ETRUNC);
	CHECK(strstr(r.errmsg, "Content-Range") != NULL);
	http_resp_release(&r);
	CHECK_EQ_INT(get_v(c, "/gen/weights/resolve/main/model-00001-of-00002.gguf", "0-1048575", 0, &r), 0);
	CHECK_EQ_INT(r.status, 206);
	CHECK_EQ_INT(r.body.len, 1048576);
	http_resp_release(&r);

	/* through the hub backend: the model fails naming the file, nothing is cached */
	sha = repo_sha("test-http/plain");
	snprintf(dir, sizeof(dir), "%s/cache-verify", tmpdir);
	hub_opts_for(&o, dir);
	fault("/test-http/plain/resolve/*/LICENSE", "[\"cut\", \"cut\", \"cut\", \"cut\", \"cut\"]");
	CHECK_EQ_INT(open1(c, &o, "test-http/plain", &s, NULL, &e), LT_ETRUNC);
	CHECK(s == NULL);
	CHECK(strstr(e.message, "'LICENSE' of 'test-http/plain' is not what the hub says it is") != NULL);
	CHECK_EQ_INT(cache_open(&cc, dir, &e), 0);
	k.endpoint = endpoint;
	k.repo = "test-http/plain";
	k.rev = sha;
	k.path = "LICENSE";
	k.variant = NULL;
	buf_init(&b, 1 << 20);
	CHECK_EQ_INT(cache_get(cc, &k, 1 << 20, &b, NULL, NULL, &e), LT_ENOTFOUND);
	buf_release(&b);
	cache_free(cc);
	free(sha);
	http_client_free(c);
}

/* ---- cache checksums and debris ---------------------------------------------- */

static char found_entry[600];

static int find_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_F && S_ISREG(st->st_mode) && !strstr(path, ".tmp."))
		snprintf(found_entry, sizeof(found_entry), "%s", path);
	return 0;
}

static void test_cache_checksum(void)
{
	struct cache *c = NULL;
	struct cache_key k = { "http://h", "org/name", "0123", "LICENSE", NULL };
	struct buf b, f;
	struct lt_error e;
	char dir[512];

	if (server())
		{ CHECK(0); return; }
	snprintf(dir, sizeof(dir), "%s/cache-sum", tmpdir);
	CHECK_EQ_INT(cache_open(&c, dir, &e), 0);
	CHECK_EQ_INT(cache_put(c, &k, "the license text", 16, "\"e\"", 0, &e), 0);
	found_entry[0] = '\0';
	nftw(dir, find_entry, 16, FTW_PHYS);
	CHECK(found_entry[0] != '\0');
	buf_init(&b, 1024);
	buf_init(&f, 1 << 20);
	CHECK_EQ_INT(lt_read_file(&f, found_entry, 1 << 20, NULL), 0);
	CHECK(f.len > 16 && memcmp(f.data, "LTCACHE2\nsha256 ", 16) == 0);
	/* one byte of the body changed: corrupt, reported, nothing served */
	if (f.len > 16) {
		struct stat st;
		f.data[f.len - 3] ^= 0x20;
		CHECK_EQ_INT(write_file(found_entry, f.data, f.len), 0);
		lt_error_clear(&e);
		CHECK_EQ_INT(cache_get(c, &k, 1024, &b, NULL, NULL, &e), LT_EPARSE);
		CHECK_EQ_INT(b.len, 0);
		CHECK(strstr(e.message, "'LICENSE' is corrupt") != NULL);
		/* the "partial" flag edited from 0 to 1: the checksum covers it too */
		f.data[f.len - 3] ^= 0x20;
		{
			char *pp = memmem(f.data, f.len, "partial 0", 9);
			CHECK(pp != NULL);
			if (pp)
				pp[8] = '1';
		}
		CHECK_EQ_INT(write_file(found_entry, f.data, f.len), 0);
		CHECK_EQ_INT(cache_get(c, &k, 1024, &b, NULL, NULL, &e), LT_EPARSE);
		/* torn: the last bytes missing */
		CHECK_EQ_INT(write_file(found_entry, f.data, f.len - 4), 0);
		CHECK_EQ_INT(cache_get(c, &k, 1024, &b, NULL, NULL, &e), LT_EPARSE);
		/* the older format, without a checksum: a plain miss, then rewritten */
		CHECK_EQ_INT(write_file(found_entry, "LTCACHE1\nkey 1\nx\n", 17), 0);
		lt_error_clear(&e);
		CHECK_EQ_INT(cache_get(c, &k, 1024, &b, NULL, NULL, &e), LT_ENOTFOUND);
		CHECK_EQ_INT(e.code, 0);
		CHECK_EQ_INT(cache_put(c, &k, "the license text", 16, NULL, 0, &e), 0);
		CHECK_EQ_INT(cache_get(c, &k, 1024, &b, NULL, NULL, &e), 0);
		CHECK(b.len == 16 && memcmp(b.data, "the license text", 16) == 0);
		/* entries are private to the user (they may hold gated files) */
		CHECK(stat(found_entry, &st) == 0 && (st.st_mode & 077) == 0);
	}
	buf_release(&f);
	buf_release(&b);
	cache_free(c);
}

static int exists_nofollow(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

static void test_cache_clean_temp(void)
{
	struct cache *c = NULL;
	struct cache_key k = { "http://h", "org/name", "0123", "NOTICE", NULL };
	struct lt_error e;
	struct timespec old[2] = { { 1577836800, 0 }, { 1577836800, 0 } }; /* 2020-01-01 */
	char dir[512], sub[600], stale[700], live[700], mine[700], link[700], foreign[700],
		target[600], fresh[700], subdir[700];

	if (server())
		{ CHECK(0); return; }
	snprintf(dir, sizeof(dir), "%s/cache-tmp", tmpdir);
	snprintf(sub, sizeof(sub), "%s/v1/ab", dir);
	mkdirs(sub);
	/* a writer killed long ago (its pid no longer runs) */
	snprintf(stale, sizeof(stale), "%s/0123456789abcdef0123456789abcd.tmp.99999999", sub);
	write_file(stale, "x", 1);
	utimensat(AT_FDCWD, stale, old, 0);
	/* a writer that still runs (our parent), written recently: left alone */
	snprintf(live, sizeof(live), "%s/0123456789abcdef0123456789abce.tmp.%ld", sub, (long)getppid());
	write_file(live, "x", 1);
	/* the same name pattern for our own pid: never ours to sweep */
	snprintf(mine, sizeof(mine), "%s/0123456789abcdef0123456789abcf.tmp.%ld", sub, (long)getpid());
	write_file(mine, "x", 1);
	utimensat(AT_FDCWD, mine, old, 0);
	/* a link with our pattern, pointing outside: neither followed nor removed */
	snprintf(target, sizeof(target), "%s/outside-target", tmpdir);
	write_file(target, "keep me", 7);
	snprintf(link, sizeof(link), "%s/0123456789abcdef0123456789abd0.tmp.99999999", sub);
	CHECK_EQ_INT(symlink(target, link), 0);
	/* a directory with our pattern, and a file not of our pattern */
	snprintf(subdir, sizeof(subdir), "%s/0123456789abcdef0123456789abd1.tmp.99999999", sub);
	mkdir(subdir, 0700);
	snprintf(foreign, sizeof(foreign), "%s/notes.tmp.99999999", sub);
	write_file(foreign, "x", 1);
	utimensat(AT_FDCWD, foreign, old, 0);
	/* dead writer, but written after the sweep started (mtime in the future) */
	snprintf(fresh, sizeof(fresh), "%s/0123456789abcdef0123456789abd2.tmp.99999999", sub);
	write_file(fresh, "x", 1);
	{
		struct timespec fut[2] = { { time(NULL) + 3600, 0 }, { time(NULL) + 3600, 0 } };
		utimensat(AT_FDCWD, fresh, fut, 0);
	}
	CHECK_EQ_INT(cache_open(&c, dir, &e), 0);
	CHECK_EQ_INT(cache_clean_temp(c), 1);
	CHECK(!exists_nofollow(stale));
	CHECK(exists_nofollow(live));
	CHECK(exists_nofollow(mine));
	CHECK(exists_nofollow(link));
	CHECK(exists_nofollow(subdir));
	CHECK(exists_nofollow(foreign));
	CHECK(exists_nofollow(fresh));
	{
		struct buf t;
		buf_init(&t, 64);
		CHECK_EQ_INT(lt_read_file(&t, target, 64, NULL), 0);
		CHECK(t.len == 7 && memcmp(t.data, "keep me", 7) == 0);
		buf_release(&t);
	}
	/* a put over a planted link at its own temp name writes a fresh file instead */
	{
		char planted[700];
		struct cache_key kk = k;
		struct buf t;
		CHECK_EQ_INT(cache_put(c, &kk, "n", 1, NULL, 0, &e), 0); /* finds the entry path */
		found_entry[0] = '\0';
		nftw(dir, find_entry, 16, FTW_PHYS);
		snprintf(planted, sizeof(planted), "%s.tmp.%ld", found_entry, (long)getpid());
		CHECK_EQ_INT(symlink(target, planted), 0);
		CHECK_EQ_INT(cache_put(c, &kk, "notice", 6, NULL, 0, &e), 0);
		buf_init(&t, 64);
		CHECK_EQ_INT(lt_read_file(&t, target, 64, NULL), 0);
		CHECK(t.len == 7 && memcmp(t.data, "keep me", 7) == 0);
		buf_release(&t);
		CHECK(!exists_nofollow(planted));
		buf_init(&t, 64);
		CHECK_EQ_INT(cache_get(c, &kk, 64, &t, NULL, NULL, &e), 0);
		CHECK(t.len == 6 && memcmp(t.data, "notice", 6) == 0);
		buf_release(&t);
	}
	/* a missing or disabled cache: nothing to do, no error */
	cache_free(c);
	CHECK_EQ_INT(cache_open(&c, "", &e), 0);
	CHECK_EQ_INT(cache_clean_temp(c), 0);
	cache_free(c);
}

/* A dataset and a model of one id (fixtures/hub/hubdata/twin and
 * fixtures/hub/datasets/hubdata/twin): their own URLs, their own cache entries in
 * one cache, online and offline; a dataset's huggingface_hub cache folder is
 * datasets--org--name. */
static void test_dataset_repo_type(void)
{
	struct http_client *c;
	struct hub_opts om, od;
	struct source *sm = NULL, *sd = NULL;
	struct hub_model_info *im = NULL, *id = NULL;
	struct lt_error e;
	char dir[512], *a, *b;
	json_t *log;

	if (server())
		{ CHECK(0); return; }
	reset_server();
	snprintf(dir, sizeof(dir), "%s/cache-datasets", tmpdir);
	c = client();
	hub_opts_for(&om, dir);
	od = om;
	od.repo_type = HUB_REPO_DATASET;
	CHECK_EQ_INT(open1(c, &om, "hubdata/twin", &sm, &im, &e), 0);
	CHECK_EQ_INT(open1(c, &od, "hubdata/twin", &sd, &id, &e), 0);
	log = server_log();
	CHECK_EQ_INT(log_count(log, "hub", "/api/models/hubdata/twin?blobs=true", -1), 1);
	CHECK_EQ_INT(log_count(log, "hub", "/api/datasets/hubdata/twin?blobs=true", -1), 1);
	CHECK_EQ_INT(log_count(log, "hub", "/datasets/hubdata/twin/resolve/", -1), 1);
	CHECK_EQ_INT(log_count(log, "hub", "/resolve/", -1), 2);
	json_decref(log);
	a = sm ? read_all(sm, "README.md") : NULL;
	b = sd ? read_all(sd, "README.md") : NULL;
	CHECK(a && strstr(a, "Twin (model)"));
	CHECK(b && strstr(b, "Twin (dataset)"));
	CHECK(im && id && im->sha && id->sha && strcmp(im->sha, id->sha) != 0);
	free(a);
	free(b);
	source_free(sm);
	source_free(sd);
	hub_model_info_free(im);
	hub_model_info_free(id);

	/* offline from the same cache: each gets its own card back, no request */
	reset_server();
	om.offline = od.offline = 1;
	sm = sd = NULL;
	CHECK_EQ_INT(open1(NULL, &om, "hubdata/twin", &sm, NULL, &e), 0);
	CHECK_EQ_INT(open1(NULL, &od, "hubdata/twin", &sd, NULL, &e), 0);
	a = sm ? read_all(sm, "README.md") : NULL;
	b = sd ? read_all(sd, "README.md") : NULL;
	CHECK(a && strstr(a, "Twin (model)"));
	CHECK(b && strstr(b, "Twin (dataset)"));
	free(a);
	free(b);
	source_free(sm);
	source_free(sd);
	/* a dataset the cache never saw: not found, with the dataset named */
	sd = NULL;
	CHECK_EQ_INT(open1(NULL, &od, "hubdata/nc-web", &sd, NULL, &e), LT_ENOTFOUND);
	CHECK(sd == NULL && strstr(e.message, "not in the offline cache"));
	log = server_log();
	CHECK_EQ_INT(json_array_size(log), 0);
	json_decref(log);
	http_client_free(c);
}

TESTS(T(dataset_repo_type), T(parse_target), T(token_env), T(cache_roundtrip), T(plain_repo), T(cdn_token),
      T(token_not_leaked), T(retry_429), T(retry_5xx_and_reset), T(truncated),
      T(timeout_and_parallel), T(redirect_loop_and_cap), T(gated), T(missing_and_auth),
      T(offline_and_revalidation), T(hf_cache_layout), T(weights_header), T(digest),
      T(verify_rules), T(verify_live), T(cache_checksum), T(cache_clean_temp))
