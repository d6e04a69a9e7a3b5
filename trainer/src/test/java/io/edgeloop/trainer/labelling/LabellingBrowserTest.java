package io.edgeloop.trainer.labelling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.trainer.collect.ExampleId;
import io.edgeloop.trainer.collect.ExampleSidecar;
import io.edgeloop.trainer.collect.Inbox;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The labelling page end to end in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver};
 * never a downloaded browser): real key presses and clicks, then the inbox on disk is checked. Screenshots go to
 * {@code target/labelling-screenshots/}, and also to the directory named by {@code -Dedgeloop.docs.images=DIR}
 * (how {@code docs/images/labelling-*.png} were made).
 */
class LabellingBrowserTest {

    private static final String BROWSER = "/usr/bin/chromium";
    private static final String DRIVER = "/usr/bin/chromedriver";
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    private LabellingFixture fixture;
    private LabellingServer server;
    private ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeEach
    void start() throws IOException {
        assertTrue(Files.isExecutable(Path.of(BROWSER)) && Files.isExecutable(Path.of(DRIVER)), "the browser tests"
                + " need Debian's Chromium: " + BROWSER + " and " + DRIVER + " must exist; install them with"
                + " 'apt-get install --no-install-recommends chromium chromium-driver' (.ci/run does)");
        fixture = LabellingFixture.create(dir, 12);
        server = LabellingServer.start(LabellingSettings.local(fixture.inbox, fixture.data),
                Clock.fixed(NOW, ZoneOffset.UTC));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")), "--window-size=1100,900",
                "--force-device-scale-factor=1");
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPersonLabelsWithTheKeyboardAndMouseAndTheInboxHasTheAnswers() throws Exception {
        driver.get("http://127.0.0.1:" + server.port() + "/?poll=0");
        idle();
        List<String> order = cardIds();
        assertEquals(12, order.size());
        List<Double> margins = new ArrayList<>();
        for (String id : order) {
            margins.add(new ApiClient(server).get("api/examples/" + ApiClient.enc(id)).json().get("margin").asDouble());
        }
        assertEquals(margins.stream().sorted().toList(), margins, "most uncertain (smallest margin) first");
        assertEquals("0 / 12 answered (0 labelled, 0 discarded)", text("#progress"));
        driver.findElement(By.id("name")).sendKeys("ana", Keys.ENTER);

        card(order.get(0)).click();
        press("1");
        press("2");
        press("3");
        String predicted = predicted(order.get(3));
        press(Keys.ENTER);
        press("x");
        assertTrue(sidecar(order.get(4)).discarded(), "x discards");
        press("u");
        assertFalse(sidecar(order.get(4)).answered(), "u undid the discard");
        assertEquals("4 / 12 answered (4 labelled, 0 discarded)", text("#progress"));

        // Arrow keys move; x discards the focused card.
        press(Keys.ARROW_RIGHT);
        press("x");

        // Multi-select with ctrl-click, then one key labels all of them.
        card(order.get(6)).click();
        new Actions(driver).keyDown(Keys.CONTROL).click(card(order.get(7))).click(card(order.get(8)))
                .keyUp(Keys.CONTROL).perform();
        assertEquals(3, driver.findElements(By.cssSelector(".card.selected")).size());
        press("2");
        assertEquals(0, driver.findElements(By.cssSelector(".card.selected")).size());
        screenshot("labelling-grid.png");

        // A new class needs the dialog and the same name twice.
        card(order.get(9)).click();
        press("n");
        driver.findElement(By.id("new-label-name")).sendKeys("hexagon");
        driver.findElement(By.id("new-label-confirm")).sendKeys("hexagn");
        driver.findElement(By.id("new-label-ok")).click();
        assertEquals("The two names differ: type the same name twice.", text("#new-label-error"));
        screenshot("labelling-new-label.png");
        assertFalse(sidecar(order.get(9)).answered(), "a mistyped new label writes nothing");
        WebElement confirm = driver.findElement(By.id("new-label-confirm"));
        confirm.clear();
        confirm.sendKeys("hexagon");
        driver.findElement(By.id("new-label-ok")).click();
        idle();

        // What is on disk is what was pressed.
        assertLabel(order.get(0), "circle");
        assertLabel(order.get(1), "square");
        assertLabel(order.get(2), "triangle");
        assertLabel(order.get(3), predicted);
        assertFalse(sidecar(order.get(4)).answered());
        assertTrue(sidecar(order.get(5)).discarded());
        assertEquals("ana", sidecar(order.get(5)).labelledBy());
        for (int i = 6; i <= 8; i++) {
            assertLabel(order.get(i), "square");
        }
        assertLabel(order.get(9), "hexagon");
        assertFalse(sidecar(order.get(10)).answered());
        assertEquals("9 / 12 answered (8 labelled, 1 discarded)", text("#progress"));
        assertTrue(driver.findElements(By.cssSelector("#labels button")).stream()
                .anyMatch(b -> b.getText().equals("2 hexagon")), "the new label is a key now");

        // Filters: unanswered only, then one camera.
        driver.findElement(By.id("filter-unanswered")).click();
        idle();
        assertEquals(List.of(order.get(4), order.get(10), order.get(11)).stream().sorted().toList(),
                cardIds().stream().sorted().toList());
        driver.findElement(By.id("filter-unanswered")).click();
        new Select(driver.findElement(By.id("filter-camera")))
                .selectByVisibleText("shop-1/till");
        idle();
        List<String> till = cardIds();
        assertEquals(6, till.size());
        assertTrue(till.stream().allMatch(id -> ExampleId.parse(id).camera().equals("till")), till.toString());
        new Select(driver.findElement(By.id("filter-predicted"))).selectByVisibleText("circle");
        idle();
        List<String> tillCircles = cardIds();
        assertFalse(tillCircles.isEmpty(), "the fixture has circles guessed on the till camera");
        for (String id : tillCircles) {
            assertEquals("circle", predicted(id));
        }
        assertEquals(till.stream().filter(id -> {
            try {
                return predicted(id).equals("circle");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).count(), tillCircles.size());
        new Select(driver.findElement(By.id("filter-predicted"))).selectByVisibleText("all");
        idle();
        // Every reason a device sends is offered and filters (the fixture cycles through all of them).
        Select reasons = new Select(driver.findElement(By.id("filter-reason")));
        assertEquals(List.of("all", "audit", "class", "disagreement", "entropy", "low-confidence", "margin"),
                reasons.getOptions().stream().map(WebElement::getText).toList());
        reasons.selectByVisibleText("audit");
        idle();
        List<String> tillAudits = cardIds();
        assertEquals(2, tillAudits.size(), "12 examples, 6 reasons, half on the till camera");
        for (String id : tillAudits) {
            assertTrue(card(id).findElement(By.cssSelector(".meta")).getText().startsWith("audit · shop-1/till"),
                    card(id).getText());
        }
        reasons.selectByVisibleText("all");
        idle();

        // Full-size view.
        card(till.get(0)).click();
        press("f");
        assertTrue(driver.findElement(By.id("viewer")).isDisplayed());
        assertTrue(text("#viewer-details").startsWith(till.get(0) + " · "), text("#viewer-details"));
        screenshot("labelling-full-size.png");
        press(Keys.ESCAPE);
        assertFalse(driver.findElement(By.id("viewer")).isDisplayed());

        // Export: the new class's folder is created only after confirming.
        driver.findElement(By.id("export")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        idle();
        assertTrue(text("#message").startsWith("Exported 8 new example(s) into"), text("#message"));
        assertTrue(Files.exists(fixture.data.resolve("hexagon/hard-" + order.get(9) + ".jpg")));
        assertTrue(Files.exists(fixture.data.resolve("circle/hard-" + order.get(0) + ".jpg")));
    }

    @Test
    void aSecondPersonsEarlierAnswerIsShownNotOverwritten() throws Exception {
        driver.get("http://127.0.0.1:" + server.port() + "/?poll=0");
        idle();
        String id = cardIds().get(0);
        driver.findElement(By.id("name")).sendKeys("ana", Keys.ENTER);
        card(id).click();
        ApiClient bo = new ApiClient(server);
        String etag = bo.get("api/examples/" + ApiClient.enc(id)).json().get("etag").asText();
        assertEquals(200, bo.answer(id, etag, "{\"label\":\"triangle\",\"by\":\"bo\"}").status());
        press("1");
        assertEquals(id + " changed since you saw it: it is now labelled \"triangle\" by bo; nothing written, look"
                + " again and answer anew", text("#message"));
        assertEquals("triangle (by bo)", card(id).findElement(By.className("answer")).getText());
        assertLabel(id, "triangle");
        assertEquals("bo", sidecar(id).labelledBy());
    }

    private void press(CharSequence key) {
        new Actions(driver).sendKeys(key).perform();
        idle();
    }

    private void idle() {
        wait.until(d -> "0".equals(d.findElement(By.tagName("body")).getAttribute("data-busy")));
    }

    private List<String> cardIds() {
        return driver.findElements(By.cssSelector("#grid .card")).stream().map(c -> c.getAttribute("data-id"))
                .toList();
    }

    private WebElement card(String id) {
        return driver.findElement(By.cssSelector("#grid .card[data-id='" + id + "']"));
    }

    private String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private String predicted(String id) throws Exception {
        return new ApiClient(server).get("api/examples/" + ApiClient.enc(id)).json().get("predicted").asText();
    }

    private ExampleSidecar sidecar(String id) throws IOException {
        return Inbox.openExisting(fixture.inbox).get(ExampleId.parse(id)).orElseThrow().sidecar();
    }

    private void assertLabel(String id, String label) throws IOException {
        ExampleSidecar s = sidecar(id);
        assertEquals(label, s.label(), id);
        assertEquals(NOW, s.labelledAt());
    }

    private void screenshot(String name) throws IOException {
        driver.executeScript("window.scrollTo(0, 0)");
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Path target = Files.createDirectories(Path.of("target", "labelling-screenshots")).resolve(name);
        Files.write(target, png);
        String docs = System.getProperty("edgeloop.docs.images");
        if (docs != null && !docs.isBlank()) {
            Files.write(Files.createDirectories(Path.of(docs)).resolve(name), png);
        }
    }
}
