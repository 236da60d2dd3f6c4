#!/bin/bash
# The bash completion offers commands, options, formats and license ids, as the
# binary being completed knows them; the zsh completion parses.
# usage: test-completion.sh LICTRACE BASH_SCRIPT ZSH_SCRIPT
set -u
bin=$1
fail() { echo "FAIL: $*"; exit 1; }
# shellcheck source=/dev/null
source "$2"
complete -p lictrace >/dev/null || fail "no completion registered for lictrace"
# complete LINE...: the words of the command line, the last one being completed
complete_words() {
	COMP_WORDS=("$bin" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_lictrace
	printf '%s\n' "${COMPREPLY[@]}"
}
has() { # has WORD LINE...
	local w=$1
	shift
	complete_words "$@" | grep -qxF -- "$w" || fail "'$*' does not offer '$w' (got: $(complete_words "$@" | tr '\n' ' '))"
}
lacks() {
	local w=$1
	shift
	! complete_words "$@" | grep -qxF -- "$w" || fail "'$*' offers '$w'"
}
has scan sc
has classify ""
has --version --v
lacks scan cl
has --format scan --fo
has --hub-mirror scan --hub
has --org audit --o
lacks --org classify --o
has --hub-mirror hook --hub
has json scan --format ""
has sarif classify --format s
lacks text classify --format s
has apache-2.0 licenses ap
has mit licenses mi
lacks ID licenses ""
has check rules ""
cd "$(mktemp -d)" && mkdir adir && touch afile
has adir scan --hub-mirror a
lacks afile scan --hub-mirror a
if command -v zsh >/dev/null; then
	zsh -n "$3" || fail "zsh completion does not parse"
else
	echo "note: zsh not installed, zsh completion not parsed"
fi
echo ok
