package io.edgeloop.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeloop.protocol.preprocess.DecodeLimits;
import org.junit.jupiter.api.Test;

/** {@code inference.decodeMemoryBytes}: the heap one frame's decode may take. */
class DecodeBudgetConfigTest {

    @Test
    void theBudgetDefaultsToAQuarterOfTheHeapAndNamesTheKeyThatSetsIt() throws Exception {
        DecodeLimits limits = new ConfigLoader().parse(ConfigLoaderTest.BASE, "t.yaml").inference().decodeLimits();
        assertEquals(Runtime.getRuntime().maxMemory() / 4, limits.maxDecodeMemory());
        assertEquals("1/4 of the " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB maximum heap; set by inference.decodeMemoryBytes", limits.memorySource());
    }

    @Test
    void theKeySetsTheBudget() throws Exception {
        DecodeLimits limits = new ConfigLoader().parse(ConfigLoaderTest.BASE
                + "inference:\n  decodeMemoryBytes: 33554432\n", "t.yaml").inference().decodeLimits();
        assertEquals(33_554_432L, limits.maxDecodeMemory());
        assertEquals("inference.decodeMemoryBytes", limits.memorySource());
        assertEquals(DecodeLimits.DEFAULT.maxPixels(), limits.maxPixels());
    }

    @Test
    void aBudgetUnder1MiBIsRefusedNamingTheKeyAndWhatIsAllowed() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().parse(ConfigLoaderTest.BASE
                + "inference:\n  decodeMemoryBytes: 1000\n", "t.yaml"));
        assertEquals("t.yaml: inference.decodeMemoryBytes is 1000, allowed at least 1048576 (1 MiB)", e.getMessage());
    }
}
