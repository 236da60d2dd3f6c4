/*
 * weights.c - what weight files say in their headers: a GGUF file's general.*
 * metadata (license, license name, base model repositories) and a safetensors
 * header's __metadata__ (modelspec.license, kohya's pretrained model name). Only
 * a bounded prefix of each file is read; LFS pointers never get here.
 */
#include "record_int.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "evidence/gguf.h"
#include "evidence/safetensors.h"
#include "source/source.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* GGUF general.* keys come first in files written by llama.cpp; 8 MiB of prefix
 * holds them even when a large vocabulary follows. */
#define RECORD_GGUF_PREFIX (8u * 1024u * 1024u)
/* safetensors headers are usually < 1 MiB; we allow the format's own cap. */
#define RECORD_ST_PREFIX (1u * 1024u * 1024u)

void rec_scan_gguf(struct model_record *r, struct source *src, const struct licensedb *db,
		   const struct source_entry *e)
{
	struct buf b;
	struct lt_error err;
	struct gguf_meta *g = NULL;
	int truncated = 0;

	r->quantized_evidence = 1;
	if (!e->readable || e->lfs_pointer)
		return;
	if (rec_read_file(src, e->path, RECORD_GGUF_PREFIX, &b, &truncated, &err) != 0) {
		record_note(r, "source-problem", e->path, 0, "'%s' cannot be read: %s", e->path, err.message);
		buf_release(&b);
		return;
	}
	if (gguf_parse(&g, (const unsigned char *)buf_cstr(&b), b.len, !truncated, &err) != 0) {
		record_note(r, "source-problem", e->path, 0, "GGUF header of '%s': %s", e->path, err.message);
		buf_release(&b);
		return;
	}
	buf_release(&b);
	if (g->license)
		add_declared(r, db, g->license, e->path, 0, "general.license");
	if (g->license_name)
		add_declared(r, db, g->license_name, e->path, 0, "general.license.name");
	for (size_t i = 0; i < g->nbases; i++) {
		char *id = g->bases[i].repo_url ? rec_id_from_url(g->bases[i].repo_url) : NULL;
		if (id)
			add_parent(r, id, NULL, e->path, 0, "general.base_model.repo_url", NULL);
		free(id);
	}
	gguf_meta_free(g);
}

void rec_scan_safetensors(struct model_record *r, struct source *src, const struct licensedb *db,
			  const struct source_entry *e)
{
	struct buf b;
	struct lt_error err;
	struct st_meta *m = NULL;
	int truncated = 0, rc;
	size_t want = RECORD_ST_PREFIX;
	const char *v;

	if (!e->readable || e->lfs_pointer)
		return;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (rec_read_file(src, e->path, want, &b, &truncated, &err) != 0) {
			buf_release(&b);
			return;
		}
		rc = safetensors_parse(&m, (const unsigned char *)buf_cstr(&b), b.len, e->size, &err);
		if (rc == LT_ETRUNC && attempt == 0 && b.len >= 8) {
			/* a header longer than the first read: read exactly 8 + N once */
			const unsigned char *p = (const unsigned char *)b.data;
			unsigned long long n = 0;
			for (int i = 7; i >= 0; i--)
				n = (n << 8) | p[i];
			buf_release(&b);
			if (n > LT_SAFETENSORS_MAX_HEADER)
				break;
			want = (size_t)n + 8;
			continue;
		}
		buf_release(&b);
		if (rc != 0) {
			record_note(r, "source-problem", e->path, 0, "safetensors header of '%s': %s",
				    e->path, err.message);
			return;
		}
		break;
	}
	if (!m)
		return;
	if ((v = st_meta_get(m, "modelspec.license")))
		add_declared(r, db, v, e->path, 0, "modelspec.license");
	if ((v = st_meta_get(m, "ss_pretrained_model_name_or_path")) && record_is_hub_id(v))
		add_parent(r, v, NULL, e->path, 0, "ss_pretrained_model_name_or_path", NULL);
	safetensors_meta_free(m);
}
