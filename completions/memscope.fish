# fish completion for memscope(1). What to offer comes from memscope itself (`memscope
# --complete WORD...`, the words after "memscope" up to the one being completed), so every
# command and option is always here.

function __memscope_complete
    set -l words (commandline -opc) (commandline -ct)
    set -e words[1]
    for line in (command memscope --complete $words 2>/dev/null)
        switch $line
            case :files
                __fish_complete_path (commandline -ct)
            case :dirs
                __fish_complete_directories (commandline -ct)
            case :pids
                __fish_complete_pids
            case :users
                __fish_complete_users
            case ':command *'
                set -l from (math (string replace ':command ' '' -- $line) + 1)
                complete -C (string join ' ' -- (string escape -- $words[$from..-1]))
                return
            case ':*'
            case '*'
                echo $line
        end
    end
end

complete -c memscope -f -a '(__memscope_complete)'
