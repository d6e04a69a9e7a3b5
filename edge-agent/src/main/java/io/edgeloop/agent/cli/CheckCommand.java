package io.edgeloop.agent.cli;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.CameraConfig;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.config.SourceConfig;
import io.edgeloop.agent.deploy.TrustedKeys;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelLoadException;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.mqtt.BrokerProbe;
import io.edgeloop.agent.mqtt.LinkSettings;
import io.edgeloop.agent.pipeline.Agent;
import io.edgeloop.agent.pipeline.AgentLinks;
import io.edgeloop.agent.source.SourceCheck;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code check}: validates the config, checks every camera source, the trust store and the state directory as
 * {@code run} would before starting, loads the model and runs one inference, connects to the broker, and prints one
 * verdict line per step. Exit 0 only if every step passes (warnings allowed); 1 if one fails, with the failed steps
 * named on stderr; 2 if the config or an option is unusable. Whenever {@code run} would refuse to start, a step
 * fails; {@code check} also fails for a broker {@code run} would keep retrying.
 */
@Command(name = "check", mixinStandardHelpOptions = true, version = AgentMain.VERSION,
        description = {"Check a config before running it: validate it, check the camera sources, the trust store and"
                + " the state directory, load the model and run one inference, connect to the broker. One verdict"
                + " line per step.",
                "Exit 0 when every step passes, 1 when one fails, 2 when the config or an option is unusable."})
public final class CheckCommand implements Callable<Integer>, AgentMain.EnvironmentAware {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    private Map<String, String> environment = System.getenv();

    /** The steps that failed, for the verdict. */
    private final List<String> failed = new ArrayList<>();
    private int warnings;
    private PrintWriter out;

    @Override
    public void environment(Map<String, String> env) {
        this.environment = env;
    }

    @Override
    public Integer call() throws ConfigException {
        out = spec.commandLine().getOut();
        AgentConfig config;
        try {
            config = options.load();
        } catch (ConfigException e) {
            out.println("config   FAIL");
            throw e;
        }
        ok("config", options.config + " (device " + config.deviceId() + ", " + config.cameras().size()
                + " camera(s))");
        for (int i = 0; i < config.cameras().size(); i++) {
            CameraConfig camera = config.cameras().get(i);
            try {
                String what = SourceCheck.check("cameras[" + i + "].source", camera.source());
                credentials(camera.source());
                ok("camera", camera.id() + ": " + what);
            } catch (ConfigException e) {
                fail("camera", camera.id(), camera.id() + ": " + e.getMessage());
            }
        }
        if (config.deploy() != null) {
            try {
                TrustedKeys trusted = TrustedKeys.read(config.deploy().trustedKeys());
                if (trusted.noKeysReason() != null) {
                    warn("deploy", trusted.describe());
                } else {
                    ok("deploy", trusted.describe());
                }
            } catch (ConfigException e) {
                fail("deploy", null, e.getMessage());
            }
        }
        state(config.spoolDir());
        try {
            // the model `run` would start with: the deployed one unless --model names another
            checkModel(config, Agent.startModel(config, options.model != null));
        } catch (ConfigException | ModelLoadException e) {
            fail("model", null, e.getMessage());
        }
        broker(config);
        if (failed.isEmpty()) {
            out.println("verdict  ok" + (warnings == 0 ? "" : " (" + warnings + " warning" + (warnings == 1 ? "" : "s")
                    + ")"));
            return ExitCodes.OK;
        }
        out.println("verdict  FAIL");
        spec.commandLine().getErr().println(spec.qualifiedName() + ": failed: " + String.join(", ", failed));
        return ExitCodes.FAILURE;
    }

    /** The broker's secrets and TLS files as {@code run} reads them, then one connect. */
    private void broker(AgentConfig config) {
        LinkSettings link;
        try {
            link = AgentLinks.settings(config, environment);
        } catch (ConfigException e) {
            fail("broker", null, e.getMessage());
            return;
        }
        String problem = BrokerProbe.probe(link);
        if (problem == null) {
            ok("broker", "connected to " + link.broker() + " as " + link.clientId() + "-check");
        } else {
            fail("broker", null, link.broker() + ": " + problem);
        }
    }

    /** Resolves a camera's credentials as the source factory will (a missing variable or file fails). */
    private void credentials(SourceConfig source) throws ConfigException {
        SourceConfig.Auth auth = source instanceof SourceConfig.HttpSnapshot h ? h.auth()
                : source instanceof SourceConfig.Mjpeg m ? m.auth() : null;
        if (auth != null) {
            auth.password().resolve(environment);
        }
    }

    /** The spool's directory must exist and be writable, or be creatable: the agent opens it at start. */
    private void state(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && Files.isDirectory(existing) && Files.isWritable(existing)) {
            ok("state", "spool " + dir + (existing.equals(dir.toAbsolutePath()) ? "" : " (created at start)"));
        } else {
            fail("state", null, "spool " + dir + ": " + existing + " is not a writable directory, allowed a "
                    + "stateDir (or spool.dir) the agent can write");
        }
    }

    private void checkModel(AgentConfig config, ModelSpec model) {
        try (ModelRuntime runtime = ModelRuntime.open(model, config.inference().session());
                InferenceContext context = runtime.newContext()) {
            int size = model.preprocess().cropSize();
            BufferedImage grey = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            var g = grey.createGraphics();
            g.setColor(Color.GRAY);
            g.fillRect(0, 0, size, size);
            g.dispose();
            context.input().clear();
            new ImagePreprocessor(model.preprocess()).preprocess(grey, context.input());
            long t0 = System.nanoTime();
            float[] scores = context.run();
            double ms = (System.nanoTime() - t0) / 1e6;
            Classification c = new Postprocessor(model.labels(), model.outputKind(), model.temperature(),
                    config.inference().topK(), config.inference().minConfidence(),
                    config.inference().thresholdsFor(model.thresholds())).apply(scores);
            config.checkHardExampleLabels(model.labels());
            ok("model", String.format(Locale.ROOT, "%s (%s %s, %d labels, input %s %dx%d); one inference on a grey "
                    + "frame: %s %.3f in %.1f ms", model.onnx(), model.name(), model.version(), model.labels().size(),
                    runtime.inputName(), size, size, c.topLabel(), c.score(), ms));
        } catch (ModelLoadException | IllegalArgumentException e) {
            fail("model", null, e.getMessage());
        } catch (ai.onnxruntime.OrtException e) {
            fail("model", null, "inference failed: " + e.getMessage());
        }
    }

    private void ok(String step, String detail) {
        out.println(line(step, "ok", detail));
    }

    private void warn(String step, String detail) {
        warnings++;
        out.println(line(step, "warn", detail));
    }

    /** @param which the camera id when several lines share the step */
    private void fail(String step, String which, String detail) {
        failed.add(which == null ? step : step + " " + which);
        out.println(line(step, "FAIL", detail));
    }

    private static String line(String step, String verdict, String detail) {
        return String.format(Locale.ROOT, "%-8s %-5s %s", step, verdict, detail);
    }
}
