package io.bootdesk.installer;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.testing.Requirements;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's acceptance on the machine itself, with the .deb that {@code ./mvnw -Pinstaller package} built
 * (target/installer): {@code dpkg -i}; the launcher, the menu entry ({@code desktop-file-validate}) and the file
 * capabilities ({@code getcap}) are there; the installed launcher, started as an unprivileged user under Xvfb, shows
 * the main window (screenshot: target/installer/installed-window.png); the same launcher headless, as that user,
 * binds DHCP 67, PXE 4011, TFTP 69, HTTP 80 and HTTPS 443 on an interface inside a network namespace made here and
 * answers a real DHCP client (busybox udhcpc) in a peer namespace, then TFTP and HTTP(S) from it; {@code dpkg -r}
 * removes everything the package added and leaves the user's data directory alone.
 *
 * <p>Needs root (it installs a package, adds a user, makes namespaces); skips with a printed reason elsewhere, fails
 * instead with {@code -Dbootdesk.e2e=required} (CI). It refuses to run where a {@code bootdesk} package is already
 * installed. Everything it makes is removed in {@code finally}: processes by PID, namespaces, the user, the package.
 */
class InstallerIT {
    private static final Path LAUNCHER = Path.of("/opt/bootdesk/bin/BootDesk");
    private static final Path COMMAND = Path.of("/usr/bin/bootdesk");
    private static final Path DESKTOP = Path.of("/usr/share/applications/bootdesk.desktop");
    private static final Path UNIT = Path.of("/lib/systemd/system/bootdesk@.service");
    private static final Path ICON = Path.of("/usr/share/icons/hicolor/256x256/apps/bootdesk.png");
    private static final long PID = ProcessHandle.current().pid() % 100_000;
    private static final String USER = "bdit" + PID;
    private static final String SRV_NS = "bdi" + PID + "s";
    private static final String CLI_NS = "bdi" + PID + "c";
    private static final String SRV_IF = "bdis0";
    private static final String CLI_IF = "bdic0";
    private static final String SRV_IP = "10.231.0.1";

    private final List<Process> started = new ArrayList<>();

    @Test
    void installShowTheWindowServeAsAUserAndRemove() throws Exception {
        Path dir = Path.of(System.getProperty("bootdesk.installer.dir", "target/installer"));
        Path deb = debIn(dir);
        Requirements.require(deb != null, "a .deb in " + dir + " (build it with ./mvnw -Pinstaller verify)");
        Requirements.requireRoot();
        for (String[] c : new String[][] {{"dpkg", "dpkg"}, {"ip", "iproute2"}, {"setpriv", "util-linux"},
                {"useradd", "passwd"}, {"busybox", "busybox-static"}, {"Xvfb", "xvfb"}, {"xwininfo", "x11-utils"},
                {"desktop-file-validate", "desktop-file-utils"}, {"getcap", "libcap2-bin"}, {"curl", "curl"}}) {
            Requirements.requireCommand(c[0], c[1]);
        }
        Requirements.requireFile(Path.of("/usr/lib/ipxe/undionly.kpxe"), "ipxe");
        String status = run(10, "dpkg-query", "-W", "-f", "${Status}", "bootdesk").output();
        Requirements.require(!Files.exists(LAUNCHER) && !status.matches("(?s).*(ok installed|unpacked|half-).*"),
                "no bootdesk package installed on this machine already (the test installs and removes its own): " + status);
        theRpmIsThereToo(dir);
        System.out.println("InstallerIT: installing " + deb + " (" + Files.size(deb) / 1_000_000 + " MB)");
        Path home = Path.of("/home", USER);
        Path dataDir = home.resolve(".local/share/bootdesk");
        boolean installed = false;
        try {
            Result install = run(300, "dpkg", "-i", deb.toString());
            installed = true;
            assertThat(install.exit()).as("dpkg -i: " + install.output()).isZero();
            installedFilesAreThere();

            Result add = run(30, "useradd", "--create-home", "--shell", "/bin/sh", USER);
            assertThat(add.exit()).as("useradd: " + add.output()).isZero();

            theWindowOpensAsTheUser(home, dir.resolve("installed-window.png"));
            theEngineServesAsTheUserInANamespace(home);
            theInstalledRuntimeDrivesAJetKvm(home);
            assertThat(dataDir.resolve("bootdesk.db")).as("the user's data").exists();
            withoutCapabilitiesServeSaysWhatToDo(home);

            Result remove = run(120, "dpkg", "-r", "bootdesk");
            installed = false;
            assertThat(remove.exit()).as("dpkg -r: " + remove.output()).isZero();
            for (Path gone : List.of(LAUNCHER.getParent().getParent(), DESKTOP, UNIT, ICON)) {
                assertThat(gone).as("removed by dpkg -r").doesNotExist();
            }
            assertThat(Files.isSymbolicLink(COMMAND) || Files.exists(COMMAND)).as(COMMAND + " removed").isFalse();
            assertThat(dataDir.resolve("bootdesk.db")).as("dpkg -r leaves the user's data directory alone").exists();
            assertThat(dataDir.resolve("ca")).exists();
        } finally {
            for (Process p : started) {
                stop(p);
            }
            run(10, "ip", "netns", "del", SRV_NS);
            run(10, "ip", "netns", "del", CLI_NS);
            if (installed) {
                System.out.println("InstallerIT: dpkg -r after a failure: " + run(120, "dpkg", "-r", "bootdesk").output());
            }
            if (run(10, "id", "-u", USER).exit() == 0) {
                run(30, "userdel", "--remove", USER);
            }
        }
    }

    /** The .rpm cannot be installed here (Debian); what can be checked without installing it is. */
    private static void theRpmIsThereToo(Path dir) throws IOException {
        Path rpm;
        try (Stream<Path> s = Files.list(dir)) {
            rpm = s.filter(p -> p.getFileName().toString().endsWith(".rpm")).findFirst().orElse(null);
        }
        if (!Requirements.required() && (rpm == null || !Requirements.onPath("rpm"))) {
            System.out.println("InstallerIT: no .rpm checked (built with -Dbootdesk.installer.types=deb, or no rpm tool)");
            return;
        }
        Requirements.requireCommand("rpm", "rpm");
        assertThat(rpm).as("an .rpm beside the .deb in " + dir + " (CI builds both)").isNotNull();
        assertThat(run(30, "rpm", "-qp", "--recommends", rpm.toString()).output()).contains("ipxe-bootimgs-x86");
        assertThat(run(30, "rpm", "-qp", "--requires", rpm.toString()).output()).contains("gtk3").contains("/usr/sbin/setcap");
        String scripts = run(30, "rpm", "-qp", "--scripts", rpm.toString()).output();
        assertThat(scripts).contains("bootdesk-setup.sh install").contains("bootdesk-setup.sh remove");
        assertThat(run(30, "rpm", "-qpl", rpm.toString()).output()).contains(LAUNCHER.toString())
                .contains("/opt/bootdesk/lib/app/bootdesk@.service");
        System.out.println("InstallerIT: " + rpm.getFileName() + " (" + Files.size(rpm) / 1_000_000 + " MB) checked with rpm -qp");
    }

    private static Path debIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
        }
    }

    private static void installedFilesAreThere() throws IOException {
        assertThat(Files.isExecutable(LAUNCHER)).as(LAUNCHER + " executable").isTrue();
        assertThat(COMMAND.toRealPath()).as("/usr/bin/bootdesk").isEqualTo(LAUNCHER.toRealPath());
        Result valid = run(30, "desktop-file-validate", DESKTOP.toString());
        assertThat(valid.exit()).as("desktop-file-validate " + DESKTOP + ": " + valid.output()).isZero();
        assertThat(Files.readString(DESKTOP)).contains("Exec=" + LAUNCHER).contains("Icon=bootdesk");
        assertThat(ICON).exists();
        Result caps = run(30, "getcap", LAUNCHER.toString());
        System.out.println("InstallerIT: getcap: " + caps.output().trim());
        assertThat(caps.output()).contains("cap_net_bind_service").contains("cap_net_raw").contains("=ep");
        assertThat(UNIT).exists();
        assertThat(Files.readString(UNIT)).contains("ExecStart=" + LAUNCHER + " serve --interface %i");
        try (Stream<Path> wants = Files.exists(Path.of("/etc/systemd/system"))
                ? Files.walk(Path.of("/etc/systemd/system")) : Stream.empty()) {
            assertThat(wants.filter(p -> p.getFileName().toString().startsWith("bootdesk")).toList())
                    .as("the service is installed disabled").isEmpty();
        }
        Result recommends = run(10, "dpkg-query", "-W", "-f", "${Recommends}|${Depends}", "bootdesk");
        assertThat(recommends.output()).as("Recommends|Depends").startsWith("ipxe").contains("libgtk-3-0");
    }

    /** The installed launcher with no arguments, as the user, on an Xvfb whose screen is a file we can read. */
    private void theWindowOpensAsTheUser(Path home, Path screenshot) throws Exception {
        Path fb = Files.createTempDirectory("bootdesk-xvfb");
        int free = 90 + (int) (PID % 100);
        while (Files.exists(Path.of("/tmp/.X11-unix/X" + free)) || Files.exists(Path.of("/tmp/.X" + free + "-lock"))) {
            free++;
        }
        int display = free;
        Process xvfb = start(fb.resolve("xvfb.log"), "Xvfb", ":" + display, "-screen", "0", "1280x800x24",
                "-fbdir", fb.toString(), "-nolisten", "tcp", "-ac");
        waitFor(Duration.ofSeconds(20), () -> Files.exists(Path.of("/tmp/.X11-unix/X" + display)), "Xvfb :" + display);
        Path log = fb.resolve("window.log");
        Process gui = start(log, asUser(home, List.of("env", "DISPLAY=:" + display, COMMAND.toString())));
        try {
            waitFor(Duration.ofSeconds(90), () -> run(10, "xwininfo", "-display", ":" + display, "-root", "-tree")
                    .output().contains("\"BootDesk\": (\"io.bootdesk.ui.BootDeskApp\""), "the BootDesk window");
            Thread.sleep(4000); // the first frames, the set-up's fade-in
            BufferedImage shot = readXwd(fb.resolve("Xvfb_screen0"));
            Files.createDirectories(screenshot.getParent());
            ImageIO.write(shot, "png", screenshot.toFile());
            System.out.println("InstallerIT: screenshot of the installed launcher's window: " + screenshot.toAbsolutePath());
            assertThat(colours(shot)).as("the window is drawn (colours on screen)").isGreaterThan(20);
            assertThat(gui.isAlive()).as("the window still runs: " + Files.readString(log)).isTrue();
            assertThat(Files.readString(log)).contains("BootDesk console is open");
        } finally {
            stop(gui);
            stop(xvfb);
            try (Stream<Path> files = Files.walk(fb)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private void theEngineServesAsTheUserInANamespace(Path home) throws Exception {
        for (String[] c : new String[][] {
                {"ip", "netns", "add", SRV_NS}, {"ip", "netns", "add", CLI_NS},
                {"ip", "link", "add", SRV_IF, "netns", SRV_NS, "type", "veth", "peer", "name", CLI_IF, "netns", CLI_NS},
                {"ip", "-n", SRV_NS, "addr", "add", SRV_IP + "/24", "dev", SRV_IF},
                {"ip", "-n", SRV_NS, "link", "set", "lo", "up"}, {"ip", "-n", SRV_NS, "link", "set", SRV_IF, "up"},
                {"ip", "-n", CLI_NS, "link", "set", "lo", "up"}, {"ip", "-n", CLI_NS, "link", "set", CLI_IF, "up"}}) {
            Result r = run(10, c);
            assertThat(r.exit()).as(String.join(" ", c) + ": " + r.output()).isZero();
        }
        Path log = Files.createTempFile("bootdesk-serve", ".log");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", SRV_NS));
        cmd.addAll(asUser(home, List.of(COMMAND.toString(), "serve", "--interface", SRV_IF)));
        Process serve = start(log, cmd);
        try {
            waitFor(Duration.ofSeconds(60), () -> read(log).contains("BootDesk is serving") || !serve.isAlive(),
                    "serve to start");
            String out = read(log);
            assertThat(out).as("serve as " + USER).contains("BootDesk is serving on " + SRV_IF)
                    .contains("port 67 and " + SRV_IP + ":4011").contains(SRV_IP + ":69")
                    .contains("HTTP on " + SRV_IP + ":80").contains("HTTPS on " + SRV_IP + ":443");
            String status = Files.readString(Path.of("/proc/" + serve.pid() + "/status"));
            System.out.println("InstallerIT: serve process " + serve.pid() + ":\n" + status.lines()
                    .filter(l -> l.startsWith("Uid") || l.startsWith("Cap")).reduce("", (a, b) -> a + "  " + b + "\n"));
            assertThat(status).as("an unprivileged user").doesNotContain("Uid:\t0\t");
            long eff = Long.parseLong(status.replaceAll("(?s).*CapEff:\\s*([0-9a-f]+).*", "$1"), 16);
            assertThat(eff).as("effective capabilities: exactly net_bind_service (10) and net_raw (13)")
                    .isEqualTo((1L << 10) | (1L << 13));

            Result dhcp = run(30, "ip", "netns", "exec", CLI_NS, "busybox", "udhcpc", "-i", CLI_IF, "-f", "-n", "-q",
                    "-t", "5", "-T", "1", "-s", "/bin/true");
            System.out.println("InstallerIT: udhcpc: " + dhcp.output().trim());
            assertThat(dhcp.exit()).as("a DHCP lease from the installed BootDesk: " + dhcp.output()).isZero();
            Matcher lease = Pattern.compile("lease of (10\\.231\\.0\\.\\d+) obtained from " + Pattern.quote(SRV_IP))
                    .matcher(dhcp.output());
            assertThat(lease.find()).as(dhcp.output()).isTrue();
            assertThat(run(10, "ip", "-n", CLI_NS, "addr", "add", lease.group(1) + "/24", "dev", CLI_IF).exit()).isZero();

            Path got = Files.createTempFile("bootdesk-tftp", ".kpxe");
            Result tftp = run(30, "ip", "netns", "exec", CLI_NS, "busybox", "tftp", "-g", "-r", "undionly.kpxe",
                    "-l", got.toString(), SRV_IP);
            assertThat(tftp.exit()).as("TFTP from port 69: " + tftp.output()).isZero();
            assertThat(Files.mismatch(got, Path.of("/usr/lib/ipxe/undionly.kpxe")))
                    .as("the distribution's iPXE, found by the installed BootDesk").isEqualTo(-1L);
            Files.deleteIfExists(got);

            String mac = run(10, "ip", "-n", CLI_NS, "-o", "link", "show", CLI_IF).output()
                    .replaceAll("(?s).*link/ether ([0-9a-f:]{17}).*", "$1");
            for (String url : List.of("http://" + SRV_IP + "/boot/" + mac + ".ipxe", "https://" + SRV_IP + "/boot/" + mac + ".ipxe")) {
                Result http = run(30, "ip", "netns", "exec", CLI_NS, "curl", "-ksS", "-o", "/dev/null",
                        "-w", "%{http_code}", url);
                assertThat(http.output()).as(url).isEqualTo("200");
            }
        } finally {
            stop(serve);
            System.out.println("InstallerIT: serve's output:\n" + read(log));
            Files.deleteIfExists(log);
        }
    }

    /** Where the capabilities are lost (here: removed), serve stops at once and names the alternatives. */
    /**
     * The packaged runtime has what the network consoles need: java.net.http (jlink keeps only listed modules) and
     * webrtc-java's native library with the system libraries it links (the package's dependencies): as the user,
     * {@code console power} resets a machine through a JetKVM (the loopback fake, in noPassword mode).
     */
    private void theInstalledRuntimeDrivesAJetKvm(Path home) throws Exception {
        try (io.bootdesk.console.jetkvm.FakeJetKvm kvm = new io.bootdesk.console.jetkvm.FakeJetKvm(null)) {
            kvm.machinePower = true;
            String mac = "52:54:00:00:1e:01";
            Result bind = run(60, asUser(home, List.of(COMMAND.toString(), "console", "bind", mac, "jetkvm",
                    "127.0.0.1:" + kvm.uri().getPort())));
            assertThat(bind.exit()).as("console bind: " + bind.output()).isZero();
            Result reset = run(120, asUser(home, List.of(COMMAND.toString(), "console", "power", mac, "reset")));
            System.out.println("InstallerIT: console power reset through a JetKVM: " + reset.output().trim());
            assertThat(reset.exit()).as("console power: " + reset.output()).isZero();
            assertThat(kvm.atxActions).containsExactly("reset");
            run(30, asUser(home, List.of(COMMAND.toString(), "console", "unbind", mac)));
        }
    }

    private void withoutCapabilitiesServeSaysWhatToDo(Path home) throws Exception {
        assertThat(run(10, "setcap", "-r", LAUNCHER.toString()).exit()).isZero();
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", SRV_NS));
        cmd.addAll(asUser(home, List.of(COMMAND.toString(), "serve", "--interface", SRV_IF)));
        Result r = run(60, cmd);
        System.out.println("InstallerIT: serve without the capabilities: " + r.output().trim());
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("UDP 0.0.0.0:67").contains("need privileges")
                .contains("setcap cap_net_bind_service,cap_net_raw+ep " + LAUNCHER).contains("getcap")
                .contains("systemctl enable --now bootdesk@IF");
    }

    /** {@code command} as the test user: its uid, gid and groups, no inheritable capabilities, its HOME. */
    private static List<String> asUser(Path home, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups",
                "--inh-caps=-all", "env", "-i", "HOME=" + home, "USER=" + USER, "LOGNAME=" + USER,
                "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"));
        cmd.addAll(command);
        return cmd;
    }

    // --- an XWD screen (Xvfb -fbdir) as an image

    static BufferedImage readXwd(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int headerSize = b.getInt(0);
        if (headerSize < 100 || headerSize > 4096) {
            b.order(ByteOrder.LITTLE_ENDIAN);
            headerSize = b.getInt(0);
        }
        int width = b.getInt(16);
        int height = b.getInt(20);
        int byteOrder = b.getInt(28); // 0: LSBFirst
        int bitsPerPixel = b.getInt(44);
        int bytesPerLine = b.getInt(48);
        int redMask = b.getInt(56);
        int greenMask = b.getInt(60);
        int blueMask = b.getInt(64);
        int ncolors = b.getInt(76);
        if (bitsPerPixel != 32) {
            throw new IOException("XWD with " + bitsPerPixel + " bits per pixel (Xvfb -screen 0 WxHx24 writes 32)");
        }
        int data = headerSize + ncolors * 12;
        ByteBuffer px = b.duplicate().order(byteOrder == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = px.getInt(data + y * bytesPerLine + x * 4);
                img.setRGB(x, y, channel(v, redMask) << 16 | channel(v, greenMask) << 8 | channel(v, blueMask));
            }
        }
        return img;
    }

    private static int channel(int v, int mask) {
        return mask == 0 ? 0 : ((v & mask) >>> Integer.numberOfTrailingZeros(mask)) & 0xff;
    }

    private static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    // --- processes

    record Result(int exit, String output) {
    }

    static Result run(int seconds, String... command) {
        return run(seconds, List.of(command));
    }

    static Result run(int seconds, List<String> command) {
        try {
            Path out = Files.createTempFile("bootdesk-it", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            return new Result(done ? p.exitValue() : -1, done ? text : text + " (timed out after " + seconds + " s)");
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private Process start(Path log, String... command) throws IOException {
        return start(log, List.of(command));
    }

    private Process start(Path log, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    /** SIGTERM, then SIGKILL: the process (by its PID) and anything it started. */
    private static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Duration limit, Check check, String what) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(250);
        }
    }
}
