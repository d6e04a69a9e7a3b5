package io.edgeloop.agent.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-platform agent jars carry only their own ONNX Runtime natives, already stripped, within the size budget;
 * the arm64 .deb holds the aarch64 agent and runtime.
 */
class PlatformJarsIT {

    private static final long MAX_BYTES = 20L * 1024 * 1024;

    @TempDir
    Path tmp;

    private static Set<String> nativeDirs(Path jar) throws Exception {
        Set<String> dirs = new TreeSet<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(e -> e.getName()).filter(n -> n.startsWith("ai/onnxruntime/native/") && n.endsWith(".so"))
                    .forEach(n -> dirs.add(n.split("/")[3]));
        }
        return dirs;
    }

    @Test
    void eachJarHasOnlyItsOwnStrippedNativesAndFitsTheBudget() throws Exception {
        for (String[] p : List.of(new String[] {"x86_64", "linux-x64", "62"},
                new String[] {"aarch64", "linux-aarch64", "183"})) {
            Path jar = Built.one("edge-agent-linux-" + p[0] + ".jar");
            assertEquals(Set.of(p[1]), nativeDirs(jar), jar.toString());
            assertTrue(Files.size(jar) <= MAX_BYTES, jar + ": " + Files.size(jar) + " bytes, allowed " + MAX_BYTES);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                Path so = Files.createDirectories(tmp.resolve(p[0])).resolve("libonnxruntime.so");
                try (InputStream in = zip.getInputStream(zip.getEntry("ai/onnxruntime/native/" + p[1]
                        + "/libonnxruntime.so"))) {
                    Files.copy(in, so);
                }
                assertEquals(Integer.parseInt(p[2]), Built.elfMachine(so));
                List<String> sections = Built.elfSections(so);
                assertTrue(sections.contains(".text"), sections.toString());
                assertTrue(sections.stream().noneMatch(n -> n.equals(".symtab") || n.startsWith(".debug")),
                        so + " carries symbols or debug info: " + sections);
            }
        }
    }

    @Test
    void theArm64PackageHoldsTheAarch64AgentAndRuntime() throws Exception {
        Path deb;
        try {
            deb = Built.one("edgeloop-agent_*_arm64.deb");
        } catch (AssertionError e) {
            Assumptions.abort("no arm64 .deb (built with -Dedgeloop.skipArm64=true?): " + e.getMessage());
            return;
        }
        Built.Run info = Built.run(tmp, List.of("dpkg-deb", "-f", deb.toString(), "Architecture"), 30);
        assertEquals("arm64", info.output().trim());
        Path tree = tmp.resolve("arm64");
        Built.Run x = Built.run(tmp, List.of("dpkg-deb", "-x", deb.toString(), tree.toString()), 120);
        assertEquals(0, x.exit(), x.output());
        assertEquals(183, Built.elfMachine(tree.resolve("opt/edgeloop/runtime/bin/java")));
        assertEquals(183, Built.elfMachine(tree.resolve("opt/edgeloop/runtime/lib/server/libjvm.so")));
        assertEquals(Set.of("linux-aarch64"), nativeDirs(tree.resolve("opt/edgeloop/edge-agent.jar")));
        assertTrue(Files.isRegularFile(tree.resolve("opt/edgeloop/profiles/raspberry-pi-4.yaml")));
    }
}
