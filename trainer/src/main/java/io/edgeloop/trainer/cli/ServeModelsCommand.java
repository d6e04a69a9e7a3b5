package io.edgeloop.trainer.cli;

import java.util.concurrent.Callable;
import io.edgeloop.trainer.deploy.ModelFileServer;

import io.edgeloop.trainer.cli.CommandLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
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

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (default: run until interrupted).")
    private Long durationSeconds;



    @Override
    public Integer call() throws InterruptedException {
        CommandLine cmd = spec.commandLine();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "serve-models-shutdown");
        try (ModelFileServer server = ModelFileServer.start(dir, host, port)) {
            Runtime.getRuntime().addShutdownHook(hook);
            cmd.getOut().println("Serving " + dir + " at " + server.baseUri());
            cmd.getOut().flush();
            if (durationSeconds != null) {
                stop.await(durationSeconds, TimeUnit.SECONDS);
            } else {
                stop.await();
            }
        } catch (IllegalArgumentException e) {
            return CommandLines.badInput(cmd, e.getMessage());
        } catch (IOException e) {
            return CommandLines.failure(cmd, "cannot serve on " + host + ":" + port + ": " + e);
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
