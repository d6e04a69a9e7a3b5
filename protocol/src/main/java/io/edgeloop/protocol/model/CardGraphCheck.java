package io.edgeloop.protocol.model;

import java.util.List;

/**
 * Checks that a card describes its graph: the named input and outputs exist, the input takes floats of a
 * compatible NCHW shape, and the output has one score per label where the graph says how many.
 */
final class CardGraphCheck {

    private CardGraphCheck() {
    }

    /**
     * @throws IllegalArgumentException naming the card field, its value and what the graph allows
     */
    static void check(ModelCard card, GraphSignature graph) {
        InputSpec input = card.input();
        TensorInfo in = graph.input(input.name()).orElseThrow(() -> new IllegalArgumentException(
                "input.name is \"" + input.name() + "\", allowed one of the graph inputs " + graph.inputNames()));
        if (!in.elementType().equals("FLOAT")) {
            throw new IllegalArgumentException("input.name is \"" + input.name() + "\", a graph input of element type "
                    + in.elementType() + ", allowed a FLOAT input (preprocessing produces floats)");
        }
        if (in.rankKnown()) {
            String mismatch = mismatch(input.shape(), in.dims());
            if (mismatch != null) {
                throw new IllegalArgumentException("input.shape is " + input.shape() + ", allowed a shape compatible"
                        + " with graph input \"" + in.name() + "\" " + in.shapeText() + " (" + mismatch + ")");
            }
        }
        OutputSpec output = card.output();
        TensorInfo out = graph.output(output.name()).orElseThrow(() -> new IllegalArgumentException(
                "output.name is \"" + output.name() + "\", allowed one of the graph outputs " + graph.outputNames()));
        checkScores("output.name", out, card.labels());
        if (output.probabilities() != null) {
            TensorInfo probs = graph.output(output.probabilities()).orElseThrow(() -> new IllegalArgumentException(
                    "output.probabilities is \"" + output.probabilities() + "\", allowed one of the graph outputs "
                            + graph.outputNames()));
            checkScores("output.probabilities", probs, card.labels());
        }
    }

    /** Why a card shape does not fit a graph shape, or {@code null} if it does. -1 in the card means dynamic. */
    private static String mismatch(List<Long> card, List<Long> graph) {
        if (card.size() != graph.size()) {
            return "rank " + card.size() + " vs " + graph.size();
        }
        for (int i = 0; i < card.size(); i++) {
            long c = card.get(i);
            long g = graph.get(i);
            if (g != -1 && c != g) {
                return "dimension " + i + ": " + c + " vs " + g;
            }
        }
        return null;
    }

    private static void checkScores(String field, TensorInfo out, List<String> labels) {
        if (!out.rankKnown()) {
            return;
        }
        List<Long> dims = out.dims();
        if (dims.size() != 2) {
            throw new IllegalArgumentException(field + " is \"" + out.name() + "\", a graph output of shape "
                    + out.shapeText() + ", allowed shape [N, classes]");
        }
        long classes = dims.get(1);
        if (classes != -1 && classes != labels.size()) {
            throw new IllegalArgumentException("labels has " + labels.size() + " entries, allowed " + classes
                    + " to match graph output \"" + out.name() + "\" " + out.shapeText());
        }
    }
}
