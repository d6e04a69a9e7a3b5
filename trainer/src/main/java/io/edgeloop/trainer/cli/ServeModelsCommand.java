package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.JobFailure;
import io.edgeloop.trainer.deploy.ModelFileServer;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trainer serve-models}: serves a model directory over HTTP (loopback by default) for {@code deploy --url}. */
@Command(name = "serve-models", mixinStandardHelpOptions = true,
        description = "Serve model files read-only over HTTP so 'deploy --url' works (loopback unless --host).")
public final class ServeModelsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory to serve.")
    private Path dir;

    @Option(names = "--port", defaultValue = "8089", paramLabel = "N", description = "Port. Default: ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to bind; devices on the network need a non-loopback one. Default: ${DEFAULT-VALUE}.")
    private String host;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after this many seconds (default: run until interrupted).")
    private Long durationSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (durationSeconds != null && durationSeconds < 1) {
            throw new IllegalArgumentException("--duration is " + durationSeconds + ", allowed 1 or more seconds");
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "serve-models-shutdown");
        try (ModelFileServer server = ModelFileServer.start(dir, host, port)) {
            Runtime.getRuntime().addShutdownHook(hook);
            spec.commandLine().getOut().println("Serving " + dir + " at " + server.baseUri());
            spec.commandLine().getOut().flush();
            if (durationSeconds != null) {
                stop.await(durationSeconds, TimeUnit.SECONDS);
            } else {
                stop.await();
            }
        } catch (BindException e) {
            throw new JobFailure("cannot serve on " + host + ":" + port + " (" + e.getMessage() + "); choose"
                    + " another --port or --host", e);
        } catch (IOException e) {
            throw new JobFailure("cannot serve on " + host + ":" + port + " (" + e.getMessage() + ")", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down, or the hook was never added
            }
        }
        return ExitCodes.OK;
    }
}
