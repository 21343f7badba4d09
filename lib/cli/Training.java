package io.datasette.dclient.cli;

import com.sun.net.httpserver.HttpServer;
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
 * as fast as {@code --help}. Prints nothing; never touches the user's config.
 *
 * <p>{@code java -cp ... io.datasette.dclient.cli.Training CONFIG_DIR}
 */
public final class Training {
    private static final String PAGE = "{\"ok\": true, \"next\": null, \"next_url\": null,"
            + " \"columns\": [\"id\", \"name\", \"age\"],"
            + " \"rows\": [{\"id\": 1, \"name\": \"Cleo\", \"age\": 5.5}, {\"id\": 2, \"name\": \"Pancakes\", \"age\": null}]}";

    private Training() {}

    public static void main(String[] args) throws IOException {
        Path config = Path.of(args[0]);
        Files.createDirectories(config);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            for (List<String> command : List.of(
                    List.of("rows", "-i", url, "db", "t", "--all"),
                    List.of("rows", "-i", url, "db", "t", "--nl", "--token", "dstok_training"),
                    List.of("query", "-i", url, "db", "select 1", "-t"),
                    List.of("get", "-i", url, "/-/versions.json"))) {
                PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
                // stdout as Context.system() builds it (a channel written by a thread of its own), so its classes are archived
                Stdout out = Stdout.of(java.nio.channels.Channels.newChannel(OutputStream.nullOutputStream()));
                Context ctx = Context.builder().stdout(out).err(nowhere).configDir(config)
                        .env(Map.of("DCLIENT_CONFIG_DIR", config.toString())).build();
                Main.run(command.toArray(String[]::new), ctx);
            }
        } finally {
            server.stop(0);
        }
    }
}
