package io.bootdesk.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need root, network namespaces, QEMU or peer programs. Outside CI they skip with a printed
 * reason; with {@code -Dbootdesk.e2e=required} (set by .ci/run) a missing requirement fails the test instead, so
 * CI never skips them silently.
 */
public final class Requirements {
    private Requirements() {
    }

    public static boolean required() {
        return "required".equals(System.getProperty("bootdesk.e2e", "auto"));
    }

    /** Skips (or, in CI, fails) unless {@code ok}. */
    public static void require(boolean ok, String what) {
        if (ok) {
            return;
        }
        String msg = "requirement missing: " + what;
        if (required()) {
            Assertions.fail(msg + " (bootdesk.e2e=required: CI must run this test)");
        }
        System.out.println("SKIPPED: " + msg);
        Assumptions.abort(msg);
    }

    public static void requireRoot() {
        require("root".equals(System.getProperty("user.name")) || uid() == 0, "root (network namespaces, raw sockets)");
    }

    public static void requireCommand(String command, String debianPackage) {
        require(onPath(command), "'" + command + "' (apt-get install " + debianPackage + ")");
    }

    public static void requireFile(Path file, String debianPackage) {
        require(Files.exists(file), file + " (apt-get install " + debianPackage + ")");
    }

    public static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin"}) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static int uid() {
        try {
            Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Integer.parseInt(out);
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
