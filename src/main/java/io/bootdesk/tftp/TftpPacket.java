package io.bootdesk.tftp;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One TFTP packet as a plain immutable value (RFC 1350 §5, RFC 2347 for options and OACK). Strings never contain
 * NUL, because NUL ends them on the wire; option names are non-empty and unique regardless of case (RFC 2347: they
 * are case-insensitive) and keep the order in which they were given. {@link TftpCodec} turns these into bytes and
 * back.
 */
public sealed interface TftpPacket {

    int OP_RRQ = 1;
    int OP_WRQ = 2;
    int OP_DATA = 3;
    int OP_ACK = 4;
    int OP_ERROR = 5;
    int OP_OACK = 6;

    /** The opcode this packet carries on the wire. */
    int opcode();

    /** RRQ: read {@code filename} in {@code mode} ("octet", "netascii", any case), with RFC 2347 options. */
    record ReadRequest(String filename, String mode, Map<String, String> options) implements TftpPacket {
        public ReadRequest {
            checkText("filename", filename);
            checkText("mode", mode);
            options = checkOptions(options);
        }

        public ReadRequest(String filename, String mode) {
            this(filename, mode, Map.of());
        }

        @Override
        public int opcode() {
            return OP_RRQ;
        }

        /** The value of an option, looked up case-insensitively. */
        public Optional<String> option(String name) {
            return findOption(options, name);
        }
    }

    /** WRQ: write {@code filename}; BootDesk refuses every one, but decodes it to say so. */
    record WriteRequest(String filename, String mode, Map<String, String> options) implements TftpPacket {
        public WriteRequest {
            checkText("filename", filename);
            checkText("mode", mode);
            options = checkOptions(options);
        }

        @Override
        public int opcode() {
            return OP_WRQ;
        }
    }

    /** DATA: block {@code block} (0..65535 on the wire; it wraps) carrying up to blksize bytes. */
    record Data(int block, byte[] data) implements TftpPacket {
        public Data {
            checkUnsigned16("block", block);
            if (data == null) {
                throw new IllegalArgumentException("data is null");
            }
            data = data.clone();
        }

        @Override
        public int opcode() {
            return OP_DATA;
        }

        /** A copy of the payload. */
        @Override
        public byte[] data() {
            return data.clone();
        }

        public int length() {
            return data.length;
        }

        /** The payload itself, for the codec only: never modified. */
        byte[] payload() {
            return data;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && d.block == block && Arrays.equals(d.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * block + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            String hex = HexFormat.of().formatHex(data, 0, Math.min(data.length, 16));
            return "Data[block=" + block + ", length=" + data.length + ", data=" + hex
                    + (data.length > 16 ? "..." : "") + "]";
        }
    }

    /** ACK of block {@code block} (0 acknowledges an OACK). */
    record Ack(int block) implements TftpPacket {
        public Ack {
            checkUnsigned16("block", block);
        }

        @Override
        public int opcode() {
            return OP_ACK;
        }
    }

    /** ERROR with an RFC 1350 code (0..8 are defined; any 16-bit value decodes) and a message. */
    record ErrorPacket(int code, String message) implements TftpPacket {
        public static final int NOT_DEFINED = 0;
        public static final int FILE_NOT_FOUND = 1;
        public static final int ACCESS_VIOLATION = 2;
        public static final int DISK_FULL = 3;
        public static final int ILLEGAL_OPERATION = 4;
        public static final int UNKNOWN_TID = 5;
        public static final int FILE_EXISTS = 6;
        public static final int NO_SUCH_USER = 7;
        /** RFC 2347: the options were refused. */
        public static final int OPTION_REFUSED = 8;

        public ErrorPacket {
            checkUnsigned16("code", code);
            checkText("message", message);
        }

        @Override
        public int opcode() {
            return OP_ERROR;
        }
    }

    /** OACK (RFC 2347): the options the server accepted, with the values it will use. */
    record OptionAck(Map<String, String> options) implements TftpPacket {
        public OptionAck {
            options = checkOptions(options);
        }

        @Override
        public int opcode() {
            return OP_OACK;
        }

        public Optional<String> option(String name) {
            return findOption(options, name);
        }
    }

    private static void checkUnsigned16(String what, int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(what + " " + v + " is outside 0..65535");
        }
    }

    private static void checkText(String what, String s) {
        if (s == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains NUL, which ends a string on the wire");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " has an unpaired surrogate at " + i + ": not Unicode text");
            }
        }
    }

    private static Map<String, String> checkOptions(Map<String, String> options) {
        if (options == null) {
            throw new IllegalArgumentException("options is null (use an empty map)");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            checkText("option name", e.getKey());
            checkText("value of option " + e.getKey(), e.getValue());
            if (e.getKey().isEmpty()) {
                throw new IllegalArgumentException("an option name is empty");
            }
            String prior = seen.put(OptionNames.fold(e.getKey()), e.getKey());
            if (prior != null) {
                throw new IllegalArgumentException("option " + e.getKey() + " repeats " + prior);
            }
            copy.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Optional<String> findOption(Map<String, String> options, String name) {
        String key = OptionNames.fold(name);
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (OptionNames.fold(e.getKey()).equals(key)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }
}
