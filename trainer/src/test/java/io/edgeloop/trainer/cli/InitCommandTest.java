package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InitCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new InitCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    /** 695,366 parameters: torchvision mobilenet_v2(width_mult=0.5, num_classes=6) has the same. */
    @Test
    void writesTheModelWithItsSpecInTheMetadata() throws Exception {
        Path file = dir.resolve("models/base.onnx");
        int code = run("--arch", "mobilenetv2", "--width", "0.5", "--image-size", "28", "--classes", "6",
                "--seed", "3", "--out", file.toString());
        assertEquals(0, code, err.toString());
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
        ArchSpec expected = new ArchSpec(Architecture.MOBILENETV2, 0.5, 28, 6, 3);
        // the builder's graph, marked as random so that fit warns a user who takes it for a pretrained base
        assertEquals(ArchitectureOnnx.build(expected).toBuilder().addMetadataProps(StringStringEntryProto
                .newBuilder().setKey("edgeloop.weights").setValue("random-init")).build(), model);
        assertEquals(String.format("Wrote %s: %s, 695,366 parameters, input input [batch, 3, 28, 28], output"
                + " logits [batch, 6]%n", file, expected.toJson()), out.toString());
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // Default permissions (umask), as for any new file; not owner-only like a temporary file's.
            Path plain = Files.createFile(dir.resolve("plain"));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
        }
    }

    @Test
    void defaultsAreWidthOneSize224Seed42() throws Exception {
        Path file = dir.resolve("r.onnx");
        assertEquals(0, run("--arch", "simplecnn", "--classes", "4", "--out", file.toString()), err.toString());
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals(new ArchSpec(Architecture.SIMPLECNN, 1.0, 224, 4, 42),
                ArchSpec.fromJson(model.getMetadataProps(0).getValue()));
    }

    @Test
    void badOptionsNameOptionValueAndAllowedRange() {
        String file = dir.resolve("x.onnx").toString();
        assertEquals(2, run("--arch", "vgg", "--classes", "4", "--out", file));
        assertTrue(err.toString().startsWith("Invalid value for option '--arch': architecture 'vgg' is not one of"
                + " mobilenetv2, resnet18, simplecnn"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--arch", "resnet18", "--classes", "4", "--width", "5", "--out", file));
        assertTrue(err.toString().startsWith("Invalid value for option '--width': 5.0 (allowed 0.1 to 4.0)"),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--arch", "resnet18", "--classes", "1", "--out", file));
        assertTrue(err.toString().startsWith("Invalid value for option '--classes': 1 (allowed 2 to 100000)"),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--arch", "resnet18", "--classes", "3", "--image-size", "4", "--out", file));
        assertTrue(err.toString().startsWith("Invalid value for option '--image-size': 4 (allowed 8 to 2048)"),
                err.toString());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    @Test
    void unwritableOutputExitsWithOne() throws Exception {
        Path blocker = Files.writeString(dir.resolve("file"), "not a directory");
        assertEquals(1, run("--arch", "simplecnn", "--classes", "4", "--image-size", "16", "--width", "0.25",
                "--out", blocker.resolve("m.onnx").toString()));
        assertTrue(err.toString().startsWith("trainer init: cannot write " + blocker.resolve("m.onnx") + ": "),
                err.toString());
    }
}
