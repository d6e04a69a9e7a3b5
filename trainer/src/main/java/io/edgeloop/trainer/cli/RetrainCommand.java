package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.GateResult;
import io.edgeloop.trainer.job.RetrainJob;
import io.edgeloop.trainer.job.RetrainResult;
import io.edgeloop.trainer.loop.LoopConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code trainer retrain --config loop.yaml}: one unattended round of the closed loop ({@link RetrainJob}), each step
 * printed with the time, for a timer's journal. Exit 0 when there was nothing to do, another round was running, or
 * the new version was deployed; 1 when the gate refused it or the deploy did not become active; 2 for a bad config.
 */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = {"Run one round of the closed loop unattended: take the newly labelled hard examples,"
                + " fine-tune from the version the devices run, register, gate and deploy the new version.",
                "Does nothing (exit 0, says why) when there are fewer new labels than min-new-labels.",
                "Exit 1 when the gate refuses the new version or its deploy fails; 2 for a bad config."})
public final class RetrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private TrainerMain parent;

    @Option(names = "--config", required = true, paramLabel = "LOOP.yaml",
            description = "The round's configuration (template: devices/workstation/loop.yaml).")
    private Path config;

    private Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        LoopConfig loop = LoopConfig.load(config);
        PrintWriter out = spec.commandLine().getOut();
        RetrainResult result = new RetrainJob(parent.services(), System.getenv(), clock).run(loop,
                new RetrainJob.Listener() {
                    @Override
                    public void say(String line) {
                        out.println(stamp() + line);
                        out.flush();
                    }

                    @Override
                    public void gate(GateResult gate) {
                        GateReport.print(out, gate);
                        out.flush();
                    }
                });
        out.println(stamp() + result.reason());
        out.flush();
        return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private String stamp() {
        return Instant.now(clock).toString().substring(0, 19).replace('T', ' ') + "  ";
    }

    /** For tests: the clock that stamps lines and names time-based versions. */
    public RetrainCommand withClock(Clock c) {
        this.clock = c;
        return this;
    }
}
