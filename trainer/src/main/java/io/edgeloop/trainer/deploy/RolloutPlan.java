package io.edgeloop.trainer.deploy;

import io.edgeloop.protocol.id.Ids;
import io.edgeloop.protocol.mqtt.DeviceState;
import io.edgeloop.protocol.mqtt.DeviceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which devices a staged deploy reaches, in which order: waves of device ids, each sorted. The devices are those
 * with a retained {@code online} status. Chosen deterministically: the canary is the first N devices by id (or the
 * first N of {@code --canary-group}), the second wave is everyone else.
 *
 * @param waves      the waves, first the canary; none empty
 * @param canary     whether the first wave is a canary (soaked before the rest)
 */
public record RolloutPlan(List<List<String>> waves, boolean canary) {

    public RolloutPlan {
        waves = waves.stream().map(List::copyOf).toList();
        if (waves.isEmpty() || waves.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("a rollout needs at least one device in every wave, got " + waves);
        }
    }

    /** Every device of the plan, in wave order. */
    public List<String> devices() {
        return waves.stream().flatMap(List::stream).toList();
    }

    /**
     * The online devices of {@code group}, one wave.
     *
     * @throws IllegalArgumentException when no online device is in the group (naming the groups seen)
     */
    public static RolloutPlan group(Map<String, DeviceStatus> fleet, String group) {
        List<String> members = members(fleet, "--group", group);
        return new RolloutPlan(List.of(members), false);
    }

    /**
     * A canary of {@code size} devices (from {@code canaryGroup} if given), then the rest of the online fleet.
     *
     * @throws IllegalArgumentException when the fleet is empty, the group unknown, or the canary would be everyone
     */
    public static RolloutPlan canary(Map<String, DeviceStatus> fleet, CanarySize size, Optional<String> canaryGroup) {
        List<String> online = online(fleet);
        if (online.isEmpty()) {
            throw new IllegalArgumentException("--fleet: no device has a retained online status, allowed a fleet of"
                    + " at least 2 online devices for a canary");
        }
        List<String> pool = canaryGroup.isPresent() ? members(fleet, "--canary-group", canaryGroup.get()) : online;
        int n = Math.min(size.of(online.size()), pool.size());
        if (n >= online.size()) {
            throw new IllegalArgumentException("--canary " + size + " is all " + online.size() + " online devices,"
                    + " allowed fewer than the fleet (use --fleet without --canary to deploy to everyone)");
        }
        List<String> first = pool.subList(0, n);
        List<String> rest = new ArrayList<>(online);
        rest.removeAll(first);
        return new RolloutPlan(List.of(first, rest), true);
    }

    private static List<String> online(Map<String, DeviceStatus> fleet) {
        return fleet.values().stream().filter(s -> s.state() == DeviceState.ONLINE).map(DeviceStatus::device)
                .sorted().toList();
    }

    private static List<String> members(Map<String, DeviceStatus> fleet, String option, String group) {
        Ids.require(option, group);
        List<String> members = fleet.values().stream()
                .filter(s -> s.state() == DeviceState.ONLINE && s.inGroup(group))
                .map(DeviceStatus::device).sorted().toList();
        if (members.isEmpty()) {
            TreeSet<String> seen = new TreeSet<>();
            fleet.values().stream().filter(s -> s.state() == DeviceState.ONLINE).forEach(s -> seen.addAll(s.groups()));
            throw new IllegalArgumentException(option + " " + group + ": no online device is in this group, allowed"
                    + " one of the groups online devices report: " + (seen.isEmpty() ? "none (set 'groups' in the"
                    + " agent config)" : seen));
        }
        return members;
    }
}
