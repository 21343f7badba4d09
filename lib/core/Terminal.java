package io.datasette.dclient.core;

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

    /**
     * The real terminal. Java 17 only offers a console when stdin and stdout are both terminals,
     * so the launcher, which can test each stream cheaply, passes {@code -Ddclient.stdinTty} and
     * {@code -Ddclient.stderrTty}; without them the console decides for both.
     */
    static Terminal system() {
        Console console = System.console();
        boolean consoleTty = console != null && isTerminal(console);
        boolean stdinTty = flag("dclient.stdinTty", consoleTty);
        boolean stderrTty = flag("dclient.stderrTty", consoleTty);
        return new Terminal() {
            @Override
            public boolean stdinIsTerminal() {
                return stdinTty;
            }

            @Override
            public boolean stderrIsTerminal() {
                return stderrTty;
            }

            @Override
            public String readSecret(String prompt) {
                if (consoleTty) {
                    char[] chars = console.readPassword("%s", prompt);
                    return chars == null ? null : new String(chars);
                }
                return stdinTty ? readWithoutEcho(prompt) : null;
            }
        };
    }

    private static boolean flag(String property, boolean fallback) {
        String v = System.getProperty(property);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }

    /** stdin is a terminal but stdout is not (so there is no Console): turn echo off with stty. */
    private static String readWithoutEcho(String prompt) {
        System.err.print(prompt);
        System.err.flush();
        boolean echoOff = stty("-echo");
        try {
            StringBuilder sb = new StringBuilder();
            for (int c = System.in.read(); c != -1 && c != '\n'; c = System.in.read()) {
                if (c != '\r') sb.append((char) c);
            }
            return new String(sb.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return null;
        } finally {
            if (echoOff) stty("echo");
            System.err.println();
        }
    }

    private static boolean stty(String mode) {
        try {
            Process p = new ProcessBuilder("stty", mode).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22, System.console() is null unless both ends are a terminal
        }
    }
}
