package io.edgeloop.protocol.model;

import io.edgeloop.protocol.digest.Sha256;
import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an ONNX file defensively: size limit before reading, protobuf parse, and the structural checks that tell an
 * ONNX model from bytes that merely happen to parse as protobuf.
 */
final class OnnxModelFile {

    /** Parsed model with the hash and size of the exact bytes read. */
    record Loaded(OnnxMl.ModelProto model, String sha256, long sizeBytes) {
    }

    private OnnxModelFile() {
    }

    static Loaded read(Path file, ReadOptions options) throws ModelPackageException {
        long size;
        try {
            if (!Files.isRegularFile(file)) {
                throw new ModelPackageException(file, Files.exists(file) ? "not a regular file" : "no such file");
            }
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ModelPackageException(file, "no such file", e);
        } catch (IOException e) {
            throw new ModelPackageException(file, "cannot read (" + e + ")", e);
        }
        if (size > options.maxBytes()) {
            throw new ModelPackageException(file, "file is " + size + " bytes, allowed at most " + options.maxBytes()
                    + " bytes (ReadOptions.maxBytes)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelPackageException(file, "cannot read (" + e + ")", e);
        }
        if (bytes.length > options.maxBytes()) {
            // The file grew between the size check and the read.
            throw new ModelPackageException(file, "file is " + bytes.length + " bytes, allowed at most "
                    + options.maxBytes() + " bytes (ReadOptions.maxBytes)");
        }
        return new Loaded(parse(file, bytes), Sha256.hex(bytes), bytes.length);
    }

    static OnnxMl.ModelProto parse(Path file, byte[] bytes) throws ModelPackageException {
        if (bytes.length == 0) {
            throw notOnnx(file, "empty file");
        }
        OnnxMl.ModelProto model;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            in.setRecursionLimit(200);
            model = OnnxMl.ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw notOnnx(file, sniff(bytes) + "protobuf parse failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw notOnnx(file, sniff(bytes) + "protobuf parse failed: " + e, e);
        }
        if (model.getIrVersion() <= 0) {
            throw notOnnx(file, sniff(bytes) + "no ir_version");
        }
        if (model.getOpsetImportCount() == 0) {
            throw notOnnx(file, sniff(bytes) + "no opset_import");
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw notOnnx(file, sniff(bytes) + "no graph nodes");
        }
        if (model.getGraph().getOutputCount() == 0) {
            throw notOnnx(file, sniff(bytes) + "graph has no outputs");
        }
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
                throw new ModelPackageException(file, "initializer \"" + t.getName()
                        + "\" keeps its data in an external file, allowed only self-contained ONNX files");
            }
        }
        return model;
    }

    private static ModelPackageException notOnnx(Path file, String why) {
        return new ModelPackageException(file, "not an ONNX model (" + why + ")");
    }

    private static ModelPackageException notOnnx(Path file, String why, Throwable cause) {
        return new ModelPackageException(file, "not an ONNX model (" + why + ")", cause);
    }

    /** A hint at what the bytes are instead, from their first bytes; empty if nothing is recognised. */
    private static String sniff(byte[] b) {
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return "looks like a JPEG image; ";
        }
        if (startsWith(b, 0x89, 'P', 'N', 'G')) {
            return "looks like a PNG image; ";
        }
        if (startsWith(b, 'P', 'K', 3, 4)) {
            return "looks like a ZIP archive; ";
        }
        if (startsWith(b, 0x1F, 0x8B)) {
            return "looks like a gzip file; ";
        }
        int n = Math.min(b.length, 256);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x09 || (c > 0x0D && c < 0x20) || c == 0x7F) {
                return "";
            }
        }
        return "looks like text; ";
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
