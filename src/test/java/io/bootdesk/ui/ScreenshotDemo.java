package io.bootdesk.ui;

import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.ImageKind;
import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import io.bootdesk.ui.model.ImageDrop;
import java.io.RandomAccessFile;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;

/**
 * Takes the console's screenshots (docs/screenshots) under a real display (Xvfb): a real engine on loopback, fed
 * real DHCP, TFTP and HTTP requests by a small driver so every row is what the engine made of real traffic.
 * Not a test. Run with docs/screenshots/take.sh.
 */
public final class ScreenshotDemo {
    static final MacAddress BOOTED = MacAddress.parse("18:66:da:3a:10:01");
    static final MacAddress DOWNLOADING = MacAddress.parse("ac:1f:6b:3a:10:02");
    static final MacAddress WAITING = MacAddress.parse("10:c5:95:3a:10:03");
    static final MacAddress ADDRESSED = MacAddress.parse("3c:fd:fe:3a:10:04");
    static final MacAddress DISCOVERED = MacAddress.parse("94:18:82:3a:10:05");
    static final MacAddress FAILED = MacAddress.parse("52:54:00:3a:10:06");
    static final MacAddress HTTPBOOT = MacAddress.parse("18:66:da:3a:10:07");
    static final MacAddress WAITING2 = MacAddress.parse("ac:1f:6b:3a:10:08");

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots");
        Path tmp = Files.createTempDirectory("bootdesk-shots");
        Path data = tmp.resolve("data");
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        Files.write(ipxe.resolve("undionly.kpxe"), new byte[71_234]);
        Files.write(ipxe.resolve("snponly.efi"), new byte[201_456]);
        Path deb = Files.createDirectories(tmp.resolve("debian-12"));
        sparse(deb.resolve("vmlinuz"), 8_200_000);
        sparse(deb.resolve("initrd.gz"), 36_500_000);
        Path uki = sparse(tmp.resolve("fedora-41-uki.efi"), 92_000_000);
        Path script = Files.writeString(tmp.resolve("memtest.ipxe"), "#!ipxe\nchain {{ files }}/memtest.efi\n");
        Path alpine = Files.createDirectories(tmp.resolve("alpine-3.20"));
        sparse(alpine.resolve("vmlinuz-lts"), 9_900_000);
        sparse(alpine.resolve("initramfs-lts"), 14_100_000);

        int dhcp = free();
        int tftp = free();
        int http = free();
        EngineConfig cfg = new EngineConfig(data, "lo", DhcpMode.FULL, "127.0.100.10-127.0.100.200", List.of(), null,
                List.of(), 3600, dhcp, free(), tftp, http, ipxe, null, false);
        new SavedSetup("lo", DhcpMode.FULL).save(data);
        ConsoleSession session = new ConsoleSession(new ConsoleOptions(data, cfg, true, 67, 68, Duration.ofSeconds(1)));
        session.addImage(ImageDrop.of(List.of(deb.resolve("vmlinuz"), deb.resolve("initrd.gz"))));
        session.addImage(ImageDrop.of(List.of(alpine.resolve("vmlinuz-lts"), alpine.resolve("initramfs-lts"))));
        session.addImage(ImageDrop.of(List.of(uki)));
        session.addImage(new ImageDrop(ImageKind.SCRIPT, "memtest", script, List.of(), ""));
        session.editLinuxCmdline("debian-12", "auto=true priority=critical url={{ server }}/preseed.cfg");

        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        ConsoleWindow[] w = new ConsoleWindow[1];
        Stage[] st = new Stage[1];
        fx(() -> {
            w[0] = new ConsoleWindow(session);
            shown = w[0];
            Stage stage = new Stage();
            stage.setTitle("BootDesk");
            stage.setScene(w[0].scene(1280, 800));
            stage.show();
            st[0] = stage;
            w[0].open();
        });
        waitUntil(session::serving);
        BootClient c = new BootClient(dhcp, http);

        // rows from real traffic
        c.discover(DISCOVERED, BootClient.Firmware.BIOS_PXE);
        c.discover(ADDRESSED, BootClient.Firmware.UEFI_PXE);
        Thread.sleep(200);
        c.request(ADDRESSED, BootClient.Firmware.UEFI_PXE, ip(session, ADDRESSED));
        c.discover(HTTPBOOT, BootClient.Firmware.UEFI_HTTP);
        for (MacAddress m : List.of(WAITING, WAITING2, BOOTED, DOWNLOADING)) {
            c.discover(m, BootClient.Firmware.UEFI_PXE);
            Thread.sleep(100);
            c.request(m, BootClient.Firmware.UEFI_PXE, ip(session, m));
            c.discover(m, BootClient.Firmware.IPXE_UEFI);
        }
        c.discover(FAILED, BootClient.Firmware.BIOS_PXE);
        Thread.sleep(100);
        c.request(FAILED, BootClient.Firmware.BIOS_PXE, ip(session, FAILED));
        tftpMissing(tftp, "pxelinux.0", ip(session, FAILED));
        c.script(WAITING, ip(session, WAITING));
        c.script(WAITING2, ip(session, WAITING2));
        session.rename(BOOTED, "rack 3 left");
        session.rename(DOWNLOADING, "rack 3 right");
        session.rename(WAITING, "bench laptop");
        session.issueCertificate(BOOTED, "rack 3 left");
        session.issueCertificate(DOWNLOADING, "rack 3 right");
        session.issueCertificate(FAILED, null);
        session.revokeCertificate(FAILED);
        session.assign(List.of(BOOTED), "debian-12", false);
        session.assign(List.of(DOWNLOADING), "fedora-41-uki", true);
        session.assign(List.of(WAITING2), "alpine-3.20", false);
        Thread.sleep(500);
        c.fetchFiles(c.script(BOOTED, ip(session, BOOTED)), ip(session, BOOTED), 0);
        c.script(WAITING2, ip(session, WAITING2));
        String slowIp = ip(session, DOWNLOADING);
        String slow = c.script(DOWNLOADING, slowIp);
        CompletableFuture.runAsync(() -> {
            try {
                c.fetchFiles(slow, slowIp, 9_000_000);
            } catch (Exception e) {
                // the demo ends while it downloads
            }
        });
        fx(() -> w[0].reload());
        Thread.sleep(4500);
        fx(() -> select(st[0].getScene(), BOOTED));
        Thread.sleep(1500);
        fx(() -> Snapshots.png(st[0].getScene(), out.resolve("main-light.png")));
        fx(() -> w[0].applyTheme(true));
        Thread.sleep(800);
        fx(() -> Snapshots.png(st[0].getScene(), out.resolve("main-dark.png")));
        fx(() -> {
            w[0].applyTheme(false);
            select(st[0].getScene(), DOWNLOADING);
            w[0].detail().tabs().getSelectionModel().select(1);
        });
        String alpineIp = ip(session, WAITING2);
        c.fetchFiles(c.script(WAITING2, alpineIp), alpineIp, 0); // it boots: a notice pops up
        Thread.sleep(1200);
        fx(() -> Snapshots.png(st[0].getScene(), out.resolve("detail-script.png")));
        terminalShot(session, st[0], out);
        kvmShot(session, c, st[0], out);

        // the set-up, as on first start (another data dir), after a probe that found BootDesk's own engine
        Path data2 = tmp.resolve("data2");
        EngineConfig cfg2 = new EngineConfig(data2, "lo", DhcpMode.FULL, "127.0.101.10-127.0.101.200", List.of(), null,
                List.of(), 3600, free(), free(), free(), http, ipxe, null, false); // HTTP port taken by the first window
        ConsoleSession fresh = new ConsoleSession(new ConsoleOptions(data2, cfg2, true, dhcp, 68, Duration.ofSeconds(1)));
        ConsoleWindow[] w2 = new ConsoleWindow[1];
        Stage[] st2 = new Stage[1];
        fx(() -> {
            st[0].hide();
            w2[0] = new ConsoleWindow(fresh);
            Stage stage = new Stage();
            stage.setScene(w2[0].scene(1280, 800));
            stage.show();
            st2[0] = stage;
            w2[0].open();
            w2[0].applyTheme(false);
        });
        Thread.sleep(800);
        fx(() -> {
            var rows = st2[0].getScene().getRoot().lookupAll(".table-row-cell");
            for (var n : rows) {
                if (n instanceof TableRow<?> r && r.getItem() instanceof io.bootdesk.engine.NetworkInterfaces.Nic nic
                        && nic.loopback()) {
                    r.getTableView().getSelectionModel().select(r.getIndex());
                }
            }
        });
        Thread.sleep(800);
        fx(() -> ((javafx.scene.control.Button) st2[0].getScene().lookup("#probeButton")).fire());
        fx(() -> ((javafx.scene.control.Button) st2[0].getScene().lookup("#confirmProbe")).fire());
        Thread.sleep(2500);
        fx(() -> Snapshots.png(st2[0].getScene(), out.resolve("setup.png")));
        System.out.println("screenshots written to " + out.toAbsolutePath());
        fx(() -> {
            w2[0].close();
            w[0].close();
        });
        fresh.close();
        session.close();
        Platform.exit();
        System.exit(0);
    }

    /**
     * terminal.png: the BIOS machine's serial console in the Console tab, from a real firmware: a QEMU machine with
     * that MAC (Debian's iPXE ROM, user networking with restrict=on, so nothing leaves this host) whose serial port is
     * one end of a socat pty pair bound to the machine; Ctrl-B gets iPXE's shell and a few commands are typed, as a
     * technician would. Skipped without qemu-system-x86_64 and socat.
     */
    static void terminalShot(ConsoleSession session, Stage stage, Path out) throws Exception {
        if (!onPath("qemu-system-x86_64") || !onPath("socat")) {
            System.out.println("no qemu-system-x86_64 or socat: terminal.png not taken");
            return;
        }
        session.rename(DISCOVERED, "rack 4 bios");
        try (io.bootdesk.testing.PtyPair pty = io.bootdesk.testing.PtyPair.open()) {
            session.bindConsole(DISCOVERED, io.bootdesk.console.ConsoleBinding.Serial.of(pty.a, 115200), null);
            fx(() -> {
                for (var n : stage.getScene().getRoot().lookupAll(".split-pane")) {
                    if (n instanceof javafx.scene.control.SplitPane sp
                            && sp.getOrientation() == javafx.geometry.Orientation.VERTICAL) {
                        sp.setDividerPositions(0.3); // room for the terminal
                    }
                }
                select(stage.getScene(), DISCOVERED);
                shown.terminals().open(DISCOVERED);
            });
            // SeaBIOS draws its screen on the serial port too when told where it is (sercon at 0x3f8)
            Path sercon = Files.createTempFile("sercon", ".bin");
            Files.write(sercon, new byte[] {(byte) 0xf8, 0x03});
            Process vm = new ProcessBuilder("qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-m", "128",
                    "-display", "none", "-vga", "none", "-monitor", "none", "-nodefaults", "-no-reboot", "-boot", "n",
                    "-fw_cfg", "name=etc/sercon-port,file=" + sercon,
                    "-netdev", "user,id=n0,restrict=on",
                    "-device", "virtio-net-pci,netdev=n0,bootindex=1,mac=" + DISCOVERED,
                    "-chardev", "serial,id=s0,path=" + pty.b, "-serial", "chardev:s0")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                Path log = io.bootdesk.console.ConsoleLogs.file(session.dataDir(), DISCOVERED);
                long until = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < until && !logHas(log, "iPXE>")) {
                    if (logHas(log, "Ctrl-B")) {
                        type(session, "\u0002");
                    }
                    Thread.sleep(150);
                }
                for (String line : List.of("ifstat\r", "dhcp\r", "route\r", "echo ${mac} ${platform} ${buildarch}\r")) {
                    type(session, line);
                    Thread.sleep(line.startsWith("dhcp") ? 6000 : 1200);
                }
                Thread.sleep(1000);
                fx(() -> Snapshots.png(stage.getScene(), out.resolve("terminal.png")));
            } finally {
                vm.destroyForcibly().waitFor();
            }
        }
        session.unbindConsole(DISCOVERED);
        fx(() -> {
            shown.detail().tabs().getSelectionModel().select(0);
            shown.table().control().getSelectionModel().clearSelection(); // the next shot selects it afresh
        });
    }

    private static boolean onPath(String command) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    private static boolean logHas(Path log, String text) throws java.io.IOException {
        return Files.isRegularFile(log) && Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
    }

    /** Types on the machine's serial console as the terminal does (a byte every 20 ms: iPXE polls its UART). */
    private static void type(ConsoleSession session, String text) throws Exception {
        var s = session.engine().orElseThrow().consoles().session(DISCOVERED).orElseThrow();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            s.write(new byte[] {b});
            Thread.sleep(20);
        }
    }

    /**
     * detail-kvm.png: the BIOS machine bound to a (fake, loopback) PiKVM whose screen is a real QEMU/SeaBIOS/iPXE
     * screen ({@code -Dbootdesk.kvmScreen=PNG}, grabbed by take.sh with the QEMU monitor's screendump), during a
     * Boot now: the timeline shows its steps, then the machine's DHCP request. Skipped without the PNG.
     */
    static void kvmShot(ConsoleSession session, BootClient c, Stage stage, Path out) throws Exception {
        String png = System.getProperty("bootdesk.kvmScreen");
        if (png == null || !Files.exists(Path.of(png))) {
            System.out.println("no -Dbootdesk.kvmScreen PNG: detail-kvm.png not taken");
            return;
        }
        java.awt.image.BufferedImage raw = javax.imageio.ImageIO.read(Path.of(png).toFile());
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(raw.getWidth(), raw.getHeight(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        rgb.createGraphics().drawImage(raw, 0, 0, null);
        io.bootdesk.console.pikvm.FakePiKvm kvm = new io.bootdesk.console.pikvm.FakePiKvm("admin", "demo-kvm");
        kvm.power = true;
        kvm.screen = io.bootdesk.console.pikvm.FakePiKvm.jpeg(rgb);
        session.engine().orElseThrow().workspace().bindConsole(DISCOVERED,
                new io.bootdesk.console.ConsoleBinding.PiKvm(kvm.uri().toString(), "admin"), "demo-kvm");
        session.rename(DISCOVERED, "rack 4 bios");
        fx(() -> {
            for (var n : stage.getScene().getRoot().lookupAll(".split-pane")) {
                if (n instanceof javafx.scene.control.SplitPane sp
                        && sp.getOrientation() == javafx.geometry.Orientation.VERTICAL) {
                    sp.setDividerPositions(0.5);
                }
            }
            select(stage.getScene(), DISCOVERED);
        });
        Thread.sleep(1500);
        fx(() -> ((javafx.scene.control.Button) stage.getScene().lookup("#bootNowButton")).fire()); // as clicked
        Thread.sleep(3600);
        c.discover(DISCOVERED, BootClient.Firmware.BIOS_PXE);
        Thread.sleep(1500);
        fx(() -> shown.detail().tabs().getSelectionModel().select(0));
        Thread.sleep(3500); // a fresh snapshot (every 3 s) and the notices gone
        fx(() -> Snapshots.png(stage.getScene(), out.resolve("detail-kvm.png")));
        session.machineActions().bootNowRunning(DISCOVERED).ifPresent(io.bootdesk.engine.BootNow::cancel);
        kvm.close();
    }

    /** The main window (kvmShot selects its timeline tab). */
    private static ConsoleWindow shown;

    static String ip(ConsoleSession s, MacAddress mac) throws Exception {
        waitUntil(() -> s.engine().orElseThrow().inventory().get(mac).map(m -> m.ip() != null).orElse(false));
        return s.engine().orElseThrow().inventory().get(mac).orElseThrow().ip();
    }

    static void select(Scene scene, MacAddress mac) {
        for (var n : scene.getRoot().lookupAll(".table-row-cell")) {
            if (n instanceof TableRow<?> r && r.getItem() instanceof MachineRow m && m.mac().equals(mac)) {
                r.getTableView().getSelectionModel().clearAndSelect(r.getIndex());
            }
        }
    }

    /** A TFTP read request for a file that is not there, from a BIOS machine's address (the server refuses it). */
    static void tftpMissing(int port, String file, String fromIp) throws Exception {
        byte[] name = file.getBytes(StandardCharsets.US_ASCII);
        byte[] mode = "octet".getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[2 + name.length + 1 + mode.length + 1];
        p[1] = 1;
        System.arraycopy(name, 0, p, 2, name.length);
        System.arraycopy(mode, 0, p, 3 + name.length, mode.length);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(fromIp))) {
            s.send(new DatagramPacket(p, p.length, InetAddress.getLoopbackAddress(), port));
            Thread.sleep(300);
        }
    }

    static Path sparse(Path f, long size) throws Exception {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
        }
        return f;
    }

    static int free() throws Exception {
        return io.bootdesk.testing.CoreFixture.freePort();
    }

    interface FxWork {
        void run() throws Exception;
    }

    static void fx(FxWork r) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                r.run();
                f.complete(null);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        f.get(30, TimeUnit.SECONDS);
    }

    static void waitUntil(java.util.concurrent.Callable<Boolean> c) throws Exception {
        long end = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < end) {
            try {
                if (c.call()) {
                    return;
                }
            } catch (Exception e) {
                // not yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("timed out");
    }
}
