package io.edgeloop.trainer.loop;

import io.edgeloop.protocol.digest.Sha256;
import io.edgeloop.trainer.collect.InboxEntry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * What a round does with each example of the inbox. A labelled example whose image is intact and whose label is a
 * class folder of the training data is either <em>held out</em> (kept for the gate and never trained on: chosen by
 * its id, so the same examples stay held out round after round) or <em>trained on</em>; the trained-on ones the
 * active version has not seen are the round's <em>new</em> labels. The rest is counted with its reason, never
 * dropped silently: labels of classes the model does not have, images that are missing, changed since they were
 * received (SHA-256) or undecodable, and unanswered or discarded examples.
 *
 * @param training    usable, not held out: the round trains on all of them
 * @param heldOut     usable and held out for the gate
 * @param fresh       how many of {@code training} the active version was not trained on
 * @param otherClass  labelled with a class the training data has no folder for, count per label
 * @param unreadable  labelled but the image cannot be used: {@code id: reason}
 * @param unlabelled  not answered yet
 * @param discarded   discarded by a person
 */
public record LabelledExamples(List<InboxEntry> training, List<InboxEntry> heldOut, int fresh,
                               Map<String, Integer> otherClass, List<String> unreadable, int unlabelled,
                               int discarded) {

    public LabelledExamples {
        training = List.copyOf(training);
        heldOut = List.copyOf(heldOut);
        otherClass = Map.copyOf(otherClass);
        unreadable = List.copyOf(unreadable);
    }

    /**
     * Sorts the inbox's examples.
     *
     * @param classes    the class folders of the training data
     * @param activeSeen ids of the hard examples the active version was trained on
     * @param holdout    share held out, 0 to 0.5
     */
    public static LabelledExamples of(List<InboxEntry> entries, List<String> classes, Set<String> activeSeen,
                                      double holdout) {
        Objects.requireNonNull(activeSeen, "activeSeen");
        List<InboxEntry> training = new ArrayList<>();
        List<InboxEntry> heldOut = new ArrayList<>();
        Map<String, Integer> otherClass = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        int fresh = 0;
        int unlabelled = 0;
        int discarded = 0;
        for (InboxEntry e : entries) {
            if (e.sidecar().discarded()) {
                discarded++;
                continue;
            }
            if (!e.sidecar().labelled()) {
                unlabelled++;
                continue;
            }
            if (!classes.contains(e.sidecar().label())) {
                otherClass.merge(e.sidecar().label(), 1, Integer::sum);
                continue;
            }
            String problem = imageProblem(e);
            if (problem != null) {
                unreadable.add(e.sidecar().id() + ": " + problem);
            } else if (heldOut(e.sidecar().id(), holdout)) {
                heldOut.add(e);
            } else {
                training.add(e);
                if (!activeSeen.contains(e.sidecar().id())) {
                    fresh++;
                }
            }
        }
        return new LabelledExamples(training, heldOut, fresh, otherClass, unreadable, unlabelled, discarded);
    }

    /** Whether the example with this id is kept for the gate: the first 32 bits of SHA-256(id) below the share. */
    static boolean heldOut(String id, double share) {
        byte[] digest = Sha256.newDigest().digest(id.getBytes(StandardCharsets.UTF_8));
        long top = Integer.toUnsignedLong(ByteBuffer.wrap(digest, 0, 4).getInt());
        return top < share * (1L << 32);
    }

    /** Why the example's image cannot be trained on, or null when it can. */
    private static String imageProblem(InboxEntry e) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(e.image());
        } catch (IOException x) {
            return "image " + e.image() + " cannot be read (" + x.getMessage() + ")";
        }
        String sha = Sha256.hex(bytes);
        if (!sha.equals(e.sidecar().imageSha256())) {
            return "image " + e.image() + " changed since it was received (SHA-256 " + sha.substring(0, 12)
                    + "…, the sidecar says " + e.sidecar().imageSha256().substring(0, 12) + "…)";
        }
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            return image == null ? "image " + e.image() + " is not a readable JPEG" : null;
        } catch (IOException | RuntimeException x) {
            return "image " + e.image() + " is not a readable JPEG (" + x.getMessage() + ")";
        }
    }
}
