package io.edgeloop.trainer.pretrain;

import io.edgeloop.trainer.datasets.FashionMnist;
import io.edgeloop.trainer.datasets.FashionMnistClass;
import io.edgeloop.trainer.datasets.FashionMnistExport;
import io.edgeloop.trainer.datasets.FashionMnistSplit;
import io.edgeloop.trainer.datasets.FashionMnistTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A Fashion-MNIST task's split as an ImageFolder tree in a work directory, written once from the IDX files and
 * reused afterwards: the data pipeline reads image files, and 36,000 small PNGs take seconds to write. A folder
 * whose image count does not match the IDX files (an interrupted export) is an error naming it.
 */
public final class FashionMnistFolders {

    private FashionMnistFolders() {
    }

    /**
     * Returns {@code workDir/<task>-<split>}, exporting every image of the task's classes into it when it does not
     * exist yet.
     */
    public static Path ensure(FashionMnist data, FashionMnistTask task, Path workDir) throws IOException {
        Path dir = workDir.resolve(task.cliName() + "-" + data.split().cliName());
        int expected = 0;
        int[] counts = data.classCounts();
        for (FashionMnistClass c : task.classes()) {
            expected += counts[c.label()];
        }
        if (Files.isDirectory(dir)) {
            long found;
            try (Stream<Path> files = Files.walk(dir)) {
                found = files.filter(p -> p.getFileName().toString().endsWith(".png")).count();
            }
            if (found != expected) {
                throw new IOException("work folder " + dir + " holds " + found + " PNG images but the "
                        + task.cliName() + " task's " + data.split().cliName() + " split has " + expected
                        + "; delete the folder so it is written again");
            }
            return dir;
        }
        Path partial = workDir.resolve(dir.getFileName() + ".partial");
        if (Files.exists(partial)) {
            try (Stream<Path> walk = Files.walk(partial)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        FashionMnistExport.export(data, new FashionMnistExport.Options(task, FashionMnistExport.NO_LIMIT, 0,
                partial));
        Files.move(partial, dir);
        return dir;
    }

    /** Loads a split from {@code idxDir} and ensures its task folder. */
    public static Path ensure(Path idxDir, FashionMnistSplit split, FashionMnistTask task, Path workDir)
            throws IOException {
        return ensure(FashionMnist.load(idxDir, split), task, workDir);
    }
}
