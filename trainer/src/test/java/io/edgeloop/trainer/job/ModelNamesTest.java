package io.edgeloop.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ModelNamesTest {

    private static final Path BASE = Path.of("models/base/model.onnx");

    @Test
    void aModelIsNamedAfterWhatItsDataFolderHolds() {
        assertEquals("shelf-items", ModelNames.defaultName(BASE, Path.of("/home/ana/shelf-items")));
        assertEquals("shelf-items", ModelNames.defaultName(BASE, Path.of("/home/ana/shelf-items/train")));
        assertEquals("Kuh_Stall_2", ModelNames.defaultName(BASE, Path.of("/data/Kuh Stall 2/")));
    }

    @Test
    void withoutAUsableFolderNameTheBaseNameIsUsed() {
        // the committed base model is a package: its card names it
        assertEquals("edgeloop-fmnist-base-ft", ModelNames.defaultName(Path.of("../models/base/model.onnx"),
                Path.of("/data/images")));
        assertEquals("resnet18-ft", ModelNames.defaultName(Path.of("/nowhere/resnet18.onnx"), Path.of("/train")));
    }

    @Test
    void versionsAreTheUtcTime() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T09:05:03Z"), ZoneOffset.ofHours(5));
        assertEquals("20261207-090503", ModelNames.defaultVersion(clock));
    }
}
