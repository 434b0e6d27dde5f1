package io.bootdesk.console.jetkvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.MachineControl.Ability;
import io.bootdesk.console.MachineControl.Power;
import io.bootdesk.console.MachineControl.PowerAction;
import io.bootdesk.console.jetkvm.FakeJetKvm.Report;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JetKvmControlTest {

    static final String PASSWORD = "ctl-Secret#9";

    FakeJetKvm kvm;
    JetKvmControl control;

    @BeforeEach
    void start() {
        kvm = new FakeJetKvm(PASSWORD);
        ConsoleBinding.JetKvm binding = new ConsoleBinding.JetKvm("127.0.0.1:" + kvm.uri().getPort());
        control = JetKvmControl.of(binding, PASSWORD);
    }

    @AfterEach
    void stop() {
        control.close();
        kvm.close();
    }

    @Test
    void abilitiesAndWhatItCannotDo() {
        assertThat(control.abilities()).containsExactlyInAnyOrder(Ability.POWER, Ability.POWER_STATE, Ability.KEYS,
                Ability.VIRTUAL_MEDIA);
        assertThatThrownBy(() -> control.snapshotJpeg(320, 240)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("H.264");
        assertThatThrownBy(() -> control.oneTimeNetworkBoot(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(control.webUi()).isEqualTo(URI.create("http://127.0.0.1:" + kvm.uri().getPort() + "/"));
        assertThat(control.describe()).isEqualTo("jetkvm 127.0.0.1:" + kvm.uri().getPort());
    }

    @Test
    void powerActionsFollowTheAtxState() throws Exception {
        List<Object[]> events = new CopyOnWriteArrayList<>();
        control.client().onEvent((m, p) -> events.add(new Object[] {m, p}));
        kvm.machinePower = false;
        assertThat(control.powerState()).isEqualTo(Power.OFF);
        assertThat(kvm.activeExtension).isEqualTo("atx-power");

        control.power(PowerAction.ON);                    // presses, then waits for the LED
        assertThat(kvm.atxActions).containsExactly("power-short");
        assertThat(control.powerState()).isEqualTo(Power.ON);
        control.power(PowerAction.ON);
        assertThat(kvm.atxActions).as("already on: no press").containsExactly("power-short");

        control.power(PowerAction.OFF);                   // a short press; does not wait for the shutdown
        assertThat(kvm.atxActions).containsExactly("power-short", "power-short");
        awaitPower(Power.OFF);
        control.power(PowerAction.OFF);
        assertThat(kvm.atxActions).as("already off: no press").hasSize(2);

        control.power(PowerAction.RESET);
        control.power(PowerAction.FORCE_OFF);
        assertThat(kvm.atxActions).containsExactly("power-short", "power-short", "reset", "power-long");
        awaitPower(Power.OFF);
        assertThat(kvm.machinePower).isFalse();
        assertThat(events).extracting(e -> e[0]).contains("atxState");
    }

    @Test
    void powerOnFailsClearlyWithoutAnAtxBoard() {
        kvm.atxBoard = false;
        assertThatThrownBy(() -> control.power(PowerAction.ON)).isInstanceOf(JetKvmException.class)
                .hasMessageContaining("is the ATX extension board connected?");
        assertThat(kvm.atxActions).isEmpty();
    }

    private void awaitPower(Power expected) throws Exception {
        long end = System.nanoTime() + 3_000_000_000L;
        while (control.powerState() != expected && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(control.powerState()).isEqualTo(expected);
    }

    @Test
    void keysAndMediaGoThroughTheClient() throws Exception {
        control.pressKeys("F12");
        assertThat(kvm.keyboardReports).containsExactly(new Report(0, List.of(0x45)), new Report(0, List.of()));

        HttpServer images = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        images.createContext("/images/x.iso", ex -> {
            try (ex) {
                ex.getResponseHeaders().add("Content-Range", "bytes 0-0/4096");
                ex.sendResponseHeaders(206, 1);
                ex.getResponseBody().write(0);
            }
        });
        images.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + images.getAddress().getPort() + "/images/x.iso");
            control.mountMedia(url, false);
            assertThat(kvm.mounted).containsEntry("mode", "Disk").containsEntry("url", url.toString());
        } finally {
            images.stop(0);
        }
    }

    @Test
    void aWrongPasswordNeverShowsUpInTheMessage() {
        JetKvmControl wrong = JetKvmControl.of(new ConsoleBinding.JetKvm("127.0.0.1:" + kvm.uri().getPort()),
                PASSWORD + "x");
        try {
            assertThatThrownBy(wrong::powerState).isInstanceOf(IOException.class)
                    .hasMessageContaining("rejected the password").hasMessageNotContaining(PASSWORD);
        } finally {
            wrong.close();
        }
    }
}
