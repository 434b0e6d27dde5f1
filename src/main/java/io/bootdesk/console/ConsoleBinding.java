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

    /** The network-boot key a KVM presses during POST when no key is bound (most PC firmware: F12). */
    String DEFAULT_BOOT_KEY = "F12";

    /**
     * A JetKVM. {@code tlsSha256}: the device's confirmed certificate fingerprint when it serves HTTPS (null: plain
     * HTTP or the JDK's trust); {@code bootKey}: the key (or chord, e.g. {@code Ctrl+B}) that picks network boot.
     */
    record JetKvm(String address, String tlsSha256, String bootKey) implements ConsoleBinding {
        public JetKvm {
            requireAddress(address);
            bootKey = bootKey == null || bootKey.isBlank() ? DEFAULT_BOOT_KEY : bootKey;
        }

        public JetKvm(String address) {
            this(address, null, null);
        }

        @Override
        public String kind() {
            return "jetkvm";
        }

        @Override
        public String describe() {
            return "jetkvm " + address + extras(tlsSha256, bootKey);
        }
    }

    /** A PiKVM or GL.iNet Comet (kvmd); fields as for {@link JetKvm}. */
    record PiKvm(String address, String user, String tlsSha256, String bootKey) implements ConsoleBinding {
        public PiKvm {
            requireAddress(address);
            bootKey = bootKey == null || bootKey.isBlank() ? DEFAULT_BOOT_KEY : bootKey;
        }

        public PiKvm(String address, String user) {
            this(address, user, null, null);
        }

        @Override
        public String kind() {
            return "pikvm";
        }

        @Override
        public String describe() {
            return "pikvm " + address + (user == null ? "" : " as " + user) + extras(tlsSha256, bootKey);
        }
    }

    /** A Redfish BMC; {@code systemId} null means the service's only ComputerSystem. */
    record Redfish(String address, String user, String systemId, String tlsSha256) implements ConsoleBinding {
        public Redfish {
            requireAddress(address);
        }

        public Redfish(String address, String user, String systemId) {
            this(address, user, systemId, null);
        }

        @Override
        public String kind() {
            return "redfish";
        }

        @Override
        public String describe() {
            return "redfish " + address + (user == null ? "" : " as " + user) + (systemId == null ? "" : " system " + systemId)
                    + extras(tlsSha256, null);
        }
    }

    private static String extras(String tlsSha256, String bootKey) {
        String s = "";
        if (bootKey != null && !bootKey.equals(DEFAULT_BOOT_KEY)) {
            s += ", boot key " + bootKey;
        }
        if (tlsSha256 != null) {
            s += ", certificate " + (tlsSha256.length() > 16 ? tlsSha256.substring(0, 16) + "..." : tlsSha256);
        }
        return s;
    }

    private static void requireAddress(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("a network console needs an address (host, host:port or URL)");
        }
    }
}
