# bash completion for lictrace. The words come from the binary being completed
# (hidden `lictrace --help-words`, rendered from the same tables as --help) and,
# for license ids, from `lictrace licenses`; nothing here repeats them.

_lictrace_words()
{
	"$_lictrace_bin" --help-words "$@" 2>/dev/null
}

_lictrace()
{
	local cur prev cmd opt arg
	local _lictrace_bin=${COMP_WORDS[0]}
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	cmd=${COMP_WORDS[1]}
	COMPREPLY=()

	if ((COMP_CWORD == 1)); then
		mapfile -t COMPREPLY < <(compgen -W "$(_lictrace_words) --help --version" -- "$cur")
		return 0
	fi
	# the value of an option that takes one: its argument name says what it is
	if [[ $prev == --* ]]; then
		while read -r opt arg; do
			[[ $opt == "$prev" && -n $arg ]] || continue
			case $arg in
			FMT) mapfile -t COMPREPLY < <(compgen -W "$(_lictrace_words formats)" -- "$cur") ;;
			DIR) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
			FILE) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
			esac
			return 0
		done < <(_lictrace_words "$cmd")
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_lictrace_words "$cmd" | cut -d' ' -f1)" -- "$cur")
		return 0
	fi
	case $cmd in
	licenses)
		mapfile -t COMPREPLY < <(compgen -W "$("$_lictrace_bin" licenses 2>/dev/null | tail -n +2 | cut -d' ' -f1)" -- "$cur")
		;;
	rules)
		if ((COMP_CWORD == 2)); then
			mapfile -t COMPREPLY < <(compgen -W "check" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		fi
		;;
	*)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
	esac
	return 0
}

complete -o filenames -F _lictrace lictrace
