package io.edgeloop.protocol.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A seeded mutation fuzzer with counts: each case takes a seed input, applies one to four mutations (bit flips,
 * interesting bytes and 32-bit values, insertions, deletions, truncation, duplicated ranges, splices with another
 * seed, and for text: replaced values and shuffled lines), and runs the parser on it on a worker thread. Every case
 * ends in one of three ways: accepted (the parser returned), rejected (it threw a documented rejection, counted by
 * the key {@code rejection} gives it), or failed: any other {@link Throwable}, a hang over the per-case timeout, or
 * more than the allowed bytes allocated by the case (runaway memory). Failing inputs are written to
 * {@code target/fuzz/<name>-failure-<i>.bin} for a regression test; the counts to {@code target/fuzz/<name>.txt}.
 *
 * <p>Deterministic: the same seed, seeds and case count give the same inputs. The case count is the
 * {@code fuzz.cases} system property when set (the long campaign, {@code scripts/fuzz.sh}), otherwise the caller's
 * default (a few hundred in the default test run).
 */
public final class Fuzzer {

    /** The code under test; returning normally means the input was accepted. */
    @FunctionalInterface
    public interface Parser {
        void parse(byte[] input) throws Exception;
    }

    /**
     * What a campaign found.
     *
     * @param failures one line per failing case: its index, what happened and the input's file
     */
    public record Report(String name, int cases, int accepted, Map<String, Integer> rejected, List<String> failures) {

        /** One line: {@code fuzz NAME: N cases, A accepted, R rejected {type=count, ...}, F failures}. */
        public String summary() {
            int r = rejected.values().stream().mapToInt(Integer::intValue).sum();
            return "fuzz " + name + ": " + cases + " cases, " + accepted + " accepted, " + r + " rejected " + rejected
                    + ", " + failures.size() + " failures";
        }
    }

    private static final byte[] INTERESTING_BYTES = {0, 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFF, (byte) 0xFE};
    private static final int[] INTERESTING_INTS = {0, 1, -1, 0x7FFFFFFF, 0x80000000, 0xFFFF, 0x10000, 65536 * 1024};
    private static final String[] INTERESTING_TEXT = {"-1", "0", "99999999999999999999", "1e309", "~", "[]", "{}",
        "\"\"", "../../../etc/passwd", "/dev/zero", "*a", "&a", "!!binary AA==", "'", "\u0000", "true", "NaN",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "{a: {b: {c: {d: {e: {f: {g: {h: 1}}}}}}}}"};

    private final String name;
    private final List<byte[]> seeds;
    private final Function<Throwable, String> rejection;
    private long seed = 1;
    private long timeoutMillis = 5_000;
    private long maxAllocatedBytes = 512L << 20;
    private boolean text;

    /**
     * @param name      the campaign's name in reports and file names
     * @param seeds     valid (or interesting) inputs to mutate
     * @param rejection the documented rejection's key for a throwable (e.g. its type and reason), or null if the
     *                  throwable is not a documented rejection (a failure)
     */
    public Fuzzer(String name, List<byte[]> seeds, Function<Throwable, String> rejection) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("fuzz " + name + ": no seeds, allowed at least one");
        }
        this.name = name;
        this.seeds = List.copyOf(seeds);
        this.rejection = rejection;
    }

    public Fuzzer seed(long value) {
        this.seed = value;
        return this;
    }

    /** Per-case timeout (default 5 s): a case still running then is a hang. */
    public Fuzzer timeoutMillis(long value) {
        this.timeoutMillis = value;
        return this;
    }

    /** Bytes a case may allocate on its thread (default 512 MiB): more is runaway memory. */
    public Fuzzer maxAllocatedBytes(long value) {
        this.maxAllocatedBytes = value;
        return this;
    }

    /** Adds text mutations (replaced values, shuffled and duplicated lines) for configuration files. */
    public Fuzzer text() {
        this.text = true;
        return this;
    }

    /** The case count: the {@code fuzz.cases} system property if set, else {@code defaultCases}. */
    public static int cases(int defaultCases) {
        return Integer.getInteger("fuzz.cases", defaultCases);
    }

    /** Runs {@code cases} cases (the seeds themselves first, unmutated) and writes the report. */
    public Report run(int cases, Parser parser) throws IOException, InterruptedException {
        Random random = new Random(seed);
        Path out = Files.createDirectories(Path.of(System.getProperty("fuzz.reports", "target/fuzz")));
        Map<String, Integer> rejected = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ExecutorService worker = newWorker();
        try {
            for (int i = 0; i < cases; i++) {
                byte[] input = i < seeds.size() ? seeds.get(i).clone() : mutate(random);
                byte[] copy = input.clone();
                Future<long[]> result = worker.submit(() -> {
                    long tid = Thread.currentThread().getId();
                    long before = threads.getThreadAllocatedBytes(tid);
                    try {
                        parser.parse(copy);
                        return new long[] {0, threads.getThreadAllocatedBytes(tid) - before};
                    } catch (Throwable t) {
                        long allocated = threads.getThreadAllocatedBytes(tid) - before;
                        throw new CaseException(t, allocated);
                    }
                });
                String failure = null;
                try {
                    long[] r = result.get(timeoutMillis, TimeUnit.MILLISECONDS);
                    if (r[1] > maxAllocatedBytes) {
                        failure = "accepted but allocated " + r[1] + " bytes, allowed at most " + maxAllocatedBytes;
                    } else {
                        accepted++;
                    }
                } catch (TimeoutException e) {
                    result.cancel(true);
                    worker.shutdownNow();
                    worker = newWorker();
                    failure = "hang: still running after " + timeoutMillis + " ms";
                } catch (ExecutionException e) {
                    CaseException c = (CaseException) e.getCause();
                    String key = rejection.apply(c.getCause());
                    if (c.allocated > maxAllocatedBytes) {
                        failure = "allocated " + c.allocated + " bytes, allowed at most " + maxAllocatedBytes
                                + " (then " + c.getCause() + ")";
                    } else if (key == null) {
                        failure = "undocumented " + stackTop(c.getCause());
                    } else {
                        rejected.merge(key, 1, Integer::sum);
                    }
                }
                if (failure != null) {
                    Path file = out.resolve(name + "-failure-" + i + ".bin");
                    Files.write(file, input);
                    failures.add("case " + i + ": " + failure + " (input " + file + ")");
                }
            }
        } finally {
            worker.shutdownNow();
        }
        Report report = new Report(name, cases, accepted, rejected, failures);
        StringBuilder text = new StringBuilder(report.summary()).append('\n');
        failures.forEach(f -> text.append("  ").append(f).append('\n'));
        Files.writeString(out.resolve(name + ".txt"), text.toString());
        System.out.print(text);
        return report;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
    }

    private static String stackTop(Throwable t) {
        StackTraceElement[] stack = t.getStackTrace();
        return t + (stack.length > 0 ? " at " + stack[0] : "");
    }

    /** A case's throwable with the bytes it allocated. */
    private static final class CaseException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient long allocated;

        CaseException(Throwable cause, long allocated) {
            super(cause);
            this.allocated = allocated;
        }
    }

    private byte[] mutate(Random random) {
        byte[] data = seeds.get(random.nextInt(seeds.size())).clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            data = text && random.nextInt(3) == 0 ? mutateText(data, random) : mutateBytes(data, random);
        }
        return data;
    }

    private byte[] mutateBytes(byte[] data, Random random) {
        int n = data.length;
        switch (random.nextInt(9)) {
            case 0 -> {
                if (n > 0) {
                    data[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                if (n > 0) {
                    data[random.nextInt(n)] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                }
            }
            case 2 -> {
                if (n >= 4) {
                    int at = random.nextInt(n - 3);
                    int v = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
                    boolean big = random.nextBoolean();
                    for (int k = 0; k < 4; k++) {
                        data[at + k] = (byte) (v >>> (big ? 24 - 8 * k : 8 * k));
                    }
                }
            }
            case 3 -> {
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                return splice(data, random.nextInt(n + 1), 0, extra);
            }
            case 4 -> {
                if (n > 0) {
                    int at = random.nextInt(n);
                    return splice(data, at, Math.min(n - at, 1 + random.nextInt(Math.max(1, n / 8))), new byte[0]);
                }
            }
            case 5 -> {
                return java.util.Arrays.copyOf(data, random.nextInt(n + 1));
            }
            case 6 -> {
                if (n > 0) {
                    int at = random.nextInt(n);
                    int len = Math.min(n - at, 1 + random.nextInt(Math.max(1, Math.min(n, 4096))));
                    return splice(data, random.nextInt(n + 1), 0, java.util.Arrays.copyOfRange(data, at, at + len));
                }
            }
            case 7 -> {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int cut = random.nextInt(n + 1);
                int from = random.nextInt(other.length + 1);
                byte[] out = java.util.Arrays.copyOf(data, cut + other.length - from);
                System.arraycopy(other, from, out, cut, other.length - from);
                return out;
            }
            default -> {
                int count = 1 + random.nextInt(8);
                for (int k = 0; k < count && n > 0; k++) {
                    data[random.nextInt(n)] = (byte) random.nextInt(256);
                }
            }
        }
        return data;
    }

    private static byte[] mutateText(byte[] data, Random random) {
        List<String> lines = new ArrayList<>(List.of(new String(data, StandardCharsets.UTF_8).split("\n", -1)));
        int i = random.nextInt(lines.size());
        switch (random.nextInt(4)) {
            case 0 -> {
                String line = lines.get(i);
                int colon = line.indexOf(':');
                String value = INTERESTING_TEXT[random.nextInt(INTERESTING_TEXT.length)];
                lines.set(i, colon >= 0 ? line.substring(0, colon + 1) + " " + value : line + value);
            }
            case 1 -> lines.add(random.nextInt(lines.size() + 1), lines.get(i));
            case 2 -> lines.remove(i);
            default -> {
                int j = random.nextInt(lines.size());
                String t = lines.get(i);
                lines.set(i, lines.get(j));
                lines.set(j, t);
            }
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] splice(byte[] data, int at, int remove, byte[] insert) {
        byte[] out = new byte[data.length - remove + insert.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(data, at + remove, out, at + insert.length, data.length - at - remove);
        return out;
    }
}
