package io.edgeloop.trainer.collect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The other program of {@link InboxCrossProcessTest}: waits for the go file, then labels every example listed in the
 * versions file as {@code who}, each write conditional on the listed version, and prints {@code <id> won|lost}.
 */
public final class InboxWriterProcess {

    private InboxWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path inboxDir = Path.of(args[0]);
        List<String> versions = Files.readAllLines(Path.of(args[1]));
        String who = args[2];
        Path go = Path.of(args[3]);
        Inbox inbox = Inbox.openExisting(inboxDir);
        System.out.println("ready");
        System.out.flush();
        while (!Files.exists(go)) {
            Thread.onSpinWait();
        }
        for (String line : versions) {
            String[] idAndEtag = line.split(" ");
            ExampleSidecar s = inbox.get(ExampleId.parse(idAndEtag[0])).orElseThrow().sidecar();
            try {
                inbox.replace(s.withLabel("sneaker", who, Instant.now()), idAndEtag[1]);
                System.out.println(idAndEtag[0] + " won");
            } catch (StaleExampleException e) {
                System.out.println(idAndEtag[0] + " lost");
            }
        }
        System.out.flush();
    }
}
