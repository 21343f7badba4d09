package io.datasette.dclient.cli;

import java.io.Console;

/** What the process knows about its terminal; injected so prompts and progress are testable. */
public interface Terminal {
    boolean stdinIsTerminal();

    boolean stderrIsTerminal();

    /** Reads a line without echo from the terminal, or returns null when there is none. */
    String readSecret(String prompt);

    /** No terminal at all: pipes everywhere. */
    Terminal NONE = new Terminal() {
        @Override
        public boolean stdinIsTerminal() {
            return false;
        }

        @Override
        public boolean stderrIsTerminal() {
            return false;
        }

        @Override
        public String readSecret(String prompt) {
            return null;
        }
    };

    /** The real terminal, as far as the JDK can tell. */
    static Terminal system() {
        Console console = System.console();
        // Java 22+ returns a console even when redirected; isTerminal() tells the truth there.
        boolean interactive = console != null && isTerminal(console);
        return new Terminal() {
            @Override
            public boolean stdinIsTerminal() {
                return interactive;
            }

            @Override
            public boolean stderrIsTerminal() {
                return interactive;
            }

            @Override
            public String readSecret(String prompt) {
                if (!interactive) return null;
                char[] chars = console.readPassword("%s", prompt);
                return chars == null ? null : new String(chars);
            }
        };
    }

    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22, System.console() is null unless both ends are a terminal
        }
    }
}
