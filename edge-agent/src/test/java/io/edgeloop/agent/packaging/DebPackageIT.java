package io.edgeloop.agent.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.testing.Mosquitto;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The amd64 .deb installed, upgraded, removed and purged with the real dpkg in a throwaway root
 * ({@code dpkg --root --admindir --force-script-chrootless}: the maintainer scripts run on this machine with
 * {@code DPKG_ROOT} set and must touch nothing outside it). Asserts the files, the service user and directories the
 * scripts create, the unit enabled and disabled by deb-systemd-helper, conffiles kept on upgrade and user data
 * removed only on purge; the installed default config passes {@code check} on the bundled runtime.
 */
class DebPackageIT {

    private static final Path DPKG = Path.of("/usr/bin/dpkg");
    private static final String WANTS = "etc/systemd/system/multi-user.target.wants/edgeloop-agent.service";

    private static Path deb;

    @TempDir
    Path tmp;

    private Path root;

    @BeforeAll
    static void builtPackage() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DPKG), "dpkg not found: the .deb can only be tested on Debian");
        deb = Built.one("edgeloop-agent_*_amd64.deb");
    }

    private Built.Run dpkg(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (!"0".equals(Built.run(tmp, List.of("id", "-u"), 10).output().trim())) {
            command.add("fakeroot"); // the scripts chown; dpkg --root itself works for any user
        }
        command.addAll(List.of(DPKG.toString(), "--root=" + root, "--admindir=" + root.resolve("var/lib/dpkg"),
                "--log=" + root.resolve("var/log/dpkg.log"), "--force-script-chrootless", "--force-not-root",
                // the target root has no libc6 etc. installed (they are this machine's)
                "--force-depends"));
        command.addAll(Arrays.asList(args));
        return Built.run(tmp, command, 300);
    }

    private void emptyRoot() throws Exception {
        root = tmp.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createDirectories(root.resolve("var/log"));
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Files.writeString(root.resolve("var/lib/dpkg/available"), "");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("etc/gshadow"), "root:*::\n");
    }

    private String status() throws Exception {
        return Built.run(tmp, List.of("dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W",
                "-f=${Status} ${Version}", "edgeloop-agent"), 30).output().trim();
    }

    /** v2: the same package with a higher version and a changed README, rebuilt with dpkg-deb. */
    private Path secondVersion(String v1) throws Exception {
        Path tree = tmp.resolve("v2");
        Built.Run raw = Built.run(tmp, List.of("dpkg-deb", "-R", deb.toString(), tree.toString()), 120);
        assertEquals(0, raw.exit(), raw.output());
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replace("Version: " + v1, "Version: " + v1 + "+v2"));
        Files.writeString(tree.resolve("opt/edgeloop/README.md"), "version 2\n");
        Path v2 = tmp.resolve("edgeloop-agent_v2_amd64.deb");
        Built.Run build = Built.run(tmp, List.of("dpkg-deb", "--root-owner-group", "-Znone", "-b", tree.toString(),
                v2.toString()), 300);
        assertEquals(0, build.exit(), build.output());
        return v2;
    }

    private static int uidOf(Path file) throws Exception {
        return (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void installUpgradeRemoveAndPurgeInAThrowawayRoot() throws Exception {
        emptyRoot();
        Built.Run install = dpkg("-i", deb.toString());
        assertEquals(0, install.exit(), install.output());
        String v1 = status().replace("install ok installed ", "");
        assertEquals("install ok installed " + v1, status());

        // files
        assertTrue(Files.isExecutable(root.resolve("opt/edgeloop/runtime/bin/java")));
        assertEquals(62, Built.elfMachine(root.resolve("opt/edgeloop/runtime/bin/java")));
        // postinst made the runtime's base CDS archive with the runtime's own java (the unit's archive builds on it)
        assertTrue(Files.isRegularFile(root.resolve("opt/edgeloop/runtime/lib/server/classes.jsa")));
        assertTrue(Files.isRegularFile(root.resolve("opt/edgeloop/edge-agent.jar")));
        assertTrue(Files.isRegularFile(root.resolve("opt/edgeloop/models/base/model.onnx")));
        String unit = Files.readString(root.resolve("lib/systemd/system/edgeloop-agent.service"));
        assertTrue(unit.contains("\nExecStart=/opt/edgeloop/runtime/bin/java "), unit);
        assertFalse(unit.contains("/usr/bin/java"), "the device has no system Java: " + unit);
        assertTrue(unit.contains("-jar /opt/edgeloop/edge-agent.jar run --config /etc/edgeloop/agent.yaml"), unit);
        // the unit's JVM options (memory, trimming) are ones the bundled runtime accepts: an unknown -XX option
        // would stop the service at every start
        Matcher jvm = Pattern.compile("Environment=\"EDGELOOP_JVM=([^\"]*)\"")
                .matcher(unit.replaceAll("\\\\\n\\s*", " "));
        assertTrue(jvm.find(), unit);
        List<String> help = new ArrayList<>(List.of(root.resolve("opt/edgeloop/runtime/bin/java").toString()));
        help.addAll(Arrays.asList(jvm.group(1).trim().split("\\s+")));
        help.addAll(List.of("-jar", root.resolve("opt/edgeloop/edge-agent.jar").toString(), "--help"));
        Built.Run helped = Built.run(tmp, help, 120);
        assertEquals(0, helped.exit(), String.join(" ", help) + ": " + helped.output());
        assertTrue(unit.contains("\nEnvironment=MALLOC_ARENA_MAX=2\n"), unit);
        assertEquals("/etc/edgeloop/agent.yaml", Files.readString(root.resolve(
                "var/lib/dpkg/info/edgeloop-agent.conffiles")).trim());

        // what the postinst made: system user with its own group, no login; state and config dirs
        String user = Files.readAllLines(root.resolve("etc/passwd")).stream()
                .filter(l -> l.startsWith("edgeloop:")).findFirst().orElseThrow(() -> new AssertionError(
                        "no edgeloop user in the root's /etc/passwd: " + install.output()));
        String[] f = user.split(":");
        int uid = Integer.parseInt(f[2]);
        assertTrue(uid > 0 && uid < 1000, user);
        assertEquals("/var/lib/edgeloop", f[5]);
        assertEquals("/usr/sbin/nologin", f[6]);
        assertTrue(Files.readString(root.resolve("etc/group")).contains("\nedgeloop:x:" + f[3] + ":"));
        Path state = root.resolve("var/lib/edgeloop");
        assertEquals(uid, uidOf(state));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals(uid, uidOf(state.resolve("tmp")));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                root.resolve("etc/edgeloop/agent.yaml"))));
        assertTrue(Files.isDirectory(root.resolve("etc/edgeloop/trusted-keys")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                root.resolve("etc/edgeloop/credentials/mqtt-password"))));
        // enabled as debhelper does it (deb-systemd-helper honours DPKG_ROOT); systemctl never ran
        assertEquals(Path.of("/lib/systemd/system/edgeloop-agent.service"),
                Files.readSymbolicLink(root.resolve(WANTS)));

        // the admin edits the config and the agent has state
        Path config = root.resolve("etc/edgeloop/agent.yaml");
        String edited = Files.readString(config).replace("deviceId: edgeloop-1", "deviceId: lobby-7");
        Files.writeString(config, edited);
        Files.writeString(state.resolve("spool.marker"), "undelivered events");

        // upgrade: files replaced, config and state kept, still enabled
        Path v2 = secondVersion(v1);
        Built.Run upgrade = dpkg("-i", v2.toString());
        assertEquals(0, upgrade.exit(), upgrade.output());
        assertEquals("install ok installed " + v1 + "+v2", status());
        assertEquals("version 2\n", Files.readString(root.resolve("opt/edgeloop/README.md")));
        assertEquals(edited, Files.readString(config));
        assertTrue(Files.exists(state.resolve("spool.marker")));
        assertTrue(Files.isSymbolicLink(root.resolve(WANTS)));
        assertEquals(1, Files.readAllLines(root.resolve("etc/passwd")).stream()
                .filter(l -> l.startsWith("edgeloop:")).count());

        // remove: program gone and the service disabled; config and state stay
        Built.Run remove = dpkg("-r", "edgeloop-agent");
        assertEquals(0, remove.exit(), remove.output());
        assertEquals("deinstall ok config-files " + v1 + "+v2", status());
        assertFalse(Files.exists(root.resolve("opt/edgeloop/edge-agent.jar")));
        assertFalse(Files.exists(root.resolve("opt/edgeloop/runtime")));
        assertFalse(Files.exists(root.resolve(WANTS), LinkOption.NOFOLLOW_LINKS));
        assertEquals(edited, Files.readString(config));
        assertTrue(Files.exists(state.resolve("spool.marker")));

        // purge: config, credentials and state gone; the system user stays (Debian's practice)
        Built.Run purge = dpkg("-P", "edgeloop-agent");
        assertEquals(0, purge.exit(), purge.output());
        assertFalse(Files.exists(root.resolve("etc/edgeloop")));
        assertFalse(Files.exists(state));
        assertFalse(Files.exists(root.resolve("var/lib/systemd/deb-systemd-helper-enabled/"
                + "multi-user.target.wants/edgeloop-agent.service")));
        assertTrue(Files.readString(root.resolve("etc/passwd")).contains("\nedgeloop:"));
        assertFalse(status().startsWith("install"), status());
    }

    @Test
    void theInstalledDefaultConfigPassesCheckOnTheBundledRuntime() throws Exception {
        Mosquitto.assumeInstalled();
        emptyRoot();
        Built.Run install = dpkg("-i", deb.toString());
        assertEquals(0, install.exit(), install.output());
        // the installed config with its absolute paths moved into the throwaway root
        String yaml = Files.readString(root.resolve("etc/edgeloop/agent.yaml"));
        for (String dir : List.of("/var/lib/edgeloop", "/opt/edgeloop", "/etc/edgeloop")) {
            yaml = yaml.replace(" " + dir, " " + root + dir);
        }
        Path config = Files.writeString(tmp.resolve("agent.yaml"), yaml);
        try (Mosquitto broker = Mosquitto.start(tmp.resolve("broker"))) {
            Built.Run check = Built.run(tmp, List.of(root.resolve("opt/edgeloop/runtime/bin/java").toString(),
                    "-Djava.io.tmpdir=" + root.resolve("var/lib/edgeloop/tmp"), "-jar",
                    root.resolve("opt/edgeloop/edge-agent.jar").toString(), "check", "--config", config.toString(),
                    "--broker", broker.uri()), 120);
            assertEquals(0, check.exit(), check.output());
            assertTrue(check.output().contains("verdict  ok"), check.output());
        }
    }

    @Test
    void theRuntimeHoldsEveryModuleJdepsFindsInTheAgent() throws Exception {
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        Assumptions.assumeTrue(Files.isExecutable(jdeps), "no jdeps in " + System.getProperty("java.home"));
        Built.Run run = Built.run(tmp, List.of(jdeps.toString(), "--multi-release", "17", "--ignore-missing-deps",
                "--print-module-deps", Built.one("edge-agent-linux-x86_64.jar").toString()), 300);
        assertEquals(0, run.exit(), run.output());
        Set<String> needed = new TreeSet<>(Arrays.asList(run.output().trim().split(",")));
        for (String arch : List.of("x86_64", "aarch64")) {
            Path release = Built.TARGET.resolve("runtime-linux-" + arch + "/release");
            if (!Files.exists(release)) {
                continue; // -Dedgeloop.skipArm64=true
            }
            Matcher m = Pattern.compile("MODULES=\"([^\"]*)\"").matcher(Files.readString(release));
            assertTrue(m.find(), release + " names no MODULES");
            Set<String> present = new TreeSet<>(Arrays.asList(m.group(1).split(" ")));
            Set<String> missing = new TreeSet<>(needed);
            missing.removeAll(present);
            assertTrue(missing.isEmpty(), "the " + arch + " runtime lacks " + missing + ": add them to"
                    + " agent.runtime.modules in edge-agent/pom.xml");
            assertTrue(present.contains("jdk.crypto.ec"), "TLS to the broker needs jdk.crypto.ec");
        }
    }
}
