package io.edgeloop.trainer.labelling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.trainer.collect.ExampleId;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.Inbox;
import io.edgeloop.trainer.label.GroundTruth;
import io.edgeloop.trainer.label.ReplayMatcher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in labeller and its client against a real labelling server on a free loopback port, over real HTTP,
 * with a real inbox on disk and ground truth matched by pixels from a replay tree of the same pictures as PNG.
 */
class GroundTruthLabellerTest {

    @TempDir
    Path dir;

    private LabellingFixture fixture;
    private LabellingServer server;
    private ApiClient person;

    @BeforeEach
    void start() throws IOException {
        fixture = LabellingFixture.create(dir, 9);
        server = LabellingServer.start(LabellingSettings.local(fixture.inbox, fixture.data), Clock.systemUTC());
        person = new ApiClient(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void labelsEveryUnansweredExampleThroughTheAppAsTheStandInAndCountsWhatItCouldNot() throws Exception {
        List<String> ids = fixture.ids();
        String byPerson = ids.get(0);
        String noTruth = ids.get(1);
        String unknownLabel = ids.get(2);
        assertEquals(200, person.answer(byPerson, etag(byPerson), "{\"label\":\"square\",\"by\":\"ana\"}").status());
        Map<String, String> truth = new LinkedHashMap<>(fixture.truth);
        truth.remove(noTruth);
        truth.put(unknownLabel, "hexagon");
        ReplayMatcher matcher = new ReplayMatcher(fixture.replay(dir.resolve("replay"), truth), 8.0);

        GroundTruthLabeller.Outcome outcome = new GroundTruthLabeller(LabellingClient.of(server.uri()), matcher)
                .labelAll();

        assertEquals(6, outcome.labelled());
        assertEquals(1, outcome.alreadyAnswered());
        assertEquals(0, outcome.retried());
        assertEquals(1, outcome.withoutTruth().size());
        assertTrue(outcome.withoutTruth().get(0).startsWith(noTruth + ": no replay image within 8.0 (nearest "),
                outcome.withoutTruth().get(0));
        assertEquals(1, outcome.refused().size());
        GroundTruthLabeller.Refusal refusal = outcome.refused().get(0);
        assertEquals(unknownLabel, refusal.id());
        assertEquals("hexagon", refusal.label());
        assertEquals(400, refusal.status());
        assertTrue(refusal.message().startsWith("label is \"hexagon\", not a known label; allowed [circle, square,"
                + " triangle]"), refusal.message());
        for (String id : ids.subList(3, ids.size())) {
            ExampleSidecar s = onDisk(id);
            assertEquals(fixture.truth.get(id), s.label(), id);
            assertEquals(GroundTruth.LABELLED_BY, s.labelledBy(), id);
        }
        assertEquals("square", onDisk(byPerson).label(), "a person's answer is never replaced");
        assertEquals("ana", onDisk(byPerson).labelledBy());
        assertFalse(onDisk(noTruth).answered());
        assertFalse(onDisk(unknownLabel).answered());
        assertEquals(7, person.get("api/state").json().get("progress").get("labelled").asInt());

        GroundTruthLabeller.Outcome again = new GroundTruthLabeller(LabellingClient.of(server.uri()), matcher)
                .labelAll();
        assertEquals(0, again.labelled());
        assertEquals(7, again.alreadyAnswered());
    }

    @Test
    void aStaleVersionIsRetriedOnceAfterReadingAgainButAPersonsNewAnswerIsKept() throws Exception {
        LabellingClient client = LabellingClient.of(server.uri());
        List<LabellingClient.Example> listed = client.examples();
        String rewritten = listed.get(0).id();
        String answeredMeanwhile = listed.get(1).id();
        // After the list was read: one sidecar is rewritten unanswered (compact JSON, as a hand edit or another
        // writer would: a new version, since a version is a hash of its bytes), one example is answered by a person.
        Path sidecar = Inbox.openExisting(fixture.inbox).get(ExampleId.parse(rewritten)).orElseThrow().sidecarFile();
        Files.write(sidecar, ProtocolJson.writer().writeValueAsBytes(ProtocolJson.parseTree(
                Files.readAllBytes(sidecar))));
        assertNotEquals(listed.get(0).etag(), client.example(rewritten).etag());
        assertEquals(200, person.answer(answeredMeanwhile, listed.get(1).etag(),
                "{\"label\":\"triangle\",\"by\":\"bo\"}").status());
        ReplayMatcher matcher = new ReplayMatcher(fixture.replay(dir.resolve("replay"), fixture.truth), 8.0);

        GroundTruthLabeller.Outcome outcome = new GroundTruthLabeller(client, matcher).label(listed);

        assertEquals(8, outcome.labelled());
        assertEquals(1, outcome.retried());
        assertEquals(0, outcome.alreadyAnswered(), "as listed, every example was unanswered");
        assertEquals(List.of(), outcome.withoutTruth());
        assertEquals(1, outcome.refused().size());
        GroundTruthLabeller.Refusal refusal = outcome.refused().get(0);
        assertEquals(answeredMeanwhile, refusal.id());
        assertEquals(409, refusal.status());
        assertEquals(answeredMeanwhile + " changed since you saw it: it is now labelled \"triangle\" by bo; nothing"
                + " written, look again and answer anew", refusal.message());
        assertEquals(fixture.truth.get(rewritten), onDisk(rewritten).label());
        assertEquals(GroundTruth.LABELLED_BY, onDisk(rewritten).labelledBy());
        assertEquals("triangle", onDisk(answeredMeanwhile).label());
        assertEquals("bo", onDisk(answeredMeanwhile).labelledBy());
    }

    @Test
    void theClientSendsTheTokenOfThePrintedUrlAndNamesARefusedRead() throws Exception {
        server.close();
        String token = "a-token-for-the-client-test";
        server = LabellingServer.start(new LabellingSettings(fixture.inbox, fixture.data, LabellingSettings.LOOPBACK,
                0, Optional.of(token)), Clock.systemUTC());
        assertTrue(server.uri().toString().endsWith("?token=" + token), server.uri().toString());

        LabellingClient client = LabellingClient.of(server.uri());
        assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/"), client.base());
        List<LabellingClient.Example> examples = client.examples();
        assertEquals(fixture.ids(), examples.stream().map(LabellingClient.Example::id).toList());
        assertEquals(Optional.empty(), examples.get(0).label());
        assertEquals(fixture.jpegs.get(examples.get(0).id()).length, client.image(examples.get(0)).length);

        IOException refused = assertThrows(IOException.class, () -> LabellingClient.of(client.base()).examples());
        assertTrue(refused.getMessage().startsWith("GET " + client.base() + "api/state answered 401: a token is"
                + " required"), refused.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LabellingClient.of(URI.create("file:///tmp/app")));
        assertEquals("the labelling app's URL is file:///tmp/app, allowed http://HOST:PORT/ as 'trainer label"
                + " serve' prints it", bad.getMessage());
    }

    private String etag(String id) throws Exception {
        return person.get("api/examples/" + ApiClient.enc(id)).json().get("etag").asText();
    }

    private ExampleSidecar onDisk(String id) throws IOException {
        return Inbox.openExisting(fixture.inbox).get(ExampleId.parse(id)).orElseThrow().sidecar();
    }
}
