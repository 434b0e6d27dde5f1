package io.bootdesk.e2e;

import io.bootdesk.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Shared pieces of the E2E tests: requirement gates, the payload, run directories, MACs, timings. */
final class E2e {
    /** Per boot: generous for TCG on a loaded 2-core machine (an idle one needs 7-25 s). */
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(
            Long.getLong("bootdesk.e2e.bootTimeout", 240));

    private static BootPayload payload;
    private static Trixie trixie;
    private static final List<String> TIMINGS = Collections.synchronizedList(new ArrayList<>());

    private E2e() {
    }

    /** Root, the tools and firmware every QEMU case needs. Skips (or fails with -Dbootdesk.e2e=required). */
    static void requireQemuLab() {
        Requirements.requireRoot();
        Requirements.requireCommand("ip", "iproute2");
        Requirements.requireCommand("qemu-system-x86_64", "qemu-system-x86");
        Requirements.require(Files.exists(Path.of("/dev/net/tun")), "/dev/net/tun (tap devices for QEMU)");
        Requirements.requireFile(Path.of("/usr/share/seabios/bios-256k.bin"), "seabios");
        Requirements.requireFile(QemuVm.VIRTIO_ROM, "ipxe-qemu");
        Requirements.requireFile(QemuVm.OVMF_CODE, "ovmf");
        Requirements.requireFile(QemuVm.OVMF_VARS, "ovmf");
        Requirements.requireFile(Path.of("/usr/lib/ipxe/undionly.kpxe"), "ipxe");
        Requirements.requireFile(Path.of("/usr/lib/ipxe/snponly.efi"), "ipxe");
        // the payload builder
        Requirements.requireCommand("apt-get", "apt");
        Requirements.requireCommand("dpkg-deb", "dpkg");
        Requirements.requireCommand("objcopy", "binutils");
        Requirements.requireCommand("tar", "tar");
    }

    /** The boot payload (built on first use, then cached); a build failure skips/fails like a missing requirement. */
    static synchronized BootPayload payload() {
        if (payload == null) {
            try {
                payload = BootPayload.get();
            } catch (IOException | RuntimeException e) {
                Requirements.require(false, "the E2E boot payload (apt-get download of the Debian kernel, "
                        + "systemd-boot-efi, busybox-static): " + e.getMessage());
            }
        }
        return payload;
    }

    /**
     * Debian trixie's ipxe, ipxe-qemu and ovmf (fetched with apt-get download into the cache on first use); a
     * failed download skips with the reason, or fails with -Dbootdesk.e2e=required (CI).
     */
    static synchronized Trixie trixie() {
        if (trixie == null) {
            Requirements.requireCommand("apt-get", "apt");
            Requirements.requireCommand("dpkg-deb", "dpkg");
            try {
                trixie = Trixie.get();
            } catch (IOException | RuntimeException e) {
                Requirements.require(false, "Debian trixie's ipxe, ipxe-qemu and ovmf (apt-get download into "
                        + BootPayload.cacheRoot() + "): " + e.getMessage());
            }
        }
        return trixie;
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code s} (what the initramfs prints for a secret). */
    static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh directory for one case under target/e2e/ (kept after the run for inspection). */
    static Path runDir(String name) throws IOException {
        Path d = Path.of(System.getProperty("user.dir"), "target", "e2e", name);
        BootPayload.deleteTree(d);
        Files.createDirectories(d);
        return d;
    }

    /** A locally administered MAC in QEMU's range, distinct per case. */
    static String mac(int n) {
        return String.format(Locale.ROOT, "52:54:00:e2:%02x:%02x", (ProcessHandle.current().pid() & 0xff), n & 0xff);
    }

    /** The marker line the initramfs prints for {@code caseName}. */
    static Pattern marker(String caseName) {
        return Pattern.compile(Pattern.quote(BootPayload.MARKER) + " case=" + Pattern.quote(caseName) + " ");
    }

    static void timing(String caseName, QemuVm.Line marker, String detail) {
        String s = String.format(Locale.ROOT, "E2E-TIMING case=%s marker_s=%.1f %s", caseName, marker.seconds(), detail);
        System.out.println(s);
        TIMINGS.add(s);
    }

    static List<String> timings() {
        return List.copyOf(TIMINGS);
    }

    /** Power-ons of a SeaBIOS machine: its banner on the serial console. */
    static long firmwareStarts(QemuVm vm) {
        return vm.lines().stream().filter(l -> l.text().contains("SeaBIOS (version")).count();
    }

    /** iPXE starts: the ROM's own and any iPXE it chained. */
    static long ipxeStarts(QemuVm vm) {
        return vm.lines().stream().filter(l -> l.text().contains("iPXE initialising devices")).count();
    }
}
