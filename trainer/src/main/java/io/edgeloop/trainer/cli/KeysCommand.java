package io.edgeloop.trainer.cli;

import io.edgeloop.trainer.job.JobFailure;
import io.edgeloop.trainer.job.GeneratedKeys;
import io.edgeloop.trainer.job.KeyPairRequest;
import io.edgeloop.trainer.job.KeysJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer keys}: makes and inspects the Ed25519 keys deploys are signed with ({@link KeysJob}).
 * {@code generate} writes {@code <name>.pem} (PKCS#8, owner-only) and {@code <name>.pub.pem} (X.509) and never
 * overwrites; {@code id} prints the key id of a private or public key file.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Generate and inspect Ed25519 model-signing keys.",
        subcommands = {KeysCommand.Generate.class, KeysCommand.Id.class})
public final class KeysCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new IllegalArgumentException("missing subcommand, allowed generate or id");
    }

    /** {@code trainer keys generate --out DIR [--name NAME]}. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write a new key pair: DIR/NAME.pem (private, owner-only) and DIR/NAME.pub.pem (public).")
    static final class Generate implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the key files.")
        private Path out;

        @Option(names = "--name", defaultValue = KeyPairRequest.DEFAULT_NAME, paramLabel = "NAME",
                description = "File name stem. Default: ${DEFAULT-VALUE}.")
        private String name;

        @Override
        public Integer call() {
            GeneratedKeys keys;
            try {
                keys = KeysJob.generate(new KeyPairRequest(out, name));
            } catch (IOException e) {
                throw new JobFailure(e.getMessage(), e);
            }
            PrintWriter o = spec.commandLine().getOut();
            o.println("Key id " + keys.keyId());
            o.println("Private key: " + keys.privateKey() + " (owner-only; keep it on the workstation)");
            o.println("Public key:  " + keys.publicKey() + " (copy into each device's trust store)");
            return ExitCodes.OK;
        }
    }

    /** {@code trainer keys id --key FILE}. */
    @Command(name = "id", mixinStandardHelpOptions = true,
            description = "Print the key id of a private (PKCS#8) or public (X.509) PEM key file.")
    static final class Id implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "PEM key file.")
        private Path key;

        @Override
        public Integer call() {
            String id;
            try {
                id = KeysJob.keyId(key);
            } catch (IOException e) {
                throw new JobFailure("cannot read --key " + key + " (" + e.getMessage() + ")", e);
            }
            spec.commandLine().getOut().println(id);
            return ExitCodes.OK;
        }
    }
}
