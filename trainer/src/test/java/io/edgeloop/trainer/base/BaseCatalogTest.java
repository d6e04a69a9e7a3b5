package io.edgeloop.trainer.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.preprocess.PreprocessSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped catalogue is well-formed; a bad catalogue is refused with the field, the value and what is allowed. */
class BaseCatalogTest {

    @TempDir
    Path dir;

    @Test
    void theShippedCatalogueIsWellFormed() {
        BaseCatalog catalog = BaseCatalog.shipped();
        assertEquals(BaseCatalog.SCHEMA, catalog.schema());
        assertTrue(catalog.bases().size() >= 10, "entries: " + catalog.names());
        Set<String> hashes = new HashSet<>();
        for (BaseEntry e : catalog.bases()) {
            String at = e.name() + ": ";
            assertTrue(e.sha256().matches("[0-9a-f]{64}"), at + e.sha256());
            assertTrue(hashes.add(e.sha256()), at + "hash listed twice");
            assertTrue(e.sizeBytes() > 1_000_000, at + "size " + e.sizeBytes());
            URI uri = e.uri();
            assertEquals("https", uri.getScheme(), at + e.url());
            assertEquals("github.com", uri.getHost(), at + e.url());
            assertTrue(uri.getPath().matches("/onnx/models/raw/[0-9a-f]{40}/.+\\.onnx"), at + "pinned commit: "
                    + e.url());
            assertFalse(e.url().contains("int8") || e.url().contains("qdq"), at + "quantised files do not train");
            assertTrue(e.opset() >= 7, at + e.opset());
            PreprocessSpec p = e.preprocessing();
            assertEquals(e.input().size(), p.cropSize(), at);
            assertTrue(p.resizeSize() >= p.cropSize(), at);
            assertEquals(3, p.mean().size(), at);
            assertEquals(3, p.std().size(), at);
            assertTrue(p.std().stream().allMatch(s -> s > 0), at);
            assertTrue(p.valueScale() > 0, at);
            assertFalse(e.licence().isBlank(), at);
            assertEquals(BaseEntry.IMAGENET_1K, e.labels(), at);
            assertTrue(e.source() != null && e.source().contains(e.url().substring(e.url().indexOf("/raw/") + 46)),
                    at + "source names the path read");
        }
        for (String required : List.of("mobilenetv2-7", "squeezenet1.1-7", "resnet18-v1-7", "resnet18-v2-7",
                "resnet50-v1-12", "resnet50-v2-7", "efficientnet-lite4-11")) {
            assertTrue(catalog.find(required).isPresent(), required);
        }
        assertEquals("3b4d048057854022232aa20bf68262e31718ab7119a17f920b8a2dc1433f824b",
                catalog.require("resnet18-v2-7").sha256());
        assertEquals(46806737, catalog.require("resnet18-v2-7").sizeBytes());
        assertEquals(InputLayout.NHWC, catalog.require("efficientnet-lite4-11").input().layout());
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        BaseCatalog catalog = BaseCatalog.shipped();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> catalog.require("resnet9"));
        assertEquals("unknown base \"resnet9\", allowed one of " + catalog.names(), e.getMessage());
    }

    @Test
    void badCataloguesAreRefusedNamingTheFieldAndWhatIsAllowed() throws Exception {
        byte[] bytes = FixtureServer.nchwBytes();
        String good = FixtureServer.catalogJson("tiny", "https://example.org/t.onnx", bytes, "data", "NCHW", 32);
        assertEquals("tiny", parse(good).bases().get(0).name());
        assertEquals("c: bases[0].sha256 is \"abc\", allowed 64 lowercase hex digits",
                message(good.replaceAll("\"sha256\": \"[0-9a-f]+\"", "\"sha256\": \"abc\"")));
        assertEquals("c: bases[0].url is \"ftp://example.org/t.onnx\", allowed an absolute http or https URL",
                message(good.replace("https://example.org", "ftp://example.org")));
        assertEquals("c: bases[0].sizeBytes is 0, allowed the file size in bytes (> 0)",
                message(good.replaceAll("\"sizeBytes\": \\d+", "\"sizeBytes\": 0")));
        assertEquals("c: bases[0].opset is 6, allowed 7 or newer (the importer and ONNX Runtime need opset 7+)",
                message(good.replace("\"opset\": 11", "\"opset\": 6")));
        assertEquals("c: bases[0].labels is \"coco\", allowed \"imagenet-1k\"",
                message(good.replace("\"imagenet-1k\"", "\"coco\"")));
        assertEquals("c: bases[0].preprocessing.cropSize is 32, allowed input.size (48)",
                message(good.replace("\"size\": 32", "\"size\": 48")));
        assertEquals("c: bases[0].licence is missing, allowed the licence of the weights, e.g. Apache-2.0",
                message(good.replace("\"licence\"", "\"license\"")), "a misspelt field never passes");
        assertTrue(message(good.replace("\"NCHW\"", "\"CHW\"")).contains("one of [NCHW, NHWC]"),
                message(good.replace("\"NCHW\"", "\"CHW\"")));
        assertEquals("c: schema is 2, allowed 1", message(good.replace("\"schema\": 1", "\"schema\": 2")));
        assertThrows(NoSuchFileException.class, () -> BaseCatalog.load(dir.resolve("missing.json")));
        Path file = dir.resolve("c.json");
        Files.writeString(file, good);
        assertEquals("test-1", BaseCatalog.load(file).version());
    }

    @Test
    void theCacheLivesWhereTheOptionTheEnvironmentOrTheHomeSays() {
        Path home = Path.of("/home/ann");
        assertEquals(Path.of("/home/ann/.edgeloop/bases"), BaseCache.locate(Optional.empty(), Map.of(), home).dir());
        assertEquals(Path.of("/srv/bases"),
                BaseCache.locate(Optional.empty(), Map.of(BaseCache.ENV, "/srv/bases"), home).dir());
        assertEquals(Path.of("x"),
                BaseCache.locate(Optional.of(Path.of("x")), Map.of(BaseCache.ENV, "/srv/bases"), home).dir());
    }

    private static BaseCatalog parse(String json) {
        return BaseCatalog.parse(json.getBytes(StandardCharsets.UTF_8), "c");
    }

    private static String message(String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }
}
