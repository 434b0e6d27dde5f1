package io.bootdesk.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One QEMU client (TCG: /dev/kvm is not usable on the project's machines) in the lab's client namespace, its
 * virtio NIC on tap0, its serial console on stdout, read line by line with a timestamp since QEMU started into
 * {@code serial.log}. {@link #await} returns the first line matching a pattern and fails fast on known terminal
 * failure lines (and on lines showing that the variant's own boot path failed), on QEMU exiting and on a timeout, with the console's tail in the message.
 */
final class QemuVm implements AutoCloseable {

    static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");
    /** QEMU's default ROM for virtio-net-pci: Debian 12's iPXE (BIOS and EFI in one file, from ipxe-qemu). */
    static final Path VIRTIO_ROM = Path.of("/usr/lib/ipxe/qemu/efi-virtio.rom");

    /** How the client boots from the network. */
    enum Variant {
        /** SeaBIOS + QEMU's default iPXE ROM for virtio-net-pci. */
        BIOS_IPXE_ROM,
        /** OVMF + QEMU's default iPXE EFI ROM (efi-virtio.rom): iPXE drives the NIC. */
        UEFI_IPXE_ROM,
        /** OVMF's own PXE client (NIC without option ROM: VirtioNetDxe + the edk2 network stack). */
        UEFI_PXE,
        /** OVMF's own UEFI HTTP Boot (no ROM; PXEv4 and all IPv6 boot options hidden via fw_cfg). */
        UEFI_HTTP,
        /**
         * OVMF boots a FAT disk image (virtio-blk, bootindex=0; {@link Spec#disk} is required), NIC without option ROM;
         * PXEv4 and IPv6 hidden, so a failed disk boot shows as OVMF starting HTTP Boot.
         */
        UEFI_DISK;

        boolean uefi() {
            return this != BIOS_IPXE_ROM;
        }

        /**
         * Lines that show this variant's own path failed. OVMF would go on to its next boot option (PXEv6 after a
         * 70 s wait, then HTTP Boot) and might still boot, but not the way the case claims: stop at once.
         */
        List<Pattern> pathFailed() {
            return switch (this) {
                case UEFI_PXE -> List.of(Pattern.compile("failed to load Boot[0-9A-F]+ \"UEFI PXEv4"),
                        Pattern.compile(">>Start (PXE over IPv6|HTTP Boot)"));
                case UEFI_HTTP -> List.of(Pattern.compile("failed to load Boot[0-9A-F]+ \"UEFI HTTPv4"));
                case UEFI_DISK -> List.of(Pattern.compile(">>Start (PXE|HTTP Boot)"),
                        Pattern.compile("starting Boot[0-9A-F]+ \"UEFI (PXE|HTTP)"));
                default -> List.of();
            };
        }
    }

    /**
     * A client: the {@link Variant} plus the firmware and what it is given. {@link #of} is Debian 12's firmware as
     * installed on the host (the issue-2 cases); {@link #trixie} switches to trixie's OVMF (and adds the RNG it needs
     * for network boot), {@link #caCerts} puts a CA (an EFI signature list) into fw_cfg
     * {@code etc/edk2/https/cacerts} (OVMF sets {@code TlsCaCertificate} from it), {@link #romfile} replaces the NIC's
     * option ROM, {@link #disk} attaches a raw disk image as virtio-blk with bootindex 0.
     */
    record Spec(Variant variant, Path ovmfCode, Path ovmfVars, boolean rng, Path caEsl, Path romfile, Path disk) {
        static Spec of(Variant variant) {
            return new Spec(variant, OVMF_CODE, OVMF_VARS, false, null, null, null);
        }

        /** Trixie's OVMF (edk2 2025.02) with {@code -device virtio-rng-pci}, without which it has no network boot. */
        Spec trixie(Trixie t) {
            return new Spec(variant, t.ovmfCode, t.ovmfVars, true, caEsl, romfile, disk);
        }

        Spec caCerts(Path esl) {
            return new Spec(variant, ovmfCode, ovmfVars, rng, esl, romfile, disk);
        }

        /**
         * The NIC's option ROM. A trixie ROM says 1af4:1041 (modern virtio); SeaBIOS ignores it on the default
         * transitional device, so the NIC gets {@code disable-legacy=on} with it.
         */
        Spec romfile(Path rom) {
            return new Spec(variant, ovmfCode, ovmfVars, rng, caEsl, rom, disk);
        }

        Spec disk(Path image) {
            return new Spec(variant, ovmfCode, ovmfVars, rng, caEsl, romfile, image);
        }

        String describe() {
            StringBuilder s = new StringBuilder(variant.toString());
            if (variant.uefi()) {
                s.append(ovmfCode.equals(OVMF_CODE) ? " ovmf=host" : ovmfCode.toString().contains("/trixie-")
                        ? " ovmf=trixie" : " ovmf=" + ovmfCode);
            }
            if (caEsl != null) {
                s.append(" fw_cfg-ca=").append(caEsl.getFileName());
            }
            if (romfile != null) {
                s.append(" rom=").append(romfile.getFileName());
            }
            if (disk != null) {
                s.append(" disk=").append(disk.getFileName());
            }
            return s.toString();
        }
    }

    /** Console lines that end a boot attempt for good: the VM is not going to reach the marker. */
    static final List<Pattern> TERMINAL = List.of(
            Pattern.compile("Could not start download"),
            Pattern.compile("Could not boot"),
            Pattern.compile("No bootable device"),
            Pattern.compile("No bootable option"),
            Pattern.compile("Kernel panic"),
            Pattern.compile("BootDesk: booting .* failed"),
            Pattern.compile("E2E-IPXE-FAIL"),
            Pattern.compile("starting Boot[0-9A-F]+ \"EFI Internal Shell\""),
            Pattern.compile("Shell> "));

    record Line(double seconds, String text) {
        @Override
        public String toString() {
            return String.format("[%8.3f] %s", seconds, text);
        }
    }

    final Variant variant;
    final Spec spec;
    final String mac;
    final Path dir;
    private final Process process;
    private final long startNanos;
    private final List<Line> lines = new ArrayList<>();
    private final OutputStream serialLog;
    private final Thread reader;

    private QemuVm(Spec spec, String mac, Path dir, Process process, long startNanos, OutputStream serialLog) {
        this.variant = spec.variant();
        this.spec = spec;
        this.mac = mac;
        this.dir = dir;
        this.process = process;
        this.startNanos = startNanos;
        this.serialLog = serialLog;
        this.reader = Thread.ofPlatform().daemon().name("serial-" + mac).start(this::readConsole);
    }

    /** The QEMU argv (without the netns prefix) for {@code variant}; writes the files it refers to into {@code dir}. */
    static List<String> command(Variant variant, String mac, Path dir) throws IOException {
        return command(Spec.of(variant), mac, dir);
    }

    /** The QEMU argv (without the netns prefix) for {@code spec}; writes the files it refers to into {@code dir}. */
    static List<String> command(Spec spec, String mac, Path dir) throws IOException {
        Variant variant = spec.variant();
        List<String> c = Cmd.list("qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-m", "512", "-smp", "1",
                "-display", "none", "-vga", "none", "-monitor", "none", "-serial", "stdio", "-no-reboot", "-nodefaults",
                "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no");
        String nic = "virtio-net-pci,netdev=n0,mac=" + mac + ",bootindex=1";
        if (spec.romfile() != null) {
            nic += ",romfile=" + spec.romfile() + ",disable-legacy=on";
        }
        if (variant.uefi()) {
            Path vars = dir.resolve("OVMF_VARS.fd");
            Files.copy(spec.ovmfVars(), vars, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            c.addAll(List.of("-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + spec.ovmfCode(),
                    "-drive", "if=pflash,format=raw,unit=1,file=" + vars));
        }
        if (spec.rng()) {
            c.addAll(List.of("-device", "virtio-rng-pci"));
        }
        if (spec.caEsl() != null) {
            c.addAll(List.of("-fw_cfg", "name=etc/edk2/https/cacerts,file=" + spec.caEsl()));
        }
        if (spec.disk() != null) {
            c.addAll(List.of("-drive", "file=" + spec.disk() + ",format=raw,if=none,id=d0",
                    "-device", "virtio-blk-pci,drive=d0,bootindex=0"));
        }
        String noRom = spec.romfile() != null ? "" : ",romfile=";
        switch (variant) {
            case BIOS_IPXE_ROM -> {
                // QEMU 7.2 does not point SeaBIOS's console at the serial port on its own (-vga none): sercon at 0x3f8
                Path sercon = dir.resolve("sercon-port");
                Files.write(sercon, new byte[] {(byte) 0xf8, 0x03});
                c.addAll(List.of("-fw_cfg", "name=etc/sercon-port,file=" + sercon, "-device", nic, "-boot", "n"));
            }
            case UEFI_IPXE_ROM -> c.addAll(List.of("-device", nic));
            case UEFI_PXE -> c.addAll(List.of("-device", nic + noRom));
            case UEFI_HTTP, UEFI_DISK -> c.addAll(List.of("-device", nic + noRom,
                    "-fw_cfg", "name=opt/org.tianocore/IPv4PXESupport,string=n",
                    "-fw_cfg", "name=opt/org.tianocore/IPv6Support,string=n"));
        }
        if (variant == Variant.UEFI_DISK && spec.disk() == null) {
            throw new IllegalArgumentException("UEFI_DISK needs Spec.disk(image)");
        }
        return c;
    }

    static QemuVm start(NetLab lab, Variant variant, String mac, Path dir) throws IOException {
        return start(lab, Spec.of(variant), mac, dir);
    }

    /**
     * Like {@link #start(NetLab, Spec, String, Path)} but the serial port is a pty ({@code -serial pty}) for another
     * program to open, the CPU starts paused ({@code -S}) and the monitor listens on {@code DIR/monitor.sock} so
     * the test can {@link #resume} it once the pty is attached. QEMU prints "char device redirected to /dev/pts/N"
     * on stdout, which {@link #await} sees like a console line ({@link #serialPty}).
     */
    static QemuVm startWithSerialPty(NetLab lab, Spec spec, String mac, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new java.util.ArrayList<>(command(spec, mac, dir));
        cmd.set(cmd.indexOf("-serial") + 1, "pty");
        cmd.set(cmd.indexOf("-monitor") + 1, "unix:" + dir.resolve("monitor.sock") + ",server=on,wait=off");
        cmd.add("-S");
        return start(lab, spec, mac, dir, cmd);
    }

    /** The pty QEMU made for the serial port (after {@link #startWithSerialPty}). */
    String serialPty() throws IOException {
        Pattern redirected = Pattern.compile("char device redirected to (/dev/pts/\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            // QEMU prints it with qemu_printf: stdout here (read as console lines), stderr on some builds
            StringBuilder all = new StringBuilder();
            lines().forEach(l -> all.append(l.text()).append('\n'));
            Path err = dir.resolve("qemu.stderr");
            if (Files.exists(err)) {
                all.append(Files.readString(err, StandardCharsets.ISO_8859_1));
            }
            java.util.regex.Matcher m = redirected.matcher(all);
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                break;
            }
            Cmd.sleep(100);
        }
        throw failure("QEMU's pty", "no 'char device redirected to /dev/pts/N' line");
    }

    /** Starts the CPU of a VM started paused (monitor command {@code cont}). */
    void resume() throws IOException {
        try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(dir.resolve("monitor.sock")))) {
            c.write(java.nio.ByteBuffer.wrap("cont\n".getBytes(StandardCharsets.US_ASCII)));
            Cmd.sleep(300);
        }
    }

    static QemuVm start(NetLab lab, Spec spec, String mac, Path dir) throws IOException {
        Files.createDirectories(dir);
        return start(lab, spec, mac, dir, command(spec, mac, dir));
    }

    private static QemuVm start(NetLab lab, Spec spec, String mac, Path dir, List<String> command) throws IOException {
        List<String> argv = NetLab.inNs(lab.cliNs, command);
        Files.writeString(dir.resolve("qemu.cmd"), String.join(" ", argv) + "\n");
        OutputStream log = Files.newOutputStream(dir.resolve("serial.log"));
        long t0 = System.nanoTime();
        // stdin is a pipe so a test can type on the serial console (type()); nothing is written unless it does
        Process p = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectError(dir.resolve("qemu.stderr").toFile())
                .start();
        return new QemuVm(spec, mac, dir, p, t0, log);
    }

    private void readConsole() {
        StringBuilder cur = new StringBuilder();
        byte[] buf = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                String s = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                for (int i = 0; i < s.length(); i++) {
                    char ch = s.charAt(i);
                    if (ch == '\n' || ch == '\r') {
                        emit(cur);
                    } else {
                        cur.append(ch);
                    }
                }
            }
        } catch (IOException e) {
            // QEMU gone
        } finally {
            emit(cur);
            try {
                serialLog.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    private void emit(StringBuilder cur) {
        String text = cur.toString()
                .replaceAll("\u001B\\[[0-9;?=]*[A-Za-z]", "")
                .replaceAll("\u001B[()][0-9A-Za-z]", "")
                .replaceAll("\u001B.", "") // e.g. ESC c (reset) that Linux prints before the first console line
                .replaceAll("[\\x00-\\x08\\x0b-\\x1f\\x7f]", "");
        cur.setLength(0);
        if (text.isBlank()) {
            return;
        }
        Line l = new Line((System.nanoTime() - startNanos) / 1e9, text);
        synchronized (lines) {
            lines.add(l);
            lines.notifyAll();
        }
        try {
            serialLog.write((l + "\n").getBytes(StandardCharsets.ISO_8859_1));
            serialLog.flush();
        } catch (IOException ignored) {
            // the log is a convenience; the lines are in memory
        }
    }

    /** Console lines so far. */
    List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The first console line (since the start) matching {@code pattern}, if any yet. */
    Optional<Line> find(Pattern pattern) {
        return lines().stream().filter(l -> pattern.matcher(l.text()).find()).findFirst();
    }

    /**
     * Waits for a console line matching {@code pattern}. Fails (AssertionError with the console tail) when a
     * {@link #TERMINAL} line shows, QEMU exits first, or {@code timeout} passes.
     */
    Line await(Pattern pattern, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Pattern> terminal = new ArrayList<>(TERMINAL);
        terminal.addAll(variant.pathFailed());
        int checked = 0;
        while (true) {
            List<Line> now = lines();
            for (int i = checked; i < now.size(); i++) {
                Line l = now.get(i);
                if (pattern.matcher(l.text()).find()) {
                    return l;
                }
                for (Pattern t : terminal) {
                    if (t.matcher(l.text()).find()) {
                        Cmd.sleep(1000); // let the console print the rest of the error
                        throw failure(what, "terminal failure on the console: " + l);
                    }
                }
            }
            checked = now.size();
            if (!process.isAlive()) {
                try {
                    reader.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (lines().size() > checked) {
                    continue;
                }
                throw failure(what, "QEMU exited (" + process.exitValue() + ") " + stderrTail());
            }
            if (System.nanoTime() > deadline) {
                throw failure(what, "timed out after " + timeout.toSeconds() + " s");
            }
            synchronized (lines) {
                if (lines.size() == checked) {
                    try {
                        lines.wait(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw failure(what, "interrupted");
                    }
                }
            }
        }
    }

    private AssertionError failure(String what, String why) {
        return new AssertionError(variant + " client " + mac + ": waiting for " + what + ": " + why
                + "\n--- serial console (last 40 lines, full log " + dir.resolve("serial.log") + ") ---\n"
                + tail(40));
    }

    String tail(int n) {
        List<Line> l = lines();
        StringBuilder s = new StringBuilder();
        for (Line x : l.subList(Math.max(0, l.size() - n), l.size())) {
            s.append(x).append('\n');
        }
        return s.toString();
    }

    private String stderrTail() {
        try {
            String e = Files.readString(dir.resolve("qemu.stderr")).strip();
            return e.isEmpty() ? "" : "stderr: " + e;
        } catch (IOException e) {
            return "";
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Types {@code text} on the serial console (e.g. "\u0002" for iPXE's Ctrl-B, then commands ending in "\r"). */
    void type(String text) {
        try {
            OutputStream in = process.getOutputStream();
            for (char c : text.toCharArray()) {
                in.write(c);
                in.flush();
                Cmd.sleep(20);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot type on " + mac + "'s console: " + e.getMessage(), e);
        }
    }

    /** Waits for QEMU to exit by itself (the initramfs powers off; -no-reboot). */
    boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kills QEMU by PID (SIGTERM, then SIGKILL). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitForExit(Duration.ofSeconds(5))) {
                process.destroyForcibly();
                waitForExit(Duration.ofSeconds(5));
            }
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
