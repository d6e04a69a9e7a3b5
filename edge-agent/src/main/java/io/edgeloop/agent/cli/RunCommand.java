package io.edgeloop.agent.cli;

import io.edgeloop.agent.config.AgentConfig;
import io.edgeloop.agent.config.ConfigException;
import io.edgeloop.agent.inference.ModelLoadException;
import io.edgeloop.agent.pipeline.Agent;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code run}: starts the agent and runs until SIGTERM/SIGINT (a shutdown hook closes it gracefully within the
 * configured timeout), or, with {@code --exit-when-done}, until every source ended and the spool is delivered.
 */
@Command(name = "run", mixinStandardHelpOptions = true, version = AgentMain.VERSION,
        description = {"Run the agent until stopped: SIGTERM or Ctrl-C shuts it down gracefully.",
                "It refuses to start (exit 2) when the config, a file it names or a camera source is unusable;"
                        + " 'check' reports the same problems and tests the broker too."})
public final class RunCommand implements Callable<Integer>, AgentMain.EnvironmentAware {

    @Mixin
    ConfigOptions options;

    @Option(names = "--exit-when-done",
            description = "exit once every source has ended (a replay without loop) and the spool is delivered")
    boolean exitWhenDone;

    private Map<String, String> environment = System.getenv();

    @Override
    public void environment(Map<String, String> env) {
        this.environment = env;
    }

    @Override
    public Integer call() throws ConfigException, ModelLoadException, IOException, InterruptedException {
        AgentConfig config = options.load();
        Agent agent = Agent.create(config, environment, new Random(), options.model != null);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        agent.start();
        if (exitWhenDone) {
            while (!agent.drained() && stopped.getCount() > 0) {
                Thread.sleep(50);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook closes the agent
                stopped.await();
                return ExitCodes.OK;
            }
            agent.close();
            return ExitCodes.OK;
        }
        stopped.await();
        return ExitCodes.OK;
    }
}
