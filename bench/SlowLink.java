import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A far-away server on loopback, for bench/network: a TCP relay that puts a round-trip delay
 * and a bandwidth cap between its clients and a server (JDK 17, no dependencies).
 *
 * <pre>
 * java SlowLink --to HOST:PORT [--listen HOST:PORT] [--rtt-ms 40] [--mbit 50]
 *               [--port-file FILE] [--max-seconds 3600]
 * </pre>
 *
 * Each accepted connection gets its own connection to --to. What the relay reads in one
 * direction comes out at the other end half a round trip later, after the bytes ahead of it in
 * that direction have had their turn at --mbit (0: no cap), so a large answer takes
 * size / bandwidth plus the delay, and a small request just the delay. The two directions of a
 * connection are independent (as on a real full-duplex link; each has its own cap), and
 * connections do not share the cap (a link with one per connection: the slow part is the round
 * trip, which is what requests in flight overlap). Opening a connection costs a full round trip
 * before the first byte moves (the TCP handshake). An end of stream is passed on in order, after
 * the bytes before it; when both directions have ended, both sockets are closed.
 *
 * With --listen port 0 (the default 127.0.0.1:0) the system picks the port, written to
 * --port-file once the relay accepts connections. It exits after --max-seconds, so that a
 * relay whose bench run died does not stay behind for hours.
 */
public class SlowLink {
    public static void main(String[] args) throws Exception {
        String listen = "127.0.0.1:0", to = null;
        double rttMs = 40, mbit = 50, maxSeconds = 3600;
        Path portFile = null;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--listen" -> listen = v;
                case "--to" -> to = v;
                case "--rtt-ms" -> rttMs = Double.parseDouble(v);
                case "--mbit" -> mbit = Double.parseDouble(v);
                case "--port-file" -> portFile = Path.of(v);
                case "--max-seconds" -> maxSeconds = Double.parseDouble(v);
                default -> {
                    System.err.println("SlowLink: unknown option " + args[i]);
                    System.exit(2);
                }
            }
            i++;
        }
        if (to == null || listen == null || rttMs < 0 || mbit < 0) {
            System.err.println("usage: SlowLink --to HOST:PORT [--listen HOST:PORT] [--rtt-ms MS] [--mbit MBIT] [--port-file FILE]");
            System.exit(2);
        }
        InetSocketAddress target = address(to);
        long oneWayNs = Math.round(rttMs * 1e6 / 2);
        double nsPerByte = mbit == 0 ? 0 : 8e9 / (mbit * 1e6);

        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address(listen), 128);
        if (portFile != null) {
            // written whole, then renamed, so a reader never sees half a number
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(server.getLocalPort()));
            Files.move(tmp, portFile);
        }
        System.err.printf("SlowLink: %s -> %s, round trip %s ms, %s Mbit/s%n",
                server.getLocalSocketAddress(), target, rttMs, mbit == 0 ? "unlimited" : mbit);
        long lifeNs = (long) (maxSeconds * 1e9);
        daemon(() -> {
            LockSupport.parkNanos(lifeNs);
            System.err.println("SlowLink: --max-seconds reached");
            System.exit(0);
        });
        while (true) {
            Socket client = server.accept();
            daemon(() -> relay(client, target, oneWayNs, nsPerByte));
        }
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon <= 0 ? "127.0.0.1" : hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    static Thread daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void relay(Socket client, InetSocketAddress target, long oneWayNs, double nsPerByte) {
        try (client; Socket server = new Socket()) {
            server.connect(target, 10_000);
            // The relay's own buffering must not add delay: every chunk is written as it falls due.
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            LockSupport.parkNanos(2 * oneWayNs); // the handshake's round trip
            Thread up = daemon(new Direction(client, server, oneWayNs, nsPerByte)::run);
            new Direction(server, client, oneWayNs, nsPerByte).run();
            up.join();
        } catch (IOException | InterruptedException e) {
            // the target refused or went away: the client sees its connection closed
        }
    }

    /**
     * One direction of a connection: a reader stamps each chunk with the time it reaches the far
     * end, a writer hands it over at that time. The reader never waits for the writer, so the
     * sender sees the link's buffer, not the far end's pace (as with a real link's queue).
     */
    static final class Direction {
        private static final byte[] END = new byte[0];

        private final Socket from, to;
        private final long oneWayNs;
        private final double nsPerByte;
        private final BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        /** When the last chunk queued has gone through the bandwidth cap (System.nanoTime). */
        private long wireFreeAt = Long.MIN_VALUE;

        Direction(Socket from, Socket to, long oneWayNs, double nsPerByte) {
            this.from = from;
            this.to = to;
            this.oneWayNs = oneWayNs;
            this.nsPerByte = nsPerByte;
        }

        void run() {
            Thread writer = daemon(this::deliver);
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                int n;
                while ((n = in.read(buf)) > 0) stamp(Arrays.copyOf(buf, n));
            } catch (IOException e) {
                // a reset reads as the end of this direction
            }
            stamp(END);
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void stamp(byte[] chunk) {
            long now = System.nanoTime();
            long start = wireFreeAt == Long.MIN_VALUE || wireFreeAt - now < 0 ? now : wireFreeAt;
            wireFreeAt = start + Math.round(chunk.length * nsPerByte);
            queue.add(new Object[] {wireFreeAt + oneWayNs, chunk});
        }

        private void deliver() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Object[] item = queue.take();
                    long due = (Long) item[0];
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
                    byte[] chunk = (byte[]) item[1];
                    if (chunk == END) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(chunk);
                }
            } catch (IOException e) {
                // the far end is gone: stop reading this direction too (both sockets close after)
                try {
                    from.close();
                } catch (IOException ignored) {
                    // nothing left to do
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
