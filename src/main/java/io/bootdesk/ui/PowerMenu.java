package io.bootdesk.ui;

import io.bootdesk.console.MachineControl.Ability;
import io.bootdesk.console.MachineControl.PowerAction;
import io.bootdesk.engine.BootNow;
import io.bootdesk.engine.MachineActions;
import io.bootdesk.model.MacAddress;
import io.bootdesk.ui.model.ConsoleSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;

/**
 * The machine menu's "Boot now" and "Power" (On, Off, Force off…, Reset…), enabled when the selected machines'
 * console bindings can do it. Force off and Reset ask first (they cut a running system off without its OS); On, Off
 * (a graceful shutdown) and Boot now do not: Boot now is what the technician asked for, and its steps show in the
 * timeline. Everything runs off the FX thread through the session's {@link MachineActions}.
 */
final class PowerMenu {
    static final String BOOT_NOW = "mdi2r-rocket-launch-outline";
    static final String POWER = "mdi2p-power";

    private final ConsoleSession session;
    private final Function<MacAddress, String> label;
    private final Consumer<String> status;
    private final Consumer<String> warning;
    private final MenuItem bootNow = new MenuItem("Boot now", Icons.icon(BOOT_NOW));
    private final Menu power = new Menu("Power", Icons.icon(POWER));
    private final MenuItem on = new MenuItem("On", Icons.icon("mdi2p-power-on"));
    private final MenuItem off = new MenuItem("Off (shut down)", Icons.icon("mdi2p-power-off"));
    private final MenuItem forceOff = new MenuItem("Force off…");
    private final MenuItem reset = new MenuItem("Reset…", Icons.icon("mdi2r-restart"));
    /** Each machine's binding's abilities as last read (refreshed when the menu opens and on selection). */
    private final Map<MacAddress, Set<Ability>> known = new HashMap<>();
    private List<MacAddress> selected = List.of();
    /** Told of each Boot now started here (the detail pane's button follows it). */
    private Consumer<MacAddress> started = m -> { };

    PowerMenu(ConsoleSession session, Function<MacAddress, String> label, Consumer<String> status, Consumer<String> warning) {
        this.session = session;
        this.label = label;
        this.status = status;
        this.warning = warning;
        bootNow.setId("bootNowItem");
        power.setId("powerMenu");
        on.setId("powerOn");
        off.setId("powerOff");
        forceOff.setId("powerForceOff");
        reset.setId("powerReset");
        power.getItems().setAll(on, off, forceOff, reset);
        bootNow.setOnAction(e -> bootNow(selected));
        on.setOnAction(e -> power(selected, PowerAction.ON));
        off.setOnAction(e -> power(selected, PowerAction.OFF));
        forceOff.setOnAction(e -> power(selected, PowerAction.FORCE_OFF));
        reset.setOnAction(e -> power(selected, PowerAction.RESET));
    }

    void onStarted(Consumer<MacAddress> listener) {
        started = listener;
    }

    List<MenuItem> items() {
        return List.of(bootNow, power);
    }

    /** The menu opens on these machines: enable from what is known now, then read the bindings again. */
    void showing(List<MacAddress> macs) {
        selected = List.copyOf(macs);
        apply();
        refresh(macs, this::apply);
    }

    /** Reads the machines' bindings off the FX thread, then runs {@code then} on it. */
    void refresh(List<MacAddress> macs, Runnable then) {
        List<MacAddress> copy = List.copyOf(macs);
        session.async(() -> {
            Map<MacAddress, Set<Ability>> m = new HashMap<>();
            for (MacAddress mac : copy) {
                m.put(mac, session.machineActions().expected(mac));
            }
            return m;
        }).whenComplete((m, err) -> Platform.runLater(() -> {
            if (m != null) {
                known.putAll(m);
                then.run();
            }
        }));
    }

    Set<Ability> known(MacAddress mac) {
        return known.getOrDefault(mac, Set.of());
    }

    static boolean canBootNow(Set<Ability> a) {
        return a.contains(Ability.NETWORK_BOOT_OVERRIDE) || a.contains(Ability.KEYS) || a.contains(Ability.POWER);
    }

    private void apply() {
        boolean any = !selected.isEmpty();
        boolean boot = any && selected.stream().allMatch(m -> canBootNow(known(m)));
        boolean pw = any && selected.stream().allMatch(m -> known(m).contains(Ability.POWER));
        Optional<BootNow> running = selected.size() == 1
                ? session.machineActions().bootNowRunning(selected.get(0)) : Optional.empty();
        bootNow.setText(running.isPresent() ? "Cancel Boot now" : "Boot now");
        bootNow.setDisable(!boot);
        power.setDisable(!pw);
    }

    private String who(List<MacAddress> macs) {
        return macs.size() == 1 ? label.apply(macs.get(0)) : macs.size() + " machines";
    }

    /** Starts Boot now on each machine (or cancels the one running on a single machine). */
    void bootNow(List<MacAddress> macs) {
        if (macs.isEmpty()) {
            return;
        }
        MachineActions actions = session.machineActions();
        if (macs.size() == 1) {
            Optional<BootNow> running = actions.bootNowRunning(macs.get(0));
            if (running.isPresent()) {
                running.get().cancel();
                status.accept("Boot now of " + who(macs) + " cancelled.");
                return;
            }
        }
        for (MacAddress mac : macs) {
            try {
                BootNow b = actions.bootNow(mac, keyTime);
                started.accept(mac);
                b.done().thenAccept(o -> Platform.runLater(() -> {
                    if (o == BootNow.Outcome.FAILED) {
                        warning.accept("Boot now of " + label.apply(mac) + " failed; its timeline says why.");
                    } else if (o == BootNow.Outcome.DONE) {
                        status.accept("Boot now of " + label.apply(mac) + " done.");
                    }
                }));
            } catch (IllegalStateException e) {
                warning.accept(e.getMessage());
            }
        }
        status.accept("Boot now of " + who(macs) + " started; the timeline shows each step.");
    }

    /** Switches power, asking first for Force off and Reset. */
    void power(List<MacAddress> macs, PowerAction action) {
        if (macs.isEmpty()) {
            return;
        }
        String verb = switch (action) {
            case ON -> "Power on";
            case OFF -> "Shut down";
            case FORCE_OFF -> "Force off";
            case RESET -> "Reset";
        };
        if ((action == PowerAction.FORCE_OFF || action == PowerAction.RESET) && !confirm(verb, macs, action)) {
            return;
        }
        List<MacAddress> copy = List.copyOf(macs);
        session.async(() -> {
            StringBuilder failed = new StringBuilder();
            for (MacAddress mac : copy) {
                try {
                    session.machineActions().power(mac, action);
                } catch (Exception e) {
                    failed.append(failed.isEmpty() ? "" : " ").append(ConsoleWindow.rootMessage(e));
                }
            }
            return failed.toString();
        }).whenComplete((failed, err) -> Platform.runLater(() -> {
            String why = err != null ? ConsoleWindow.rootMessage(err) : failed;
            if (why != null && !why.isEmpty()) {
                warning.accept(verb + " of " + who(copy) + " failed: " + why);
            } else {
                status.accept(verb + " sent to " + who(copy) + ".");
            }
        }));
    }

    /** How long Boot now presses a KVM's boot key (tests shorten it). */
    static volatile java.time.Duration keyTime = MachineActions.DEFAULT_KEY_TIME;

    /** Tests answer it; null means "show the dialog". */
    static volatile Boolean autoConfirm;

    private boolean confirm(String verb, List<MacAddress> macs, PowerAction action) {
        if (autoConfirm != null) {
            return autoConfirm;
        }
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        a.setTitle(verb);
        a.setHeaderText(verb + " " + who(macs) + "?");
        a.setContentText(action == PowerAction.FORCE_OFF
                ? "The power is cut at once, without shutting the operating system down; unsaved work is lost."
                : "The machine restarts at once, without shutting the operating system down; unsaved work is lost.");
        ButtonType go = new ButtonType(verb, ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(go, ButtonType.CANCEL);
        return a.showAndWait().filter(go::equals).isPresent();
    }
}
