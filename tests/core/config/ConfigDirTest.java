package io.datasette.dclient.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The config directory, matching click.get_app_dir("io.datasette.dclient") as Python dclient uses it. */
class ConfigDirTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("override wins everywhere", "Linux", "DCLIENT_CONFIG_DIR=/tmp/cfg XDG_CONFIG_HOME=/xdg HOME=/home/u",
                        "/home/j", Path.of("/tmp/cfg")),
                Arguments.of("override on Windows", "Windows 11", "DCLIENT_CONFIG_DIR=/tmp/cfg APPDATA=/appdata", "/home/j",
                        Path.of("/tmp/cfg")),
                Arguments.of("empty override is unset", "Linux", "DCLIENT_CONFIG_DIR= HOME=/home/u", "/home/j",
                        Path.of("/home/u/.config/io.datasette.dclient")),
                Arguments.of("Linux: ~/.config with $HOME", "Linux", "HOME=/home/u", "/home/j",
                        Path.of("/home/u/.config/io.datasette.dclient")),
                Arguments.of("Linux: user.home without $HOME", "Linux", "", "/home/j",
                        Path.of("/home/j/.config/io.datasette.dclient")),
                Arguments.of("Linux: XDG_CONFIG_HOME", "Linux", "XDG_CONFIG_HOME=/xdg HOME=/home/u", "/home/j",
                        Path.of("/xdg/io.datasette.dclient")),
                Arguments.of("Linux: empty XDG_CONFIG_HOME is unset", "Linux", "XDG_CONFIG_HOME= HOME=/home/u", "/home/j",
                        Path.of("/home/u/.config/io.datasette.dclient")),
                Arguments.of("other Unix like Linux", "FreeBSD", "XDG_CONFIG_HOME=/xdg", "/home/j",
                        Path.of("/xdg/io.datasette.dclient")),
                Arguments.of("macOS", "Mac OS X", "HOME=/Users/u", "/Users/j",
                        Path.of("/Users/u/Library/Application Support/io.datasette.dclient")),
                Arguments.of("macOS ignores XDG_CONFIG_HOME", "Mac OS X", "XDG_CONFIG_HOME=/xdg HOME=/Users/u", "/Users/j",
                        Path.of("/Users/u/Library/Application Support/io.datasette.dclient")),
                Arguments.of("Windows: APPDATA", "Windows 10", "APPDATA=C:\\Users\\u\\AppData\\Roaming HOME=/c/Users/u",
                        "C:\\Users\\j", Path.of("C:\\Users\\u\\AppData\\Roaming", "io.datasette.dclient")),
                Arguments.of("Windows: no APPDATA, USERPROFILE (not HOME)", "Windows 10",
                        "USERPROFILE=C:\\Users\\u HOME=/c/Users/git", "C:\\Users\\j", Path.of("C:\\Users\\u", "io.datasette.dclient")),
                Arguments.of("Windows: nothing set, user.home", "Windows Server 2022", "", "C:\\Users\\j",
                        Path.of("C:\\Users\\j", "io.datasette.dclient")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resolvesLikeClick(String what, String os, String env, String userHome, Path expected) {
        Map<String, String> vars = new HashMap<>();
        for (String pair : env.split(" ")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            vars.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        assertEquals(expected, ConfigDir.resolve(vars, Map.of("os.name", os, "user.home", userHome)));
    }
}
