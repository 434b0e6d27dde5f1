import io.bootdesk.dhcp.DhcpCodec;
import io.bootdesk.dhcp.DhcpMessage;
import io.bootdesk.dhcp.DhcpOption;
import io.bootdesk.dhcp.MessageType;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.ConsoleWindow;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * bench/ui-load: the console window under load. A real engine on the loopback interface (unprivileged ports) is
 * fed real DHCP DISCOVERs: first N machines (default 10,000), then R events per second (default 1,000) for S
 * seconds (default 60), each a DISCOVER of a random one of those machines (an OFFER event and a row update). The
 * FX thread's responsiveness is measured with an AnimationTimer: the gaps between consecutive pulses (60 Hz when
 * idle); a stall is a gap beyond the pulse period. Prints the longest gap, percentiles, the UI update rate and
 * the events the engine published. A program, not a test.
 *
 *   bench/ui-load/run [--machines N] [--rate R] [--seconds S]
 */
public final class UiLoad {
    public static void main(String[] args) throws Exception {
        int machines = intArg(args, "--machines", 10_000);
        int rate = intArg(args, "--rate", 1_000);
        int seconds = intArg(args, "--seconds", 60);
        int control = intArg(args, "--control", 20);

        Path data = Files.createTempDirectory("bootdesk-ui-load");
        int dhcp = free();
        EngineConfig cfg = new EngineConfig(data, "lo", DhcpMode.FULL, "127.1.0.1-127.1.254.254", List.of(), null,
                List.of(), 3600, dhcp, free(), free(), free(), data.resolve("ipxe"), null, false);
        new SavedSetup("lo", DhcpMode.FULL).save(data);
        ConsoleSession session = new ConsoleSession(new ConsoleOptions(data, cfg, true, 67, 68, Duration.ofSeconds(1)));

        CountDownLatch up = new CountDownLatch(1);
        Platform.startup(up::countDown);
        up.await();
        ConsoleWindow[] w = new ConsoleWindow[1];
        fx(() -> {
            w[0] = new ConsoleWindow(session);
            Stage stage = new Stage();
            stage.setTitle("BootDesk ui-load");
            stage.setScene(w[0].scene(1280, 800));
            stage.show();
            w[0].open();
        });
        waitFor(session::serving, 20);
        System.out.printf(Locale.ROOT, "ui-load: JavaFX %s, prism %s, %s; engine on lo, DHCP port %d%n",
                System.getProperty("javafx.runtime.version"), System.getProperty("prism.order", "default"),
                System.getProperty("glass.platform", "gtk (" + System.getenv("DISPLAY") + ")"), dhcp);

        AtomicLong published = new AtomicLong();
        session.engine().orElseThrow().bus().subscribe(e -> published.incrementAndGet());

        // phase 1: the machines appear
        long t0 = System.nanoTime();
        try (DatagramSocket out = new DatagramSocket()) {
            InetAddress lo = InetAddress.getLoopbackAddress();
            for (int i = 0; i < machines; i++) {
                send(out, lo, dhcp, mac(i));
                if (i % 500 == 499) {
                    Thread.sleep(50); // ~10,000/s: the engine's one DHCP thread keeps up
                }
            }
            // UDP is lossy (like real clients, send again what was not heard)
            var inventory = session.engine().orElseThrow().inventory();
            long resent = 0;
            for (int round = 0; round < 30 && inventory.all().size() < machines; round++) {
                Thread.sleep(1000);
                for (int i = 0; i < machines; i++) {
                    if (inventory.get(mac(i)).isEmpty()) {
                        send(out, lo, dhcp, mac(i));
                        resent++;
                        if (resent % 500 == 0) {
                            Thread.sleep(50);
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "phase 1: engine has %,d machines (%,d DISCOVERs sent again)%n",
                    inventory.all().size(), resent);
            waitFor(() -> onFx(() -> w[0].machineCount()) >= machines, 120);
            System.out.printf(Locale.ROOT, "phase 1: %,d machines in the table after %.1f s%n", machines,
                    (System.nanoTime() - t0) / 1e9);
            fx(() -> w[0].select(mac(machines / 2)));
            Thread.sleep(2000);

            // control: the same window and rows with no events, to see what the machine's load alone does to the pulses
            if (control > 0) {
                long[] cg = measureIdle(control);
                System.out.printf(Locale.ROOT, "control (%d s, no events): FX pulses %,d; gap median %.1f ms, p99 %.1f ms,"
                        + " longest %.1f ms; gaps > 50 ms: %d%n", control, cg.length, ms(pct(cg, 50)), ms(pct(cg, 99)),
                        ms(cg.length == 0 ? 0 : cg[cg.length - 1]), Arrays.stream(cg).filter(x -> x > 50_000_000L).count());
            }

            // phase 2: measure the FX thread while events arrive at the given rate
            long[] gaps = new long[seconds * 400 + 1000];
            int[] count = {0};
            long[] last = {0};
            AnimationTimer timer = new AnimationTimer() {
                @Override
                public void handle(long now) {
                    if (last[0] != 0 && count[0] < gaps.length) {
                        gaps[count[0]++] = now - last[0];
                    }
                    last[0] = now;
                }
            };
            long updates0 = onFx(() -> w[0].updatesApplied());
            fx(() -> w[0].resetLongestUpdate());
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long fxCpu0 = onFx(mx::getCurrentThreadCpuTime);
            double load0 = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long pub0 = published.get();
            fx(timer::start);
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long sent = 0;
            java.util.Random rnd = new java.util.Random(42);
            while (System.nanoTime() < end) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                while (sent < due) {
                    send(out, lo, dhcp, mac(rnd.nextInt(machines)));
                    sent++;
                }
                Thread.sleep(1);
            }
            long elapsed = System.nanoTime() - start;
            Thread.sleep(500);
            fx(timer::stop);
            long updates = onFx(() -> w[0].updatesApplied()) - updates0;
            long fxCpu = onFx(mx::getCurrentThreadCpuTime) - fxCpu0;
            long longestUpdate = onFx(() -> w[0].longestUpdateNanos());
            double load1 = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long events = published.get() - pub0;

            long[] g = Arrays.copyOf(gaps, count[0]);
            Arrays.sort(g);
            double secs = elapsed / 1e9;
            System.out.printf(Locale.ROOT, "phase 2: %d s, %,d DISCOVERs sent (%.0f/s), %,d events published by the engine"
                    + " (%.0f/s)%n", seconds, sent, sent / secs, events, events / secs);
            System.out.printf(Locale.ROOT, "UI updates applied: %,d (%.1f/s, limit 20/s); rows: %,d%n", updates,
                    updates / secs, onFx(() -> w[0].machineCount()));
            System.out.printf(Locale.ROOT, "FX pulses: %,d; gap between pulses: median %.1f ms, p99 %.1f ms, p99.9 %.1f ms,"
                    + " longest %.1f ms; gaps > 50 ms: %d%n", g.length, ms(pct(g, 50)), ms(pct(g, 99)), ms(pct(g, 99.9)),
                    ms(g.length == 0 ? 0 : g[g.length - 1]), Arrays.stream(g).filter(x -> x > 50_000_000L).count());
            System.out.printf(Locale.ROOT, "FX thread CPU: %.1f s of %.1f s (%.0f %% busy); longest single UI update: %.1f ms"
                    + " (layout and rendering come after it, inside the pulse gap)%n", fxCpu / 1e9, secs,
                    100.0 * fxCpu / elapsed, ms(longestUpdate));
            System.out.printf(Locale.ROOT, "machine: %d cores, load average %.1f at the start of phase 2, %.1f at its end%n",
                    Runtime.getRuntime().availableProcessors(), load0, load1);
            double worst = ms(g.length == 0 ? 0 : g[g.length - 1]);
            System.out.printf(Locale.ROOT, "longest FX-thread stall: %.1f ms (target: none > 50 ms): %s%n", worst,
                    worst <= 50 ? "MET" : "NOT MET");
        }
        fx(() -> w[0].close());
        session.close();
        Platform.exit();
        System.exit(0);
    }

    /** Pulse gaps over {@code seconds} with nothing happening, sorted. */
    static long[] measureIdle(int seconds) throws Exception {
        long[] gaps = new long[seconds * 400 + 1000];
        int[] count = {0};
        long[] last = {0};
        AnimationTimer timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (last[0] != 0 && count[0] < gaps.length) {
                    gaps[count[0]++] = now - last[0];
                }
                last[0] = now;
            }
        };
        fx(timer::start);
        Thread.sleep(seconds * 1000L);
        fx(timer::stop);
        long[] g = Arrays.copyOf(gaps, count[0]);
        Arrays.sort(g);
        return g;
    }

    static MacAddress mac(int i) {
        return new MacAddress(0x02_00_00_00_00_00L + i);
    }

    static void send(DatagramSocket out, InetAddress to, int port, MacAddress mac) throws Exception {
        byte[] b = DhcpCodec.encode(DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST)
                .xid((int) mac.bits()).flags(DhcpMessage.FLAG_BROADCAST).chaddr(mac.bytes())
                .messageType(MessageType.DISCOVER)
                .option(DhcpOption.VENDOR_CLASS, "PXEClient:Arch:00007:UNDI:003016")
                .option(DhcpOption.CLIENT_ARCH, new byte[] {0, 7})
                .build());
        out.send(new DatagramPacket(b, b.length, to, port));
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static int intArg(String[] args, String name, int def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return def;
    }

    static int free() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
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
        f.get(60, TimeUnit.SECONDS);
    }

    static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(60, TimeUnit.SECONDS);
    }

    static void waitFor(java.util.concurrent.Callable<Boolean> c, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (Boolean.TRUE.equals(c.call())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out after " + seconds + " s");
    }
}
