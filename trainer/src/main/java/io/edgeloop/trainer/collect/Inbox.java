package io.edgeloop.trainer.collect;

import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.protocol.files.AtomicFiles;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.mqtt.HardExample;
import io.edgeloop.protocol.preprocess.DifferenceHash;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The on-disk inbox of hard examples: {@code <inbox>/<device>/<camera>/<stem>.jpg} with a JSON sidecar
 * {@code <stem>.json} ({@link ExampleSidecar}). The JPEG is written first and the sidecar last, both atomically, so
 * an example exists exactly when its sidecar does; a JPEG without a sidecar (crash in between) is rewritten when the
 * example is delivered again. Keeps an index of image hashes for duplicate detection, built from the sidecars when
 * opened. Thread-safe; several processes may read it while one collector writes.
 *
 * <p>Labelling writes go through one lock per inbox ({@link InboxLock}, across threads and processes). Each entry
 * carries a version ({@link InboxEntry#etag()}, a hash of its sidecar's bytes); {@link #replace} writes only if the
 * sidecar still has the version the writer read, so two people answering the same example at once cannot overwrite
 * each other: the second is told who answered first.
 */
public final class Inbox {

    /** A stored example found similar to a new one. */
    public record Match(String id, int distance) {
    }

    /**
     * One conditional write of {@link #replaceAll}.
     *
     * @param sidecar      the new sidecar
     * @param expectedEtag the version the writer read
     */
    public record Replacement(ExampleSidecar sidecar, String expectedEtag) {

        public Replacement {
            Objects.requireNonNull(sidecar, "sidecar");
            Objects.requireNonNull(expectedEtag, "expectedEtag");
        }
    }

    private final Path dir;
    private final InboxLock lock;
    private final Map<String, String> idBySha256 = new HashMap<>();
    private long[] hashes = new long[64];
    private final List<String> hashIds = new ArrayList<>();

    private Inbox(Path dir) throws IOException {
        this.dir = dir;
        this.lock = new InboxLock(dir);
    }

    /**
     * Opens (creating it if needed) the inbox in {@code dir} and indexes the examples already there.
     *
     * @throws IOException if the directory cannot be created or a sidecar is unreadable or invalid (named)
     */
    public static Inbox open(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Files.createDirectories(dir);
        Inbox inbox = new Inbox(dir);
        for (InboxEntry e : inbox.list()) {
            inbox.index(e.sidecar());
        }
        return inbox;
    }

    /**
     * Opens an existing inbox for labelling; does not create it.
     *
     * @throws IOException naming the directory if it does not exist
     */
    public static Inbox openExisting(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "inbox directory not found");
        }
        return open(dir);
    }

    /** The inbox directory. */
    public Path dir() {
        return dir;
    }

    /** The stored example with the same image bytes, if any. */
    public synchronized Optional<String> exactDuplicate(String imageSha256) {
        return Optional.ofNullable(idBySha256.get(imageSha256));
    }

    /** The closest stored example whose difference hash is within {@code maxDistance} bits, if any. */
    public synchronized Optional<Match> nearDuplicate(long dhash, int maxDistance) {
        Match best = null;
        for (int i = 0; i < hashIds.size(); i++) {
            int d = DifferenceHash.distance(dhash, hashes[i]);
            if (d <= maxDistance && (best == null || d < best.distance())) {
                best = new Match(hashIds.get(i), d);
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Stores an example: the JPEG, then the sidecar, each atomically and forced to disk. Returns once both are
     * durable, so the caller may acknowledge the message.
     *
     * @return the stored entry
     */
    public synchronized InboxEntry store(HardExample example, byte[] jpeg, long dhash, String topic,
                                         Instant receivedAt) throws IOException {
        ExampleId id = ExampleId.of(example.device(), example.camera(), example.capturedAt(), example.seq(),
                example.imageSha256());
        ExampleSidecar sidecar = ExampleSidecar.of(id, topic, receivedAt, example, dhash);
        Path image = imageFile(id);
        Path json = sidecarFile(id);
        AtomicFiles.replace(image, jpeg);
        byte[] bytes = ProtocolJson.prettyWriter().writeValueAsBytes(sidecar);
        AtomicFiles.replace(json, bytes);
        index(sidecar);
        return new InboxEntry(sidecar, image, json, etag(bytes));
    }

    /** Replaces an example's sidecar (for labelling), atomically, whatever its version. */
    public void update(ExampleSidecar sidecar) throws IOException {
        ExampleId id = ExampleId.parse(sidecar.id());
        lock.with(() -> write(id, sidecar));
    }

    /**
     * Replaces an example's sidecar atomically if it still has the version {@code expectedEtag}: the compare and the
     * write happen under the inbox lock, so of two writers that read the same version exactly one succeeds.
     *
     * @return the example as written, with its new version
     * @throws StaleExampleException if the sidecar has another version now (carrying the current example)
     * @throws NoSuchFileException   if there is no such example
     */
    public InboxEntry replace(ExampleSidecar sidecar, String expectedEtag) throws IOException, StaleExampleException {
        Objects.requireNonNull(expectedEtag, "expectedEtag");
        ExampleId id = ExampleId.parse(sidecar.id());
        return lock.with(() -> {
            InboxEntry current = get(id).orElseThrow(() -> new NoSuchFileException(sidecarFile(id).toString(), null,
                    "no such example " + id));
            if (!current.etag().equals(expectedEtag)) {
                throw new StaleExampleException(current, expectedEtag);
            }
            return write(id, sidecar);
        });
    }

    /**
     * Replaces several sidecars if every one still has the version its writer read: all are checked under the inbox
     * lock before the first is written, so a batch (a CSV import) is applied whole or not at all.
     *
     * @return the examples as written, in order
     * @throws StaleExampleException for the first example that changed (nothing written)
     */
    public List<InboxEntry> replaceAll(List<Replacement> replacements) throws IOException, StaleExampleException {
        List<Replacement> all = List.copyOf(replacements);
        return lock.with(() -> {
            for (Replacement r : all) {
                ExampleId id = ExampleId.parse(r.sidecar().id());
                InboxEntry current = get(id).orElseThrow(() -> new NoSuchFileException(sidecarFile(id).toString(),
                        null, "no such example " + id));
                if (!current.etag().equals(r.expectedEtag())) {
                    throw new StaleExampleException(current, r.expectedEtag());
                }
            }
            List<InboxEntry> written = new ArrayList<>(all.size());
            for (Replacement r : all) {
                written.add(write(ExampleId.parse(r.sidecar().id()), r.sidecar()));
            }
            return written;
        });
    }

    private InboxEntry write(ExampleId id, ExampleSidecar sidecar) throws IOException {
        Path json = sidecarFile(id);
        if (!Files.exists(json)) {
            throw new NoSuchFileException(json.toString(), null, "no such example " + id);
        }
        byte[] bytes = ProtocolJson.prettyWriter().writeValueAsBytes(sidecar);
        AtomicFiles.replace(json, bytes);
        return new InboxEntry(sidecar, imageFile(id), json, etag(bytes));
    }

    /** The example with this id. */
    public Optional<InboxEntry> get(ExampleId id) throws IOException {
        Path json = sidecarFile(id);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(json);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(new InboxEntry(readSidecar(json, bytes), imageFile(id), json, etag(bytes)));
    }

    /**
     * Every stored example (those with a sidecar), sorted by id.
     *
     * @throws IOException naming the file if a sidecar is unreadable or invalid
     */
    public List<InboxEntry> list() throws IOException {
        // <dir>/<device>/<camera>/<id>.json, listed level by level without reading the attributes of every entry:
        // a running collector renames its temporary files meanwhile, and Files.walk fails on one that vanished
        List<Path> sidecars = new ArrayList<>();
        for (Path device : children(dir, true)) {
            for (Path camera : children(device, true)) {
                for (Path file : children(camera, false)) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".json") && !name.startsWith(".")) {
                        sidecars.add(file);
                    }
                }
            }
        }
        List<InboxEntry> entries = new ArrayList<>(sidecars.size());
        for (Path json : sidecars) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(json);
            } catch (NoSuchFileException e) {
                continue; // removed since it was listed
            }
            ExampleSidecar sidecar = readSidecar(json, bytes);
            String expected = sidecarFile(ExampleId.parse(sidecar.id())).toString();
            if (!json.toString().equals(expected)) {
                throw new IOException(json + ": sidecar id \"" + sidecar.id() + "\" belongs in " + expected);
            }
            Path image = imageFile(ExampleId.parse(sidecar.id()));
            if (!Files.isRegularFile(image)) {
                throw new IOException(json + ": its image " + image.getFileName() + " is missing");
            }
            entries.add(new InboxEntry(sidecar, image, json, etag(bytes)));
        }
        entries.sort(Comparator.comparing(e -> e.sidecar().id()));
        return entries;
    }

    /** The entries of a directory (only subdirectories when {@code directories}); empty if it is gone. */
    private static List<Path> children(Path parent, boolean directories) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path p : entries) {
                if (!directories || Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        return out;
    }

    private static String etag(byte[] sidecarBytes) {
        return Sha256.hex(sidecarBytes).substring(0, 16);
    }

    private static ExampleSidecar readSidecar(Path json, byte[] bytes) throws IOException {
        try {
            return ProtocolJson.bind(ProtocolJson.strictReader(), ProtocolJson.parseTree(bytes), ExampleSidecar.class);
        } catch (IllegalArgumentException e) {
            throw new IOException(json + ": invalid sidecar (" + e.getMessage() + ")", e);
        }
    }

    private void index(ExampleSidecar sidecar) {
        idBySha256.putIfAbsent(sidecar.imageSha256(), sidecar.id());
        if (hashIds.size() == hashes.length) {
            hashes = java.util.Arrays.copyOf(hashes, hashes.length * 2);
        }
        hashes[hashIds.size()] = sidecar.dhash();
        hashIds.add(sidecar.id());
    }

    Path imageFile(ExampleId id) {
        return dir.resolve(id.device()).resolve(id.camera()).resolve(id.stem() + ".jpg");
    }

    Path sidecarFile(ExampleId id) {
        return dir.resolve(id.device()).resolve(id.camera()).resolve(id.stem() + ".json");
    }
}
