package io.edgeloop.agent.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time per thread of a Linux process from {@code /proc/PID/task/TID/stat}, native threads included (GC, JIT,
 * ONNX Runtime's pool), so a benchmark can say where its CPU went. Threads are grouped by name with digits
 * replaced by {@code #} ({@code prepare-cam0} and {@code prepare-cam1} are one group). Linux only.
 */
final class ThreadCpu {

    private static final double TICK_MILLIS = 10.0; // USER_HZ is 100 on Linux

    private final Map<Long, Thread> byId;

    private record Thread(String group, long ticks) {
    }

    private ThreadCpu(Map<Long, Thread> byId) {
        this.byId = byId;
    }

    /** A snapshot of every thread of process {@code pid} ({@code "self"} for this JVM). */
    static ThreadCpu of(String pid) throws IOException {
        Map<Long, Thread> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // "tid (comm) state ..." where comm may hold spaces and parentheses: split at the last ')'
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    String[] fields = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new Thread(name.replaceAll("[0-9]+", "#"), ticks));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        }
        return new ThreadCpu(threads);
    }

    /**
     * Milliseconds of CPU per {@code frames} spent since {@code before}, by thread group, largest first; threads
     * that ended in between are lost (their time is not in either snapshot).
     */
    Map<String, Double> millisPerFrameSince(ThreadCpu before, int frames) {
        Map<String, Double> groups = new HashMap<>();
        byId.forEach((id, now) -> {
            Thread then = before.byId.get(id);
            long ticks = now.ticks() - (then == null ? 0 : then.ticks());
            if (ticks > 0) {
                groups.merge(now.group(), ticks * TICK_MILLIS / frames, Double::sum);
            }
        });
        return groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** {@code name 1.23, other 0.45, …} for the groups above {@code floor} ms per frame. */
    static String format(Map<String, Double> groups, double floor) {
        return groups.entrySet().stream().filter(e -> e.getValue() >= floor)
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
