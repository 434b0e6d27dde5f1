package io.bootdesk.cli;

import io.bootdesk.model.DhcpMode;
import io.bootdesk.engine.Engine;
import io.bootdesk.engine.EngineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the boot engine on one interface: DHCP (67, and 4011), TFTP (69) and HTTP, bound to that",
                "interface only. Logs one line per boot step. Stops cleanly on Ctrl-C / SIGTERM."})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    BootdeskCommand parent;

    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IF",
            description = "The boot network interface (e.g. enp0s31f6). BootDesk answers on no other.")
    String iface;

    @Option(names = "--mode", paramLabel = "full|proxy", defaultValue = "full",
            description = "full: BootDesk hands out addresses (an isolated build network). proxy: another DHCP "
                    + "server does, BootDesk adds boot information only. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--pool", paramLabel = "FIRST-LAST",
            description = "Full mode: addresses to hand out on the interface's subnet, e.g. 10.99.0.100-10.99.0.199. "
                    + "Default: the upper half of the subnet.")
    String pool;

    @Option(names = "--relay-pool", paramLabel = "CIDR=FIRST-LAST[,router=IP]",
            description = "Full mode: a pool for a subnet behind a DHCP relay (repeatable).")
    List<String> relayPools = new ArrayList<>();

    @Option(names = "--router", paramLabel = "IP", description = "Full mode: default gateway to hand out (option 3).")
    String router;

    @Option(names = "--dns", paramLabel = "IP", description = "Full mode: DNS server to hand out (option 6, repeatable).")
    List<String> dns = new ArrayList<>();

    @Option(names = "--lease-time", paramLabel = "SECONDS", defaultValue = "3600",
            description = "Full mode: lease time. Default: ${DEFAULT-VALUE}.")
    long leaseSeconds;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "80", description = "HTTP port. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--tftp-root", paramLabel = "DIR", description = "Extra files to serve by TFTP (looked up before the iPXE directory).")
    Path tftpRoot;

    @Option(names = "--ipxe-dir", paramLabel = "DIR",
            description = "Where the iPXE binaries are (undionly.kpxe, snponly.efi, ...). Default: the distribution's"
                    + " iPXE package, /usr/lib/ipxe (Debian, Ubuntu: ipxe) or /usr/share/ipxe (Fedora: ipxe-bootimgs-x86).")
    Path ipxeDir;

    @Option(names = "--router-advertisements", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Send IPv6 router advertisements on the interface so iPXE does not wait ~13 s for IPv6 "
                    + "router discovery. Default: on.")
    boolean routerAdverts;

    @Option(names = "--https-port", paramLabel = "N", defaultValue = "443",
            description = "Server-authenticated HTTPS (certificate from BootDesk's CA). Default: ${DEFAULT-VALUE}.")
    int httpsPort;

    @Option(names = "--mtls-port", paramLabel = "N", defaultValue = "8443",
            description = "HTTPS that asks for client certificates; scripts with secrets go out only here. Default: ${DEFAULT-VALUE}.")
    int mtlsPort;

    @Option(names = "--no-https", description = "Plain HTTP only: no HTTPS listeners, no CA fingerprint in DHCP answers.")
    boolean noHttps;

    @Option(names = "--uefi-https", description = "UEFI HTTP Boot clients have BootDesk's CA enrolled in their firmware"
            + " (ca export --format esl): hand them https:// URLs.")
    boolean uefiHttps;

    @Option(names = "--tls-legacy-rsa", description = "Also offer TLS_RSA_* key exchange (no forward secrecy) for iPXE"
            + " builds older than 2024, which offer nothing else. Off by default.")
    boolean legacyRsa;

    @Option(names = "--revocation-urls", description = "Put BootDesk's OCSP responder (AIA) and CRL (CRL-DP) URLs into the"
            + " certificates serve issues. Off by default: iPXE then insists on reaching them.")
    boolean revocationUrls;

    @Option(names = "--dhcp-port", paramLabel = "N", defaultValue = "67", hidden = true)
    int dhcpPort;

    @Option(names = "--pxe-port", paramLabel = "N", defaultValue = "4011", hidden = true)
    int pxePort;

    @Option(names = "--tftp-port", paramLabel = "N", defaultValue = "69", hidden = true)
    int tftpPort;

    @Override
    public Integer call() throws Exception {
        DhcpMode m = switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "full" -> DhcpMode.FULL;
            case "proxy" -> DhcpMode.PROXY;
            default -> throw new IllegalArgumentException("--mode is full or proxy, not '" + mode + "'");
        };
        EngineConfig cfg = new EngineConfig(parent.dataDir, iface, m, pool, relayPools, router, dns, leaseSeconds,
                dhcpPort, pxePort, tftpPort, httpPort,
                ipxeDir != null ? ipxeDir : EngineConfig.distributionIpxeDir(), tftpRoot, routerAdverts,
                noHttps ? EngineConfig.Tls.OFF : new EngineConfig.Tls(httpsPort, mtlsPort, legacyRsa, uefiHttps, revocationUrls));
        Engine engine = Engine.start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            engine.close();
            // the log is written by an async appender: drain it before the JVM halts
            if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
                ctx.stop();
            }
            stopped.countDown();
        }, "bootdesk-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.println("BootDesk is serving on " + iface + " (" + engine.serverIp() + "), data in "
                + parent.dataDir + ". Stop with Ctrl-C.");
        stopped.await();
        return 0;
    }
}
