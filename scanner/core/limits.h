/*
 * limits.h - every resource cap lictrace applies to untrusted input, in one place.
 *
 * Each value says why it is what it is. Parsers take these through explicit limit
 * structs so tests can lower them; the defaults below are what the CLI uses.
 */
#ifndef LT_LIMITS_H
#define LT_LIMITS_H

/* A model card is prose plus YAML; the largest real cards are ~200 KiB. 4 MiB leaves
 * room for cards that paste whole licenses, and stops a 100 MB "card" early. */
#define LT_MAX_CARD_BYTES (4u * 1024u * 1024u)

/* Front matter is metadata; 1 MiB holds the biggest extra_gated_prompt seen (a full
 * Llama license is ~30 KiB). */
#define LT_MAX_FRONT_MATTER_BYTES (1u * 1024u * 1024u)

/* License texts: the longest real model licenses (Llama + AUP, GPL-3.0) are < 100 KiB.
 * 2 MiB covers bundles (NOTICE files with many licenses) and bilingual copies. */
#define LT_MAX_LICENSE_BYTES (2u * 1024u * 1024u)

/* JSON configs (config.json, adapter_config.json): real ones are < 100 KiB. */
#define LT_MAX_CONFIG_BYTES (4u * 1024u * 1024u)

/* YAML: nesting beyond 64 is never metadata; it is an attack on recursion. */
#define LT_YAML_MAX_DEPTH 64
/* Node budget per YAML document, counting every alias expansion at full size: an
 * alias bomb ("billion laughs") blows through this in a few lines and is refused. */
#define LT_YAML_MAX_NODES 200000
/* Aliases are rare in metadata; a few hundred is generous. */
#define LT_YAML_MAX_ALIASES 1000

/* Files a local model folder may list before we stop: model repos have < 10k files. */
#define LT_MAX_DIR_ENTRIES 100000
/* Directory depth when walking a folder. */
#define LT_MAX_DIR_DEPTH 32

/* GGUF: key/value pairs in real headers number < 1000; arrays (vocab) reach ~260k
 * entries; strings in metadata are < 1 MiB except chat templates (< 64 KiB). */
#define LT_GGUF_MAX_KV 65536u
#define LT_GGUF_MAX_STRING (16u * 1024u * 1024u)
#define LT_GGUF_MAX_ARRAY (16u * 1024u * 1024u)
/* We read at most this many bytes of a GGUF header (vocab arrays are skipped). */
#define LT_GGUF_MAX_HEADER_BYTES (256u * 1024u * 1024u)

/* safetensors header: huggingface_hub caps it at 25,000,000 bytes. */
#define LT_SAFETENSORS_MAX_HEADER 25000000u

/* Lineage: chains deeper than this are not real models (default of --max-depth). */
#define LT_LINEAGE_MAX_DEPTH 64
/* Parents per model: mergekit merges of > 256 models do not exist. */
#define LT_MAX_PARENTS 256
/* Models one run may resolve (an org inventory of thousands, with their ancestors). */
#define LT_MAX_MODELS 200000

/* Rules and license definitions: a sane database is < 10k rules. */
#define LT_MAX_RULES 20000
#define LT_MAX_PHRASE_BYTES 1024

/* Error messages are one line; longer context goes in the report. */
#define LT_ERROR_MSG 256

#endif
