package io.edgeloop.trainer.labelling;

import com.sun.net.httpserver.HttpServer;
import io.edgeloop.trainer.collect.Inbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running labelling web app ({@code trainer label serve}). Bound to loopback it needs no token; bound to any
 * other address it refuses every request without the token (the one given, or a generated one: 24 random bytes).
 * Closing it stops accepting, lets running requests finish for up to a second and stops its threads.
 *
 * <pre>{@code
 * try (LabellingServer app = LabellingServer.start(LabellingSettings.local(inbox, train), Clock.systemUTC())) {
 *     System.out.println("Open " + app.uri());
 *     ...
 * }
 * }</pre>
 */
public final class LabellingServer implements AutoCloseable {

    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI uri;
    private final Optional<String> token;

    private LabellingServer(HttpServer server, ExecutorService executor, URI uri, Optional<String> token) {
        this.server = server;
        this.executor = executor;
        this.uri = uri;
        this.token = token;
    }

    /**
     * Opens the inbox and starts serving.
     *
     * @throws IllegalArgumentException if the host does not resolve
     * @throws IOException              if the inbox cannot be read or the port cannot be bound (named)
     */
    public static LabellingServer start(LabellingSettings settings, Clock clock) throws IOException {
        Objects.requireNonNull(settings, "settings");
        InetAddress address = settings.address();
        boolean loopback = address.isLoopbackAddress();
        Optional<String> token = loopback ? settings.token() : Optional.of(settings.token().orElseGet(
                LabellingServer::newToken));
        Inbox inbox = Inbox.openExisting(settings.inbox());
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, settings.port()), 0);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + " ("
                    + e.getMessage() + "), allowed a free --port or 0 for any", e);
        }
        int port = server.getAddress().getPort();
        String shownHost = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        Access access = token.isPresent() ? Access.withToken(token.get()) : Access.loopback(port, shownHost);
        server.createContext("/", new HttpRoutes(new LabellingApi(inbox, settings.data(), clock), access));
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "label-web-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        URI uri = URI.create("http://" + (address.isAnyLocalAddress() ? hostName(settings.host()) : shownHost) + ":"
                + port + "/" + token.map(t -> "?token=" + t).orElse(""));
        return new LabellingServer(server, executor, uri, token);
    }

    /** The URL to open (with {@code ?token=} when a token is required). */
    public URI uri() {
        return uri;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The token required, if bound off loopback (or given on loopback). */
    public Optional<String> token() {
        return token;
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** This machine's name for the URL when bound to every address ({@code 0.0.0.0}), else {@code host}. */
    private static String hostName(String host) {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return host;
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
