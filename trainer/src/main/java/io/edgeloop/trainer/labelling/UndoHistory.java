package io.edgeloop.trainer.labelling;

import io.edgeloop.trainer.collect.ExampleSidecar;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answers written through this server, newest last per example, so {@code u} can put back exactly what was there
 * before (the earlier label with its who and when, or no answer). An undo is itself a conditional write: it applies
 * only while the example still has the version the undone write produced, so undoing never overwrites someone
 * else's later answer. Kept in memory for the server's lifetime. Thread-safe.
 */
final class UndoHistory {

    /**
     * One write: what the sidecar was before, and the version the write produced.
     *
     * @param before    the sidecar before the write
     * @param etagAfter the version written
     */
    record Step(ExampleSidecar before, String etagAfter) {
    }

    private final Map<String, Deque<Step>> steps = new HashMap<>();

    /** Records a write to example {@code id}. */
    synchronized void record(String id, ExampleSidecar before, String etagAfter) {
        steps.computeIfAbsent(id, k -> new ArrayDeque<>()).addLast(new Step(before, etagAfter));
    }

    /** The write to {@code id} that produced version {@code etag}, if it was made here. */
    synchronized Optional<Step> producing(String id, String etag) {
        Deque<Step> d = steps.get(id);
        if (d != null) {
            for (var it = d.descendingIterator(); it.hasNext(); ) {
                Step s = it.next();
                if (s.etagAfter().equals(etag)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /** Forgets {@code step} after it was undone. */
    synchronized void undone(String id, Step step) {
        Deque<Step> d = steps.get(id);
        if (d != null) {
            d.removeLastOccurrence(step);
        }
    }
}
