package io.edgeloop.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerChainTest {

    /** Records its hooks into a shared list; close fails when given a failure. */
    record Named(String name, List<String> calls, Exception closeFailure) implements TrainingListener {
        @Override
        public void onTrainingBegin(TrainingRun run) {
            calls.add(name + " begin");
        }

        @Override
        public void onStep(TrainingRun run, StepMetrics step) {
            calls.add(name + " step " + step.step());
        }

        @Override
        public void close() throws IOException {
            calls.add(name + " close");
            if (closeFailure instanceof IOException io) {
                throw io;
            }
            if (closeFailure instanceof RuntimeException e) {
                throw e;
            }
        }
    }

    @Test
    void hooksGoInOrderAndCloseInReverse() throws Exception {
        List<String> calls = new ArrayList<>();
        try (ListenerChain chain = new ListenerChain(List.of(new Named("a", calls, null),
                new Named("b", calls, null)))) {
            chain.onTrainingBegin(new StubRun());
            chain.onStep(new StubRun(), new StepMetrics(1, 1, 1, 8, 1.0, 0.5, 10, 1e-3));
        }
        assertEquals(List.of("a begin", "b begin", "a step 1", "b step 1", "b close", "a close"), calls);
    }

    @Test
    void everyListenerIsClosedWhenSomeFailAndTheFirstFailureIsThrown() {
        List<String> calls = new ArrayList<>();
        IOException first = new IOException("c cannot close");
        UncheckedIOException second = new UncheckedIOException(new IOException("b cannot close"));
        ListenerChain chain = new ListenerChain(List.of(new Named("a", calls, null), new Named("b", calls, second),
                new Named("c", calls, first)));
        IOException thrown = assertThrows(IOException.class, chain::close);
        assertEquals(first, thrown);
        assertArrayEquals(new Throwable[] {second}, thrown.getSuppressed());
        assertEquals(List.of("c close", "b close", "a close"), calls);
    }
}
