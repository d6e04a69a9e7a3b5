package io.edgeloop.trainer.labelling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.trainer.collect.ExampleId;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.Inbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The labelling app's HTTP API against a real server on a free loopback port and a real inbox on disk. */
class LabellingServerTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    private LabellingFixture fixture;
    private LabellingServer server;
    private ApiClient client;

    @BeforeEach
    void start() throws IOException {
        fixture = LabellingFixture.create(dir, 12);
        server = LabellingServer.start(LabellingSettings.local(fixture.inbox, fixture.data),
                Clock.fixed(NOW, ZoneOffset.UTC));
        client = new ApiClient(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ExampleSidecar onDisk(String id) throws IOException {
        return Inbox.openExisting(fixture.inbox).get(ExampleId.parse(id)).orElseThrow().sidecar();
    }

    private String etag(String id) throws Exception {
        return client.get("api/examples/" + ApiClient.enc(id)).json().get("etag").asText();
    }

    @Test
    void stateListsEveryExampleWithItsGuessAndTheKnownLabels() throws Exception {
        ApiClient.Reply r = client.get("api/state");
        assertEquals(200, r.status());
        JsonNode state = r.json();
        assertEquals("[\"circle\",\"square\",\"triangle\"]", state.get("labels").toString());
        assertEquals(12, state.get("examples").size());
        assertEquals(12, state.get("progress").get("total").asInt());
        assertEquals(0, state.get("progress").get("answered").asInt());
        JsonNode first = state.get("examples").get(0);
        assertEquals(fixture.ids().get(0), first.get("id").asText());
        assertEquals(first.get("top").get(0).get("label").asText(), first.get("predicted").asText());
        assertEquals("door", first.get("camera").asText());
        assertEquals("low-confidence", first.get("reason").asText());
        ApiClient.Reply image = client.get(first.get("image").asText().substring(1));
        assertEquals(200, image.status());
        assertArrayEquals(Files.readAllBytes(fixture.inbox.resolve("shop-1/door")
                .resolve(ExampleId.parse(first.get("id").asText()).stem() + ".jpg")), image.body());
    }

    @Test
    void anAnswerIsStoredInTheInboxWithWhoAndWhen() throws Exception {
        String id = fixture.ids().get(0);
        String before = etag(id);
        ApiClient.Reply r = client.answer(id, before, "{\"label\":\"square\",\"by\":\"ana\"}");
        assertEquals(200, r.status(), r.text());
        assertEquals("square", r.json().get("example").get("label").asText());
        assertNotEquals(before, r.json().get("example").get("etag").asText());
        assertEquals(1, client.get("api/state").json().get("progress").get("labelled").asInt());
        ExampleSidecar s = onDisk(id);
        assertEquals("square", s.label());
        assertEquals("ana", s.labelledBy());
        assertEquals(NOW, s.labelledAt());
        assertEquals(r.json().get("example").get("etag").asText(), etag(id));
    }

    @Test
    void discardIsAnAnswerThatIsNeverALabel() throws Exception {
        String id = fixture.ids().get(1);
        ApiClient.Reply r = client.answer(id, etag(id), "{\"discard\":true,\"by\":\"ana\"}");
        assertEquals(200, r.status(), r.text());
        ExampleSidecar s = onDisk(id);
        assertTrue(s.discarded());
        assertNull(s.label());
        assertEquals("ana", s.labelledBy());
        assertEquals(1, client.get("api/state").json().get("progress").get("discarded").asInt());
        ApiClient.Reply export = client.post("api/export", "application/json", "{}", Map.of());
        assertEquals(200, export.status(), export.text());
        assertEquals(1, export.json().get("discarded").asInt(), export.text()); // counted apart, never exported
    }

    @Test
    void aStaleVersionIsAConflictShowingTheOtherAnswerAndWritesNothing() throws Exception {
        String id = fixture.ids().get(2);
        String seen = etag(id);
        assertEquals(200, client.answer(id, seen, "{\"label\":\"circle\",\"by\":\"ana\"}").status());
        ApiClient.Reply late = client.answer(id, seen, "{\"label\":\"triangle\",\"by\":\"bo\"}");
        assertEquals(409, late.status());
        assertEquals(id + " changed since you saw it: it is now labelled \"circle\" by ana; nothing written, look"
                + " again and answer anew", late.json().get("error").asText());
        assertEquals("circle", late.json().get("current").get("label").asText());
        assertEquals("ana", late.json().get("current").get("labelledBy").asText());
        assertEquals("circle", onDisk(id).label());
        assertEquals("ana", onDisk(id).labelledBy());
    }

    @Test
    void twoClientsLabellingAtOnceNeitherLoseNorDoubleAnAnswer() throws Exception {
        List<String> ids = fixture.ids();
        Map<String, String> seen = new HashMap<>();
        for (String id : ids) {
            seen.put(id, etag(id));
        }
        ApiClient ana = new ApiClient(server);
        ApiClient bo = new ApiClient(server);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Map<String, Integer>>> runs = new ArrayList<>();
            for (Object[] person : new Object[][] {{ana, "ana", "circle"}, {bo, "bo", "square"}}) {
                Callable<Map<String, Integer>> labelAll = () -> {
                    Map<String, Integer> statuses = new HashMap<>();
                    go.await();
                    for (String id : ids) {
                        ApiClient.Reply r = ((ApiClient) person[0]).answer(id, seen.get(id), "{\"label\":\""
                                + person[2] + "\",\"by\":\"" + person[1] + "\"}");
                        statuses.put(id, r.status());
                    }
                    return statuses;
                };
                runs.add(pool.submit(labelAll));
            }
            go.countDown();
            Map<String, Integer> anaStatus = runs.get(0).get(30, TimeUnit.SECONDS);
            Map<String, Integer> boStatus = runs.get(1).get(30, TimeUnit.SECONDS);
            for (String id : ids) {
                int a = anaStatus.get(id);
                int b = boStatus.get(id);
                assertTrue(a == 200 && b == 409 || a == 409 && b == 200, id + ": ana " + a + ", bo " + b
                        + ", allowed exactly one 200 and one 409");
                ExampleSidecar s = onDisk(id);
                assertEquals(a == 200 ? "ana" : "bo", s.labelledBy(), id + ": the stored answer is the winner's");
                assertEquals(a == 200 ? "circle" : "square", s.label());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(ids.size(), client.get("api/state").json().get("progress").get("labelled").asInt());
    }

    @Test
    void undoPutsBackExactlyWhatWasThereAndNeverSomeoneElsesLaterAnswer() throws Exception {
        String id = fixture.ids().get(3);
        ExampleId parsed = ExampleId.parse(id);
        Path file = fixture.inbox.resolve(parsed.device()).resolve(parsed.camera()).resolve(parsed.stem() + ".json");
        byte[] original = Files.readAllBytes(file);
        ApiClient.Reply labelled = client.answer(id, etag(id), "{\"label\":\"circle\",\"by\":\"ana\"}");
        String after = labelled.json().get("example").get("etag").asText();
        ApiClient.Reply undone = client.undo(id, after);
        assertEquals(200, undone.status(), undone.text());
        assertArrayEquals(original, Files.readAllBytes(file), "the sidecar as it was before the answer");
        assertFalse(onDisk(id).answered());

        String mine = client.answer(id, etag(id), "{\"label\":\"circle\",\"by\":\"ana\"}").json().get("example")
                .get("etag").asText();
        assertEquals(200, client.answer(id, mine, "{\"label\":\"square\",\"by\":\"bo\"}").status());
        ApiClient.Reply refused = client.undo(id, mine);
        assertEquals(409, refused.status());
        assertEquals("square", refused.json().get("current").get("label").asText());
        assertEquals("square", onDisk(id).label(), "bo's later answer stays");
    }

    @Test
    void aWriteWithoutAVersionIsRefused() throws Exception {
        String id = fixture.ids().get(0);
        ApiClient.Reply r = client.answer(id, null, "{\"label\":\"circle\",\"by\":\"ana\"}");
        assertEquals(428, r.status());
        assertTrue(r.json().get("error").asText().startsWith("If-Match is missing, allowed the etag"));
        assertFalse(onDisk(id).answered());
    }

    @Test
    void unknownOrCraftedIdsAreNotFoundAndNeverPaths() throws Exception {
        Files.writeString(dir.resolve("secret.json"), "{}");
        for (String id : List.of("shop-1.door.20261201T090000000Z-999-00000000", "../secret", "..%2F..%2Fsecret",
                "shop-1.door.%2E%2E%2F%2E%2E%2Fsecret", "%00")) {
            ApiClient.Reply r = client.get("api/examples/" + id + "/image");
            assertEquals(404, r.status(), id);
            assertFalse(r.text().contains("{}") && r.json() == null, "the file's bytes are never served");
        }
        ApiClient.Reply answer = client.answer("shop-1.door.nope", "0", "{\"label\":\"circle\",\"by\":\"ana\"}");
        assertEquals(404, answer.status());
        assertTrue(answer.json().get("error").asText().startsWith("no example \"shop-1.door.nope\" in the inbox"),
                answer.text());
        assertEquals(404, client.get("api/nothing").status());
        assertEquals(404, client.get("../../etc/passwd").status());
    }

    @Test
    void badAnswersAreRefusedNamingWhatIsAllowed() throws Exception {
        String id = fixture.ids().get(0);
        String e = etag(id);
        ApiClient.Reply typo = client.answer(id, e, "{\"label\":\"circel\",\"by\":\"ana\"}");
        assertEquals(400, typo.status());
        assertTrue(typo.json().get("error").asText().startsWith("label is \"circel\", not a known label; allowed"
                + " [circle, square, triangle]"), typo.text());
        assertEquals("[\"circle\",\"square\",\"triangle\"]", typo.json().get("labels").toString());
        ApiClient.Reply path = client.answer(id, e, "{\"label\":\"../x\",\"by\":\"ana\",\"newLabel\":true}");
        assertEquals(400, path.status());
        assertTrue(path.json().get("error").asText().startsWith("label is \"../x\", allowed 1-128 characters"),
                path.text());
        assertEquals(400, client.answer(id, e, "{\"label\":\"circle\"}").status(), "no name");
        assertEquals(400, client.answer(id, e, "{\"label\":\"circle\",\"discard\":true,\"by\":\"a\"}").status());
        assertEquals(400, client.answer(id, e, "{\"label\":\"circle\",\"by\":\"a\",\"x\":1}").status());
        assertEquals(400, client.answer(id, e, "[1]").status());
        assertEquals(400, client.answer(id, e, "{not json").status());
        assertEquals(415, client.post("api/examples/" + ApiClient.enc(id) + "/answer", "text/plain",
                "{\"label\":\"circle\",\"by\":\"a\"}", Map.of("If-Match", e)).status(), "no simple cross-site form");
        assertEquals(405, client.get("api/examples/" + ApiClient.enc(id) + "/answer").status());
        assertFalse(onDisk(id).answered(), "nothing written");

        ApiClient.Reply fresh = client.answer(id, e, "{\"label\":\"hexagon\",\"by\":\"ana\",\"newLabel\":true}");
        assertEquals(200, fresh.status(), fresh.text());
        assertEquals("hexagon", onDisk(id).label());
        assertTrue(client.get("api/state").json().get("labels").toString().contains("\"hexagon\""));
    }

    @Test
    void exportCopiesLabelledExamplesAndCreatesNewClassFoldersOnlyWhenConfirmed() throws Exception {
        List<String> ids = fixture.ids();
        client.answer(ids.get(0), etag(ids.get(0)), "{\"label\":\"circle\",\"by\":\"ana\"}");
        client.answer(ids.get(1), etag(ids.get(1)), "{\"label\":\"hexagon\",\"by\":\"ana\",\"newLabel\":true}");
        ApiClient.Reply refused = client.post("api/export", "application/json", "{}", Map.of());
        assertEquals(400, refused.status());
        assertEquals("[\"hexagon\"]", refused.json().get("missingFolders").toString());
        assertFalse(Files.exists(fixture.data.resolve("circle/hard-" + ids.get(0) + ".jpg")), "nothing exported");
        ApiClient.Reply done = client.post("api/export", "application/json", "{\"createFolders\":[\"hexagon\"]}",
                Map.of());
        assertEquals(200, done.status(), done.text());
        assertEquals(2, done.json().get("total").asInt());
        assertTrue(Files.exists(fixture.data.resolve("circle/hard-" + ids.get(0) + ".jpg")));
        assertTrue(Files.exists(fixture.data.resolve("hexagon/hard-" + ids.get(1) + ".jpg")));
        ApiClient.Reply stray = client.post("api/export", "application/json", "{\"createFolders\":[\"..\"]}",
                Map.of());
        assertEquals(400, stray.status(), "only labels given in the inbox become folders");
    }

    @Test
    void csvRoundTripsAndABadFileIsReportedByLineAndAppliesNothing() throws Exception {
        List<String> ids = fixture.ids();
        ApiClient.Reply csv = client.get("api/csv");
        assertEquals(200, csv.status());
        String[] lines = csv.text().split("\r\n");
        assertEquals("id,device,camera,captured_at,reason,model,predicted,score,top,label,labelled_by,labelled_at,"
                + "discarded", lines[0]);
        assertEquals(13, lines.length);
        String bad = "id,label,discarded\n" + ids.get(0) + ",circle,\n" + ids.get(1) + ",circel,\n" + "nope,square,\n"
                + ids.get(2) + ",square,true\n" + ids.get(0) + ",square,\n";
        ApiClient.Reply refused = client.post("api/csv?by=team", "text/csv", bad, Map.of());
        assertEquals(400, refused.status());
        JsonNode rows = refused.json().get("badRows");
        assertEquals(4, rows.size(), refused.text());
        assertEquals(3, rows.get(0).get("line").asInt());
        assertTrue(rows.get(0).get("message").asText().startsWith("label is \"circel\", not a known label"));
        assertEquals(4, rows.get(1).get("line").asInt());
        assertEquals(5, rows.get(2).get("line").asInt());
        assertEquals("label is \"square\" and discarded is true, allowed one of them",
                rows.get(2).get("message").asText());
        assertEquals(6, rows.get(3).get("line").asInt());
        assertEquals("example " + ids.get(0) + " is also on line 2, allowed one row per example",
                rows.get(3).get("message").asText());
        assertFalse(onDisk(ids.get(0)).answered(), "a bad file applies nothing, not even its good rows");

        String good = "id,label,labelled_by,discarded\n" + ids.get(0) + ",circle,,\n" + ids.get(1)
                + ",,cy,true\n" + ids.get(2) + ",,,\n";
        ApiClient.Reply ok = client.post("api/csv?by=team", "text/csv", good, Map.of());
        assertEquals(200, ok.status(), ok.text());
        assertEquals(2, ok.json().get("newAnswers").asInt());
        assertEquals(1, ok.json().get("blank").asInt());
        assertEquals("circle", onDisk(ids.get(0)).label());
        assertEquals("team", onDisk(ids.get(0)).labelledBy());
        assertTrue(onDisk(ids.get(1)).discarded());
        assertEquals("cy", onDisk(ids.get(1)).labelledBy());
        assertEquals(400, client.post("api/csv", "text/csv", good, Map.of()).status(), "by is required");
    }

    @Test
    void offLoopbackEveryRequestNeedsTheToken() throws Exception {
        server.close();
        server = LabellingServer.start(new LabellingSettings(fixture.inbox, fixture.data, "0.0.0.0", 0,
                Optional.empty()), Clock.systemUTC());
        String token = server.token().orElseThrow();
        assertTrue(server.uri().toString().endsWith(":" + server.port() + "/?token=" + token), server.uri().toString());
        URI base = URI.create("http://127.0.0.1:" + server.port() + "/");
        ApiClient anonymous = new ApiClient(base, Map.of());
        for (String path : List.of("", "app.js", "api/state", "api/csv", "api/examples/" + ApiClient.enc(
                fixture.ids().get(0)) + "/image")) {
            ApiClient.Reply r = anonymous.get(path);
            assertEquals(401, r.status(), path);
            assertTrue(r.json().get("error").asText().startsWith("a token is required"), r.text());
        }
        assertEquals(401, new ApiClient(base, Map.of("Authorization", "Bearer " + token + "x")).get("api/state")
                .status());
        assertEquals(401, new ApiClient(base, Map.of()).answer(fixture.ids().get(0), "0",
                "{\"label\":\"circle\",\"by\":\"eve\"}").status());
        assertEquals(200, new ApiClient(base, Map.of("Authorization", "Bearer " + token)).get("api/state").status());
        ApiClient.Reply first = anonymous.get("?token=" + token);
        assertEquals(303, first.status());
        String cookie = first.response().headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith(Access.COOKIE + "=" + token + ";") && cookie.contains("HttpOnly"), cookie);
        ApiClient browser = new ApiClient(base, Map.of("Cookie", Access.COOKIE + "=" + token));
        assertEquals(200, browser.get("").status());
        assertEquals(200, browser.get("api/state").status());
        assertFalse(onDisk(fixture.ids().get(0)).answered());
    }

    @Test
    void onLoopbackAForeignHostNameIsRefused() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/state HTTP/1.1\r\nHost: attacker.example:" + server.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
            assertTrue(reply.contains("is not this machine's loopback"), reply);
        }
    }

    @Test
    void settingsNameTheBadOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LabellingSettings(
                fixture.inbox, fixture.data, "127.0.0.1", 70000, Optional.empty()));
        assertEquals("--port is 70000, allowed 0 (any free port) to 65535", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LabellingSettings(fixture.inbox, fixture.data,
                "0.0.0.0", 0, Optional.of("short")));
        assertEquals("--token is 5 character(s) long, allowed 12 to 256 characters A-Z a-z 0-9 . _ ~ - (safe in a URL"
                + " and a cookie)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LabellingSettings(fixture.inbox, fixture.data,
                "0.0.0.0", 0, Optional.of("a;b=c; Path=/x")));
        assertEquals("--token is 14 character(s) long with characters outside the allowed ones, allowed 12 to 256"
                + " characters A-Z a-z 0-9 . _ ~ - (safe in a URL and a cookie)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LabellingSettings.local(fixture.inbox,
                dir.resolve("missing")));
        assertTrue(e.getMessage().startsWith("--data " + dir.resolve("missing") + " not found"), e.getMessage());
    }
}
