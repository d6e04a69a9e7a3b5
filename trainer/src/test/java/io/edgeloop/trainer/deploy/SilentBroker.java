package io.edgeloop.trainer.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broker that accepts one MQTT 5 connection (CONNACK, success) and then reads everything without ever answering
 * again: no SUBACK, no PUBACK. Stands in for a broker that hangs after accepting a client.
 */
final class SilentBroker implements AutoCloseable {

    /** CONNACK: no session present, reason code success, no properties. */
    private static final byte[] CONNACK = {0x20, 0x03, 0x00, 0x00, 0x00};

    private final ServerSocket server;
    private final Thread thread;
    private final AtomicLong afterConnect = new AtomicLong();
    private volatile Socket client;

    private SilentBroker(ServerSocket server) {
        this.server = server;
        this.thread = new Thread(this::serve, "silent-broker");
        this.thread.setDaemon(true);
    }

    static SilentBroker start() throws IOException {
        SilentBroker broker = new SilentBroker(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        broker.thread.start();
        return broker;
    }

    String uri() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** Bytes the client sent after its CONNECT (its publishes and subscriptions). */
    long bytesAfterConnect() {
        return afterConnect.get();
    }

    private void serve() {
        try (Socket socket = server.accept()) {
            client = socket;
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            skipPacket(in);
            out.write(CONNACK);
            out.flush();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                afterConnect.addAndGet(n);
            }
        } catch (IOException e) {
            // closed by the test or by the client
        }
    }

    /** Reads one MQTT packet: fixed header byte, variable-length remaining length, body. */
    private static void skipPacket(InputStream in) throws IOException {
        if (in.read() < 0) {
            throw new IOException("closed before CONNECT");
        }
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.read();
            if (b < 0) {
                throw new IOException("closed in the CONNECT header");
            }
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket socket = client;
        if (socket != null) {
            socket.close();
        }
    }
}
