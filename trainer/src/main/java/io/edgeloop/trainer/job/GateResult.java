package io.edgeloop.trainer.job;

import io.edgeloop.trainer.compare.PairedComparison;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@link GateJob} found.
 *
 * @param candidate    the candidate package
 * @param candidateName what it is, for people: {@code fashion-target 4} when registered, else the file
 * @param judged       one comparison per model the target devices run (or the explicit baseline)
 * @param dataImages   held-out images judged on
 * @param hardExamples labelled hard examples judged on
 * @param trainedOn    labelled hard examples left out because a model was trained on them
 * @param otherClass   labelled hard examples left out because their label is not a class of the models
 * @param notes        what people should know: devices without a model, hard examples not used and why, …
 */
public record GateResult(Path candidate, String candidateName, List<Judged> judged, int dataImages,
                         int hardExamples, int trainedOn, int otherClass, List<String> notes) {

    /**
     * The candidate against one baseline.
     *
     * @param baseline   what it is, for people: {@code fashion-target 3} or the file
     * @param model      the baseline's package
     * @param devices    the target devices that run it (empty for an explicit baseline)
     * @param comparison the paired figures and verdict
     * @param refusal    why the gate refuses the candidate against it; empty when it passes
     */
    public record Judged(String baseline, Path model, List<String> devices, PairedComparison comparison,
                         Optional<String> refusal) {

        public Judged {
            Objects.requireNonNull(baseline, "baseline");
            devices = List.copyOf(devices);
            Objects.requireNonNull(comparison, "comparison");
            Objects.requireNonNull(refusal, "refusal");
        }
    }

    public GateResult {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(candidateName, "candidateName");
        judged = List.copyOf(judged);
        notes = List.copyOf(notes);
    }

    /** The refusals in one phrase: {@code against fashion-target 3: significantly worse (…)}; empty when none. */
    public String refusals() {
        return judged.stream().filter(j -> j.refusal().isPresent())
                .map(j -> "against " + j.baseline() + ": " + j.refusal().get()).collect(Collectors.joining("; "));
    }

    /** Whether no baseline refuses the candidate (true when there is nothing to beat). */
    public boolean passed() {
        return judged.stream().allMatch(j -> j.refusal().isEmpty());
    }
}
