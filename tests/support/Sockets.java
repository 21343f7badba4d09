package io.datasette.dclient.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/** What the raw-socket test servers (TlsFront, ConnectProxy, keep-alive fakes) share. */
public final class Sockets {
    private Sockets() {}

    /** Accepts connections on a daemon thread, each served on a daemon thread of its own; they are added to {@code open}. */
    public static void acceptEach(ServerSocket server, List<Socket> open, Consumer<Socket> serve, String name) {
        daemon(() -> {
            while (true) {
                Socket c;
                try {
                    c = server.accept();
                } catch (IOException e) {
                    return; // closed
                }
                open.add(c);
                daemon(() -> serve.accept(c), name + "-conn");
            }
        }, name);
    }

    /** An HTTP request or response head, up to and with its blank line (ISO-8859-1); null at the end of input. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        for (int c; (c = in.read()) != -1; ) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) return b.toString(StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    /** Copies {@code in} to {@code out} on a daemon thread; at the end of either, closes {@code both}. */
    public static void pump(InputStream in, OutputStream out, Socket... both) {
        daemon(() -> {
            byte[] buf = new byte[16384];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            }
            for (Socket s : both) close(s);
        }, "pump");
    }

    public static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }
}
