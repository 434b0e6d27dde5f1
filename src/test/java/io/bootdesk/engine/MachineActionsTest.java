package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.MachineControl.PowerAction;
import io.bootdesk.console.pikvm.FakePiKvm;
import io.bootdesk.console.redfish.FakeRedfishBmc;
import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import io.bootdesk.model.MacAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Power, keys and Boot now through a machine's binding against the loopback PiKVM and Redfish fakes. */
class MachineActionsTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:00:0b:01");

    @TempDir
    Path tmp;

    private List<String> consoleEvents(Workspace w) {
        return w.events(MAC, 200).stream().filter(e -> e.type() == EventType.CONSOLE).map(BootEvent::message).toList();
    }

    @Test
    void bootNowThroughPiKvmResetsAndPressesTheBootKey() throws Exception {
        try (FakePiKvm kvm = new FakePiKvm("admin", "pw"); Workspace w = Workspace.open(tmp)) {
            kvm.power = true;
            w.bindConsole(MAC, new ConsoleBinding.PiKvm(kvm.uri().toString(), "admin", null, "Ctrl+B"), "pw");
            try (MachineActions a = w.machineActions()) {
                a.keyInterval = Duration.ofMillis(20);
                BootNow b = a.bootNow(MAC, Duration.ofSeconds(5));
                assertThatThrownBy(() -> a.bootNow(MAC, null)).hasMessageContaining("already running");
                assertThat(b.done().get(10, TimeUnit.SECONDS)).isEqualTo(BootNow.Outcome.DONE);
            }
            assertThat(kvm.atxActions).containsExactly("reset_hard");
            assertThat(kvm.keyEvents).hasSize(5 * 4).startsWith("ControlLeft down", "KeyB down", "KeyB up", "ControlLeft up");
            List<String> ev = consoleEvents(w);
            assertThat(ev).contains("boot now: started through pikvm " + kvm.uri(),
                    "boot now: reset (reset_hard; the machine was on)", "boot now: pressing Ctrl+B (1/5)",
                    "boot now: pressing Ctrl+B (5/5)", "boot now: done; pressed Ctrl+B 5 times");
        }
    }

    @Test
    void bootNowStopsPressingOnceTheMachineAsksForANetworkBoot() throws Exception {
        try (FakePiKvm kvm = new FakePiKvm("admin", "pw"); Workspace w = Workspace.open(tmp)) {
            kvm.power = true;
            w.bindConsole(MAC, new ConsoleBinding.PiKvm(kvm.uri().toString(), "admin"), "pw");
            // an older DISCOVER (before Boot now) does not count
            w.journal(BootEvent.of(MAC, null, EventType.DHCP_OFFER, "DISCOVER from PXE (before): offered 10.0.0.5"));
            try (MachineActions a = w.machineActions()) {
                a.keyInterval = Duration.ofMillis(300);
                BootNow b = a.bootNow(MAC, Duration.ofSeconds(20));
                long until = System.currentTimeMillis() + 5000;
                while (kvm.keyEvents.size() < 4 && System.currentTimeMillis() < until) {
                    Thread.sleep(10);
                }
                assertThat(kvm.keyEvents).hasSizeGreaterThanOrEqualTo(2);
                // a renewal is not a network boot
                w.journal(BootEvent.of(MAC, null, EventType.DHCP_ACK, "REQUEST from the running system: ACK 10.0.0.5"));
                Thread.sleep(700);
                assertThat(b.done()).isNotDone();
                w.journal(BootEvent.of(MAC, null, EventType.DHCP_OFFER, "DISCOVER from PXE (BIOS x86): offered 10.0.0.5"));
                assertThat(b.done().get(10, TimeUnit.SECONDS)).isEqualTo(BootNow.Outcome.DONE);
            }
            assertThat(kvm.keyEvents.size()).as("stopped well before the 20 presses").isBetween(2 * 2, 10 * 2);
            assertThat(consoleEvents(w)).anyMatch(m -> m.matches("boot now: done; the machine asked for a network boot"
                    + " \\(DHCP DISCOVER\\) after \\d presses of F12, so no more"));
        }
    }

    @Test
    void bootNowThroughAJetKvmResetsOverAtxAndPressesTheKeyOverWebRtc() throws Exception {
        try (io.bootdesk.console.jetkvm.FakeJetKvm kvm = new io.bootdesk.console.jetkvm.FakeJetKvm("pw");
             Workspace w = Workspace.open(tmp)) {
            kvm.machinePower = true;
            w.bindConsole(MAC, new ConsoleBinding.JetKvm("127.0.0.1:" + kvm.uri().getPort(), null, "F11"), "pw");
            try (MachineActions a = w.machineActions()) {
                a.keyInterval = Duration.ofMillis(20);
                assertThat(a.bootNow(MAC, Duration.ofSeconds(2)).done().get(60, TimeUnit.SECONDS))
                        .isEqualTo(BootNow.Outcome.DONE);
            }
            assertThat(kvm.atxActions).containsExactly("reset");
            // F11 is HID usage 0x44: pressed and released twice
            assertThat(kvm.keyboardReports).extracting(r -> r.keys()).containsExactly(List.of(0x44), List.of(),
                    List.of(0x44), List.of());
            assertThat(consoleEvents(w)).contains("boot now: reset (reset; the machine was on)",
                    "boot now: done; pressed F11 2 times");
        }
    }

    @Test
    void bootNowPowersOnAnOffMachineAndCanBeCancelled() throws Exception {
        try (FakePiKvm kvm = new FakePiKvm("admin", "pw"); Workspace w = Workspace.open(tmp)) {
            w.bindConsole(MAC, new ConsoleBinding.PiKvm(kvm.uri().toString(), "admin"), "pw");
            try (MachineActions a = w.machineActions()) {
                a.keyInterval = Duration.ofMillis(200);
                BootNow b = a.bootNow(MAC, Duration.ofSeconds(20));
                long until = System.currentTimeMillis() + 5000;
                while (kvm.keyEvents.size() < 4 && System.currentTimeMillis() < until) {
                    Thread.sleep(10);
                }
                b.cancel();
                assertThat(b.done().get(10, TimeUnit.SECONDS)).isEqualTo(BootNow.Outcome.CANCELLED);
                assertThat(a.bootNowRunning(MAC)).isEmpty();
            }
            assertThat(kvm.atxActions).containsExactly("on");
            assertThat(kvm.keyEvents.size()).isBetween(4, 8);
            assertThat(consoleEvents(w)).contains("boot now: power on (on; the machine was off)")
                    .anyMatch(m -> m.startsWith("boot now: cancelled after ") && m.endsWith(" of 20 presses of F12"));
        }
    }

    @Test
    void withoutAnAtxBoardTheTechnicianIsToldAndKeysStillGo() throws Exception {
        try (FakePiKvm kvm = new FakePiKvm("admin", "pw"); Workspace w = Workspace.open(tmp)) {
            kvm.atxEnabled = false;
            w.bindConsole(MAC, new ConsoleBinding.PiKvm(kvm.uri().toString(), "admin"), "pw");
            try (MachineActions a = w.machineActions()) {
                a.keyInterval = Duration.ofMillis(5);
                assertThat(a.bootNow(MAC, Duration.ofSeconds(2)).done().get(10, TimeUnit.SECONDS))
                        .isEqualTo(BootNow.Outcome.DONE);
                assertThatThrownBy(() -> a.power(MAC, PowerAction.ON)).hasMessageContaining("cannot switch the machine's power");
            }
            assertThat(kvm.keyEvents).containsExactly("F12 down", "F12 up", "F12 down", "F12 up");
            assertThat(consoleEvents(w)).contains(
                    "boot now: the pikvm " + kvm.uri() + " cannot switch power (no ATX board): switch the machine on by hand")
                    .anyMatch(m -> m.startsWith("power on failed: The KVM at ") && m.contains("has no ATX board"));
        }
    }

    @Test
    void bootNowThroughRedfishSetsTheOverrideThenRestarts() throws Exception {
        try (FakeRedfishBmc bmc = new FakeRedfishBmc("root", "calvin"); Workspace w = Workspace.open(tmp)) {
            w.bindConsole(MAC, new ConsoleBinding.Redfish(bmc.uri().toString(), "root", null), "calvin");
            URI loader = URI.create("http://10.9.8.7/ipxe/snponly.efi");
            List<BootEvent> seen = new CopyOnWriteArrayList<>();
            try (MachineActions a = new MachineActions(w.database(), e -> {
                seen.add(e);
                w.journal(e);
            }, m -> new MachineActions.HttpBoot(loader, null))) {
                assertThat(a.bootNow(MAC, null).done().get(10, TimeUnit.SECONDS)).isEqualTo(BootNow.Outcome.DONE);
                assertThat(bmc.overrideTarget).isEqualTo("UefiHttp");
                assertThat(bmc.httpBootUri).isEqualTo(loader.toString());
                assertThat(bmc.resets).containsExactly("ForceRestart");
                assertThat(bmc.bootedFrom).isEqualTo("UefiHttp");

                // the BMC offers no UefiHttp: PXE, and the timeline says why; an off machine is switched On
                bmc.bootTargets = List.of("None", "Pxe", "Hdd");
                bmc.powerState = "Off";
                assertThat(a.bootNow(MAC, null).done().get(10, TimeUnit.SECONDS)).isEqualTo(BootNow.Outcome.DONE);
                assertThat(bmc.resets).containsExactly("ForceRestart", "On");
                assertThat(bmc.bootedFrom).isEqualTo("Pxe");
            }
            assertThat(seen).allMatch(e -> e.type() == EventType.CONSOLE && MAC.equals(e.mac()));
            assertThat(consoleEvents(w)).containsSubsequence(
                    "boot now: one-time UefiHttp boot to " + loader + " set", "boot now: ForceRestart (the machine was on)",
                    "boot now: done; the machine network-boots now")
                    .anyMatch(m -> m.startsWith("boot now: UefiHttp not possible (The BMC does not offer the boot target UefiHttp"))
                    .contains("boot now: On (the machine was off)");
        }
    }

    @Test
    void failuresAreJournaledWithTheAdaptersSentence() throws Exception {
        try (FakeRedfishBmc bmc = new FakeRedfishBmc("root", "calvin"); Workspace w = Workspace.open(tmp)) {
            w.bindConsole(MAC, new ConsoleBinding.Redfish(bmc.uri().toString(), "root", null), "wrong");
            try (MachineActions a = w.machineActions()) {
                assertThat(a.bootNow(MAC, null).done().get(10, TimeUnit.SECONDS)).isEqualTo(BootNow.Outcome.FAILED);
                assertThatThrownBy(() -> a.power(MAC, PowerAction.RESET)).hasMessageContaining("rejected the login");
            }
            assertThat(consoleEvents(w)).anyMatch(m -> m.startsWith("boot now: failed: The BMC at ")
                    && m.contains("rejected the login for user root")).anyMatch(m -> m.startsWith("power reset failed: "));
            assertThat(bmc.resets).isEmpty();
        }
        try (Workspace w = Workspace.open(tmp); MachineActions a = w.machineActions()) {
            MacAddress none = MacAddress.parse("52:54:00:00:0b:99");
            assertThatThrownBy(() -> a.power(none, PowerAction.ON)).hasMessageContaining("has no console binding");
        }
    }
}
