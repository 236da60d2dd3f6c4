/*
 * gguf.h - license and lineage metadata from the key/value header of a GGUF file.
 *
 * Reads GGUF version 2 and 3 (little-endian) from a memory prefix of the file:
 * the caller reads at most some bytes (the tokenizer vocabulary may continue past
 * them) and says whether that prefix is the whole file. Layout (ggml docs/gguf.md):
 * magic "GGUF", u32 version, u64 tensor count, u64 key/value count, then per pair
 * a string key (u64 length + bytes), a u32 value type and the value; a string is
 * a u64 length + bytes, an array a u32 element type + u64 count + elements.
 *
 * Every pair is read; these are kept (strings, as written; llama.cpp copies card
 * values verbatim, so license values are Hub ids rather than SPDX):
 *   general.license (a string, or an array of strings joined with ","),
 *   general.license.name, general.license.link, general.name, general.basename,
 *   general.organization, general.finetune, general.quantized_by,
 *   general.repo_url, general.source.repo_url,
 *   general.base_model.count and general.base_model.N.{name,organization,
 *   repo_url,version} (recover a Hub id from repo_url, never from the
 *   title-cased name), split.no and split.count (any integer type).
 * Everything else is skipped without allocating, arrays element by element.
 * A kept key that has another type than expected is skipped too. When a key
 * repeats, the last value wins.
 *
 * Hostile input: every length and count is checked against the limits in
 * limits.h and against the bytes left before it is used, and every size
 * computation is overflow-checked; nested arrays and unknown value types are
 * refused (ggml refuses them too). Big-endian files are recognised by their
 * byte-swapped version and refused as unsupported.
 *
 * Ownership: gguf_parse() returns a new struct that gguf_meta_free() releases
 * (NULL accepted); every string belongs to it.
 */
#ifndef LT_EVIDENCE_GGUF_H
#define LT_EVIDENCE_GGUF_H

#include <stddef.h>

struct lt_error;

struct gguf_base {
	char *name;         /* title-cased display name, e.g. "Meta Llama 3.1 8B" */
	char *organization;
	char *repo_url;     /* e.g. https://huggingface.co/org/name */
	char *version;
};

struct gguf_meta {
	unsigned version;                 /* 2 or 3 */
	unsigned long long tensor_count;
	unsigned long long kv_count;      /* pairs the header declares */
	unsigned long long kv_read;       /* pairs fully read (< kv_count when truncated) */
	int truncated;                    /* the prefix ended inside the key/value section */
	char *license, *license_name, *license_link;
	char *name, *basename, *organization, *finetune, *quantized_by;
	char *repo_url, *source_repo_url;
	struct gguf_base *bases;          /* indexes 0 .. nbases-1 (entries may be empty) */
	size_t nbases;                    /* max(general.base_model.count, highest index + 1) */
	long long split_no, split_count;  /* -1 when absent */
};

/*
 * Parse the header in data[0, len). file_complete says whether data is the whole
 * file. When the prefix ends inside a pair and file_complete is 0, the pairs read
 * so far are returned with truncated = 1 and kv_read < kv_count (not an error);
 * with file_complete = 1 that is LT_ETRUNC "truncated gguf header".
 * Errors: LT_EPARSE (bad magic, unknown value type, nested array, kept string not
 * UTF-8 or holding a NUL), LT_EUNSUPP (version other than 2 or 3, big-endian),
 * LT_ETOOBIG (kv_count > LT_GGUF_MAX_KV, a string > LT_GGUF_MAX_STRING, an array
 * > LT_GGUF_MAX_ARRAY, base models > LT_MAX_PARENTS), LT_ETRUNC (a length that
 * runs past the end of a complete file, or fewer than 24 bytes), LT_ENOMEM.
 * Messages name the key concerned.
 */
int gguf_parse(struct gguf_meta **out, const unsigned char *data, size_t len, int file_complete,
	       struct lt_error *err);
void gguf_meta_free(struct gguf_meta *m);

#endif
