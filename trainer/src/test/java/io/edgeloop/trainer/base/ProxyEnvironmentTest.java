package io.edgeloop.trainer.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyEnvironmentTest {

    private static final URI HTTPS = URI.create("https://github.com/onnx/models/raw/x/m.onnx");
    private static final URI HTTP = URI.create("http://mirror.example.org/m.onnx");

    @Test
    void httpsAndHttpUrlsTakeTheirOwnVariableLowerCaseFirst() {
        ProxyEnvironment env = ProxyEnvironment.of(Map.of("https_proxy", "http://secure.proxy:3128",
                "HTTPS_PROXY", "http://ignored:1", "HTTP_PROXY", "plain.proxy:8080"));
        assertEquals(new ProxyAddress("secure.proxy", 3128, Optional.empty(), Optional.empty()),
                env.forUri(HTTPS).orElseThrow());
        assertEquals(new ProxyAddress("plain.proxy", 8080, Optional.empty(), Optional.empty()),
                env.forUri(HTTP).orElseThrow());
        assertEquals(Optional.empty(), ProxyEnvironment.of(Map.of("http_proxy", "p:1")).forUri(HTTPS),
                "an https URL never uses http_proxy");
        assertEquals(Optional.empty(), ProxyEnvironment.of(Map.of()).forUri(HTTPS));
    }

    @Test
    void credentialsArePercentDecodedAndMaskedInText() {
        ProxyAddress p = ProxyEnvironment.of(Map.of("https_proxy", "http://ann%40corp:p%3Ass@proxy.corp:8443"))
                .forUri(HTTPS).orElseThrow();
        assertEquals("proxy.corp", p.host());
        assertEquals(8443, p.port());
        assertEquals(Optional.of("ann@corp"), p.user());
        assertEquals(Optional.of("p:ss"), p.password());
        assertTrue(p.authenticates());
        assertEquals("ann@corp:***@proxy.corp:8443", p.toString());
        assertEquals(80, ProxyEnvironment.of(Map.of("https_proxy", "proxy.corp")).forUri(HTTPS).orElseThrow().port());
    }

    @Test
    void noProxyMatchesHostsDomainsAndStar() {
        Map<String, String> base = Map.of("https_proxy", "p:1", "http_proxy", "p:1");
        assertEquals(Optional.empty(), with(base, "github.com").forUri(HTTPS));
        assertEquals(Optional.empty(), with(base, "localhost, .example.org").forUri(HTTP));
        assertEquals(Optional.empty(), with(base, "example.org:8080").forUri(HTTP), "a port suffix is ignored");
        assertEquals(Optional.empty(), with(base, "*").forUri(HTTPS));
        assertEquals(Optional.empty(), with(base, "*.github.com,GitHub.com").forUri(HTTPS));
        assertTrue(with(base, "hub.com").forUri(HTTPS).isPresent(), "hub.com is not a suffix domain of github.com");
        assertTrue(with(base, "mirror.example.org.evil").forUri(HTTP).isPresent());
        assertTrue(with(base, "").forUri(HTTPS).isPresent());
        ProxyEnvironment upper = ProxyEnvironment.of(Map.of("https_proxy", "p:1", "NO_PROXY", "github.com"));
        assertEquals(Optional.empty(), upper.forUri(HTTPS));
    }

    @Test
    void aNonHttpProxyIsRefusedNamingTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProxyEnvironment.of(Map.of("https_proxy", "socks5://u:secret@p:1080")).forUri(HTTPS));
        assertEquals("https_proxy is \"socks5://u:***@p:1080\", a socks5 proxy, allowed"
                + " [http://][user:password@]host[:port] (the JDK HTTP client speaks to HTTP proxies only)",
                e.getMessage());
    }

    private static ProxyEnvironment with(Map<String, String> base, String noProxy) {
        Map<String, String> env = new java.util.HashMap<>(base);
        env.put("no_proxy", noProxy);
        return ProxyEnvironment.of(env);
    }
}
