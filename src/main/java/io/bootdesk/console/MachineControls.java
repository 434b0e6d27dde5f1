package io.bootdesk.console;

import io.bootdesk.console.MachineControl.Ability;
import io.bootdesk.console.jetkvm.JetKvmControl;
import io.bootdesk.console.pikvm.PiKvmControl;
import io.bootdesk.console.redfish.RedfishControl;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.Set;

/** Opens the {@link MachineControl} of a console binding: the adapter that matches its kind. */
public final class MachineControls {
    private MachineControls() {
    }

    /**
     * The adapter for {@code binding}, logging in with {@code password} (the machine's console-password secret; null
     * when none is stored). Opening does not touch the network; the first call does.
     *
     * @throws IOException when the binding has no adapter in this build or lacks what it needs (one sentence)
     */
    public static MachineControl open(ConsoleBinding binding, String password) throws IOException {
        return switch (binding) {
            case ConsoleBinding.Redfish r -> new RedfishControl(r, password);
            case ConsoleBinding.PiKvm p -> new PiKvmControl(p, password);
            case ConsoleBinding.JetKvm j -> JetKvmControl.of(j, password);
            case ConsoleBinding.Serial s -> throw new IOException("A serial console (" + s.portPath() + ") only carries"
                    + " text: it cannot switch power, press keys or take a snapshot.");
        };
    }

    /**
     * What a binding's adapter can be expected to do, without opening it (for enabling menu items). The adapter's
     * own {@link MachineControl#abilities()} is the final word (a PiKVM without its ATX board loses POWER).
     */
    public static Set<Ability> expected(ConsoleBinding binding) {
        return switch (binding) {
            case ConsoleBinding.Redfish r -> RedfishControl.ABILITIES;
            case ConsoleBinding.PiKvm p -> PiKvmControl.ABILITIES;
            // as JetKvmControl.abilities(): power needs its ATX extension board; 0.4.7 has no still picture
            case ConsoleBinding.JetKvm j -> EnumSet.of(Ability.POWER, Ability.POWER_STATE, Ability.KEYS,
                    Ability.VIRTUAL_MEDIA);
            case ConsoleBinding.Serial s -> Set.of();
        };
    }

    /** A network console's web UI from its binding alone (nothing opened), or null for a serial one. */
    public static URI webUi(ConsoleBinding binding) {
        if (binding instanceof ConsoleBinding.Serial) {
            return null;
        }
        try {
            return baseUri(binding.address());
        } catch (IOException e) {
            return null;
        }
    }

    /** The base URI of a network console's address: {@code https://ADDRESS} unless it names its scheme. */
    public static URI baseUri(String address) throws IOException {
        String a = address.strip();
        try {
            URI u = URI.create(a.contains("://") ? a : "https://" + a);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new IOException("'" + address + "' is not a console address (host, host:port or URL).");
        }
    }

    /** The password, or an IOException saying how to store one. */
    public static String requirePassword(String password, String what) throws IOException {
        if (password == null) {
            throw new IOException("No password is stored for the " + what + "; bind it again with --password-stdin.");
        }
        return password;
    }
}
