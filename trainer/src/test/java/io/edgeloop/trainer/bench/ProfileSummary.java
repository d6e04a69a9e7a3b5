package io.edgeloop.trainer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Self time per operator from a PyTorch profiler chrome trace (the format both libtorch's {@code RecordProfile},
 * used by DJL's {@code JniUtils.stopProfile}, and Python's {@code export_chrome_trace} write): complete events
 * ({@code "ph": "X"}) nest per thread; an event's self time is its duration minus that of its direct children.
 */
final class ProfileSummary {

    /** Operator → self time in microseconds, and how many calls. */
    record Entry(String name, double selfMicros, int calls) {
    }

    private final Map<String, Entry> byName;

    private ProfileSummary(Map<String, Entry> byName) {
        this.byName = byName;
    }

    static ProfileSummary read(Path trace) throws IOException {
        JsonNode root = new ObjectMapper().readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        if (!events.isArray()) {
            throw new IOException(trace + " is not a chrome trace (no event array)");
        }
        Map<String, List<double[]>> perThread = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText()) || !e.has("dur")) {
                continue;
            }
            String cat = e.path("cat").asText("");
            if (!cat.isEmpty() && !cat.equals("cpu_op") && !cat.equals("Operator")) {
                continue; // python function events, user annotations, kernels
            }
            names.add(e.path("name").asText());
            String thread = e.path("pid").asText() + "/" + e.path("tid").asText();
            perThread.computeIfAbsent(thread, k -> new ArrayList<>()).add(new double[] {
                    e.path("ts").asDouble(), e.path("dur").asDouble(), names.size() - 1});
        }
        Map<String, double[]> totals = new HashMap<>();
        for (List<double[]> list : perThread.values()) {
            // parents first: by start, then longer first
            list.sort(Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> -a[1]));
            Deque<double[]> stack = new ArrayDeque<>();
            double[] self = new double[list.size()];
            for (int i = 0; i < list.size(); i++) {
                double[] ev = list.get(i);
                while (!stack.isEmpty() && stack.peek()[0] + stack.peek()[1] <= ev[0]) {
                    stack.pop();
                }
                self[i] = ev[1];
                if (!stack.isEmpty()) {
                    self[(int) stack.peek()[3]] -= ev[1];
                }
                stack.push(new double[] {ev[0], ev[1], ev[2], i});
            }
            for (int i = 0; i < list.size(); i++) {
                String name = names.get((int) list.get(i)[2]);
                double[] t = totals.computeIfAbsent(name, k -> new double[2]);
                t[0] += self[i];
                t[1]++;
            }
        }
        Map<String, Entry> byName = new HashMap<>();
        totals.forEach((k, v) -> byName.put(k, new Entry(k, v[0], (int) v[1])));
        return new ProfileSummary(byName);
    }

    Map<String, Entry> entries() {
        return byName;
    }

    double totalMicros() {
        return byName.values().stream().mapToDouble(Entry::selfMicros).sum();
    }

    int totalCalls() {
        return byName.values().stream().mapToInt(Entry::calls).sum();
    }
}
