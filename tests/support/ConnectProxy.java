package io.datasette.dclient.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy that only tunnels: it reads a {@code CONNECT host:port} request, records its head,
 * looks the host up in its own table (names the client cannot resolve), answers 200 and relays
 * bytes both ways. With {@link #requireAuth} set, a request without that
 * {@code Proxy-Authorization} value gets 407.
 */
public final class ConnectProxy implements AutoCloseable {
    private final ServerSocket server;
    private final Map<String, Integer> hosts;
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    public volatile String requireAuth;

    /** @param hosts "name:port" the proxy can reach, to the loopback port it really is */
    public ConnectProxy(Map<String, Integer> hosts) throws IOException {
        this.hosts = hosts;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Sockets.acceptEach(server, open, this::serve, "connect-proxy");
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The heads of the CONNECT requests received. */
    public List<String> heads() {
        return heads;
    }

    private void serve(Socket c) {
        try {
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            String head = Sockets.readHead(in);
            if (head == null) return;
            heads.add(head);
            String[] first = head.split("\r\n")[0].split(" ");
            String auth = null;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("proxy-authorization:")) auth = line.substring(20).trim();
            }
            if (requireAuth != null && !requireAuth.equals(auth)) {
                out.write("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                c.close();
                return;
            }
            Integer port = first.length == 3 && first[0].equals("CONNECT") ? hosts.get(first[1]) : null;
            if (port == null) {
                out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                c.close();
                return;
            }
            Socket target = new Socket(InetAddress.getLoopbackAddress(), port);
            open.add(target);
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Sockets.pump(target.getInputStream(), out, c, target);
            Sockets.pump(in, target.getOutputStream(), target, c);
        } catch (IOException e) {
            Sockets.close(c);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }
}
