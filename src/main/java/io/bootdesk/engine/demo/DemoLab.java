package io.bootdesk.engine.demo;

import io.bootdesk.engine.Engine;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.net.NativeNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The try-it sandbox: a private network with BootDesk serving it and QEMU machines booting from it, all inside one
 * network namespace this class creates, so nothing reaches a real interface:
 * <pre>
 *  netns bd-demo-PID-N (no default route, no link to the host)
 *    demo0  bridge 10.213.S.1/24, fd42:6264:S::1/64   &lt;- BootDesk's engine (DHCP full mode, TFTP, HTTP, HTTPS)
 *     +- demo-carrier (veth to demo-carrier0: the bridge has a carrier before QEMU opens its taps)
 *     +- tap0 &lt;- QEMU "demo-bios" (SeaBIOS + iPXE ROM)
 *     +- tap1 &lt;- QEMU "demo-uefi" (OVMF + iPXE EFI ROM), when OVMF is installed
 * </pre>
 * <b>The engine runs in this JVM, inside the namespace:</b> a dedicated thread enters it with {@code setns(2)}
 * ({@link NativeNet#enterNetworkNamespace}) and starts the {@link Engine}. Linux keeps the network namespace per
 * thread, a socket belongs to the namespace of the thread that creates it, and a new thread starts in its
 * creator's namespace. The engine opens its listening sockets on that thread, and every thread that opens sockets
 * later (Netty's event loops, which open TFTP's per-transfer sockets and accept HTTP connections, the router
 * advertiser, the background executor that re-reads the interface) is started from it or from one of its threads.
 * The rest of the JVM (the window, the operator's own engine) stays in the host's namespace. This holds only as
 * long as the engine creates no sockets on threads of JVM-wide pools (the common ForkJoinPool, virtual threads'
 * carriers), whose namespace is that of whoever started them; it uses none. Sockets created in the wrong namespace
 * would fail loudly rather than leak: the bridge and its address exist only inside the namespace.
 * <p>
 * Names are {@code bd-demo-<jvm pid>-<n>}; {@link #close()} (also run by a shutdown hook) stops QEMU by PID, closes
 * the engine, kills what is left in the namespace by PID and deletes it. A later demo removes namespaces whose JVM
 * is gone.
 */
public final class DemoLab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoLab.class);
    public static final String PREFIX = "bd-demo-";
    public static final String BRIDGE = "demo0";
    static final String CARRIER = "demo-carrier";
    static final String CARRIER_PEER = "demo-carrier0";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();
    private static final Duration ENGINE_START = Duration.ofMinutes(3);

    /**
     * @param workDir        data dir, image and machine logs (deleted by {@link #close()} unless {@code keepFiles});
     *                       null: a new directory named after the namespace in java.io.tmpdir
     * @param machines       1 (BIOS) or 2 (BIOS + UEFI, when OVMF is installed)
     * @param kernel         the demo image's kernel (null: a readable /boot/vmlinuz-* or a downloaded one)
     * @param downloadKernel the user agreed to download Debian's cloud kernel when there is none
     * @param keepFiles      keep {@code workDir} after the demo (tests read the logs)
     */
    public record Options(Path workDir, int machines, Path kernel, boolean downloadKernel, boolean keepFiles) {
        public static Options defaults() {
            return new Options(null, 2, null, false, false);
        }

        public Options withMachines(int n) {
            return new Options(workDir, n, kernel, downloadKernel, keepFiles);
        }

        public Options withKernel(Path k) {
            return new Options(workDir, machines, k, downloadKernel, keepFiles);
        }

        public Options withDownloadKernel(boolean d) {
            return new Options(workDir, machines, kernel, d, keepFiles);
        }

        public Options keepingFiles(Path dir) {
            return new Options(dir, machines, kernel, downloadKernel, true);
        }
    }

    private final Options options;
    private final int seq;
    private final Path workDir;
    private final String namespace;
    private final int subnet;
    private final Path dataDir;
    private final List<DemoMachine> machines = new ArrayList<>();
    private final List<String> taps = new ArrayList<>();
    private final Thread shutdownHook;
    private volatile Engine engine;
    private boolean created;
    private boolean imageAdded;
    private boolean closed;

    private DemoLab(Options options) {
        this.options = options;
        this.seq = COUNTER.incrementAndGet();
        this.namespace = PREFIX + PID + "-" + seq;
        this.workDir = options.workDir() != null ? options.workDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "bootdesk-" + namespace);
        this.subnet = ThreadLocalRandom.current().nextInt(16, 250);
        this.dataDir = workDir.resolve("data");
        this.shutdownHook = new Thread(this::close, "bootdesk-demo-cleanup-" + namespace);
    }

    /**
     * Checks the prerequisites, builds the namespace, starts the engine in it and the machines on it. Fails as a
     * whole (everything made so far is removed) with a sentence naming the cause.
     */
    public static DemoLab start(Options options, Consumer<String> progress) throws IOException {
        DemoPrerequisites pre = DemoPrerequisites.check();
        if (!pre.ready()) {
            throw new IOException(pre.message());
        }
        cleanLeftovers();
        DemoLab lab = new DemoLab(options);
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.build(pre, progress);
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void build(DemoPrerequisites pre, Consumer<String> progress) throws IOException {
        int count = Math.max(1, Math.min(options.machines(), pre.uefi() ? 2 : 1));
        Files.createDirectories(dataDir);
        progress.accept("Creating the private network " + net(0) + "/24 in namespace " + namespace + "…");
        createNetwork(count);
        checkIsolation();

        progress.accept("Preparing the demo image…");
        addImage(pre, progress);

        progress.accept("Starting BootDesk inside " + namespace + "…");
        engine = startEngineInNamespace(engineConfig());

        io.bootdesk.engine.Workspace names = engine.workspace(); // the engine's own connection; it shows them at once
        for (int i = 0; i < count; i++) {
            DemoMachine.Firmware fw = i == 0 ? DemoMachine.Firmware.BIOS : DemoMachine.Firmware.UEFI;
            String name = "demo-" + fw.name().toLowerCase(Locale.ROOT);
            MacAddress mac = MacAddress.parse(String.format(Locale.ROOT, "52:54:00:de:%02x:%02x", PID & 0xff,
                    (seq * 4 + i) & 0xff));
            names.rename(mac, name);
            engine.inventory().refresh();
            progress.accept("Starting QEMU machine " + name + " (" + fw + ", " + mac + ")…");
            machines.add(DemoMachine.start(namespace, taps.get(i), name, mac, fw, workDir.resolve(name)));
        }
        progress.accept("Demo running: " + count + (count == 1 ? " machine" : " machines") + " on " + net(0)
                + "/24 (namespace " + namespace + ")" + (imageAdded ? "; drag " + DemoImage.NAME
                + " onto a waiting machine." : "."));
    }

    // ------------------------------------------------------------------ network

    private void createNetwork(int count) throws IOException {
        DemoCommands.ip("netns", "add", namespace);
        created = true;
        ip("link", "set", "lo", "up");
        ip("link", "add", BRIDGE, "type", "bridge", "stp_state", "0", "forward_delay", "0");
        ip("addr", "add", serverIp() + "/24", "dev", BRIDGE);
        // a ULA /64 so BootDesk's router advertisements carry a prefix (and end iPXE's IPv6 router wait)
        ip("addr", "add", "fd42:6264:0:" + Integer.toHexString(subnet) + "::1/64", "dev", BRIDGE, "nodad");
        // a veth pair, one end on the bridge (a dummy would do, but its module is missing in many containers)
        ip("link", "add", CARRIER, "type", "veth", "peer", "name", CARRIER_PEER);
        ip("link", "set", CARRIER, "master", BRIDGE);
        ip("link", "set", CARRIER_PEER, "up");
        for (int i = 0; i < count; i++) {
            String tap = "tap" + i;
            ip("tuntap", "add", "dev", tap, "mode", "tap");
            ip("link", "set", tap, "master", BRIDGE);
            ip("link", "set", tap, "up");
            taps.add(tap);
        }
        ip("link", "set", CARRIER, "up");
        ip("link", "set", BRIDGE, "up");
        // the bridge is "up" for BootDesk (IFF_RUNNING) once a port forwards, a moment after the links came up
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = DemoCommands.ip("-o", "-n", namespace, "link", "show", BRIDGE);
            if (state.contains("LOWER_UP") && !state.contains("NO-CARRIER")) {
                return;
            }
            sleep(100);
        }
        throw new IOException("the demo bridge " + BRIDGE + " has no carrier after 15 s: " + state.strip());
    }

    /** No default route (IPv4 or IPv6) and exactly the demo's links in the namespace; throws otherwise. */
    public void checkIsolation() throws IOException {
        for (String family : List.of("-4", "-6")) {
            String r = DemoCommands.ip(family, "-n", namespace, "route", "show", "default").strip();
            if (!r.isEmpty()) {
                throw new IOException("isolation: a default route in " + namespace + ": " + r);
            }
        }
        TreeSet<String> have = new TreeSet<>();
        for (String line : DemoCommands.ip("-o", "-n", namespace, "link", "show").split("\n")) {
            String[] f = line.split(": ", 3);
            if (f.length >= 2) {
                have.add(f[1].split("@")[0].strip());
            }
        }
        TreeSet<String> want = new TreeSet<>(List.of("lo", BRIDGE, CARRIER, CARRIER_PEER));
        want.addAll(taps);
        if (!have.equals(want)) {
            throw new IOException("isolation: links in " + namespace + " are " + have + ", expected " + want);
        }
    }

    private void ip(String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("-n", namespace));
        a.addAll(List.of(args));
        DemoCommands.ip(a.toArray(String[]::new));
    }

    // ------------------------------------------------------------------ image and engine

    private void addImage(DemoPrerequisites pre, Consumer<String> progress) throws IOException {
        Path kernel = options.kernel() != null ? options.kernel() : pre.kernel();
        if (kernel == null && options.downloadKernel() && pre.canDownloadKernel()) {
            kernel = DemoImage.downloadKernel(progress);
        }
        if (kernel == null) {
            progress.accept("No Linux kernel for the demo image: the machines will wait without an image.");
            return;
        }
        DemoImage.Parts parts = DemoImage.build(kernel, workDir.resolve("image"));
        try (Workspace ws = Workspace.open(dataDir)) {
            ws.addLinuxImage(DemoImage.NAME, parts.kernel(), List.of(parts.initrd()), DemoImage.CMDLINE);
        }
        imageAdded = true;
    }

    EngineConfig engineConfig() {
        return new EngineConfig(dataDir, BRIDGE, DhcpMode.FULL, net(100) + "-" + net(199), List.of(), null, List.of(),
                3600, 67, 4011, 69, 80, DemoPrerequisites.IPXE_DIR, null, true,
                new EngineConfig.Tls(443, 8443, false, false, false));
    }

    /**
     * Starts the engine on a thread that first enters the namespace (see the class comment), and checks that the
     * thread really is in it before anything is opened.
     */
    private Engine startEngineInNamespace(EngineConfig config) throws IOException {
        Path nsFile = Path.of("/run/netns", namespace);
        CompletableFuture<Engine> started = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().name("bootdesk-demo-start-" + namespace).start(() -> {
            try {
                NativeNet.get().enterNetworkNamespace(nsFile);
                String mine = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
                Object ino = Files.getAttribute(nsFile, "unix:ino");
                if (!mine.equals("net:[" + ino + "]")) {
                    throw new IOException("after setns this thread is in " + mine + ", not in " + nsFile + " (inode "
                            + ino + ")");
                }
                started.complete(Engine.start(config));
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        });
        try {
            return started.get(ENGINE_START.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException("BootDesk did not start in " + namespace + ": " + c, c);
        } catch (TimeoutException e) {
            t.interrupt();
            started.thenAccept(Engine::close);
            throw new IOException("BootDesk did not start in " + namespace + " within " + ENGINE_START.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.thenAccept(Engine::close);
            throw new IOException("interrupted while BootDesk started in " + namespace);
        }
    }

    // ------------------------------------------------------------------ accessors

    /** {@code 10.213.S.host}. */
    public String net(int host) {
        return "10.213." + subnet + "." + host;
    }

    public String serverIp() {
        return net(1);
    }

    public String namespace() {
        return namespace;
    }

    public Engine engine() {
        return engine;
    }

    public List<DemoMachine> machines() {
        return List.copyOf(machines);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path workDir() {
        return workDir;
    }

    /** The demo image is in the library (a kernel was found or downloaded). */
    public boolean hasImage() {
        return imageAdded;
    }

    public synchronized boolean closed() {
        return closed;
    }

    // ------------------------------------------------------------------ cleanup

    /**
     * Tears everything down: QEMU by PID, the engine, any process left in the namespace by PID, the namespace, the
     * work directory (unless kept). Safe to call twice and from the shutdown hook.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (DemoMachine m : machines) {
            m.stop();
        }
        Engine e = engine;
        if (e != null) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                log.warn("closing the demo engine: {}", ex.toString());
            }
        }
        if (created) {
            deleteNamespace(namespace);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // called from the hook during JVM shutdown
        }
        if (!options.keepFiles()) {
            DemoCommands.deleteTree(workDir);
        }
        log.info("demo {} ended: machines stopped, namespace deleted", namespace);
    }

    /** PIDs of the processes whose (main thread's) network namespace is {@code ns}. */
    public static List<Long> pids(String ns) {
        DemoCommands.Result r = DemoCommands.run(Duration.ofSeconds(20), null, List.of("ip", "netns", "pids", ns));
        List<Long> pids = new ArrayList<>();
        if (r.ok()) {
            for (String s : r.output().split("\\s+")) {
                if (!s.isBlank()) {
                    pids.add(Long.parseLong(s.strip()));
                }
            }
        }
        pids.remove(PID); // never this JVM (its main thread is not in a demo namespace anyway)
        return pids;
    }

    private static void deleteNamespace(String ns) {
        List<Long> pids = pids(ns);
        pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroy));
        long deadline = System.currentTimeMillis() + 3000;
        while (!pids.isEmpty() && System.currentTimeMillis() < deadline && !pids(ns).isEmpty()) {
            sleep(100);
        }
        for (long p : pids(ns)) {
            ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
        }
        DemoCommands.Result r = DemoCommands.run(Duration.ofSeconds(20), null, List.of("ip", "netns", "del", ns));
        if (!r.ok() && namespaces().contains(ns)) {
            log.warn("could not delete the demo namespace {}: {}", ns, r.output().strip());
        }
    }

    /** Names from {@code ip netns list}. */
    public static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        DemoCommands.Result r = DemoCommands.run(Duration.ofSeconds(20), null, List.of("ip", "netns", "list"));
        if (r.ok()) {
            for (String line : r.output().split("\n")) {
                String name = line.strip().split("\\s+")[0];
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Deletes demo namespaces whose JVM is gone (a crashed or killed earlier demo); leaves live ones alone. */
    static void cleanLeftovers() {
        for (String ns : namespaces()) {
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            long owner;
            try {
                owner = Long.parseLong(ns.substring(PREFIX.length()).split("-")[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            boolean alive = ProcessHandle.of(owner).filter(ProcessHandle::isAlive)
                    .map(h -> h.info().command().orElse("").endsWith("java")).orElse(false);
            if (!alive) {
                log.info("removing the leftover demo namespace {} (its BootDesk, pid {}, is gone)", ns, owner);
                deleteNamespace(ns);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "DemoLab[" + namespace + ", " + net(0) + "/24, " + machines + "]";
    }
}
