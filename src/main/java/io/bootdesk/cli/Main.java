package io.bootdesk.cli;

import picocli.CommandLine;

/** {@code java -jar bootdesk.jar COMMAND ...}: the headless face of BootDesk. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        boolean serving = java.util.Arrays.asList(args).contains("serve") || java.util.Arrays.asList(args).contains("demo")
                || args.length == 0;
        if (System.getProperty("bootdesk.log.level") == null) {
            System.setProperty("bootdesk.log.level", serving ? "INFO" : "WARN");
        }
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new BootdeskCommand());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (!"no window".equals(ex.getMessage())) {
                line.getErr().println("bootdesk: " + message(ex));
            }
            return 1;
        });
        return cl.execute(args);
    }

    static String message(Throwable ex) {
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.toString() : m;
    }
}
