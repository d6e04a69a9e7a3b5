package io.edgeloop.trainer.cli;

import io.edgeloop.protocol.signing.KeyFileException;
import io.edgeloop.protocol.signing.KeyFiles;
import io.edgeloop.protocol.signing.SigningKeys;
import io.edgeloop.trainer.cli.CommandLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer keys}: makes and inspects the Ed25519 keys deploys are signed with. {@code generate} writes
 * {@code <name>.pem} (PKCS#8, owner-only) and {@code <name>.pub.pem} (X.509) and never overwrites; {@code id} prints
 * the key id of a private or public key file.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Generate and inspect Ed25519 model-signing keys.",
        subcommands = {KeysCommand.Generate.class, KeysCommand.Id.class})
public final class KeysCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;



    @Override
    public Integer call() {
        return CommandLines.badInput(spec.commandLine(), "missing subcommand, allowed generate or id");
    }

    /** {@code trainer keys generate --out DIR [--name NAME]}. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write a new key pair: DIR/NAME.pem (private, owner-only) and DIR/NAME.pub.pem (public).")
    static final class Generate implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the key files.")
        private Path out;

        @Option(names = "--name", defaultValue = "deploy", paramLabel = "NAME",
                description = "File name stem. Default: ${DEFAULT-VALUE}.")
        private String name;

        @Override
        public Integer call() {
            CommandLine cmd = spec.commandLine();
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                return CommandLines.badInput(cmd, "--name is \"" + name + "\", allowed 1-64 letters, digits, '.',"
                        + " '_' or '-', starting with a letter or digit");
            }
            Path privateFile = out.resolve(name + ".pem");
            Path publicFile = out.resolve(name + ".pub.pem");
            for (Path p : new Path[] {privateFile, publicFile}) {
                if (Files.exists(p)) {
                    return CommandLines.badInput(cmd, p + " already exists; refusing to overwrite a key file");
                }
            }
            KeyPair keys = SigningKeys.generate();
            try {
                KeyFiles.writePrivateKey(privateFile, keys.getPrivate());
                KeyFiles.writePublicKey(publicFile, keys.getPublic());
            } catch (KeyFileException e) {
                return CommandLines.failure(cmd, e.getMessage());
            }
            cmd.getOut().println("Key id " + SigningKeys.keyId(keys.getPublic()));
            cmd.getOut().println("Private key: " + privateFile + " (owner-only; keep it on the workstation)");
            cmd.getOut().println("Public key:  " + publicFile + " (copy into each device's trust store)");
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
            CommandLine cmd = spec.commandLine();
            PublicKey publicKey;
            try {
                String text = Files.exists(key) ? Files.readString(key) : "";
                publicKey = text.contains("-----BEGIN PRIVATE KEY-----")
                        ? SigningKeys.publicKeyOf(KeyFiles.readPrivateKey(key))
                        : KeyFiles.readPublicKey(key);
            } catch (KeyFileException e) {
                return CommandLines.badInput(cmd, e.getMessage());
            } catch (java.io.IOException e) {
                return CommandLines.failure(cmd, "cannot read " + key + ": " + e);
            }
            cmd.getOut().println(SigningKeys.keyId(publicKey));
            return ExitCodes.OK;
        }
    }
}
