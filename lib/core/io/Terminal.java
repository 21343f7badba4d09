package io.datasette.dclient.core.io;

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
}
