package io.edgeloop.agent.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One run of the real agent command line ({@link AgentMain#mainWithExitCode}) as the tests see it. */
record AgentRun(int code, String out, String err) {

    /** {@code edge-agent ARGS} in this JVM, with no environment variables. */
    static AgentRun run(String... args) {
        return run(Map.of(), args);
    }

    /** {@code edge-agent ARGS} in this JVM, with {@code env} as its environment. */
    static AgentRun run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AgentMain.mainWithExitCode(args, new PrintWriter(out), new PrintWriter(err), env);
        return new AgentRun(code, out.toString(), err.toString());
    }

    /**
     * {@code edge-agent ARGS} in a JVM of its own (this test's class path, DJL offline, INFO logging), stdout and
     * stderr to {@code log}: for runs that stop only when told to.
     */
    static Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dai.djl.offline=true", "-DEDGELOOP_TEST_LOG=INFO", "-cp",
                System.getProperty("java.class.path"), AgentMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
