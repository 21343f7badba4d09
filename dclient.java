///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.yaml:snakeyaml:2.5
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.3
//SOURCES lib/Sources.java
//FILES commands.yaml
//COMPILE_OPTIONS -encoding UTF-8 -XDstringConcat=inline
// -XDstringConcat=inline: string concatenation as plain StringBuilder code, not invokedynamic;
// each concatenation's first run otherwise spun method-handle classes that no class-data archive
// holds (about 40 per command): measured 20 ms less wall time per command, http and https alike.
//JAVA_OPTIONS -Dfile.encoding=UTF-8

/** JBang entry point: everything lives in {@code lib/}, driven by {@code commands.yaml}. */
public class dclient {
    public static void main(String[] args) {
        io.datasette.dclient.cli.Main.main(args);
    }
}
