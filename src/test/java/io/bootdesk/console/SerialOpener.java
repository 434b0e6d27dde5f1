package io.bootdesk.console;

/** Opens the port named in args[0] and prints what happened (run as another user by SerialSessionTest). */
public final class SerialOpener {
    private SerialOpener() {
    }

    public static void main(String[] args) {
        try (SerialSession s = SerialSession.open(ConsoleBinding.Serial.of(args[0], 115200), null)) {
            System.out.println("opened " + s.binding().portPath());
        } catch (ConsoleException e) {
            System.out.println(e.getMessage());
        }
    }
}
