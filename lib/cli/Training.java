package io.datasette.dclient.cli;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.datasette.dclient.core.io.Context;
import io.datasette.dclient.core.io.Stdout;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The launcher's training run for its class-data sharing archive: the commands people run most,
 * against a throwaway Datasette-shaped server on loopback, so the classes of a whole HTTP
 * exchange (client, JSON, output) are in the archive and a command that talks to a server starts
 * as fast as {@code --help}. The same over TLS, with a throwaway key and certificate made by the
 * JDK's {@code keytool} (trusted through {@code SSL_CERT_FILE}, and once not at all): the TLS
 * classes are most of what a first {@code https://} command loads. Prints nothing; never
 * touches the user's config.
 *
 * <p>{@code java -cp ... io.datasette.dclient.cli.Training CONFIG_DIR}
 */
public final class Training {
    private static final String PAGE = "{\"ok\": true, \"next\": null, \"next_url\": null,"
            + " \"columns\": [\"id\", \"name\", \"age\"],"
            + " \"rows\": [{\"id\": 1, \"name\": \"Cleo\", \"age\": 5.5}, {\"id\": 2, \"name\": \"Pancakes\", \"age\": null}]}";

    private Training() {}

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        Files.createDirectories(config);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", Training::answer);
        server.start();
        HttpsServer secure = secureServer(config);
        try {
            run(config, "http://127.0.0.1:" + server.getAddress().getPort(), Map.of());
            if (secure != null) {
                String url = "https://localhost:" + secure.getAddress().getPort();
                run(config, url, Map.of("SSL_CERT_FILE", config.resolve("training.pem").toString()));
                train(config, Map.of(), List.of("rows", "-i", url, "db", "t")); // not trusted: the JDK's CAs, the refusal
            }
        } finally {
            server.stop(0);
            if (secure != null) secure.stop(0);
        }
    }

    private static void run(Path config, String url, Map<String, String> env) {
        for (List<String> command : List.of(
                List.of("rows", "-i", url, "db", "t", "--all"),
                List.of("rows", "-i", url, "db", "t", "--nl", "--token", "dstok_training"),
                List.of("query", "-i", url, "db", "select 1", "-t"),
                List.of("get", "-i", url, "/-/versions.json"))) {
            train(config, env, command);
        }
    }

    private static void train(Path config, Map<String, String> env, List<String> command) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("DCLIENT_CONFIG_DIR", config.toString());
        // stdout as Context.system() builds it (a channel written by a thread of its own), so its classes are archived
        Stdout out = Stdout.of(java.nio.channels.Channels.newChannel(OutputStream.nullOutputStream()));
        Context ctx = Context.builder().stdout(out).err(nowhere).configDir(config).env(e).build();
        Main.run(command.toArray(String[]::new), ctx);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (String.valueOf(exchange.getRequestHeaders().getFirst("Accept-Encoding")).contains("gzip")) {
            java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
                gz.write(body);
            }
            body = zipped.toByteArray();
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * An HTTPS server on loopback with a fresh RSA key (as most servers have) for localhost, its
     * certificate written to {@code training.pem}; null when keytool cannot make one (then the
     * archive lacks the TLS classes: slower, not wrong).
     */
    private static HttpsServer secureServer(Path dir) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve("training.p12");
        char[] pass = "training".toCharArray();
        if (!keytool(keytool, "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
                "training", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1")
                || !keytool(keytool, "-exportcert", "-rfc", "-keystore", store.toString(), "-storepass", "training",
                        "-alias", "server", "-file", dir.resolve("training.pem").toString())) {
            return null;
        }
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(store)) {
            ks.load(in, pass);
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/", Training::answer);
        server.start();
        return server;
    }

    private static boolean keytool(Path keytool, String... args) throws InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
