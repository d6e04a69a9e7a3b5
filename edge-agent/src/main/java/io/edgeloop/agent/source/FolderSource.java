package io.edgeloop.agent.source;

import io.edgeloop.agent.config.SourceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Watches a directory for new image files (e.g. written by a camera's FTP upload) by polling; a file is taken once
 * its size and modification time held still for one poll, so half-written files are not read. Every file is handed
 * over (no drops), oldest first; processed files are kept, moved or deleted as configured. Hidden files
 * (leading '.') are ignored, so writers can upload to a temporary name and rename. A missing folder is created.
 */
public final class FolderSource implements FrameSource {

    private final String cameraId;
    private final Path dir;
    private final SourceConfig.After after;
    private final Path moveTo;
    private final long pollMillis;
    private final Set<String> seen = new HashSet<>();
    private final Map<Path, Long> pendingSizes = new HashMap<>();

    public FolderSource(String cameraId, Path dir, SourceConfig.After after, Path moveTo, long pollMillis) {
        this.cameraId = cameraId;
        this.dir = dir;
        this.after = after;
        this.moveTo = moveTo;
        this.pollMillis = pollMillis;
    }

    @Override
    public void stream(FrameSink sink) throws IOException, InterruptedException {
        // the folder belongs to the agent, like moveTo: a fresh device (or profile copy) has none yet
        Files.createDirectories(dir);
        if (after == SourceConfig.After.MOVE) {
            Files.createDirectories(moveTo);
        }
        while (!Thread.currentThread().isInterrupted()) {
            for (Path file : ready()) {
                byte[] data;
                try {
                    data = Files.readAllBytes(file);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // removed by someone else meanwhile
                }
                sink.putWhenFree(Frame.encoded(cameraId, data, file.getFileName().toString(), null));
                finish(file);
            }
            Thread.sleep(pollMillis);
        }
        throw new InterruptedException();
    }

    /** Files whose size and time did not change since the previous poll, oldest first. */
    private List<Path> ready() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(ReplaySource::isImage).toList();
        }
        // forget files that are gone, so 'seen' stays as small as the directory
        Set<String> present = new HashSet<>();
        for (Path f : files) {
            present.add(f.getFileName().toString());
        }
        seen.removeIf(key -> !present.contains(key.substring(0, key.lastIndexOf('|', key.lastIndexOf('|') - 1))));
        pendingSizes.keySet().removeIf(p -> !present.contains(p.getFileName().toString()));
        List<Path> ready = new ArrayList<>();
        Map<Path, FileTime> times = new HashMap<>();
        for (Path f : files) {
            String key;
            long size;
            FileTime time;
            try {
                size = Files.size(f);
                time = Files.getLastModifiedTime(f);
            } catch (IOException e) {
                continue;
            }
            key = f.getFileName() + "|" + size + "|" + time.toMillis();
            if (seen.contains(key)) {
                continue;
            }
            Long previous = pendingSizes.put(f, size ^ time.toMillis());
            if (previous != null && previous == (size ^ time.toMillis())) {
                ready.add(f);
                times.put(f, time);
                seen.add(key);
                pendingSizes.remove(f);
            }
        }
        ready.sort((a, b) -> {
            int c = times.get(a).compareTo(times.get(b));
            return c != 0 ? c : a.compareTo(b);
        });
        return ready;
    }

    private void finish(Path file) throws IOException {
        switch (after) {
            case DELETE -> Files.deleteIfExists(file);
            case MOVE -> Files.move(file, moveTo.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            default -> {
                // keep: remembered in 'seen'
            }
        }
    }

    @Override
    public String describe() {
        return "folder " + dir + " (" + after.name().toLowerCase(java.util.Locale.ROOT) + " processed files)";
    }

    @Override
    public void close() {
        // polling stops on interruption
    }
}
