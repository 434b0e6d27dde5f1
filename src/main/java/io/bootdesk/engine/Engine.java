package io.bootdesk.engine;

import io.bootdesk.model.DhcpMode;
import io.bootdesk.core.BootPlanner;
import io.bootdesk.core.BootTracker;
import io.bootdesk.core.Catalog;
import io.bootdesk.core.Endpoints;
import io.bootdesk.core.EventBus;
import io.bootdesk.core.EventLog;
import io.bootdesk.core.ImageLibrary;
import io.bootdesk.core.Inventory;
import io.bootdesk.core.Journal;
import io.bootdesk.core.LoaderCapabilities;
import io.bootdesk.core.Loaders;
import io.bootdesk.dhcp.DhcpConfig;
import io.bootdesk.dhcp.DhcpResponder;
import io.bootdesk.dhcp.DhcpServer;
import io.bootdesk.dhcp.Ip4;
import io.bootdesk.dhcp.Pool;
import io.bootdesk.http.HttpBootServer;
import io.bootdesk.http.HttpConfig;
import io.bootdesk.model.KeyDelivery;
import io.bootdesk.model.MacAddress;
import io.bootdesk.pki.CaOptions;
import io.bootdesk.pki.ClientCredentials;
import io.bootdesk.pki.ServerIdentity;
import java.net.InetAddress;
import java.net.URI;
import java.util.Set;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.net.BootInterface;
import io.bootdesk.net.RouterAdvertiser;
import io.bootdesk.pki.CertificateAuthority;
import io.bootdesk.store.Database;
import io.bootdesk.store.LeaseStore;
import io.bootdesk.store.LoaderCapabilityStore;
import io.bootdesk.tftp.TftpServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole boot engine wired from an {@link EngineConfig}: the only place that knows every server. The GUI and
 * {@code bootdesk serve} both run one; tests run it without a window.
 */
public final class Engine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    static final long CATALOG_POLL_MS = 250;

    private final EngineConfig config;
    private final BootInterface nif;
    private final Database db;
    private final Journal journal;
    private final EventBus bus = new EventBus();
    private final Inventory inventory;
    private final EventLog events;
    private final Catalog catalog;
    private final ImageLibrary images;
    private final BootPlanner planner;
    private final BootTracker tracker;
    private final CertificateAuthority ca;
    private final ScheduledExecutorService background;
    private final Consoles consoles;
    /** What runs besides the servers (router advertisements), closed last-first. */
    private final List<AutoCloseable> running = new ArrayList<>();
    private DhcpConfig dhcpConfig;
    private DhcpResponder dhcpResponder;
    /** Null while the operator stopped it: a stopped UDP server is closed and a new one binds at start. */
    private volatile DhcpServer dhcp;
    private volatile TftpServer tftp;
    /** Lives as long as the engine; its listeners are stopped and started one by one. */
    private volatile HttpBootServer http;
    private volatile ServerIdentity identity;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** How often the boot interface's addresses are compared with the server certificate's. */
    static final long ADDRESS_CHECK_S = 30;

    private Engine(EngineConfig config, BootInterface nif) {
        this.config = config;
        this.nif = nif;
        this.db = Database.open(config.dataDir());
        NamesImport.run(config.dataDir(), db);
        this.journal = new Journal(db);
        this.inventory = new Inventory(db, journal);
        this.events = new EventLog(inventory, journal, bus);
        this.catalog = new Catalog(db);
        this.images = new ImageLibrary(config.dataDir(), db);
        // The CA is created on first use (the HTTPS server's certificate); its passphrase, if any, comes from the
        // environment (CaPassphrases): a serve runs unattended.
        CaOptions caOptions = CaOptions.defaults();
        if (config.tls().revocationUrls()) {
            String base = "http://" + nif.ip() + (config.httpPort() == 80 ? "" : ":" + config.httpPort()) + "/ca/";
            caOptions = caOptions.withUrls(URI.create(base + "ocsp"), URI.create(base + "crl"));
        }
        this.ca = Certificates.open(config.dataDir(), db, CaPassphrases.Input.NONE, System.getenv(), caOptions);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bootdesk-background");
            t.setDaemon(true);
            return t;
        });
        Loaders loaders = new Loaders(config.ipxeDir(), config.tftpRoot());
        EngineConfig.Tls tls = config.tls();
        Endpoints endpoints = new Endpoints(nif.ip(), config.httpPort(), tls.httpsPort(), tls.mtlsPort());
        this.planner = new BootPlanner(endpoints, loaders, catalog, tls.uefiHttps(),
                tls.mtlsPort() > 0 ? this::deliverClientKey : null, new LoaderCapabilities(new LoaderCapabilityStore(db)));
        this.tracker = new BootTracker(catalog, events, background);
        this.consoles = new Consoles(config.dataDir(), db, events);
    }

    /**
     * Network enrolment: the machine's valid client certificate and key as iPXE settings, issuing one first if it
     * has none; records that the key went out in a script.
     */
    private String deliverClientKey(MacAddress mac) {
        ClientCredentials c = ca.clientCredentials(mac)
                .orElseGet(() -> ca.issueClientCertificate(mac, null, null, false));
        ca.recordDelivery(c.info().serial(), KeyDelivery.SCRIPT);
        events.record(BootEvent.of(mac, null, EventType.NOTICE, "network enrolment: certificate " + c.info().serial()
                + " and its key delivered in a server-authenticated script"), null);
        return c.ipxeSettings();
    }

    /** Opens the data dir and binds every server on the named interface; fails as a whole, naming the cause. */
    public static Engine start(EngineConfig config) throws IOException {
        BootInterface nif = BootInterface.lookup(config.interfaceName());
        Engine e = new Engine(config, nif);
        try {
            e.startServers();
        } catch (IOException | RuntimeException ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    private synchronized void startServers() throws IOException {
        Loaders loaders = new Loaders(config.ipxeDir(), config.tftpRoot());
        dhcpConfig = dhcpConfig();
        dhcpResponder = new DhcpResponder(dhcpConfig, planner, events, journal, tracker,
                config.mode() == DhcpMode.FULL ? new LeaseStore(db).all() : List.of());
        startDhcp();
        startTftp();

        EngineConfig.Tls tls = config.tls();
        HttpConfig httpConfig = new HttpConfig(nif.ip(), config.httpPort(), tls.httpsPort(), tls.mtlsPort(), tls.legacyRsa());
        HttpBootServer http = new HttpBootServer(httpConfig, planner, catalog, images, loaders, events, tracker,
                tls.on() ? ca : null, tls.on() ? serverIdentity() : null);
        this.http = http;
        http.start();
        if (tls.on()) {
            background.scheduleWithFixedDelay(this::checkServerAddresses, ADDRESS_CHECK_S, ADDRESS_CHECK_S, TimeUnit.SECONDS);
        }

        if (config.routerAdverts()) {
            try {
                running.add(RouterAdvertiser.start(nif));
                log.info("sending IPv6 router advertisements on {}", nif.name());
            } catch (IOException e) {
                log.warn("no IPv6 router advertisements: {} (iPXE then waits ~13 s for IPv6 router discovery)",
                        e.getMessage());
            }
        }
        background.scheduleWithFixedDelay(this::refreshCatalog, CATALOG_POLL_MS, CATALOG_POLL_MS, TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(this::refreshConsoles, 0, CATALOG_POLL_MS, TimeUnit.MILLISECONDS);
        db.takeOverCheckpoints();
        background.scheduleWithFixedDelay(this::checkpoint, 1, 1, TimeUnit.SECONDS);
        events.record(BootEvent.of(null, nif.ip(), EventType.NOTICE, "BootDesk serving on " + nif.name() + " ("
                + nif.ip() + "), " + config.mode().name().toLowerCase(java.util.Locale.ROOT) + " mode"), null);
    }

    private void startDhcp() throws IOException {
        DhcpServer d = new DhcpServer(dhcpConfig, dhcpResponder);
        d.start(nif);
        dhcp = d;
    }

    private void startTftp() throws IOException {
        TftpServer t = new TftpServer(nif.ip(), config.tftpPort(), new Loaders(config.ipxeDir(), config.tftpRoot()), events);
        t.start();
        tftp = t;
    }

    // ------------------------------------------------------------------ one server at a time

    /** The servers this engine has: DHCP, TFTP, HTTP, and HTTPS when TLS is on. */
    public Set<Server> servers() {
        return config.tls().on() ? java.util.EnumSet.allOf(Server.class) : java.util.EnumSet.of(Server.DHCP, Server.TFTP, Server.HTTP);
    }

    /** Whether {@code server} is running (bound) now; never waits for a start or stop in progress. */
    public boolean running(Server server) {
        HttpBootServer h = http;
        return switch (server) {
            case DHCP -> dhcp != null;
            case TFTP -> tftp != null;
            case HTTP -> h != null && h.listening(io.bootdesk.core.Channel.HTTP);
            case HTTPS -> h != null && (h.listening(io.bootdesk.core.Channel.HTTPS)
                    || h.listening(io.bootdesk.core.Channel.MTLS));
        };
    }

    /**
     * Stops one server while the others keep running, and journals it. Its ports are free when this returns (DHCP
     * includes the PXE boot server port; HTTPS includes the mutual-TLS listener); its transfers in progress end.
     * Does nothing when it is not running.
     */
    public synchronized void stop(Server server) {
        if (!running(server)) {
            return;
        }
        switch (server) {
            case DHCP -> {
                DhcpServer d = dhcp;
                dhcp = null;
                d.close();
            }
            case TFTP -> {
                TftpServer t = tftp;
                tftp = null;
                t.close();
            }
            case HTTP -> http.stop(io.bootdesk.core.Channel.HTTP);
            case HTTPS -> {
                http.stop(io.bootdesk.core.Channel.HTTPS);
                http.stop(io.bootdesk.core.Channel.MTLS);
            }
        }
        events.record(BootEvent.of(null, nif.ip(), EventType.NOTICE, server.label() + " server stopped by the operator"),
                null);
    }

    /**
     * Starts a server the operator stopped, on the same ports, and journals it; fails with a sentence naming the port
     * when another program took it meanwhile. Does nothing when it runs.
     */
    public synchronized void start(Server server) throws IOException {
        if (!servers().contains(server)) {
            throw new IllegalStateException(server.label() + " is off for this engine (no HTTPS port configured)");
        }
        if (running(server)) {
            return;
        }
        switch (server) {
            case DHCP -> startDhcp();
            case TFTP -> startTftp();
            case HTTP -> http.start(io.bootdesk.core.Channel.HTTP);
            case HTTPS -> {
                EngineConfig.Tls tls = config.tls();
                try {
                    if (tls.httpsPort() > 0) {
                        http.start(io.bootdesk.core.Channel.HTTPS);
                    }
                    if (tls.mtlsPort() > 0) {
                        http.start(io.bootdesk.core.Channel.MTLS);
                    }
                } catch (IOException | RuntimeException e) {
                    http.stop(io.bootdesk.core.Channel.HTTPS);
                    throw e;
                }
            }
        }
        events.record(BootEvent.of(null, nif.ip(), EventType.NOTICE, server.label() + " server started by the operator ("
                + ports(server) + ")"), null);
    }

    /** "port 69", "ports 67 and 4011". */
    private String ports(Server server) {
        EngineConfig.Tls tls = config.tls();
        List<Integer> p = switch (server) {
            case DHCP -> config.pxePort() > 0 ? List.of(config.dhcpPort(), config.pxePort()) : List.of(config.dhcpPort());
            case TFTP -> List.of(config.tftpPort());
            case HTTP -> List.of(http.port(io.bootdesk.core.Channel.HTTP));
            case HTTPS -> java.util.stream.Stream.of(tls.httpsPort(), tls.mtlsPort()).filter(x -> x > 0).toList();
        };
        return (p.size() == 1 ? "port " : "ports ") + p.stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(" and "));
    }

    /** The HTTPS certificate for the boot interface's addresses and this host's name (issued on first use). */
    private ServerIdentity serverIdentity() {
        identity = ca.serverCertificate(serverAddresses(nif), hostNames());
        log.info("HTTPS certificate {} for {}", identity.info().serial(), identity.addresses());
        return identity;
    }

    /** The addresses clients use in URLs: the boot interface's IPv4 address (boot URLs are IPv4 literals). */
    private static Set<InetAddress> serverAddresses(BootInterface i) {
        return Set.of(i.address());
    }

    private static Set<String> hostNames() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h == null || h.isBlank() || h.equals("localhost") ? Set.of() : Set.of(h);
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** Re-issues the server certificate when the boot interface's addresses changed (new TLS connections get it). */
    private void checkServerAddresses() {
        try {
            BootInterface now = BootInterface.lookup(nif.name());
            HttpBootServer h = http;
            if (h != null && !serverAddresses(now).equals(identity.addresses())) {
                identity = ca.serverCertificate(serverAddresses(now), hostNames());
                h.useIdentity(identity);
                events.record(BootEvent.of(null, now.ip(), EventType.NOTICE, "the boot interface's addresses changed: new"
                        + " HTTPS certificate " + identity.info().serial() + " for " + identity.addresses()), null);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("checking the boot interface's addresses failed: {}", e.getMessage());
        }
    }

    private void checkpoint() {
        try {
            db.checkpoint();
        } catch (RuntimeException e) {
            log.warn("{}", e.getMessage());
        }
    }

    /** Applies console binding changes now instead of at the next poll (the window just bound one). */
    public void refreshConsoles() {
        try {
            consoles.refresh();
        } catch (RuntimeException e) {
            log.warn("attaching consoles failed: {}", e.getMessage());
        }
    }

    /** The serial consoles this serve has attached (bound with {@code bootdesk console bind}). */
    public Consoles consoles() {
        return consoles;
    }

    private void refreshCatalog() {
        try {
            if (catalog.refresh()) {
                log.debug("images/assignments changed; reloaded");
            }
        } catch (RuntimeException e) {
            log.warn("reading assignments failed: {}", e.getMessage());
        }
        try {
            if (inventory.refresh()) {
                log.debug("machines renamed or forgotten; applied");
            }
        } catch (RuntimeException e) {
            log.warn("reading machine names failed: {}", e.getMessage());
        }
        try {
            if (ca.refresh()) {
                log.debug("certificates changed; revocation view reloaded");
            }
        } catch (RuntimeException e) {
            log.warn("reading certificates failed: {}", e.getMessage());
        }
    }

    DhcpConfig dhcpConfig() {
        int serverIp = Ip4.of(nif.address());
        List<Pool> pools = new ArrayList<>();
        if (config.mode() == DhcpMode.FULL) {
            int router = config.router() == null ? 0 : Ip4.parse(config.router());
            Pool primary = config.pool() != null
                    ? Pool.parseRange(config.pool(), serverIp, nif.prefixLength(), router)
                    : defaultPool(serverIp, nif.prefixLength(), router);
            if (primary.inRange(serverIp)) {
                throw new IllegalArgumentException("the pool " + primary + " contains BootDesk's own address "
                        + nif.ip() + "; choose a range without it");
            }
            pools.add(primary);
            for (String spec : config.relayPools()) {
                pools.add(Pool.parseRelayPool(spec));
            }
        }
        List<Integer> dns = config.dns().stream().map(Ip4::parse).toList();
        DhcpConfig.Trust trust = config.tls().on()
                ? new DhcpConfig.Trust(ca.rootFingerprint(), planner.endpoints().crosscertUrl()) : null;
        return new DhcpConfig(config.mode(), nif.name(), serverIp, pools, dns, config.leaseSeconds(),
                config.dhcpPort(), config.pxePort(), trust);
    }

    /** Without --pool: the upper half of the subnet, without the broadcast address and BootDesk's own. */
    static Pool defaultPool(int serverIp, int prefix, int router) {
        if (prefix > 29) {
            throw new IllegalArgumentException("the boot interface's subnet /" + prefix
                    + " is too small for a pool; give --pool FIRST-LAST");
        }
        int mask = Ip4.mask(prefix);
        int net = serverIp & mask;
        int size = ~mask + 1;
        int first = net + size / 2;
        int last = net + size - 2;
        if (Integer.compareUnsigned(serverIp, first) >= 0 && Integer.compareUnsigned(serverIp, last) <= 0) {
            // BootDesk sits in the upper half: use the lower half instead
            first = net + 1;
            last = net + size / 2 - 1;
        }
        return new Pool(net, prefix, first, last, router);
    }

    public EngineConfig config() {
        return config;
    }

    public BootInterface bootInterface() {
        return nif;
    }

    /** The boot interface's IPv4 address. */
    public String serverIp() {
        return nif.ip();
    }

    private MachineActions machineActions;

    /**
     * The machines' console buttons with this engine's event log (the window sees every step at once) and its HTTP
     * loader URLs for a one-time UEFI HTTP boot. One per engine, closed with it.
     */
    public synchronized MachineActions machineActions() {
        if (machineActions == null) {
            machineActions = new MachineActions(db, e -> events.record(e, null), this::httpBoot);
        }
        return machineActions;
    }

    /**
     * Where a one-time UEFI HTTP boot of the machine goes: the iPXE loader for its architecture on BootDesk's HTTP
     * listener, when the machine is known to be UEFI, HTTP is served and there is a loader for it.
     */
    public MachineActions.HttpBoot httpBoot(MacAddress mac) {
        if (!running(Server.HTTP)) {
            return MachineActions.HttpBoot.no("BootDesk does not serve HTTP now");
        }
        io.bootdesk.model.Machine m = inventory.get(mac).orElse(null);
        if (m == null || m.arch() == null || m.firmware() != io.bootdesk.model.Firmware.UEFI) {
            return MachineActions.HttpBoot.no("the machine is not known to be UEFI");
        }
        return new Loaders(config.ipxeDir(), config.tftpRoot()).find(m.arch())
                .map(f -> new MachineActions.HttpBoot(URI.create(new Endpoints(nif.ip(), config.httpPort()).loaderUrl(f)), null))
                .orElseGet(() -> MachineActions.HttpBoot.no("no iPXE loader for " + m.arch().label() + " in the iPXE folder"));
    }

    /** Image and assignment changes through the engine's own database connection (see {@link Workspace#over}). */
    public Workspace workspace() {
        return Workspace.over(config.dataDir(), db);
    }

    public Database database() {
        return db;
    }

    public EventBus bus() {
        return bus;
    }

    public Inventory inventory() {
        return inventory;
    }

    public EventLog events() {
        return events;
    }

    public Catalog catalog() {
        return catalog;
    }

    public ImageLibrary images() {
        return images;
    }

    public BootPlanner planner() {
        return planner;
    }

    public Journal journal() {
        return journal;
    }

    /**
     * The data dir's certificate authority, for the protocol servers: {@code serverCertificate(...)} for HTTPS,
     * {@code rootFingerprint()} for DHCP 175.90, {@code ocspResponse}/{@code crl} for /ca/ocsp and /ca/crl. Its
     * revocation view follows changes from other processes within {@link #CATALOG_POLL_MS}.
     */
    public CertificateAuthority certificateAuthority() {
        return ca;
    }

    /** Stops every server and closes the data dir; a second call does nothing (the demo and its window both may). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<AutoCloseable> all;
        synchronized (this) {
            all = new ArrayList<>();
            java.util.stream.Stream.of(dhcp, tftp, http).filter(java.util.Objects::nonNull).forEach(all::add);
            all.addAll(running);
            if (machineActions != null) {
                all.add(0, machineActions);
            }
            dhcp = null;
            tftp = null;
            http = null;
            running.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", all.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        background.shutdownNow();
        consoles.close();
        journal.close();
        db.close();
        log.info("BootDesk stopped");
    }
}
