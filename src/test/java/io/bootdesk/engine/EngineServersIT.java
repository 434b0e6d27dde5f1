package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.dhcp.DhcpCodec;
import io.bootdesk.dhcp.DhcpMessage;
import io.bootdesk.dhcp.DhcpOption;
import io.bootdesk.dhcp.MessageType;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.testing.CoreFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server stopped and started again while the others keep serving, on loopback with unprivileged ports: a TFTP
 * read gets no answer while TFTP is stopped and DHCP still answers a DISCOVER; started again on the same port, the
 * transfer works. The same for plain HTTP and for HTTPS with its mutual-TLS listener. Each change is journaled.
 */
public class EngineServersIT {
    private static final byte[] LOADER = loaderBytes();

    @TempDir
    Path tmp;

    private final List<BootEvent> seen = new CopyOnWriteArrayList<>();

    private EngineConfig config(EngineConfig.Tls tls) throws IOException {
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        Files.write(ipxe.resolve("undionly.kpxe"), LOADER);
        return new EngineConfig(tmp.resolve("data"), "lo", DhcpMode.FULL, "127.0.103.1-127.0.103.50", List.of(), null,
                List.of(), 600, CoreFixture.freePort(), CoreFixture.freePort(), CoreFixture.freePort(),
                CoreFixture.freePort(), ipxe, null, false, tls);
    }

    private Engine start(EngineConfig c) throws IOException {
        Engine e = Engine.start(c);
        e.bus().subscribe(seen::add);
        return e;
    }

    @Test
    void tftpStopsAndStartsAloneOnTheSamePort() throws Exception {
        EngineConfig c = config(EngineConfig.Tls.OFF);
        try (Engine e = start(c)) {
            assertThat(tftpRead(c.tftpPort(), "undionly.kpxe")).isEqualTo(LOADER);
            assertThat(e.servers()).containsExactly(Server.DHCP, Server.TFTP, Server.HTTP);

            e.stop(Server.TFTP);
            assertThat(e.running(Server.TFTP)).isFalse();
            assertThat(e.running(Server.DHCP)).isTrue();
            assertThat(e.running(Server.HTTP)).isTrue();
            assertThat(tftpRead(c.tftpPort(), "undionly.kpxe")).as("no TFTP answer while stopped").isNull();
            // DHCP still answers
            MacAddress mac = MacAddress.parse("52:54:00:03:00:01");
            discover(c.dhcpPort(), mac);
            waitFor("an offer to " + mac, ev -> ev.type() == EventType.DHCP_OFFER && mac.equals(ev.mac()));
            assertThat(notices()).contains("TFTP server stopped by the operator");
            // the port is free: something else could bind it
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", c.tftpPort()))) {
                assertThat(s.getLocalPort()).isEqualTo(c.tftpPort());
                // while another program holds it, starting fails naming the port and nothing changes
                assertThatThrownBy(() -> e.start(Server.TFTP)).hasMessageContaining("UDP 127.0.0.1:" + c.tftpPort());
                assertThat(e.running(Server.TFTP)).isFalse();
            }

            e.start(Server.TFTP);
            assertThat(e.running(Server.TFTP)).isTrue();
            assertThat(tftpRead(c.tftpPort(), "undionly.kpxe")).isEqualTo(LOADER);
            assertThat(notices()).contains("TFTP server started by the operator (port " + c.tftpPort() + ")");
            e.start(Server.TFTP); // already running: nothing happens
            assertThat(notices().stream().filter(n -> n.startsWith("TFTP server started"))).hasSize(1);
        }
    }

    @Test
    void httpAndDhcpStopAndStartAlone() throws Exception {
        EngineConfig c = config(EngineConfig.Tls.OFF);
        try (Engine e = start(c)) {
            MacAddress mac = MacAddress.parse("52:54:00:03:00:02");
            assertThat(script(c.httpPort(), mac)).contains("no image assigned");

            e.stop(Server.HTTP);
            assertThatThrownBy(() -> script(c.httpPort(), mac)).isInstanceOf(ConnectException.class);
            assertThat(tftpRead(c.tftpPort(), "undionly.kpxe")).isEqualTo(LOADER);
            discover(c.dhcpPort(), mac);
            waitFor("an offer to " + mac, ev -> ev.type() == EventType.DHCP_OFFER && mac.equals(ev.mac()));
            try (ServerSocket s = new ServerSocket(c.httpPort(), 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(s.getLocalPort()).isEqualTo(c.httpPort());
            }
            e.start(Server.HTTP);
            assertThat(script(c.httpPort(), mac)).contains("no image assigned");
            assertThat(notices()).contains("HTTP server stopped by the operator",
                    "HTTP server started by the operator (port " + c.httpPort() + ")");

            // DHCP, with the PXE boot server port
            e.stop(Server.DHCP);
            MacAddress other = MacAddress.parse("52:54:00:03:00:03");
            discover(c.dhcpPort(), other);
            Thread.sleep(500);
            assertThat(seen).noneMatch(ev -> other.equals(ev.mac()));
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress("127.0.0.1", c.dhcpPort()));
                 DatagramSocket b = new DatagramSocket(new InetSocketAddress("127.0.0.1", c.pxePort()))) {
                assertThat(a.isBound() && b.isBound()).isTrue();
            }
            assertThat(script(c.httpPort(), mac)).contains("no image assigned");
            e.start(Server.DHCP);
            discover(c.dhcpPort(), other);
            waitFor("an offer to " + other, ev -> ev.type() == EventType.DHCP_OFFER && other.equals(ev.mac()));
            assertThat(notices()).contains("DHCP server stopped by the operator",
                    "DHCP server started by the operator (ports " + c.dhcpPort() + " and " + c.pxePort() + ")");
        }
    }

    @Test
    void httpsStopsWithItsMutualTlsListenerWhilePlainHttpServes() throws Exception {
        int https = CoreFixture.freePort();
        int mtls = CoreFixture.freePort();
        EngineConfig c = config(new EngineConfig.Tls(https, mtls, false, false, false));
        try (Engine e = start(c)) {
            assertThat(e.servers()).contains(Server.HTTPS);
            assertThat(accepts(https)).isTrue();
            assertThat(accepts(mtls)).isTrue();

            e.stop(Server.HTTPS);
            assertThat(e.running(Server.HTTPS)).isFalse();
            assertThat(accepts(https)).isFalse();
            assertThat(accepts(mtls)).isFalse();
            assertThat(script(c.httpPort(), MacAddress.parse("52:54:00:03:00:04"))).contains("#!ipxe");

            e.start(Server.HTTPS);
            assertThat(accepts(https)).isTrue();
            assertThat(accepts(mtls)).isTrue();
            assertThat(notices()).contains("HTTPS server stopped by the operator",
                    "HTTPS server started by the operator (ports " + https + " and " + mtls + ")");
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<String> notices() {
        return seen.stream().filter(ev -> ev.type() == EventType.NOTICE).map(BootEvent::message).toList();
    }

    private void waitFor(String what, Predicate<BootEvent> p) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            if (seen.stream().anyMatch(p)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what + "; events: " + seen);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String script(int httpPort, MacAddress mac) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/boot/" + mac.hyphenated()
                + ".ipxe")).header("User-Agent", "iPXE/1.21.1+").build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A BIOS PXE DISCOVER (the answer is broadcast to port 68; the engine's journal shows whether it answered). */
    private static void discover(int dhcpPort, MacAddress mac) throws IOException {
        DhcpMessage m = DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).xid(ThreadLocalRandom.current().nextInt())
                .flags(DhcpMessage.FLAG_BROADCAST).chaddr(mac.bytes()).messageType(MessageType.DISCOVER)
                .option(DhcpOption.VENDOR_CLASS, "PXEClient:Arch:00000:UNDI:002001")
                .option(DhcpOption.CLIENT_ARCH, new byte[] {0, 0})
                .option(DhcpOption.CLIENT_NDI, new byte[] {1, 2, 1}).build();
        byte[] bytes = DhcpCodec.encode(m);
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), dhcpPort));
        }
    }

    /**
     * An RFC 1350 read (octet, 512-byte blocks, lock-step): the file, or null when nothing answers within a second
     * (or the port is closed).
     */
    public static byte[] tftpRead(int port, String file) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(1000);
            ByteArrayOutputStream rrq = new ByteArrayOutputStream();
            rrq.write(new byte[] {0, 1});
            rrq.write(file.getBytes(StandardCharsets.US_ASCII));
            rrq.write(0);
            rrq.write("octet".getBytes(StandardCharsets.US_ASCII));
            rrq.write(0);
            s.send(new DatagramPacket(rrq.toByteArray(), rrq.size(), InetAddress.getLoopbackAddress(), port));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int expected = 1;
            while (true) {
                DatagramPacket p = new DatagramPacket(new byte[516], 516);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException | PortUnreachableException e) {
                    if (expected == 1) {
                        return null;
                    }
                    throw new IOException("the transfer stalled at block " + expected);
                }
                byte[] d = p.getData();
                int op = (d[0] & 0xff) << 8 | d[1] & 0xff;
                int block = (d[2] & 0xff) << 8 | d[3] & 0xff;
                if (op == 5) {
                    throw new IOException("TFTP error: " + new String(d, 4, p.getLength() - 5, StandardCharsets.US_ASCII));
                }
                if (op != 3 || block != expected) {
                    continue;
                }
                out.write(d, 4, p.getLength() - 4);
                s.send(new DatagramPacket(new byte[] {0, 4, d[2], d[3]}, 4, p.getSocketAddress()));
                if (p.getLength() < 516) {
                    return out.toByteArray();
                }
                expected++;
            }
        }
    }

    private static byte[] loaderBytes() {
        byte[] b = new byte[1500];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }
}
