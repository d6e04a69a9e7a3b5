package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.OnnxNetworkLoader;
import io.edgeloop.trainer.job.TrainerServices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.edgeloop.trainer.arch.ArchSpec;
import io.edgeloop.trainer.arch.Architecture;
import io.edgeloop.trainer.arch.ArchitectureOnnx;
import io.edgeloop.trainer.testing.TestImages;
import io.edgeloop.trainer.train.DeviceKind;
import io.edgeloop.trainer.train.TrainingDevices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fit --device} and {@code --gpus}: which devices a run uses and the errors for bad selections. */
class FitDevicesTest {

    @TempDir
    static Path shared;
    static Path data;
    static Path base;

    /** Runs the CLI on a machine whose engine reports {@code gpus} GPUs. */
    static Run run(int gpus, String... args) {
        return run(new TrainerServices(new OnnxNetworkLoader(), Optional.empty(), () -> gpus), args);
    }

    static Run run(TrainerServices services, String... args) {
        return Run.of(services, args);
    }

    static String[] fit(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("fit", "--base", base.toString(), "--data", data.toString(),
                "--out", out.toString(), "--epochs", "1"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @BeforeAll
    static void fixtures() throws Exception {
        data = shared.resolve("data");
        TestImages.writeDataset(data, new String[] {"a", "b"}, new int[] {4, 4}, 40, 3);
        base = shared.resolve("simplecnn.onnx");
        ArchitectureOnnx.write(ArchitectureOnnx.build(new ArchSpec(Architecture.SIMPLECNN, 0.5, 32, 10, 1)), base);
    }

    @Test
    void gpusNeedsDeviceGpu(@TempDir Path out) {
        Run noDevice = run(2, fit(out, "--gpus", "0,1"));
        assertEquals(2, noDevice.code());
        assertEquals("trainer fit: --gpus 0,1 is only valid with --device gpu (the device is cpu)\n", noDevice.err());
        Run cpu = run(2, fit(out, "--device", "cpu", "--gpus", "1"));
        assertEquals(2, cpu.code());
        assertEquals("trainer fit: --gpus 1 is only valid with --device gpu (the device is cpu)\n", cpu.err());
    }

    @Test
    void deviceGpuWithoutAGpuIsAnError(@TempDir Path out) {
        String expected = "trainer fit: --device gpu: PyTorch sees no GPU (the CUDA natives come with the Maven"
                + " profile gpu; check the NVIDIA driver), allowed here: cpu\n";
        Run none = run(0, fit(out, "--device", "gpu"));
        assertEquals(2, none.code());
        assertEquals(expected, none.err());
        Run withList = run(0, fit(out, "--device", "gpu", "--gpus", "0"));
        assertEquals(2, withList.code());
        assertEquals(expected, withList.err());
        // and with the real engine on this machine, which has no GPU
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        Run real = run(TrainerServices.defaults(), fit(out, "--device", "gpu"));
        assertEquals(2, real.code());
        assertEquals(expected, real.err());
    }

    @Test
    void gpusMustExistAndAppearOnce(@TempDir Path out) {
        Run missing = run(2, fit(out, "--device", "gpu", "--gpus", "0,2"));
        assertEquals(2, missing.code());
        assertEquals("trainer fit: --gpus 0,2: there is no GPU 2, allowed: 0..1 (PyTorch sees 2 GPUs)\n",
                missing.err());
        Run negative = run(2, fit(out, "--device", "gpu", "--gpus=-1"));
        assertEquals(2, negative.code());
        assertEquals("trainer fit: --gpus -1: there is no GPU -1, allowed: 0..1 (PyTorch sees 2 GPUs)\n",
                negative.err());
        Run oneGpu = run(1, fit(out, "--device", "gpu", "--gpus", "1"));
        assertEquals(2, oneGpu.code());
        assertEquals("trainer fit: --gpus 1: there is no GPU 1, allowed: 0 (PyTorch sees 1 GPU)\n", oneGpu.err());
        Run twice = run(4, fit(out, "--device", "gpu", "--gpus", "2,0,2"));
        assertEquals(2, twice.code());
        assertEquals("trainer fit: --gpus 2,0,2: GPU 2 is listed twice, allowed: each GPU at most once\n",
                twice.err());
        Run notANumber = run(2, fit(out, "--device", "gpu", "--gpus", "0,x"));
        assertEquals(2, notANumber.code());
        assertEquals("trainer fit: Invalid value for option '--gpus' (LIST): 'x' is not an int (see 'trainer fit"
                + " --help')\n", notANumber.err());
    }

    @Test
    void selectionListsTheDevicesPrimaryFirst() {
        assertEquals(TrainingDevices.single(Device.cpu()), DeviceSelection.resolve(DeviceKind.CPU, null, () -> {
            throw new AssertionError("the GPU count is not asked for --device cpu");
        }));
        assertEquals(List.of(Device.gpu(0), Device.gpu(1), Device.gpu(2)),
                DeviceSelection.resolve(DeviceKind.GPU, null, () -> 3).devices());
        TrainingDevices chosen = DeviceSelection.resolve(DeviceKind.GPU, List.of(2, 0), () -> 3);
        assertEquals(List.of(Device.gpu(2), Device.gpu(0)), chosen.devices());
        assertEquals(Device.gpu(2), chosen.primary());
        assertEquals(true, chosen.dataParallel());
        assertEquals(false, DeviceSelection.resolve(DeviceKind.GPU, null, () -> 1).dataParallel());
        assertEquals("--gpus is empty, allowed: a comma-separated list of GPU indices 0..2 (PyTorch sees 3 GPUs)",
                assertThrows(IllegalArgumentException.class,
                        () -> DeviceSelection.resolve(DeviceKind.GPU, List.of(), () -> 3)).getMessage());
    }

    @Test
    void helpDescribesTheOptions() {
        Run help = run(0, "fit", "--help");
        assertEquals(0, help.code());
        assertEquals(true, java.util.regex.Pattern.compile("\\n      --gpus=LIST +With --device gpu: the GPUs to"
                + " train on,").matcher(help.out()).find(), help.out());
        assertEquals(true, help.out().contains("cpu or gpu (every GPU PyTorch sees, data-parallel"), help.out());
    }
}
