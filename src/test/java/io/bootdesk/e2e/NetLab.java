package io.bootdesk.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private boot network made of network namespaces, with no link to the host's interfaces and no route off it:
 * <pre>
 *  NS-srv                          NS-cli                               NS-dhcp (optional)
 *  srv0 10.99.N.1/24  ---veth---   cli0 -+                               dhcp0 10.99.N.2/24
 *       fd99:0:0:N::1/64                 br0 (stp off, forward delay 0)     |
 *  (BootDesk, reference servers)   tap0 -+  <- QEMU -netdev tap   dhcpbr --+ (veth)
 *                                  dhcpbr-+
 * </pre>
 * The veth pairs are created inside the namespaces, so they never exist in the host namespace. Names are
 * {@code bde2e-<jvm pid>-<n>-srv|cli|dhcp}: {@link #cleanLeftovers()} removes namespaces of this prefix whose JVM
 * is gone (a crashed or killed earlier run) and leaves those of a live run (another worktree) alone.
 * {@link #close()} kills every process in the namespaces by PID and deletes them.
 * <p>
 * Optionally a second network on a second server interface ({@code srv1 10.98.N.1/24} to {@code NS-frn}, interface
 * {@code frn0}): an interface of the same host that the operator did not name, for the binding tests.
 */
final class NetLab implements AutoCloseable {
    static final String PREFIX = "bde2e-";
    static final String SRV_IF = "srv0";
    static final String DHCP_IF = "dhcp0";
    static final String FOREIGN_SRV_IF = "srv1";
    static final String FOREIGN_IF = "frn0";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();

    final String srvNs;
    final String cliNs;
    final String dhcpNs;
    /** Namespace of the foreign network, or null. */
    final String foreignNs;
    /** Third octet of this lab's 10.99.N.0/24. */
    final int subnet;
    final String serverIp;
    final String dhcpIp;
    private final List<String> created = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private NetLab(boolean withDhcpNamespace, boolean withForeignNetwork) {
        String base = PREFIX + PID + "-" + COUNTER.incrementAndGet();
        this.srvNs = base + "-srv";
        this.cliNs = base + "-cli";
        this.dhcpNs = withDhcpNamespace ? base + "-dhcp" : null;
        this.foreignNs = withForeignNetwork ? base + "-frn" : null;
        // -Dbootdesk.e2e.subnet=N pins 10.99.N.0/24 (to replay a capture or reuse a certificate made for it)
        this.subnet = Integer.getInteger("bootdesk.e2e.subnet", ThreadLocalRandom.current().nextInt(16, 250));
        this.serverIp = "10.99." + subnet + ".1";
        this.dhcpIp = "10.99." + subnet + ".2";
        this.shutdownHook = new Thread(this::close, "netlab-cleanup-" + base);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Server + client namespaces (full-mode cases). */
    static NetLab create() {
        return create(false);
    }

    /** With {@code withDhcpNamespace}: a third namespace on the client bridge for an independent DHCP server. */
    static NetLab create(boolean withDhcpNamespace) {
        return create(withDhcpNamespace, false);
    }

    /** Server + client namespaces and a second network on the server's second interface (binding tests). */
    static NetLab createWithForeignNetwork() {
        return create(false, true);
    }

    private static NetLab create(boolean withDhcpNamespace, boolean withForeignNetwork) {
        cleanLeftovers();
        NetLab lab = new NetLab(withDhcpNamespace, withForeignNetwork);
        try {
            lab.build();
            lab.checkIsolation();
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    String net(int host) {
        return "10.99." + subnet + "." + host;
    }

    private void build() {
        addNs(srvNs);
        addNs(cliNs);
        ip("-n", srvNs, "link", "add", SRV_IF, "type", "veth", "peer", "name", "cli0", "netns", cliNs);
        ip("-n", srvNs, "addr", "add", serverIp + "/24", "dev", SRV_IF);
        // a ULA /64 so BootDesk's router advertisements carry a prefix, as on a real dual-stack build network
        ip("-n", srvNs, "addr", "add", "fd99:0:0:" + Integer.toHexString(subnet) + "::1/64", "dev", SRV_IF, "nodad");
        ip("-n", srvNs, "link", "set", "lo", "up");
        ip("-n", srvNs, "link", "set", SRV_IF, "up");
        ip("-n", cliNs, "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
        ip("-n", cliNs, "link", "set", "cli0", "master", "br0");
        ip("-n", cliNs, "tuntap", "add", "dev", "tap0", "mode", "tap");
        ip("-n", cliNs, "link", "set", "tap0", "master", "br0");
        for (String l : List.of("lo", "cli0", "tap0", "br0")) {
            ip("-n", cliNs, "link", "set", l, "up");
        }
        if (dhcpNs != null) {
            addNs(dhcpNs);
            ip("-n", dhcpNs, "link", "add", DHCP_IF, "type", "veth", "peer", "name", "dhcpbr", "netns", cliNs);
            ip("-n", dhcpNs, "addr", "add", dhcpIp + "/24", "dev", DHCP_IF);
            ip("-n", dhcpNs, "link", "set", "lo", "up");
            ip("-n", dhcpNs, "link", "set", DHCP_IF, "up");
            ip("-n", cliNs, "link", "set", "dhcpbr", "master", "br0");
            ip("-n", cliNs, "link", "set", "dhcpbr", "up");
        }
        if (foreignNs != null) {
            addNs(foreignNs);
            ip("-n", srvNs, "link", "add", FOREIGN_SRV_IF, "type", "veth", "peer", "name", FOREIGN_IF, "netns", foreignNs);
            ip("-n", srvNs, "addr", "add", "10.98." + subnet + ".1/24", "dev", FOREIGN_SRV_IF);
            ip("-n", srvNs, "link", "set", FOREIGN_SRV_IF, "up");
            ip("-n", foreignNs, "link", "set", "lo", "up");
            ip("-n", foreignNs, "link", "set", FOREIGN_IF, "up");
        }
    }

    private void addNs(String ns) {
        ip("netns", "add", ns);
        created.add(ns);
    }

    /**
     * Hard isolation assertions: no default route (IPv4 or IPv6) and exactly the expected links in each namespace.
     * Throws, naming what was found, otherwise.
     */
    void checkIsolation() {
        for (String ns : namespaces()) {
            for (String family : List.of("-4", "-6")) {
                String r = ip(family, "-n", ns, "route", "show", "default").strip();
                if (!r.isEmpty()) {
                    throw new IllegalStateException("isolation: default route in " + ns + ": " + r);
                }
            }
        }
        if (foreignNs == null) {
            expectLinks(srvNs, "lo", SRV_IF);
        } else {
            expectLinks(srvNs, "lo", SRV_IF, FOREIGN_SRV_IF);
            expectLinks(foreignNs, "lo", FOREIGN_IF);
        }
        if (dhcpNs == null) {
            expectLinks(cliNs, "br0", "cli0", "lo", "tap0");
        } else {
            expectLinks(cliNs, "br0", "cli0", "dhcpbr", "lo", "tap0");
            expectLinks(dhcpNs, DHCP_IF, "lo");
        }
    }

    private void expectLinks(String ns, String... expected) {
        TreeSet<String> have = new TreeSet<>();
        for (String line : ip("-o", "-n", ns, "link", "show").split("\n")) {
            String[] f = line.split(": ", 3);
            if (f.length >= 2) {
                have.add(f[1].split("@")[0].strip());
            }
        }
        TreeSet<String> want = new TreeSet<>(List.of(expected));
        if (!have.equals(want)) {
            throw new IllegalStateException("isolation: links in " + ns + " are " + have + ", expected " + want);
        }
    }

    /**
     * With {@code -Dbootdesk.e2e.pcap=true}: tcpdump on the server's side of the wire into {@code dir/srv0.pcap}
     * (for debugging a failing case). It is one of the lab's processes, so {@link #close()} stops it by PID.
     */
    void captureIfAsked(java.nio.file.Path dir) throws java.io.IOException {
        if (!Boolean.getBoolean("bootdesk.e2e.pcap") || !io.bootdesk.testing.Requirements.onPath("tcpdump")) {
            return;
        }
        new ProcessBuilder(inNs(srvNs, List.of("tcpdump", "-i", SRV_IF, "-U", "-n", "-w",
                dir.resolve("srv0.pcap").toString())))
                .redirectErrorStream(true).redirectOutput(dir.resolve("tcpdump.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Cmd.sleep(500);
    }

    List<String> namespaces() {
        List<String> all = new ArrayList<>(List.of(srvNs, cliNs));
        if (dhcpNs != null) {
            all.add(dhcpNs);
        }
        if (foreignNs != null) {
            all.add(foreignNs);
        }
        return all;
    }

    /** argv prefix that runs a command inside {@code ns}. */
    static List<String> inNs(String ns, List<String> command) {
        List<String> c = Cmd.list("ip", "netns", "exec", ns);
        c.addAll(command);
        return c;
    }

    /** PIDs of the processes in a namespace. */
    static List<Long> pids(String ns) {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(20), null, "ip", "netns", "pids", ns);
        List<Long> pids = new ArrayList<>();
        if (r.ok()) {
            for (String s : r.output().split("\\s+")) {
                if (!s.isBlank()) {
                    pids.add(Long.parseLong(s.strip()));
                }
            }
        }
        return pids;
    }

    /** SIGTERM every process in {@code ns} by PID, then SIGKILL what is left after a grace period. */
    static void killAll(String ns) {
        List<Long> pids = pids(ns);
        if (pids.isEmpty()) {
            return;
        }
        pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroy));
        long deadline = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < deadline && !pids(ns).isEmpty()) {
            Cmd.sleep(100);
        }
        for (long p : pids(ns)) {
            ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
        }
        deadline = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < deadline && !pids(ns).isEmpty()) {
            Cmd.sleep(100);
        }
    }

    private static void deleteNs(String ns) {
        killAll(ns);
        Cmd.Result r = Cmd.run(Duration.ofSeconds(20), null, "ip", "netns", "del", ns);
        if (!r.ok() && nsExists(ns)) {
            System.out.println("[e2e] could not delete netns " + ns + ": " + r.output().strip());
        }
    }

    static boolean nsExists(String ns) {
        return listNs().contains(ns);
    }

    static List<String> listNs() {
        List<String> names = new ArrayList<>();
        Cmd.Result r = Cmd.run(Duration.ofSeconds(20), null, "ip", "netns", "list");
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

    /** Deletes namespaces named {@code bde2e-<pid>-...} whose JVM no longer runs (left by a crashed run). */
    static void cleanLeftovers() {
        for (String ns : listNs()) {
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            String[] parts = ns.substring(PREFIX.length()).split("-");
            long owner;
            try {
                owner = Long.parseLong(parts[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            boolean ownerAlive = ProcessHandle.of(owner)
                    .filter(ProcessHandle::isAlive)
                    .map(h -> h.info().command().orElse("").endsWith("java"))
                    .orElse(false);
            if (!ownerAlive) {
                System.out.println("[e2e] removing leftover namespace " + ns + " (its run, pid " + owner + ", is gone)");
                deleteNs(ns);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = created.size() - 1; i >= 0; i--) {
            deleteNs(created.get(i));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // called from the hook itself during JVM shutdown
        }
    }

    private static String ip(String... args) {
        List<String> c = Cmd.list("ip");
        c.addAll(List.of(args));
        return Cmd.run(Duration.ofSeconds(20), null, c).check();
    }

    @Override
    public String toString() {
        return "NetLab[" + String.join(", ", namespaces()) + ", 10.99." + subnet + ".0/24]";
    }
}
