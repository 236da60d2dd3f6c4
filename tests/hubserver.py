#!/usr/bin/env python3
"""hubserver.py - a loopback Hugging Face-compatible hub for lictrace's tests.

    hubserver.py ROOT [ROOT...] [--token T] [--lfs-threshold BYTES] [--time-limit S]
                 [--latency-ms MS]

Serves the model repos found at ROOT/<org>/<name>/ and the dataset repos at
ROOT/datasets/<org>/<name>/ (the first ROOT that has one wins; "datasets" is no
model org, as on the Hub) with the Hub's URL shapes, on two ports of 127.0.0.1: the "hub" and a
"CDN" (a different host:port, so a client that forwards its token on a redirect
is caught). The first line of stdout is "<hub port> <cdn port>".

Hub:
  GET  /api/models/{org}/{name}[/revision/{rev}][?blobs=true]   model info (JSON)
  GET  /api/datasets/{org}/{name}[/revision/{rev}][?blobs=true] dataset info: the same
       JSON as a model's without "modelId"
  GET  /api/models?author=ORG[&limit=N][&cursor=K]              listing, Link: rel="next"
  GET|HEAD /{org}/{name}/resolve/{rev}/{path}                   file (Range, If-None-Match)
       small git files: 200 with ETag "<git blob sha1>" (quoted), X-Repo-Commit;
       *.gguf, *.safetensors and files over --lfs-threshold: 302 to the CDN with
       ETag and X-Linked-Etag "<sha256 of the content>", X-Linked-Size, X-Repo-Commit
       (the shapes huggingface.co sends; its API answers carry a weak W/"..." ETag
       that is no content hash)
  GET|HEAD /datasets/{org}/{name}/resolve/{rev}/{path}          a dataset's file, as above
       (its CDN URL is /cdn/datasets/..., its resolve-cache URL
       /api/resolve-cache/datasets/...)
  POST /_ctl  {"path": "/api/models/o/n", "faults": ["500", ...]}  queue faults for a path
       {"reset": true}                                               clear faults and log
  GET  /_log  every request seen: server, method, path, auth (bool), inm, range, status,
              bytes (body bytes sent), t (when answered, monotonic seconds),
              inflight (requests being served at that moment, this one included)
CDN:
  GET|HEAD /cdn/{org}/{name}/{sha}/{path}?sig=...                 file (Range), with
       the CDN's own ETag (an MD5 of the content, as S3 sends), not the hub's

Repo settings come from the repo's .hub.json (not served), datasets alike:
  {"gated": "auto"|"manual", "granted": false, "private": true, "gated_api": true}
  gated: files other than README.md need the --token (401 GatedRepo without it,
  403 GatedRepo when "granted" is false); gated_api: the info endpoints answer
  401 GatedRepo without the token too; private: everything needs the token.

The revision "main" and the repo's sha resolve; anything else is RevisionNotFound.
The sha is a stable hash of the repo's files, so changing a file changes it.

Faults (consumed one per request to that path, in order; the path has no query
and may be a glob with "*", e.g. "/org/name/resolve/*/LICENSE" for any revision):
  "NNN" or "status:NNN"  answer NNN with no X-Error-Code
  "429:retry-after=N"    429 with Retry-After: N
  "429:ratelimit=N"      429 with RateLimit: "api";r=0;t=N
  "reset"                close the connection with a TCP reset, no answer
  "truncate"             announce the full Content-Length, send half, close
  "bad-length"           announce 100 bytes more than sent, close
  "cut"                  send the first half of the body with a Content-Length that
                         matches the half (only the ETag / X-Linked-* / sizes tell)
  "bad-etag"             answer normally, but with the ETag (and X-Linked-Etag) of
                         other content
  "weak-etag"            answer normally with weak ETags: W/"<same value>"
  "bare-redirect"        a redirect without ETag / X-Linked-* (as some mirrors send)
  "sha1-etag"            the ETag replaced by 40 hex digits that name nothing (a CDN's
                         own tag that merely looks like a git blob id)
  "resolve-cache"        a small file answers 307 with a relative Location to
                         /api/resolve-cache/models/{org}/{name}/{sha}/{path}, as
                         huggingface.co does; that URL serves the file (faults on it
                         are keyed by its own path)
  "slow:N"               wait N seconds (may be fractional), then answer normally
  "redirect-loop"        302 to the same URL

--latency-ms MS delays every answer (not /_log or /_ctl) by MS milliseconds, as a
distant hub would; requests are served concurrently (a thread each), so a client
that keeps many in flight waits about MS per round, not per request.

It stops by itself when its stdin closes, or after --time-limit seconds.
Standard library only.
"""
import argparse
import fnmatch
import hashlib
import json
import os
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
SHA_RE = re.compile(r"^[0-9a-f]{40}$")


class State:
    def __init__(self, args):
        self.roots = [os.path.abspath(r) for r in args.roots]
        self.token = args.token
        self.lfs_threshold = args.lfs_threshold
        self.latency = max(0.0, args.latency_ms / 1000.0)
        self.lock = threading.Lock()
        self.faults = {}
        self.inflight = 0
        self.log = []
        self.hub_port = 0
        self.cdn_port = 0

    def pop_fault(self, path):
        with self.lock:
            q = self.faults.get(path)
            if not q:  # a queued path may be a glob: "/org/name/resolve/*/LICENSE"
                q = next((v for k, v in sorted(self.faults.items())
                          if v and "*" in k and fnmatch.fnmatchcase(path, k)), None)
            if q:
                return q.pop(0)
        return None


def repo_dir(state, org, name, ds=False):
    """ROOT/org/name for a model, ROOT/datasets/org/name for a dataset ("datasets"
    is no model org, as on the Hub)."""
    if not NAME_RE.match(org) or not NAME_RE.match(name) or ".." in org or ".." in name:
        return None
    if not ds and org == "datasets":
        return None
    for root in state.roots:
        d = os.path.join(root, "datasets", org, name) if ds else os.path.join(root, org, name)
        if os.path.isdir(d):
            return d
    return None


def repo_settings(d):
    p = os.path.join(d, ".hub.json")
    if os.path.isfile(p):
        with open(p, "rb") as f:
            return json.load(f)
    return {}


def repo_files(d):
    out = []
    for base, dirs, files in os.walk(d):
        dirs[:] = sorted(x for x in dirs if x != ".git")
        for f in sorted(files):
            full = os.path.join(base, f)
            rel = os.path.relpath(full, d).replace(os.sep, "/")
            if rel == ".hub.json" or os.path.islink(full):
                continue
            out.append((rel, full))
    out.sort()
    return out


def read(path):
    with open(path, "rb") as f:
        return f.read()


def blob_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def repo_sha(d):
    h = hashlib.sha1()
    for rel, full in repo_files(d):
        h.update(rel.encode() + b"\0" + blob_sha1(read(full)).encode() + b"\n")
    return h.hexdigest()


def is_lfs(state, rel, size):
    low = rel.lower()
    return low.endswith(".gguf") or low.endswith(".safetensors") or size > state.lfs_threshold


def card_data(d):
    """The bits of README front matter a real Hub puts in cardData (minimal)."""
    p = os.path.join(d, "README.md")
    if not os.path.isfile(p):
        return None
    text = read(p).decode("utf-8", "replace")
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    if end < 0:
        return None
    card, key = {}, None
    for line in text[3:end].splitlines():
        m = re.match(r"^([A-Za-z_]+):\s*(.*)$", line)
        if m:
            key, val = m.group(1), m.group(2).strip().strip("'\"")
            if key in ("license", "base_model", "license_name", "license_link"):
                card[key] = val if val else []
            continue
        m = re.match(r"^\s*-\s*(.+)$", line)
        if m and key in card and isinstance(card[key], list):
            card[key].append(m.group(1).strip().strip("'\""))
    return card


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hubserver/1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms stall between

    def log_message(self, fmt, *args):  # quiet
        pass

    # -- plumbing --------------------------------------------------------
    @property
    def state(self):
        return self.server.state

    def auth(self):
        h = self.headers.get("Authorization")
        if h is None:
            return None
        return "valid" if self.state.token and h == "Bearer " + self.state.token else "invalid"

    def record(self, status, nbytes=0):
        if self.path.startswith("/_"):
            return
        with self.state.lock:
            self.state.log.append({
                "server": self.server.kind,
                "method": self.command,
                "path": self.path,
                "auth": self.headers.get("Authorization") is not None,
                "inm": self.headers.get("If-None-Match"),
                "range": self.headers.get("Range"),
                "status": status,
                "bytes": nbytes,
                "t": round(time.monotonic(), 4),
                "inflight": self.state.inflight,
            })

    def reply(self, code, body=b"", headers=None):
        mode = getattr(self, "mode", None)
        headers = dict(headers or {})
        if mode == "cut" and self.command != "HEAD":
            body = body[: len(body) // 2]
        if mode == "bare-redirect" and 300 <= code < 400:
            for k in ("ETag", "X-Linked-Etag", "X-Linked-Size"):
                headers.pop(k, None)
        if mode == "sha1-etag" and "ETag" in headers:
            headers["ETag"] = '"%s"' % hashlib.sha1(b"cdn tag" + body).hexdigest()
        for k in ("ETag", "X-Linked-Etag"):
            if k in headers and mode == "bad-etag":
                headers[k] = '"%s"' % (hashlib.sha256 if len(headers[k]) > 50 else hashlib.sha1)(
                    b"other content" + headers[k].encode()).hexdigest()
            elif k in headers and mode == "weak-etag" and not headers[k].startswith("W/"):
                headers[k] = "W/" + headers[k]
        cl = len(body)
        if mode == "bad-length":
            cl += 100
        sent = 0
        if self.command != "HEAD":
            sent = len(body) // 2 if mode == "truncate" else len(body)
        self.record(code, sent)
        self.send_response(code)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(cl))
        if mode in ("truncate", "bad-length"):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            if mode == "truncate":
                body = body[: len(body) // 2]
            try:
                self.wfile.write(body)
                self.wfile.flush()
            except OSError:
                self.close_connection = True

    def error(self, code, ecode, msg, extra=None):
        h = {"Content-Type": "application/json", "X-Error-Message": msg}
        if ecode:
            h["X-Error-Code"] = ecode
        h.update(extra or {})
        self.reply(code, json.dumps({"error": msg}).encode(), h)

    def reset(self):
        self.record(0)
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()
            self.connection.close()
        except OSError:
            pass

    def apply_fault(self):
        """Handle a queued fault. True when the request is fully answered."""
        self.mode = None
        path = urllib.parse.urlsplit(self.path).path
        f = self.state.pop_fault(path)
        if f is None:
            return False
        if f == "reset":
            self.reset()
            return True
        if f in ("truncate", "bad-length", "cut", "bad-etag", "weak-etag", "bare-redirect",
                 "sha1-etag", "resolve-cache"):
            self.mode = f
            return False
        if f.startswith("slow:"):
            time.sleep(float(f[5:]))
            return False
        if f == "redirect-loop":
            host = self.headers.get("Host", "127.0.0.1:%d" % self.server.server_port)
            self.reply(302, b"loop", {"Location": "http://%s%s" % (host, self.path)})
            return True
        m = re.match(r"^(?:status:)?(\d{3})(?::(retry-after|ratelimit)=(\d+))?$", f)
        if m:
            h = {"Content-Type": "application/json"}
            if m.group(2) == "retry-after":
                h["Retry-After"] = m.group(3)
            elif m.group(2) == "ratelimit":
                h["RateLimit"] = '"api";r=0;t=%s' % m.group(3)
                h["RateLimit-Policy"] = '"fixed window";"api";q=500;w=300'
            self.reply(int(m.group(1)), b'{"error": "injected"}', h)
            return True
        self.reply(500, b"unknown fault")
        return True

    def dispatch(self):
        if self.path.startswith("/_"):
            return self.serve()
        with self.state.lock:
            self.state.inflight += 1
        try:
            return self.serve()
        finally:
            with self.state.lock:
                self.state.inflight -= 1

    def serve(self):
        try:
            if self.path == "/_log" and self.command == "GET":
                with self.state.lock:
                    body = json.dumps(self.state.log).encode()
                return self.reply(200, body, {"Content-Type": "application/json"})
            if self.path == "/_ctl" and self.command == "POST":
                return self.ctl()
            if self.state.latency:
                time.sleep(self.state.latency)
            if self.apply_fault():
                return
            if self.server.kind == "cdn":
                return self.cdn()
            return self.hub()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = dispatch
    do_HEAD = dispatch
    do_POST = dispatch

    def ctl(self):
        n = int(self.headers.get("Content-Length", "0"))
        req = json.loads(self.rfile.read(n) or b"{}")
        if req.get("reset"):
            # a request the client has finished may still be logging on its thread:
            # wait until none is being served, so no earlier request lands in the
            # fresh log (at most 10 s)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with self.state.lock:
                    if self.state.inflight == 0:
                        break
                time.sleep(0.01)
        with self.state.lock:
            if req.get("reset"):
                self.state.faults.clear()
                self.state.log.clear()
            if "path" in req:
                self.state.faults.setdefault(req["path"], []).extend(req.get("faults", []))
        self.reply(200, b"{}", {"Content-Type": "application/json"})

    # -- hub -------------------------------------------------------------
    def hub(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        parts = u.path.split("/")
        if self.auth() == "invalid":
            return self.error(401, None, "Invalid credentials in Authorization header")
        if u.path == "/api/models":
            return self.listing(q)
        if len(parts) in (5, 7) and parts[1] == "api" and parts[2] in ("models", "datasets"):
            rev = None
            if len(parts) == 7:
                if parts[5] != "revision":
                    return self.error(404, None, "Not Found")
                rev = urllib.parse.unquote(parts[6])
            return self.info(parts[3], parts[4], rev, q, parts[2] == "datasets")
        ds = len(parts) > 1 and parts[1] == "datasets"
        if ds:  # /datasets/{org}/{name}/resolve/...: the model URL shape one segment down
            parts = parts[1:]
        if len(parts) >= 6 and parts[3] == "resolve":
            rev = urllib.parse.unquote(parts[4])
            path = urllib.parse.unquote("/".join(parts[5:]))
            return self.resolve(parts[1], parts[2], rev, path, ds)
        if not ds and len(parts) >= 8 and parts[1:3] == ["api", "resolve-cache"] and \
                parts[3] in ("models", "datasets"):
            path = urllib.parse.unquote("/".join(parts[7:]))
            return self.resolve(parts[4], parts[5], parts[6], path, parts[3] == "datasets")
        return self.error(404, None, "Not Found")

    def repo_or_error(self, org, name, rev, api, ds=False):
        d = repo_dir(self.state, org, name, ds)
        what = "dataset" if ds else "model"
        auth = self.auth()
        if d is None:
            self.error(401 if auth != "valid" else 404, "RepoNotFound", "Repository Not Found")
            return None
        s = repo_settings(d)
        if s.get("private") and auth != "valid":
            self.error(401, "RepoNotFound", "Repository Not Found")
            return None
        if api and s.get("gated") and s.get("gated_api"):
            if auth != "valid":
                self.error(401, "GatedRepo", "Access to %s %s/%s is restricted" % (what, org, name))
                return None
        sha = repo_sha(d)
        if rev is not None and rev not in ("main", sha):
            self.error(404, "RevisionNotFound", "Invalid rev id: %s" % rev)
            return None
        return d, s, sha

    def info(self, org, name, rev, q, ds=False):
        r = self.repo_or_error(org, name, rev, True, ds)
        if r is None:
            return
        d, s, sha = r
        blobs = q.get("blobs", ["false"])[0] == "true"
        siblings = []
        for rel, full in repo_files(d):
            e = {"rfilename": rel}
            if blobs:
                data = read(full)
                e["size"] = len(data)
                e["blobId"] = blob_sha1(data)
                if is_lfs(self.state, rel, len(data)):
                    e["lfs"] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                                "pointerSize": 134}
            siblings.append(e)
        card = card_data(d)
        tags = []
        if card and isinstance(card.get("license"), str):
            tags.append("license:" + card["license"])
        if card:
            bm = card.get("base_model")
            for b in ([bm] if isinstance(bm, str) else bm or []):
                tags.append("base_model:" + b)
        doc = {
            "_id": sha[:24], "id": "%s/%s" % (org, name), "modelId": "%s/%s" % (org, name),
            "author": org, "sha": sha, "private": bool(s.get("private")),
            "gated": s.get("gated", False), "disabled": False, "tags": tags,
            "cardData": card, "siblings": siblings,
            "createdAt": "2024-01-01T00:00:00.000Z", "lastModified": "2024-01-01T00:00:00.000Z",
        }
        if ds:  # a dataset's info has no modelId
            del doc["modelId"]
        body = json.dumps(doc, sort_keys=True).encode()
        etag = 'W/"%s"' % hashlib.sha1(body).hexdigest()
        h = {"ETag": etag, "X-Repo-Commit": sha}
        if self.headers.get("If-None-Match") == etag:
            return self.reply(304, b"", h)
        h["Content-Type"] = "application/json; charset=utf-8"
        self.reply(200, body, h)

    def listing(self, q):
        org = q.get("author", [""])[0]
        limit = max(1, min(1000, int(q.get("limit", ["1000"])[0])))
        cursor = int(q.get("cursor", ["0"])[0])
        ids = set()
        if NAME_RE.match(org):
            for root in self.state.roots:
                od = os.path.join(root, org)
                if os.path.isdir(od):
                    for n in os.listdir(od):
                        d = os.path.join(od, n)
                        if org != "datasets" and os.path.isdir(d) and NAME_RE.match(n):
                            if repo_settings(d).get("private") and self.auth() != "valid":
                                continue
                            ids.add("%s/%s" % (org, n))
        ids = sorted(ids)
        page = ids[cursor:cursor + limit]
        h = {"Content-Type": "application/json"}
        if cursor + limit < len(ids):
            nq = urllib.parse.urlencode({"author": org, "limit": limit, "cursor": cursor + limit})
            h["Link"] = '<http://127.0.0.1:%d/api/models?%s>; rel="next"' % (self.state.hub_port, nq)
        self.reply(200, json.dumps([{"_id": i, "id": i, "modelId": i} for i in page]).encode(), h)

    def resolve(self, org, name, rev, path, ds=False):
        r = self.repo_or_error(org, name, rev, False, ds)
        if r is None:
            return
        d, s, sha = r
        what = "dataset" if ds else "model"
        prefix = "datasets/" if ds else ""
        if s.get("gated") and path != "README.md":
            auth = self.auth()
            if auth != "valid":
                return self.error(401, "GatedRepo", "Access to %s %s/%s is restricted" % (what, org, name),
                                  {"X-Repo-Commit": sha})
            if s.get("granted") is False:
                return self.error(403, "GatedRepo", "Access to %s %s/%s is not granted" % (what, org, name),
                                  {"X-Repo-Commit": sha})
        files = dict(repo_files(d))
        if path not in files:
            return self.error(404, "EntryNotFound", "Entry not found", {"X-Repo-Commit": sha})
        data = read(files[path])
        lfs = is_lfs(self.state, path, len(data))
        etag = '"%s"' % (hashlib.sha256(data).hexdigest() if lfs else blob_sha1(data))
        h = {"X-Repo-Commit": sha, "ETag": etag}
        if self.headers.get("If-None-Match") == etag:
            return self.reply(304, b"", h)
        if not lfs and getattr(self, "mode", None) == "resolve-cache":
            loc = "/api/resolve-cache/%s/%s/%s/%s/%s?etag=%s" % (
                "datasets" if ds else "models", org, name, sha, urllib.parse.quote(path),
                urllib.parse.quote(etag))
            return self.reply(307, b"", {"Location": loc, "X-Repo-Commit": sha})
        if lfs:
            h["X-Linked-Etag"] = etag
            h["X-Linked-Size"] = str(len(data))
            loc = "http://127.0.0.1:%d/cdn/%s%s/%s/%s/%s?sig=%s" % (
                self.state.cdn_port, prefix, org, name, sha, urllib.parse.quote(path),
                hashlib.sha1(path.encode()).hexdigest()[:16])
            h["Location"] = loc
            return self.reply(302, b"Found. Redirecting", h)
        self.send_file(data, h)

    def send_file(self, data, h):
        h["Accept-Ranges"] = "bytes"
        h["Content-Type"] = "application/octet-stream"
        rng = self.headers.get("Range")
        m = re.match(r"^bytes=(\d+)-(\d*)$", rng or "")
        if m:
            a = int(m.group(1))
            b = int(m.group(2)) if m.group(2) else len(data) - 1
            if a >= len(data) or b < a:
                h["Content-Range"] = "bytes */%d" % len(data)
                return self.reply(416, b"", h)
            b = min(b, len(data) - 1)
            h["Content-Range"] = "bytes %d-%d/%d" % (a, b, len(data))
            return self.reply(206, data[a:b + 1], h)
        self.reply(200, data, h)

    # -- cdn -------------------------------------------------------------
    def cdn(self):
        u = urllib.parse.urlsplit(self.path)
        parts = u.path.split("/")
        ds = len(parts) > 2 and parts[2] == "datasets"
        if ds:
            parts = parts[:2] + parts[3:]
        if len(parts) < 6 or parts[1] != "cdn":
            return self.error(404, None, "Not Found")
        d = repo_dir(self.state, parts[2], parts[3], ds)
        path = urllib.parse.unquote("/".join(parts[5:]))
        files = dict(repo_files(d)) if d else {}
        if d is None or parts[4] != repo_sha(d) or path not in files:
            return self.error(404, None, "Not Found")
        data = read(files[path])
        # a CDN's own ETag (S3/CloudFront: an MD5), not the hub's content id
        self.send_file(data, {"ETag": '"%s"' % hashlib.md5(data).hexdigest()})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # many clients connecting at once are not refused

    def __init__(self, kind, state):
        super().__init__(("127.0.0.1", 0), Handler)
        self.kind = kind
        self.state = state

    def handle_error(self, request, client_address):  # a reset client is normal here
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("roots", nargs="+")
    ap.add_argument("--token", default="")
    ap.add_argument("--lfs-threshold", type=int, default=1024 * 1024)
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--latency-ms", type=float, default=0.0)
    args = ap.parse_args()
    state = State(args)
    hub = Server("hub", state)
    cdn = Server("cdn", state)
    state.hub_port = hub.server_address[1]
    state.cdn_port = cdn.server_address[1]
    for s in (hub, cdn):
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print("%d %d" % (state.hub_port, state.cdn_port), flush=True)

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except OSError:
            pass
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    time.sleep(args.time_limit)
    os._exit(0)


if __name__ == "__main__":
    main()
