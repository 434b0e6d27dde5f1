package io.bootdesk.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import org.junit.jupiter.api.Test;

/** A bind refused for lack of privileges names every way out, not only root. */
class PortBindingTest {

    @Test
    void aPrivilegedTcpPortNamesSetcapTheServiceAndAnotherPortCarriedInTheUrls() {
        String m = PortBinding.explain("the HTTP boot server", "TCP", "10.0.0.1", 80,
                new BindException("Permission denied")).getMessage();
        assertThat(m).contains("TCP 10.0.0.1:80").contains("need privileges")
                .contains("setcap cap_net_bind_service,cap_net_raw+ep")
                .contains("systemctl enable --now bootdesk@IF")
                .contains("--http-port 8080").contains("DHCP answers then carry the port");
        if (ProcessHandle.current().info().command().orElse("").endsWith("/java")) {
            assertThat(m).as("setcap on java: it must still find libjli.so").contains("ldconfig").contains("libjli.so");
        }
        assertThat(PortBinding.explain("the HTTPS boot server", "TCP", "10.0.0.1", 443,
                new BindException("Permission denied")).getMessage()).contains("--https-port 9443");
    }

    @Test
    void dhcpCannotMoveSoOnlySetcapTheServiceOrRootAreOffered() {
        String m = PortBinding.explain("the DHCP server", "UDP", "0.0.0.0", 67,
                new BindException("Permission denied")).getMessage();
        assertThat(m).contains("setcap").contains("bootdesk@IF").contains("as root")
                .contains("cannot move").doesNotContain("--http-port");
    }
}
