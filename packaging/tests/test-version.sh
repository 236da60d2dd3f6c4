#!/bin/sh
# `lictrace --version` names the program and the license data; other data gives
# another data version; an installed data snapshot is trusted through its manifest
# and refused when it is not for this root or is writable by others.
# usage: test-version.sh LICTRACE SOURCE_DIR
set -eu
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache"
fail() { echo "FAIL: $*"; exit 1; }
ver() { LICTRACE_DATA=$1 "$bin" --version | sed -n 's/^license data \([0-9a-f]*\) .*/\1/p'; }
name() { LICTRACE_DATA=$1 "$bin" licenses | awk '$1 == "mit" { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'; }

out=$("$bin" --version)
echo "$out" | head -1 | grep -Eq '^lictrace [0-9]+\.[0-9]+\.[0-9]+$' || fail "first line: $out"
echo "$out" | sed -n 2p | grep -Eq '^license data [0-9a-f]{16} \(.+\)$' || fail "second line: $out"

mkdir "$tmp/a"
cp -R "$src/licenses" "$src/rules" "$tmp/a/"
base=$(ver "$tmp/a")
[ "$base" = "$(ver "$src")" ] || fail "a copy of the data has another version"
printf '\n# an edit\n' >> "$tmp/a/rules/$(ls "$tmp/a/rules" | head -1)"
[ "$(ver "$tmp/a")" != "$base" ] || fail "edited rules keep the version"
cp -R "$src/licenses" "$src/rules" "$tmp/a/"   # back to the original contents
[ "$(ver "$tmp/a")" = "$base" ] || fail "restored data has another version"
touch "$tmp/a/licenses/texts/extra.txt"
[ "$(ver "$tmp/a")" != "$base" ] || fail "an added reference text keeps the version"
rm "$tmp/a/licenses/texts/extra.txt"

# the install-time snapshot: trusted through the manifest, files not looked at
"$bin" --write-installed-data "$tmp/a" "$tmp/a" "$tmp/a"
[ "$(cat "$tmp/a/data-version")" = "$base" ] || fail "manifest is not the data version"
orig=$(name "$tmp/a")
[ -n "$orig" ] || fail "no mit license"
sed -i 's/^name: .*/name: Edited After Install/' "$tmp/a/licenses/mit.yaml"
[ "$(name "$tmp/a")" = "$orig" ] || fail "installed snapshot not used"
[ "$(ver "$tmp/a")" = "$base" ] || fail "version is not the snapshot's"
chmod g+w "$tmp/a/licensedb.snapshot"
[ "$(name "$tmp/a")" = "Edited After Install" ] || fail "group-writable snapshot trusted"
chmod g-w "$tmp/a/licensedb.snapshot"
cp "$tmp/a/licensedb.snapshot" "$tmp/good.snapshot"
printf 'XXXX' | dd of="$tmp/a/licensedb.snapshot" bs=1 seek=5000 conv=notrunc 2>/dev/null
[ "$(name "$tmp/a")" = "Edited After Install" ] || fail "damaged snapshot trusted"
head -c 1000 "$tmp/good.snapshot" > "$tmp/a/licensedb.snapshot"
[ "$(name "$tmp/a")" = "Edited After Install" ] || fail "truncated snapshot trusted"
cp "$tmp/good.snapshot" "$tmp/a/licensedb.snapshot"
[ "$(name "$tmp/a")" = "$orig" ] || fail "restored snapshot not used"
# the compiled classifier comes with it; a damaged, group-writable or foreign one
# is not used, and the answer stays the same
[ -s "$tmp/a/classifier.snapshot" ] || fail "no classifier image written with the data"
cls() { LICTRACE_DATA=$1 "$bin" classify "$src/licenses/texts/MIT.txt" | grep -c 'mit (MIT License)'; }
[ "$(cls "$tmp/a")" = 1 ] || fail "classify with the installed classifier image"
cp "$tmp/a/classifier.snapshot" "$tmp/good.classifier"
printf 'XXXX' | dd of="$tmp/a/classifier.snapshot" bs=1 seek=3000 conv=notrunc 2>/dev/null
[ "$(cls "$tmp/a")" = 1 ] || fail "classify with a damaged classifier image"
cp "$tmp/good.classifier" "$tmp/a/classifier.snapshot"
chmod g+w "$tmp/a/classifier.snapshot"
[ "$(cls "$tmp/a")" = 1 ] || fail "classify with a group-writable classifier image"
chmod g-w "$tmp/a/classifier.snapshot"
mkdir "$tmp/b"
cp -R "$tmp/a/licenses" "$tmp/a/rules" "$tmp/a/licensedb.snapshot" "$tmp/a/data-version" "$tmp/b/"
[ "$(name "$tmp/b")" = "Edited After Install" ] || fail "snapshot for another root trusted"
[ "$(ver "$tmp/b")" != "$base" ] || fail "version of edited data without its snapshot"
printf 'zz\n' > "$tmp/a/data-version"
[ "$(name "$tmp/a")" = "Edited After Install" ] || fail "bad manifest trusted"
# rules check always reads the YAML
LICTRACE_DATA="$tmp/a" "$bin" rules check "$tmp/a" >/dev/null || fail "rules check"
echo "ok: version $base"
