#!/bin/sh
# The generated lictrace(1) renders without warnings and documents every command
# and every option the binary has (the words the completions use).
# usage: test-man.sh LICTRACE MANPAGE
set -eu
bin=$1 page=$2
fail() { echo "FAIL: $*"; exit 1; }
command -v groff >/dev/null || { echo "skip: groff not installed"; exit 77; }
warn=$(groff -ww -z -man "$page" 2>&1) || fail "groff failed: $warn"
[ -z "$warn" ] || fail "groff warnings: $warn"
text=$(MANWIDTH=200 groff -man -Tutf8 -P-c "$page" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g; s/‐/-/g')
if command -v man >/dev/null; then
	mt=$(MANWIDTH=200 man -l "$page" 2>/dev/null | col -b 2>/dev/null) || true
	[ -z "$mt" ] || text=$(printf '%s' "$mt" | sed 's/‐/-/g')
fi
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "EXIT STATUS" ENVIRONMENT FILES; do
	printf '%s\n' "$text" | grep -q "^$s" || fail "no section $s"
done
for c in $("$bin" --help-words); do
	printf '%s\n' "$text" | grep -Eq "^ +lictrace $c( |$)" || fail "no synopsis for $c"
	for o in $("$bin" --help-words "$c" | cut -d' ' -f1); do
		printf '%s\n' "$text" | grep -q -- "$o" || fail "option $o of $c missing"
	done
done
printf '%s\n' "$text" | grep -q -- "--version" || fail "--version missing"
echo ok
