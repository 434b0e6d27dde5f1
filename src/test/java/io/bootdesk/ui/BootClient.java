package io.bootdesk.ui;

import io.bootdesk.dhcp.DhcpCodec;
import io.bootdesk.dhcp.DhcpMessage;
import io.bootdesk.dhcp.DhcpOption;
import io.bootdesk.dhcp.MessageType;
import io.bootdesk.model.MacAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network-boot client for tests and the demo, speaking to the engine on loopback the way firmware and iPXE do:
 * DHCP DISCOVER/REQUEST built with BootDesk's codec, iPXE's script fetch and file downloads over HTTP.
 */
final class BootClient {
    enum Firmware {
        BIOS_PXE(0, "PXEClient:Arch:00000:UNDI:002001", false),
        UEFI_PXE(7, "PXEClient:Arch:00007:UNDI:003016", false),
        UEFI_HTTP(16, "HTTPClient:Arch:00016:UNDI:003001", false),
        IPXE_UEFI(7, "PXEClient:Arch:00007:UNDI:003010", true);

        final int arch;
        final String vendorClass;
        final boolean ipxe;

        Firmware(int arch, String vendorClass, boolean ipxe) {
            this.arch = arch;
            this.vendorClass = vendorClass;
            this.ipxe = ipxe;
        }
    }

    private final int dhcpPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();

    BootClient(int dhcpPort, int httpPort) {
        this.dhcpPort = dhcpPort;
        this.httpPort = httpPort;
    }

    void discover(MacAddress mac, Firmware fw) throws IOException {
        send(message(mac, fw, MessageType.DISCOVER, 0));
    }

    /** A REQUEST for {@code ip} (as after an offer of it). */
    void request(MacAddress mac, Firmware fw, String ip) throws IOException {
        send(message(mac, fw, MessageType.REQUEST, io.bootdesk.dhcp.Ip4.parse(ip)));
    }

    private DhcpMessage message(MacAddress mac, Firmware fw, MessageType type, int requested) {
        DhcpMessage.Builder b = DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST)
                .xid(ThreadLocalRandom.current().nextInt()).flags(DhcpMessage.FLAG_BROADCAST).chaddr(mac.bytes())
                .messageType(type)
                .option(DhcpOption.VENDOR_CLASS, fw.vendorClass)
                .option(DhcpOption.CLIENT_ARCH, new byte[] {0, (byte) fw.arch})
                .option(DhcpOption.CLIENT_NDI, new byte[] {1, 3, 16});
        if (fw.ipxe) {
            b.option(DhcpOption.USER_CLASS, "iPXE");
            b.option(DhcpOption.IPXE, new byte[] {(byte) DhcpOption.IPXE_FEATURE_HTTP, 1, 1});
        }
        if (requested != 0) {
            b.optionIp(DhcpOption.REQUESTED_IP, requested);
        }
        return b.build();
    }

    private void send(DhcpMessage m) throws IOException {
        byte[] bytes = DhcpCodec.encode(m);
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), dhcpPort));
        }
    }

    /** iPXE fetching its script, as the DHCP answer told it; returns the script. */
    String script(MacAddress mac) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/boot/" + mac.hyphenated() + ".ipxe"))
                .header("User-Agent", "iPXE/1.21.1+ (g4bd064de)").build();
        return http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    /**
     * Downloads every {@code http://} URL after "kernel"/"initrd" in {@code script}; {@code bytesPerSecond} &gt; 0
     * reads slowly (a machine on a slow link). Returns the bytes read.
     */
    long fetchFiles(String script, long bytesPerSecond) throws IOException, InterruptedException {
        long total = 0;
        for (String line : script.split("\n")) {
            String l = line.strip();
            if (l.startsWith("kernel ") || l.startsWith("initrd ") || l.startsWith("chain ")) {
                String url = l.split("\\s+")[1];
                if (url.contains("/images/")) {
                    total += fetch(url, bytesPerSecond);
                }
            }
        }
        return total;
    }

    long fetch(String url, long bytesPerSecond) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).header("User-Agent", "iPXE/1.21.1+ (g4bd064de)").build();
        HttpResponse<InputStream> resp = http.send(r, HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        byte[] buf = new byte[16 * 1024];
        long start = System.nanoTime();
        try (InputStream in = resp.body()) {
            int k;
            while ((k = in.read(buf)) > 0) {
                n += k;
                if (bytesPerSecond > 0) {
                    long due = start + n * 1_000_000_000L / bytesPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        }
        return n;
    }
}
