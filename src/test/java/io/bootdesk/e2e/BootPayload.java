package io.bootdesk.e2e;

import io.bootdesk.engine.demo.Cpio;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the E2E clients boot, built from stock Debian packages and cached:
 * <ul>
 *   <li>{@code vmlinuz}: the Debian 12 cloud kernel ({@code apt-get download linux-image-*-cloud-amd64}); it has an
 *       EFI stub, so the same file boots from BIOS and UEFI iPXE;</li>
 *   <li>{@code initrd.gz}: busybox-static plus an {@code /init} that prints {@link #MARKER} with the values of
 *       {@code bde2e_case=} and {@code bde2e_mac=} from the kernel command line and the SHA-256 of the value of
 *       {@code bootdesk_secret=} ({@code secret_sha256=<hex>}, or {@code none}: the secret itself is never printed)
 *       to ttyS0, then powers off;</li>
 *   <li>{@code uki.efi}: a unified kernel image (systemd-boot-efi's {@code linuxx64.efi.stub} + objcopy) of the
 *       same kernel and initrd with a built-in command line whose case is {@link #UKI_CASE}.</li>
 * </ul>
 * The cache ({@code $XDG_CACHE_HOME/bootdesk/e2e} or {@code ~/.cache/bootdesk/e2e}; {@code -Dbootdesk.e2e.cache}
 * overrides) is keyed by the three package versions and this builder's recipe, so a new Debian kernel or a changed
 * init script builds a new payload; .deb files are kept under {@code debs/PACKAGE/VERSION/}.
 */
final class BootPayload {
    static final String MARKER = "BOOTDESK-E2E-OK";
    static final String UKI_CASE = "uki";
    /** Kernel command line every Linux image of the tests starts with (serial console, die fast on a panic). */
    static final String BASE_CMDLINE = "console=ttyS0,115200 panic=-1 quiet";
    /** Kernel parameter whose value the initramfs hashes into its marker ({@code secret_sha256=}). */
    static final String SECRET_PARAM = "bootdesk_secret";

    static final String KERNEL_META = "linux-image-cloud-amd64";
    static final String STUB_PACKAGE = "systemd-boot-efi";
    static final String BUSYBOX_PACKAGE = "busybox-static";
    static final String STUB_PATH = "usr/lib/systemd/boot/efi/linuxx64.efi.stub";

    /** Prints the marker and powers off; busybox is called by full path so no applet links are needed. */
    static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            arg() { /bin/busybox sed -n "s/.*$1=\\([^ ]*\\).*/\\1/p" /proc/cmdline; }
            c=$(arg bde2e_case); m=$(arg bde2e_mac); s=$(arg bootdesk_secret); h=none
            if [ -n "$s" ]; then h=$(/bin/busybox printf %%s "$s" | /bin/busybox sha256sum); h=${h%%%% *}; fi
            read up rest < /proc/uptime
            echo "%s case=${c:-none} mac=${m:-none} secret_sha256=${h} uptime=${up} kernel=$(/bin/busybox uname -r)" > /dev/ttyS0
            /bin/busybox poweroff -f
            /bin/busybox sleep 30
            """.formatted(MARKER);
    static final String UKI_CMDLINE = BASE_CMDLINE + " bde2e_case=" + UKI_CASE;
    /** Bump when the recipe changes in a way the inputs above do not show. */
    private static final int RECIPE = 1;

    final Path dir;
    final Path kernel;
    final Path initrd;
    final Path uki;

    private BootPayload(Path dir) {
        this.dir = dir;
        this.kernel = dir.resolve("vmlinuz");
        this.initrd = dir.resolve("initrd.gz");
        this.uki = dir.resolve("uki.efi");
    }

    static Path cacheRoot() {
        String p = System.getProperty("bootdesk.e2e.cache");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("bootdesk").resolve("e2e");
    }

    /** The cached payload for the current package versions, built first if needed (minutes on a cold cache). */
    static BootPayload get() throws IOException {
        Path root = cacheRoot();
        Files.createDirectories(root);
        try (FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            Map<String, String> inputs = inputs();
            if (inputs == null) {
                BootPayload old = newestCached(root);
                if (old != null) {
                    System.out.println("[e2e] apt-cache cannot resolve the payload packages (no apt lists?); using the"
                            + " cached payload " + old.dir);
                    return old;
                }
                throw new IOException("apt-cache cannot resolve " + KERNEL_META + " / " + STUB_PACKAGE + " / "
                        + BUSYBOX_PACKAGE + " and nothing is cached in " + root + ": run 'apt-get update'");
            }
            BootPayload p = new BootPayload(root.resolve("payload-" + key(inputs)));
            if (p.complete()) {
                return p;
            }
            long t0 = System.nanoTime();
            System.out.println("[e2e] building the boot payload in " + p.dir + " from " + inputs.values());
            build(root, inputs, p);
            System.out.printf("[e2e] boot payload built in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            return p;
        }
    }

    boolean complete() {
        return Files.isRegularFile(dir.resolve("manifest.txt")) && Files.isRegularFile(kernel)
                && Files.isRegularFile(initrd) && Files.isRegularFile(uki);
    }

    /** Package name -> "name=version" for the kernel, the stub and busybox; null if apt cannot tell. */
    private static Map<String, String> inputs() {
        Cmd.Result dep = Cmd.run(Duration.ofSeconds(60), null, "apt-cache", "depends", KERNEL_META);
        if (!dep.ok()) {
            return null;
        }
        String kernelPkg = dep.output().lines().map(String::strip)
                .filter(l -> l.startsWith("Depends: linux-image-"))
                .map(l -> l.substring("Depends: ".length()).strip()).findFirst().orElse(null);
        if (kernelPkg == null) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String pkg : List.of(kernelPkg, STUB_PACKAGE, BUSYBOX_PACKAGE)) {
            String v = candidateVersion(pkg);
            if (v == null) {
                return null;
            }
            m.put(pkg, pkg + "=" + v);
        }
        return m;
    }

    private static String candidateVersion(String pkg) {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(60), null, "apt-cache", "show", "--no-all-versions", pkg);
        if (!r.ok()) {
            return null;
        }
        return r.output().lines().filter(l -> l.startsWith("Version: ")).map(l -> l.substring(9).strip())
                .findFirst().orElse(null);
    }

    private static String key(Map<String, String> inputs) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(String.join("\n", inputs.values()).getBytes(StandardCharsets.UTF_8));
            d.update(INIT.getBytes(StandardCharsets.UTF_8));
            d.update(UKI_CMDLINE.getBytes(StandardCharsets.UTF_8));
            d.update(("recipe " + RECIPE).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BootPayload newestCached(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith("payload-")).map(BootPayload::new)
                    .filter(BootPayload::complete)
                    .max(Comparator.comparing(p -> p.dir.resolve("manifest.txt").toFile().lastModified()))
                    .orElse(null);
        }
    }

    private static void build(Path root, Map<String, String> inputs, BootPayload target) throws IOException {
        Path work = Files.createTempDirectory(root, "build-");
        try {
            Path out = work.resolve("out");
            Files.createDirectories(out);
            List<String> pkgs = new ArrayList<>(inputs.keySet());
            // kernel: ./boot/vmlinuz-<version> from the image package
            Path kx = extract(download(root, inputs.get(pkgs.get(0))), work.resolve("kernel"), "./boot/");
            Path vmlinuz;
            try (Stream<Path> s = Files.list(kx.resolve("boot"))) {
                vmlinuz = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).findFirst()
                        .orElseThrow(() -> new IOException("no boot/vmlinuz-* in " + inputs.get(pkgs.get(0))));
            }
            Files.copy(vmlinuz, out.resolve("vmlinuz"));
            // initramfs: busybox-static + /init
            Path bx = extract(download(root, inputs.get(BUSYBOX_PACKAGE)), work.resolve("busybox"), "./bin/busybox");
            byte[] busybox = Files.readAllBytes(bx.resolve("bin/busybox"));
            byte[] initrd = new Cpio()
                    .dir("bin").dir("dev").dir("proc").dir("sys")
                    .file("bin/busybox", 0755, busybox)
                    .symlink("bin/sh", "busybox")
                    .charDevice("dev/console", 0600, 5, 1)
                    .charDevice("dev/ttyS0", 0666, 4, 64)
                    .file("init", 0755, INIT.getBytes(StandardCharsets.UTF_8))
                    .gzipped();
            Files.write(out.resolve("initrd.gz"), initrd);
            // UKI: stub + .osrel + .cmdline + .linux + .initrd (section addresses as systemd 252 documents them)
            Path sx = extract(download(root, inputs.get(STUB_PACKAGE)), work.resolve("stub"), "./" + STUB_PATH);
            Files.writeString(work.resolve("cmdline.txt"), UKI_CMDLINE);
            Files.writeString(work.resolve("osrel.txt"), "NAME=\"BootDesk E2E\"\nID=bootdesk-e2e\n");
            Cmd.run(Duration.ofMinutes(2), work, "objcopy",
                    "--add-section", ".osrel=osrel.txt", "--change-section-vma", ".osrel=0x20000",
                    "--add-section", ".cmdline=cmdline.txt", "--change-section-vma", ".cmdline=0x30000",
                    "--add-section", ".linux=" + out.resolve("vmlinuz"), "--change-section-vma", ".linux=0x2000000",
                    "--add-section", ".initrd=" + out.resolve("initrd.gz"), "--change-section-vma", ".initrd=0x3000000",
                    sx.resolve(STUB_PATH).toString(), out.resolve("uki.efi").toString()).check();
            Files.writeString(out.resolve("manifest.txt"), String.join("\n", inputs.values())
                    + "\nrecipe " + RECIPE + "\nuki cmdline: " + UKI_CMDLINE + "\n");
            try {
                Files.move(out, target.dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(out, target.dir);
            }
        } finally {
            deleteTree(work);
        }
    }

    /** {@code apt-get download name=version} into debs/NAME/VERSION/ (kept); returns the .deb. */
    private static Path download(Path root, String pkgEqVersion) throws IOException {
        int eq = pkgEqVersion.indexOf('=');
        String name = pkgEqVersion.substring(0, eq);
        String version = pkgEqVersion.substring(eq + 1).replace(':', '_');
        Path dir = root.resolve("debs").resolve(name).resolve(version);
        Files.createDirectories(dir);
        Path deb = findDeb(dir);
        if (deb == null) {
            System.out.println("[e2e] apt-get download " + pkgEqVersion);
            Cmd.run(Duration.ofMinutes(10), dir, "apt-get", "download", "-q", pkgEqVersion).check();
            deb = findDeb(dir);
            if (deb == null) {
                throw new IOException("apt-get download " + pkgEqVersion + " left no .deb in " + dir);
            }
        }
        return deb;
    }

    private static Path findDeb(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
        }
    }

    /** Extracts only {@code member} (a path or a directory prefix as tar names it) of a .deb's data into {@code into}. */
    private static Path extract(Path deb, Path into, String member) throws IOException {
        Files.createDirectories(into);
        Cmd.run(Duration.ofMinutes(5), into, "sh", "-c",
                "dpkg-deb --fsys-tarfile \"$1\" | tar -x --wildcards \"$2*\"", "extract", deb.toString(), member).check();
        return into;
    }

    static void deleteTree(Path p) {
        if (p == null || !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            System.out.println("[e2e] could not delete " + p + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "BootPayload[" + dir + "]";
    }
}
