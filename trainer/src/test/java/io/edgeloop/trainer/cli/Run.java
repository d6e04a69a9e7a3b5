package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.TrainerServices;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the real trainer CLI ({@link TrainerMain#execute}) as the tests see it: exit code, stdout, stderr.
 */
record Run(int code, String out, String err) {

    /** {@code trainer ARGS} with the default services. */
    static Run of(String... args) {
        return of(TrainerServices.defaults(), args);
    }

    /** {@code trainer ARGS} with the given services. */
    static Run of(TrainerServices services, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TrainerMain.execute(args, new PrintWriter(out), new PrintWriter(err), services);
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code trainer COMMAND ARGS}. */
    static Run command(String command, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = command;
        System.arraycopy(args, 0, full, 1, args.length);
        return of(full);
    }
}
