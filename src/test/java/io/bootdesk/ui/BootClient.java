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

    /** The same from the machine's own address (on loopback any 127.x address is this host's). */
    String script(MacAddress mac, String fromIp) throws IOException {
        return new String(get("http://127.0.0.1:" + httpPort + "/boot/" + mac.hyphenated() + ".ipxe", fromIp, 0, true),
                StandardCharsets.UTF_8);
    }

    /** Downloads the script's image files from {@code fromIp}, at {@code bytesPerSecond} (0: at once). */
    long fetchFiles(String script, String fromIp, long bytesPerSecond) throws IOException {
        long total = 0;
        for (String line : script.split("\n")) {
            String l = line.strip();
            if ((l.startsWith("kernel ") || l.startsWith("initrd ") || l.startsWith("chain ")) && l.contains("/images/")) {
                total += get(l.split("\\s+")[1], fromIp, bytesPerSecond, false).length;
            }
        }
        return total;
    }

    /** A plain HTTP/1.1 GET over a socket bound to {@code fromIp}; the body (or, unless kept, as many zero bytes). */
    static byte[] get(String url, String fromIp, long bytesPerSecond, boolean keep) throws IOException {
        URI u = URI.create(url);
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new java.net.InetSocketAddress(fromIp, 0));
            s.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort()), 5000);
            s.setReceiveBufferSize(64 * 1024);
            String req = "GET " + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()) + " HTTP/1.1\r\n"
                    + "Host: " + u.getHost() + ":" + u.getPort() + "\r\nUser-Agent: iPXE/1.21.1+ (g4bd064de)\r\n"
                    + "Connection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            int state = 0;
            while (state < 4) { // skip the headers up to CRLF CRLF
                int b = in.read();
                if (b < 0) {
                    return new byte[0];
                }
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            }
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[16 * 1024];
            long n = 0;
            long start = System.nanoTime();
            int k;
            while ((k = in.read(buf)) > 0) {
                n += k;
                if (keep) {
                    body.write(buf, 0, k);
                }
                if (bytesPerSecond > 0) {
                    long wait = start + n * 1_000_000_000L / bytesPerSecond - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
            }
            return keep ? body.toByteArray() : new byte[(int) Math.min(n, Integer.MAX_VALUE)];
        }
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
