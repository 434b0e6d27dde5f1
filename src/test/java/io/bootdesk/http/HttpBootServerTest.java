package io.bootdesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import io.bootdesk.store.AssignmentStore;
import io.bootdesk.testing.CoreFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpBootServerTest {
    private static final MacAddress MAC = MacAddress.parse("52:54:00:aa:bb:01");

    @TempDir
    Path tmp;
    CoreFixture core;
    HttpBootServer server;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base;
    byte[] kernel;
    byte[] initrd;

    @BeforeEach
    void start() throws Exception {
        int port = CoreFixture.freePort();
        core = new CoreFixture(tmp, "127.0.0.1", port);
        server = new HttpBootServer("127.0.0.1", port, core.planner, core.catalog, core.images, core.loaders,
                core.events, core.tracker);
        server.start();
        base = "http://127.0.0.1:" + port;
        kernel = new byte[300_000];
        initrd = new byte[70_000];
        new Random(1).nextBytes(kernel);
        new Random(2).nextBytes(initrd);
        Path k = Files.write(tmp.resolve("vmlinuz"), kernel);
        Path i = Files.write(tmp.resolve("initrd.gz"), initrd);
        core.images.addLinux("deb", k, List.of(i), "console=ttyS0 marker={{ image }}");
        Files.write(core.ipxeDir.resolve("snponly.efi"), new byte[] {'M', 'Z', 1, 2, 3});
        core.catalog.refresh();
    }

    @AfterEach
    void stop() {
        server.close();
        core.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void assign(boolean once) {
        new AssignmentStore(core.db).put(new Assignment(MAC, "deb", once, Instant.now()));
        core.catalog.refresh();
    }

    @Test
    void unassignedMachineGetsTheWaitingScriptAndIsShownWaiting() throws Exception {
        HttpResponse<byte[]> r = get("/boot/52-54-00-aa-bb-01.ipxe", "User-Agent", "iPXE/1.0.0+");
        assertThat(r.statusCode()).isEqualTo(200);
        String text = new String(r.body());
        assertThat(text).startsWith("#!ipxe").contains("no image assigned").contains(base + "/boot/52-54-00-aa-bb-01.ipxe?poll=1");
        assertThat(core.inventory.get(MAC)).get().satisfies(m -> {
            assertThat(m.stage()).isEqualTo(BootStage.WAITING);
            assertThat(m.userAgent()).isEqualTo("iPXE/1.0.0+");
        });
        assertThat(core.published).extracting(BootEvent::type).contains(EventType.HTTP_WAITING);
    }

    @Test
    void heldPollAnswersAsSoonAsAnImageIsAssigned() throws Exception {
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<String>> poll = client.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/boot/52-54-00-aa-bb-01.ipxe?poll=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(1000);
        assertThat(poll).isNotDone();
        assign(false);
        HttpResponse<String> r = poll.get(5, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertThat(secs).isLessThan(BootHttpHandler.POLL_HOLD_MS / 1000.0);
        assertThat(r.body()).contains("kernel " + base + "/images/deb/vmlinuz?mac=52-54-00-aa-bb-01 initrd=initrd.gz console=ttyS0 marker=deb")
                .contains("initrd " + base + "/images/deb/initrd.gz?mac=52-54-00-aa-bb-01")
                .contains("boot ||");
    }

    @Test
    void pollWithoutAssignmentReturnsAnEmptyScriptAfterTheHold() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = get("/boot/52-54-00-aa-bb-01.ipxe?poll=1");
        double secs = (System.nanoTime() - t0) / 1e9;
        assertThat(new String(r.body())).isEqualTo("#!ipxe\n");
        assertThat(secs).isGreaterThan(BootHttpHandler.POLL_HOLD_MS / 1000.0 - 0.5);
    }

    @Test
    void deliveringEveryFileBootsAndEndsAOnceAssignment() throws Exception {
        assign(true);
        assertThat(new String(get("/boot/52-54-00-aa-bb-01.ipxe").body())).contains("/images/deb/vmlinuz");
        HttpResponse<byte[]> k = get("/images/deb/vmlinuz?mac=52-54-00-aa-bb-01");
        assertThat(k.statusCode()).isEqualTo(200);
        assertThat(k.body()).isEqualTo(kernel);
        assertThat(k.headers().firstValue("content-length")).hasValue(String.valueOf(kernel.length));
        assertThat(core.catalog.assignment(MAC)).isPresent();
        assertThat(get("/images/deb/initrd.gz?mac=52-54-00-aa-bb-01").body()).isEqualTo(initrd);
        long deadline = System.currentTimeMillis() + 5000;
        while (core.catalog.assignment(MAC).isPresent() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(core.catalog.assignment(MAC)).as("once assignment ended").isEmpty();
        assertThat(core.inventory.get(MAC).orElseThrow().stage()).isEqualTo(BootStage.BOOTED);
        assertThat(core.published).extracting(BootEvent::type)
                .containsSubsequence(EventType.HTTP_SCRIPT, EventType.HTTP_FILE_START, EventType.HTTP_FILE_DONE, EventType.BOOTED);
        // the next boot waits again
        assertThat(new String(get("/boot/52-54-00-aa-bb-01.ipxe").body())).contains("no image assigned");
    }

    @Test
    void rangeRequestsAndHead() throws Exception {
        HttpResponse<byte[]> r = get("/images/deb/vmlinuz", "Range", "bytes=100-199");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("content-range")).hasValue("bytes 100-199/" + kernel.length);
        assertThat(r.body()).isEqualTo(java.util.Arrays.copyOfRange(kernel, 100, 200));

        HttpResponse<byte[]> tail = get("/images/deb/vmlinuz", "Range", "bytes=-10");
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(kernel, kernel.length - 10, kernel.length));

        HttpResponse<byte[]> open = get("/images/deb/vmlinuz", "Range", "bytes=299990-");
        assertThat(open.body()).isEqualTo(java.util.Arrays.copyOfRange(kernel, 299_990, kernel.length));

        assertThat(get("/images/deb/vmlinuz", "Range", "bytes=400000-").statusCode()).isEqualTo(416);

        HttpResponse<Void> head = client.send(HttpRequest.newBuilder(URI.create(base + "/ipxe/snponly.efi"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-type")).hasValue("application/efi");
        assertThat(head.headers().firstValue("content-length")).hasValue("5");
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        // HttpClient reuses its HTTP/1.1 connection; the server must keep it open across requests
        for (int i = 0; i < 20; i++) {
            assertThat(get("/images/deb/initrd.gz").body()).isEqualTo(initrd);
        }
    }

    @Test
    void pathsOutsideTheStoreAreRefused() throws Exception {
        Files.writeString(core.dataDir.resolve("secret.txt"), "do not serve");
        for (String p : List.of("/images/deb/..%2f..%2fsecret.txt", "/images/%2e%2e/data/secret.txt",
                "/images/deb/%2e%2e", "/images/deb/..%5c..%5csecret.txt", "/ipxe/..%2fdata%2fsecret.txt",
                "/images/deb/bootdesk.db", "/ipxe/%2fetc%2fpasswd")) {
            HttpResponse<byte[]> r = get(p);
            assertThat(r.statusCode()).as(p).isBetween(400, 499);
            assertThat(new String(r.body())).as(p).doesNotContain("do not serve").doesNotContain("root:");
        }
    }
}
