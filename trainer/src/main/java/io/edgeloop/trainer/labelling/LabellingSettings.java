package io.edgeloop.trainer.labelling;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code trainer label serve} serves and where. Validated; messages name the options as the command spells them.
 *
 * @param inbox    the inbox ({@code --inbox}, the collector's {@code DIR/inbox})
 * @param data     the ImageFolder training tree ({@code --data}): its class folders are known labels, and the export
 *                 button copies labelled examples into it
 * @param host     the address to bind ({@code --host}); loopback by default
 * @param port     the port ({@code --port}), 0 for any free one
 * @param token    the access token ({@code --token}, 12-256 of {@code A-Za-z0-9._~-}); required off loopback,
 *                 generated there when not given
 */
public record LabellingSettings(Path inbox, Path data, String host, int port, Optional<String> token) {

    /** The default bind address: this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{12,256}");
    private static final Pattern TOKEN_CHARS = Pattern.compile("[A-Za-z0-9._~-]*");

    public LabellingSettings {
        if (inbox == null || !Files.isDirectory(inbox)) {
            throw new IllegalArgumentException("--inbox " + (inbox == null ? "is missing" : inbox + " not found")
                    + ", allowed the inbox directory 'trainer collect --dir DIR' fills (DIR/inbox)");
        }
        if (data == null || !Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + (data == null ? "is missing" : data + " not found")
                    + ", allowed an ImageFolder training tree <label>/<image> with a folder per class");
        }
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port is " + port + ", allowed 0 (any free port) to 65535");
        }
        Objects.requireNonNull(token, "token");
        if (token.isPresent() && !TOKEN.matcher(token.get()).matches()) {
            throw new IllegalArgumentException("--token is " + token.get().length() + " character(s) long"
                    + (TOKEN_CHARS.matcher(token.get()).matches() ? "" : " with characters outside the allowed ones")
                    + ", allowed 12 to 256"
                    + " characters A-Z a-z 0-9 . _ ~ - (safe in a URL and a cookie)");
        }
    }

    /** Loopback on a free port, no token. */
    public static LabellingSettings local(Path inbox, Path data) {
        return new LabellingSettings(inbox, data, LOOPBACK, 0, Optional.empty());
    }

    /**
     * The address to bind.
     *
     * @throws IllegalArgumentException if {@code host} does not resolve
     */
    public InetAddress address() {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host is \"" + host + "\", allowed an address or name of this"
                    + " machine (default " + LOOPBACK + ")", e);
        }
    }
}
