package io.bootdesk.e2e;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Stock Debian trixie binaries for the trust cases, fetched by the tests themselves and never installed:
 * {@code apt-get download ipxe ipxe-qemu ovmf} from trixie with a private sources list, list, cache and status
 * directory (the host's apt configuration and package state are not read or written, apart from taking the
 * Debian mirror URI from it), unpacked with {@code dpkg-deb -x} into
 * {@code <cache>/trixie-<ipxe version>_<ovmf version>/root}.
 * <ul>
 *   <li>{@link #ipxeDir}: an iPXE directory for {@code serve --ipxe-dir} with the HTTPS-capable {@code undionly.kpxe},
 *       {@code snponly.efi} and {@code ipxe-amd64.efi} (also as {@code ipxe.efi}, copied, no links);</li>
 *   <li>{@link #ovmfCode}, {@link #ovmfVars}: edk2 2025.02 (needs {@code -device virtio-rng-pci} for network boot);</li>
 *   <li>{@link #pxeVirtioRom}: the HTTPS-capable legacy iPXE ROM for virtio-net (modern ID 1af4:1041).</li>
 * </ul>
 * The private apt lists are refreshed when older than a week; if that fails (no network) the newest complete
 * cached set is used. The mirror is the first Debian URI in the machine's apt configuration, or
 * {@code -Dbootdesk.e2e.debianMirror=URL}.
 */
final class Trixie {
    static final List<String> PACKAGES = List.of("ipxe", "ipxe-qemu", "ovmf");
    private static final Duration LISTS_MAX_AGE = Duration.ofDays(7);

    final Path root;
    final Path ipxeDir;
    final Path ovmfCode;
    final Path ovmfVars;
    final Path pxeVirtioRom;
    final Path efiVirtioRom;
    final String versions;

    private Trixie(Path dir, String versions) {
        this.root = dir.resolve("root");
        this.ipxeDir = dir.resolve("ipxe");
        this.ovmfCode = root.resolve("usr/share/OVMF/OVMF_CODE_4M.fd");
        this.ovmfVars = root.resolve("usr/share/OVMF/OVMF_VARS_4M.fd");
        this.pxeVirtioRom = root.resolve("usr/share/qemu/pxe-virtio.rom");
        this.efiVirtioRom = root.resolve("usr/share/qemu/efi-virtio.rom");
        this.versions = versions;
    }

    boolean complete() {
        for (Path p : List.of(ovmfCode, ovmfVars, pxeVirtioRom, efiVirtioRom, ipxeDir.resolve("undionly.kpxe"),
                ipxeDir.resolve("snponly.efi"), ipxeDir.resolve("ipxe.efi"), ipxeDir.resolve("ipxe-amd64.efi"))) {
            if (!Files.isRegularFile(p)) {
                return false;
            }
        }
        return true;
    }

    /** The cached set, downloaded first if needed. Throws with the reason (mirror, apt output) if it cannot. */
    static Trixie get() throws IOException {
        Path cache = BootPayload.cacheRoot();
        Path apt = cache.resolve("trixie-apt");
        Files.createDirectories(apt);
        try (FileChannel ch = FileChannel.open(cache.resolve(".trixie.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
            Trixie newest = newestCached(cache);
            Path lists = apt.resolve("state/lists");
            boolean fresh = newest != null && listsAge(lists).compareTo(LISTS_MAX_AGE) < 0;
            Map<String, String> candidates = null;
            String why = null;
            if (!fresh) {
                try {
                    String mirror = mirror();
                    prepare(apt, mirror);
                    Cmd.Result up = apt(apt, null, Duration.ofMinutes(5), "update", "-q");
                    if (!up.ok()) {
                        why = "apt-get update of trixie from " + mirror + " failed:\n" + tail(up.output());
                    }
                } catch (IOException e) {
                    why = e.getMessage();
                }
            }
            if (why == null) {
                candidates = candidates(apt);
                if (candidates == null) {
                    why = "apt-cache (private trixie lists in " + apt + ") cannot resolve " + PACKAGES;
                }
            }
            if (candidates == null) {
                if (newest != null) {
                    System.out.println("[e2e] " + why + "; using the cached trixie binaries " + newest.root.getParent());
                    return newest;
                }
                throw new IOException(why);
            }
            String key = candidates.get("ipxe") + "_" + candidates.get("ovmf");
            Trixie t = new Trixie(cache.resolve("trixie-" + key.replace(':', '_').replace('+', '_')), key);
            if (t.complete()) {
                return t;
            }
            long t0 = System.nanoTime();
            System.out.println("[e2e] fetching trixie " + candidates + " into " + t.root.getParent());
            build(apt, candidates, t);
            System.out.printf("[e2e] trixie binaries ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            return t;
        }
    }

    /** The machine's Debian mirror: {@code -Dbootdesk.e2e.debianMirror}, else the first Debian URI apt uses. */
    static String mirror() throws IOException {
        String p = System.getProperty("bootdesk.e2e.debianMirror");
        if (p != null && !p.isBlank()) {
            return p.strip();
        }
        List<Path> files = new ArrayList<>();
        for (Path d : List.of(Path.of("/etc/apt/sources.list.d"))) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(f -> f.toString().endsWith(".sources")).sorted().forEach(files::add);
                }
            }
        }
        for (Path f : files) { // deb822: "URIs: http://deb.debian.org/debian"
            for (String line : Files.readAllLines(f)) {
                Matcher m = Pattern.compile("^URIs:\\s*(\\S+)").matcher(line.strip());
                if (m.find() && m.group(1).contains("debian") && !m.group(1).contains("security")) {
                    return m.group(1);
                }
            }
        }
        List<Path> lists = new ArrayList<>(List.of(Path.of("/etc/apt/sources.list")));
        if (Files.isDirectory(Path.of("/etc/apt/sources.list.d"))) {
            try (Stream<Path> s = Files.list(Path.of("/etc/apt/sources.list.d"))) {
                s.filter(f -> f.toString().endsWith(".list")).sorted().forEach(lists::add);
            }
        }
        Pattern deb = Pattern.compile("^deb\\s+(\\[[^]]*]\\s+)?([a-z]+://\\S+)");
        for (Path f : lists) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            for (String line : Files.readAllLines(f)) {
                Matcher m = deb.matcher(line.strip());
                if (m.find() && m.group(2).contains("debian") && !m.group(2).contains("security")) {
                    return m.group(2);
                }
            }
        }
        throw new IOException("no Debian mirror in the apt configuration (/etc/apt/sources.list{,.d}); set "
                + "-Dbootdesk.e2e.debianMirror=URL");
    }

    private static void prepare(Path apt, String mirror) throws IOException {
        for (String d : List.of("state/lists/partial", "cache/archives/partial", "etc/preferences.d", "debs")) {
            Files.createDirectories(apt.resolve(d));
        }
        Files.writeString(apt.resolve("etc/sources.list"), "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
                + mirror + " trixie main\n");
        Path status = apt.resolve("state/status");
        if (!Files.exists(status)) {
            Files.createFile(status); // an empty dpkg status: the host's installed packages play no part
        }
    }

    /** apt-get/apt-cache with everything it reads or writes under {@code apt}. */
    private static Cmd.Result apt(Path apt, Path cwd, Duration timeout, String... args) {
        return apt("apt-get", apt, cwd, timeout, args);
    }

    private static Cmd.Result apt(String tool, Path apt, Path cwd, Duration timeout, String... args) {
        List<String> c = Cmd.list(tool,
                "-o", "Dir::Etc::SourceList=" + apt.resolve("etc/sources.list"),
                "-o", "Dir::Etc::SourceParts=/nonexistent",
                "-o", "Dir::Etc::Preferences=" + apt.resolve("etc/preferences"),
                "-o", "Dir::Etc::PreferencesParts=" + apt.resolve("etc/preferences.d"),
                "-o", "Dir::State=" + apt.resolve("state"),
                "-o", "Dir::State::status=" + apt.resolve("state/status"),
                "-o", "Dir::Cache=" + apt.resolve("cache"),
                "-o", "APT::Sandbox::User=root",
                "-o", "Debug::NoLocking=1");
        c.addAll(List.of(args));
        return Cmd.run(timeout, cwd, c);
    }

    /** Package -> candidate version from the private lists; null if any is unknown. */
    private static Map<String, String> candidates(Path apt) {
        if (!Files.isRegularFile(apt.resolve("etc/sources.list"))) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String pkg : PACKAGES) {
            Cmd.Result r = apt("apt-cache", apt, null, Duration.ofMinutes(1), "show", "--no-all-versions", pkg);
            if (!r.ok()) {
                return null;
            }
            String v = r.output().lines().filter(l -> l.startsWith("Version: ")).map(l -> l.substring(9).strip())
                    .findFirst().orElse(null);
            if (v == null) {
                return null;
            }
            m.put(pkg, v);
        }
        return m;
    }

    private static void build(Path apt, Map<String, String> candidates, Trixie target) throws IOException {
        Path debs = apt.resolve("debs");
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : candidates.entrySet()) {
            Path deb = findDeb(debs, e.getKey(), e.getValue());
            if (deb == null) {
                Cmd.Result r = apt(apt, debs, Duration.ofMinutes(10), "download", "-q", e.getKey() + "=" + e.getValue());
                deb = findDeb(debs, e.getKey(), e.getValue());
                if (!r.ok() || deb == null) {
                    throw new IOException("apt-get download " + e.getKey() + "=" + e.getValue() + " (trixie) failed:\n"
                            + tail(r.output()));
                }
            }
            files.add(deb);
        }
        Path dir = target.root.getParent();
        Path work = Files.createTempDirectory(dir.getParent(), "trixie-build-");
        try {
            Path root = work.resolve("root");
            for (Path deb : files) {
                Cmd.run(Duration.ofMinutes(5), null, "dpkg-deb", "-x", deb.toString(), root.toString()).check();
            }
            Path ipxe = work.resolve("ipxe");
            Files.createDirectories(ipxe);
            Path lib = root.resolve("usr/lib/ipxe");
            for (String f : List.of("undionly.kpxe", "snponly.efi", "ipxe-amd64.efi")) {
                Files.copy(lib.resolve(f), ipxe.resolve(f));
            }
            Files.copy(lib.resolve("ipxe-amd64.efi"), ipxe.resolve("ipxe.efi"));
            Files.writeString(work.resolve("versions.txt"), candidates + "\n");
            BootPayload.deleteTree(dir);
            try {
                Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(work, dir);
            }
        } finally {
            BootPayload.deleteTree(work);
        }
        if (!target.complete()) {
            throw new IOException("the trixie packages " + candidates + " do not hold the expected files (see "
                    + dir + ")");
        }
    }

    private static Path findDeb(Path debs, String pkg, String version) throws IOException {
        String v = version.replace(":", "%3a");
        try (Stream<Path> s = Files.list(debs)) {
            return s.filter(p -> p.getFileName().toString().startsWith(pkg + "_" + v + "_")
                    && p.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
        }
    }

    private static Duration listsAge(Path lists) {
        try (Stream<Path> s = Files.list(lists)) {
            FileTime newest = s.filter(p -> p.getFileName().toString().endsWith("_Packages")
                            || p.getFileName().toString().endsWith("_Packages.lz4")
                            || p.getFileName().toString().contains("Packages"))
                    .map(p -> {
                        try {
                            return Files.getLastModifiedTime(p);
                        } catch (IOException e) {
                            return FileTime.fromMillis(0);
                        }
                    }).max(Comparator.naturalOrder()).orElse(FileTime.fromMillis(0));
            return Duration.between(newest.toInstant(), Instant.now());
        } catch (IOException e) {
            return Duration.ofDays(36500);
        }
    }

    private static Trixie newestCached(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().startsWith("trixie-")
                            && !p.getFileName().toString().equals("trixie-apt"))
                    .map(p -> new Trixie(p, p.getFileName().toString().substring("trixie-".length())))
                    .filter(Trixie::complete)
                    .max(Comparator.comparing(t -> t.root.toFile().lastModified()))
                    .orElse(null);
        }
    }

    private static String tail(String s) {
        List<String> l = s.strip().lines().toList();
        return String.join("\n", l.subList(Math.max(0, l.size() - 15), l.size()));
    }

    @Override
    public String toString() {
        return "Trixie[" + versions + " in " + root.getParent() + "]";
    }
}
