package io.bootdesk.console;

import java.io.IOException;
import java.net.URI;
import java.util.Set;

/**
 * What BootDesk can do to a machine through its network console (a Redfish BMC, a PiKVM/Comet or a JetKVM): the
 * buttons a technician would press. Each adapter says which {@link Ability abilities} it has; a call outside them
 * throws {@link UnsupportedOperationException}. Failures are {@link IOException}s whose message is one sentence for
 * the operator (never containing a password).
 */
public interface MachineControl extends AutoCloseable {

    enum Ability {
        /** {@link #power(PowerAction)}. */
        POWER,
        /** {@link #powerState()} tells on from off (a KVM without its ATX board cannot). */
        POWER_STATE,
        /** {@link #oneTimeNetworkBoot(URI)}: the firmware itself is told to network-boot once (Redfish). */
        NETWORK_BOOT_OVERRIDE,
        /** {@link #pressKeys(String)} on the machine's keyboard (KVMs). */
        KEYS,
        /** {@link #mountMedia(URI, boolean)} from a URL BootDesk serves. */
        VIRTUAL_MEDIA,
        /** {@link #snapshotJpeg(int, int)}: a still of the machine's screen. */
        SNAPSHOT
    }

    enum Power { ON, OFF, UNKNOWN }

    /**
     * ON: power on (no-op when on); OFF: graceful (a short press); FORCE_OFF: hard off (a long press);
     * RESET: hard reset (the reset button, or ForceRestart).
     */
    enum PowerAction { ON, OFF, FORCE_OFF, RESET }

    /** "redfish 10.0.0.5", "pikvm kvm1.lab", ... for the timeline. */
    String describe();

    Set<Ability> abilities();

    Power powerState() throws IOException;

    void power(PowerAction action) throws IOException;

    /**
     * {@link #power} that also says what the device was told, in its own words ({@code ForceRestart},
     * {@code reset_hard}), for the timeline. Adapters that choose among several device actions override it.
     */
    default String powerSaying(PowerAction action) throws IOException {
        power(action);
        return action.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Next start boots from the network once: PXE, or UEFI HTTP from {@code httpBootUri} when it is not null. */
    void oneTimeNetworkBoot(URI httpBootUri) throws IOException;

    /** Presses and releases a key or chord: {@code F12}, {@code Enter}, {@code Ctrl+B}, {@code Ctrl+Alt+Delete}. */
    void pressKeys(String chord) throws IOException;

    /** Attaches the image at {@code url} (served by BootDesk, with Range) as a CD-ROM or a disk. */
    void mountMedia(URI url, boolean cdrom) throws IOException;

    /** A JPEG of the screen no larger than the given size. */
    byte[] snapshotJpeg(int maxWidth, int maxHeight) throws IOException;

    /** The device's own web UI (for "Open KVM" in the system browser), or null when it has none worth opening. */
    URI webUi();

    @Override
    void close();
}
