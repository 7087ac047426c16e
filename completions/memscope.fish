# fish completion for memscope(1). What to offer comes from memscope itself (`memscope
# --complete WORD...`, the words after "memscope" up to the one being completed), so every
# command and option is always here.

function __memscope_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -e words[1]
    # what fish completes itself: for --NAME=VALUE, the VALUE, kept after its --NAME=
    set -l before (string match -r -- '^--[^=]*=' $cur)
    set -q before[1]; or set before '' # else $before(...) would be no words at all
    set -l value (string replace -r -- '^--[^=]*=' '' $cur)
    for line in (command memscope --complete $words "$cur" 2>/dev/null)
        switch $line
            case :files
                printf '%s\n' $before(__fish_complete_path $value)
            case :dirs
                printf '%s\n' $before(__fish_complete_directories $value)
            case :pids
                printf '%s\n' $before(__fish_complete_pids)
            case :users
                printf '%s\n' $before(__fish_complete_users)
            case ':command *'
                set -l from (math (string replace ':command ' '' -- $line) + 1)
                complete -C (string join ' ' -- (string escape -- $words[$from..-1] $cur))
                return
            case ':*'
            case '*'
                echo $line
        end
    end
end

complete -c memscope -f -a '(__memscope_complete)'
