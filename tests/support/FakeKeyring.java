package io.datasette.dclient.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;

/**
 * Stand-ins for the keyring tools, written as scripts into a {@code bin} directory that tests
 * put first on the {@code PATH} they give dclient, so no test ever touches a real keyring:
 * {@code secret-tool} (libsecret's answers, as observed from the real one: a silent exit 1 for a
 * missing item and for a locked collection, which {@code search} tells apart), {@code security}
 * (macOS: {@code -i} reads commands on stdin, {@code -X} hex passwords, exit 44 for not found) and
 * {@code powershell} (decodes {@code -EncodedCommand} and acts on its action and key). Items
 * are files under {@code items/}; every call's arguments are appended to {@code calls.log}
 * (and {@code security -i}'s stdin lines, with the {@code -X} value replaced), so a test can
 * check that a token never appears on a command line. {@link #mode} makes the keyring
 * {@code ok}, {@code locked} or {@code nodbus} (no keyring service running).
 */
public final class FakeKeyring {
    private final Path dir;

    private FakeKeyring(Path dir) {
        this.dir = dir;
    }

    /** Writes the fake tools under {@code dir}/bin; state lives in {@code dir}. */
    public static FakeKeyring in(Path dir) {
        FakeKeyring k = new FakeKeyring(dir);
        try {
            Files.createDirectories(dir.resolve("bin"));
            Files.createDirectories(dir.resolve("items"));
            k.script("secret-tool", SECRET_TOOL);
            k.script("security", SECURITY);
            k.script("powershell", POWERSHELL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return k;
    }

    /** Writes an executable script {@code name} into the fake bin directory (also for credential commands). */
    public Path script(String name, String text) {
        Path p = bin().resolve(name);
        try {
            Files.writeString(p, text);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public Path bin() {
        return dir.resolve("bin");
    }

    /** The PATH to give dclient: the fakes first, then the system tools the scripts use. */
    public String path() {
        return bin() + ":/usr/bin:/bin";
    }

    /** The variable the fakes find their state by. */
    public static final String DIR_VARIABLE = "FAKE_KEYRING_DIR";

    public String dirValue() {
        return dir.toString();
    }

    public CliRunner configure(CliRunner cli) {
        return cli.env("PATH", path()).env(DIR_VARIABLE, dirValue());
    }

    public void mode(String mode) {
        try {
            Files.writeString(dir.resolve("mode"), mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The token stored for {@code account} (service io.datasette.dclient), or null. */
    public String item(String account) {
        Path p = itemFile(account);
        try {
            return Files.exists(p) ? Files.readString(p) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts an item there directly, as another program (or an earlier dclient) would. */
    public void putItem(String account, String token) {
        try {
            Files.writeString(itemFile(account), token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> items() {
        try (var s = Files.list(dir.resolve("items"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path itemFile(String account) {
        String key = HexFormat.of().formatHex(("io.datasette.dclient|" + account).getBytes(StandardCharsets.UTF_8));
        return dir.resolve("items").resolve(key);
    }

    /** Every call so far, one line each. */
    public List<String> calls() {
        try {
            Path log = dir.resolve("calls.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String COMMON = """
            PATH=/usr/bin:/bin
            d="$FAKE_KEYRING_DIR"
            mode=$(cat "$d/mode" 2>/dev/null || echo ok)
            item_of() { printf '%s|%s' "$1" "$2" | od -An -tx1 | tr -d ' \\n'; }
            """;

    static final String SECRET_TOOL = "#!/bin/bash\n" + COMMON + """
            printf 'secret-tool %s\\n' "$*" >> "$d/calls.log"
            if [ "$mode" = nodbus ]; then echo 'secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY' >&2; exit 1; fi
            verb=$1; shift
            service=; account=; probe=
            while [ $# -gt 0 ]; do
              case $1 in --label=*|--all|--unlock) shift; continue;; esac
              case $1 in service) service=$2;; account) account=$2;; dclient-probe) probe=1;; esac
              shift 2
            done
            item="$d/items/$(item_of "$service" "$account")"
            case $verb in
              store)
                if [ "$mode" = locked ]; then echo 'secret-tool: Cannot create an item in a locked collection' >&2; exit 1; fi
                cat > "$item"; exit 0;;
              lookup)
                [ "$mode" = locked ] && exit 1
                if [ -f "$item" ]; then cat "$item"; exit 0; fi; exit 1;;
              search)
                [ -n "$probe" ] && exit 0
                [ -f "$item" ] || exit 0
                echo '[/1]'; echo 'label = dclient'
                if [ "$mode" = locked ]; then echo 'secret-tool: Cannot get secret of a locked object' >&2
                else printf 'secret = '; cat "$item"; echo; fi
                echo "attribute.account = $account"; echo "attribute.service = $service"; exit 0;;
              clear)
                [ "$mode" = locked ] && exit 1
                if [ -f "$item" ]; then rm -f "$item"; exit 0; fi; exit 1;;
            esac
            exit 2
            """;

    static final String SECURITY = "#!/bin/bash\n" + COMMON + """
            printf 'security %s\\n' "$*" >> "$d/calls.log"
            refuse() { echo 'security: SecKeychainItemCopyContent: User interaction is not allowed.' >&2; exit 36; }
            notfound() { echo 'security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.' >&2; exit 44; }
            if [ "$1" = -i ]; then
              while IFS= read -r line; do
                printf 'security -i stdin: %s\\n' "$(printf '%s' "$line" | sed -E 's/-X [0-9a-f]+/-X <hex>/')" >> "$d/calls.log"
                if [ "$mode" = locked ]; then echo 'security: SecKeychainItemCreateFromContent: User interaction is not allowed.' >&2; continue; fi
                eval "set -- $line"
                verb=$1; shift; service=; account=; hex=
                while [ $# -gt 0 ]; do
                  case $1 in -s) service=$2; shift 2;; -a) account=$2; shift 2;; -l) shift 2;; -X) hex=$2; shift 2;; *) shift;; esac
                done
                [ "$verb" = add-generic-password ] && printf "$(printf '%s' "$hex" | sed 's/../\\\\x&/g')" > "$d/items/$(item_of "$service" "$account")"
              done
              exit 0
            fi
            verb=$1; shift; service=; account=
            while [ $# -gt 0 ]; do
              case $1 in -s) service=$2; shift 2;; -a) account=$2; shift 2;; *) shift;; esac
            done
            item="$d/items/$(item_of "$service" "$account")"
            [ "$mode" = locked ] && refuse
            case $verb in
              find-generic-password) [ -f "$item" ] || notfound; cat "$item"; echo; exit 0;;
              delete-generic-password) [ -f "$item" ] || notfound; rm -f "$item"; echo 'password has been deleted.'; exit 0;;
            esac
            exit 2
            """;

    static final String POWERSHELL = "#!/bin/bash\n" + COMMON + """
            printf 'powershell %s\\n' "$*" >> "$d/calls.log"
            enc=
            while [ $# -gt 0 ]; do [ "$1" = -EncodedCommand ] && enc=$2; shift; done
            script=$(printf '%s' "$enc" | base64 -d | iconv -f UTF-16LE -t UTF-8)
            action=$(printf '%s' "$script" | sed -n "s/^switch ('\\([a-z]*\\)') {$/\\1/p")
            account=$(printf '%s' "$script" | sed -n "s/.*FromBase64String('\\([^']*\\)').*/\\1/p" | base64 -d)
            prefix=$(printf '%s' "$script" | sed -n "s/^\\$target = '\\([^']*\\)' + \\$user$/\\1/p")
            [ "$prefix" = 'io.datasette.dclient:' ] || { echo "bad target prefix: $prefix" >&2; exit 1; }
            item="$d/items/$(item_of io.datasette.dclient "$account")"
            case $action in
              store) cat > "$item"; exit 0;;
              lookup) [ -f "$item" ] || exit 2; cat "$item"; exit 0;;
              delete) rm -f "$item"; exit 0;;
            esac
            echo "unknown action: $action" >&2; exit 1
            """;
}
