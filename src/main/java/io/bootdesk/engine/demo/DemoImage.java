package io.bootdesk.engine.demo;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The demo's bootable image: a Linux kernel (a readable {@code /boot/vmlinuz-*}, or Debian's cloud kernel fetched
 * with {@code apt-get download} when the user allowed it) and a tiny initramfs (the host's static busybox and an
 * {@code /init} that prints {@link #MARKER} on the serial console, waits, and reboots, so the machine network-boots
 * again and shows whatever BootDesk tells it next).
 */
public final class DemoImage {
    public static final String NAME = "demo-linux";
    public static final String MARKER = "BOOTDESK-DEMO-OK";
    public static final String KERNEL_META = "linux-image-cloud-amd64";
    /** {@code {{ mac }}} is filled in by BootDesk per machine. */
    public static final String CMDLINE = "console=ttyS0,115200 panic=-1 quiet bddemo_mac={{ mac }}";
    /** Seconds the booted demo Linux stays up before it reboots into the network boot again. */
    static final int UP_SECONDS = 45;

    static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            m=$(/bin/busybox sed -n 's/.*bddemo_mac=\\([^ ]*\\).*/\\1/p' /proc/cmdline)
            read up rest < /proc/uptime
            echo "%s mac=${m:-none} kernel=$(/bin/busybox uname -r) uptime=${up}" > /dev/ttyS0
            echo "Hello from the BootDesk demo: this Linux came over the demo's private network." > /dev/ttyS0
            echo "It reboots in %d s and boots from the network again (unassign it to see it wait)." > /dev/ttyS0
            /bin/busybox sleep %d
            /bin/busybox reboot -f
            /bin/busybox sleep 30
            """.formatted(MARKER, UP_SECONDS, UP_SECONDS);

    private DemoImage() {
    }

    /** The kernel and initrd the demo adds to its library. */
    public record Parts(Path kernel, Path initrd) {
    }

    /** Where a downloaded kernel is kept between demos ({@code $XDG_CACHE_HOME/bootdesk/demo}, else ~/.cache/...). */
    public static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("bootdesk").resolve("demo");
    }

    /**
     * A readable kernel: {@code -Dbootdesk.demo.kernel=PATH} or {@code BOOTDESK_DEMO_KERNEL}, else one downloaded
     * earlier, else the running kernel's /boot file, else the newest in /boot.
     */
    public static Optional<Path> findKernel() {
        String given = System.getProperty("bootdesk.demo.kernel", System.getenv("BOOTDESK_DEMO_KERNEL"));
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            return Files.isRegularFile(p) && Files.isReadable(p) ? Optional.of(p) : Optional.empty();
        }
        Optional<Path> cached = newestKernel(cacheDir());
        if (cached.isPresent()) {
            return cached;
        }
        Path running = Path.of("/boot", "vmlinuz-" + System.getProperty("os.version", ""));
        if (Files.isRegularFile(running) && Files.isReadable(running)) {
            return Optional.of(running);
        }
        return newestKernel(Path.of("/boot"));
    }

    private static Optional<Path> newestKernel(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
                    .filter(p -> Files.isRegularFile(p) && Files.isReadable(p))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The host's busybox if it is statically linked (busybox-static); the dynamic one cannot run in an initramfs. */
    public static Optional<Path> staticBusybox() {
        for (String p : List.of("/bin/busybox", "/usr/bin/busybox")) {
            Path b = Path.of(p);
            if (Files.isRegularFile(b) && isStaticElf(b)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** A 64-bit little-endian ELF without a PT_INTERP program header (no dynamic loader). */
    static boolean isStaticElf(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] h = new byte[64];
            f.readFully(h);
            if (h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F' || h[4] != 2 || h[5] != 1) {
                return false;
            }
            ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
            long phoff = b.getLong(0x20);
            int phentsize = Short.toUnsignedInt(b.getShort(0x36));
            int phnum = Short.toUnsignedInt(b.getShort(0x38));
            byte[] ph = new byte[4];
            for (int i = 0; i < phnum; i++) {
                f.seek(phoff + (long) i * phentsize);
                f.readFully(ph);
                if (ByteBuffer.wrap(ph).order(ByteOrder.LITTLE_ENDIAN).getInt() == 3) { // PT_INTERP
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes {@code initrd.gz} (busybox + /init) into {@code dir} and copies the kernel next to it. */
    public static Parts build(Path kernel, Path dir) throws IOException {
        Path busybox = staticBusybox().orElseThrow(() -> new IOException(
                "no static busybox for the demo image: apt-get install busybox-static"));
        Files.createDirectories(dir);
        Path k = dir.resolve("vmlinuz");
        Files.copy(kernel, k, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path initrd = dir.resolve("initrd.gz");
        Files.write(initrd, initramfs(Files.readAllBytes(busybox)));
        return new Parts(k, initrd);
    }

    /** The initramfs (gzip-compressed newc cpio) with {@code busybox} as /bin/busybox and {@link #INIT}. */
    static byte[] initramfs(byte[] busybox) {
        return new Cpio().dir("bin").dir("dev").dir("proc").dir("sys")
                .file("bin/busybox", 0755, busybox)
                .symlink("bin/sh", "busybox")
                .charDevice("dev/console", 0600, 5, 1)
                .charDevice("dev/ttyS0", 0666, 4, 64)
                .file("init", 0755, INIT.getBytes(StandardCharsets.UTF_8))
                .gzipped();
    }

    /**
     * Downloads Debian's cloud kernel ({@link #KERNEL_META}'s current dependency, {@code apt-get download}) into the
     * {@link #cacheDir()} and returns its {@code vmlinuz}. Only after the user agreed; needs apt lists.
     */
    public static Path downloadKernel(java.util.function.Consumer<String> progress) throws IOException {
        Path cache = cacheDir();
        Files.createDirectories(cache);
        Optional<Path> have = newestKernel(cache);
        if (have.isPresent()) {
            return have.get();
        }
        DemoCommands.Result dep = DemoCommands.run(Duration.ofMinutes(1), null, List.of("apt-cache", "depends", KERNEL_META));
        String pkg = dep.output().lines().map(String::strip).filter(l -> l.startsWith("Depends: linux-image-"))
                .map(l -> l.substring("Depends: ".length()).strip()).findFirst()
                .orElseThrow(() -> new IOException("apt-cache does not know " + KERNEL_META
                        + " (run 'sudo apt-get update' first): " + dep.output().strip()));
        Path work = Files.createTempDirectory(cache, "download-");
        try {
            progress.accept("Downloading " + pkg + " (apt-get download)…");
            DemoCommands.run(Duration.ofMinutes(10), work, List.of("apt-get", "download", "-q", pkg)).check();
            Path deb;
            try (Stream<Path> s = Files.list(work)) {
                deb = s.filter(p -> p.toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException("apt-get download " + pkg + " left no .deb"));
            }
            DemoCommands.run(Duration.ofMinutes(5), work, List.of("sh", "-c",
                    "dpkg-deb --fsys-tarfile \"$1\" | tar -x --wildcards './boot/vmlinuz-*'", "extract", deb.toString()))
                    .check();
            Path kernel = newestKernel(work.resolve("boot"))
                    .orElseThrow(() -> new IOException("no boot/vmlinuz-* in " + deb.getFileName()));
            Path target = cache.resolve(kernel.getFileName());
            Files.copy(kernel, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            DemoCommands.deleteTree(work);
        }
    }
}
