package io.bootdesk.engine.demo;

import io.bootdesk.model.MacAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One QEMU machine of the demo (TCG, no disk, no display), started with {@code ip netns exec} in the demo's
 * namespace on its own tap device; its serial console goes to {@code serial.log} in its directory. It boots from
 * the network only: SeaBIOS or OVMF with QEMU's default iPXE ROM for virtio-net (Debian's ipxe-qemu).
 */
public final class DemoMachine {

    public enum Firmware { BIOS, UEFI }

    private final String name;
    private final MacAddress mac;
    private final Firmware firmware;
    private final Path dir;
    private final Process process;

    private DemoMachine(String name, MacAddress mac, Firmware firmware, Path dir, Process process) {
        this.name = name;
        this.mac = mac;
        this.firmware = firmware;
        this.dir = dir;
        this.process = process;
    }

    /** The QEMU argv (without the netns prefix); writes the files it refers to into {@code dir}. */
    static List<String> command(String tap, MacAddress mac, Firmware firmware, Path dir) throws IOException {
        List<String> c = new ArrayList<>(List.of("qemu-system-x86_64", "-name", "bootdesk-demo-" + mac,
                "-machine", "q35", "-accel", "tcg", "-m", "512", "-smp", "1",
                "-display", "none", "-vga", "none", "-monitor", "none", "-nodefaults",
                "-serial", "file:" + dir.resolve("serial.log"),
                "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no",
                "-device", "virtio-net-pci,netdev=n0,mac=" + mac + ",bootindex=1"));
        if (firmware == Firmware.BIOS) {
            // QEMU 7.2 does not point SeaBIOS's console at the serial port by itself (-vga none): sercon at 0x3f8
            Path sercon = dir.resolve("sercon-port");
            Files.write(sercon, new byte[] {(byte) 0xf8, 0x03});
            c.addAll(List.of("-fw_cfg", "name=etc/sercon-port,file=" + sercon, "-boot", "n"));
        } else {
            Path vars = dir.resolve("OVMF_VARS.fd");
            Files.copy(DemoPrerequisites.OVMF_VARS, vars, StandardCopyOption.REPLACE_EXISTING);
            c.addAll(List.of("-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + DemoPrerequisites.OVMF_CODE,
                    "-drive", "if=pflash,format=raw,unit=1,file=" + vars));
        }
        return c;
    }

    static DemoMachine start(String namespace, String tap, String name, MacAddress mac, Firmware firmware, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        argv.addAll(command(tap, mac, firmware, dir));
        Files.writeString(dir.resolve("qemu.cmd"), String.join(" ", argv) + "\n");
        // `ip netns exec` execs QEMU: this process's PID is QEMU's, so stopping it by PID stops QEMU
        Process p = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile())
                .start();
        return new DemoMachine(name, mac, firmware, dir, p);
    }

    public String name() {
        return name;
    }

    public MacAddress mac() {
        return mac;
    }

    public Firmware firmware() {
        return firmware;
    }

    /** The directory with serial.log, qemu.log and qemu.cmd. */
    public Path dir() {
        return dir;
    }

    public Path serialLog() {
        return dir.resolve("serial.log");
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The serial console so far, terminal escapes and control characters removed. */
    public String serial() {
        try {
            String s = Files.exists(serialLog())
                    ? new String(Files.readAllBytes(serialLog()), StandardCharsets.ISO_8859_1) : "";
            return s.replace("\r", "\n")
                    .replaceAll("\u001B\\[[0-9;?=]*[A-Za-z]", "")
                    .replaceAll("\u001B[()][0-9A-Za-z]", "")
                    .replaceAll("\u001B.", "")
                    .replaceAll("[\\x00-\\x08\\x0b-\\x1f\\x7f]", "")
                    .replaceAll("\n{2,}", "\n");
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops QEMU by its PID: SIGTERM, then SIGKILL after 5 s. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (" + mac + ", " + firmware + ", pid " + process.pid() + ")";
    }
}
