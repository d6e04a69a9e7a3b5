package io.edgeloop.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.trainer.base.BaseCache;
import io.edgeloop.trainer.base.BaseCatalog;
import io.edgeloop.trainer.base.BaseEntry;
import io.edgeloop.trainer.base.FixtureServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trainer base} as a user runs it: help and tables fit 80 columns, errors are one line with the exit code. */
class BaseCommandTest {

    @TempDir
    Path dir;

    @Test
    void everyHelpFitsEightyColumns() {
        for (String[] args : new String[][] {{"base", "--help"}, {"base", "list", "--help"},
                {"base", "show", "--help"}, {"base", "pull", "--help"}}) {
            Run r = Run.of(args);
            assertEquals(0, r.code(), String.join(" ", args) + r.err());
            for (String line : r.out().split("\n")) {
                assertTrue(line.length() <= 80, String.join(" ", args) + ": " + line.length() + " columns: " + line);
            }
        }
        assertTrue(Run.of("base", "pull", "--help").out().contains("--stall-timeout=SECONDS"));
    }

    @Test
    void anUnknownNameExitsTwoListingTheKnownOnes() {
        Run r = Run.of("base", "pull", "resnet9", "--cache", dir.toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("trainer base pull: unknown base \"resnet9\", allowed one of " + BaseCatalog.shipped().names()
                + "\n", r.err());
        assertEquals(ExitCodes.USAGE, Run.of("base", "show", "resnet9").code());
        Run none = Run.of("base");
        assertEquals(ExitCodes.USAGE, none.code());
        assertEquals("trainer base: missing subcommand, allowed list, show or pull\n", none.err());
    }

    @Test
    void listFitsEightyColumnsAndMarksCachedBases() throws Exception {
        BaseCatalog catalog = BaseCatalog.shipped();
        BaseEntry squeeze = catalog.require("squeezenet1.1-7");
        BaseCache cache = new BaseCache(dir.resolve("cache"));
        Files.createDirectories(cache.dir());
        Files.write(cache.file(squeeze), new byte[(int) squeeze.sizeBytes()]); // right size: listed as present

        Run r = Run.of("base", "list", "--cache", cache.dir().toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals("  NAME                      MB INPUT    WHAT", lines[0]);
        for (String line : lines) {
            assertTrue(line.length() <= 79, line.length() + " columns: " + line);
            assertFalse(line.endsWith("..."), "cut: " + line);
        }
        assertTrue(r.out().contains("\n* squeezenet1.1-7          9.2 224 NCHW SqueezeNet 1.1, 56.3% top-1,"
                + " smallest\n"), r.out());
        assertTrue(r.out().contains("\n  efficientnet-lite4-11   51.9 224 NHWC EfficientNet-Lite4, 80.4% top-1"
                + " (TF)\n"), r.out());
        assertEquals(catalog.bases().size() + 4, lines.length);

        JsonNode json = ProtocolJson.parseTree(Run.of("base", "list", "--json", "--cache", cache.dir().toString())
                .out().getBytes(StandardCharsets.UTF_8));
        assertEquals(catalog.bases().size(), json.get("bases").size());
        assertEquals(catalog.version(), json.get("version").asText());
        for (JsonNode b : json.get("bases")) {
            assertEquals(b.get("name").asText().equals("squeezenet1.1-7"), b.get("cached").asBoolean());
            assertEquals(64, b.get("sha256").asText().length());
        }
    }

    @Test
    void showPrintsUrlHashAndPreprocessing() {
        Run r = Run.of("base", "show", "efficientnet-lite4-11", "--cache", dir.toString());
        assertEquals(0, r.code(), r.err());
        BaseEntry e = BaseCatalog.shipped().require("efficientnet-lite4-11");
        assertTrue(r.out().startsWith("efficientnet-lite4-11: EfficientNet-Lite4, 80.4% top-1 (TF)\n"), r.out());
        assertTrue(r.out().contains("  url:           " + e.url() + "\n"), r.out());
        assertTrue(r.out().contains("  sha256:        " + e.sha256() + "\n"), r.out());
        assertTrue(r.out().contains("  size:          51946641 bytes (51.9 MB)\n"), r.out());
        assertTrue(r.out().contains("  input:         images:0, NHWC, 224x224\n"), r.out());
        assertTrue(r.out().contains("  preprocessing: RGB, 0-255 scale, mean [127.0, 127.0, 127.0], std [128.0,"
                + " 128.0, 128.0], resize 256 crop 224 (shorter side)\n"), r.out());
        assertTrue(r.out().contains("  licence:       MIT\n"), r.out());
    }

    @Test
    void pullWritesAPackageAndACachedPullNeedsNoNetwork() throws Exception {
        byte[] bytes = FixtureServer.nchwBytes();
        Path catalog = dir.resolve("catalog.json");
        Path cache = dir.resolve("cache");
        Path out = dir.resolve("pkg");
        String url;
        try (FixtureServer server = new FixtureServer(FixtureServer.serving(bytes, true))) {
            url = server.url("/tiny.onnx");
            Files.writeString(catalog, FixtureServer.catalogJson("tiny", url, bytes, "data", "NCHW", 32));
            Run r = Run.of("base", "pull", "tiny", "--catalog", catalog.toString(), "--cache", cache.toString(),
                    "--dir", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("Downloaded " + url + " (0.0 MB), sha256 verified\n"), r.out());
            assertTrue(r.out().contains("Wrote " + out.resolve("model.onnx") + " (card tiny sha256-"), r.out());
            assertTrue(r.out().contains(", 1000 ImageNet labels, licence Apache-2.0)\n"), r.out());
            assertTrue(r.out().endsWith("Next: trainer fit --base " + out.resolve("model.onnx") + " --data DIR\n"),
                    r.out());
            assertEquals(1, server.seen().size());
        }
        Files.delete(out.resolve("model.onnx"));
        // the server is gone: a cached base still pulls
        Run offline = Run.of("base", "pull", "tiny", "--catalog", catalog.toString(), "--cache", cache.toString(),
                "--dir", out.toString());
        assertEquals(0, offline.code(), offline.err());
        assertTrue(offline.out().startsWith("Cached " + cache.resolve("tiny-") ), offline.out());
        assertTrue(offline.out().contains("(sha256 verified, no download)\n"), offline.out());
        assertEquals(1000, ModelPackage.read(out.resolve("model.onnx")).card().labels().size());
    }

    @Test
    void aMissingFileIsOneLineWithTheUrlAndWhatToDo() throws Exception {
        byte[] bytes = FixtureServer.nchwBytes();
        Path catalog = dir.resolve("catalog.json");
        Path cache = dir.resolve("cache");
        try (FixtureServer server = new FixtureServer((exchange, n) -> exchange.sendResponseHeaders(404, -1))) {
            String url = server.url("/gone.onnx");
            Files.writeString(catalog, FixtureServer.catalogJson("tiny", url, bytes, "data", "NCHW", 32));
            Run r = Run.of("base", "pull", "tiny", "--catalog", catalog.toString(), "--cache", cache.toString(),
                    "--dir", dir.resolve("pkg").toString());
            assertEquals(ExitCodes.FAILURE, r.code());
            String file = "tiny-" + io.edgeloop.protocol.digest.Sha256.hex(bytes).substring(0, 12) + ".onnx";
            assertEquals("trainer base pull: HTTP 404 from " + url + " (not found: the catalogue's URL is wrong or the"
                    + " file moved); without access to it, pull on a connected machine and copy " + file + " into "
                    + cache + " here, or use --catalog with a mirror's URLs (docs/bases.md)\n", r.err());
        }
        Run badTimeout = Run.of("base", "pull", "tiny", "--catalog", catalog.toString(), "--stall-timeout", "0");
        assertEquals(ExitCodes.USAGE, badTimeout.code());
        assertEquals("trainer base pull: --stall-timeout is 0.0, allowed 0 < seconds <= 86400\n", badTimeout.err());
    }

    @Test
    void fitTrainsOnAPulledNhwcBaseWithTheCardsPreprocessing() throws Exception {
        byte[] bytes = Files.readAllBytes(FixtureServer.NHWC);
        Path catalog = dir.resolve("catalog.json");
        Path pkg = dir.resolve("bases/tiny-nhwc");
        try (FixtureServer server = new FixtureServer(FixtureServer.serving(bytes, true))) {
            Files.writeString(catalog, FixtureServer.catalogJson("tiny-nhwc", server.url("/lite.onnx"), bytes,
                    "images:0", "NHWC", 32));
            Run pull = Run.of("base", "pull", "tiny-nhwc", "--catalog", catalog.toString(), "--cache",
                    dir.resolve("cache").toString(), "--dir", pkg.toString());
            assertEquals(0, pull.code(), pull.err());
            assertTrue(pull.out().contains("notice: the NHWC input \"images:0\" now takes NCHW images"), pull.out());
        }
        Path data = dir.resolve("items");
        io.edgeloop.trainer.testing.TestImages.writeDataset(data, new String[] {"a", "b"}, new int[] {4, 4}, 32, 3);
        Path out = dir.resolve("run");
        Run fit = Run.of("fit", "--base", pkg.resolve("model.onnx").toString(), "--data", data.toString(), "--out",
                out.toString(), "--epochs", "1", "--strategy", "head", "--no-augment", "--threads", "1");
        assertEquals(0, fit.code(), fit.err());
        assertFalse(fit.err().contains("notice:"), "a package needs no preprocessing notice: " + fit.err());
        io.edgeloop.protocol.model.ModelCard card = ModelPackage.read(out.resolve("model.onnx")).card();
        assertEquals(ModelPackage.read(pkg.resolve("model.onnx")).card().preprocessing(), card.preprocessing());
        assertEquals("tiny-nhwc", card.baseModel().name());
        assertEquals(io.edgeloop.protocol.digest.Sha256.hex(pkg.resolve("model.onnx")), card.baseModel().sha256());
        assertEquals(java.util.List.of("a", "b"), card.labels());
    }
}
