package io.bootdesk.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A known-good boot server made of stock programs, for the harness self-test ({@link E2eHarnessIT}): dnsmasq for
 * DHCP, TFTP and IPv6 router advertisements, the JDK's own file server ({@code java -m jdk.httpserver}) for
 * HTTP. It answers iPXE with
 * {@code http://SERVER/boot.ipxe}, UEFI PXE with {@code snponly.efi} by TFTP and UEFI HTTP Boot with
 * {@code http://SERVER/uki.efi}. When a case passes against it and fails against BootDesk, the harness is not
 * the suspect.
 */
final class ReferenceServer implements AutoCloseable {
    final Dnsmasq dnsmasq;
    private final Process http;
    final Path www;

    private ReferenceServer(Dnsmasq dnsmasq, Process http, Path www) {
        this.dnsmasq = dnsmasq;
        this.http = http;
        this.www = www;
    }

    /** Serves {@code payload}; the iPXE script boots the kernel with {@code bde2e_case=<caseName>}. */
    static ReferenceServer start(NetLab lab, Path dir, BootPayload payload, String caseName, String mac)
            throws IOException {
        Path www = dir.resolve("www");
        Path tftp = dir.resolve("tftp");
        Files.createDirectories(www);
        Files.createDirectories(tftp);
        for (Path f : List.of(payload.kernel, payload.initrd, payload.uki)) {
            linkOrCopy(f, www.resolve(f.getFileName())); // the JDK file server does not follow symbolic links
        }
        Files.createSymbolicLink(tftp.resolve("snponly.efi"), Path.of("/usr/lib/ipxe/snponly.efi"));
        String base = "http://" + lab.serverIp;
        Files.writeString(www.resolve("boot.ipxe"), "#!ipxe\n"
                + "echo reference server: ${platform} ${buildarch} ${ip}\n"
                + "kernel " + base + "/vmlinuz initrd=initrd.gz " + BootPayload.BASE_CMDLINE + " bde2e_case=" + caseName
                + " bde2e_mac=" + mac + " || goto fail\n"
                + "initrd " + base + "/initrd.gz || goto fail\n"
                + "boot || goto fail\n"
                + ":fail\n"
                + "echo E2E-IPXE-FAIL ${errno}\n");
        String ula = "fd99:0:0:" + Integer.toHexString(lab.subnet) + "::";
        List<String> conf = new ArrayList<>(List.of(
                "dhcp-range=" + lab.net(100) + "," + lab.net(150) + ",255.255.255.0,1h",
                "dhcp-authoritative",
                "enable-tftp",
                "tftp-root=" + tftp,
                "enable-ra",
                "dhcp-range=" + ula + ",ra-only,64",
                "ra-param=" + NetLab.SRV_IF + ",10,0",
                "dhcp-userclass=set:ipxe,iPXE",
                "dhcp-match=set:ipxe,175",
                "dhcp-vendorclass=set:httpboot,HTTPClient",
                "dhcp-match=set:efi64,option:client-arch,7",
                "dhcp-option-force=tag:httpboot,60,HTTPClient",
                "dhcp-boot=tag:httpboot," + base + "/uki.efi",
                "dhcp-boot=tag:ipxe," + base + "/boot.ipxe",
                "dhcp-boot=tag:efi64,tag:!ipxe,snponly.efi"));
        Dnsmasq d = Dnsmasq.start(lab.srvNs, NetLab.SRV_IF, dir, "reference-dnsmasq", conf);
        Process h = null;
        try {
            h = new ProcessBuilder(NetLab.inNs(lab.srvNs, List.of(BootDesk.java().toString(), "-m", "jdk.httpserver",
                    "-b", lab.serverIp, "-p", "80", "-d", www.toString(), "-o", "info")))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("reference-http.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Files.readString(dir.resolve("reference-http.log")).contains("Serving ")) {
                if (!h.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("java -m jdk.httpserver did not start:\n"
                            + Files.readString(dir.resolve("reference-http.log")));
                }
                Cmd.sleep(100);
            }
            return new ReferenceServer(d, h, www);
        } catch (IOException | RuntimeException e) {
            if (h != null) {
                h.destroyForcibly();
            }
            d.close();
            throw e;
        }
    }

    static void linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to);
        }
    }

    @Override
    public void close() {
        http.destroy();
        try {
            if (!http.waitFor(5, TimeUnit.SECONDS)) {
                http.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            http.destroyForcibly();
        }
        dnsmasq.close();
    }
}
