package io.bootdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.testing.CoreFixture;
import io.bootdesk.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar as a process: start, refuse with a useful sentence, stop on SIGTERM. */
class ServeProcessIT {
    @TempDir
    Path tmp;

    private static Path jar() {
        return Path.of(System.getProperty("bootdesk.jar", "target/bootdesk.jar"));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Process start(List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(java(), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.log").toFile()).start();
    }

    private String output() throws IOException {
        return Files.readString(tmp.resolve("out.log"));
    }

    @Test
    void anUnknownInterfaceIsRefusedWithTheListOfInterfaces() throws Exception {
        Process p = start(List.of(), "serve", "--interface", "nosuchif0", "--data-dir", tmp.resolve("d").toString());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output()).contains("there is no network interface named 'nosuchif0'").contains("lo");
    }

    @Test
    void sigtermStopsServeCleanly() throws Exception {
        Process p = start(List.of(), "serve", "--interface", "lo", "--data-dir", tmp.resolve("d").toString(),
                "--dhcp-port", String.valueOf(CoreFixture.freePort()), "--pxe-port", String.valueOf(CoreFixture.freePort()),
                "--tftp-port", String.valueOf(CoreFixture.freePort()), "--http-port", String.valueOf(CoreFixture.freePort()),
                "--pool", "127.0.50.1-127.0.50.9", "--no-router-advertisements");
        long deadline = System.currentTimeMillis() + 30_000;
        while (!output().contains("BootDesk is serving") && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(output()).contains("BootDesk is serving on lo");
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit code after SIGTERM (128+15 is the JVM's normal answer)").isIn(0, 143);
        assertThat(output()).contains("BootDesk stopped");
    }

    @Test
    void aPortThatNeedsPrivilegesIsNamedWithTheFix() throws Exception {
        Requirements.requireRoot(); // to drop privileges to 'nobody' for the test
        Requirements.requireCommand("setpriv", "util-linux");
        Path data = Files.createDirectories(tmp.resolve("d"));
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Process p = start(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"),
                "serve", "--interface", "lo", "--data-dir", data.toString(), "--no-router-advertisements",
                "--pool", "127.0.50.1-127.0.50.9");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output()).contains("UDP 0.0.0.0:67").contains("need privileges").contains("setcap cap_net_bind_service");
    }

    /** What openssl gets when it offers only RSA key exchange, as iPXE before 2024 does (TLS 1.2, AES-CBC/GCM). */
    private String rsaKeyExchangeOnly(boolean legacyRsa) throws Exception {
        int https = CoreFixture.freePort();
        List<String> args = new ArrayList<>(List.of("serve", "--interface", "lo",
                "--data-dir", tmp.resolve(legacyRsa ? "legacy" : "default").toString(),
                "--dhcp-port", String.valueOf(CoreFixture.freePort()), "--pxe-port", String.valueOf(CoreFixture.freePort()),
                "--tftp-port", String.valueOf(CoreFixture.freePort()), "--http-port", String.valueOf(CoreFixture.freePort()),
                "--https-port", String.valueOf(https), "--mtls-port", String.valueOf(CoreFixture.freePort()),
                "--pool", "127.0.50.1-127.0.50.9", "--no-router-advertisements"));
        if (legacyRsa) {
            args.add("--tls-legacy-rsa");
        }
        Process p = start(List.of(), args.toArray(String[]::new));
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            while (!output().contains("BootDesk is serving") && p.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(output()).contains("BootDesk is serving on lo");
            Process c = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + https, "-tls1_2",
                    "-cipher", "AES128-SHA256:AES256-SHA256:AES128-GCM-SHA256:AES128-SHA:AES256-SHA")
                    .redirectErrorStream(true).start();
            c.getOutputStream().close(); // no request: the handshake's outcome is all this asks
            String out = new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(c.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return out;
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /**
     * RSA key exchange (no forward secrecy) only with {@code --tls-legacy-rsa}. A process of its own each time: the JDK
     * reads its list of disabled TLS algorithms once, at the first TLS use, so the option works at the start of
     * {@code serve} and not later in a JVM that already spoke TLS.
     */
    @Test
    void rsaKeyExchangeIsRefusedByDefaultAndOfferedWithTheLegacyOption() throws Exception {
        Requirements.requireCommand("openssl", "openssl");
        assertThat(rsaKeyExchangeOnly(false)).as("default: forward secrecy only")
                .contains("handshake failure").contains("Cipher is (NONE)");
        assertThat(rsaKeyExchangeOnly(true)).as("--tls-legacy-rsa")
                .containsPattern("Cipher is AES(128|256)-(GCM-)?SHA(256)?\\b").contains("Protocol  : TLSv1.2");
    }
}
