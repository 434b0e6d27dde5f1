package io.bootdesk.engine.demo;

import io.bootdesk.net.NativeNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the demo needs from this machine, and for each missing piece the exact fix (a Debian package or a
 * privilege). {@link #check(Facts)} is pure so the message can be tested; {@link Facts#ofThisHost()} gathers the
 * facts.
 *
 * @param missing   what stops the demo; empty when it can start
 * @param optional  what would make it richer (a UEFI machine); the demo starts without it
 * @param uefi      OVMF is there: the demo can add a UEFI machine
 * @param kernel    a readable Linux kernel for the demo image (null: none; the demo can download one with consent)
 * @param canDownloadKernel apt-get and dpkg-deb are there to fetch Debian's cloud kernel
 */
public record DemoPrerequisites(List<Missing> missing, List<Missing> optional, boolean uefi, Path kernel,
                                boolean canDownloadKernel) {

    /** A missing piece: what it is and how to get it; {@code debianPackage} is null for privileges. */
    public record Missing(String what, String fix, String debianPackage) {
    }

    public static final Path SEABIOS = Path.of("/usr/share/seabios/bios-256k.bin");
    /** QEMU's default ROM for virtio-net-pci (BIOS and EFI iPXE in one file), from ipxe-qemu. */
    public static final Path VIRTIO_ROM = Path.of("/usr/lib/ipxe/qemu/efi-virtio.rom");
    public static final Path IPXE_DIR = Path.of("/usr/lib/ipxe");
    public static final Path UNDIONLY = IPXE_DIR.resolve("undionly.kpxe");
    public static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    public static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");
    public static final Path TUN = Path.of("/dev/net/tun");
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_SYS_ADMIN = 21;

    public DemoPrerequisites {
        missing = List.copyOf(missing);
        optional = List.copyOf(optional);
    }

    public boolean ready() {
        return missing.isEmpty();
    }

    /** The Debian packages that would fix what is missing (in the order found), for one apt-get line. */
    public List<String> packages() {
        Set<String> p = new LinkedHashSet<>();
        for (Missing m : missing) {
            if (m.debianPackage() != null) {
                p.add(m.debianPackage());
            }
        }
        return List.copyOf(p);
    }

    /**
     * The sentence(s) the Demo menu item shows: ready, or each missing piece with its fix and one apt-get line for
     * all packages; then the optional pieces and how the demo image gets its kernel.
     */
    public String message() {
        StringBuilder s = new StringBuilder();
        if (ready()) {
            s.append("Ready: this machine can run the demo (a private network namespace, BootDesk serving it, "
                    + (uefi ? "a BIOS and a UEFI" : "a BIOS") + " QEMU machine on it).\n");
        } else {
            s.append("The demo cannot start on this machine yet. Missing:\n");
            for (Missing m : missing) {
                s.append("  - ").append(m.what()).append(": ").append(m.fix()).append('\n');
            }
            List<String> pkgs = packages();
            if (!pkgs.isEmpty()) {
                s.append("Install the packages with:\n  sudo apt-get install --no-install-recommends ")
                        .append(String.join(" ", pkgs)).append('\n');
            }
        }
        for (Missing m : optional) {
            s.append("Optional: ").append(m.what()).append(": ").append(m.fix()).append('\n');
        }
        if (kernel != null) {
            s.append("Demo image: the Linux kernel ").append(kernel).append(" with a tiny busybox initramfs.\n");
        } else if (canDownloadKernel) {
            s.append("Demo image: no readable Linux kernel here (/boot/vmlinuz-*); the demo can download Debian's "
                    + DemoImage.KERNEL_META + " (about 30 MB, apt-get download) if you allow it.\n");
        } else {
            s.append("Demo image: no readable Linux kernel here (/boot/vmlinuz-*) and no apt-get/dpkg-deb to fetch one;"
                    + " the machines will wait without an image to boot.\n");
        }
        return s.toString();
    }

    /** Facts about the machine the check is made from. */
    public record Facts(String osName, int javaFeature, boolean nativeNet, String nativeNetReason, boolean root,
                        long capEff, long capAmb, Set<String> commands, Set<Path> files, boolean staticBusybox,
                        Path kernel) {
        public Facts {
            commands = Set.copyOf(commands);
            files = Set.copyOf(files);
        }

        /** The facts of this JVM and machine. */
        public static Facts ofThisHost() {
            Set<String> commands = new LinkedHashSet<>();
            for (String c : List.of("ip", "qemu-system-x86_64", "apt-get", "apt-cache", "dpkg-deb", "tar")) {
                if (onPath(c)) {
                    commands.add(c);
                }
            }
            Set<Path> files = new LinkedHashSet<>();
            for (Path p : List.of(SEABIOS, VIRTIO_ROM, UNDIONLY, OVMF_CODE, OVMF_VARS, TUN)) {
                if (Files.exists(p)) {
                    files.add(p);
                }
            }
            long[] ids = status();
            NativeNet net = NativeNet.get();
            return new Facts(System.getProperty("os.name", ""), Runtime.version().feature(), net.available(),
                    net.unavailableReason(), ids[0] == 0, ids[1], ids[2], commands, files,
                    DemoImage.staticBusybox().isPresent(), DemoImage.findKernel().orElse(null));
        }
    }

    public static DemoPrerequisites check() {
        return check(Facts.ofThisHost());
    }

    public static DemoPrerequisites check(Facts f) {
        List<Missing> missing = new ArrayList<>();
        List<Missing> optional = new ArrayList<>();
        if (!f.osName().toLowerCase(Locale.ROOT).contains("linux")) {
            missing.add(new Missing("Linux", "the demo uses Linux network namespaces; this is " + f.osName(), null));
        } else if (!f.nativeNet()) {
            missing.add(new Missing("a JDK 22 or newer", "the demo moves its engine into the private namespace with"
                    + " setns(2) through java.lang.foreign (" + f.nativeNetReason() + "); run BootDesk with Java 22+",
                    null));
        }
        boolean effective = has(f.capEff(), CAP_SYS_ADMIN) && has(f.capEff(), CAP_NET_ADMIN);
        boolean ambient = has(f.capAmb(), CAP_SYS_ADMIN) && has(f.capAmb(), CAP_NET_ADMIN);
        if (f.root() && !effective) {
            missing.add(new Missing("CAP_SYS_ADMIN and CAP_NET_ADMIN", "this root lacks them (a container without"
                    + " them?): creating and entering a network namespace needs both; run the container with"
                    + " --cap-add SYS_ADMIN --cap-add NET_ADMIN, or BootDesk on the host", null));
        } else if (!f.root() && !(effective && ambient)) {
            missing.add(new Missing("root privileges", "creating a network namespace, a bridge and tap devices and"
                    + " entering the namespace need CAP_SYS_ADMIN and CAP_NET_ADMIN (also for the ip and QEMU"
                    + " processes it starts): start BootDesk with sudo", null));
        }
        if (!f.commands().contains("ip")) {
            missing.add(new Missing("the ip command", "apt-get install iproute2", "iproute2"));
        }
        if (!f.commands().contains("qemu-system-x86_64")) {
            missing.add(new Missing("QEMU (qemu-system-x86_64)", "apt-get install qemu-system-x86", "qemu-system-x86"));
        }
        if (!f.files().contains(SEABIOS)) {
            missing.add(new Missing("SeaBIOS (" + SEABIOS + ")", "apt-get install seabios", "seabios"));
        }
        if (!f.files().contains(VIRTIO_ROM)) {
            missing.add(new Missing("Debian's iPXE ROMs for QEMU (" + VIRTIO_ROM + ")", "apt-get install ipxe-qemu",
                    "ipxe-qemu"));
        }
        if (!f.files().contains(UNDIONLY)) {
            missing.add(new Missing("Debian's iPXE binaries (" + UNDIONLY + ")", "apt-get install ipxe", "ipxe"));
        }
        if (!f.files().contains(TUN)) {
            missing.add(new Missing("tap devices (" + TUN + ")", "load the tun module: sudo modprobe tun", null));
        }
        if (!f.staticBusybox()) {
            missing.add(new Missing("a static busybox (/bin/busybox) for the demo image",
                    "apt-get install busybox-static", "busybox-static"));
        }
        boolean uefi = f.files().contains(OVMF_CODE) && f.files().contains(OVMF_VARS);
        if (!uefi) {
            optional.add(new Missing("a second, UEFI machine (OVMF, " + OVMF_CODE + ")", "apt-get install ovmf", "ovmf"));
        }
        boolean download = f.commands().containsAll(List.of("apt-get", "apt-cache", "dpkg-deb", "tar"));
        return new DemoPrerequisites(missing, optional, uefi, f.kernel(), download);
    }

    private static boolean has(long caps, int cap) {
        return (caps & (1L << cap)) != 0;
    }

    static boolean onPath(String command) {
        Set<String> dirs = new LinkedHashSet<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Effective uid, CapEff, CapAmb from /proc/self/status ({-1, 0, 0} when unreadable). */
    private static long[] status() {
        long[] r = {-1, 0, 0};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] f = line.split("\\s+");
                if (line.startsWith("Uid:") && f.length > 2) {
                    r[0] = Long.parseLong(f[2]);
                } else if (line.startsWith("CapEff:") && f.length > 1) {
                    r[1] = Long.parseUnsignedLong(f[1], 16);
                } else if (line.startsWith("CapAmb:") && f.length > 1) {
                    r[2] = Long.parseUnsignedLong(f[1], 16);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: the check says root is missing
        }
        return r;
    }

    /** The prerequisites, or empty when the demo can start. */
    public Optional<String> problem() {
        return ready() ? Optional.empty() : Optional.of(message());
    }
}
