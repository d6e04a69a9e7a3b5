package io.edgeloop.trainer.job;

import ai.onnx.proto.OnnxMl;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.onnx.HeadSpec;
import io.edgeloop.trainer.onnx.OnnxClassifierNetwork;
import io.edgeloop.trainer.onnx.OnnxImporter;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the PyTorch engine once per process with the native library's one-time warnings kept off the user's
 * terminal. On a CPU without NNPACK support PyTorch prints {@code Could not initialize NNPACK!} at the first
 * convolution, and DJL's bindings trigger a 400-character {@code AutoNonVariableTypeMode is deprecated} warning;
 * both are printed by C++ straight to file descriptor 2, where no Java logging setting reaches them, and both only
 * once per process. So the first start imports a tiny generated ONNX network and runs a convolution forward and
 * backward with descriptor 2 pointed at {@code /dev/null} (through libc, via JNA, which DJL already ships), then
 * restores it. Nothing else runs in the process meanwhile: call it before the work starts. Where that is not possible
 * (not Linux or macOS, libc not loadable) the engine starts as usual and the warnings appear; the reason is logged
 * at debug level. Set {@code -Dedgeloop.native.warnings=true} to see them.
 *
 * <p>It also caps oneDNN's instruction set (see {@link #capOneDnn}), so training computes correct gradients on CPUs
 * where oneDNN's wider kernels do not.
 */
public final class QuietEngine {

    private static final Logger LOG = LoggerFactory.getLogger(QuietEngine.class);
    private static final int STDERR = 2;
    private static final int O_WRONLY = 1;
    private static final String ONEDNN_ISA = "ONEDNN_MAX_CPU_ISA";
    private static final String SAFE_ISA = "SSE41";

    private static boolean started;

    private QuietEngine() {
    }

    /** Starts the PyTorch engine (idempotent); the first call spends a few milliseconds on the muted warm-up. */
    public static synchronized Engine start() {
        if (started) {
            return Engine.getEngine("PyTorch");
        }
        started = true;
        LibC libc = null;
        if (Platform.isLinux() || Platform.isMac()) {
            try {
                libc = Native.load("c", LibC.class);
                capOneDnn(libc);
            } catch (UnsatisfiedLinkError e) {
                LOG.debug("libc not loadable, native warnings stay on stderr", e);
            }
        }
        Engine engine = Engine.getEngine("PyTorch");
        if (libc == null || Boolean.getBoolean("edgeloop.native.warnings")) {
            return engine;
        }
        System.err.flush();
        int saved = libc.dup(STDERR);
        int sink = libc.open("/dev/null", O_WRONLY);
        if (saved < 0 || sink < 0 || libc.dup2(sink, STDERR) < 0) {
            LOG.debug("cannot mute stderr (dup {}, open {}), native warnings stay on it", saved, sink);
            closeQuietly(libc, sink);
            closeQuietly(libc, saved);
            return engine;
        }
        try {
            warmUp(engine);
        } finally {
            libc.dup2(saved, STDERR);
            libc.close(saved);
            libc.close(sink);
        }
        return engine;
    }

    /** The operations whose first use prints the warnings: an ONNX import and a convolution with gradients. */
    private static void warmUp(Engine engine) {
        OnnxMl.ModelProto tiny = ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, ArchSpec.MIN_WIDTH, 16, 2,
                1));
        try (NDManager manager = engine.newBaseManager();
             OnnxClassifierNetwork network = OnnxImporter.load(tiny, HeadSpec.auto(2, 1), manager);
             GradientCollector collector = engine.newGradientCollector()) {
            NDArray x = manager.ones(new Shape(1, 1, 4, 4));
            NDArray w = manager.ones(new Shape(1, 1, 3, 3));
            w.setRequiresGradient(true);
            NDArray y = Conv2d.conv2d(x, w).singletonOrThrow();
            collector.backward(y.sum());
        } catch (RuntimeException e) {
            LOG.debug("PyTorch warm-up failed; the first real operation will report it", e);
        }
    }

    /**
     * oneDNN's AVX2 and AVX-512 convolution kernels in PyTorch 2.5.1 return wrong, even NaN, weight gradients on
     * some CPUs (seen on AMD EPYC with AVX-512: the stem convolution's gradient differs between identical steps).
     * Unless the user chose an ISA, cap oneDNN at SSE4.1 before its first use, when it reads the variable;
     * {@code ONEDNN_MAX_CPU_ISA=ALL} lifts the cap.
     */
    private static void capOneDnn(LibC libc) {
        if (System.getenv(ONEDNN_ISA) == null) {
            libc.setenv(ONEDNN_ISA, SAFE_ISA, 0);
            LOG.debug("{}={} (oneDNN's wider kernels miscompute convolution gradients on some CPUs)", ONEDNN_ISA,
                    SAFE_ISA);
        }
    }

    private static void closeQuietly(LibC libc, int fd) {
        if (fd >= 0) {
            libc.close(fd);
        }
    }

    /** The few libc calls the muting needs. */
    interface LibC extends Library {
        int dup(int fd);

        int dup2(int from, int to);

        int open(String path, int flags);

        int close(int fd);

        int setenv(String name, String value, int overwrite);
    }
}
