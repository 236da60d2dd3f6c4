#!/usr/bin/env python3
"""floor.py - the floor the audit is measured against: parse each card's front matter
(only `license` and `base_model`), follow base_model through a hub mirror, write one
JSON document with every model, its license and its ancestors with theirs.
Usage: floor.py INVENTORY MIRROR OUT.json"""
import json, os, sys

inv, mirror, out = sys.argv[1:4]
cards = {}

def card(mid):
    if mid not in cards:
        lic, bases, key = None, [], None
        try:
            lines = open(os.path.join(mirror, mid, "README.md"), encoding="utf-8").read().split("\n")
        except OSError:
            lines = []
        if lines and lines[0] == "---":
            for ln in lines[1:]:
                if ln == "---":
                    break
                if ln.startswith("- ") and key == "base_model":
                    bases.append(ln[2:].strip())
                elif ":" in ln and not ln.startswith(" "):
                    key, v = (x.strip() for x in ln.split(":", 1))
                    if key == "license":
                        lic = v
                    elif key == "base_model" and v:
                        bases.append(v)
        cards[mid] = (lic, bases)
    return cards[mid]

models = []
for mid in open(inv).read().split():
    seen, todo, anc = {mid}, list(card(mid)[1]), []
    while todo:
        p = todo.pop(0)
        if p in seen:
            continue
        seen.add(p)
        anc.append({"id": p, "license": card(p)[0]})
        todo += card(p)[1]
    models.append({"id": mid, "license": card(mid)[0], "lineage": anc})
with open(out, "w") as fh:
    json.dump({"models": models}, fh, indent=2)
