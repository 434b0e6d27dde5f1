package io.bootdesk.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.console.MachineControl.Ability;
import io.bootdesk.console.MachineControl.Power;
import io.bootdesk.console.MachineControl.PowerAction;
import io.bootdesk.console.pikvm.FakePiKvm;
import io.bootdesk.console.redfish.FakeRedfishBmc;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The factory and the Redfish and PiKVM adapters against the loopback fakes. */
class MachineControlsTest {

    @Test
    void chordsBecomeKeyboardEventCodes() {
        assertThat(KeyChord.parse("F12")).containsExactly("F12");
        assertThat(KeyChord.parse("ctrl+b")).containsExactly("ControlLeft", "KeyB");
        assertThat(KeyChord.parse("Ctrl + Alt + Del")).containsExactly("ControlLeft", "AltLeft", "Delete");
        assertThat(KeyChord.parse("Esc")).containsExactly("Escape");
        assertThat(KeyChord.parse("ArrowDown")).containsExactly("ArrowDown");
        assertThatThrownBy(() -> KeyChord.parse("Ctrl+Frob")).hasMessageContaining("'Frob' in 'Ctrl+Frob' is not a key");
    }

    @Test
    void aSerialConsoleHasNoControlAndSaysSo() throws IOException {
        assertThatThrownBy(() -> MachineControls.open(ConsoleBinding.Serial.of("/dev/ttyS0", 115200), null))
                .isInstanceOf(IOException.class).hasMessageContaining("only carries text");
        try (MachineControl j = MachineControls.open(new ConsoleBinding.JetKvm("10.0.0.9"), "pw")) {
            assertThat(j).isInstanceOf(io.bootdesk.console.jetkvm.JetKvmControl.class);
            assertThat(MachineControls.expected(new ConsoleBinding.JetKvm("10.0.0.9"))).isEqualTo(j.abilities());
        }
        assertThat(MachineControls.expected(ConsoleBinding.Serial.of("/dev/ttyS0", 115200))).isEmpty();
    }

    @Test
    void aMissingPasswordOrUserIsNamed() {
        assertThatThrownBy(() -> MachineControls.open(new ConsoleBinding.PiKvm("10.0.0.7", "admin"), null))
                .hasMessageContaining("No password is stored for the PiKVM at 10.0.0.7");
        assertThatThrownBy(() -> MachineControls.open(new ConsoleBinding.Redfish("10.0.0.5", null, null), "pw"))
                .hasMessageContaining("names no user");
    }

    @Test
    void piKvmPowerKeysSnapshotAndMedia() throws Exception {
        try (FakePiKvm kvm = new FakePiKvm("admin", "secret");
             MachineControl c = MachineControls.open(new ConsoleBinding.PiKvm(kvm.uri().toString(), "admin"), "secret")) {
            assertThat(c.abilities()).contains(Ability.POWER, Ability.KEYS, Ability.SNAPSHOT, Ability.VIRTUAL_MEDIA)
                    .doesNotContain(Ability.NETWORK_BOOT_OVERRIDE);
            assertThat(c.webUi()).isEqualTo(kvm.uri());
            assertThat(c.powerState()).isEqualTo(Power.OFF);
            assertThat(c.powerSaying(PowerAction.ON)).isEqualTo("on");
            assertThat(c.powerState()).isEqualTo(Power.ON);
            c.power(PowerAction.RESET);
            c.power(PowerAction.FORCE_OFF);
            assertThat(kvm.atxActions).containsExactly("on", "reset_hard", "off_hard");
            assertThat(c.powerState()).isEqualTo(Power.OFF);

            c.pressKeys("F12");
            c.pressKeys("Ctrl+Alt+Del");
            assertThat(kvm.keyEvents).containsExactly("F12 down", "F12 up", "ControlLeft down", "AltLeft down",
                    "Delete down", "Delete up", "AltLeft up", "ControlLeft up");
            assertThatThrownBy(() -> c.pressKeys("Ctrl+Frob")).isInstanceOf(IOException.class);

            BufferedImage screen = new BufferedImage(1024, 768, BufferedImage.TYPE_INT_RGB);
            kvm.screen = FakePiKvm.jpeg(screen);
            BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(c.snapshotJpeg(320, 240)));
            assertThat(thumb.getWidth()).isEqualTo(320);
            assertThat(thumb.getHeight()).isEqualTo(240);

            assertThatThrownBy(() -> c.oneTimeNetworkBoot(null)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void piKvmWithoutAtxBoardSaysSo() throws Exception {
        try (FakePiKvm kvm = new FakePiKvm("admin", "secret");
             MachineControl c = MachineControls.open(new ConsoleBinding.PiKvm(kvm.uri().toString(), null), "secret")) {
            kvm.atxEnabled = false;
            assertThat(c.powerState()).isEqualTo(Power.UNKNOWN);
            assertThat(c.abilities()).doesNotContain(Ability.POWER, Ability.POWER_STATE).contains(Ability.KEYS);
            assertThatThrownBy(() -> c.power(PowerAction.ON)).isInstanceOf(IOException.class)
                    .hasMessageContaining("has no ATX board");
            assertThat(kvm.atxActions).isEmpty();
        }
    }

    @Test
    void piKvmWrongPasswordIsOneSentence() throws Exception {
        try (FakePiKvm kvm = new FakePiKvm("admin", "secret");
             MachineControl c = MachineControls.open(new ConsoleBinding.PiKvm(kvm.uri().toString(), "admin"), "nope")) {
            assertThatThrownBy(c::powerState).isInstanceOf(IOException.class).hasMessageContaining("rejected the login")
                    .message().doesNotContain("nope");
        }
    }

    @Test
    void redfishPowerAndOverride() throws Exception {
        try (FakeRedfishBmc bmc = new FakeRedfishBmc("root", "calvin");
             MachineControl c = MachineControls.open(new ConsoleBinding.Redfish(bmc.uri().toString(), "root", null),
                     "calvin")) {
            assertThat(c.abilities()).containsExactlyInAnyOrder(Ability.POWER, Ability.POWER_STATE,
                    Ability.NETWORK_BOOT_OVERRIDE);
            assertThat(c.powerState()).isEqualTo(Power.ON);
            assertThat(c.powerSaying(PowerAction.ON)).isEqualTo("already on");
            assertThat(c.powerSaying(PowerAction.OFF)).isEqualTo("GracefulShutdown");
            assertThat(c.powerState()).isEqualTo(Power.OFF);
            c.oneTimeNetworkBoot(URI.create("http://10.0.0.1/ipxe/snponly.efi"));
            assertThat(bmc.overrideTarget).isEqualTo("UefiHttp");
            assertThat(bmc.httpBootUri).isEqualTo("http://10.0.0.1/ipxe/snponly.efi");
            assertThat(c.powerSaying(PowerAction.ON)).isEqualTo("On");
            assertThat(bmc.bootedFrom).isEqualTo("UefiHttp");
            c.oneTimeNetworkBoot(null);
            // the BMC allows no ForceRestart: the next preference it allows is used
            bmc.resetTypes = List.of("On", "ForceOff", "PowerCycle");
            assertThat(c.powerSaying(PowerAction.RESET)).isEqualTo("PowerCycle");
            assertThat(bmc.bootedFrom).isEqualTo("Pxe");
            assertThatThrownBy(() -> c.power(PowerAction.OFF)).hasMessageContaining("allows none of the reset types")
                    .hasMessageContaining("it allows On, ForceOff, PowerCycle");
            assertThat(bmc.resets).containsExactly("GracefulShutdown", "On", "PowerCycle");
        }
    }

    @Test
    void redfishWithoutUefiHttpSaysWhatItOffers() throws Exception {
        try (FakeRedfishBmc bmc = new FakeRedfishBmc("root", "calvin");
             MachineControl c = MachineControls.open(new ConsoleBinding.Redfish(bmc.uri().toString(), "root", null),
                     "calvin")) {
            bmc.bootTargets = List.of("None", "Pxe", "Hdd");
            assertThatThrownBy(() -> c.oneTimeNetworkBoot(URI.create("http://10.0.0.1/x.efi")))
                    .hasMessageContaining("does not offer the boot target UefiHttp").hasMessageContaining("Pxe");
            assertThat(bmc.overrideEnabled).isEqualTo("Disabled");
        }
    }
}
