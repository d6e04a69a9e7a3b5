package io.edgeloop.agent.cli;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.inference.Classification;
import io.edgeloop.agent.inference.InferenceContext;
import io.edgeloop.agent.inference.ModelLoadException;
import io.edgeloop.agent.inference.ModelRuntime;
import io.edgeloop.agent.inference.ModelSpec;
import io.edgeloop.agent.inference.Postprocessor;
import io.edgeloop.agent.mqtt.BrokerProbe;
import io.edgeloop.agent.mqtt.LinkSettings;
import io.edgeloop.agent.pipeline.AgentLinks;
import io.edgeloop.protocol.preprocess.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code check}: validates the config, loads the model and runs one inference, connects to the broker, and prints a
 * readable verdict per step. Exit 0 only if all pass; 2 if the config is invalid; 1 if a later step fails.
 */
@Command(name = "check", mixinStandardHelpOptions = true, version = AgentMain.VERSION,
        description = {"Check a config before running it: validate it, load the model and run one inference,"
                + " connect to the broker. One verdict line per step.",
                "Exit 0 when every step passes, 1 when one fails, 2 when the config or an option is unusable."})
public final class CheckCommand implements Callable<Integer>, AgentMain.EnvironmentAware {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    private Map<String, String> environment = System.getenv();

    @Override
    public void environment(Map<String, String> env) {
        this.environment = env;
    }

    @Override
    public Integer call() throws ConfigException {
        PrintWriter out = spec.commandLine().getOut();
        AgentConfig config;
        LinkSettings link;
        try {
            config = options.load();
            link = AgentLinks.settings(config, environment);
        } catch (ConfigException e) {
            out.println("config   FAIL");
            throw e;
        }
        out.println("config   ok    " + options.config + " (device " + config.deviceId() + ", "
                + config.cameras().size() + " camera(s))");
        boolean ok = true;
        if (config.deploy() != null) {
            try {
                var trust = io.edgeloop.protocol.signing.TrustStore.load(java.nio.file.Path.of(
                        config.deploy().trustedKeys()));
                out.println("deploy   ok    trusting " + trust.keyIds().size() + " key(s) " + trust.keyIds() + " from "
                        + config.deploy().trustedKeys());
            } catch (io.edgeloop.protocol.signing.KeyFileException e) {
                ok = false;
                out.println("deploy   FAIL  " + e.getMessage());
            }
        }
        ModelSpec model;
        try {
            // the model `run` would start with: the deployed one unless --model names another
            model = io.edgeloop.agent.pipeline.Agent.startModel(config, options.model != null);
        } catch (ConfigException | ModelLoadException e) {
            model = null;
            ok = false;
            out.println("model    FAIL  " + e.getMessage());
        }
        if (model != null) {
            ok = checkModel(config, model, out);
        }
        String problem = BrokerProbe.probe(link);
        if (problem == null) {
            out.println("broker   ok    connected to " + link.broker() + " as " + link.clientId() + "-check");
        } else {
            ok = false;
            out.println("broker   FAIL  " + link.broker() + ": " + problem);
        }
        out.println(ok ? "verdict  ok" : "verdict  FAIL");
        return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static boolean checkModel(AgentConfig config, ModelSpec model, PrintWriter out) {
        try (ModelRuntime runtime = ModelRuntime.open(model, config.inference().session());
                InferenceContext context = runtime.newContext()) {
            int size = model.preprocess().cropSize();
            BufferedImage grey = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            var g = grey.createGraphics();
            g.setColor(java.awt.Color.GRAY);
            g.fillRect(0, 0, size, size);
            g.dispose();
            context.input().clear();
            new ImagePreprocessor(model.preprocess()).preprocess(grey, context.input());
            long t0 = System.nanoTime();
            float[] scores = context.run();
            double ms = (System.nanoTime() - t0) / 1e6;
            Classification c = new Postprocessor(model.labels(), model.outputKind(), model.temperature(),
                    config.inference().topK(), config.inference().minConfidence(),
                    config.inference().classThresholds()).apply(scores);
            out.printf(java.util.Locale.ROOT, "model    ok    %s (%s %s, %d labels, input %s %dx%d); one "
                    + "inference on a grey frame: %s %.3f in %.1f ms%n", model.onnx(), model.name(), model.version(),
                    model.labels().size(), runtime.inputName(), size, size, c.topLabel(), c.score(), ms);
            return true;
        } catch (ModelLoadException | IllegalArgumentException e) {
            out.println("model    FAIL  " + e.getMessage());
        } catch (ai.onnxruntime.OrtException e) {
            out.println("model    FAIL  inference failed: " + e.getMessage());
        }
        return false;
    }
}
