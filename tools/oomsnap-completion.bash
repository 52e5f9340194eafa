# SPDX-License-Identifier: GPL-2.0
# bash completion for oomsnap(8): install as
# /usr/share/bash-completion/completions/oomsnap
_oomsnap()
{
	local cur prev words cword cmd i
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	}
	local common="--json --pretty --dir --raw --verbose --help --version"
	local commands="list show stats watch record explain top help"

	case $prev in
	--dir | -d)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	--raw | -r)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--count | -c | --interval | -i)
		return
		;;
	esac
	cmd=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--dir | -d | --raw | -r | --count | -c | --interval | -i)
			((i++))
			;;
		-*) ;;
		*)
			cmd=${words[i]}
			break
			;;
		esac
	done
	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$common" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi
	case $cmd in
	watch) common="$common --count" ;;
	stats) common="$common --prometheus" ;;
	record) common="$common --file --max-size --keep --journal --journal-socket --count --no-follow" ;;
	top) common="$common --interval --count --once" ;;
	help)
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$common" -- "$cur"))
	elif [ "$cmd" = explain ]; then
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _oomsnap oomsnap
