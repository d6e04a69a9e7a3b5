package io.edgeloop.trainer.labelling;

import io.edgeloop.protocol.mqtt.Prediction;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.InboxEntry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * One example as the page sees it (JSON): the model's guess, why it was sent, where and when, the answer so far and
 * the version a write must name.
 *
 * @param id         example id
 * @param device     device id
 * @param camera     camera id
 * @param capturedAt capture time
 * @param reason     why the device sent it, as in the payload ({@code low-confidence}, {@code audit}, ...)
 * @param model      the model that classified it, {@code name version}
 * @param top        the model's top-k, best first
 * @param predicted  the top-1 label, pre-selected in the page
 * @param margin     top-1 minus top-2 score (top-1 alone when there is one): small means uncertain
 * @param label      the label given, if any
 * @param discarded  whether it was discarded
 * @param labelledBy who answered, if anyone
 * @param labelledAt when
 * @param etag       the version of its sidecar, for {@code If-Match}
 * @param image      the image's URL
 */
record ExampleView(String id, String device, String camera, Instant capturedAt, String reason, String model,
                   List<Prediction> top, String predicted, double margin, String label, boolean discarded,
                   String labelledBy, Instant labelledAt, String etag, String image) {

    static ExampleView of(InboxEntry entry) {
        ExampleSidecar s = entry.sidecar();
        List<Prediction> top = s.top();
        double margin = top.isEmpty() ? 0 : top.size() == 1 ? top.get(0).score()
                : top.get(0).score() - top.get(1).score();
        return new ExampleView(s.id(), s.device(), s.camera(), s.capturedAt(), reason(s),
                s.model().name() + " " + s.model().version(), top, top.isEmpty() ? null : top.get(0).label(), margin,
                s.label(), s.discarded(), s.labelledBy(), s.labelledAt(), entry.etag(),
                "/api/examples/" + URLEncoder.encode(s.id(), StandardCharsets.UTF_8) + "/image");
    }

    private static String reason(ExampleSidecar s) {
        return s.reason().wireName();
    }
}
