package io.bootdesk.ui;

import static io.bootdesk.ui.ConsoleUi.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.ConsoleLogs;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.testing.PtyPair;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * Issue 5, acceptance 3: a serial console bound from the machine's context menu (Console…, a socat pty as the port)
 * opens in the detail pane's Console tab; keys typed into the terminal reach the machine's end of the pty; what the
 * machine writes (with ANSI colours) shows in the terminal's screen and is in the machine's console log.
 */
class TerminalIT {
    static final MacAddress MAC = MacAddress.parse("52:54:00:00:0f:01");

    @TempDir
    Path tmp;

    private final FxRobot robot = new FxRobot();
    private ConsoleSession session;
    private ConsoleWindow window;
    private PtyPair pty;
    private Path data;

    @BeforeEach
    void open() throws Exception {
        pty = PtyPair.open();
        data = tmp.resolve("data");
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        Files.write(ipxe.resolve("undionly.kpxe"), new byte[70_000]);
        Files.write(ipxe.resolve("snponly.efi"), new byte[200_000]);
        EngineConfig engine = ConsoleWindowIT.loopbackEngine(data, ipxe);
        new SavedSetup("lo", DhcpMode.FULL).save(data);
        session = new ConsoleSession(new ConsoleOptions(data, engine, true, 67, 68, Duration.ofSeconds(1)));
        window = ConsoleUi.show(session);
        waitFor("the engine serving", () -> session.serving());
        new BootClient(engine.dhcpPort(), engine.httpPort()).discover(MAC, BootClient.Firmware.BIOS_PXE);
        waitFor("the machine's row", () -> window.table().total() == 1);
    }

    @AfterEach
    void close() throws Exception {
        ConsoleUi.close(robot, window, session);
        pty.close();
    }

    private static String read(FileInputStream in, String until) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            StringBuilder got = new StringBuilder();
            byte[] b = new byte[256];
            try {
                while (!got.toString().contains(until)) {
                    int n = in.read(b);
                    if (n < 0) {
                        break;
                    }
                    got.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return got.toString();
        }).get(15, TimeUnit.SECONDS);
    }

    private String screen(TerminalView v) throws Exception {
        return org.testfx.util.WaitForAsyncUtils.asyncFx(() -> v.widget().getTerminalTextBuffer().getScreenLines())
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void bindFromTheMenuOpensTheTerminalAndKeysAndOutputCrossThePty() throws Exception {
        robot.clickOn(ConsoleUi.tableRow(robot, MAC));
        ConsoleUi.openContextMenu(robot, window, MAC);
        robot.clickOn(robot.lookup(".context-menu").lookup("Console…").<javafx.scene.Node>query());
        waitFor("the console dialog", () -> window.lastConsoleDialog() != null
                && window.lastConsoleDialog().dialog().isShowing());
        ConsoleBindDialog d = window.lastConsoleDialog();
        assertThat(d.kind.getValue()).isEqualTo("Serial port");
        robot.clickOn("#consolePort").write(pty.a);
        robot.clickOn("#consoleBind");
        waitFor("the dialog closed", () -> !d.dialog().isShowing());
        assertThat(session.consoleBinding(MAC)).contains(ConsoleBinding.Serial.of(pty.a, 115200));

        waitFor("the Console tab selected", () -> window.terminals().tab().isSelected());
        waitFor("the terminal made", () -> window.terminals().view(MAC) != null);
        TerminalView v = window.terminals().view(MAC);
        waitFor("the port attached", () -> robot.lookup("#terminalState").queryAs(javafx.scene.control.Label.class)
                .getText().equals("attached"));

        try (FileInputStream machineIn = new FileInputStream(pty.b); FileOutputStream machineOut = new FileOutputStream(pty.b)) {
            // the machine prints, in colour, as firmware and iPXE do
            machineOut.write("\u001b[1;32mBootDesk-serial-test\u001b[0m ready\r\niPXE> ".getBytes(StandardCharsets.US_ASCII));
            machineOut.flush();
            waitFor("the machine's text on the terminal's screen", () -> screen(v).contains("BootDesk-serial-test ready"));
            assertThat(screen(v)).doesNotContain("[1;32m"); // the escape sequence was interpreted, not printed

            // the technician types; Enter goes out as CR, as firmware expects
            robot.clickOn(v.widget().getPane());
            robot.write("echo typed-42");
            robot.type(KeyCode.ENTER);
            String got = read(machineIn, "\r");
            assertThat(got).isEqualTo("echo typed-42\r");
        }
        Path log = ConsoleLogs.file(data, MAC);
        waitFor("the machine's output in its log", () -> Files.isRegularFile(log)
                && Files.readString(log, StandardCharsets.ISO_8859_1).contains("BootDesk-serial-test"));
        assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).contains("=== BootDesk console session")
                .contains("\u001b[1;32mBootDesk-serial-test\u001b[0m ready");
    }
}
