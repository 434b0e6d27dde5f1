package io.bootdesk.console.pikvm;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.KeyChord;
import io.bootdesk.console.MachineControl;
import io.bootdesk.console.MachineControls;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A PiKVM or GL.iNet Comet as a {@link MachineControl}: ATX power (state from the power LED), keys, virtual media
 * by URL and screen snapshots through {@link PiKvmClient}. Without an ATX board ({@code GET /api/atx} says
 * {@code enabled: false}) it cannot switch power or tell on from off, and says so; it then drops POWER and
 * POWER_STATE from its abilities. The user defaults to kvmd's {@code admin}.
 */
public final class PiKvmControl implements MachineControl {
    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.POWER,
            Ability.POWER_STATE, Ability.KEYS, Ability.VIRTUAL_MEDIA, Ability.SNAPSHOT));

    private final ConsoleBinding.PiKvm binding;
    private final PiKvmClient client;
    private volatile Boolean atxEnabled;

    public PiKvmControl(ConsoleBinding.PiKvm binding, String password) throws IOException {
        this.binding = binding;
        String user = binding.user() == null || binding.user().isBlank() ? "admin" : binding.user();
        URI base = MachineControls.baseUri(binding.address());
        this.client = new PiKvmClient(PiKvmClient.Config.of(base, user,
                MachineControls.requirePassword(password, "PiKVM at " + binding.address()))
                .withTrustedSha256(binding.tlsSha256()));
    }

    /** The client underneath (for what the interface does not cover). */
    public PiKvmClient client() {
        return client;
    }

    @Override
    public String describe() {
        return "pikvm " + binding.address();
    }

    @Override
    public Set<Ability> abilities() {
        if (Boolean.FALSE.equals(atxEnabled)) {
            EnumSet<Ability> s = EnumSet.copyOf(ABILITIES);
            s.remove(Ability.POWER);
            s.remove(Ability.POWER_STATE);
            return Collections.unmodifiableSet(s);
        }
        return ABILITIES;
    }

    @Override
    public Power powerState() throws IOException {
        PiKvmClient.AtxState atx = client.atx();
        atxEnabled = atx.enabled();
        if (!atx.enabled()) {
            return Power.UNKNOWN;
        }
        return atx.power() ? Power.ON : Power.OFF;
    }

    @Override
    public void power(PowerAction action) throws IOException {
        powerSaying(action);
    }

    @Override
    public String powerSaying(PowerAction action) throws IOException {
        PiKvmClient.AtxState atx = client.atx();
        atxEnabled = atx.enabled();
        if (!atx.enabled()) {
            throw new PiKvmException(PiKvmException.Kind.REFUSED, "The KVM at " + client.baseUri() + " has no ATX board"
                    + " (ATX is disabled), so it cannot switch the machine's power; press its power button by hand.",
                    "AtxDisabledError", null, null);
        }
        PiKvmClient.PowerAction a = switch (action) {
            case ON -> PiKvmClient.PowerAction.ON;
            case OFF -> PiKvmClient.PowerAction.OFF;
            case FORCE_OFF -> PiKvmClient.PowerAction.OFF_HARD;
            case RESET -> PiKvmClient.PowerAction.RESET_HARD;
        };
        client.power(a);
        return a.wire();
    }

    @Override
    public void oneTimeNetworkBoot(URI httpBootUri) {
        throw new UnsupportedOperationException("A PiKVM cannot set the firmware's boot order; it presses the boot key"
                + " (" + binding.bootKey() + ") instead.");
    }

    @Override
    public void pressKeys(String chord) throws IOException {
        List<String> keys;
        try {
            keys = KeyChord.parse(chord);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + ".");
        }
        if (keys.size() == 1) {
            client.pressKey(keys.get(0));
        } else {
            client.sendShortcut(keys);
        }
    }

    @Override
    public void mountMedia(URI url, boolean cdrom) throws IOException {
        String path = url.getPath() == null ? "" : url.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isBlank()) {
            name = "bootdesk-" + (cdrom ? "cdrom.iso" : "disk.img");
        }
        client.mountFromUrl(url, name, cdrom, null);
    }

    @Override
    public byte[] snapshotJpeg(int maxWidth, int maxHeight) throws IOException {
        return client.snapshot(maxWidth, maxHeight);
    }

    @Override
    public URI webUi() {
        return client.baseUri();
    }

    @Override
    public void close() {
        // kvmd authenticates every request: no session to end
    }
}
