package io.bootdesk.cli;

import picocli.CommandLine;

/** {@code java -jar bootdesk.jar COMMAND ...}: the headless face of BootDesk. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String command = command(args);
        boolean serving = args.length == 0 || "serve".equals(command) || "demo".equals(command);
        if (System.getProperty("bootdesk.log.level") == null) {
            System.setProperty("bootdesk.log.level", serving ? "INFO" : "WARN");
        }
        System.exit(run(args));
    }

    /** The (sub)command's name: the first argument that is neither an option nor --data-dir's value; null if none. */
    static String command(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data-dir")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
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
