package io.bootdesk.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.testing.Requirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "BootDesk never answers DHCP on an interface the user did not name": the server's host has two networks; a real
 * DHCP client (busybox udhcpc) gets an address on the named one and nothing on the other, and router
 * advertisements go out on the named one only.
 */
class InterfaceBindingIT {

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireCommand("ip", "iproute2");
        Requirements.requireCommand("busybox", "busybox-static");
        Requirements.requireCommand("tcpdump", "tcpdump");
    }

    private static String macOf(String ns, String ifname) {
        String out = Cmd.check("ip", "-n", ns, "-o", "link", "show", ifname);
        return out.replaceAll("(?s).*link/ether ([0-9a-f:]{17}).*", "$1");
    }

    private static Cmd.Result udhcpc(String ns, String ifname) {
        // -n: exit if no lease, -q: exit after obtaining one, -t 4 -T 1: four DISCOVERs a second apart, -s: no script
        return Cmd.run(Duration.ofSeconds(30), null, NetLab.inNs(ns, List.of("busybox", "udhcpc", "-i", ifname, "-f",
                "-n", "-q", "-t", "4", "-T", "1", "-s", "/bin/true")));
    }

    private static CompletableFuture<Cmd.Result> routerAdvertisement(String ns, String ifname) {
        return CompletableFuture.supplyAsync(() -> Cmd.run(Duration.ofSeconds(30), null, NetLab.inNs(ns, List.of(
                "timeout", "14", "tcpdump", "-i", ifname, "-n", "-v", "-c", "1", "icmp6 and ip6[40] == 134"))));
    }

    @Test
    void answersOnlyOnTheNamedInterface() throws Exception {
        Path dir = E2e.runDir("interface-binding");
        try (NetLab lab = NetLab.createWithForeignNetwork(); BootDesk bd = new BootDesk(lab, dir)) {
            CompletableFuture<Cmd.Result> raBoot = routerAdvertisement(lab.cliNs, "br0");
            CompletableFuture<Cmd.Result> raForeign = routerAdvertisement(lab.foreignNs, NetLab.FOREIGN_IF);
            Cmd.sleep(1000); // tcpdump listening before the first advertisement
            bd.serve("--mode", "full", "--pool", lab.net(100) + "-" + lab.net(150));

            Cmd.Result booted = udhcpc(lab.cliNs, "br0");
            assertThat(booted.exit()).as(booted.output()).isZero();
            assertThat(booted.output()).contains("lease of " + lab.net(1).replaceAll("\\.1$", "."));

            Cmd.Result foreign = udhcpc(lab.foreignNs, NetLab.FOREIGN_IF);
            assertThat(foreign.exit()).as("no DHCP answer on the interface BootDesk was not given: " + foreign.output())
                    .isNotZero();
            assertThat(foreign.output()).contains("no lease");

            String bootMac = macOf(lab.cliNs, "br0");
            String foreignMac = macOf(lab.foreignNs, NetLab.FOREIGN_IF);
            assertThat(bd.eventTypes(bootMac)).contains("DHCP_OFFER", "DHCP_ACK");
            assertThat(bd.eventTypes(foreignMac)).as("nothing journaled for the foreign client").isEmpty();

            Cmd.Result ra = raBoot.get();
            assertThat(ra.output()).as("a router advertisement on the boot network").contains("router advertisement")
                    .contains("router lifetime 0s");
            Cmd.Result none = raForeign.get();
            assertThat(none.output()).as("no router advertisement on the other network").doesNotContain("router advertisement");
            lab.checkIsolation();
        }
    }
}
