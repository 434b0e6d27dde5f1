package io.bootdesk.console.jetkvm;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.MachineControl;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@link MachineControl} over a JetKVM (firmware 0.4.7) through {@link JetKvmClient}.
 *
 * <ul>
 *   <li>POWER and POWER_STATE need the ATX extension board: each action first makes {@code atx-power} the active
 *       extension and waits for the board's first LED report (only one extension can be active; ATX, DC power and the
 *       serial console share one UART; 0.4.7 reads the LEDs only while ATX is active and its ATX calls never say
 *       that the extension is off, so getATXState would silently be stale). There is
 *       no "on if off" on the device, so ON and OFF read {@code getATXState} (the power LED) and press the power
 *       button briefly only when the machine is in the other state; FORCE_OFF is a long press, RESET the reset
 *       button.</li>
 *   <li>KEYS: {@code keyboardReport} press and release.</li>
 *   <li>VIRTUAL_MEDIA: {@code mountWithHTTP}; the device fetches the image from BootDesk with Range requests.</li>
 *   <li>No SNAPSHOT: 0.4.7 has only an H.264 video track in the WebRTC session and no still-image endpoint.</li>
 *   <li>No NETWORK_BOOT_OVERRIDE: a KVM cannot talk to the firmware; the caller presses the binding's boot key.</li>
 * </ul>
 * Opening a session here ends any browser session on the device (one session at a time), and vice versa.
 */
public final class JetKvmControl implements MachineControl {

    private final JetKvmClient client;
    private final String address;

    public JetKvmControl(JetKvmClient client, String address) {
        this.client = client;
        this.address = address;
    }

    /** From a binding and the machine's console password (null: the device runs in noPassword mode). */
    public static JetKvmControl of(ConsoleBinding.JetKvm binding, String password) {
        JetKvmClient.Config c = JetKvmClient.Config.of(JetKvmClient.baseUri(binding.address()), password)
                .withTrustedSha256(binding.tlsSha256());
        return new JetKvmControl(new JetKvmClient(c), binding.address());
    }

    public JetKvmClient client() {
        return client;
    }

    @Override
    public String describe() {
        return "jetkvm " + address;
    }

    @Override
    public Set<Ability> abilities() {
        return EnumSet.of(Ability.POWER, Ability.POWER_STATE, Ability.KEYS, Ability.VIRTUAL_MEDIA);
    }

    /** How long the ATX board may take to report its LEDs after the extension is switched on. */
    static final java.time.Duration ATX_WAIT = java.time.Duration.ofSeconds(3);
    /**
     * ON waits for the power LED (so a second ON right after cannot press again and turn the machine off); OFF
     * (graceful: one short press) does not wait, as the operating system may take minutes to shut down.
     */
    static final java.time.Duration POWER_ON_WAIT = java.time.Duration.ofSeconds(10);

    @Override
    public Power powerState() throws IOException {
        client.activateAtx(ATX_WAIT);
        return client.atxState().power() ? Power.ON : Power.OFF;
    }

    @Override
    public void power(PowerAction action) throws IOException {
        powerSaying(action);
    }

    /** As {@link #power}, returning what the ATX board was told ({@code power-short}, ...) or that nothing was needed. */
    @Override
    public String powerSaying(PowerAction action) throws IOException {
        client.activateAtx(ATX_WAIT);
        switch (action) {
            case ON -> {
                if (client.atxState().power()) {
                    return "nothing to do (the power LED is on)";
                }
                client.atxAction("power-short");
                if (!client.awaitPower(true, POWER_ON_WAIT)) {
                    throw new JetKvmException(JetKvmException.Kind.TIMEOUT, "The JetKVM at " + address
                            + " pressed the power button but the power LED still showed off after "
                            + POWER_ON_WAIT.toSeconds() + " s.", null);
                }
                return "power-short";
            }
            case OFF -> {
                if (!client.atxState().power()) {
                    return "nothing to do (the power LED is off)";
                }
                client.atxAction("power-short");
                return "power-short";
            }
            case FORCE_OFF -> {
                client.atxAction("power-long");
                return "power-long";
            }
            case RESET -> {
                client.atxAction("reset");
                return "reset";
            }
        }
        throw new IllegalArgumentException(action.name());
    }

    @Override
    public void oneTimeNetworkBoot(URI httpBootUri) {
        throw new UnsupportedOperationException("a JetKVM cannot set the firmware's boot order; press the boot key");
    }

    @Override
    public void pressKeys(String chord) throws IOException {
        client.pressKeys(chord);
    }

    @Override
    public void mountMedia(URI url, boolean cdrom) throws IOException {
        client.mountWithHttp(url, cdrom);
    }

    @Override
    public byte[] snapshotJpeg(int maxWidth, int maxHeight) {
        throw new UnsupportedOperationException("JetKVM 0.4.7 has no still-image endpoint, only an H.264 WebRTC track");
    }

    @Override
    public URI webUi() {
        return client.webUi();
    }

    @Override
    public void close() {
        client.close();
    }
}
