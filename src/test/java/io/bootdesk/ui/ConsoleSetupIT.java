package io.bootdesk.ui;

import static io.bootdesk.ui.ConsoleUi.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.engine.Engine;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.testing.CoreFixture;
import io.bootdesk.testing.Requirements;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * First-run set-up in the real window: nothing is served before it completes; the probe (after the operator
 * confirms) hears another DHCP server on the chosen interface and recommends proxy mode; the ports are checked;
 * Start serving starts the engine in that mode and remembers the choice. A taken port stops the start with the
 * engine's sentence and remembers nothing.
 */
class ConsoleSetupIT {
    @TempDir
    Path tmp;

    private final FxRobot robot = new FxRobot();
    private ConsoleSession session;
    private ConsoleWindow window;
    private Engine other;

    private void open(EngineConfig engine, int probePort) throws Exception {
        session = new ConsoleSession(new ConsoleOptions(engine.dataDir(), engine, true, probePort, 68, Duration.ofSeconds(1)));
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage((Stage stage) -> {
            window = new ConsoleWindow(session);
            stage.setScene(window.scene(1280, 800));
            stage.show();
            window.open();
        });
        waitFor("the set-up", () -> robot.lookup("#setupOverlay").tryQuery().isPresent());
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        if (window != null) {
            robot.interact(window::close);
        }
        if (session != null) {
            session.close();
        }
        if (other != null) {
            other.close();
        }
    }

    private Node nic(String name) {
        return robot.lookup(n -> n instanceof TableRow<?> r && r.getItem() instanceof io.bootdesk.engine.NetworkInterfaces.Nic nic
                && nic.name().equals(name)).query();
    }

    @Test
    void theSetUpProbesRecommendsProxyChecksPortsAndStartsServing() throws Exception {
        Requirements.requireRoot(); // the probe listens on the DHCP client port 68
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        Files.write(ipxe.resolve("snponly.efi"), new byte[1000]);
        EngineConfig otherCfg = ConsoleWindowIT.loopbackEngine(tmp.resolve("other"), ipxe);
        other = Engine.start(otherCfg); // another DHCP server on the same network
        EngineConfig mine = ConsoleWindowIT.loopbackEngine(tmp.resolve("data"), ipxe);
        open(mine, otherCfg.dhcpPort());

        assertThat(session.serving()).isFalse();
        assertThat(robot.lookup("#startServing").queryButton().isDisabled()).isTrue();
        robot.clickOn(nic("lo"));
        waitFor("the port check", () -> robot.lookup("#portResults").queryAs(javafx.scene.layout.VBox.class)
                .getChildren().size() == 4);
        assertThat(robot.lookup("#portResults").queryAs(javafx.scene.layout.VBox.class).getChildren())
                .allSatisfy(n -> assertThat(((Label) n).getText()).endsWith(": free"));

        robot.clickOn("#probeButton");
        assertThat(robot.lookup("#confirmProbe").queryButton().isVisible()).isTrue();
        assertThat(other.inventory().all()).isEmpty(); // nothing sent before the operator confirms
        robot.clickOn("#confirmProbe");
        waitFor("the probe's answer", () -> robot.lookup("#probeResult").queryLabeled().getText()
                .startsWith("Another DHCP server (127.0.0.1) offered 127.0.100."));
        assertThat(robot.lookup("#modeProxy").queryAs(RadioButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#modeProxy").queryAs(RadioButton.class).getText()).endsWith("(recommended)");
        assertThat(session.serving()).isFalse();

        robot.clickOn("#startServing");
        waitFor("serving", () -> session.serving() && robot.lookup("#setupOverlay").tryQuery().isEmpty());
        assertThat(SavedSetup.load(mine.dataDir())).contains(new SavedSetup("lo", DhcpMode.PROXY));
        assertThat(session.engine().orElseThrow().config().mode()).isEqualTo(DhcpMode.PROXY);
        assertThat(robot.lookup("#modeLabel").queryLabeled().getText()).isEqualTo("proxyDHCP");
        assertThat(robot.lookup("#serverDHCP").queryLabeled().getText()).isEqualTo("DHCP :" + mine.dhcpPort() + "+" + mine.pxePort());
        waitFor("the warning about the other server", () -> robot.lookup("#otherDhcp").queryLabeled().isVisible());

        // a PXE client now gets BootDesk's proxy offer and shows up
        MacAddress mac = MacAddress.parse("52:54:00:00:02:01");
        new BootClient(mine.dhcpPort(), mine.httpPort()).discover(mac, BootClient.Firmware.UEFI_PXE);
        waitFor("the machine's row", () -> window.table().row(mac) != null);
    }

    @Test
    void aTakenPortIsExplainedAndNothingIsServedOrRemembered() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EngineConfig c = ConsoleWindowIT.loopbackEngine(tmp.resolve("data"), tmp.resolve("ipxe"));
            EngineConfig mine = new EngineConfig(c.dataDir(), "lo", DhcpMode.FULL, c.pool(), List.of(), null, List.of(), 600,
                    c.dhcpPort(), c.pxePort(), c.tftpPort(), taken.getLocalPort(), c.ipxeDir(), null, false);
            open(mine, CoreFixture.freePort());
            robot.clickOn(nic("lo"));
            robot.clickOn("#modeFull");
            waitFor("the HTTP port's problem", () -> robot.lookup("#portResults").queryAs(javafx.scene.layout.VBox.class)
                    .getChildren().stream().anyMatch(n -> ((Label) n).getText().startsWith(
                            "Cannot open the HTTP server on TCP 127.0.0.1:" + taken.getLocalPort())
                            && ((Label) n).getText().contains("another program already uses it")));
            robot.clickOn("#startServing");
            waitFor("the start's error", () -> robot.lookup("#setupError").queryLabeled().getText()
                    .contains("TCP 127.0.0.1:" + taken.getLocalPort()));
            assertThat(session.serving()).isFalse();
            assertThat(SavedSetup.load(mine.dataDir())).isEmpty();
            assertThat(robot.lookup("#setupOverlay").tryQuery()).isPresent();
        }
    }
}
