package io.bootdesk.engine;

import io.bootdesk.console.ConsoleBinding;
import io.bootdesk.console.MachineControl;
import io.bootdesk.console.MachineControl.Ability;
import io.bootdesk.console.MachineControl.Power;
import io.bootdesk.console.MachineControl.PowerAction;
import io.bootdesk.model.MacAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * "Boot now" for one machine, with what its console has:
 * <ul>
 *   <li>a Redfish BMC: a one-time UEFI HTTP boot to BootDesk's own loader URL when the machine is known to be UEFI
 *       and BootDesk serves HTTP (falling back to PXE when the BMC does not take it), else a one-time PXE boot; then
 *       a restart when it is on, power on when it is off (reset types as the BMC allows);</li>
 *   <li>a KVM (PiKVM, JetKVM): reset when on, power on when off (a short press of the power button when the state
 *       is unknown), then the binding's boot key about once a second for the key time, stopping early once the
 *       machine asks for a network boot (BootDesk answered its DHCP DISCOVER): a boot key pressed into the
 *       loader that is already running (Ctrl+B into iPXE) would stop the boot it was meant to start.</li>
 * </ul>
 * Every step is journaled as a CONSOLE event starting "boot now:"; a failure ends it with the adapter's sentence.
 * {@link #cancel()} stops it between steps.
 */
public final class BootNow {
    public static final String PREFIX = "boot now: ";
    /** The first step's message starts with this (the timeline starts a new boot there). */
    public static final String STARTED = PREFIX + "started";

    /** How it ended. */
    public enum Outcome { DONE, FAILED, CANCELLED }

    private final MachineActions actions;
    private final MacAddress mac;
    private final Duration keyTime;
    private final Duration keyInterval;
    private final CompletableFuture<Outcome> done = new CompletableFuture<>();
    private volatile boolean cancelled;
    /** Counted down by {@link #cancel()}: the waits between key presses end at once (no interrupt, so a call to
     * the console in flight finishes cleanly). */
    private final java.util.concurrent.CountDownLatch cancelSignal = new java.util.concurrent.CountDownLatch(1);

    BootNow(MachineActions actions, MacAddress mac, Duration keyTime, Duration keyInterval) {
        this.actions = actions;
        this.mac = mac;
        this.keyTime = keyTime;
        this.keyInterval = keyInterval;
    }

    public MacAddress mac() {
        return mac;
    }

    /** Completes when it is over (never exceptionally). */
    public CompletableFuture<Outcome> done() {
        return done;
    }

    /** Stops between steps (a call to the console in flight finishes first); journaled. */
    public void cancel() {
        cancelled = true;
        cancelSignal.countDown();
    }

    private void step(String message) {
        actions.journal(mac, PREFIX + message);
    }

    /** Runs the steps and returns how it ended; the caller completes {@link #done()} with {@link #finish}. */
    Outcome run() {
        Outcome outcome = Outcome.FAILED;
        try (MachineControl c = actions.open(mac)) {
            actions.journal(mac, STARTED + " through " + c.describe());
            if (c.abilities().contains(Ability.NETWORK_BOOT_OVERRIDE)) {
                outcome = firmwareOverride(c);
            } else if (c.abilities().contains(Ability.KEYS)) {
                outcome = kvm(c);
            } else {
                throw new UnsupportedOperationException("The " + c.describe()
                        + " can neither set a one-time network boot nor press keys.");
            }
        } catch (Cancelled e) {
            outcome = Outcome.CANCELLED;
        } catch (IOException | RuntimeException e) {
            step("failed: " + MachineActions.message(e));
            outcome = Outcome.FAILED;
        }
        return outcome;
    }

    void finish(Outcome outcome) {
        done.complete(outcome);
    }

    private static final class Cancelled extends Exception {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    private void checkCancelled(String where) throws Cancelled {
        if (cancelled) {
            step("cancelled " + where);
            throw new Cancelled();
        }
    }

    private Outcome firmwareOverride(MachineControl c) throws IOException, Cancelled {
        Power state = c.powerState();
        MachineActions.HttpBoot http = actions.httpBoot(mac);
        if (http.uri() != null) {
            try {
                c.oneTimeNetworkBoot(http.uri());
                step("one-time UefiHttp boot to " + http.uri() + " set");
            } catch (IOException e) {
                step("UefiHttp not possible (" + MachineActions.message(e) + "); using Pxe");
                c.oneTimeNetworkBoot(null);
                step("one-time Pxe boot set");
            }
        } else {
            c.oneTimeNetworkBoot(null);
            step("one-time Pxe boot set" + (http.whyNot() == null ? "" : " (no UEFI HTTP: " + http.whyNot() + ")"));
        }
        checkCancelled("before the restart; the one-time boot stays set for the next start");
        String said = c.powerSaying(state == Power.OFF ? PowerAction.ON : PowerAction.RESET);
        step(said + (state == Power.OFF ? " (the machine was off)" : state == Power.ON ? " (the machine was on)"
                : " (power state unknown)"));
        step("done; the machine network-boots now");
        return Outcome.DONE;
    }

    private Outcome kvm(MachineControl c) throws IOException, Cancelled {
        String key = switch (actions.binding(mac).orElse(null)) {
            case ConsoleBinding.PiKvm p -> p.bootKey();
            case ConsoleBinding.JetKvm j -> j.bootKey();
            case null, default -> ConsoleBinding.DEFAULT_BOOT_KEY;
        };
        long since = actions.lastEventId();
        if (c.abilities().contains(Ability.POWER)) {
            try {
                Power state = c.abilities().contains(Ability.POWER_STATE) ? c.powerState() : Power.UNKNOWN;
                if (state == Power.ON) {
                    step("reset (" + c.powerSaying(PowerAction.RESET) + "; the machine was on)");
                } else if (state == Power.OFF) {
                    step("power on (" + c.powerSaying(PowerAction.ON) + "; the machine was off)");
                } else if (c.abilities().contains(Ability.POWER)) {
                    step("power state unknown: a short press of the power button (" + c.powerSaying(PowerAction.ON) + ")");
                } else {
                    step("the " + c.describe() + " cannot switch power (no ATX board): switch the machine on by hand");
                }
            } catch (IOException e) {
                step("power failed: " + MachineActions.message(e) + " Switch the machine on by hand; pressing "
                        + key + " anyway");
            }
        } else {
            step("the " + c.describe() + " cannot switch power: switch the machine on by hand");
        }
        long n = Math.max(1, keyTime.toSeconds());
        for (int i = 1; i <= n; i++) {
            checkCancelled("after " + (i - 1) + " of " + n + " presses of " + key);
            c.pressKeys(key);
            step("pressing " + key + " (" + i + "/" + n + ")");
            if (i < n) {
                try {
                    if (cancelSignal.await(keyInterval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        checkCancelled("after " + i + " of " + n + " presses of " + key);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the executor is shutting down
                    cancel();
                    checkCancelled("after " + i + " of " + n + " presses of " + key + " (BootDesk is stopping)");
                }
                java.util.Optional<String> seen = actions.networkBootAfter(mac, since);
                if (seen.isPresent()) {
                    step("done; the machine asked for a network boot (" + seen.get() + ") after " + i + " press"
                            + (i == 1 ? "" : "es") + " of " + key + ", so no more");
                    return Outcome.DONE;
                }
            }
        }
        step("done; pressed " + key + " " + n + " times");
        return Outcome.DONE;
    }
}
