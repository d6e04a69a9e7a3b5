package io.edgeloop.trainer.experiment;

import io.edgeloop.trainer.model.FineTuneStrategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The experiment's results by cell (size × strategy), as Markdown tables: test accuracy mean ± std, training time
 * and epochs to the best checkpoint, and the best strategy per size.
 */
public final class ResultTable {

    private final List<CellSummary> cells;
    private final List<Integer> sizes;
    private final List<FineTuneStrategy> strategies;

    private ResultTable(List<CellSummary> cells, List<Integer> sizes, List<FineTuneStrategy> strategies) {
        this.cells = List.copyOf(cells);
        this.sizes = List.copyOf(sizes);
        this.strategies = List.copyOf(strategies);
    }

    /** Groups the runs into cells; sizes ascending ("all" last), strategies in enum order. */
    public static ResultTable of(List<RunResult> runs, int numClasses) {
        Map<String, List<RunResult>> byCell = new LinkedHashMap<>();
        TreeSet<Integer> sizes = new TreeSet<>();
        TreeSet<FineTuneStrategy> strategies = new TreeSet<>();
        for (RunResult r : runs) {
            byCell.computeIfAbsent(r.perClass() + "/" + r.strategy(), k -> new ArrayList<>()).add(r);
            sizes.add(r.perClass());
            strategies.add(r.strategy());
        }
        List<CellSummary> cells = new ArrayList<>();
        for (int size : sizes) {
            for (FineTuneStrategy s : strategies) {
                List<RunResult> cell = byCell.get(size + "/" + s);
                if (cell != null) {
                    cells.add(CellSummary.of(cell, numClasses));
                }
            }
        }
        return new ResultTable(cells, new ArrayList<>(sizes), new ArrayList<>(strategies));
    }

    public List<CellSummary> cells() {
        return cells;
    }

    /** Sizes present, ascending ({@link SizePlan#ALL} last). */
    public List<Integer> sizes() {
        return sizes;
    }

    /** Strategies present, in enum order. */
    public List<FineTuneStrategy> strategies() {
        return strategies;
    }

    /** The cell of a size and strategy, if measured. */
    public Optional<CellSummary> cell(int perClass, FineTuneStrategy strategy) {
        return cells.stream().filter(c -> c.perClass() == perClass && c.strategy() == strategy).findFirst();
    }

    /** The strategy with the highest mean test accuracy at a size. */
    public Optional<CellSummary> best(int perClass) {
        return cells.stream().filter(c -> c.perClass() == perClass)
                .max((a, b) -> Double.compare(a.accuracyMean(), b.accuracyMean()));
    }

    /**
     * Markdown: one table of test accuracy (%, mean ± sample std over seeds; best per row in bold), one of training
     * wall time (s) and epochs to the best checkpoint (mean kept epoch / mean epochs run).
     */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| images per class | runs |");
        strategies.forEach(s -> sb.append(' ').append(name(s)).append(" |"));
        sb.append(" best |\n|---|---|");
        strategies.forEach(s -> sb.append("---|"));
        sb.append("---|\n");
        for (int size : sizes) {
            CellSummary best = best(size).orElseThrow();
            int runs = cells.stream().filter(c -> c.perClass() == size).mapToInt(CellSummary::runs).max().orElse(0);
            sb.append("| ").append(sizeLabel(size)).append(" | ").append(runs).append(" |");
            for (FineTuneStrategy s : strategies) {
                Optional<CellSummary> c = cell(size, s);
                String text = c.map(v -> String.format(Locale.ROOT, "%.1f ± %.1f", 100 * v.accuracyMean(),
                        100 * v.accuracyStd())).orElse("–");
                sb.append(' ').append(c.isPresent() && c.get() == best ? "**" + text + "**" : text).append(" |");
            }
            sb.append(' ').append(name(best.strategy())).append(" |\n");
        }
        sb.append("\n| images per class |");
        strategies.forEach(s -> sb.append(' ').append(name(s)).append(" s | ").append(name(s))
                .append(" best/run epochs |"));
        sb.append("\n|---|");
        strategies.forEach(s -> sb.append("---|---|"));
        sb.append('\n');
        for (int size : sizes) {
            sb.append("| ").append(sizeLabel(size)).append(" |");
            for (FineTuneStrategy s : strategies) {
                Optional<CellSummary> c = cell(size, s);
                sb.append(' ').append(c.map(v -> String.format(Locale.ROOT, "%.1f ± %.1f", v.secondsMean(),
                        v.secondsStd())).orElse("–")).append(" |");
                sb.append(' ').append(c.map(v -> String.format(Locale.ROOT, "%.1f / %.1f", v.bestEpochMean(),
                        v.epochsRunMean())).orElse("–")).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The size as a table label: the number, or "all (N)" with the mean images per class actually used. */
    public String sizeLabel(int size) {
        if (size != SizePlan.ALL) {
            return Integer.toString(size);
        }
        double used = cells.stream().filter(c -> c.perClass() == size).mapToDouble(CellSummary::trainImagesPerClass)
                .max().orElse(0);
        return String.format(Locale.ROOT, "all (%.0f)", used);
    }

    static String name(FineTuneStrategy s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
