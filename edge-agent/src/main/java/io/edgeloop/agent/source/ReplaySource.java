package io.edgeloop.agent.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Replays image files at a frame rate: a flat directory (sorted by name) or an ImageFolder tree
 * ({@code <label>/<image>}, sorted by label then name), whose folder names become the ground-truth label of each
 * frame. Optionally loops. With fps 0 every image is handed over (no drops), as fast as the pipeline takes them.
 */
public final class ReplaySource implements FrameSource {

    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp");

    private final String cameraId;
    private final Path root;
    private final double fps;
    private final boolean loop;

    public ReplaySource(String cameraId, Path root, double fps, boolean loop) {
        this.cameraId = cameraId;
        this.root = root;
        this.fps = fps;
        this.loop = loop;
    }

    /** An image file and its ground truth label (null in a flat directory). */
    record Item(Path file, String label) {
    }

    /** Lists the images in replay order; none is an error. */
    static List<Item> list(Path root) throws IOException {
        List<Item> items = images(root);
        if (items.isEmpty()) {
            throw new IOException(root + ": no images (" + String.join(", ", EXTENSIONS) + ") to replay");
        }
        return items;
    }

    /** The images in replay order, possibly none. */
    static List<Item> images(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": replay directory not found");
        }
        List<Item> items = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> s = Files.list(root)) {
            entries = s.sorted().toList();
        }
        for (Path p : entries) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(ReplaySource::isImage).sorted()
                            .forEach(f -> items.add(new Item(f, p.getFileName().toString())));
                }
            } else if (isImage(p)) {
                items.add(new Item(p, null));
            }
        }
        return items;
    }

    static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && Files.isRegularFile(p) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    @Override
    public void stream(FrameSink sink) throws IOException, InterruptedException {
        List<Item> items = list(root);
        Pacer pacer = new Pacer(fps);
        do {
            for (Item item : items) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                pacer.await();
                byte[] data = Files.readAllBytes(item.file());
                Frame frame = Frame.encoded(cameraId, data, item.file().getFileName().toString(), item.label());
                if (pacer.paced()) {
                    sink.offerLatest(frame);
                } else {
                    sink.putWhenFree(frame);
                }
            }
        } while (loop);
    }

    @Override
    public String describe() {
        return "replay " + root + " at " + (fps > 0 ? fps + " fps" : "pipeline speed") + (loop ? ", looping" : "");
    }

    @Override
    public void close() {
        // file reads are short; interruption stops the loop
    }
}
