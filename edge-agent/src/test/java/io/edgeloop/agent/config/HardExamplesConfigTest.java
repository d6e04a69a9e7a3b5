package io.edgeloop.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The hard-example block: the shorthand of old configs, selectors, a camera's own block on top, and bad values. */
class HardExamplesConfigTest {

    private static final String CAMERAS = """
            deviceId: dev1
            model:
              path: /m.onnx
              labels: [red, green, blue]
            cameras:
              - id: gate
                source: {type: replay, path: /frames}
            %s
              - id: yard
                source: {type: replay, path: /frames}
            mqtt:
              broker: tcp://localhost:1883
            """;

    private static AgentConfig parse(String global, String gateBlock) throws ConfigException {
        return new ConfigLoader().parse(CAMERAS.formatted(gateBlock) + global, "t.yaml");
    }

    @Test
    void theShorthandOfOldConfigsMeansLowConfidenceAndMargin() throws Exception {
        HardExamplesConfig old = parse("hardExamples:\n  enabled: true\n  maxConfidence: 0.5\n  perMinute: 1\n", "")
                .hardExamples();
        assertEquals(0.5, old.maxConfidence());
        assertEquals(0.1, old.minMargin());
        HardExampleSelectors s = old.selectors();
        assertEquals(0.5, s.lowConfidence().maxConfidence());
        assertEquals(0.1, s.margin().minMargin());
        assertEquals(HardExampleSelectors.Limits.NONE, s.lowConfidence().limits());
        assertNull(s.entropy());
        assertNull(s.classes());
        assertNull(s.audit());
        assertNull(s.disagreement());
        assertEquals(1, old.perMinute());
        HardExamplesConfig defaults = HardExamplesConfig.DEFAULT;
        assertEquals(false, defaults.enabled());
        assertEquals(HardExampleSelectors.legacy(0.6, 0.1), defaults.selectors());
    }

    @Test
    void selectorsWithTheirOwnBudgets() throws Exception {
        HardExamplesConfig c = parse("""
                hardExamples:
                  enabled: true
                  perHour: 50
                  selectors:
                    entropy: {minEntropy: 0.8}
                    classes: {labels: [red], maxConfidence: 0.9, perDay: 40}
                    audit: {rate: 0.001, seed: 7, perHour: 10}
                    disagreement: {}
                """, "").hardExamples();
        HardExampleSelectors s = c.selectors();
        assertNull(c.maxConfidence());
        assertNull(s.lowConfidence(), "with selectors, only the listed ones run");
        assertNull(s.margin());
        assertEquals(0.8, s.entropy().minEntropy());
        assertEquals(List.of("red"), s.classes().labels());
        assertEquals(0.9, s.classes().maxConfidence());
        assertEquals(new HardExampleSelectors.Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, 40), s.classes().limits());
        assertEquals(0.001, s.audit().rate());
        assertEquals(7L, s.audit().seed());
        assertEquals(new HardExampleSelectors.Limits(Integer.MAX_VALUE, 10, Integer.MAX_VALUE), s.audit().limits());
        assertEquals(true, s.disagreement().enabled());
        assertEquals(50, c.perHour());
    }

    @Test
    void aCameraBlockReplacesTheKeysAndSelectorsItNamesAndKeepsTheRest() throws Exception {
        AgentConfig config = parse("""
                hardExamples:
                  enabled: true
                  perMinute: 3
                  jpegQuality: 70
                  selectors:
                    lowConfidence: {maxConfidence: 0.5}
                    audit: {rate: 0.01, perHour: 10}
                """, """
                    hardExamples:
                      perMinute: 6
                      selectors:
                        lowConfidence: {maxConfidence: 0.3, perHour: 4}
                        audit: {enabled: false, rate: 0.01}
                        classes: {labels: [blue]}
                """);
        HardExamplesConfig gate = config.hardExamples(config.cameras().get(0));
        HardExamplesConfig yard = config.hardExamples(config.cameras().get(1));
        assertSame(config.hardExamples(), yard, "a camera without a block has the global settings");
        assertEquals(true, gate.enabled());
        assertEquals(6, gate.perMinute());
        assertEquals(70, gate.jpegQuality());
        assertEquals(0.3, gate.selectors().lowConfidence().maxConfidence());
        assertEquals(new HardExampleSelectors.Limits(Integer.MAX_VALUE, 4, Integer.MAX_VALUE),
                gate.selectors().lowConfidence().limits());
        assertEquals(false, gate.selectors().audit().enabled());
        assertEquals(List.of("blue"), gate.selectors().classes().labels());
        assertEquals(0.5, yard.selectors().lowConfidence().maxConfidence());
        assertEquals(true, yard.selectors().audit().enabled());
        assertNull(yard.selectors().classes());
    }

    @Test
    void aCameraExtendsTheShorthandAndCanSwitchHardExamplesOnAlone() throws Exception {
        AgentConfig config = parse("hardExamples:\n  minMargin: 0.2\n", """
                    hardExamples:
                      enabled: true
                      selectors:
                        audit: {rate: 0.5}
                """);
        HardExamplesConfig gate = config.hardExamples(config.cameras().get(0));
        assertEquals(true, gate.enabled());
        assertEquals(0.6, gate.selectors().lowConfidence().maxConfidence());
        assertEquals(0.2, gate.selectors().margin().minMargin());
        assertEquals(0.5, gate.selectors().audit().rate());
        assertEquals(false, config.hardExamples(config.cameras().get(1)).enabled());
    }

    @Test
    void classesMustBeTheModelsLabels() throws Exception {
        AgentConfig config = parse("hardExamples:\n  selectors:\n    classes: {labels: [red, purple]}\n", """
                    hardExamples:
                      selectors:
                        classes: {labels: [teal]}
                """);
        assertEquals("hardExamples.selectors.classes.labels[1] is 'purple', allowed the model's labels [red, green,"
                        + " blue]",
                assertThrows(IllegalArgumentException.class,
                        () -> config.checkHardExampleLabels(List.of("red", "green", "blue"))).getMessage());
        AgentConfig cameraOnly = parse("", """
                    hardExamples:
                      selectors:
                        classes: {labels: [green, teal]}
                """);
        assertEquals("cameras[0].hardExamples.selectors.classes.labels[1] is 'teal', allowed the model's labels"
                        + " [red, green, blue]",
                assertThrows(IllegalArgumentException.class,
                        () -> cameraOnly.checkHardExampleLabels(List.of("red", "green", "blue"))).getMessage());
        cameraOnly.checkHardExampleLabels(List.of("green", "teal"));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("hardExamples:\n  selectors:\n    entrop: {minEntropy: 0.5}\n", "",
                        "unknown key 'hardExamples.selectors.entrop', allowed keys here: [audit, classes,"
                                + " disagreement, entropy, lowConfidence, margin]"),
                Arguments.of("hardExamples:\n  selectors:\n    audit: {rate: 0.1, every: 3}\n", "",
                        "unknown key 'hardExamples.selectors.audit.every', allowed keys here: [enabled, perDay,"
                                + " perHour, perMinute, rate, seed]"),
                Arguments.of("hardExamples:\n  selectors:\n    entropy: {minEntropy: 1.5}\n", "",
                        "hardExamples.selectors.entropy.minEntropy is 1.5, allowed 0.0..1.0"),
                Arguments.of("hardExamples:\n  selectors:\n    entropy: {}\n", "",
                        "hardExamples.selectors.entropy.minEntropy is missing, allowed a number in 0..1 (entropy"
                                + " divided by log(number of classes): 0 = one class certain, 1 = all classes"
                                + " equally likely)"),
                Arguments.of("hardExamples:\n  selectors:\n    lowConfidence: {maxConfidence: -0.1}\n", "",
                        "hardExamples.selectors.lowConfidence.maxConfidence is -0.1, allowed 0.0..1.0"),
                Arguments.of("hardExamples:\n  selectors:\n    audit: {rate: 0}\n", "",
                        "hardExamples.selectors.audit.rate is 0.0, allowed a fraction of frames, more than 0 and"
                                + " at most 1 (0.001 = one frame in a thousand)"),
                Arguments.of("hardExamples:\n  selectors:\n    audit: {seed: 3}\n", "",
                        "hardExamples.selectors.audit.rate is missing, allowed a fraction of frames, more than 0"
                                + " and at most 1 (0.001 = one frame in a thousand)"),
                Arguments.of("hardExamples:\n  selectors:\n    audit: {rate: 0.1, perHour: -1}\n", "",
                        "hardExamples.selectors.audit.perHour is -1, allowed 0..100000"),
                Arguments.of("hardExamples:\n  selectors:\n    classes: {labels: []}\n", "",
                        "hardExamples.selectors.classes.labels is empty, allowed a list of 1..1000 of the model's"
                                + " labels"),
                Arguments.of("hardExamples:\n  selectors:\n    classes: {labels: [red, red]}\n", "",
                        "hardExamples.selectors.classes.labels[1] is 'red', a duplicate, allowed unique labels"),
                Arguments.of("hardExamples:\n  selectors:\n    margin: {minMargin: 0.2}\n  maxConfidence: 0.5\n", "",
                        "hardExamples.maxConfidence is 0.5 beside selectors, allowed only without selectors (with"
                                + " selectors, set selectors.lowConfidence.maxConfidence)"),
                Arguments.of("hardExamples:\n  selectors:\n    disagreement:\n", "",
                        "hardExamples.selectors.disagreement is '' (line 15), allowed a mapping (section"
                                + " Disagreement)"),
                Arguments.of("", "    hardExamples:\n      selectors:\n",
                        "cameras[0].hardExamples.selectors is '' (line 9), allowed a mapping (section"
                                + " HardExampleSelectors)"),
                Arguments.of("", "    hardExamples:\n      maxConfidence: 0.5\n",
                        "unknown key 'cameras[0].hardExamples.maxConfidence', allowed keys here: [duplicateDistance,"
                                + " enabled, jpegQuality, maxSide, perDay, perHour, perMinute, selectors]"),
                Arguments.of("", "    hardExamples:\n      selectors:\n        margin: {minMargin: 2}\n",
                        "cameras[0].hardExamples.selectors.margin.minMargin is 2.0, allowed 0.0..1.0"),
                Arguments.of("", "    hardExamples:\n      perMinute: 20000\n",
                        "cameras[0].hardExamples.perMinute is 20000, allowed 0..10000"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidSelectorsNameKeyValueAndAllowed(String global, String gateBlock, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(global, gateBlock));
        assertEquals("t.yaml: " + message, e.getMessage());
    }
}
