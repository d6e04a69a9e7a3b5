package io.edgeloop.trainer.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two programs label the same inbox at once (this JVM and a second one, {@link InboxWriterProcess}), both from the
 * same versions: the inbox lock holds across processes, so every example has exactly one winner.
 */
class InboxCrossProcessTest {

    @TempDir
    Path dir;

    @Test
    void twoProcessesNeverBothWinTheSameExample() throws Exception {
        Path inboxDir = dir.resolve("inbox");
        Inbox inbox = Inbox.open(inboxDir);
        List<InboxEntry> entries = new ArrayList<>();
        for (int seq = 1; seq <= 40; seq++) {
            byte[] jpeg = HardExamples.jpeg(seq);
            entries.add(inbox.store(HardExamples.example("cam-box", "front", seq, jpeg), jpeg, seq, "t",
                    Instant.EPOCH));
        }
        Path versions = dir.resolve("versions.txt");
        Files.write(versions, entries.stream().map(e -> e.sidecar().id() + " " + e.etag()).toList());
        Path go = dir.resolve("go");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), InboxWriterProcess.class.getName(), inboxDir.toString(),
                versions.toString(), "other-process", go.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<String, Boolean> childWon = new HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine());
            Files.createFile(go);
            Map<String, Boolean> won = new HashMap<>();
            for (InboxEntry e : entries) {
                try {
                    inbox.replace(e.sidecar().withLabel("sandal", "this-process", Instant.now()), e.etag());
                    won.put(e.sidecar().id(), true);
                } catch (StaleExampleException x) {
                    won.put(e.sidecar().id(), false);
                }
            }
            for (String line; (line = out.readLine()) != null; ) {
                String[] idAndResult = line.split(" ");
                childWon.put(idAndResult[0], idAndResult[1].equals("won"));
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue());
            assertEquals(entries.size(), childWon.size());
            for (InboxEntry e : entries) {
                String id = e.sidecar().id();
                assertTrue(won.get(id) ^ childWon.get(id), id + ": this process won " + won.get(id) + ", the other "
                        + childWon.get(id) + "; allowed exactly one");
                assertEquals(won.get(id) ? "this-process" : "other-process", Inbox.openExisting(inboxDir)
                        .get(e.id()).orElseThrow().sidecar().labelledBy());
            }
        } finally {
            child.destroyForcibly();
        }
    }
}
