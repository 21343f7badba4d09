# shellcheck shell=bash
# Sourced helper: run JBang whether or not it is installed.
#
#   . tools/jbang.sh
#   run_jbang build dclient.java     # runs JBang, returns its exit code
#   exec_jbang run dclient.java ...  # same, but replaces the current shell
#
# If `jbang` is on PATH it is used as is. Otherwise JBang (dev.jbang:jbang-cli,
# from Maven Central) and its dependencies are copied once with Maven into
#   ${XDG_CACHE_HOME:-$HOME/.cache}/dclient/jbang-<version>/
# and dev.jbang.Main is started with plain `java`, following the protocol of
# JBang's own shell wrapper: exit code 255 means stdout is one shell command
# line to execute; any other code means "print stdout and exit with this code".
#
# All progress goes to stderr. Needs: bash, java (17+), and mvn on first use.

DCLIENT_JBANG_VERSION=0.132.1

# Flags of the JVM that runs the fetched JBang (not of the programs it runs):
# it lives a second or two, so C1 alone and the serial GC (about 40% less CPU
# time for `jbang info classpath`), and no hsperfdata file (which would keep
# the command line on disk after a crash).
DCLIENT_JBANG_JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto)

# Directory of this file (works when sourced from any cwd).
_dclient_tools_dir=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)

dclient_cache_root() {
    printf '%s\n' "${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/dclient"
}

# The java used to start JBang itself (JBang then picks the script's JDK).
dclient_java() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        printf '%s\n' "$JAVA_HOME/bin/java"
    elif command -v java >/dev/null 2>&1; then
        command -v java
    else
        echo "dclient: no java found: install a JDK 17 or newer, or set JAVA_HOME" >&2
        return 1
    fi
}

# Prints the directory holding jbang-cli and its dependency jars, copying them
# with Maven first if needed. Safe to interrupt: jars are copied into a temp
# directory that is renamed into place only once complete.
jbang_bootstrap_dir() {
    local root dir tmp rc
    root=$(dclient_cache_root) || return 1
    dir="$root/jbang-$DCLIENT_JBANG_VERSION"
    if [ -f "$dir/jbang-cli-$DCLIENT_JBANG_VERSION.jar" ]; then
        printf '%s\n' "$dir"
        return 0
    fi
    if ! command -v mvn >/dev/null 2>&1; then
        echo "dclient: JBang is not installed and Maven (mvn) is not on PATH to fetch it." >&2
        echo "dclient: install Maven (or JBang) and try again." >&2
        return 1
    fi
    mkdir -p "$root"
    tmp=$(mktemp -d "$root/.jbang-$DCLIENT_JBANG_VERSION.tmp.XXXXXX")
    echo "[dclient] Fetching JBang $DCLIENT_JBANG_VERSION with Maven (first run only)..." >&2
    # Java's user.home comes from the password database, not $HOME; make Maven
    # (~/.m2) follow $HOME. MAVEN_OPTS is split on spaces by mvn, hence the guard.
    local maven_opts="${MAVEN_OPTS:-}"
    case "${HOME:-}" in
        "" | *[[:space:]]*) ;;
        *) maven_opts="$maven_opts -Duser.home=$HOME" ;;
    esac
    rc=0
    MAVEN_OPTS="$maven_opts" mvn -B -q \
        -f "$_dclient_tools_dir/jbang-pom.xml" \
        dependency:copy-dependencies \
        -DincludeScope=runtime \
        -DoutputDirectory="$tmp" >"$tmp.log" 2>&1 || rc=$?
    # Maven's output (errors only, with -q) minus the stray colour resets that
    # some Maven builds print even in batch mode.
    sed "s/$(printf '\033')\[[0-9;]*m//g" "$tmp.log" | grep -v '^[[:space:]]*$' >&2 || true
    rm -f "$tmp.log"
    if [ "$rc" -ne 0 ] || [ ! -f "$tmp/jbang-cli-$DCLIENT_JBANG_VERSION.jar" ]; then
        rm -rf "$tmp"
        echo "dclient: fetching JBang with Maven failed (exit $rc)" >&2
        return 1
    fi
    if [ -f "$dir/jbang-cli-$DCLIENT_JBANG_VERSION.jar" ]; then
        rm -rf "$tmp"                     # another run finished first
    else
        rm -rf "$dir"                     # leftovers of something broken
        mv "$tmp" "$dir"
        # If a concurrent run created $dir in between, mv put $tmp inside it.
        rm -rf "${dir:?}/${tmp##*/}"
    fi
    printf '%s\n' "$dir"
}

# Runs JBang with the given arguments and returns its exit code. With the
# bootstrapped copy, a command line handed back by JBang (exit 255) is executed
# in a subshell, so the caller keeps control.
run_jbang() {
    if command -v jbang >/dev/null 2>&1; then
        jbang "$@"
        return
    fi
    local dir java out rc
    dir=$(jbang_bootstrap_dir) || return 1
    java=$(dclient_java) || return 1
    [ -t 0 ] || export JBANG_STDIN_NOTTY=true
    rc=0
    out=$("$java" "${DCLIENT_JBANG_JVM_FLAGS[@]}" ${HOME:+"-Duser.home=$HOME"} -classpath "$dir/*" dev.jbang.Main "$@") || rc=$?
    if [ "$rc" -eq 255 ]; then
        (eval "exec $out")
        return
    fi
    [ -z "$out" ] || printf '%s\n' "$out"
    return "$rc"
}

# Like run_jbang, but replaces the current shell (for wrappers whose last
# step is running JBang).
exec_jbang() {
    if command -v jbang >/dev/null 2>&1; then
        exec jbang "$@"
    fi
    local dir java out rc
    dir=$(jbang_bootstrap_dir) || exit 1
    java=$(dclient_java) || exit 1
    [ -t 0 ] || export JBANG_STDIN_NOTTY=true
    rc=0
    out=$("$java" "${DCLIENT_JBANG_JVM_FLAGS[@]}" ${HOME:+"-Duser.home=$HOME"} -classpath "$dir/*" dev.jbang.Main "$@") || rc=$?
    if [ "$rc" -eq 255 ]; then
        eval "exec $out"
    fi
    [ -z "$out" ] || printf '%s\n' "$out"
    exit "$rc"
}
