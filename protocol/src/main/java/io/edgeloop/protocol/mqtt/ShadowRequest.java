package io.edgeloop.protocol.mqtt;

/**
 * Asks a device to run a deploy's model as a shadow beside the active one instead of switching to it: on a share of
 * live frames the candidate classifies too (its results are never published as events), the device reports how
 * often the two agree, and at the end it promotes the candidate if the rule holds or drops it.
 *
 * @param rate          share of frames the candidate sees, 0 (exclusive)..1 (default 1)
 * @param seconds       how long the shadow runs, 1..86400; exactly one of {@code seconds} and {@code frames}
 * @param frames        how many frames the candidate compares, 1..10000000; exactly one of the two
 * @param minAgreement  promote only if the share of compared frames whose top-1 labels agree is at least this,
 *                      0..1 (default 0.95)
 * @param minFrames     promote only after at least this many compared frames, 1..10000000 (default 50)
 * @param reportSeconds seconds between interim reports while shadowing, 1..3600 (default 10)
 */
public record ShadowRequest(Double rate, Integer seconds, Integer frames, Double minAgreement, Integer minFrames,
        Integer reportSeconds) {

    /** Largest frame count a shadow may compare or require. */
    public static final int MAX_FRAMES = 10_000_000;

    public ShadowRequest {
        rate = rate == null ? 1.0 : rate;
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("shadow.rate is " + rate + ", allowed a number in (0, 1]");
        }
        if ((seconds == null) == (frames == null)) {
            throw new IllegalArgumentException("shadow.seconds and shadow.frames are "
                    + (seconds == null ? "both absent" : "both present") + ", allowed exactly one of them");
        }
        if (seconds != null && (seconds < 1 || seconds > 86_400)) {
            throw new IllegalArgumentException("shadow.seconds is " + seconds + ", allowed 1..86400");
        }
        if (frames != null && (frames < 1 || frames > MAX_FRAMES)) {
            throw new IllegalArgumentException("shadow.frames is " + frames + ", allowed 1.." + MAX_FRAMES);
        }
        minAgreement = minAgreement == null ? 0.95 : minAgreement;
        Fields.unit("shadow.minAgreement", minAgreement);
        minFrames = minFrames == null ? 50 : minFrames;
        if (minFrames < 1 || minFrames > MAX_FRAMES) {
            throw new IllegalArgumentException("shadow.minFrames is " + minFrames + ", allowed 1.." + MAX_FRAMES);
        }
        if (frames != null && minFrames > frames) {
            throw new IllegalArgumentException("shadow.minFrames is " + minFrames + ", allowed at most shadow.frames ("
                    + frames + ")");
        }
        reportSeconds = reportSeconds == null ? 10 : reportSeconds;
        if (reportSeconds < 1 || reportSeconds > 3600) {
            throw new IllegalArgumentException("shadow.reportSeconds is " + reportSeconds + ", allowed 1..3600");
        }
    }

    /** A shadow over a number of compared frames, with the default rate, rule and report interval. */
    public static ShadowRequest frames(int frames, int minFrames) {
        return new ShadowRequest(null, null, frames, null, minFrames, null);
    }
}
