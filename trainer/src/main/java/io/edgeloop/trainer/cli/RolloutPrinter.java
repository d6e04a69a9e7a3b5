package io.edgeloop.trainer.cli;

import io.edgeloop.protocol.mqtt.DeployStatus;
import io.edgeloop.trainer.deploy.DeployProgress;
import io.edgeloop.trainer.deploy.Rollout;
import io.edgeloop.trainer.deploy.RolloutPlan;
import io.edgeloop.trainer.job.JobFailure;
import io.edgeloop.trainer.job.RolloutJob;
import io.edgeloop.trainer.job.RolloutRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * Prints a staged deploy ({@code trainer deploy --group} / {@code --canary}) wave by wave, within 80 columns:
 * device lists wrap. Exit 0 when every device is active, 1 (a {@link JobFailure} naming the device and the reason)
 * when the rollout halted or a wave did not finish in time.
 */
final class RolloutPrinter implements Rollout.Listener {

    static final int WIDTH = 80;

    private final PrintWriter out;

    RolloutPrinter(PrintWriter out) {
        this.out = out;
    }

    int run(RolloutJob job, RolloutRequest request) throws InterruptedException {
        RolloutJob.Result r;
        try {
            r = job.run(request, this, plan -> planned(request, plan));
        } catch (IOException e) {
            throw new JobFailure(e.getMessage(), e);
        }
        Rollout.Outcome o = r.outcome();
        String model = r.command().name() + " " + r.command().version();
        if (o.complete()) {
            out.println("Rollout complete: " + model + " active on " + o.switched().size() + " of "
                    + r.plan().devices().size() + " devices");
            if (r.fleetRetained()) {
                out.println("  retained on the fleet topic for devices that come online later");
            }
            out.flush();
            return ExitCodes.OK;
        }
        String why = o.failed().orElse("no final status within " + request.deploy().waitFor().toSeconds() + " s from "
                + String.join(", ", o.pending()));
        text("Rollout halted in wave " + (o.waveOf() + 1) + "/" + r.plan().waves().size() + ": " + why);
        list("  switched to " + model + ": ", o.switched().isEmpty() ? List.of("none") : o.switched());
        if (!o.pending().isEmpty() && o.failed().isPresent()) {
            list("  no final state: ", o.pending());
        }
        list("  not sent: ", o.notSent().isEmpty() ? List.of("none") : o.notSent());
        if (!o.switched().isEmpty()) {
            out.println("  not reverted; to roll back by hand, per device:");
            out.println("    trainer deploy --model PREVIOUS.onnx --key KEY --device ID --wait 60");
        }
        out.flush();
        throw new JobFailure("rollout halted: " + why);
    }

    private void planned(RolloutRequest request, RolloutPlan plan) {
        String how = request.group().map(g -> "group " + g).orElseGet(() -> "canary "
                + request.canary().orElseThrow() + request.canaryGroup().map(g -> " of group " + g).orElse(""));
        out.println("Rollout to " + plan.devices().size() + " devices in " + plan.waves().size()
                + (plan.waves().size() == 1 ? " wave" : " waves") + " (" + how + ")");
        out.flush();
    }

    @Override
    public void wave(int index, int count, List<String> devices, boolean canary) {
        list("Wave " + (index + 1) + "/" + count + (canary ? " (canary)" : "") + ": ", devices);
        out.flush();
    }

    @Override
    public void status(DeployStatus status) {
        text("  " + status.device() + ": " + DeployProgress.describe(status));
        out.flush();
    }

    @Override
    public void soaking(List<String> devices, Duration soak) {
        out.println("  canary active; watching it for " + soak.toSeconds() + " s (--soak)");
        out.flush();
    }

    /** One line of text, wrapped at spaces within {@link #WIDTH}, continuation lines indented by 4 spaces. */
    private void text(String line) {
        String rest = line;
        while (rest.length() > WIDTH) {
            int cut = rest.lastIndexOf(' ', WIDTH);
            if (cut <= 4) {
                break; // one word longer than the width: print it whole
            }
            out.println(rest.substring(0, cut));
            rest = "    " + rest.substring(cut + 1);
        }
        out.println(rest);
    }

    /** {@code head} then the ids, comma-separated, wrapped at {@link #WIDTH} with a 4-space indent. */
    private void list(String head, List<String> ids) {
        StringBuilder line = new StringBuilder(head);
        for (int i = 0; i < ids.size(); i++) {
            String item = ids.get(i) + (i < ids.size() - 1 ? "," : "");
            if (line.length() + item.length() + 1 > WIDTH && line.length() > head.length()) {
                out.println(line.toString().stripTrailing());
                line = new StringBuilder("    ");
            } else if (line.length() > head.length()) {
                line.append(' ');
            }
            line.append(item);
        }
        out.println(line);
    }
}
