package io.edgeloop.trainer.label;

import io.edgeloop.protocol.mqtt.Prediction;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.InboxEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The labels an example may be given without declaring a new class, so a typo ({@code circel}) is caught instead of
 * silently becoming one: the labels of the models that sent the inbox's examples (their top-k in the sidecars), the
 * labels already given in the inbox, and any class folders added (a training tree, the replay tree). Immutable; each
 * {@code with} returns a new instance that also remembers where its labels came from, for messages.
 */
public final class KnownLabels {

    private final SortedSet<String> labels;
    private final List<String> sources;

    private KnownLabels(SortedSet<String> labels, List<String> sources) {
        this.labels = Collections.unmodifiableSortedSet(labels);
        this.sources = List.copyOf(sources);
    }

    /** The labels of an inbox's examples: every top-k label and every label already given. */
    public static KnownLabels of(List<InboxEntry> inbox) {
        SortedSet<String> labels = new TreeSet<>();
        for (InboxEntry e : inbox) {
            ExampleSidecar s = e.sidecar();
            for (Prediction p : s.top()) {
                labels.add(p.label());
            }
            if (s.labelled()) {
                labels.add(s.label());
            }
        }
        return new KnownLabels(labels, List.of("the models' top-k and the labels given in the inbox"));
    }

    /** These labels and {@code more}, described as {@code source} ("the class folders of --data train/"). */
    public KnownLabels with(String source, Collection<String> more) {
        Objects.requireNonNull(source, "source");
        SortedSet<String> all = new TreeSet<>(labels);
        all.addAll(more);
        List<String> from = new ArrayList<>(sources);
        from.add(source);
        return new KnownLabels(all, from);
    }

    /** Whether {@code label} is known. */
    public boolean contains(String label) {
        return labels.contains(label);
    }

    /** The known labels, sorted. */
    public SortedSet<String> labels() {
        return labels;
    }

    /** Where the labels came from, in the order added. */
    public List<String> sources() {
        return sources;
    }

    /** For messages: {@code [circle, square] (from the models' top-k ..., the class folders of --data d)}. */
    public String describe() {
        return (labels.isEmpty() ? "none known yet" : labels.toString()) + " (from " + String.join(", ", sources)
                + ")";
    }
}
