/*
 * source.h - where a model's files come from: a local folder, a git repository,
 * an archive, or a Hugging Face-compatible hub. One interface, four backends.
 *
 * A source lists its files once (paths relative to the model root, '/'-separated)
 * and reads any listed file with a byte cap. Nothing here interprets contents.
 * Ownership: the source owns its entries and problems; they live until
 * source_free(). Reads append into a caller-owned struct buf.
 *
 * Hostile input (symlinks out of the tree, "../" names, absolute names, bombs,
 * LFS pointers instead of content) never touches the local file system; each
 * refusal is recorded in `problems` (a human sentence naming the path) so the
 * report can say what was skipped, and the scan stays fail-closed.
 */
#ifndef LT_SOURCE_H
#define LT_SOURCE_H

#include <stddef.h>

#include "core/limits.h"

struct buf;
struct lt_error;

enum source_kind { SOURCE_DIR, SOURCE_GIT, SOURCE_ARCHIVE, SOURCE_HUB };

struct source_entry {
	char *path;                  /* relative, '/'-separated, safe (checked) */
	unsigned long long size;     /* bytes as stored (pointer size for LFS pointers) */
	int lfs_pointer;             /* content is a Git LFS pointer, not the file */
	char *lfs_oid;               /* "sha256:<hex>" when lfs_pointer */
	unsigned long long lfs_size; /* real size when lfs_pointer */
	int readable;                /* 0 when the backend cannot give the content (e.g. an
	                              * archive entry not retained, a gated hub file) */
};

struct source;

struct source_ops {
	int (*read)(struct source *src, const char *path, size_t max, struct buf *out,
		    int *truncated, struct lt_error *err);
	void (*free_impl)(struct source *src);
};

struct source {
	const struct source_ops *ops;
	enum source_kind kind;
	char *target;                 /* what the user named (path, URL, hub id) */
	char *revision;               /* commit sha, archive digest or NULL for a folder */
	char *release_time;           /* "YYYY-MM-DDThh:mm:ssZ" of that revision when the
	                               * backend knows it (hub: the model info's
	                               * lastModified; git: the commit's committer time),
	                               * else NULL */
	char *supplier;               /* who publishes it there (hub: the model info's
	                               * "author"), else NULL */
	struct source_entry *entries; /* sorted by path */
	size_t nentries;
	size_t entries_alloc;         /* capacity of entries; kept by source_add_entry */
	char **problems;              /* refused or unreadable items, one sentence each */
	size_t nproblems;
	void *impl;
};

/* Read path (exactly as listed). At most max bytes are appended to out. When the
 * file is larger: with truncated != NULL the first max bytes are given and
 * *truncated = 1; with truncated == NULL the call fails with LT_ETOOBIG. */
int source_read(struct source *src, const char *path, size_t max, struct buf *out,
		int *truncated, struct lt_error *err);
const struct source_entry *source_find(const struct source *src, const char *path);
void source_free(struct source *src);

/* Helpers for backends. */
struct source *source_new(enum source_kind kind, const char *target, const struct source_ops *ops);
int source_add_entry(struct source *src, const struct source_entry *e); /* copies strings */
void source_problem(struct source *src, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void source_sort(struct source *src);
/* 1 when data starts like a Git LFS pointer; fills oid (caller frees) and size. */
int source_parse_lfs_pointer(const char *data, size_t len, char **oid, unsigned long long *size);
/* Why path may not be listed ("is an absolute path", "leaves the tree", ...), or
 * NULL when it is a safe relative path in valid UTF-8. Backends record the reason
 * as a problem and skip the item. */
const char *source_path_problem(const char *path);
/* Give a backend's in-memory copy of path to a reader with source_read()'s
 * rules. data[0..len) is the copy; full_size is the file's real size, larger
 * than len when only a prefix was kept (then a caller without truncated gets
 * LT_ETOOBIG or LT_ETRUNC, never a short file presented as whole). */
int source_read_memory(struct buf *out, const char *path, const void *data, size_t len,
		       unsigned long long full_size, size_t max, int *truncated,
		       struct lt_error *err);

/* Backends. */
/* A local folder: symlinks are listed as problems and never followed; special
 * files are skipped; depth and entry count are capped (limits.h). A small
 * top-level file is read once, while listing (see src_dir.c). */
int source_open_dir(struct source **out, const char *path, struct lt_error *err);
/* source_open_dir with options: */
/* the folder itself may not be a symbolic link (LT_EUNSAFE; a missing folder is
 * LT_ENOTFOUND, a file LT_EINVAL) */
#define SOURCE_DIR_NOFOLLOW 1u
/* top-level files read while listing are served as they were read then, without
 * a check that they are unchanged: for a source read at once (a mirror's model) */
#define SOURCE_DIR_AS_LISTED 2u
struct source_dir_opts {
	unsigned flags; /* SOURCE_DIR_* */
	/* Optional: 1 for a top-level name the caller will read (a card, a license).
	 * Such a regular file is opened straight away and, when it is no bigger
	 * than SOURCE_DIR_READ_SOON_MAX, read while listing: the open file's fstat
	 * serves instead of an fstatat before the open. */
	int (*read_soon)(void *arg, const char *name);
	void *arg;
};
#define SOURCE_DIR_READ_SOON_MAX ((size_t)256 * 1024)
int source_open_dir_opts(struct source **out, const char *path, const struct source_dir_opts *o,
			 struct lt_error *err);
/* A folder whose symlinks are followed only when they resolve inside link_root
 * (the huggingface_hub cache: files in snapshots/<sha>/ link into blobs/). */
int source_open_linked_dir(struct source **out, const char *dir, const char *link_root,
			   struct lt_error *err);
/* Model id at rev (branch, tag or sha; default "main") from a huggingface_hub cache
 * folder (HUB_CACHE/models--org--name/{refs,snapshots}): a linked-dir source whose
 * revision is the commit sha. LT_ENOTFOUND when the cache does not hold it. */
int source_open_hf_snapshot(struct source **out, const char *hub_cache, const char *id,
			    const char *rev, struct lt_error *err);
/* The same for a dataset: HUB_CACHE/datasets--org--name (or datasets--name). */
int source_open_hf_dataset_snapshot(struct source **out, const char *hub_cache, const char *id,
				    const char *rev, struct lt_error *err);

/*
 * Git (src_git.c, libgit2). repo is a local repository (bare or with a work
 * tree; the path must be its top, no upward search) or a URL (https://, http://,
 * file://, ssh://, git://, or scp-like user@host:path). A URL is cloned bare,
 * without checkout, into cache_dir/git/<name>-<hash>/ (into a temporary folder
 * first, renamed when complete, so an interrupted clone never poisons the cache)
 * and fetched again on later runs; a full sha already in the cache needs no
 * fetch. Files are read from the object store at rev (NULL: HEAD; a branch, tag,
 * full or short sha, or any revspec naming a commit); src->revision is the
 * commit's full sha. With use_index the staged content of the index is listed
 * instead and src->revision is "index" (for pre-commit hooks; rev is ignored).
 * Never followed: submodules, symbolic links (both recorded as problems; links
 * are listed with readable = 0), unsafe names (problems). LFS pointer blobs are
 * listed with lfs_pointer = 1; LFS content is never downloaded.
 * token is sent only as the password of a credential callback, only to
 * token_host over https (or plain http to a loopback address), never in a URL or
 * a message (it is registered with log_add_secret). A URL with a password in it
 * is refused (LT_EINVAL). offline: never touch the network; a URL must already
 * be in the cache.
 * Errors: LT_ENOTFOUND (no repository, unknown revision, not cached offline),
 * LT_EAUTH, LT_ENET, LT_ETOOBIG (fetch over GIT_MAX_FETCH_BYTES), LT_EUNSAFE
 * (repository owned by another user), LT_EUNSUPP (built without libgit2).
 */
struct git_source_opts {
	const char *cache_dir;  /* required for URLs */
	int use_index;
	const char *token;      /* borrowed; NULL for none */
	const char *token_host; /* host the token belongs to, e.g. "huggingface.co" */
	int offline;
};
int source_open_git(struct source **out, const char *repo, const char *rev,
		    const struct git_source_opts *opts, struct lt_error *err);
/* 1 when target is spelled like a git URL (see source_open_git), not a path. */
int source_git_is_url(const char *target);
/* 1 when path is the top of a local git repository (bare or not). */
int source_git_is_repo(const char *path);

/*
 * Archives (src_archive.c, libarchive): tar (plain, gzip, bzip2, xz, zstd, lz4,
 * as this libarchive supports), zip, and the model formats built on them
 * (.nemo is a tar, .keras is a zip). The file is streamed once and never
 * extracted to disk; every entry's data is decompressed and counted as it
 * streams (header sizes are not trusted). Kept in memory: whole entries of at
 * most retain_bytes while the kept total stays within retain_total, and the first
 * prefix_bytes of larger *.gguf and *.safetensors entries (read back with
 * truncated = 1); every other entry is listed with readable = 0. Over a cap the
 * open fails: LT_ETOOBIG (max_entries, max_entry_bytes, max_total_bytes) or
 * LT_EUNSAFE "expands more than N times" (total output over max_ratio times the
 * file's size, checked once the output passes ARCHIVE_RATIO_SLACK; 0 disables).
 * Unsafe names (absolute, "..", backslash, control characters, empty, not
 * UTF-8), symbolic and hard links, special files and encrypted entries are
 * recorded as problems and never followed. A single top-level folder holding
 * every entry is stripped ("model/README.md" lists as "README.md"). A damaged or
 * truncated archive fails with LT_ETRUNC; a file that is no archive with
 * LT_EPARSE. src->revision is "sha256:<hex>" of the file (NULL when the file is
 * larger than ARCHIVE_MAX_DIGEST_BYTES).
 */
/* Model repositories hold < 10,000 files; same bound as a folder walk. */
#define ARCHIVE_MAX_ENTRIES ((unsigned long long)LT_MAX_DIR_ENTRIES)
/* The largest single model files (a 405B-parameter GGUF at 4 bits) are ~230 GB. */
#define ARCHIVE_MAX_ENTRY_BYTES (256ULL << 30)
/* A whole 405B-parameter checkpoint in bf16 is ~810 GB. */
#define ARCHIVE_MAX_TOTAL_BYTES (1ULL << 40)
/* Weights barely compress (bf16 ~1.3x) and text 3-10x; deflate bombs reach 1000x
 * per layer. 100x leaves room for padding and zero tensors. */
#define ARCHIVE_MAX_RATIO 100ULL
/* Below this much output the ratio is not checked: a small archive of repetitive
 * text or a zero-filled test model compresses far better than real weights, and
 * 16 MiB of output costs nothing to produce. */
#define ARCHIVE_RATIO_SLACK (16ULL << 20)
/* Cards, licenses and configs are < 4 MiB (see LT_MAX_CARD_BYTES). */
#define ARCHIVE_RETAIN_BYTES ((size_t)4 << 20)
/* Memory for all kept entries of one archive: many cards and configs fit, and an
 * audit of many archives stays bounded. */
#define ARCHIVE_RETAIN_TOTAL ((size_t)64 << 20)
/* GGUF metadata and safetensors headers sit in the first MiB (as HUB_HEADER_BYTES). */
#define ARCHIVE_PREFIX_BYTES ((size_t)1 << 20)
/* The archive digest is portable C SHA-256 (~250 MB/s); beyond 4 GiB it would add
 * more than 15 s to a listing for an identity that is only a convenience. */
#define ARCHIVE_MAX_DIGEST_BYTES (4ULL << 30)

struct archive_limits {
	unsigned long long max_entries, max_entry_bytes, max_total_bytes, max_ratio;
	size_t retain_bytes, retain_total, prefix_bytes;
};
void archive_default_limits(struct archive_limits *lim);
/* lim NULL: the defaults. */
int source_open_archive(struct source **out, const char *path, const struct archive_limits *lim,
			struct lt_error *err);
/* 1 when the file name looks like an archive this backend opens (.tar, .tar.gz,
 * .tgz, .tar.xz, .txz, .tar.bz2, .tbz2, .tar.zst, .tzst, .zip, .nemo, .keras). */
int source_archive_name_matches(const char *path);

#endif
