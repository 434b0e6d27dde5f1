package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.DhcpMode;
import io.bootdesk.testing.CoreFixture;
import io.bootdesk.testing.Requirements;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up's checks against real sockets on the loopback interface: the DHCP probe hears a real BootDesk engine
 * answering (and nothing when none runs), and the port check names a taken port with the fix.
 */
class SetupChecksIT {
    private static final byte[] PROBE_MAC = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

    @TempDir
    Path tmp;

    private EngineConfig loopback(Path data, int dhcp, int http) throws Exception {
        return new EngineConfig(data, "lo", DhcpMode.FULL, "127.0.100.1-127.0.100.200", List.of(), null, List.of(), 600,
                dhcp, CoreFixture.freePort(), CoreFixture.freePort(), http, tmp.resolve("ipxe"), null, false);
    }

    @Test
    void theProbeHearsAnotherDhcpServerAndRecommendsProxyMode() throws Exception {
        Requirements.requireRoot(); // servers answer on the DHCP client port 68
        int dhcp = CoreFixture.freePort();
        try (Engine other = Engine.start(loopback(tmp.resolve("other"), dhcp, CoreFixture.freePort()))) {
            DhcpProbe.Result r = DhcpProbe.run(new DhcpProbe.Target("lo", PROBE_MAC, dhcp, DhcpProbe.CLIENT_PORT),
                    Duration.ofMillis(1500));
            assertThat(r.problem()).isEmpty();
            assertThat(r.offers()).hasSize(1);
            DhcpProbe.Offer o = r.offers().get(0);
            assertThat(o.server()).isEqualTo("127.0.0.1");
            assertThat(o.offeredIp()).startsWith("127.0.100.");
            assertThat(r.recommendedMode()).isEqualTo(DhcpMode.PROXY);
            assertThat(r.advice()).contains("Another DHCP server (127.0.0.1) offered " + o.offeredIp()).contains("proxy mode");
            // the other server journaled the probe like any client: it saw our DISCOVER
            assertThat(other.inventory().all()).anyMatch(m -> m.mac().toString().equals("02:00:00:00:00:01"));
        }
    }

    @Test
    void withNoServerTheProbeRecommendsFullMode() throws Exception {
        Requirements.requireRoot();
        int nobody = CoreFixture.freePort();
        DhcpProbe.Result r = DhcpProbe.run(new DhcpProbe.Target("lo", PROBE_MAC, nobody, DhcpProbe.CLIENT_PORT),
                Duration.ofMillis(600));
        assertThat(r.ran()).isTrue();
        assertThat(r.offers()).isEmpty();
        assertThat(r.recommendedMode()).isEqualTo(DhcpMode.FULL);
        assertThat(r.advice()).startsWith("No DHCP server answered on lo within 0.6 s");
    }

    @Test
    void aProbeThatCannotRunRecommendsTheSafeProxyMode() {
        DhcpProbe.Result r = DhcpProbe.run(new DhcpProbe.Target("no-such-if0", PROBE_MAC, 67, 68), Duration.ofMillis(100));
        assertThat(r.ran()).isFalse();
        assertThat(r.problem()).contains("no-such-if0");
        assertThat(r.recommendedMode()).isEqualTo(DhcpMode.PROXY);
        assertThat(r.advice()).contains("Proxy mode is the safe choice");
    }

    @Test
    void thePortCheckNamesATakenPortAndTheFix() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EngineConfig cfg = loopback(tmp.resolve("d"), CoreFixture.freePort(), taken.getLocalPort());
            List<PortCheck.Result> results = PortCheck.check(cfg, "lo", "127.0.0.1");
            assertThat(results).extracting(PortCheck.Result::what)
                    .containsExactly("DHCP server", "PXE boot server", "TFTP server", "HTTP server");
            assertThat(results.subList(0, 3)).allMatch(PortCheck.Result::ok);
            PortCheck.Result http = results.get(3);
            assertThat(http.ok()).isFalse();
            assertThat(http.problem()).contains("TCP 127.0.0.1:" + taken.getLocalPort()).contains("another program already uses it");
        }
        // nothing stayed bound by the check
        EngineConfig cfg = loopback(tmp.resolve("d"), CoreFixture.freePort(), CoreFixture.freePort());
        assertThat(PortCheck.check(cfg, "lo", "127.0.0.1")).allMatch(PortCheck.Result::ok);
    }
}
