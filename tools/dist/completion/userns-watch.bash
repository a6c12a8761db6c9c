# bash completion for userns-watch(8): options, and the values of those that take a word from a
# known set. make install puts it in share/bash-completion/completions/.
_userns_watch() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	case $prev in
	-o | --output) mapfile -t COMPREPLY < <(compgen -W "text json ecs ocsf" -- "$cur"); return ;;
	--hooks) mapfile -t COMPREPLY < <(compgen -W "auto tp_btf raw_tp" -- "$cur"); return ;;
	--syslog) mapfile -t COMPREPLY < <(compgen -W "unix:/dev/log udp: tcp: relp:" -- "$cur"); return ;;
	--output-file | --policy | --check-policy) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
	--procfs | --host-root | --pin-dir) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return ;;
	--host-name | --cluster-name | --data-root | --ready-tcp | --metrics | --max-alerts | --report-interval | --stats-interval | --ringbuf-kib)
		COMPREPLY=(); return ;;
	esac
	mapfile -t COMPREPLY < <(compgen -W "--output --output-file --syslog --once --procfs --host-root
		--host-name --cluster-name --data-root --policy --check-policy --report-allowed --ready-tcp --metrics --max-alerts
		--report-interval --stats-interval --hooks --ringbuf-kib --host-transitions --pin-dir
		--no-pin --unpin --verbose --help --version -o -v -h -V" -- "$cur")
}
complete -F _userns_watch userns-watch
