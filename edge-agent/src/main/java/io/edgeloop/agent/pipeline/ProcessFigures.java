package io.edgeloop.agent.pipeline;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The agent process's CPU load and resident memory, for metrics. */
final class ProcessFigures {

    private ProcessFigures() {
    }

    /** CPU use of this process as a fraction of all cores, 0..1 (0 when the JVM cannot tell). */
    static double cpuLoad() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            return load >= 0 && load <= 1 ? Math.round(load * 1000) / 1000.0 : 0;
        }
        return 0;
    }

    /** Resident set size from {@code /proc/self/status} (Linux), else the JVM's used heap as a lower bound. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: fall through
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
