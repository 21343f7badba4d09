# shellcheck shell=bash
# Sourced by the ./dclient launcher: putting `dclient` on PATH without JBang.
#
#   install_launcher LAUNCHER [DIR]
#       Links LAUNCHER (an absolute path) as DIR/dclient, DIR being by default
#       ${XDG_BIN_HOME:-$HOME/.local/bin}, and says whether DIR is on PATH and whether
#       another dclient comes first there. The link follows the checkout: `git pull`
#       upgrades it (the next run rebuilds); `rm DIR/dclient` uninstalls it.
#
#   refuse_app_install_without_jbang LAUNCHER JBANG-ARGS...
#       Exits 1 with the reason when JBANG-ARGS are `app install ...` and no `jbang` is
#       on PATH: the script `jbang app install` writes into ~/.jbang/bin runs `jbang`,
#       so it would fail there with "jbang: not found" (and ~/.jbang/bin, which JBang
#       puts first on PATH, would hide a working dclient).
#
# Messages go to stderr.

install_launcher() {
    local launcher=$1 dir=${2:-${XDG_BIN_HOME:-${HOME:?HOME is not set}/.local/bin}}
    case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
    dir=${dir%/}
    local link=$dir/dclient
    if [ -L "$link" ] && [ "$(readlink "$link")" = "$launcher" ]; then
        echo "dclient is already installed: $link -> $launcher" >&2
    elif [ -e "$link" ] || [ -L "$link" ]; then
        echo "dclient: not installing: $link already exists (it is not a link to $launcher)." >&2
        echo "dclient: remove it first (rm '$link'), or name another directory: ${launcher##*/} --install DIR" >&2
        return 1
    else
        mkdir -p -- "$dir" || return 1
        ln -s -- "$launcher" "$link" || return 1
        echo "Installed $link -> $launcher" >&2
        echo "Upgrade with git pull in ${launcher%/*} (the next run rebuilds); uninstall with: rm '$link'" >&2
    fi
    # Where the shell will look: is DIR on PATH, and is this link the dclient found first?
    local on_path= first= p
    local IFS=:
    for p in ${PATH:-}; do
        p=${p%/}
        [ -n "$p" ] || continue
        if [ -z "$first" ] && [ -x "$p/dclient" ] && [ ! -d "$p/dclient" ]; then first=$p/dclient; fi
        if [ "$p" = "$dir" ]; then on_path=1; fi
    done
    if [ -z "$on_path" ]; then
        echo "Note: $dir is not on your PATH. Add it, for example in ~/.bashrc or ~/.zshrc:" >&2
        echo "    export PATH=\"$dir:\$PATH\"" >&2
    elif [ -n "$first" ] && [ "$first" != "$link" ]; then
        echo "Note: another dclient comes first on your PATH: $first" >&2
        case $first in
            */.jbang/bin/dclient)
                echo "It was written by 'jbang app install' and runs jbang; remove it: rm '$first'" >&2 ;;
            *)
                echo "Remove it, or put $dir before ${first%/dclient} in PATH." >&2 ;;
        esac
    fi
}

refuse_app_install_without_jbang() {
    local launcher=$1 word words=()
    shift
    command -v jbang >/dev/null 2>&1 && return 0
    for word in "$@"; do
        case $word in -*) ;; *) words+=("$word") ;; esac
        [ "${#words[@]}" -lt 2 ] || break
    done
    [ "${words[0]:-}" = app ] && [ "${words[1]:-}" = install ] || return 0
    echo "dclient: not running 'jbang app install': the command it installs runs 'jbang', which is not" \
        "installed (--jbang uses a private copy), so it would fail with 'jbang: not found'." >&2
    echo "dclient: link this launcher onto your PATH instead: ${launcher} --install" \
        "(into ${XDG_BIN_HOME:-~/.local/bin}), or install JBang first." >&2
    exit 1
}
