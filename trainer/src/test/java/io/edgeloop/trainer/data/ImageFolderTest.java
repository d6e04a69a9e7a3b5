package io.edgeloop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeloop.trainer.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path root;

    @Test
    void labelsAreSortedAndSamplesListedByRelativePath() throws Exception {
        TestImages.writeDataset(root, new String[] {"zebra", "ant"}, new int[] {2, 3}, 8, 1);
        Files.writeString(root.resolve("ant/notes.txt"), "not an image");
        Files.writeString(root.resolve("ant/.hidden.png"), "hidden");
        Files.createDirectories(root.resolve(".git"));
        ImageFolder folder = ImageFolder.scan(root);
        assertEquals(List.of("ant", "zebra"), folder.labels());
        assertArrayEquals(new int[] {3, 2}, folder.countsPerClass());
        assertEquals(List.of("ant/img000.jpg", "ant/img001.png", "ant/img002.png", "zebra/img000.jpg",
                "zebra/img001.png"), folder.samples().stream().map(ImageSample::relativePath).toList());
        assertEquals(0, folder.samples().get(0).label());
        assertEquals(1, folder.samples().get(4).label());
    }

    @Test
    void missingFolderIsNamed() {
        Path missing = root.resolve("nope");
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.scan(missing));
        assertEquals("data folder " + missing + " does not exist", e.getMessage());
    }

    @Test
    void singleClassIsRejected() throws Exception {
        TestImages.writeDataset(root, new String[] {"only"}, new int[] {2}, 8, 1);
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.scan(root));
        assertEquals("data folder " + root + " has 1 class folder(s) [only], need at least 2"
                + " (layout: DIR/<label>/*.jpg|jpeg|png|bmp)", e.getMessage());
    }

    @Test
    void emptyClassIsRejected() throws Exception {
        TestImages.writeDataset(root, new String[] {"a"}, new int[] {2}, 8, 1);
        Files.createDirectories(root.resolve("b"));
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.scan(root));
        assertEquals("class folder " + root.resolve("b") + " in data folder " + root
                + " has no images (*.jpg, *.jpeg, *.png, *.bmp)", e.getMessage());
    }

    @Test
    void validationFolderMayLackAClassButNotAddOne() throws Exception {
        Path val = root.resolve("val");
        TestImages.writeDataset(val, new String[] {"a"}, new int[] {2}, 8, 1);
        ImageFolder folder = ImageFolder.scanValidation(val, List.of("a", "b"));
        assertEquals(List.of("a", "b"), folder.labels());
        assertEquals(2, folder.samples().size());

        TestImages.writeDataset(val, new String[] {"c"}, new int[] {1}, 8, 1);
        DatasetException e = assertThrows(DatasetException.class,
                () -> ImageFolder.scanValidation(val, List.of("a", "b")));
        assertEquals("validation folder " + val + " has class folder 'c' that is not one of the training classes"
                + " [a, b]", e.getMessage());
    }
}
