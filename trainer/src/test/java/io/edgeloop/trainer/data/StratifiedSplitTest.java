package io.edgeloop.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

    private static List<ImageSample> samples(int... perClass) {
        List<ImageSample> list = new ArrayList<>();
        for (int c = 0; c < perClass.length; c++) {
            for (int i = 0; i < perClass[c]; i++) {
                String rel = "c" + c + "/" + i + ".png";
                list.add(new ImageSample(Path.of("/data", rel), rel, c));
            }
        }
        return list;
    }

    @Test
    void splitsEachClassAndIsDeterministic() {
        List<ImageSample> all = samples(10, 3, 2, 1);
        StratifiedSplit a = StratifiedSplit.of(all, 4, 0.2, 42);
        StratifiedSplit b = StratifiedSplit.of(all, 4, 0.2, 42);
        assertEquals(a, b);
        int[] val = ImageFolder.countsPerClass(a.validation(), 4);
        int[] train = ImageFolder.countsPerClass(a.train(), 4);
        // 10 → 2 held out; 3 → round(0.6) = 1; 2 → at least 1; 1 → none (the only image trains)
        assertEquals(List.of(2, 1, 1, 0), List.of(val[0], val[1], val[2], val[3]));
        assertEquals(List.of(8, 2, 1, 1), List.of(train[0], train[1], train[2], train[3]));
        var union = new HashSet<>(a.train());
        union.addAll(a.validation());
        assertEquals(new HashSet<>(all), union);
    }

    @Test
    void anotherSeedGivesAnotherSplit() {
        List<ImageSample> all = samples(50, 50);
        assertNotEquals(StratifiedSplit.of(all, 2, 0.2, 1).validation(),
                StratifiedSplit.of(all, 2, 0.2, 2).validation());
    }

    @Test
    void inputOrderDoesNotMatter() {
        List<ImageSample> all = samples(20, 20);
        List<ImageSample> reversed = new ArrayList<>(all);
        java.util.Collections.reverse(reversed);
        assertEquals(StratifiedSplit.of(all, 2, 0.3, 9), StratifiedSplit.of(reversed, 2, 0.3, 9));
    }

    @Test
    void fractionIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StratifiedSplit.of(samples(2, 2), 2, 1.0, 1));
        assertEquals("validationFraction is 1.0, allowed 0 < f < 1", e.getMessage());
        assertTrue(StratifiedSplit.of(samples(2, 2), 2, 0.01, 1).validation().size() == 2);
    }
}
