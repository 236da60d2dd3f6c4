#!/usr/bin/env python3
"""mkgguf.py OUT [--license ID] [--base ORG/NAME]... [--absurd] [--truncate N] [--version V]

Writes a small GGUF file (header and metadata only, no tensors) for lictrace's
tests, the way llama.cpp's converter fills the general.* keys from a model card.
--absurd claims 2**62 key/value pairs; --truncate cuts the file after N bytes."""
import argparse, struct

def s(x):
    b = x.encode()
    return struct.pack('<Q', len(b)) + b

def kv_str(k, v):
    return s(k) + struct.pack('<I', 8) + s(v)

def kv_u32(k, v):
    return s(k) + struct.pack('<I', 4) + struct.pack('<I', v)

ap = argparse.ArgumentParser()
ap.add_argument('out')
ap.add_argument('--license')
ap.add_argument('--base', action='append', default=[])
ap.add_argument('--absurd', action='store_true')
ap.add_argument('--truncate', type=int)
ap.add_argument('--version', type=int, default=3)
a = ap.parse_args()
kvs = [kv_str('general.architecture', 'llama'), kv_str('general.name', 'Test Model')]
if a.license:
    kvs.append(kv_str('general.license', a.license))
if a.base:
    kvs.append(kv_u32('general.base_model.count', len(a.base)))
    for i, b in enumerate(a.base):
        org, name = b.split('/')
        kvs.append(kv_str('general.base_model.%d.name' % i, name.replace('-', ' ').title()))
        kvs.append(kv_str('general.base_model.%d.organization' % i, org.replace('-', ' ').title()))
        kvs.append(kv_str('general.base_model.%d.repo_url' % i, 'https://huggingface.co/' + b))
# a token array like a vocabulary, skipped by the reader
toks = b''.join(s('tok%d' % i) for i in range(1000))
kvs.append(s('tokenizer.ggml.tokens') + struct.pack('<I', 9) + struct.pack('<I', 8) + struct.pack('<Q', 1000) + toks)
count = (1 << 62) if a.absurd else len(kvs)
data = b'GGUF' + struct.pack('<I', a.version) + struct.pack('<Q', 0) + struct.pack('<Q', count) + b''.join(kvs)
if a.truncate:
    data = data[:a.truncate]
open(a.out, 'wb').write(data)
