package io.edgeloop.trainer.job;

import io.edgeloop.protocol.check.Checks;
import io.edgeloop.trainer.deploy.DeployTarget;
import io.edgeloop.trainer.gate.GateRule;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Judging a candidate model package before it is deployed, as {@link GateJob} runs it; validated on construction
 * (messages name the {@code trainer deploy} option).
 *
 * @param candidate the model package to deploy ({@code --model})
 * @param data      held-out ImageFolder of the models' classes ({@code --gate DIR})
 * @param inbox     the hard-example inbox whose labelled examples join the test set unless a model was trained on
 *                  them ({@code --inbox}); empty: the held-out folder only
 * @param registry  the model registry where the devices' versions and what they were trained on are found
 *                  ({@code --registry})
 * @param baseline  the model to beat ({@code --baseline}); empty: the version(s) the target devices run, from their
 *                  retained status
 * @param target    the devices the candidate is for
 * @param status    where the devices' status is read; required without {@code baseline}
 * @param rule      when the candidate is refused
 * @param threads   image decoding threads
 * @param group     {@code deploy --group G}: of a fleet target, only the devices that report this group
 */
public record GateRequest(Path candidate, Path data, Optional<Path> inbox, Path registry, Optional<Path> baseline,
                          DeployTarget target, Optional<StatusSource> status, GateRule rule, int threads,
                          Optional<String> group) {

    /** A gate for every device of the target (no group). */
    public GateRequest(Path candidate, Path data, Optional<Path> inbox, Path registry, Optional<Path> baseline,
                       DeployTarget target, Optional<StatusSource> status, GateRule rule, int threads) {
        this(candidate, data, inbox, registry, baseline, target, status, rule, threads, Optional.empty());
    }

    public GateRequest {
        Checks.file("--model", candidate);
        Checks.directory("--gate", data);
        inbox.ifPresent(dir -> Checks.directory("--inbox", dir));
        Objects.requireNonNull(registry, "registry");
        baseline.ifPresent(file -> Checks.file("--baseline", file));
        Objects.requireNonNull(target, "target");
        if (baseline.isEmpty() && status.isEmpty()) {
            throw new IllegalArgumentException("the gate needs the devices' status (--broker) or --baseline MODEL");
        }
        Objects.requireNonNull(rule, "rule");
        Checks.range("--threads", threads, 1, DecodePool.MAX_THREADS);
        Objects.requireNonNull(group, "group");
        if (group.isPresent() && !target.isFleet()) {
            throw new IllegalArgumentException("a gate for group " + group.get() + " needs the fleet as its target,"
                    + " not " + target);
        }
    }
}
