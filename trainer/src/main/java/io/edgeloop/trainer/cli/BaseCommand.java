package io.edgeloop.trainer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeloop.protocol.json.ProtocolJson;
import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.protocol.preprocess.PreprocessSpec;
import io.edgeloop.trainer.base.BaseCache;
import io.edgeloop.trainer.base.BaseCatalog;
import io.edgeloop.trainer.base.BaseEntry;
import io.edgeloop.trainer.base.DownloadListener;
import io.edgeloop.trainer.base.DownloadSettings;
import io.edgeloop.trainer.base.ProxyEnvironment;
import io.edgeloop.trainer.job.BasePreprocessing;
import io.edgeloop.trainer.job.BasePullJob;
import io.edgeloop.trainer.job.BasePullRequest;
import io.edgeloop.trainer.job.BasePullResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trainer base}: the catalogue of published ImageNet classifiers ({@code list}, {@code show}) and
 * {@code pull}, which downloads one into the cache ({@code ~/.edgeloop/bases}, or {@value BaseCache#ENV}, or
 * {@code --cache}), verifies it and writes a model package for {@code fit --base}. See {@code docs/bases.md}.
 */
@Command(name = "base", mixinStandardHelpOptions = true,
        description = "List, show and pull pretrained ImageNet bases (ONNX Model Zoo classifiers).",
        subcommands = {BaseCommand.ListBases.class, BaseCommand.Show.class, BaseCommand.Pull.class})
public final class BaseCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new IllegalArgumentException("missing subcommand, allowed list, show or pull");
    }

    /** {@code --catalog} and {@code --cache}, shared by the subcommands. */
    static final class Sources {
        @Option(names = "--catalog", paramLabel = "FILE",
                description = "Catalogue JSON to use instead of the shipped one (a mirror's).")
        Path catalog;

        @Option(names = "--cache", paramLabel = "DIR",
                description = "Download cache. Default: ~/.edgeloop/bases, or $" + BaseCache.ENV + " if set.")
        Path cache;

        BaseCatalog load() throws IOException {
            return BasePullJob.catalog(Optional.ofNullable(catalog));
        }

        BaseCache cache() {
            return BaseCache.locate(Optional.ofNullable(cache), System.getenv(),
                    Path.of(System.getProperty("user.home")));
        }
    }

    /** {@code trainer base list [--json]}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the catalogue's bases; * marks those in the cache.")
    static final class ListBases implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        private Sources sources = new Sources();

        @Option(names = "--json", description = "Print the catalogue entries as JSON, with \"cached\".")
        private boolean json;

        @Option(names = "--verbose", description = "Print every entry in full, as 'show' does.")
        private boolean verbose;

        @Override
        public Integer call() throws IOException {
            BaseCatalog catalog = sources.load();
            BaseCache cache = sources.cache();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(json(catalog, cache));
                return ExitCodes.OK;
            }
            if (verbose) {
                for (BaseEntry e : catalog.bases()) {
                    print(out, e, cache);
                    out.println();
                }
                return ExitCodes.OK;
            }
            out.println(BaseTable.header());
            for (BaseEntry e : catalog.bases()) {
                out.println(BaseTable.row(e, cache.looksPresent(e)));
            }
            out.println();
            out.println("* in the cache " + cache.dir() + "; catalogue " + catalog.version() + ".");
            out.println("Details: trainer base show NAME. Get one: trainer base pull NAME.");
            return ExitCodes.OK;
        }

        private static String json(BaseCatalog catalog, BaseCache cache) throws IOException {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("schema", catalog.schema());
            root.put("version", catalog.version());
            root.put("cache", cache.dir().toString());
            ArrayNode bases = root.putArray("bases");
            for (BaseEntry e : catalog.bases()) {
                ObjectNode node = (ObjectNode) ProtocolJson.parseTree(ProtocolJson.writer().writeValueAsBytes(e));
                node.put("cached", cache.looksPresent(e));
                bases.add(node);
            }
            try {
                return ProtocolJson.prettyWriter().writeValueAsString(root);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the catalogue as JSON", e);
            }
        }
    }

    /** {@code trainer base show NAME}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one base: URL, size, SHA-256, input, preprocessing, licence, cache file.")
    static final class Show implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        private Sources sources = new Sources();

        @Parameters(paramLabel = "NAME", description = "A name from 'trainer base list'.")
        private String name;

        @Override
        public Integer call() throws IOException {
            BaseEntry entry = sources.load().require(name);
            print(spec.commandLine().getOut(), entry, sources.cache());
            return ExitCodes.OK;
        }
    }

    /** {@code trainer base pull NAME [--dir D] [--cache DIR]}. */
    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = {"Download a base into the cache (resuming a partial download), verify its size and"
                    + " SHA-256, and write a model package (ONNX + card with preprocessing, the 1000 ImageNet"
                    + " labels and provenance) for 'fit --base'. A cached base needs no network.",
                    "Proxies: https_proxy, http_proxy, no_proxy (user:password@ allowed)."})
    static final class Pull implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Mixin
        private Sources sources = new Sources();

        @Parameters(paramLabel = "NAME", description = "A name from 'trainer base list'.")
        private String name;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "Where the package goes (DIR/model.onnx). Default: bases/NAME.")
        private Path dir;

        @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "30",
                description = "Longest wait for a connection. Default: ${DEFAULT-VALUE}.")
        private double connectTimeout;

        @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "Longest wait for the next bytes before giving up (the partial file is kept)."
                        + " Default: ${DEFAULT-VALUE}.")
        private double stallTimeout;

        @Override
        public Integer call() throws IOException, ModelPackageException {
            Map<String, String> env = System.getenv();
            DownloadSettings settings = new DownloadSettings(seconds("--connect-timeout", connectTimeout),
                    seconds("--stall-timeout", stallTimeout), ProxyEnvironment.of(env));
            BasePullRequest request = new BasePullRequest(name, Optional.ofNullable(sources.catalog),
                    Optional.ofNullable(dir), sources.cache(), settings);
            DownloadListener listener = Terminal.interactive()
                    ? new DownloadProgressBar(System.err, name) : DownloadListener.NONE;
            BasePullResult result = new BasePullJob(Clock.systemUTC()).pull(request, listener);
            PrintWriter out = spec.commandLine().getOut();
            BaseEntry e = result.entry();
            if (result.download().fromCache()) {
                out.println("Cached " + result.download().file() + " (sha256 verified, no download)");
            } else {
                out.println(String.format(Locale.ROOT, "Downloaded %s (%.1f MB%s), sha256 verified", e.url(),
                        e.sizeMegabytes(), result.download().resumedFrom() > 0
                                ? String.format(Locale.ROOT, ", resumed at %.1f MB",
                                result.download().resumedFrom() / 1e6) : ""));
                out.println("Cached " + result.download().file());
            }
            for (String notice : result.pulled().notices()) {
                out.println("notice: " + notice);
            }
            out.println("Wrote " + result.pulled().file() + " (card " + result.pulled().card().name() + " "
                    + result.pulled().card().version() + ", " + result.pulled().card().labels().size()
                    + " ImageNet labels, licence " + e.licence() + ")");
            out.println("Next: trainer fit --base " + result.pulled().file() + " --data DIR");
            return ExitCodes.OK;
        }

        private static Duration seconds(String option, double value) {
            if (!(value > 0) || value > 86_400) {
                throw new IllegalArgumentException(option + " is " + value + ", allowed 0 < seconds <= 86400");
            }
            return Duration.ofMillis(Math.max(1, Math.round(value * 1000)));
        }
    }

    static void print(PrintWriter out, BaseEntry e, BaseCache cache) throws IOException {
        PreprocessSpec p = e.preprocessing();
        out.println(e.name() + ": " + e.description());
        out.println("  url:           " + e.url());
        out.println(String.format(Locale.ROOT, "  size:          %d bytes (%.1f MB)", e.sizeBytes(),
                e.sizeMegabytes()));
        out.println("  sha256:        " + e.sha256());
        out.println("  opset:         " + e.opset());
        out.println("  input:         " + e.input().name() + ", " + e.input().layout() + ", " + e.input().size()
                + "x" + e.input().size());
        out.println("  preprocessing: " + BasePreprocessing.describe(p) + " ("
                + p.resize().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
        out.println("  labels:        " + e.labels() + " (1000 classes)");
        out.println("  licence:       " + e.licence());
        if (e.source() != null) {
            out.println("  source:        " + e.source());
        }
        if (e.notes() != null) {
            out.println("  notes:         " + e.notes());
        }
        out.println("  cache:         " + cache.file(e) + (cache.looksPresent(e) ? " (present)" : " (not yet)"));
    }
}
