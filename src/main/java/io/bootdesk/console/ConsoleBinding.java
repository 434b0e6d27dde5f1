package io.bootdesk.console;

import java.util.Locale;

/** How a machine's console is reached. Passwords are never part of a binding (they are the machine's secrets). */
public sealed interface ConsoleBinding {

    /** The kind's name as stored and typed: serial, jetkvm, pikvm, redfish. */
    String kind();

    /** The port path or network address. */
    String address();

    /** One line for {@code console list}. */
    String describe();

    enum Parity { NONE, ODD, EVEN, MARK, SPACE }

    enum StopBits {
        ONE("1"), ONE_POINT_FIVE("1.5"), TWO("2");
        final String text;

        StopBits(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public static StopBits parse(String s) {
            for (StopBits b : values()) {
                if (b.text.equals(s)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("stop bits are 1, 1.5 or 2 (got '" + s + "')");
        }
    }

    enum FlowControl { NONE, RTSCTS, XONXOFF }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String s, String what) {
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is one of " + java.util.Arrays.toString(type.getEnumConstants())
                    .toLowerCase(Locale.ROOT) + " (got '" + s + "')");
        }
    }

    record Serial(String portPath, int baud, int dataBits, Parity parity, StopBits stopBits, FlowControl flowControl)
            implements ConsoleBinding {
        public static final int DEFAULT_BAUD = 115200;

        public Serial {
            if (portPath == null || portPath.isBlank()) {
                throw new IllegalArgumentException("a serial console needs a port path (e.g. /dev/ttyUSB0)");
            }
            if (baud <= 0) {
                throw new IllegalArgumentException("the baud rate is a positive number (got " + baud + ")");
            }
            if (dataBits < 5 || dataBits > 8) {
                throw new IllegalArgumentException("data bits are 5 to 8 (got " + dataBits + ")");
            }
            java.util.Objects.requireNonNull(parity);
            java.util.Objects.requireNonNull(stopBits);
            java.util.Objects.requireNonNull(flowControl);
        }

        /** 8N1 without flow control at {@code baud}. */
        public static Serial of(String portPath, int baud) {
            return new Serial(portPath, baud, 8, Parity.NONE, StopBits.ONE, FlowControl.NONE);
        }

        @Override
        public String kind() {
            return "serial";
        }

        @Override
        public String address() {
            return portPath;
        }

        /** e.g. {@code 115200 8N1}. */
        public String settings() {
            return baud + " " + dataBits + parity.name().charAt(0) + stopBits.text()
                    + (flowControl == FlowControl.NONE ? "" : " " + flowControl.name().toLowerCase(Locale.ROOT));
        }

        @Override
        public String describe() {
            return "serial " + portPath + " " + settings();
        }
    }

    record JetKvm(String address) implements ConsoleBinding {
        public JetKvm {
            requireAddress(address);
        }

        @Override
        public String kind() {
            return "jetkvm";
        }

        @Override
        public String describe() {
            return "jetkvm " + address;
        }
    }

    record PiKvm(String address, String user) implements ConsoleBinding {
        public PiKvm {
            requireAddress(address);
        }

        @Override
        public String kind() {
            return "pikvm";
        }

        @Override
        public String describe() {
            return "pikvm " + address + (user == null ? "" : " as " + user);
        }
    }

    record Redfish(String address, String user, String systemId) implements ConsoleBinding {
        public Redfish {
            requireAddress(address);
        }

        @Override
        public String kind() {
            return "redfish";
        }

        @Override
        public String describe() {
            return "redfish " + address + (user == null ? "" : " as " + user) + (systemId == null ? "" : " system " + systemId);
        }
    }

    private static void requireAddress(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("a network console needs an address (host, host:port or URL)");
        }
    }
}
