package io.edgeloop.agent.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fault-injecting TCP proxy on a loopback port, between the agent and the broker. Faults, each on every open
 * connection at once:
 * <ul>
 *   <li>{@link #cut}: closes both sides with a FIN;</li>
 *   <li>{@link #reset}: closes both sides with a RST (linger 0);</li>
 *   <li>{@link #delay}: each chunk is held this long before it is forwarded;</li>
 *   <li>{@link Mode#STALL}: nothing is read any more (TCP back-pressure; the bytes flow again on
 *       {@link Mode#PASS});</li>
 *   <li>{@link Mode#HALF_OPEN}: bytes are read and thrown away both ways, the sockets stay open (a peer that vanished
 *       without a FIN or RST: only timeouts tell);</li>
 *   <li>{@link Mode#DOWN}: new connections are accepted and closed at once (the broker unreachable).</li>
 * </ul>
 */
final class FaultProxy implements AutoCloseable {

    /** How bytes are forwarded. */
    enum Mode { PASS, STALL, HALF_OPEN, DOWN }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket[]> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile Mode mode = Mode.PASS;
    private volatile long delayMillis;
    private volatile boolean closed;

    FaultProxy(int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String uri() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    void mode(Mode newMode) {
        synchronized (this) {
            mode = newMode;
            notifyAll();
        }
    }

    void delay(long millis) {
        delayMillis = millis;
    }

    /** Closes every open connection with a FIN (both sides). */
    void cut() {
        closeAll(false);
    }

    /** Closes every open connection with a RST (both sides). */
    void reset() {
        closeAll(true);
    }

    private void closeAll(boolean rst) {
        for (Socket[] pair : connections) {
            for (Socket s : pair) {
                try {
                    if (rst) {
                        s.setSoLinger(true, 0);
                    }
                    s.close();
                } catch (IOException e) {
                    // already gone
                }
            }
            connections.remove(pair);
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (mode == Mode.DOWN) {
                quietClose(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 2000);
            } catch (IOException e) {
                quietClose(client);
                quietClose(upstream);
                continue;
            }
            Socket[] pair = {client, upstream};
            connections.add(pair);
            pump(client, upstream, pair, "up");
            pump(upstream, client, pair, "down");
        }
    }

    private void pump(Socket from, Socket to, Socket[] pair, String direction) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 << 10];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    awaitNotStalled();
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    long delay = delayMillis;
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    if (mode == Mode.HALF_OPEN) {
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed or was cut: close the other
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                quietClose(from);
                quietClose(to);
                connections.remove(pair);
            }
        }, "fault-proxy-" + direction);
        t.setDaemon(true);
        t.start();
    }

    private void awaitNotStalled() throws InterruptedException {
        synchronized (this) {
            while (mode == Mode.STALL && !closed) {
                wait(100);
            }
        }
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        mode(Mode.PASS);
        server.close();
        closeAll(false);
    }
}
