package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.JobFailure;
import io.edgeloop.trainer.deploy.ModelFileServer;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
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

    @Mixin
    private StopOptions stopOptions;

    @Override
    public Integer call() throws InterruptedException {
        try (StopOptions.Signal stop = stopOptions.watch("serve-models-shutdown");
             ModelFileServer server = ModelFileServer.start(dir, host, port)) {
            spec.commandLine().getOut().println("Serving " + dir + " at " + server.baseUri());
            spec.commandLine().getOut().flush();
            stop.await();
        } catch (BindException e) {
            throw new JobFailure("cannot serve on " + host + ":" + port + " (" + e.getMessage() + "); choose"
                    + " another --port or --host", e);
        } catch (IOException e) {
            throw new JobFailure("cannot serve on " + host + ":" + port + " (" + e.getMessage() + ")", e);
        }
        return ExitCodes.OK;
    }
}
