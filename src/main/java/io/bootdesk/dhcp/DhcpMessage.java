package io.bootdesk.dhcp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A DHCPv4/BOOTP message as a plain value (RFC 2131 §2). Addresses are ints (see {@link Ip4}); options are kept
 * in wire order, one value per code (RFC 3396 long options are already joined). {@code sname} and {@code file}
 * are the raw fixed fields (64 and 128 bytes, zero-padded).
 */
public final class DhcpMessage {
    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;
    public static final int FLAG_BROADCAST = 0x8000;

    private final int op;
    private final int htype;
    private final int hlen;
    private final int hops;
    private final int xid;
    private final int secs;
    private final int flags;
    private final int ciaddr;
    private final int yiaddr;
    private final int siaddr;
    private final int giaddr;
    private final byte[] chaddr;
    private final byte[] sname;
    private final byte[] file;
    private final Map<Integer, byte[]> options;

    private DhcpMessage(Builder b) {
        op = b.op;
        htype = b.htype;
        hlen = b.hlen;
        hops = b.hops;
        xid = b.xid;
        secs = b.secs;
        flags = b.flags;
        ciaddr = b.ciaddr;
        yiaddr = b.yiaddr;
        siaddr = b.siaddr;
        giaddr = b.giaddr;
        chaddr = Arrays.copyOf(b.chaddr, 16);
        sname = Arrays.copyOf(b.sname, 64);
        file = Arrays.copyOf(b.file, 128);
        LinkedHashMap<Integer, byte[]> o = new LinkedHashMap<>();
        b.options.forEach((k, v) -> o.put(k, v.clone()));
        options = Collections.unmodifiableMap(o);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().op(op).htype(htype).hlen(hlen).hops(hops).xid(xid).secs(secs).flags(flags)
                .ciaddr(ciaddr).yiaddr(yiaddr).siaddr(siaddr).giaddr(giaddr).chaddr(chaddr).sname(sname).file(file);
        options.forEach(b::option);
        return b;
    }

    public int op() {
        return op;
    }

    public int htype() {
        return htype;
    }

    public int hlen() {
        return hlen;
    }

    public int hops() {
        return hops;
    }

    public int xid() {
        return xid;
    }

    public int secs() {
        return secs;
    }

    public int flags() {
        return flags;
    }

    public boolean broadcastFlag() {
        return (flags & FLAG_BROADCAST) != 0;
    }

    public int ciaddr() {
        return ciaddr;
    }

    public int yiaddr() {
        return yiaddr;
    }

    public int siaddr() {
        return siaddr;
    }

    public int giaddr() {
        return giaddr;
    }

    public byte[] chaddr() {
        return chaddr.clone();
    }

    public byte[] sname() {
        return sname.clone();
    }

    public byte[] file() {
        return file.clone();
    }

    /** The {@code file} field as text up to the first NUL. */
    public String fileName() {
        return cString(file);
    }

    public String serverName() {
        return cString(sname);
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    public Map<Integer, byte[]> options() {
        return options;
    }

    public boolean has(int code) {
        return options.containsKey(code);
    }

    /** The option's bytes, or null. */
    public byte[] option(int code) {
        byte[] v = options.get(code);
        return v == null ? null : v.clone();
    }

    /** The option as text (trailing NULs dropped), or null. */
    public String optionString(int code) {
        byte[] v = options.get(code);
        if (v == null) {
            return null;
        }
        int n = v.length;
        while (n > 0 && v[n - 1] == 0) {
            n--;
        }
        return new String(v, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** An unsigned 8/16/32-bit option, or -1 if absent or of another length. */
    public long optionUnsigned(int code) {
        byte[] v = options.get(code);
        if (v == null) {
            return -1;
        }
        return switch (v.length) {
            case 1 -> v[0] & 0xff;
            case 2 -> ((v[0] & 0xff) << 8) | (v[1] & 0xff);
            case 4 -> Integer.toUnsignedLong(Ip4.fromBytes(v, 0));
            default -> -1;
        };
    }

    /** A 4-byte address option, or 0 if absent or malformed. */
    public int optionIp(int code) {
        byte[] v = options.get(code);
        return v != null && v.length == 4 ? Ip4.fromBytes(v, 0) : 0;
    }

    /** Option 53, or null when absent or unknown (a BOOTP message). */
    public MessageType messageType() {
        byte[] v = options.get(DhcpOption.MESSAGE_TYPE);
        return v != null && v.length == 1 ? MessageType.of(v[0] & 0xff) : null;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DhcpMessage m)) {
            return false;
        }
        if (op != m.op || htype != m.htype || hlen != m.hlen || hops != m.hops || xid != m.xid || secs != m.secs
                || flags != m.flags || ciaddr != m.ciaddr || yiaddr != m.yiaddr || siaddr != m.siaddr
                || giaddr != m.giaddr || !Arrays.equals(chaddr, m.chaddr) || !Arrays.equals(sname, m.sname)
                || !Arrays.equals(file, m.file) || options.size() != m.options.size()) {
            return false;
        }
        var a = options.entrySet().iterator();
        var b = m.options.entrySet().iterator();
        while (a.hasNext()) {
            var x = a.next();
            var y = b.next();
            if (!x.getKey().equals(y.getKey()) || !Arrays.equals(x.getValue(), y.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, xid, ciaddr, yiaddr, Arrays.hashCode(chaddr), options.keySet());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("DhcpMessage{op=").append(op).append(" type=").append(messageType())
                .append(" xid=").append(Integer.toHexString(xid)).append(" ciaddr=").append(Ip4.format(ciaddr))
                .append(" yiaddr=").append(Ip4.format(yiaddr)).append(" siaddr=").append(Ip4.format(siaddr))
                .append(" giaddr=").append(Ip4.format(giaddr)).append(" file=").append(fileName()).append(" options=[");
        options.forEach((k, v) -> s.append(k).append(':').append(java.util.HexFormat.of().formatHex(v)).append(' '));
        return s.append("]}").toString();
    }

    /** Mutable builder; {@link #option} keeps insertion order and replaces an existing value in place. */
    public static final class Builder {
        private int op = BOOTREPLY;
        private int htype = 1;
        private int hlen = 6;
        private int hops;
        private int xid;
        private int secs;
        private int flags;
        private int ciaddr;
        private int yiaddr;
        private int siaddr;
        private int giaddr;
        private byte[] chaddr = new byte[16];
        private byte[] sname = new byte[64];
        private byte[] file = new byte[128];
        private final LinkedHashMap<Integer, byte[]> options = new LinkedHashMap<>();

        public Builder op(int v) {
            op = v;
            return this;
        }

        public Builder htype(int v) {
            htype = v;
            return this;
        }

        public Builder hlen(int v) {
            hlen = v;
            return this;
        }

        public Builder hops(int v) {
            hops = v;
            return this;
        }

        public Builder xid(int v) {
            xid = v;
            return this;
        }

        public Builder secs(int v) {
            secs = v;
            return this;
        }

        public Builder flags(int v) {
            flags = v;
            return this;
        }

        public Builder ciaddr(int v) {
            ciaddr = v;
            return this;
        }

        public Builder yiaddr(int v) {
            yiaddr = v;
            return this;
        }

        public Builder siaddr(int v) {
            siaddr = v;
            return this;
        }

        public Builder giaddr(int v) {
            giaddr = v;
            return this;
        }

        public Builder chaddr(byte[] v) {
            chaddr = Arrays.copyOf(v, 16);
            return this;
        }

        public Builder sname(byte[] v) {
            sname = Arrays.copyOf(v, 64);
            return this;
        }

        public Builder file(byte[] v) {
            file = Arrays.copyOf(v, 128);
            return this;
        }

        /** Sets the file field to {@code name} if it fits (127 bytes plus NUL); returns whether it did. */
        public boolean fileName(String name) {
            byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
            if (b.length > 127) {
                file = new byte[128];
                return false;
            }
            file = Arrays.copyOf(b, 128);
            return true;
        }

        public Builder option(int code, byte[] value) {
            if (code <= 0 || code >= 255) {
                throw new IllegalArgumentException("option code " + code + " is reserved");
            }
            options.put(code, value.clone());
            return this;
        }

        public Builder option(int code, String value) {
            return option(code, value.getBytes(StandardCharsets.ISO_8859_1));
        }

        public Builder optionByte(int code, int value) {
            return option(code, new byte[] {(byte) value});
        }

        public Builder optionInt(int code, int value) {
            return option(code, Ip4.toBytes(value));
        }

        public Builder optionIp(int code, int ip) {
            return option(code, Ip4.toBytes(ip));
        }

        public Builder remove(int code) {
            options.remove(code);
            return this;
        }

        public Builder messageType(MessageType t) {
            return optionByte(DhcpOption.MESSAGE_TYPE, t.code());
        }

        public DhcpMessage build() {
            return new DhcpMessage(this);
        }
    }
}
