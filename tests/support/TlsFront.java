package io.datasette.dclient.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * TLS in front of a plain test server (a {@link HostileServer}, a WireMock server): it accepts
 * TLS on loopback with one of the throwaway certificates in {@code tests/resources/tls} and
 * relays the decrypted bytes both ways, so any plain scenario can be replayed over https://.
 * {@link #handshakes()} counts completed handshakes; {@link #relayed()} counts connections
 * whose bytes reached the backend (none when the client refused the certificate).
 */
public final class TlsFront implements AutoCloseable {
    public static final Path DIR = Path.of("tests/resources/tls");
    /** The CA that signed localhost.p12, other-host.p12 and expired.p12. */
    public static final Path CA = DIR.resolve("ca.pem");

    private final SSLServerSocket server;
    private final int backendPort;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger relayed = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    private TlsFront(SSLServerSocket server, int backendPort) {
        this.server = server;
        this.backendPort = backendPort;
        Sockets.acceptEach(server, open, c -> relay((SSLSocket) c), "tls-front");
    }

    /** TLS with {@code keystore} (a file in tests/resources/tls, password changeit) relaying to 127.0.0.1:{@code backendPort}. */
    public static TlsFront start(String keystore, int backendPort) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(DIR.resolve(keystore))) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        return new TlsFront(s, backendPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code https://localhost:PORT}: the name the good certificates are for. */
    public String baseUrl() {
        return "https://localhost:" + port();
    }

    public int handshakes() {
        return handshakes.get();
    }

    public int relayed() {
        return relayed.get();
    }

    private void relay(SSLSocket client) {
        try {
            client.startHandshake();
            handshakes.incrementAndGet();
            Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
            open.add(backend);
            relayed.incrementAndGet();
            Sockets.pump(backend.getInputStream(), client.getOutputStream(), client, backend);
            Sockets.pump(client.getInputStream(), backend.getOutputStream(), backend, client);
        } catch (IOException e) {
            Sockets.close(client);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) Sockets.close(s);
    }
}
