package io.edgeloop.trainer.cli;

import io.edgeloop.protocol.mqtt.ShadowEnd;
import io.edgeloop.protocol.mqtt.ShadowRequest;
import io.edgeloop.trainer.job.ShadowDeploy;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code trainer deploy}'s shadow options: run the model beside the active one first, or end such a run. */
final class ShadowOptions {

    @Option(names = "--shadow", paramLabel = "SECONDS|FRAMES",
            description = "Run the model as a shadow beside the active one first: 600 or 600s (seconds), 10m, 1h,"
                    + " or 2000f (compared frames). The device promotes it if the rule holds, else drops it.")
    String shadow;

    @Option(names = "--shadow-rate", paramLabel = "SHARE",
            description = "Share of frames the shadow sees, in (0, 1]. Default: 1.")
    Double rate;

    @Option(names = "--min-agreement", paramLabel = "SHARE",
            description = "Promote only if this share of top-1 labels agree, 0..1. Default: 0.95.")
    Double minAgreement;

    @Option(names = "--min-frames", paramLabel = "N",
            description = "Promote only after this many compared frames. Default: 50 (at most the --shadow frames).")
    Integer minFrames;

    @Option(names = "--promote", description = "End the running shadow of this model now and promote it.")
    boolean promote;

    @Option(names = "--abort", description = "End the running shadow of this model now and drop it.")
    boolean abort;

    /** @throws IllegalArgumentException naming the bad option, its value and what is allowed */
    ShadowDeploy deploy() {
        if (promote && abort) {
            throw new IllegalArgumentException("--promote and --abort are both given, allowed one of them");
        }
        if (shadow == null) {
            String stray = rate != null ? "--shadow-rate" : minAgreement != null ? "--min-agreement"
                    : minFrames != null ? "--min-frames" : null;
            if (stray != null) {
                throw new IllegalArgumentException(stray + " is given without --shadow, allowed only with it");
            }
            return promote ? ShadowDeploy.ending(ShadowEnd.PROMOTE)
                    : abort ? ShadowDeploy.ending(ShadowEnd.ABORT) : ShadowDeploy.NONE;
        }
        if (promote || abort) {
            throw new IllegalArgumentException("--shadow and --" + (promote ? "promote" : "abort") + " are both"
                    + " given, allowed one of them (start a shadow, or end the running one)");
        }
        String s = shadow.trim().toLowerCase(Locale.ROOT);
        Integer seconds = null;
        Integer frames = null;
        try {
            if (s.endsWith("f")) {
                frames = Integer.parseInt(s.substring(0, s.length() - 1));
            } else if (s.endsWith("h")) {
                seconds = Math.multiplyExact(Integer.parseInt(s.substring(0, s.length() - 1)), 3600);
            } else if (s.endsWith("m")) {
                seconds = Math.multiplyExact(Integer.parseInt(s.substring(0, s.length() - 1)), 60);
            } else {
                seconds = Integer.parseInt(s.endsWith("s") ? s.substring(0, s.length() - 1) : s);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--shadow is '" + shadow + "', allowed SECONDS (600, 600s, 10m, 1h)"
                    + " or FRAMES (2000f)", e);
        }
        Integer min = minFrames;
        if (min == null && frames != null && frames > 0) {
            min = Math.min(50, frames);
        }
        try {
            return ShadowDeploy.of(new ShadowRequest(rate, seconds, frames, minAgreement, min, null));
        } catch (IllegalArgumentException e) {
            // the protocol names its fields; say them as the options do
            throw new IllegalArgumentException(e.getMessage().replace("shadow.seconds", "--shadow (seconds)")
                    .replace("shadow.frames", "--shadow (frames)").replace("shadow.rate", "--shadow-rate")
                    .replace("shadow.minAgreement", "--min-agreement").replace("shadow.minFrames", "--min-frames"),
                    e);
        }
    }
}
