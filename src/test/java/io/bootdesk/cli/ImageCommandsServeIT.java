package io.bootdesk.cli;

import static io.bootdesk.cli.MachineCommandsServeIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.Engine;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.testing.CoreFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bootdesk image rename} and {@code image edit} against a running engine on the same data dir (loopback, no
 * restart): its HTTP server serves the new name, the files under it and the new script within a second.
 */
class ImageCommandsServeIT {
    static final MacAddress MAC = MacAddress.parse("52:54:00:00:0d:01");
    static final MacAddress MAC2 = MacAddress.parse("52:54:00:00:0d:02");

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("User-Agent", "iPXE/1.21.1+ (g4bd064de)")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String script(int port, MacAddress mac) {
        try {
            return get("http://127.0.0.1:" + port + "/boot/" + mac.hyphenated() + ".ipxe").body();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void renameAndEditReachARunningServe() throws Exception {
        Path data = tmp.resolve("data");
        EngineConfig cfg = new EngineConfig(data, "lo", DhcpMode.FULL, "127.0.104.1-127.0.104.20", List.of(), null,
                List.of(), 600, CoreFixture.freePort(), CoreFixture.freePort(), CoreFixture.freePort(),
                CoreFixture.freePort(), tmp.resolve("ipxe"), null, false, EngineConfig.Tls.OFF);
        Path kernel = Files.writeString(tmp.resolve("vmlinuz"), "the kernel");
        Path script = Files.writeString(tmp.resolve("s.ipxe"), "#!ipxe\necho old\n");
        int port = cfg.httpPort();
        try (Engine e = Engine.start(cfg)) {
            String d = data.toString();
            assertThat(Main.run("--data-dir", d, "image", "add", "linux", "--name", "deb", "--kernel", kernel.toString()))
                    .isZero();
            assertThat(Main.run("--data-dir", d, "image", "add", "script", "--name", "s", "--file", script.toString()))
                    .isZero();
            assertThat(Main.run("--data-dir", d, "assign", MAC.toString(), "deb")).isZero();
            assertThat(Main.run("--data-dir", d, "assign", MAC2.toString(), "s")).isZero();
            await(() -> script(port, MAC).contains("/images/deb/vmlinuz"), "the engine serving deb");
            await(() -> script(port, MAC2).contains("echo old"), "the engine serving the old script");

            assertThat(Main.run("--data-dir", d, "image", "rename", "deb", "debian")).isZero();
            await(() -> script(port, MAC).contains("/images/debian/vmlinuz"), "the engine serving the new name");
            String s = script(port, MAC);
            assertThat(s).doesNotContain("/images/deb/");
            String url = s.lines().map(String::strip).filter(l -> l.startsWith("kernel ")).findFirst().orElseThrow()
                    .split("\\s+")[1];
            HttpResponse<String> k = get(url);
            assertThat(k.statusCode()).isEqualTo(200);
            assertThat(k.body()).isEqualTo("the kernel");
            assertThat(get("http://127.0.0.1:" + port + "/images/deb/vmlinuz").statusCode()).isEqualTo(404);

            Path edited = Files.writeString(tmp.resolve("new.ipxe"), "#!ipxe\necho new {{ image }}\n");
            assertThat(Main.run("--data-dir", d, "image", "edit", "s", "--file", edited.toString())).isZero();
            await(() -> script(port, MAC2).contains("echo new s"), "the engine serving the new script");
        }
    }
}
