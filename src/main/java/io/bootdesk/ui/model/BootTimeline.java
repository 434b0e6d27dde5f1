package io.bootdesk.ui.model;

import io.bootdesk.model.BootEvent;
import io.bootdesk.model.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A machine's latest boot as steps (DHCP, loader, script, each file, booted), each with its time since the boot
 * began and the engine's own sentence saying what it decided and why. Built from the journal's events.
 */
public final class BootTimeline {
    /** A boot that goes quiet this long before a new DHCP offer is over; the offer starts the next one. */
    static final Duration NEW_BOOT_GAP = Duration.ofMinutes(5);

    public enum Status {
        OK, RUNNING, FAILED, INFO
    }

    /**
     * One step.
     *
     * @param offset time since the first step of this boot
     * @param why    the engine's sentence (the planner's reason for DHCP answers and scripts)
     */
    public record Step(Instant time, Duration offset, String title, String why, Status status) {
        public String offsetText() {
            long ms = offset.toMillis();
            return ms < 10_000 ? String.format(java.util.Locale.ROOT, "+%.2f s", ms / 1000.0)
                    : String.format(java.util.Locale.ROOT, "+%.1f s", ms / 1000.0);
        }
    }

    private BootTimeline() {
    }

    /** The steps of the latest boot in {@code events} (oldest first, one machine's). */
    public static List<Step> latestBoot(List<BootEvent> events) {
        int start = 0;
        BootEvent prev = null;
        for (int i = 0; i < events.size(); i++) {
            BootEvent e = events.get(i);
            if (startsBoot(e) && prev != null && (e.type() == EventType.CONSOLE || endsBoot(prev)
                    || Duration.between(prev.time(), e.time()).compareTo(NEW_BOOT_GAP) > 0)) {
                start = i;
            }
            if (title(e) != null) {
                prev = e;
            }
        }
        List<Step> steps = new ArrayList<>();
        Instant t0 = null;
        for (BootEvent e : events.subList(start, events.size())) {
            String title = title(e);
            if (title == null) {
                continue;
            }
            if (t0 == null) {
                t0 = e.time();
            }
            steps.add(new Step(e.time(), Duration.between(t0, e.time()), title, why(e, title), status(e)));
        }
        // a file that started and has not finished is running; a finished one is OK
        return steps;
    }

    static boolean startsBoot(BootEvent e) {
        return e.type() == EventType.DHCP_OFFER || e.type() == EventType.PROXY_OFFER
                || e.type() == EventType.CONSOLE && e.message().startsWith(io.bootdesk.engine.BootNow.STARTED);
    }

    static boolean endsBoot(BootEvent e) {
        return e.type() == EventType.BOOTED || status(e) == Status.FAILED;
    }

    static String title(BootEvent e) {
        return switch (e.type()) {
            case DHCP_OFFER -> "DHCP offer";
            case DHCP_ACK -> "DHCP address";
            case PROXY_OFFER -> "proxyDHCP offer";
            case PROXY_ACK -> "PXE boot server";
            case DHCP_NAK -> "DHCP refused";
            case DHCP_INFORM -> "DHCP inform";
            case TFTP_START -> "TFTP " + fileOf(e.message(), "sending ");
            case TFTP_DONE -> "TFTP done";
            case TFTP_FAILED -> "TFTP failed";
            case HTTP_SCRIPT -> "script";
            case HTTP_WAITING -> "waiting";
            case HTTP_FILE_START -> "HTTP " + fileOf(e.message(), "sending ");
            case HTTP_FILE_DONE -> "delivered";
            case HTTP_FAILED -> "HTTP failed";
            case HTTP_REFUSED -> "refused";
            case BOOTED -> "booted";
            case ASSIGNMENT -> "assignment";
            case DHCP_IGNORED -> "ignored";
            case CONSOLE -> consoleTitle(e.message());
            case DHCP_DISCOVER, DHCP_REQUEST, DHCP_RELEASE, DHCP_DECLINE, HTTP_FILE_PROGRESS, NOTICE, MACHINE_RENAMED,
                 MACHINE_FORGOTTEN -> null;
        };
    }

    /** The event's sentence, without a leading "boot now: " that the step's title already says. */
    static String why(BootEvent e, String title) {
        String m = e.message();
        return e.type() == EventType.CONSOLE && title.equals("boot now") && m.startsWith(title + ": ")
                ? m.substring(title.length() + 2) : m;
    }

    /** A serial console's own step (attached, detached, error): the window links it to the machine's terminal. */
    public static boolean isConsoleTitle(String title) {
        return "console".equals(title);
    }

    /** "boot now" for Boot now's steps, "power"/"key"/"virtual media" for the console buttons, else "console". */
    static String consoleTitle(String message) {
        for (String t : new String[] {"boot now", "power", "key", "virtual media"}) {
            if (message.startsWith(t + " ") || message.startsWith(t + ":")) {
                return t;
            }
        }
        return "console";
    }

    static Status status(BootEvent e) {
        if (e.type() == EventType.CONSOLE && (e.message().startsWith(io.bootdesk.engine.BootNow.PREFIX + "failed")
                || !consoleTitle(e.message()).equals("console") && e.message().contains(" failed: "))) {
            return Status.FAILED;
        }
        return switch (e.type()) {
            case TFTP_FAILED, HTTP_FAILED, DHCP_NAK, HTTP_REFUSED -> Status.FAILED;
            case TFTP_START, HTTP_FILE_START, HTTP_WAITING -> Status.RUNNING;
            case ASSIGNMENT, DHCP_IGNORED -> Status.INFO;
            default -> Status.OK;
        };
    }

    /** "vmlinuz" from "sending vmlinuz of image deb, 14.2 MB". */
    static String fileOf(String message, String prefix) {
        String m = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        int end = m.length();
        for (String stop : new String[] {" ", ","}) {
            int i = m.indexOf(stop);
            if (i > 0 && i < end) {
                end = i;
            }
        }
        return m.substring(0, end);
    }
}
