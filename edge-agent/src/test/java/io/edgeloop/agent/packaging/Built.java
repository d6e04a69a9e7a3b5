package io.edgeloop.agent.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The build's outputs (edge-agent/target) and a small process runner for the packaging tests. */
final class Built {

    static final Path TARGET = Path.of("target").toAbsolutePath();

    private Built() {
    }

    /** The one file in target/ matching {@code glob}; fails naming the build step that makes it. */
    static Path one(String glob) throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> found = files.filter(p -> TARGET.getFileSystem().getPathMatcher("glob:" + glob)
                    .matches(p.getFileName())).toList();
            assertTrue(found.size() == 1, "expected one " + glob + " in " + TARGET + " (./mvnw -pl edge-agent -am"
                    + " package), found " + found);
            return found.get(0);
        }
    }

    /** A command's exit code and its output (stdout and stderr together). */
    record Run(int exit, String output) {
    }

    static Run run(Path dir, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "cmd", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s: "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The section names of a 64-bit little-endian ELF file ({@code .symtab}, {@code .debug_info}, ...). */
    static List<String> elfSections(Path so) throws IOException {
        ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(so)).order(ByteOrder.LITTLE_ENDIAN);
        int shoff = (int) elf.getLong(0x28);
        int shentsize = elf.getShort(0x3A) & 0xffff;
        int shnum = elf.getShort(0x3C) & 0xffff;
        int strtab = (int) elf.getLong(shoff + (elf.getShort(0x3E) & 0xffff) * shentsize + 0x18);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int name = strtab + elf.getInt(shoff + i * shentsize);
            int end = name;
            while (elf.get(end) != 0) {
                end++;
            }
            names.add(new String(elf.array(), name, end - name, StandardCharsets.US_ASCII));
        }
        return names;
    }

    /** The ELF machine field (e_machine: 62 x86-64, 183 AArch64) of a native library. */
    static int elfMachine(Path so) throws IOException {
        byte[] head = new byte[20];
        try (var in = Files.newInputStream(so)) {
            assertTrue(in.readNBytes(head, 0, 20) == 20 && head[0] == 0x7f && head[1] == 'E', so + " is not ELF");
        }
        return (head[18] & 0xff) | (head[19] & 0xff) << 8;
    }
}
