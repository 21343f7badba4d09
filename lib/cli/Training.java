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
 * as fast as {@code --help}. The same over TLS 1.3 and TLS 1.2, with a throwaway CA and server
 * certificate made by the JDK's {@code keytool} (the CA trusted through {@code SSL_CERT_FILE},
 * and once not at all): the TLS classes are most of what a first {@code https://} command
 * loads. Prints nothing; never touches the user's config.
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
        javax.net.ssl.SSLContext ssl = serverTls(config);
        List<HttpsServer> secure = new java.util.ArrayList<>();
        try {
            run(config, "http://127.0.0.1:" + server.getAddress().getPort(), Map.of());
            if (ssl != null) {
                // TLS 1.3, and TLS 1.2 alone: the default of nginx before 1.23.4 (Debian 12's), whose
                // handshake classes are others; without them a first command to such a server paid
                // about 20 ms more
                for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                    HttpsServer s = secureServer(ssl, protocol);
                    secure.add(s);
                    String url = "https://localhost:" + s.getAddress().getPort();
                    run(config, url, Map.of("SSL_CERT_FILE", config.resolve("training-ca.pem").toString()));
                }
                String url = "https://localhost:" + secure.get(0).getAddress().getPort();
                train(config, Map.of(), List.of("rows", "-i", url, "db", "t")); // not trusted: the JDK's CAs, the refusal
            }
        } finally {
            server.stop(0);
            for (HttpsServer s : secure) s.stop(0);
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
     * The TLS set-up of a server on loopback, as most servers have it: a fresh RSA key for
     * localhost in a certificate signed by a fresh CA, the CA's certificate written to
     * {@code training-ca.pem} (so the client's chain validation is trained too); null when
     * keytool cannot make them (then the archive lacks the TLS classes: slower, not wrong).
     */
    private static javax.net.ssl.SSLContext serverTls(Path dir) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        String store = dir.resolve("training.p12").toString();
        String ca = dir.resolve("training-ca.pem").toString();
        String csr = dir.resolve("training.csr").toString();
        String leaf = dir.resolve("training.pem").toString();
        List<String> common = List.of("-keystore", store, "-storetype", "PKCS12", "-storepass", "training");
        if (!keytool(keytool, common, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=dclient training CA", "-ext", "bc:c")
                || !keytool(keytool, common, "-exportcert", "-rfc", "-alias", "ca", "-file", ca)
                || !keytool(keytool, common, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                        "-validity", "2", "-dname", "CN=localhost")
                || !keytool(keytool, common, "-certreq", "-alias", "server", "-file", csr)
                || !keytool(keytool, common, "-gencert", "-alias", "ca", "-infile", csr, "-outfile", leaf, "-rfc",
                        "-validity", "2", "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth")
                || !keytool(keytool, common, "-importcert", "-alias", "server", "-file", leaf, "-noprompt")) {
            return null;
        }
        char[] pass = "training".toCharArray();
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(Path.of(store))) {
            ks.load(in, pass);
        }
        ks.deleteEntry("ca"); // the server's only key is its own
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        return ssl;
    }

    private static HttpsServer secureServer(javax.net.ssl.SSLContext ssl, String protocol) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(com.sun.net.httpserver.HttpsParameters params) {
                javax.net.ssl.SSLParameters p = ssl.getDefaultSSLParameters();
                p.setProtocols(new String[] {protocol});
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", Training::answer);
        server.start();
        return server;
    }

    private static boolean keytool(Path keytool, List<String> store, String... args) throws InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        command.addAll(store);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
