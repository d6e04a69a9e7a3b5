package io.edgeloop.trainer.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One side's measurements of one strategy: per step the wall-clock time, the process CPU time, the loss and the
 * wall-clock time of each {@link #PHASES phase}.
 */
final class Series {

    /** The parts of a step both sides time: forward and loss (its value read), backward, optimiser update. */
    static final List<String> PHASES = List.of("forward + loss", "backward", "optimiser");

    private final List<Double> wall = new ArrayList<>();
    private final List<Double> cpu = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();
    private final List<List<Double>> phases = new ArrayList<>();

    Series() {
        PHASES.forEach(p -> phases.add(new ArrayList<>()));
    }

    /** Records a measured step, with its phase durations in the order of {@link #PHASES}. */
    void add(double wallSeconds, double cpuSeconds, double loss, double[] phaseSeconds) {
        wall.add(wallSeconds);
        cpu.add(cpuSeconds);
        losses.add(loss);
        for (int i = 0; i < PHASES.size(); i++) {
            phases.get(i).add(phaseSeconds[i]);
        }
    }

    /** Durations of phase {@code index} of {@link #PHASES} over the measured steps. */
    StepStats phase(int index) {
        return StepStats.of(phases.get(index));
    }

    /** Records a warm-up step: only its loss (the losses of both sides are compared step by step). */
    void addWarmup(double loss) {
        losses.add(loss);
    }

    StepStats wall() {
        return StepStats.of(wall);
    }

    StepStats cpu() {
        return StepStats.of(cpu);
    }

    List<Double> lastWall(int n) {
        return wall.subList(wall.size() - n, wall.size());
    }

    List<Double> losses() {
        return losses;
    }

    double lastLoss() {
        return losses.get(losses.size() - 1);
    }
}
