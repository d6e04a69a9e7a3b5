package io.edgeloop.trainer.job;

import io.edgeloop.protocol.mqtt.DeployCommand;
import io.edgeloop.protocol.mqtt.ShadowEnd;
import io.edgeloop.protocol.mqtt.ShadowRequest;
import java.util.Optional;

/**
 * What a deploy asks beyond the switch: nothing, a shadow run first ({@code trainer deploy --shadow}), or the end of
 * the running shadow of the same model ({@code --promote} / {@code --abort}: the same signed model, a newer
 * {@code issuedAt}).
 *
 * @param request the shadow to run, if any
 * @param end     the end to send, if any; not with {@code request}
 */
public record ShadowDeploy(Optional<ShadowRequest> request, Optional<ShadowEnd> end) {

    /** A plain deploy. */
    public static final ShadowDeploy NONE = new ShadowDeploy(Optional.empty(), Optional.empty());

    public ShadowDeploy {
        if (request.isPresent() && end.isPresent()) {
            throw new IllegalArgumentException("--shadow and --" + end.get().name().toLowerCase(java.util.Locale.ROOT)
                    + " are both given, allowed one of them (start a shadow, or end the running one)");
        }
    }

    /** A shadow run. */
    public static ShadowDeploy of(ShadowRequest request) {
        return new ShadowDeploy(Optional.of(request), Optional.empty());
    }

    /** The end of the running shadow. */
    public static ShadowDeploy ending(ShadowEnd how) {
        return new ShadowDeploy(Optional.empty(), Optional.of(how));
    }

    /** The signed command with the shadow or the end added. */
    DeployCommand apply(DeployCommand signed) {
        if (request.isPresent()) {
            return signed.withShadow(request.get());
        }
        return end.map(how -> signed.ending(how, signed.issuedAt())).orElse(signed);
    }
}
