///usr/bin/env jbang "$0" "$@" ; exit $?
// Regenerates docs/reference.md, the command reference, from commands.yaml; run it as tools/gen-reference.
// dclient.java brings lib/ and its dependencies; the rendering lives in tools/ReferenceDoc.java,
// which tests/cli/ReadmeReferenceTest also uses, so the generator and the check cannot disagree.
//JAVA 17+
//SOURCES ../dclient.java
//SOURCES ReferenceDoc.java

public class GenReference {
    public static void main(String[] args) throws Exception {
        io.datasette.dclient.cli.ReferenceDoc.main(args);
    }
}
