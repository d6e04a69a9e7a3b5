package io.edgeloop.trainer.base;

import io.edgeloop.protocol.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a catalogue entry into a {@link BaseCache} with the JDK HTTP client and verifies it.
 *
 * <ul>
 *   <li>A cached file with the right size and SHA-256 is used as it is: no request.</li>
 *   <li>Bytes go to {@code <file>.part}; an existing one is resumed with {@code Range: bytes=<size>-}. A server
 *       that ignores the range (200) restarts the file from the beginning; one that refuses it (416) or answers
 *       another range is asked again for the whole file.</li>
 *   <li>Redirects are followed (except https to http); proxies come from {@link ProxyEnvironment}, per host, with
 *       Basic credentials when the proxy URL has them.</li>
 *   <li>{@link DownloadSettings#connectTimeout()} bounds the connection, {@link DownloadSettings#stallTimeout()}
 *       the wait for headers and for every further byte: a server that stops sending fails the download, the
 *       partial file stays for the next attempt.</li>
 *   <li>A body larger than the catalogue's size is cut off; the finished file must match size and SHA-256, else it
 *       is moved to {@code <file>.rejected} and the download fails naming expected and actual values.</li>
 * </ul>
 */
public final class BaseDownloader {

    private static final String USER_AGENT = "edgeloop-trainer/0.1.0 (base pull)";
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final String TUNNEL_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

    private final DownloadSettings settings;

    public BaseDownloader(DownloadSettings settings) {
        this.settings = settings;
    }

    /**
     * The verified file of {@code entry}: from the cache, or downloaded (resuming a partial file) and verified.
     *
     * @throws DownloadException naming the URL and what went wrong
     * @throws IOException       if the cache directory cannot be written
     */
    public DownloadOutcome fetch(BaseEntry entry, BaseCache cache, DownloadListener listener) throws IOException {
        if (cache.holds(entry)) {
            return new DownloadOutcome(cache.file(entry), true, 0, 0);
        }
        Files.createDirectories(cache.dir());
        Path part = cache.partial(entry);
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (have > entry.sizeBytes()) {
            Files.delete(part);
            have = 0;
        }
        Transfer t = new Transfer(have, 0, false);
        if (have < entry.sizeBytes()) {
            HttpClient client = client(entry.uri());
            t = transfer(client, entry, part, have, listener);
            if (t.restart()) {
                // the server would not resume this file: fetch it whole
                Files.deleteIfExists(part);
                t = transfer(client, entry, part, 0, listener);
            }
        }
        return new DownloadOutcome(verify(entry, cache, part), false, t.transferred(), t.start());
    }

    /** One request: the offset it wrote from, the bytes it received, whether to ask again for the whole file. */
    private record Transfer(long start, long transferred, boolean restart) {
    }

    private Transfer transfer(HttpClient client, BaseEntry entry, Path part, long have, DownloadListener listener)
            throws IOException {
        URI uri = entry.uri();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(settings.stallTimeout())
                .header("User-Agent", USER_AGENT).header("Accept-Encoding", "identity");
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = send(client, request.build(), uri);
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            long start;
            if (status == 206 && have > 0) {
                Optional<long[]> range = contentRange(response);
                if (range.isEmpty() || range.get()[0] != have
                        || (range.get()[2] >= 0 && range.get()[2] != entry.sizeBytes())) {
                    return new Transfer(0, 0, true);
                }
                start = have;
            } else if (status == 416 && have > 0) {
                return new Transfer(0, 0, true);
            } else if (status == 200) {
                start = 0; // a server that ignores Range sends the whole file: start again
            } else {
                throw new DownloadException(DownloadException.Kind.HTTP_STATUS, "HTTP " + status + " from " + uri
                        + (status == 404 ? " (not found: the catalogue's URL is wrong or the file moved)" : ""));
            }
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            if (length.isPresent() && length.getAsLong() != entry.sizeBytes() - start) {
                throw new DownloadException(DownloadException.Kind.MISMATCH, uri + " sends " + (start + length
                        .getAsLong()) + " bytes, expected " + entry.sizeBytes() + " (catalogue sizeBytes): not the"
                        + " published file; nothing was kept");
            }
            long received = copy(body, part, start, entry, listener);
            return new Transfer(start, received, false);
        } finally {
            listener.ended();
        }
    }

    private HttpResponse<InputStream> send(HttpClient client, HttpRequest request, URI uri) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new DownloadException(DownloadException.Kind.UNREACHABLE, "cannot connect to " + uri.getHost()
                    + " within " + seconds(settings.connectTimeout()) + " for " + uri, e);
        } catch (HttpTimeoutException e) {
            throw new DownloadException(DownloadException.Kind.INTERRUPTED, "no response from " + uri + " within "
                    + seconds(settings.stallTimeout()), e);
        } catch (ConnectException e) {
            throw new DownloadException(DownloadException.Kind.UNREACHABLE, unreachable(uri, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of " + uri + " interrupted");
        } catch (IOException e) {
            throw new DownloadException(DownloadException.Kind.UNREACHABLE, "cannot reach " + uri + " ("
                    + describe(e) + ")", e);
        }
    }

    /**
     * Copies the body into {@code part} from offset {@code start}, at most up to the expected size. A watchdog
     * closes the body when no byte arrives for the stall timeout, which ends a blocked read.
     */
    private long copy(InputStream body, Path part, long start, BaseEntry entry, DownloadListener listener)
            throws IOException {
        long expected = entry.sizeBytes();
        AtomicLong lastByte = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        long stallNanos = settings.stallTimeout().toNanos();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "base-download-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, settings.stallTimeout().toMillis() / 4);
        watchdog.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastByte.get() > stallNanos && stalled.compareAndSet(false, true)) {
                closeQuietly(body);
            }
        }, period, period, TimeUnit.MILLISECONDS);
        long position = start;
        listener.started(expected, start);
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.truncate(start);
            channel.position(start);
            OutputStream out = Channels.newOutputStream(channel);
            byte[] buffer = new byte[1 << 16];
            while (position < expected) {
                int n;
                try {
                    n = body.read(buffer, 0, (int) Math.min(buffer.length, expected - position));
                } catch (IOException e) {
                    out.flush();
                    channel.force(false);
                    throw interrupted(entry, part, position, stalled.get(), e);
                }
                if (n < 0 || stalled.get()) {
                    out.flush();
                    channel.force(false);
                    throw interrupted(entry, part, position, stalled.get(), null);
                }
                out.write(buffer, 0, n);
                position += n;
                lastByte.set(System.nanoTime());
                listener.progressed(position);
            }
            out.flush();
            channel.force(true);
        } finally {
            watchdog.shutdownNow();
        }
        return position - start;
    }

    private DownloadException interrupted(BaseEntry entry, Path part, long position, boolean stalled,
                                          IOException cause) {
        String what = stalled
                ? "no data from " + entry.uri().getHost() + " for " + seconds(settings.stallTimeout())
                : "the connection closed" + (cause == null ? "" : " (" + describe(cause) + ")");
        return new DownloadException(DownloadException.Kind.INTERRUPTED, "download of " + entry.uri() + " stopped: "
                + what + " after " + position + " of " + entry.sizeBytes() + " bytes; the partial file " + part
                + " is kept and the next pull resumes it", cause);
    }

    private static Path verify(BaseEntry entry, BaseCache cache, Path part) throws IOException {
        long size = Files.size(part);
        String sha = Sha256.hex(part);
        if (size != entry.sizeBytes() || !sha.equals(entry.sha256())) {
            Path rejected = cache.rejected(entry);
            Files.move(part, rejected, StandardCopyOption.REPLACE_EXISTING);
            String problem = size != entry.sizeBytes()
                    ? "size " + size + " bytes, expected " + entry.sizeBytes()
                    : "sha256 " + sha + ", expected " + entry.sha256();
            throw new DownloadException(DownloadException.Kind.MISMATCH, "downloaded " + entry.uri() + " has "
                    + problem + ": not the published file; moved it to " + rejected);
        }
        Path file = cache.file(entry);
        try {
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private HttpClient client(URI first) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).proxy(new EnvironmentProxySelector(settings.proxies()));
        Optional<ProxyAddress> proxy = settings.proxies().forUri(first);
        if (proxy.isPresent() && proxy.get().authenticates()) {
            ProxyAddress p = proxy.get();
            builder.authenticator(new ProxyAuthenticator(p));
            // the JDK refuses Basic credentials for HTTPS tunnels unless told otherwise; only set when unset
            if (System.getProperty(TUNNEL_SCHEMES) == null) {
                System.setProperty(TUNNEL_SCHEMES, "");
            }
        }
        return builder.build();
    }

    /** The {@code [start, end, total]} of a Content-Range header; total -1 when {@code *}. */
    private static Optional<long[]> contentRange(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Content-Range");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = CONTENT_RANGE.matcher(value.get().trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        return Optional.of(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), total});
    }

    private static String unreachable(URI uri, ConnectException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
                return "cannot resolve host " + uri.getHost() + " for " + uri + " (no network or DNS)";
            }
        }
        return "cannot connect to " + uri.getHost() + " for " + uri + " (" + describe(e) + ")";
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.3f s",
                d.toMillis() / 1000.0);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing only unblocks the reader; it reports the stall itself
        }
    }

    /** Picks the proxy per request URI (redirects may change the host), honouring {@code no_proxy}. */
    private static final class EnvironmentProxySelector extends ProxySelector {
        private final ProxyEnvironment proxies;

        EnvironmentProxySelector(ProxyEnvironment proxies) {
            this.proxies = proxies;
        }

        @Override
        public List<Proxy> select(URI uri) {
            return proxies.forUri(uri).map(p -> List.of(new Proxy(Proxy.Type.HTTP, p.socketAddress())))
                    .orElse(List.of(Proxy.NO_PROXY));
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            // the failure reaches the caller as the request's exception
        }
    }

    /** Answers a proxy's authentication challenge with the proxy URL's credentials, and nothing else. */
    private static final class ProxyAuthenticator extends Authenticator {
        private final ProxyAddress proxy;

        ProxyAuthenticator(ProxyAddress proxy) {
            this.proxy = proxy;
        }

        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            if (getRequestorType() != RequestorType.PROXY) {
                return null;
            }
            return new PasswordAuthentication(proxy.user().orElse(""), proxy.password().orElse("").toCharArray());
        }
    }
}
