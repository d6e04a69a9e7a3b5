package io.edgeloop.protocol.signing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys as PEM files: private keys as PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), written with owner-only
 * permissions and refused when group or others can read them (as ssh does); public keys as X.509
 * SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}). The same formats {@code openssl genpkey -algorithm
 * ed25519} and {@code openssl pkey -pubout} write. Existing files are never overwritten.
 */
public final class KeyFiles {

    static final String PRIVATE_TYPE = "PRIVATE KEY";
    static final String PUBLIC_TYPE = "PUBLIC KEY";
    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final List<String> OTHER_ALGORITHMS = List.of("RSA", "EC", "Ed448", "X25519", "X448", "DSA");

    private KeyFiles() {
    }

    /**
     * Writes a private key as PKCS#8 PEM, readable and writable by the owner only (on POSIX file systems).
     *
     * @throws KeyFileException if the file exists (never overwritten) or cannot be written
     */
    public static void writePrivateKey(Path file, PrivateKey key) throws KeyFileException {
        requireEd25519(String.valueOf(file), key.getAlgorithm());
        write(file, pem(PRIVATE_TYPE, key.getEncoded()), true);
    }

    /**
     * Writes a public key as X.509 SubjectPublicKeyInfo PEM.
     *
     * @throws KeyFileException if the file exists (never overwritten) or cannot be written
     */
    public static void writePublicKey(Path file, PublicKey key) throws KeyFileException {
        requireEd25519(String.valueOf(file), key.getAlgorithm());
        write(file, pem(PUBLIC_TYPE, key.getEncoded()), false);
    }

    /**
     * Reads an Ed25519 private key from a PKCS#8 PEM file. What the file holds is checked before its permissions, so
     * a public key or another file given by mistake is named as such rather than met with "chmod 600" advice.
     *
     * @throws KeyFileException if the file is missing, not PEM, another PEM type, not an Ed25519 key, or readable by
     *                          group or others
     */
    public static PrivateKey readPrivateKey(Path file) throws KeyFileException {
        Objects.requireNonNull(file, "file");
        PrivateKey key = parsePrivateKey(read(file), file.toString());
        checkOwnerOnly(file);
        return key;
    }

    /**
     * Reads an Ed25519 public key from an X.509 SubjectPublicKeyInfo PEM file.
     *
     * @throws KeyFileException if the file is missing, not PEM, another PEM type, or not an Ed25519 key
     */
    public static PublicKey readPublicKey(Path file) throws KeyFileException {
        Objects.requireNonNull(file, "file");
        return parsePublicKey(read(file), file.toString());
    }

    /** Parses PKCS#8 PEM text; {@code source} names it in errors. */
    public static PrivateKey parsePrivateKey(String pem, String source) throws KeyFileException {
        byte[] der = decodePem(pem, PRIVATE_TYPE, "PKCS#8 private key", source);
        try {
            return KeyFactory.getInstance(SigningKeys.ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new KeyFileException(source, notEd25519(der, true), e);
        }
    }

    /** Parses X.509 SubjectPublicKeyInfo PEM text; {@code source} names it in errors. */
    public static PublicKey parsePublicKey(String pem, String source) throws KeyFileException {
        byte[] der = decodePem(pem, PUBLIC_TYPE, "X.509 SubjectPublicKeyInfo public key", source);
        try {
            return KeyFactory.getInstance(SigningKeys.ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new KeyFileException(source, notEd25519(der, false), e);
        }
    }

    /** PEM text for DER bytes: the base64 body wrapped at 64 characters, with a trailing newline. */
    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] decodePem(String pem, String type, String what, String source) throws KeyFileException {
        Objects.requireNonNull(pem, "pem");
        String allowed = "allowed PEM text with one -----BEGIN " + type + "----- block (" + what + ")";
        Matcher begin = BEGIN.matcher(pem);
        if (!begin.find()) {
            throw new KeyFileException(source, "not a PEM file (no -----BEGIN ...----- line), " + allowed);
        }
        String found = begin.group(1);
        if (!found.equals(type)) {
            String hint = found.equals(PUBLIC_TYPE) || found.equals(PRIVATE_TYPE)
                    ? " (a " + (found.equals(PUBLIC_TYPE) ? "public" : "private") + " key where a "
                            + (type.equals(PUBLIC_TYPE) ? "public" : "private") + " key belongs)"
                    : "";
            throw new KeyFileException(source, "PEM block is " + found + hint + ", " + allowed);
        }
        String end = "-----END " + type + "-----";
        int endAt = pem.indexOf(end, begin.end());
        if (endAt < 0) {
            throw new KeyFileException(source, "PEM block " + type + " has no " + end + " line, " + allowed);
        }
        if (BEGIN.matcher(pem.substring(endAt + end.length())).find()) {
            throw new KeyFileException(source, "more than one PEM block, " + allowed);
        }
        String body = pem.substring(begin.end(), endAt).replaceAll("\\s+", "");
        if (body.isEmpty()) {
            throw new KeyFileException(source, "PEM block " + type + " is empty, " + allowed);
        }
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(source, "PEM body is not base64 (" + e.getMessage() + "), " + allowed, e);
        }
    }

    /** Explains why DER bytes are not an Ed25519 key: another algorithm (named) or no valid key at all. */
    private static String notEd25519(byte[] der, boolean isPrivate) {
        for (String algorithm : OTHER_ALGORITHMS) {
            try {
                KeyFactory factory = KeyFactory.getInstance(algorithm);
                if (isPrivate) {
                    factory.generatePrivate(new PKCS8EncodedKeySpec(der));
                } else {
                    factory.generatePublic(new X509EncodedKeySpec(der));
                }
                return "holds a " + algorithm + " key, allowed an Ed25519 key";
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm either; try the next
            }
        }
        return "PEM body is not a valid " + (isPrivate ? "PKCS#8 private" : "X.509 public") + " key, allowed an"
                + " Ed25519 key";
    }

    private static void requireEd25519(String source, String algorithm) throws KeyFileException {
        if (!SigningKeys.ALGORITHM.equals(algorithm) && !"EdDSA".equals(algorithm)) {
            throw new KeyFileException(source, "key is " + algorithm + ", allowed Ed25519");
        }
    }

    private static String read(Path file) throws KeyFileException {
        try {
            // Decoded leniently: PEM is ASCII, and a binary file must reach the PEM check ("not a PEM file") instead
            // of failing in the charset decoder.
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new KeyFileException(file, "key file not found", e);
        } catch (IOException e) {
            throw new KeyFileException(file, "cannot read (" + e + ")", e);
        }
    }

    private static void checkOwnerOnly(Path file) throws KeyFileException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null || !Files.exists(file)) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            if (permissions.stream().anyMatch(p -> !p.name().startsWith("OWNER"))) {
                throw new KeyFileException(file.toString(), "private key permissions are "
                        + PosixFilePermissions.toString(permissions) + ", allowed owner-only (rw------- or r--------;"
                        + " chmod 600)");
            }
        } catch (IOException e) {
            throw new KeyFileException(file, "cannot read permissions (" + e + ")", e);
        }
    }

    private static void write(Path file, String text, boolean ownerOnly) throws KeyFileException {
        Objects.requireNonNull(file, "file");
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        Path absolute = file.toAbsolutePath();
        boolean posix = Files.getFileAttributeView(absolute.getParent() == null ? absolute : absolute.getParent(),
                PosixFileAttributeView.class) != null;
        FileAttribute<?>[] attributes = ownerOnly && posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        boolean created = false;
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            try (FileChannel channel = FileChannel.open(absolute,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
                created = true;
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (ownerOnly && posix) {
                // The umask can only remove bits; set them explicitly so the file is exactly rw-------.
                Files.setPosixFilePermissions(absolute, OWNER_ONLY);
            }
        } catch (FileAlreadyExistsException e) {
            throw new KeyFileException(file, "already exists; refusing to overwrite a key file", e);
        } catch (IOException e) {
            if (created) {
                try {
                    Files.deleteIfExists(absolute);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new KeyFileException(file, "cannot write (" + e + ")", e);
        }
    }
}
