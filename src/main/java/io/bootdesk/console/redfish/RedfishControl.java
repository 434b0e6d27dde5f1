package io.bootdesk.console.redfish;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.MachineControl;
import io.bootdesk.console.MachineControls;
import io.bootdesk.console.redfish.RedfishClient.BootTarget;
import io.bootdesk.console.redfish.RedfishClient.SystemInfo;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A Redfish BMC as a {@link MachineControl}: power through {@code ComputerSystem.Reset} with the reset type chosen
 * from what the BMC allows, the power state from {@code PowerState}, and a one-time network boot override (Pxe, or
 * UefiHttp with {@code HttpBootUri}) through {@link RedfishClient}. No keys, media or snapshots (those need vendor
 * extensions). Calls are serialised: the client keeps one session.
 */
public final class RedfishControl implements MachineControl {
    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.POWER,
            Ability.POWER_STATE, Ability.NETWORK_BOOT_OVERRIDE));

    /** Preferred reset types per action (Resource.json ResetType), first allowed wins. */
    static List<String> preferences(PowerAction action) {
        return switch (action) {
            case ON -> List.of("On", "ForceOn", "PushPowerButton");
            case OFF -> List.of("GracefulShutdown", "PushPowerButton");
            case FORCE_OFF -> List.of("ForceOff");
            case RESET -> List.of("ForceRestart", "PowerCycle", "GracefulRestart", "FullPowerCycle");
        };
    }

    private final ConsoleBinding.Redfish binding;
    private final RedfishClient client;

    public RedfishControl(ConsoleBinding.Redfish binding, String password) throws IOException {
        this.binding = binding;
        if (binding.user() == null || binding.user().isBlank()) {
            throw new IOException("The Redfish binding of " + binding.address() + " names no user; bind it again with"
                    + " --user.");
        }
        this.client = new RedfishClient(RedfishClient.Config.of(MachineControls.baseUri(binding.address()),
                        binding.user(), MachineControls.requirePassword(password, "BMC at " + binding.address()))
                .withSystemId(binding.systemId())
                .withTrustedSha256(binding.tlsSha256()));
    }

    @Override
    public String describe() {
        return "redfish " + binding.address();
    }

    @Override
    public Set<Ability> abilities() {
        return ABILITIES;
    }

    @Override
    public synchronized Power powerState() throws IOException {
        return power(client.readSystem());
    }

    static Power power(SystemInfo sys) {
        String p = sys.powerState();
        if ("On".equalsIgnoreCase(p) || "PoweringOn".equalsIgnoreCase(p)) {
            return Power.ON;
        }
        if ("Off".equalsIgnoreCase(p) || "PoweringOff".equalsIgnoreCase(p)) {
            return Power.OFF;
        }
        return Power.UNKNOWN;
    }

    @Override
    public void power(PowerAction action) throws IOException {
        powerSaying(action);
    }

    /** Returns the ResetType sent, or "already on" when ON found the system on. */
    @Override
    public synchronized String powerSaying(PowerAction action) throws IOException {
        SystemInfo sys = client.readSystem();
        if (action == PowerAction.ON && power(sys) == Power.ON) {
            return "already on";
        }
        String type = choose(sys, action);
        client.reset(sys, type);
        return type;
    }

    static String choose(SystemInfo sys, PowerAction action) throws RedfishException {
        List<String> prefs = preferences(action);
        if (sys.allowedResetTypes().isEmpty()) {
            return prefs.get(0);
        }
        for (String p : prefs) {
            if (sys.allowedResetTypes().contains(p)) {
                return p;
            }
        }
        throw new RedfishException(RedfishException.Kind.UNSUPPORTED, "The BMC allows none of the reset types that "
                + switch (action) {
                    case ON -> "power on";
                    case OFF -> "shut down";
                    case FORCE_OFF -> "force power off";
                    case RESET -> "reset";
                } + " a system (" + String.join(", ", prefs) + "; it allows "
                + String.join(", ", sys.allowedResetTypes()) + ").");
    }

    /**
     * Pxe once, or UefiHttp once with {@code httpBootUri}. The BMC must list UefiHttp among its allowable targets
     * (when it lists any) and carry {@code Boot.HttpBootUri}; otherwise the sentence says what it offers.
     */
    @Override
    public synchronized void oneTimeNetworkBoot(URI httpBootUri) throws IOException {
        SystemInfo sys = client.readSystem();
        if (httpBootUri == null) {
            client.setOneTimeBoot(sys, BootTarget.PXE, null);
        } else {
            client.setOneTimeBoot(sys, BootTarget.UEFI_HTTP, httpBootUri);
        }
    }

    /** Whether the BMC would take a UefiHttp override with a URI (read now). */
    public synchronized boolean offersUefiHttp() throws IOException {
        SystemInfo sys = client.readSystem();
        return sys.httpBootUriSupported() && (sys.allowedBootTargets().isEmpty()
                || sys.allowedBootTargets().contains(BootTarget.UEFI_HTTP.redfishName()));
    }

    @Override
    public void pressKeys(String chord) {
        throw new UnsupportedOperationException("A Redfish BMC presses no keys here; it sets a one-time boot override.");
    }

    @Override
    public void mountMedia(URI url, boolean cdrom) {
        throw new UnsupportedOperationException("Virtual media through Redfish is not supported by BootDesk yet.");
    }

    @Override
    public byte[] snapshotJpeg(int maxWidth, int maxHeight) {
        throw new UnsupportedOperationException("A Redfish BMC offers no standard screen snapshot.");
    }

    @Override
    public URI webUi() {
        try {
            return MachineControls.baseUri(binding.address());
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        client.close();
    }
}
