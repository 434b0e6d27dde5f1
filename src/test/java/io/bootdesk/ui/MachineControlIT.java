package io.bootdesk.ui;

import static io.bootdesk.ui.ConsoleUi.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.pikvm.FakePiKvm;
import io.bootdesk.console.redfish.FakeRedfishBmc;
import io.bootdesk.engine.EngineConfig;
import io.bootdesk.engine.SavedSetup;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.DhcpMode;
import io.bootdesk.model.MacAddress;
import io.bootdesk.testing.CoreFixture;
import io.bootdesk.ui.model.BootTimeline;
import io.bootdesk.ui.model.ConsoleOptions;
import io.bootdesk.ui.model.ConsoleSession;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The window with machines bound to a (fake) PiKVM and a (fake) Redfish BMC on loopback: the detail pane shows the
 * KVM's screen, "Boot now" from the machine menu resets the machine and presses its boot key through the KVM, the
 * Power menu resets it, and each step shows in the machine's timeline and events; a Redfish machine's Boot now sets
 * a one-time UEFI HTTP boot to the engine's own loader; an unreachable KVM and a refused login say so in one line.
 */
class MachineControlIT {
    static final MacAddress KVM = MacAddress.parse("52:54:00:00:0e:01");
    static final MacAddress BMC = MacAddress.parse("52:54:00:00:0e:02");
    static final MacAddress GONE = MacAddress.parse("52:54:00:00:0e:03");
    static final MacAddress WRONG = MacAddress.parse("52:54:00:00:0e:04");

    @TempDir
    Path tmp;

    private final FxRobot robot = new FxRobot();
    private ConsoleSession session;
    private ConsoleWindow window;
    private FakePiKvm kvm;
    private FakeRedfishBmc bmc;
    private BootClient client;
    private final List<String> opened = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        Path data = tmp.resolve("data");
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        Files.write(ipxe.resolve("undionly.kpxe"), new byte[70_000]);
        Files.write(ipxe.resolve("snponly.efi"), new byte[200_000]);
        EngineConfig engine = ConsoleWindowIT.loopbackEngine(data, ipxe);
        new SavedSetup("lo", DhcpMode.FULL).save(data);

        kvm = new FakePiKvm("admin", "kvm-pw");
        kvm.power = true;
        BufferedImage screen = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = screen.createGraphics();
        g.setColor(new Color(0, 0, 170));
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        kvm.screen = FakePiKvm.jpeg(screen);
        bmc = new FakeRedfishBmc("root", "bmc-pw");
        int closed = CoreFixture.freePort();
        try (Workspace w = Workspace.open(data)) {
            w.bindConsole(KVM, new ConsoleBinding.PiKvm(kvm.uri().toString(), "admin"), "kvm-pw");
            w.bindConsole(BMC, new ConsoleBinding.Redfish(bmc.uri().toString(), "root", null), "bmc-pw");
            w.bindConsole(GONE, new ConsoleBinding.PiKvm("http://127.0.0.1:" + closed, "admin"), "x");
            w.bindConsole(WRONG, new ConsoleBinding.PiKvm(kvm.uri().toString(), "admin"), "not-the-password");
        }
        PowerMenu.keyTime = Duration.ofSeconds(3);
        PowerMenu.autoConfirm = true;
        KvmPanel.browser = opened::add;
        session = new ConsoleSession(new ConsoleOptions(data, engine, true, 67, 68, Duration.ofSeconds(1)));
        window = ConsoleUi.show(session);
        waitFor("the engine serving", () -> session.serving());
        client = new BootClient(engine.dhcpPort(), engine.httpPort());
        for (MacAddress m : List.of(KVM, BMC, GONE, WRONG)) {
            client.discover(m, BootClient.Firmware.UEFI_PXE);
        }
        waitFor("four rows", () -> window.table().total() == 4);
    }

    @AfterEach
    void close() throws Exception {
        PowerMenu.keyTime = io.bootdesk.engine.MachineActions.DEFAULT_KEY_TIME;
        PowerMenu.autoConfirm = null;
        ConsoleUi.close(robot, window, session);
        kvm.close();
        bmc.close();
    }

    private MenuItem item(String id) {
        for (MenuItem i : window.table().control().getContextMenu().getItems()) {
            if (id.equals(i.getId())) {
                return i;
            }
            if (i instanceof Menu m) {
                for (MenuItem j : m.getItems()) {
                    if (id.equals(j.getId())) {
                        return j;
                    }
                }
            }
        }
        throw new AssertionError("no menu item " + id);
    }

    @SuppressWarnings("unchecked")
    private List<BootTimeline.Step> timeline() {
        return ((ListView<BootTimeline.Step>) robot.lookup("#timeline").query()).getItems();
    }

    @Test
    void snapshotBootNowAndPowerThroughThePiKvm() throws Exception {
        robot.clickOn(ConsoleUi.tableRow(robot, KVM));
        waitFor("the KVM's screen in the detail pane", () -> window.kvm().image() != null);
        assertThat(window.kvm().image().getWidth()).isEqualTo(640);
        assertThat(window.kvm().image().getHeight()).isEqualTo(480);
        assertThat(window.kvm().image().isError()).isFalse();
        assertThat(window.kvm().stateText()).startsWith("Screen at ");
        assertThat(robot.lookup("#kvmSnapshot").query().isVisible()).isTrue();
        // previews are asked for, not the full frame
        assertThat(kvm.snapshots()).isPositive();
        int before = kvm.snapshots();
        waitFor("a refresh about 3 s later", () -> kvm.snapshots() > before);

        robot.clickOn("#openKvm");
        assertThat(opened).containsExactly(kvm.uri().toString());

        // Boot now from the machine menu
        ConsoleUi.openContextMenu(robot, window, KVM);
        waitFor("Boot now enabled", () -> !item("bootNowItem").isDisable());
        assertThat(item("powerMenu").isDisable()).isFalse();
        // the menu's item, not the detail pane's button of the same name
        javafx.scene.Node menuBootNow = robot.lookup(".context-menu").lookup("Boot now").query();
        assertThat(robot.lookup("#kvmPanel").lookup("Boot now").tryQuery()).isPresent().get().isNotSameAs(menuBootNow);
        robot.clickOn(menuBootNow);
        waitFor("the detail pane's button offers to cancel it", () -> ((javafx.scene.control.Button) robot
                .lookup("#bootNowButton").query()).getText().equals("Cancel Boot now"));
        waitFor("the KVM reset and F12 pressed three times", () -> kvm.keyEvents.size() == 6);
        waitFor("the button back to Boot now", () -> ((javafx.scene.control.Button) robot
                .lookup("#bootNowButton").query()).getText().equals("Boot now"));
        assertThat(kvm.atxActions).containsExactly("reset_hard");
        assertThat(kvm.keyEvents).containsExactly("F12 down", "F12 up", "F12 down", "F12 up", "F12 down", "F12 up");
        waitFor("the steps in the timeline", () -> timeline().stream()
                .anyMatch(s -> s.why().equals("done; pressed F12 3 times")));
        assertThat(timeline()).extracting(BootTimeline.Step::why).containsSubsequence(
                "started through pikvm " + kvm.uri(), "reset (reset_hard; the machine was on)",
                "pressing F12 (1/3)", "pressing F12 (3/3)");
        assertThat(timeline()).extracting(BootTimeline.Step::title).contains("boot now");
        ListView<?> events = robot.lookup("#eventLog").query();
        assertThat(events.getItems()).anyMatch(l -> l.toString().contains("CONSOLE") && l.toString().contains("pressing F12 (2/3)"));

        // Power > Reset… (confirmed by the test seam)
        ConsoleUi.openContextMenu(robot, window, KVM);
        waitFor("Power enabled", () -> !item("powerMenu").isDisable());
        robot.interact(() -> item("powerReset").fire());
        waitFor("a second reset", () -> kvm.atxActions.size() == 2);
        assertThat(kvm.atxActions).containsExactly("reset_hard", "reset_hard");
        waitFor("the power step in the timeline", () -> timeline().stream()
                .anyMatch(s -> s.title().equals("power") && s.why().startsWith("power reset: reset_hard through pikvm")));
        robot.interact(() -> ConsoleUi.tableRow(robot, KVM).getScene().getWindow().requestFocus());
    }

    @Test
    void redfishBootNowUsesTheEnginesLoaderAndAnUnreachableKvmSaysSo() throws Exception {
        robot.clickOn(ConsoleUi.tableRow(robot, BMC));
        waitFor("the console panel", () -> robot.lookup("#kvmPanel").query().isVisible());
        assertThat(robot.lookup("#kvmScreen").query().isVisible()).isFalse();
        assertThat(((javafx.scene.control.Button) robot.lookup("#openKvm").query()).getText()).isEqualTo("Open BMC");
        robot.clickOn("#bootNowButton");
        waitFor("the BMC restarted", () -> "ForceRestart".equals(bmc.lastResetType));
        assertThat(bmc.bootedFrom).isEqualTo("UefiHttp");
        assertThat(bmc.httpBootUri).matches("http://127\\.0\\.0\\.1:\\d+/ipxe/snponly\\.efi");
        waitFor("the steps in the timeline", () -> timeline().stream()
                .anyMatch(s -> s.why().equals("ForceRestart (the machine was on)")));
        assertThat(timeline()).extracting(BootTimeline.Step::why)
                .contains("one-time UefiHttp boot to " + bmc.httpBootUri + " set");

        robot.clickOn(ConsoleUi.tableRow(robot, GONE));
        waitFor("the unreachable state", () -> window.kvm().stateText().startsWith("Could not connect to the KVM at"));
        assertThat(window.kvm().image()).isNull();

        robot.clickOn(ConsoleUi.tableRow(robot, WRONG));
        waitFor("the login state", () -> window.kvm().stateText().contains("rejected the login for user admin"));
        assertThat(window.kvm().stateText()).doesNotContain("not-the-password");
        assertThat(window.kvm().image()).isNull();
    }
}
