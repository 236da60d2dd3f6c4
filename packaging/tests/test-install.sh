#!/bin/sh
# `cmake --install` into a staging folder: the binary, its plugin, the data with
# its snapshot, the man page and the completions land under the prefix, and the
# installed binary runs from there on copies outside the source tree, with its
# own data and plugin.
# usage: test-install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache"
fail() { echo "FAIL: $*"; exit 1; }
DESTDIR="$tmp/stage" cmake --install "$build" >/dev/null
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
root="$tmp/stage$prefix"
bin="$root/bin/lictrace"
[ -x "$bin" ] || fail "no binary at $bin"
for f in share/lictrace/licenses/mit.yaml share/lictrace/licenses/texts share/lictrace/rules \
	share/lictrace/licensedb.snapshot share/lictrace/data-version share/lictrace/classifier.snapshot share/man/man1/lictrace.1 \
	share/bash-completion/completions/lictrace share/zsh/vendor-completions/_lictrace; do
	[ -e "$root/$f" ] || fail "not installed: $f"
done
ls "$root"/lib*/lictrace/liblictrace-remote.so "$root"/lib/*/lictrace/liblictrace-remote.so \
	2>/dev/null | grep -q . || fail "plugin not installed"

# the installed binary names its own data, not the source tree's
cd "$tmp"
"$bin" --version | grep -qF "($root/share/lictrace)" || fail "data root: $("$bin" --version)"
[ "$("$bin" --version | sed -n 2p | cut -d' ' -f3)" = "$(cat "$root/share/lictrace/data-version")" ] ||
	fail "installed data version differs from its manifest"

# a bundled example, copied out of the source tree: the hub mirror (no plugin needed)
cp -R "$src/fixtures/hub" "$tmp/hub"
rc=0
"$bin" scan merges/triple-merge --hub-mirror "$tmp/hub" --format json >"$tmp/out.json" || rc=$?
[ "$rc" = 1 ] || fail "hub example exit $rc (want 1: findings)"
grep -q '"verdict": *"fail"' "$tmp/out.json" || fail "hub example verdict"
grep -qF "$src" "$tmp/out.json" && fail "report names the source tree"

# an archive needs the plugin, loaded from the installed library folder
mkdir "$tmp/m" && cp -R "$src/fixtures/models/apache-clean/." "$tmp/m/"
tar -C "$tmp/m" -czf "$tmp/model.tar.gz" .
rc=0
"$bin" scan "$tmp/model.tar.gz" --cache "$tmp/cache" >"$tmp/out.txt" 2>"$tmp/err.txt" || rc=$?
grep -q "not available" "$tmp/err.txt" && fail "plugin not found: $(cat "$tmp/err.txt")"
[ "$rc" = 0 ] || fail "archive scan exit $rc: $(cat "$tmp/err.txt")"
echo ok
