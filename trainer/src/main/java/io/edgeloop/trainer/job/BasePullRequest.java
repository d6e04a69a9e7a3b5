package io.edgeloop.trainer.job;

import io.edgeloop.trainer.base.BaseCache;
import io.edgeloop.trainer.base.DownloadSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code trainer base pull} is asked to do.
 *
 * @param name       catalogue name of the base
 * @param catalog    catalogue file to use instead of the shipped one ({@code --catalog})
 * @param packageDir where the model package goes ({@code --dir}); default {@code bases/<name>}
 * @param cache      the download cache
 * @param settings   timeouts and proxies
 */
public record BasePullRequest(String name, Optional<Path> catalog, Optional<Path> packageDir, BaseCache cache,
                              DownloadSettings settings) {

    /** File name of the package inside its directory. */
    public static final String FILE_NAME = "model.onnx";

    public BasePullRequest {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("NAME is missing, allowed a base from 'trainer base list'");
        }
        catalog = catalog == null ? Optional.empty() : catalog;
        packageDir = packageDir == null ? Optional.empty() : packageDir;
        if (cache == null || settings == null) {
            throw new IllegalArgumentException("cache and settings are required");
        }
    }

    /** The package file: {@code <dir>/model.onnx}, {@code bases/<name>/model.onnx} by default. */
    public Path packageFile() {
        return packageDir.orElse(Path.of("bases", name)).resolve(FILE_NAME);
    }
}
