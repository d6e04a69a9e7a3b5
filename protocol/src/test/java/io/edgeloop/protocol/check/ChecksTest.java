package io.edgeloop.protocol.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ChecksTest {

    private static String message(Executable check) {
        return assertThrows(IllegalArgumentException.class, check).getMessage();
    }

    @Test
    void rangesNameTheValueAndTheBounds() {
        assertEquals(5, Checks.range("--epochs", 5, 1, 10));
        assertEquals("--epochs is 0, allowed 1..10", message(() -> Checks.range("--epochs", 0, 1, 10)));
        assertEquals("spool.maxBytes is 9, allowed 10..20", message(() -> Checks.range("spool.maxBytes", 9L, 10, 20)));
        assertEquals("--lr is NaN, allowed 0.0..10.0", message(() -> Checks.range("--lr", Double.NaN, 0, 10)));
    }

    @Test
    void requiredAndOneOfSayWhatIsAllowed() {
        assertEquals("x", Checks.required("deviceId", "x", "an id"));
        assertEquals("deviceId is missing, allowed an id", message(() -> Checks.required("deviceId", null, "an id")));
        assertEquals("deviceId is blank, allowed an id", message(() -> Checks.required("deviceId", " ", "an id")));
        assertEquals("mode is loud, allowed one of [on-change, every]",
                message(() -> Checks.oneOf("mode", "loud", List.of("on-change", "every"))));
    }

    @Test
    void filesAndDirectoriesMustExistAndBeOfTheirKind(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.onnx"), "x");
        assertEquals(file, Checks.file("--base", file));
        assertEquals(dir, Checks.directory("--data", dir));
        assertEquals("--base " + dir + " is not a file", message(() -> Checks.file("--base", dir)));
        assertEquals("--data " + file + " is not a directory", message(() -> Checks.directory("--data", file)));
        assertEquals("--data " + dir.resolve("no") + " does not exist",
                message(() -> Checks.directory("--data", dir.resolve("no"))));
    }
}
