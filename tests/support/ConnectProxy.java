package io.datasette.dclient.testing;

import java.io.ByteArrayOutputStream;
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
        Thread t = new Thread(this::accept, "connect-proxy");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The heads of the CONNECT requests received. */
    public List<String> heads() {
        return heads;
    }

    private void accept() {
        while (true) {
            Socket c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;
            }
            open.add(c);
            Thread t = new Thread(() -> serve(c), "connect-proxy-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket c) {
        try {
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            String head = head(in);
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
            pump(target.getInputStream(), out, c, target);
            pump(in, target.getOutputStream(), target, c);
        } catch (IOException e) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        for (int c; (c = in.read()) != -1; ) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) return b.toString(StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    private static void pump(InputStream in, OutputStream out, Socket a, Socket b) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            }
            try {
                a.close();
                b.close();
            } catch (IOException ignored) {
                // closing
            }
        }, "connect-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }
}
