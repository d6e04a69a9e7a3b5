package io.edgeloop.protocol.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "gate-01", "cam_2", "A1-b_2",
            "a123456789012345678901234567890123456789012345678901234567890123"})
    void validIds(String id) {
        assertTrue(Ids.isValid(id));
        assertEquals(id, Ids.requireDevice(id));
        assertEquals(id, Ids.requireCamera(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "_fleet", "a/b", "a+b", "a#", "$SYS", "a b", "a.b", "ä", "a\n",
            "a1234567890123456789012345678901234567890123456789012345678901234"})
    void invalidIds(String id) {
        assertFalse(Ids.isValid(id));
        assertEquals("device id is \"" + id + "\", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64 ASCII letters,"
                        + " digits, '_' or '-', starting with a letter or digit)",
                assertThrows(IllegalArgumentException.class, () -> Ids.requireDevice(id)).getMessage());
        assertEquals("camera id is \"" + id + "\", allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64 ASCII letters,"
                        + " digits, '_' or '-', starting with a letter or digit)",
                assertThrows(IllegalArgumentException.class, () -> Ids.requireCamera(id)).getMessage());
    }

    @Test
    void missingIdsAndModelNames() {
        assertFalse(Ids.isValid(null));
        assertEquals("device id is missing, allowed [A-Za-z0-9][A-Za-z0-9_-]{0,63} (1-64 ASCII letters, digits,"
                        + " '_' or '-', starting with a letter or digit)",
                assertThrows(IllegalArgumentException.class, () -> Ids.requireDevice(null)).getMessage());
        assertEquals("2026.11.28-1", Ids.requireModelName("version", "2026.11.28-1"));
        assertEquals("version is \"../1\", allowed [A-Za-z0-9][A-Za-z0-9._-]{0,127} (1-128 ASCII letters, digits,"
                        + " '.', '_' or '-', starting with a letter or digit)",
                assertThrows(IllegalArgumentException.class, () -> Ids.requireModelName("version", "../1"))
                        .getMessage());
    }
}
