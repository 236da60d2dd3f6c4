#!/bin/bash
# The bash completion offers commands, options, formats and license ids, as the
# binary being completed knows them; the zsh completion parses.
# usage: test-completion.sh LICTRACE BASH_SCRIPT ZSH_SCRIPT
set -u
bin=$1 zsh_script=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
fail() { echo "FAIL: $*"; exit 1; }
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
export XDG_CACHE_HOME=$cache
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
cd "$cache" && mkdir adir && touch afile
has adir scan --hub-mirror a
lacks afile scan --hub-mirror a
if command -v zsh >/dev/null; then
	zsh -n "$zsh_script" || fail "zsh completion does not parse"
	# the completion system's functions stubbed to print what they are given
	zsh_complete() { # zsh_complete CURRENT WORD...
		local cur=$1
		shift
		zsh -fc '
			_describe() { local n=${@[-1]}; print -l -- ${(P)n}; }
			compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }
			_arguments() { print -l -- "$@"; }
			fpath=("$1" $fpath); autoload -Uz _lictrace
			CURRENT=$2; shift 2; words=("$@"); _lictrace' \
			zsh "$(dirname "$zsh_script")" "$cur" "$bin" "$@"
	}
	zsh_complete 2 "" | grep -qx scan || fail "zsh: no command list"
	zsh_complete 2 "" | grep -qx -- --version || fail "zsh: no --version"
	zsh_complete 3 scan --fo | grep -q '^--format=.*(text json sarif' || fail "zsh: no formats for --format"
	zsh_complete 3 audit --o | grep -q '^--org=' || fail "zsh: no --org for audit"
	zsh_complete 3 classify --o | grep -q '^--org=' && fail "zsh: --org offered for classify"
	zsh_complete 3 licenses "" | grep -q '^\*:license id:(.*apache-2.0' || fail "zsh: no license ids"
else
	echo "note: zsh not installed, zsh completion not parsed"
fi
echo ok
