package io.edgeloop.trainer.bench;

import java.util.ArrayList;
import java.util.List;

/** One side's measurements of one strategy: per step the wall-clock time, the process CPU time and the loss. */
final class Series {

    private final List<Double> wall = new ArrayList<>();
    private final List<Double> cpu = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();

    /** Records a measured step. */
    void add(double wallSeconds, double cpuSeconds, double loss) {
        wall.add(wallSeconds);
        cpu.add(cpuSeconds);
        losses.add(loss);
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
