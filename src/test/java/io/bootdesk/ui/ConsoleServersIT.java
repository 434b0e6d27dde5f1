package io.bootdesk.ui;

import static io.bootdesk.ui.ConsoleUi.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.cli.Main;
import io.bootdesk.engine.BootMediumTest;
import io.bootdesk.engine.Engine;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.EngineServersIT;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.engine.Server;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The window's engine actions (headless Monocle) against a real engine on loopback: a server's toolbar chip stops
 * and starts that server alone; "Create boot medium" writes, through the engine's CA, the FAT image
 * {@code bootdesk media create} writes.
 */
class ConsoleServersIT {
    static final MacAddress M1 = MacAddress.parse("52:54:00:00:02:01");

    @TempDir
    Path tmp;

    private final FxRobot robot = new FxRobot();
    private Path data;
    private Path ipxe;
    private byte[] efi;
    private EngineConfig config;
    private ConsoleSession session;
    private ConsoleWindow window;
    private BootClient client;

    @BeforeEach
    void open() throws Exception {
        data = tmp.resolve("data");
        ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        Files.write(ipxe.resolve("undionly.kpxe"), new byte[70_000]);
        efi = new byte[90_000];
        for (int i = 0; i < efi.length; i++) {
            efi[i] = (byte) (i * 13);
        }
        Files.write(ipxe.resolve("ipxe-amd64.efi"), efi);
        config = ConsoleWindowIT.loopbackEngine(data, ipxe);
        new SavedSetup("lo", DhcpMode.FULL).save(data);
        session = new ConsoleSession(new ConsoleOptions(data, config, true, 67, 68, Duration.ofSeconds(1)));
        window = ConsoleUi.show(session);
        waitFor("the engine serving", () -> session.serving());
        client = new BootClient(config.dhcpPort(), config.httpPort());
    }

    @AfterEach
    void close() throws Exception {
        ConsoleUi.close(robot, window, session);
    }

    @Test
    void aServerChipStopsAndStartsThatServerAlone() throws Exception {
        Engine engine = ConsoleWindowIT.engineOf(session);
        waitFor("the TFTP chip", () -> chip("TFTP").getText().equals("TFTP :" + config.tftpPort()));
        assertThat(chip("TFTP").getStyleClass()).contains("running");
        assertThat(chip("TFTP").getTooltip().getText()).contains("Click to stop only this server")
                .contains("PXE firmware cannot load iPXE");
        assertThat(EngineServersIT.tftpRead(config.tftpPort(), "undionly.kpxe")).hasSize(70_000);

        robot.clickOn("#serverTFTP");
        waitFor("TFTP stopped", () -> !engine.running(Server.TFTP));
        waitFor("the chip showing it", () -> chip("TFTP").getStyleClass().contains("stopped"));
        assertThat(chip("TFTP").getText()).isEqualTo("TFTP :" + config.tftpPort() + " stopped");
        assertThat(chip("TFTP").getTooltip().getText()).contains("Click to start it again on port " + config.tftpPort());
        assertThat(robot.lookup("#status").queryLabeled().getText()).startsWith("TFTP server stopped.");
        assertThat(engine.running(Server.DHCP)).isTrue();
        assertThat(engine.running(Server.HTTP)).isTrue();
        assertThat(chip("DHCP").getStyleClass()).contains("running");
        assertThat(EngineServersIT.tftpRead(config.tftpPort(), "undionly.kpxe")).isNull();
        // the others serve: DHCP puts the machine in the table, HTTP gives its script
        client.discover(M1, BootClient.Firmware.BIOS_PXE);
        waitFor("M1 in the table", () -> window.table().row(M1) != null);
        assertThat(client.script(M1)).contains("no image assigned");

        robot.clickOn("#serverTFTP");
        waitFor("TFTP running again", () -> engine.running(Server.TFTP));
        waitFor("the chip showing it", () -> chip("TFTP").getStyleClass().contains("running"));
        assertThat(EngineServersIT.tftpRead(config.tftpPort(), "undionly.kpxe")).hasSize(70_000);
    }

    @Test
    void createBootMediumWritesWhatTheCliWrites() throws Exception {
        client.discover(M1, BootClient.Firmware.UEFI_PXE);
        waitFor("M1 in the table", () -> window.table().row(M1) != null);
        robot.clickOn(tableRow(M1));
        // the vendor from the OUI: in the MAC cell's tooltip and the detail pane
        assertThat(window.table().row(M1).view().vendor()).isEqualTo("QEMU/KVM");
        javafx.scene.control.TableCell<?, ?> macCell = robot.lookup(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
                && c.getTableColumn() != null && "colMac".equals(c.getTableColumn().getId()) && M1.toString().equals(c.getText()))
                .query();
        assertThat(macCell.getTooltip().getText()).isEqualTo("QEMU/KVM (OUI 52:54:00)");
        waitFor("the detail pane", () -> robot.lookup("#detailTitle").queryLabeled().getText().startsWith(M1.toString()));
        assertThat(window.detail().node().lookupAll(".muted").stream()
                .anyMatch(n -> n instanceof javafx.scene.control.Label l && l.getText().startsWith("QEMU/KVM  ·  "))).isTrue();
        robot.interact(() -> window.table().control().getContextMenu().show(tableRow(M1), javafx.geometry.Side.BOTTOM, 20, 0));
        robot.clickOn("Create boot medium…");
        waitFor("the dialog", () -> robot.lookup("#mediumOut").tryQuery().isPresent());
        TextField efiField = robot.lookup("#mediumEfi").query();
        assertThat(efiField.getText()).isEqualTo(ipxe.resolve("ipxe-amd64.efi").toString());
        TextField server = robot.lookup("#mediumServer").query();
        assertThat(server.getText()).isEqualTo("127.0.0.1");
        assertThat(((TextField) robot.lookup("#mediumPort").query()).getText()).isEqualTo("8443");
        // the test seam: the output path typed into the field a FileChooser would fill
        Path out = tmp.resolve("m1.img");
        robot.interact(() -> ((TextField) robot.lookup("#mediumOut").query()).setText(out.toString()));
        robot.clickOn("#mediumCreate");
        waitFor("the medium written", () -> Files.isRegularFile(out)
                && window.notifier().messages().stream().anyMatch(m -> m.startsWith("Boot medium for " + M1)));
        waitFor("M1's new certificate in the column", () -> window.table().row(M1).view().certificate().label().equals("issued"));

        Path byCli = tmp.resolve("cli.img");
        assertThat(Main.run("--data-dir", data.toString(), "media", "create", M1.toString(), "--out", byCli.toString(),
                "--server", "127.0.0.1", "--mtls-port", "8443", "--ipxe-dir", ipxe.toString())).isZero();
        BootMediumTest.assertSameMedium(out, byCli, efi);
    }

    private Button chip(String server) {
        return robot.lookup("#server" + server).queryAs(Button.class);
    }

    private Node tableRow(MacAddress mac) {
        return ConsoleUi.tableRow(robot, mac);
    }
}
