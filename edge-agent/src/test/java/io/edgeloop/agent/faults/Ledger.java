package io.edgeloop.agent.faults;

import io.edgeloop.protocol.mqtt.ClassificationEvent;
import io.edgeloop.protocol.mqtt.HardExample;
import io.edgeloop.protocol.mqtt.MessageRejectedException;
import io.edgeloop.protocol.mqtt.Payload;
import io.edgeloop.protocol.mqtt.Payloads;
import io.edgeloop.protocol.mqtt.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts a fault run by {@code (kind, device, camera, boot, seq)}: what the agent accepted (its own counters, or the
 * keys left in its spool) against what a subscriber received. Prints, per (device, camera, kind): published
 * (accepted), delivered (distinct), lost (accepted, never delivered), duplicated (extra deliveries of a key) and
 * unexpected (delivered, never accepted: must stay 0). Not thread-safe: feed it from the test thread.
 */
final class Ledger {

    /** What is counted: classification events or hard examples. */
    enum Kind { EVENT, HARD }

    /** One message's identity across agent restarts. */
    record Key(Kind kind, String device, String camera, String boot, long seq) {
    }

    /** The counts of one (device, camera, kind). */
    record Counts(long published, long delivered, long lost, long duplicated, long unexpected) {
    }

    private final Map<Key, Integer> accepted = new HashMap<>();
    private final Map<Key, Integer> delivered = new HashMap<>();
    /** Groups accepted by count only (hard examples: the agent counts them, their seqs are not consecutive). */
    private final Map<String, Long> acceptedCounts = new HashMap<>();
    private long undecodable;

    /** The key of an agent message (event or hard example), or null for any other topic. */
    static Key key(String topic, byte[] payload) throws MessageRejectedException {
        Payload p = Payloads.decode(Topics.DEFAULT, topic, payload).payload();
        if (p instanceof ClassificationEvent e) {
            return new Key(Kind.EVENT, e.device(), e.camera(), e.boot(), e.seq());
        }
        if (p instanceof HardExample h) {
            return new Key(Kind.HARD, h.device(), h.camera(), h.boot(), h.seq());
        }
        return null;
    }

    /** The agent accepted {@code count} events of a run, numbered 0..count-1 (every-frame mode, no errors). */
    void acceptedEvents(String device, String camera, String boot, long count) {
        for (long seq = 0; seq < count; seq++) {
            accepted.merge(new Key(Kind.EVENT, device, camera, boot, seq), 1, Integer::sum);
        }
    }

    /** The agent accepted {@code count} messages of this kind for the camera, keys unknown (its counter). */
    void acceptedCount(Kind kind, String device, String camera, long count) {
        acceptedCounts.merge(device + "/" + camera + " " + kind.name().toLowerCase(Locale.ROOT), count, Long::sum);
    }

    /** The agent accepted this message (it is in its spool, or it was delivered from it). */
    void accepted(Key key) {
        accepted.merge(key, 1, Integer::sum);
    }

    /** A subscriber received this message; messages that are neither events nor hard examples are ignored. */
    void delivered(String topic, byte[] payload) {
        Key key;
        try {
            key = key(topic, payload);
        } catch (MessageRejectedException e) {
            undecodable++;
            return;
        }
        if (key != null) {
            delivered.merge(key, 1, Integer::sum);
        }
    }

    /** Every key delivered at least once (to treat deliveries as accepted where the agent's counters are gone). */
    List<Key> deliveredKeys() {
        return new ArrayList<>(delivered.keySet());
    }

    /** Messages received that the contract's decoder refused. */
    long undecodable() {
        return undecodable;
    }

    /** Counts by "device/camera kind", sorted. */
    Map<String, Counts> counts() {
        Map<String, long[]> acc = new TreeMap<>();
        for (Key k : accepted.keySet()) {
            long[] c = acc.computeIfAbsent(group(k), g -> new long[5]);
            c[0]++;
            if (!delivered.containsKey(k)) {
                c[2]++;
            }
        }
        for (Map.Entry<Key, Integer> d : delivered.entrySet()) {
            long[] c = acc.computeIfAbsent(group(d.getKey()), g -> new long[5]);
            c[1]++;
            c[3] += d.getValue() - 1;
            if (!accepted.containsKey(d.getKey())) {
                c[4]++;
            }
        }
        acceptedCounts.forEach((g, n) -> {
            long[] c = acc.computeIfAbsent(g, x -> new long[5]);
            c[0] = n;
            c[2] = Math.max(0, n - c[1]);
            c[4] = Math.max(0, c[1] - n);
        });
        Map<String, Counts> out = new TreeMap<>();
        acc.forEach((g, c) -> out.put(g, new Counts(c[0], c[1], c[2], c[3], c[4])));
        return out;
    }

    /** The sum of every group's counts. */
    Counts total() {
        long[] t = new long[5];
        for (Counts c : counts().values()) {
            t[0] += c.published();
            t[1] += c.delivered();
            t[2] += c.lost();
            t[3] += c.duplicated();
            t[4] += c.unexpected();
        }
        return new Counts(t[0], t[1], t[2], t[3], t[4]);
    }

    /** Lost keys, for the failure message (at most {@code limit}). */
    List<Key> lost(int limit) {
        List<Key> out = new ArrayList<>();
        for (Key k : accepted.keySet()) {
            if (!delivered.containsKey(k) && out.size() < limit) {
                out.add(k);
            }
        }
        out.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        return out;
    }

    /** The table the campaign prints, one line per (device, camera, kind) and a total. */
    String report(String scenario) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "fault %-22s %-18s %9s %9s %6s %6s %6s%n", scenario, "device/camera kind",
                "published", "delivered", "lost", "dup", "unexp"));
        counts().forEach((g, c) -> b.append(String.format(Locale.ROOT, "fault %-22s %-18s %9d %9d %6d %6d %6d%n",
                scenario, g, c.published(), c.delivered(), c.lost(), c.duplicated(), c.unexpected())));
        Counts t = total();
        b.append(String.format(Locale.ROOT, "fault %-22s %-18s %9d %9d %6d %6d %6d%n", scenario, "total",
                t.published(), t.delivered(), t.lost(), t.duplicated(), t.unexpected()));
        return b.toString();
    }

    private static String group(Key k) {
        return k.device() + "/" + k.camera() + " " + k.kind().name().toLowerCase(Locale.ROOT);
    }
}
