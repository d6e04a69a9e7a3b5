package io.edgeloop.trainer.cli;

import io.edgeloop.protocol.digest.Sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.mqtt.Topics;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.HardExampleIntake;
import io.edgeloop.trainer.collect.HardExamples;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.collect.InboxEntry;
import io.edgeloop.trainer.job.TrainerServices;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelCommandTest {

    private static final Path SAMPLE = Path.of("").toAbsolutePath().getParent()
            .resolve("data/fashion-mnist-target/test");

    @TempDir
    Path dir;

    private Path inboxDir;
    private String out;
    private String err;

    @BeforeEach
    void setUp() {
        inboxDir = dir.resolve("inbox");
    }

    private int label(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = CommandLines.execute(new LabelCommand(), new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    /** Stores examples with the given JPEGs (seq 1, 2, ...) through the collector's intake; returns their ids. */
    private List<String> collect(List<byte[]> jpegs) throws Exception {
        Inbox inbox = Inbox.open(inboxDir);
        HardExampleIntake intake = new HardExampleIntake(inbox, Topics.DEFAULT, -1, 0,
                Clock.fixed(Instant.parse("2026-11-28T19:30:00Z"), ZoneOffset.UTC));
        for (int i = 0; i < jpegs.size(); i++) {
            assertEquals(HardExampleIntake.Outcome.STORED, intake.accept("edgeloop/gate-01/front/hard",
                    HardExamples.payload("gate-01", "front", i + 1, jpegs.get(i))));
        }
        return inbox.list().stream().map(e -> e.sidecar().id()).toList();
    }

    @Test
    void listSetAndRelabel() throws Exception {
        List<String> ids = collect(List.of(HardExamples.jpeg(1), HardExamples.jpeg(2)));
        assertEquals(0, label("list", "--inbox", inboxDir.toString()));
        assertEquals(ids.get(0) + "  margin  top: sneaker 0.41, sandal 0.38  model fashion 2026.11.28-1\n"
                + ids.get(1) + "  margin  top: sneaker 0.41, sandal 0.38  model fashion 2026.11.28-1\n"
                + "2 example(s), 2 unlabelled\n", out);

        assertEquals(0, label("set", "--inbox", inboxDir.toString(), "--example", ids.get(0), "--as", "sandal",
                "--by", "ana"));
        assertEquals(ids.get(0) + ": labelled \"sandal\" by ana\n", out);
        assertEquals(0, label("set", "--inbox", inboxDir.toString(), "--example", ids.get(0), "--as", "sneaker",
                "--by", "ben"));
        assertEquals(ids.get(0) + ": relabelled from \"sandal\" to \"sneaker\" by ben\n", out);
        ExampleSidecar s = Inbox.open(inboxDir).list().get(0).sidecar();
        assertEquals("sneaker", s.label());
        assertEquals("ben", s.labelledBy());

        assertEquals(0, label("list", "--inbox", inboxDir.toString()));
        assertEquals(ids.get(1) + "  margin  top: sneaker 0.41, sandal 0.38  model fashion 2026.11.28-1\n"
                + "2 example(s), 1 unlabelled\n", out);
        assertEquals(0, label("list", "--inbox", inboxDir.toString(), "--all"));
        assertTrue(out.startsWith(ids.get(0) + "  margin  top: sneaker 0.41, sandal 0.38  model fashion"
                + " 2026.11.28-1  label: sneaker (by ben)\n"), out);

        String missing = "gate-01.front.20261128T180601350Z-9-00000000";
        assertEquals(2, label("set", "--inbox", inboxDir.toString(), "--example", missing, "--as", "bag"));
        assertEquals("trainer label set: --example " + missing + " is not in " + inboxDir
                + ", allowed an id listed by 'trainer label list'\n", err);
        assertEquals(2, label("set", "--inbox", inboxDir.toString(), "--example", "nonsense", "--as", "bag"));
        assertEquals("trainer label set: example id is \"nonsense\", allowed"
                + " <device>.<camera>.<yyyyMMddTHHmmssSSSZ>-<seq>-<sha8> as listed by 'label list'\n", err);
        assertEquals(2, label("set", "--inbox", inboxDir.toString(), "--example", ids.get(1), "--as", "a/b"));
        assertEquals("trainer label set: --as is \"a/b\", allowed 1-128 characters without '/', '\\' or control"
                + " characters, not starting with '.' or a space\n", err);
        assertEquals(2, label("list", "--inbox", dir.resolve("nowhere").toString()));
        assertEquals("trainer label list: --inbox " + dir.resolve("nowhere") + " not found, allowed the inbox"
                + " directory 'trainer collect --dir DIR' fills (DIR/inbox)\n", err);
    }

    @Test
    void autoFromATruthFileIsMarkedAsAStandInAndNeverOverridesAPerson() throws Exception {
        byte[] a = HardExamples.jpeg(3);
        byte[] b = HardExamples.jpeg(4);
        byte[] c = HardExamples.jpeg(5);
        List<String> ids = collect(List.of(a, b, c));
        String idA = idOf(ids, a);
        String idB = idOf(ids, b);
        String idC = idOf(ids, c);
        assertEquals(0, label("set", "--inbox", inboxDir.toString(), "--example", idB, "--as", "bag", "--by", "ana",
                "--new-label"));
        assertEquals(idB + ": labelled \"bag\" by ana (a new label)\n", out);
        Path truth = dir.resolve("truth.csv");
        Files.writeString(truth, "sha256,label\n# demo truth\n" + Sha256.hex(a) + ",sandal\n"
                + Sha256.hex(b) + ",sneaker\n");
        assertEquals(0, label("auto", "--inbox", inboxDir.toString(), "--truth", truth.toString()));
        assertTrue(out.startsWith("Labelling from ground truth (" + truth + "). This stands in for a person; labels"
                + " are recorded as labelledBy \"ground-truth (stand-in for a person)\".\n"), out);
        assertTrue(out.contains(idA + ": sandal\n"), out);
        assertTrue(out.contains(idC + ": no ground truth (image sha256 not in the truth)\n"), out);
        assertTrue(out.endsWith("Labelled 1, no ground truth for 1, already labelled 1\n"), out);
        Map<String, ExampleSidecar> byId = sidecars();
        assertEquals("sandal", byId.get(idA).label());
        assertEquals("ground-truth (stand-in for a person)", byId.get(idA).labelledBy());
        assertEquals("bag", byId.get(idB).label(), "a person's label is kept");
        assertEquals(false, byId.get(idC).labelled());
        assertTrue(Files.readString(inboxDir.resolve("gate-01/front/" + idA.substring(14) + ".json"))
                .contains("\"labelledBy\" : \"ground-truth (stand-in for a person)\""));

        Files.writeString(truth, Sha256.hex(a) + ";sandal\n");
        assertEquals(2, label("auto", "--inbox", inboxDir.toString(), "--truth", truth.toString()));
        assertEquals("trainer label auto: " + truth + " line 1: \"" + Sha256.hex(a)
                + ";sandal\" has no comma, allowed <sha256>,<label>\n", err);
        assertEquals(2, label("auto", "--inbox", inboxDir.toString(), "--truth-from", "camera"));
        assertEquals("trainer label auto: --truth-from is \"camera\", allowed replay\n", err);
        assertEquals(2, label("auto", "--inbox", inboxDir.toString(), "--truth-from", "replay"));
        assertEquals("trainer label auto: --truth-from replay needs --replay DIR (the ImageFolder tree the device"
                + " replays)\n", err);
    }

    @Test
    void autoFromTheReplayFolderMatchesReencodedFramesByPixels() throws Exception {
        // The replay tree: 3 real Fashion-MNIST images per class from the committed sample.
        Path replay = dir.resolve("replay");
        List<byte[]> frames = new ArrayList<>();
        List<String> truths = new ArrayList<>();
        try (Stream<Path> classes = Files.list(SAMPLE)) {
            for (Path cls : classes.sorted().toList()) {
                try (Stream<Path> images = Files.list(cls)) {
                    for (Path image : images.sorted().limit(3).toList()) {
                        Path copy = replay.resolve(cls.getFileName().toString()).resolve(image.getFileName());
                        Files.createDirectories(copy.getParent());
                        Files.copy(image, copy);
                        // What a device sends back: the decoded frame re-encoded as JPEG.
                        BufferedImage src = ImageIO.read(image.toFile());
                        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(),
                                BufferedImage.TYPE_INT_RGB);
                        rgb.getGraphics().drawImage(src, 0, 0, null);
                        frames.add(HardExamples.jpeg(rgb, 0.85f));
                        truths.add(cls.getFileName().toString());
                    }
                }
            }
        }
        frames.add(HardExamples.jpeg(99)); // a frame that is not in the replay tree
        List<String> ids = collect(frames);
        Path written = dir.resolve("replay-truth.csv");
        assertEquals(0, label("auto", "--inbox", inboxDir.toString(), "--truth-from", "replay", "--replay",
                replay.toString(), "--write-truth", written.toString()));
        assertTrue(out.startsWith("Labelling from ground truth (replay folder " + replay + " (matched by pixels))."),
                out);
        assertTrue(out.endsWith("Labelled 12, no ground truth for 1, already labelled 0\n"), out);
        Map<String, ExampleSidecar> byId = sidecars();
        for (int i = 0; i < truths.size(); i++) {
            assertEquals(truths.get(i), byId.get(idOf(ids, frames.get(i))).label(), "frame " + i);
        }
        String stranger = idOf(ids, frames.get(12));
        assertTrue(out.contains(stranger + ": no ground truth (no replay image within 8.0 (nearest "), out);
        assertEquals(13, Files.readAllLines(written).size(), "header + 12 matched images");
    }

    @Test
    void exportValidatesLabelsAgainstFoldersAndNeverOverwrites() throws Exception {
        byte[] a = HardExamples.jpeg(6);
        byte[] b = HardExamples.jpeg(7);
        byte[] c = HardExamples.jpeg(8);
        List<String> ids = collect(List.of(a, b, c));
        Path dataset = dir.resolve("dataset");
        for (String cls : List.of("bag", "sandal", "sneaker")) {
            Files.createDirectories(dataset.resolve(cls));
        }
        assertEquals(0, label("set", "--inbox", inboxDir.toString(), "--example", idOf(ids, a), "--as", "sandal"));
        // A label that is no class folder, given on purpose: export still refuses it.
        assertEquals(0, label("set", "--inbox", inboxDir.toString(), "--example", idOf(ids, b), "--as", "sandals",
                "--new-label"));
        assertEquals(2, label("export", "--inbox", inboxDir.toString(), "--into", dataset.toString()));
        assertEquals("trainer label export: 1 example(s) have labels that are not label folders of " + dataset + ": "
                + idOf(ids, b) + " is labelled \"sandals\"; allowed [bag, sandal, sneaker] (relabel with 'label"
                + " set', or create the folder if it is a new class)\n", err);
        try (Stream<Path> files = Files.walk(dataset)) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "nothing written on a bad label");
        }

        label("set", "--inbox", inboxDir.toString(), "--example", idOf(ids, b), "--as", "sandal");
        assertEquals(0, label("export", "--inbox", inboxDir.toString(), "--into", dataset.toString()));
        assertEquals("Exported 2 new example(s) into " + dataset + " {sandal=2}; 0 already there, 1 unlabelled and 0"
                + " discarded not exported\n", out);
        Path exported = dataset.resolve("sandal/hard-" + idOf(ids, a) + ".jpg");
        assertArrayEquals(a, Files.readAllBytes(exported));

        assertEquals(0, label("set", "--inbox", inboxDir.toString(), "--example", idOf(ids, c), "--as", "bag",
                "--data", dataset.toString()));
        assertEquals(0, label("export", "--inbox", inboxDir.toString(), "--into", dataset.toString()));
        assertEquals("Exported 1 new example(s) into " + dataset + " {bag=1}; 2 already there, 0 unlabelled and 0"
                + " discarded not exported\n", out);

        // A different file under the same name is never overwritten.
        Files.write(exported, new byte[] {1, 2, 3});
        assertEquals(2, label("export", "--inbox", inboxDir.toString(), "--into", dataset.toString()));
        assertEquals("trainer label export: " + exported + " exists with other content; not overwritten\n", err);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(exported));

        assertEquals(2, label("export", "--inbox", inboxDir.toString(), "--into", dir.resolve("none").toString()));
        assertEquals("trainer label export: --into " + dir.resolve("none") + " not found, allowed an ImageFolder"
                + " training tree <label>/<image> with a folder per class\n", err);
    }

    @Test
    void aTypoLabelIsRefusedListingTheKnownOnesUnlessItIsDeclaredNew() throws Exception {
        List<String> ids = collect(List.of(HardExamples.jpeg(11), HardExamples.jpeg(12)));
        String id = ids.get(0);
        assertEquals(2, trainer("label", "set", "--inbox", inboxDir.toString(), "--example", id, "--as", "sandl"));
        assertEquals("trainer label set: --as is \"sandl\", not a known label; allowed [sandal, sneaker] (from the"
                + " models' top-k and the labels given in the inbox), or --new-label to add a new class\n", err);
        assertEquals(false, sidecars().get(id).labelled(), "nothing written");

        // The class folders of the training tree are known labels too.
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("circle"));
        Files.createDirectories(data.resolve("sandal"));
        assertEquals(2, trainer("label", "set", "--inbox", inboxDir.toString(), "--example", id, "--as", "circel",
                "--data", data.toString()));
        assertEquals("trainer label set: --as is \"circel\", not a known label; allowed [circle, sandal, sneaker]"
                + " (from the models' top-k and the labels given in the inbox, the class folders of --data " + data
                + "), or --new-label to add a new class\n", err);
        assertEquals(0, trainer("label", "set", "--inbox", inboxDir.toString(), "--example", id, "--as", "circle",
                "--data", data.toString(), "--by", "ana"));
        assertEquals(id + ": labelled \"circle\" by ana\n", out);

        // Declared new: accepted, and from then on known through the inbox.
        assertEquals(0, trainer("label", "set", "--inbox", inboxDir.toString(), "--example", ids.get(1), "--as",
                "triangle", "--new-label", "--by", "ben"));
        assertEquals(ids.get(1) + ": labelled \"triangle\" by ben (a new label)\n", out);
        assertEquals(0, trainer("label", "set", "--inbox", inboxDir.toString(), "--example", id, "--as",
                "triangle", "--by", "ben"));
        assertEquals(id + ": relabelled from \"circle\" to \"triangle\" by ben\n", out);

        assertEquals(2, trainer("label", "set", "--inbox", inboxDir.toString(), "--example", id, "--as", "x",
                "--data", dir.resolve("no-data").toString()));
        assertEquals("trainer label set: --data " + dir.resolve("no-data") + " not found, allowed an ImageFolder"
                + " training tree <label>/<image> whose class folders are known labels\n", err);
    }

    @Test
    void autoRefusesUnknownTruthLabelsBeforeWritingAny() throws Exception {
        byte[] a = HardExamples.jpeg(13);
        byte[] b = HardExamples.jpeg(14);
        collect(List.of(a, b));
        Path truth = dir.resolve("truth.csv");
        Files.writeString(truth, Sha256.hex(a) + ",sandal\n" + Sha256.hex(b) + ",snaeker\n");
        assertEquals(2, trainer("label", "auto", "--inbox", inboxDir.toString(), "--truth", truth.toString()));
        assertEquals("trainer label auto: --truth " + truth + " gives labels that are not known: \"snaeker\" (1"
                + " example(s)); allowed [sandal, sneaker] (from the models' top-k and the labels given in the inbox),"
                + " or --new-label to add a new class; nothing labelled\n", err);
        assertTrue(sidecars().values().stream().noneMatch(ExampleSidecar::labelled), "nothing labelled");

        assertEquals(0, trainer("label", "auto", "--inbox", inboxDir.toString(), "--truth", truth.toString(),
                "--new-label"));
        assertTrue(out.endsWith("Labelled 2, no ground truth for 0, already labelled 0\n"), out);
    }

    @Test
    void missingInputsNameTheOptionAndWhatIsAllowed() throws Exception {
        collect(List.of(HardExamples.jpeg(15)));
        Path none = dir.resolve("none");
        assertEquals(2, trainer("label", "auto", "--inbox", inboxDir.toString(), "--truth", none.toString()));
        assertEquals("trainer label auto: --truth " + none + " not found, allowed a file of CSV <sha256>,<label>"
                + " lines or a JSON object {\"<sha256>\": \"<label>\"}\n", err);
        assertEquals(2, trainer("label", "auto", "--inbox", inboxDir.toString(), "--truth-from", "replay",
                "--replay", none.toString()));
        assertEquals("trainer label auto: --replay " + none + " not found, allowed the ImageFolder tree"
                + " <label>/<image> the device replays\n", err);
        assertEquals(2, trainer("label", "auto", "--inbox", inboxDir.toString(), "--truth-from", "replay",
                "--replay", dir.toString(), "--max-difference", "0"));
        assertEquals("trainer label auto: --max-difference is 0.0, allowed more than 0, at most 255\n", err);
        assertEquals(2, trainer("label", "export", "--inbox", none.toString(), "--into", dir.toString()));
        assertEquals("trainer label export: --inbox " + none + " not found, allowed the inbox directory 'trainer"
                + " collect --dir DIR' fills (DIR/inbox)\n", err);
        assertEquals(2, trainer("label"));
        assertEquals("trainer label: missing subcommand, allowed list, set, auto, export, serve, export-csv or"
                + " import-csv\n", err);
    }

    /** Runs the real program, as a user would. */
    private int trainer(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TrainerMain.execute(args, new PrintWriter(o), new PrintWriter(e), TrainerServices.defaults());
        out = o.toString();
        err = e.toString();
        return code;
    }

    private Map<String, ExampleSidecar> sidecars() throws Exception {
        Map<String, ExampleSidecar> m = new java.util.HashMap<>();
        for (InboxEntry e : Inbox.open(inboxDir).list()) {
            m.put(e.sidecar().id(), e.sidecar());
        }
        return m;
    }

    private static String idOf(List<String> ids, byte[] jpeg) {
        String sha8 = Sha256.hex(jpeg).substring(0, 8);
        return ids.stream().filter(id -> id.endsWith("-" + sha8)).findFirst().orElseThrow();
    }
}
