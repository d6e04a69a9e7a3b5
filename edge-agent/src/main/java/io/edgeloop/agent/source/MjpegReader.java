package io.edgeloop.agent.source;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses a {@code multipart/x-mixed-replace} MJPEG stream into JPEG parts. Uses each part's Content-Length when
 * present, else scans for the next boundary; a part larger than the limit fails the stream (a broken or hostile
 * camera must not exhaust memory).
 */
public final class MjpegReader {

    private final InputStream in;
    private final byte[] delimiter;
    private final int maxFrameBytes;

    /**
     * @param boundary the boundary from the Content-Type header (without leading dashes)
     */
    public MjpegReader(InputStream in, String boundary, int maxFrameBytes) {
        this.in = new BufferedInputStream(in, 64 << 10);
        String b = boundary.startsWith("--") ? boundary : "--" + boundary;
        this.delimiter = b.getBytes(StandardCharsets.ISO_8859_1);
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Extracts the boundary parameter of a multipart Content-Type, or throws naming the header. */
    public static String boundary(String contentType) throws IOException {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            throw new IOException("Content-Type is '" + contentType + "', expected multipart/x-mixed-replace");
        }
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9).trim();
                if (b.startsWith("\"") && b.endsWith("\"") && b.length() >= 2) {
                    b = b.substring(1, b.length() - 1);
                }
                if (!b.isEmpty()) {
                    return b;
                }
            }
        }
        throw new IOException("Content-Type '" + contentType + "' has no boundary parameter");
    }

    /** Reads the next part's body; null at a clean end of stream. */
    public byte[] next() throws IOException {
        // find the boundary line
        String line;
        do {
            line = readLine();
            if (line == null) {
                return null;
            }
        } while (!line.startsWith(new String(delimiter, StandardCharsets.ISO_8859_1)));
        if (line.endsWith("--")) {
            return null; // closing boundary
        }
        int length = -1;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                try {
                    length = Integer.parseInt(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IOException("MJPEG part has Content-Length '" + line.substring(colon + 1).trim()
                            + "', expected a number");
                }
                if (length < 0 || length > maxFrameBytes) {
                    throw new IOException("MJPEG part has Content-Length " + length + ", allowed 0.." + maxFrameBytes);
                }
            }
        }
        if (line == null) {
            throw new EOFException("MJPEG stream ended inside part headers");
        }
        if (length >= 0) {
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                throw new EOFException("MJPEG stream ended inside a part (" + body.length + " of " + length
                        + " bytes)");
            }
            return body;
        }
        return readUntilBoundary();
    }

    /** Reads bytes up to (not including) CRLF + delimiter, leaving the delimiter to be read as the next line. */
    private byte[] readUntilBoundary() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 10);
        byte[] marker = new byte[delimiter.length + 2];
        marker[0] = '\r';
        marker[1] = '\n';
        System.arraycopy(delimiter, 0, marker, 2, delimiter.length);
        int matched = 0;
        while (true) {
            in.mark(marker.length);
            int b = in.read();
            if (b < 0) {
                throw new EOFException("MJPEG stream ended inside a part");
            }
            if (b == (marker[matched] & 0xFF)) {
                matched++;
                if (matched == marker.length) {
                    // put the delimiter back for next(): re-read it as a line start
                    pushBack = new String(delimiter, StandardCharsets.ISO_8859_1);
                    return out.toByteArray();
                }
                continue;
            }
            if (matched > 0) {
                out.write(marker, 0, matched);
                matched = 0;
                if (b == (marker[0] & 0xFF)) {
                    matched = 1;
                    continue;
                }
            }
            out.write(b);
            if (out.size() > maxFrameBytes) {
                throw new IOException("MJPEG part exceeds " + maxFrameBytes + " bytes without a boundary");
            }
        }
    }

    private String pushBack;

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        if (pushBack != null) {
            sb.append(pushBack);
            pushBack = null;
        }
        int b;
        int count = 0;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) b);
            if (++count > 8192) {
                throw new IOException("MJPEG header line longer than 8192 bytes");
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
