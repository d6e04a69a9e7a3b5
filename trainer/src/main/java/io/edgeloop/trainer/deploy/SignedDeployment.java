package io.edgeloop.trainer.deploy;

import io.edgeloop.protocol.model.ModelPackage;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.signing.ModelSignature;
import io.edgeloop.protocol.signing.ModelSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;

/**
 * Builds the signed {@link DeployCommand} for a model package: reads the package (so a model without a valid card
 * is refused with its reason), signs the exact bytes read, and carries the model inline (base64) or by URL.
 */
public final class SignedDeployment {

    /** Largest model that fits inline: base64 grows it by 4/3 and the payload limit is 16 MiB. */
    public static final long MAX_INLINE_BYTES = (Payloads.MAX_BYTES - 4096L) / 4 * 3;

    private SignedDeployment() {
    }

    /**
     * The command for {@code modelFile}.
     *
     * @param url      where devices download the file, or {@code null} to send it inline
     * @param issuedAt the command's time (truncated to milliseconds)
     * @throws ModelPackageException    if the file is not a valid model package (message names the file and reason)
     * @throws IllegalArgumentException if the model is too large to send inline, or the URL is invalid
     */
    public static DeployCommand create(Path modelFile, ModelSigner signer, String url, Instant issuedAt)
            throws ModelPackageException, IOException {
        Objects.requireNonNull(modelFile, "modelFile");
        return create(ModelPackage.read(modelFile), signer, url, issuedAt);
    }

    /**
     * The command for a package already read (its file is read again and signed; a file that changed since is
     * refused).
     *
     * @throws ModelPackageException    if the file changed after {@code model} was read
     * @throws IllegalArgumentException if the model is too large to send inline
     */
    public static DeployCommand create(ModelPackage model, ModelSigner signer, String url, Instant issuedAt)
            throws ModelPackageException, IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Path modelFile = model.file();
        byte[] bytes = Files.readAllBytes(modelFile);
        ModelSignature signature = signer.sign(bytes);
        if (!signature.sha256().equals(model.sha256())) {
            throw new ModelPackageException(modelFile, "changed while being read (sha256 " + model.sha256()
                    + " then " + signature.sha256() + ")");
        }
        String inline = null;
        if (url == null) {
            if (bytes.length > MAX_INLINE_BYTES) {
                throw new IllegalArgumentException("model " + modelFile + " is " + bytes.length + " bytes, allowed at"
                        + " most " + MAX_INLINE_BYTES + " inline (16 MiB payload limit); use --url");
            }
            inline = Base64.getEncoder().encodeToString(bytes);
        }
        return new DeployCommand(Payloads.SCHEMA, model.card().name(), model.card().version(),
                issuedAt.truncatedTo(ChronoUnit.MILLIS), url, inline, signature.sha256(), signature.sizeBytes(),
                signature.signature(), signature.keyId());
    }
}
