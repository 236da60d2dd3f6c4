/*
 * hub_target.c - the parts of the hub backend that need no network: which
 * targets name a hub model (hub_parse_target), where huggingface_hub keeps its
 * token (hub_token_from_env), and the name and environment helpers the hub
 * source shares (hub_names.h).
 */
#include "hub.h"
#include "hub_names.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/log.h"
#include "core/path.h"
#include "core/str.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

/* A token file holds one line; 4 KiB is far above any real token. */
#define HUB_MAX_TOKEN_BYTES 4096

int hub_is_sha(const char *s)
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 40;
}

/* An org or repo name as the Hub allows it (huggingface_hub validate_repo_id):
 * letters, digits, '-', '_', '.', no "--" or "..", not starting or ending with
 * '-' or '.', at most HUB_MAX_NAME. */
int hub_valid_name(const char *s, size_t n)
{
	if (n == 0 || n > HUB_MAX_NAME || s[0] == '-' || s[0] == '.' || s[n - 1] == '-' ||
	    s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return 0;
		if (i > 0 && (c == '-' || c == '.') && s[i - 1] == c)
			return 0;
	}
	return 1;
}

static int valid_rev(const char *r)
{
	size_t n = strlen(r);

	if (n == 0 || n > HUB_MAX_REV)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)r[i] <= 0x20 || (unsigned char)r[i] == 0x7f)
			return 0;
	return 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n); NULL on a bad escape or a decoded control byte. */
static char *url_decode(const char *s, size_t n)
{
	char *o = malloc(n + 1), *d = o;

	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) {
				free(o);
				return NULL;
			}
			c = (unsigned char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		}
		if (c < 0x20 || c == 0x7f) {
			free(o);
			return NULL;
		}
		*d++ = (char)c;
	}
	*d = '\0';
	return o;
}

int hub_parse_target(const char *target, char **id, char **rev)
{
	static const char *const hosts[] = { "huggingface.co/", "www.huggingface.co/", "hf.co/" };
	const char *p = target, *seg[4], *at;
	size_t seglen[4], nseg = 0, plen;
	int is_url = 0;

	*id = *rev = NULL;
	if (!target)
		return LT_EINVAL;
	if (lt_istarts_with(p, "https://"))
		p += 8, is_url = 1;
	else if (lt_istarts_with(p, "http://"))
		p += 7, is_url = 1;
	for (size_t i = 0; i < sizeof(hosts) / sizeof(*hosts); i++) {
		if (lt_istarts_with(p, hosts[i])) {
			p += strlen(hosts[i]);
			is_url = 2;
			break;
		}
	}
	if (is_url == 1) /* a scheme with some other host */
		return LT_EINVAL;
	if (!is_url) {
		/* org/name[@rev]: the revision may contain '/' (refs/pr/1) */
		const char *slash = strchr(p, '/');
		at = strchr(p, '@');
		if (!slash || (at && at < slash))
			return LT_EINVAL;
		plen = at ? (size_t)(at - p) : strlen(p);
		if (memchr(slash + 1, '/', plen - (size_t)(slash + 1 - p)) ||
		    !hub_valid_name(p, (size_t)(slash - p)) ||
		    !hub_valid_name(slash + 1, plen - (size_t)(slash + 1 - p)))
			return LT_EINVAL;
		if (at && !valid_rev(at + 1))
			return LT_EINVAL;
		*id = lt_strndup(p, plen);
		*rev = at ? lt_strdup(at + 1) : NULL;
		if (!*id || (at && !*rev))
			goto oom;
		return 0;
	}
	plen = strcspn(p, "?#");
	while (plen > 0 && p[plen - 1] == '/')
		plen--;
	for (size_t i = 0; i < plen && nseg < 4;) {
		size_t j = i;
		while (j < plen && p[j] != '/')
			j++;
		seg[nseg] = p + i;
		seglen[nseg++] = j - i;
		i = j + 1;
	}
	if (nseg < 2 || !hub_valid_name(seg[0], seglen[0]) || !hub_valid_name(seg[1], seglen[1]))
		return LT_EINVAL;
	/* datasets/, spaces/ and site pages are not models */
	if ((seglen[0] == 8 && !memcmp(seg[0], "datasets", 8)) ||
	    (seglen[0] == 6 && !memcmp(seg[0], "spaces", 6)) ||
	    (seglen[0] == 6 && !memcmp(seg[0], "models", 6)))
		return LT_EINVAL;
	if (nseg == 3)
		return LT_EINVAL;
	if (nseg == 4) {
		if (!((seglen[2] == 4 && !memcmp(seg[2], "tree", 4)) ||
		      (seglen[2] == 4 && !memcmp(seg[2], "blob", 4)) ||
		      (seglen[2] == 7 && !memcmp(seg[2], "resolve", 7))))
			return LT_EINVAL;
		*rev = url_decode(seg[3], seglen[3]);
		if (!*rev || !valid_rev(*rev)) {
			free(*rev);
			*rev = NULL;
			return LT_EINVAL;
		}
	}
	*id = lt_strndup(seg[0], seglen[0] + 1 + seglen[1]);
	if (!*id)
		goto oom;
	return 0;
oom:
	free(*id);
	free(*rev);
	*id = *rev = NULL;
	return LT_ENOMEM;
}

int hub_env_truthy(const char *v)
{
	return v && (lt_strieq(v, "1") || lt_strieq(v, "on") || lt_strieq(v, "yes") ||
		     lt_strieq(v, "true"));
}

const char *hub_env_nonempty(const char *name)
{
	const char *v = getenv(name);
	return v && v[0] ? v : NULL;
}

/* huggingface_hub's HF_HOME. */
char *hub_hf_home_dir(void)
{
	const char *v;

	if ((v = hub_env_nonempty("HF_HOME")))
		return lt_strdup(v);
	if ((v = hub_env_nonempty("XDG_CACHE_HOME")))
		return lt_asprintf("%s/huggingface", v);
	if ((v = hub_env_nonempty("HOME")))
		return lt_asprintf("%s/.cache/huggingface", v);
	return NULL;
}

static int token_ok(const char *t)
{
	for (; *t; t++)
		if ((unsigned char)*t < 0x21 || (unsigned char)*t > 0x7e)
			return 0;
	return 1;
}

int hub_token_from_env(char **out, const char *token_file_opt)
{
	const char *v;
	char *path = NULL, *home = NULL, *tok = NULL;
	struct buf b;
	int rc = 0, explicit_file = 0;

	*out = NULL;
	buf_init(&b, HUB_MAX_TOKEN_BYTES);
	if ((v = hub_env_nonempty("HF_TOKEN")) || (v = hub_env_nonempty("HUGGING_FACE_HUB_TOKEN"))) {
		tok = lt_strdup(v);
	} else {
		if (token_file_opt) {
			path = lt_strdup(token_file_opt);
			explicit_file = 1;
		} else if ((v = hub_env_nonempty("HF_TOKEN_PATH"))) {
			path = lt_strdup(v);
		} else if (!hub_env_truthy(getenv("HF_HUB_DISABLE_IMPLICIT_TOKEN")) &&
			   (home = hub_hf_home_dir())) {
			path = path_join(home, "token");
		}
		if (path) {
			/* the user's own config file: a symlink (dotfile managers) is fine */
			char real[PATH_MAX];
			if (realpath(path, real) && lt_read_file(&b, real, HUB_MAX_TOKEN_BYTES, NULL) == 0)
				tok = buf_detach(&b, NULL);
			else if (explicit_file)
				rc = LT_ENOTFOUND; /* --token-file named a file we cannot read */
			/* a missing or unreadable default file simply means "no token" */
		}
	}
	if (rc)
		goto done;
	if (tok) {
		lt_trim(tok);
		if (!tok[0]) {
			free(tok);
			tok = NULL;
		} else if (!token_ok(tok)) {
			rc = LT_EINVAL;
			goto done;
		} else {
			log_add_secret(tok);
		}
	}
	*out = tok;
	tok = NULL;
done:
	free(tok);
	free(path);
	free(home);
	buf_release(&b);
	return rc;
}

