package io.edgeloop.trainer.job;

import io.edgeloop.protocol.model.ModelPackageException;
import io.edgeloop.trainer.base.BaseCatalog;
import io.edgeloop.trainer.base.BaseDownloader;
import io.edgeloop.trainer.base.BaseEntry;
import io.edgeloop.trainer.base.BasePackager;
import io.edgeloop.trainer.base.DownloadException;
import io.edgeloop.trainer.base.DownloadListener;
import io.edgeloop.trainer.base.DownloadOutcome;
import io.edgeloop.trainer.base.ImageNetLabels;
import io.edgeloop.trainer.base.PulledPackage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code trainer base pull}: finds a base in the catalogue, takes it from the cache or downloads and verifies it
 * ({@link BaseDownloader}), and writes the model package ({@link BasePackager}) that {@code fit --base} takes.
 * Failures of the network or of the bytes become a {@link JobFailure} whose message says what to do next.
 */
public final class BasePullJob {

    private final Clock clock;

    public BasePullJob(Clock clock) {
        this.clock = clock;
    }

    /** The catalogue: {@code file} if given, else the shipped one. */
    public static BaseCatalog catalog(Optional<Path> file) throws IOException {
        return file.isPresent() ? BaseCatalog.load(file.get()) : BaseCatalog.shipped();
    }

    /**
     * Pulls a base.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or a bad catalogue
     * @throws JobFailure               when the download or its verification fails, with advice
     * @throws ModelPackageException    when the published graph cannot carry a classifier card
     */
    public BasePullResult pull(BasePullRequest request, DownloadListener listener)
            throws IOException, ModelPackageException {
        BaseCatalog catalog = catalog(request.catalog());
        BaseEntry entry = catalog.require(request.name());
        DownloadOutcome download;
        try {
            download = new BaseDownloader(request.settings()).fetch(entry, request.cache(), listener);
        } catch (DownloadException e) {
            throw new JobFailure(e.getMessage() + "; " + advice(e, entry, request), e);
        }
        PulledPackage pulled = new BasePackager(clock).write(entry, download.file(), catalog.version(),
                ImageNetLabels.load(), request.packageFile());
        return new BasePullResult(entry, download, pulled);
    }

    private static String advice(DownloadException e, BaseEntry entry, BasePullRequest request) {
        Path cached = request.cache().file(entry);
        return switch (e.kind()) {
            case UNREACHABLE, HTTP_STATUS -> "without access to it, pull on a connected machine and copy "
                    + cached.getFileName() + " into " + request.cache().dir() + " here, or use --catalog with a"
                    + " mirror's URLs (docs/bases.md)";
            case INTERRUPTED -> "run the same command again to resume (or copy " + cached.getFileName() + " from a"
                    + " machine that has it into " + request.cache().dir() + ")";
            case MISMATCH -> "a proxy or mirror may have served something else; run again to download afresh, or"
                    + " check the catalogue entry";
        };
    }
}
