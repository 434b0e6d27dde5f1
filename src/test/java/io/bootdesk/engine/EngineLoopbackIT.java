package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.cli.Main;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.testing.CoreFixture;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole engine on the loopback interface with unprivileged ports: CLI commands in the same data dir change a
 * running engine without a restart, and a taken port fails the start with a sentence naming it.
 */
class EngineLoopbackIT {
    @TempDir
    Path tmp;

    private EngineConfig config(Path data, int dhcp, int pxe, int tftp, int http) {
        return new EngineConfig(data, "lo", DhcpMode.FULL, "127.0.100.1-127.0.100.200", List.of(), null, List.of(), 600,
                dhcp, pxe, tftp, http, tmp.resolve("ipxe"), null, false);
    }

    @Test
    void cliAssignmentReachesARunningEngineWithinASecond() throws Exception {
        Path data = tmp.resolve("data");
        int http = CoreFixture.freePort();
        Path kernel = Files.writeString(tmp.resolve("vmlinuz"), "kernel");
        assertThat(Main.run("--data-dir", data.toString(), "image", "add", "linux", "--name", "deb",
                "--kernel", kernel.toString(), "--cmdline", "quiet")).isZero();
        try (Engine engine = Engine.start(config(data, CoreFixture.freePort(), CoreFixture.freePort(),
                CoreFixture.freePort(), http))) {
            HttpClient client = HttpClient.newHttpClient();
            URI script = URI.create("http://127.0.0.1:" + http + "/boot/52-54-00-00-00-42.ipxe");
            assertThat(client.send(HttpRequest.newBuilder(script).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .contains("no image assigned");

            assertThat(Main.run("--data-dir", data.toString(), "assign", "52:54:00:00:00:42", "deb")).isZero();
            long t0 = System.nanoTime();
            String body = "";
            while (System.nanoTime() - t0 < 3_000_000_000L) {
                body = client.send(HttpRequest.newBuilder(script).build(), HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("/images/deb/vmlinuz")) {
                    break;
                }
                Thread.sleep(50);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            assertThat(body).contains("kernel http://127.0.0.1:" + http + "/images/deb/vmlinuz?mac=52-54-00-00-00-42");
            assertThat(secs).isLessThan(1.0);

            assertThat(Main.run("--data-dir", data.toString(), "unassign", "52:54:00:00:00:42")).isZero();
            Thread.sleep(600);
            assertThat(client.send(HttpRequest.newBuilder(script).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .contains("no image assigned");
        }
    }

    @Test
    void aTakenPortFailsTheStartNamingThePortAndReleasesTheOthers() throws Exception {
        Path data = tmp.resolve("data");
        int dhcp = CoreFixture.freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int http = taken.getLocalPort();
            assertThatThrownBy(() -> Engine.start(config(data, dhcp, CoreFixture.freePort(), CoreFixture.freePort(), http)))
                    .hasMessageContaining("TCP 127.0.0.1:" + http)
                    .hasMessageContaining("already uses it");
        }
        // nothing stayed bound: the same DHCP port can be used again at once
        try (Engine e = Engine.start(config(data, dhcp, CoreFixture.freePort(), CoreFixture.freePort(), CoreFixture.freePort()))) {
            assertThat(e.serverIp()).isEqualTo("127.0.0.1");
        }
    }
}
