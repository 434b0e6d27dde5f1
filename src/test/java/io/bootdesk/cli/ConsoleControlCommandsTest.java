package io.bootdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.console.pikvm.FakePiKvm;
import io.bootdesk.console.redfish.FakeRedfishBmc;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.MacAddress;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bootdesk console power, boot-now, key, snapshot, media and status against the loopback PiKVM and Redfish fakes. */
class ConsoleControlCommandsTest {
    static final String MAC = "52:54:00:00:0d:01";

    @TempDir
    Path tmp;

    CliRun.Result run(String... args) {
        return CliRun.run(tmp.resolve("data"), args);
    }

    void bind(String kind, String address, String user, String password, String... more) {
        try (Workspace w = Workspace.open(tmp.resolve("data"))) {
            w.bindConsole(MacAddress.parse(MAC), switch (kind) {
                case "pikvm" -> new io.bootdesk.console.ConsoleBinding.PiKvm(address, user, null, more.length > 0 ? more[0] : null);
                default -> new io.bootdesk.console.ConsoleBinding.Redfish(address, user, null);
            }, password);
        }
    }

    @Test
    void pikvmPowerKeysSnapshotMediaStatusAndBootNow() throws Exception {
        try (FakePiKvm kvm = new FakePiKvm("admin", "pw")) {
            bind("pikvm", kvm.uri().toString(), "admin", "pw", "F11");

            CliRun.Result r = run("console", "power", MAC, "on");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("power on of " + MAC + ": on");
            assertThat(run("console", "power", MAC, "force-off").code()).isZero();
            assertThat(kvm.atxActions).containsExactly("on", "off_hard");
            r = run("console", "power", MAC, "sideways");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("the power action is one of [on, off, force_off, reset]");

            r = run("console", "key", MAC, "Ctrl+B");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(kvm.keyEvents).containsExactly("ControlLeft down", "KeyB down", "KeyB up", "ControlLeft up");
            r = run("console", "key", MAC, "Ctrl+Frob");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("'Frob' in 'Ctrl+Frob' is not a key");

            kvm.screen = FakePiKvm.jpeg(new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB));
            Path jpg = tmp.resolve("screen.jpg");
            r = run("console", "snapshot", MAC, jpg.toString());
            assertThat(r.code()).as(r.err()).isZero();
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(jpg)));
            assertThat(img.getWidth()).isEqualTo(800);
            assertThat(img.getHeight()).isEqualTo(600);

            r = run("console", "status", MAC);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("pikvm " + kvm.uri()).contains("power:     off")
                    .contains("keys").contains("snapshot").contains("web UI:    " + kvm.uri());

            // media: the fake KVM downloads the image from a loopback HTTP server
            com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
            byte[] iso = new byte[10_000];
            web.createContext("/images/rescue.iso", ex -> {
                ex.sendResponseHeaders(200, iso.length);
                ex.getResponseBody().write(iso);
                ex.close();
            });
            web.start();
            try {
                String url = "http://127.0.0.1:" + web.getAddress().getPort() + "/images/rescue.iso";
                r = run("console", "media", MAC, url, "--disk");
                assertThat(r.code()).as(r.err()).isZero();
                assertThat(r.out()).contains("as a flash drive");
            } finally {
                web.stop(0);
            }

            r = run("console", "boot-now", MAC, "--key-seconds", "2");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("boot now: power on (on; the machine was off)")
                    .contains("boot now: pressing F11 (1/2)").contains("boot now: pressing F11 (2/2)");
            assertThat(kvm.atxActions).containsExactly("on", "off_hard", "on");
            assertThat(kvm.keyEvents).endsWith("F11 down", "F11 up", "F11 down", "F11 up");

            String events = run("events", MAC).out();
            assertThat(events).contains("power force-off: off_hard through pikvm").contains("key Ctrl+B pressed")
                    .contains("virtual media: http://127.0.0.1:").contains("boot now: done; pressed F11 2 times");
        }
    }

    @Test
    void redfishBootNowAndClearErrors() throws Exception {
        try (FakeRedfishBmc bmc = new FakeRedfishBmc("root", "calvin")) {
            bind("redfish", bmc.uri().toString(), "root", "calvin");
            CliRun.Result r = run("console", "boot-now", MAC);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("boot now: one-time Pxe boot set (no UEFI HTTP: this process does not serve HTTP")
                    .contains("boot now: ForceRestart (the machine was on)");
            assertThat(bmc.bootedFrom).isEqualTo("Pxe");

            r = run("console", "key", MAC, "F12");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("cannot press keys");
            r = run("console", "snapshot", MAC, tmp.resolve("x.jpg").toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("cannot take a snapshot");
            assertThat(tmp.resolve("x.jpg")).doesNotExist();

            bind("redfish", bmc.uri().toString(), "root", "wrong");
            r = run("console", "boot-now", MAC);
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("boot now: failed: The BMC at").contains("rejected the login for user root");
            assertThat(r.out() + r.err()).doesNotContain("wrong");
        }
        CliRun.Result r = run("console", "power", "52:54:00:00:0d:09", "on");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("has no console binding");
        r = run("console", "power", MAC);
        assertThat(r.code()).isEqualTo(2);
    }
}
