package io.edgeloop.trainer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code trainer datasets}: prepares the datasets edgeloop ships with. It only groups subcommands; run alone it
 * fails with a usage error naming them.
 */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Prepare datasets as ImageFolder trees (one folder of PNGs per class).",
        subcommands = FashionMnistCommand.class)
public final class DatasetsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /**
     * Runs the command stand-alone (until the trainer CLI registers it): {@code java -cp trainer.jar
     * io.edgeloop.trainer.datasets.DatasetsCommand fashion-mnist --out DIR ...}.
     */

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: expected one of "
                + spec.subcommands().keySet());
    }
}
