package io.bootdesk.e2e;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/**
 * A reference HTTPS file server made of the JDK alone ({@code com.sun.net.httpserver.HttpsServer}, SunJSSE), for
 * the harness self-test of the trust cases: serves a directory over TLS 1.2/1.3 with a PKCS#12 key entry (leaf +
 * CA chain), optionally requiring a client certificate from a given CA. Logs one line per request:
 * {@code REQ <client> <method> <path> <status> tls=<protocol>/<suite> client=<subject DN or ->}.
 * <p>
 * Runs as its own process inside the lab's server namespace ({@link #start}); {@link #main} is that process.
 */
final class ReferenceHttps implements AutoCloseable {
    static final String READY = "REFERENCE-HTTPS-READY";
    private final Process process;
    final Path log;

    private ReferenceHttps(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the server in {@code ns} on {@code ip:port} serving {@code root}. With {@code clientCa} non-null it
     * requires a client certificate issued by that CA (PEM).
     */
    static ReferenceHttps start(String ns, String ip, int port, Path root, Path p12, Path clientCa, Path log)
            throws IOException {
        String classes;
        try {
            classes = Path.of(ReferenceHttps.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        List<String> cmd = Cmd.list(BootDesk.java().toString(), "-cp", classes,
                ReferenceHttps.class.getName(), ip, Integer.toString(port), root.toString(), p12.toString(),
                clientCa == null ? "-" : clientCa.toString());
        Process p = new ProcessBuilder(NetLab.inNs(ns, cmd)).redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        ReferenceHttps r = new ReferenceHttps(p, log);
        long deadline = System.currentTimeMillis() + 20_000;
        while (!r.logText().contains(READY)) {
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                r.close();
                throw new IllegalStateException("reference HTTPS server did not start:\n" + r.logText());
            }
            Cmd.sleep(100);
        }
        return r;
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public static void main(String[] args) throws Exception {
        String ip = args[0];
        int port = Integer.parseInt(args[1]);
        Path root = Path.of(args[2]);
        char[] pw = ReferencePki.P12_PASSWORD.toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(args[3])) {
            ks.load(in, pw);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        boolean mtls = !args[4].equals("-");
        javax.net.ssl.TrustManager[] tms = null;
        if (mtls) {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            try (InputStream in = new FileInputStream(args[4])) {
                ts.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            tms = tmf.getTrustManagers();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tms, null);
        PrintStream out = System.out;
        HttpsServer server = HttpsServer.create(new InetSocketAddress(ip, port), 32);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters sp = ctx.getDefaultSSLParameters();
                sp.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                sp.setNeedClientAuth(mtls);
                params.setSSLParameters(sp);
            }
        });
        server.createContext("/", ex -> {
            HttpsExchange hx = (HttpsExchange) ex;
            String path = ex.getRequestURI().getPath();
            String client = "-";
            try {
                client = ((X509Certificate) hx.getSSLSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate on this listener
            }
            Path f = root.resolve(path.replaceFirst("^/+", "")).normalize();
            int status;
            if (!f.startsWith(root) || !Files.isRegularFile(f)) {
                status = 404;
                ex.sendResponseHeaders(404, -1);
            } else {
                status = 200;
                long len = Files.size(f);
                ex.getResponseHeaders().set("Content-Type", path.endsWith(".efi") ? "application/efi"
                        : "application/octet-stream");
                boolean head = ex.getRequestMethod().equals("HEAD");
                if (head) { // UEFI HTTP Boot asks for the size with HEAD first
                    ex.getResponseHeaders().set("Content-Length", Long.toString(len));
                }
                ex.sendResponseHeaders(200, head ? -1 : len);
                if (!head) {
                    try (OutputStream o = ex.getResponseBody()) {
                        Files.copy(f, o);
                    }
                }
            }
            synchronized (out) {
                out.println("REQ " + ex.getRemoteAddress().getAddress().getHostAddress() + " " + ex.getRequestMethod()
                        + " " + path + " " + status + " tls=" + hx.getSSLSession().getProtocol() + "/"
                        + hx.getSSLSession().getCipherSuite() + " client=" + client);
                out.flush();
            }
            ex.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        out.println(READY + " https://" + ip + ":" + port + "/ mtls=" + mtls);
        out.flush();
        Thread.sleep(Duration.ofDays(1));
    }

    /** The request lines logged so far. */
    List<String> requests() {
        List<String> r = new ArrayList<>();
        logText().lines().filter(l -> l.startsWith("REQ ")).forEach(r::add);
        return r;
    }
}
