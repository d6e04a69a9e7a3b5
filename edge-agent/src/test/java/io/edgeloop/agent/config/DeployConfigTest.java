package io.edgeloop.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code deploy} section: off when absent, defaults, and exact messages for bad values. */
class DeployConfigTest {

    @Test
    void absentSectionDisablesDeploy() throws Exception {
        assertNull(new ConfigLoader().parse(ConfigLoaderTest.BASE, "t.yaml").deploy());
    }

    @Test
    void defaults() throws Exception {
        DeployConfig d = new ConfigLoader().parse(ConfigLoaderTest.BASE + "deploy:\n  trustedKeys: /etc/keys\n",
                "t.yaml").deploy();
        assertEquals("/etc/keys", d.trustedKeys());
        assertEquals(256L << 20, d.maxModelBytes());
        assertEquals(List.of("https"), d.allowUrlSchemes());
        assertEquals(10, d.healthCheckFrames());
        assertEquals(60, d.healthCheckSeconds());
    }

    @Test
    void explicitValues() throws Exception {
        DeployConfig d = new ConfigLoader().parse(ConfigLoaderTest.BASE + """
                deploy:
                  trustedKeys: keys
                  maxModelBytes: 1048576
                  allowUrlSchemes: [file, https]
                """, "t.yaml").deploy();
        assertEquals(1L << 20, d.maxModelBytes());
        assertEquals(List.of("file", "https"), d.allowUrlSchemes());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{maxModelBytes: 5}|t.yaml: deploy.trustedKeys is missing, allowed the directory of trusted Ed25519 public"
                + " keys (*.pem)",
        "{trustedKeys: k, maxModelBytes: 5}|t.yaml: deploy.maxModelBytes is 5, allowed 1024..2147483647",
        "{trustedKeys: k, allowUrlSchemes: [ftp]}|t.yaml: deploy.allowUrlSchemes has 'ftp', allowed a subset of"
                + " [https, http, file]",
        "{trustedKeys: k, allowUrlSchemes: [file, file]}|t.yaml: deploy.allowUrlSchemes has 'file' twice, allowed"
                + " each scheme once",
        "{trustedKeys: k, healthCheckSeconds: 0}|t.yaml: deploy.healthCheckSeconds is 0, allowed 1..3600",
        "{trustedKeys: k, healthCheckFrames: -1}|t.yaml: deploy.healthCheckFrames is -1, allowed 0..100000",
        "{trustedKeys: k, trustedKey: k}|t.yaml: unknown key 'deploy.trustedKey', allowed keys here:"
                + " [allowUrlSchemes, healthCheckFrames, healthCheckSeconds, maxModelBytes, trustedKeys]"
    })
    void badValuesAreNamed(String section, String message) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().parse(ConfigLoaderTest.BASE + "deploy: " + section + "\n", "t.yaml"));
        assertEquals(message, e.getMessage());
    }
}
