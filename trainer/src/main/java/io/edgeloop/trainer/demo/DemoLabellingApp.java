package io.edgeloop.trainer.demo;

import io.edgeloop.trainer.label.GroundTruth;
import io.edgeloop.trainer.label.ReplayMatcher;
import io.edgeloop.trainer.labelling.GroundTruthLabeller;
import io.edgeloop.trainer.labelling.LabellingClient;
import io.edgeloop.trainer.labelling.LabellingServer;
import io.edgeloop.trainer.labelling.LabellingSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The demo's labelling step: starts the labelling web app in this JVM exactly as {@code trainer label serve} does
 * (the same {@link LabellingServer} and {@link LabellingSettings}, loopback, a free port), labels every hard example
 * from the field frames' ground truth through the app's HTTP API ({@link GroundTruthLabeller}, recorded as
 * {@value GroundTruth#LABELLED_BY}) and tells the console. The app keeps serving until this is closed, so with
 * {@code --keep-running} a person can open the inbox in a browser.
 */
final class DemoLabellingApp implements AutoCloseable {

    private final PrintWriter con;
    private LabellingServer app;

    /** Nothing runs before {@link #label}. */
    DemoLabellingApp(PrintWriter console) {
        this.con = console;
    }

    /**
     * Starts the app on {@code inbox} with {@code data} as its training tree, labels through it and prints the
     * outcome.
     *
     * @param field the ImageFolder tree the camera replays: the ground truth
     * @throws IllegalStateException if the app was started already
     */
    GroundTruthLabeller.Outcome label(Path inbox, Path data, Path field) throws IOException, InterruptedException {
        if (app != null) {
            throw new IllegalStateException("the labelling app already runs at " + app.uri());
        }
        app = LabellingServer.start(new LabellingSettings(inbox, data, LabellingSettings.LOOPBACK, 0,
                Optional.empty()), Clock.systemUTC());
        con.printf("      labelling app %s (as 'trainer label serve --inbox %s --data %s')%n", app.uri(), inbox,
                data);
        LabellingClient client = LabellingClient.of(app.uri());
        GroundTruthLabeller.Outcome outcome = new GroundTruthLabeller(client,
                new ReplayMatcher(field, ReplayMatcher.DEFAULT_MAX_DIFFERENCE)).labelAll();
        con.printf("      labelled %d through the app's HTTP API, no ground truth for %d, refused %d, already"
                + " answered %d (as \"%s\")%n", outcome.labelled(), outcome.withoutTruth().size(),
                outcome.refused().size(), outcome.alreadyAnswered(), GroundTruth.LABELLED_BY);
        for (GroundTruthLabeller.Refusal r : outcome.refused()) {
            con.printf("      refused %s as \"%s\": %d %s%n", r.id(), r.label(), r.status(), r.message());
        }
        return outcome;
    }

    /** Where the app serves, once started. */
    URI uri() {
        if (app == null) {
            throw new IllegalStateException("the labelling app has not been started");
        }
        return app.uri();
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
    }
}
