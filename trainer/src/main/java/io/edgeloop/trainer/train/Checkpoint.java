package io.edgeloop.trainer.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.edgeloop.protocol.files.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The checkpoint file {@code checkpoint.bin} in the output folder, rewritten atomically after every epoch: magic,
 * format version, the {@link CheckpointState} as JSON, the network's parameters (incl. BatchNorm statistics), the
 * optimiser state, and the best parameters so far. Each part is length-prefixed.
 */
public final class Checkpoint {

    /** The file name inside the output folder. */
    public static final String FILE_NAME = "checkpoint.bin";

    private static final String MAGIC = "edgeloop-checkpoint";
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Checkpoint() {
    }

    /** What a checkpoint file holds once read. */
    public record Loaded(CheckpointState state, byte[] bestParameters) {
    }

    /** Serialises a block's parameters to bytes (for the in-memory best copy). */
    public static byte[] parameterBytes(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    /**
     * Restores a block's parameters from {@link #parameterBytes} output. DJL's {@code Parameter.load} gives each
     * parameter a new array and leaves the old one open in its manager: the replaced arrays are closed here, so a
     * best-weights restore or a resume does not keep a second copy of the model (on a GPU: in its memory).
     */
    public static void loadParameterBytes(Block block, NDManager manager, byte[] bytes) throws IOException {
        Map<Parameter, NDArray> before = new IdentityHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().isInitialized()) {
                before.put(p.getValue(), p.getValue().getArray());
            }
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("saved parameters do not fit the network: " + e.getMessage(), e);
        } finally {
            before.forEach((parameter, old) -> {
                if (parameter.getArray() != old) {
                    old.close();
                }
            });
        }
    }

    /** Writes the checkpoint to {@code outDir/checkpoint.bin} via a temporary file and an atomic move. */
    public static void save(Path outDir, CheckpointState state, Block block, GroupedOptimizer optimizer,
                            byte[] bestParameters) throws IOException {
        byte[] parameters = parameterBytes(block);
        ByteArrayOutputStream opt = new ByteArrayOutputStream();
        try (DataOutputStream optOut = new DataOutputStream(opt)) {
            optimizer.save(optOut);
        }
        AtomicFiles.replace(outDir.resolve(FILE_NAME), stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            writeBlob(out, JSON.writeValueAsBytes(state));
            writeBlob(out, parameters);
            writeBlob(out, opt.toByteArray());
            writeBlob(out, bestParameters == null ? new byte[0] : bestParameters);
            out.flush();
        });
    }

    /**
     * Reads a checkpoint into the block and optimiser.
     *
     * @throws IOException naming the file when it is not a checkpoint or does not fit
     */
    public static Loaded load(Path file, Block block, NDManager manager, GroupedOptimizer optimizer,
                              java.util.List<TrainableParameter> trainable) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            String magic;
            try {
                magic = in.readUTF();
            } catch (IOException e) {
                magic = "";
            }
            if (!MAGIC.equals(magic)) {
                throw new IOException(file + " is not an edgeloop checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " has checkpoint format " + version + ", this trainer reads " + VERSION);
            }
            CheckpointState state = JSON.readValue(new String(readBlob(in), StandardCharsets.UTF_8),
                    CheckpointState.class);
            loadParameterBytes(block, manager, readBlob(in));
            byte[] opt = readBlob(in);
            try (DataInputStream optIn = new DataInputStream(new ByteArrayInputStream(opt))) {
                optimizer.load(optIn, trainable);
            }
            byte[] best = readBlob(in);
            return new Loaded(state, best.length == 0 ? null : best);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IOException(file + ": cannot resume from this checkpoint: " + e.getMessage(), e);
        }
    }

    private static void writeBlob(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBlob(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt length " + n);
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }
}
