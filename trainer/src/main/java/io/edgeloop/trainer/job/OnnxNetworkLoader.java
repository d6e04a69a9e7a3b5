package io.edgeloop.trainer.job;

import ai.djl.ndarray.NDManager;
import io.edgeloop.trainer.model.ClassifierNetwork;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxImporter;
import java.nio.file.Files;
import java.nio.file.Path;

/** The default {@link NetworkLoader}: the ONNX importer. */
public final class OnnxNetworkLoader implements NetworkLoader {

    @Override
    public ClassifierNetwork load(Path base, HeadSpec head, NDManager manager) {
        if (!Files.isRegularFile(base)) {
            throw new IllegalArgumentException("base model " + base + " does not exist or is not a file");
        }
        return OnnxImporter.load(base, head, manager);
    }
}
