package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.collect.ExampleId;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.HardExampleIntake;
import io.edgeloop.trainer.collect.HardExamples;
import io.edgeloop.trainer.collect.Inbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code label export-csv}, {@code label import-csv}, {@code label serve} as a person runs them. */
class LabelCsvCommandTest {

    @TempDir
    Path dir;

    private Path inboxDir;
    private List<String> ids;
    private String out;
    private String err;

    @BeforeEach
    void collect() throws Exception {
        inboxDir = dir.resolve("inbox");
        Inbox inbox = Inbox.open(inboxDir);
        HardExampleIntake intake = new HardExampleIntake(inbox, Topics.DEFAULT, -1, 0,
                Clock.fixed(Instant.parse("2026-11-28T19:30:00Z"), ZoneOffset.UTC));
        for (int i = 0; i < 3; i++) {
            assertEquals(HardExampleIntake.Outcome.STORED, intake.accept("edgeloop/gate-01/front/hard",
                    HardExamples.payload("gate-01", "front", i + 1, HardExamples.jpeg(i + 1))));
        }
        ids = inbox.list().stream().map(e -> e.sidecar().id()).toList();
    }

    private int label(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = CommandLines.execute(new LabelCommand(), new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private ExampleSidecar sidecar(String id) throws Exception {
        return Inbox.openExisting(inboxDir).get(ExampleId.parse(id)).orElseThrow().sidecar();
    }

    @Test
    void exportedCsvEditedElsewhereImportsBack() throws Exception {
        Path csv = dir.resolve("labels.csv");
        assertEquals(0, label("export-csv", "--inbox", inboxDir.toString(), "--to", csv.toString()), err);
        assertEquals("Wrote 3 example(s) to " + csv + " (columns id,device,camera,captured_at,reason,model,predicted,"
                + "score,top,label,labelled_by,labelled_at,discarded)\n", out);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(ids.get(0) + ",gate-01,front,2026-11-28T18:06:01.450Z,margin,fashion 2026.11.28-1,sneaker,"
                + "0.4100,sneaker:0.4100;sandal:0.3800,,,,", lines.get(1));

        // A spreadsheet fills the label column of two rows, and discards the third.
        String edited = String.join("\n", lines.get(0), lines.get(1).replaceAll(",,,,$", ",sandal,,,"),
                lines.get(2).replaceAll(",,,,$", ",\"sneaker\",bo,2026-12-01T10:00:00Z,"),
                lines.get(3).replaceAll(",,,,$", ",,,,true"));
        Files.writeString(csv, edited);
        assertEquals(0, label("import-csv", "--inbox", inboxDir.toString(), "--from", csv.toString(), "--by",
                "team"), err);
        assertEquals("Imported " + csv + ": 3 new answer(s), 0 changed, 0 unchanged, 0 row(s) without an answer\n",
                out);
        assertEquals("sandal", sidecar(ids.get(0)).label());
        assertEquals("team", sidecar(ids.get(0)).labelledBy());
        assertEquals("bo", sidecar(ids.get(1)).labelledBy());
        assertEquals(Instant.parse("2026-12-01T10:00:00Z"), sidecar(ids.get(1)).labelledAt());
        assertTrue(sidecar(ids.get(2)).discarded());

        assertEquals(0, label("list", "--inbox", inboxDir.toString()));
        assertEquals("3 example(s), 0 unlabelled\n", out, "a discarded example is answered");
        assertEquals(0, label("import-csv", "--inbox", inboxDir.toString(), "--from", csv.toString(), "--by",
                "team"), err);
        assertTrue(out.contains("0 new answer(s), 0 changed, 3 unchanged"), out);
    }

    @Test
    void aBadFileIsRefusedByLineAndNothingIsImported() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "label,id\nsandal," + ids.get(0) + "\nsandl," + ids.get(1) + "\nsneaker,"
                + ids.get(2) + ",extra\n");
        assertEquals(2, label("import-csv", "--inbox", inboxDir.toString(), "--from", csv.toString()));
        assertTrue(err.startsWith("trainer label import-csv: 2 bad row(s) in " + csv + ", nothing imported: line 3:"
                + " label is \"sandl\", not a known label; allowed [sandal, sneaker]"), err);
        assertTrue(err.contains("; line 4: has 3 field(s), allowed 2 as in the header"), err);
        assertFalse(sidecar(ids.get(0)).answered(), "the good row is not applied either");

        Files.writeString(csv, "id,labels\n" + ids.get(0) + ",sandal\n");
        assertEquals(2, label("import-csv", "--inbox", inboxDir.toString(), "--from", csv.toString()));
        assertTrue(err.contains("line 1: the header [id, labels] lacks [label]"), err);
    }

    @Test
    void anotherAnswerIsReplacedOnlyWithOverwrite() throws Exception {
        assertEquals(0, label("set", "--inbox", inboxDir.toString(), "--example", ids.get(0), "--as", "sandal",
                "--by", "ana"));
        Path csv = dir.resolve("team.csv");
        Files.writeString(csv, "id,label\r\n" + ids.get(0) + ",sneaker\r\n");
        assertEquals(2, label("import-csv", "--inbox", inboxDir.toString(), "--from", csv.toString(), "--by", "bo"));
        assertTrue(err.contains("line 2: example " + ids.get(0) + " is already labelled \"sandal\" by ana, the row"
                + " says labelled \"sneaker\" by bo; allowed the same answer, or --overwrite to replace it"), err);
        assertEquals("sandal", sidecar(ids.get(0)).label());
        assertEquals(0, label("import-csv", "--inbox", inboxDir.toString(), "--from", csv.toString(), "--by", "bo",
                "--overwrite"), err);
        assertTrue(out.contains("0 new answer(s), 1 changed"), out);
        assertEquals("sneaker", sidecar(ids.get(0)).label());
        assertEquals("bo", sidecar(ids.get(0)).labelledBy());
    }

    @Test
    void servePrintsTheUrlAndStopsAfterItsDuration() throws Exception {
        Path data = Files.createDirectories(dir.resolve("train/sandal"));
        assertEquals(0, label("serve", "--inbox", inboxDir.toString(), "--data", data.getParent().toString(),
                "--port", "0", "--duration", "1"), err);
        assertTrue(out.matches("(?s)Labelling " + java.util.regex.Pattern.quote(inboxDir.toString())
                + " \\(export into .*\\) at http://127\\.0\\.0\\.1:[0-9]+/\nStop with Ctrl-C\\.\n"), out);

        assertEquals(2, label("serve", "--inbox", inboxDir.toString(), "--data", dir.resolve("nope").toString()));
        assertEquals("trainer label serve: --data " + dir.resolve("nope") + " not found, allowed an ImageFolder"
                + " training tree <label>/<image> with a folder per class\n", err);
        assertEquals(2, label("serve", "--inbox", inboxDir.toString(), "--data", data.getParent().toString(),
                "--host", "0.0.0.0", "--token", "short"));
        assertTrue(err.contains("--token is 5 character(s) long, allowed 12 to 256"), err);
    }
}
