# zsh -f zsh-complete.zsh FPATH_DIR LINE...: for each LINE, what an interactive zsh with
# compinit and FPATH_DIR's completions leaves on the command line after one TAB, a line each.
zmodload zsh/zpty || exit 1
dir=$1
shift
out=$dir/buffers
: >"$out"
zpty -b z 'zsh -f -i'
# Ctrl-X writes the command line to $out and empties it
zpty -w z "PS1='>'; fpath=($dir \$fpath); autoload -U compinit; compinit -u -D; unsetopt beep
dump() { print -r -- \"\$BUFFER\" >>$out; BUFFER=; }; zle -N dump; bindkey '^X' dump
bindkey '^I' complete-word; print rea''dy"
zpty -r -m z junk '*ready*' || exit 1
n=0
for line in "$@"; do
	zpty -w -n z "$line"$'\t'
	sleep 0.3
	zpty -w -n z $'\C-x'
	(( n++ ))
	for i in {1..50}; do
		(( $(wc -l <"$out") >= n )) && break
		sleep 0.1
	done
done
zpty -d z
cat "$out"
