package io.edgeloop.trainer.labelling;

import io.edgeloop.trainer.label.GroundTruth;
import io.edgeloop.trainer.label.ReplayMatcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Labels the unanswered examples of a running labelling app from ground truth, through its HTTP API as a person's
 * browser would: it fetches each example's image from the app, matches it against the replay tree
 * ({@link ReplayMatcher}) and answers with the version it read, recorded as {@value GroundTruth#LABELLED_BY} so the
 * inbox shows no person gave it. For demos and tests; a person's answer is never replaced.
 *
 * <p>A refused write is counted, never fatal: a 400 (such as a label that is not known) stays refused; a 409 (the
 * example changed since it was read) is retried once after reading it again, unless it is now answered, which
 * someone else did and is left alone.
 */
public final class GroundTruthLabeller {

    /**
     * An answer the app refused in the end.
     *
     * @param id      the example
     * @param label   the label ground truth gave it
     * @param status  the app's HTTP status
     * @param message the app's reason
     */
    public record Refusal(String id, String label, int status, String message) {
    }

    /**
     * What a run did with each example the app listed.
     *
     * @param labelled        examples labelled through the app
     * @param withoutTruth    examples without ground truth (no or an ambiguous match), id and reason
     * @param refused         answers the app refused, after the one retry of a stale version
     * @param alreadyAnswered examples someone had answered before this run read them
     * @param retried         stale writes retried after reading the example again
     */
    public record Outcome(int labelled, List<String> withoutTruth, List<Refusal> refused, int alreadyAnswered,
                          int retried) {

        public Outcome {
            withoutTruth = List.copyOf(withoutTruth);
            refused = List.copyOf(refused);
        }
    }

    private final LabellingClient client;
    private final ReplayMatcher truth;

    /**
     * @param client the app to label through
     * @param truth  the replay tree the device streams, matched by pixels
     */
    public GroundTruthLabeller(LabellingClient client, ReplayMatcher truth) {
        this.client = Objects.requireNonNull(client, "client");
        this.truth = Objects.requireNonNull(truth, "truth");
    }

    /** Lists the app's examples and labels the unanswered ones. */
    public Outcome labelAll() throws IOException, InterruptedException {
        return label(client.examples());
    }

    /**
     * Labels {@code examples} as they were listed: each write names the version listed, so one changed since is
     * refused as stale and handled as the class comment says.
     */
    public Outcome label(List<LabellingClient.Example> examples) throws IOException, InterruptedException {
        int labelled = 0;
        int alreadyAnswered = 0;
        int retried = 0;
        List<String> withoutTruth = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        for (LabellingClient.Example e : examples) {
            if (e.answered()) {
                alreadyAnswered++;
                continue;
            }
            ReplayMatcher.Match match = truth.match(client.image(e), e.id());
            if (match.label().isEmpty()) {
                withoutTruth.add(e.id() + ": " + match.noMatchReason().orElseThrow());
                continue;
            }
            String label = match.label().get();
            LabellingClient.Answer answer = client.answer(e, label, GroundTruth.LABELLED_BY);
            if (answer instanceof LabellingClient.Refused r && r.status() == 409) {
                LabellingClient.Example now = client.example(e.id());
                if (!now.answered()) {
                    retried++;
                    answer = client.answer(now, label, GroundTruth.LABELLED_BY);
                }
            }
            if (answer instanceof LabellingClient.Refused r) {
                refused.add(new Refusal(e.id(), label, r.status(), r.message()));
            } else {
                labelled++;
            }
        }
        return new Outcome(labelled, withoutTruth, refused, alreadyAnswered, retried);
    }
}
