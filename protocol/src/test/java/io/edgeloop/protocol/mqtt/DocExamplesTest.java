package io.edgeloop.protocol.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON examples shown in the docs are the tested example files, so the docs cannot drift from the schemas. */
class DocExamplesTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL);

    @ParameterizedTest
    @ValueSource(strings = {"mqtt.md", "model-card.md"})
    void everyJsonBlockEqualsAnExampleFile(String doc) throws IOException {
        String text = Files.readString(SchemaFiles.DIR.getParent().resolve(doc), StandardCharsets.UTF_8);
        List<JsonNode> examples = new ArrayList<>();
        for (Path p : SchemaFiles.examples()) {
            examples.add(SchemaFiles.read(p));
        }
        Matcher m = JSON_BLOCK.matcher(text);
        int blocks = 0;
        Set<JsonNode> used = new HashSet<>();
        while (m.find()) {
            JsonNode block = SchemaFiles.read(m.group(1).getBytes(StandardCharsets.UTF_8));
            assertTrue(examples.contains(block), doc + " shows JSON that is no example file:\n" + m.group(1));
            used.add(block);
            blocks++;
        }
        assertTrue(blocks > 0, doc + " has no JSON examples");
        if (doc.equals("mqtt.md")) {
            // Every payload example file (all but the model cards) is shown in the MQTT page.
            long cards = SchemaFiles.examples().stream()
                    .filter(p -> p.getFileName().toString().startsWith("model-card")).count();
            assertEquals(examples.size() - cards, used.size());
        }
    }
}
