package io.bootdesk.dhcp;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Translates DHCP messages to and from bytes (RFC 2131 §2, RFC 2132, RFC 3396 long options), nothing else: no
 * server state. Decoding reads options from the options field and, when option 52 says so, from {@code file} and
 * {@code sname}; repeated options are joined. Like the splitting of long options, overloading is a matter of the
 * wire: the decoded message has the options, no option 52, and empty fields where options were. Encoding splits values longer than 255 bytes into consecutive
 * options and pads the message to the BOOTP minimum of 300 bytes, which some PXE ROMs insist on.
 */
public final class DhcpCodec {
    public static final int MAGIC_COOKIE = 0x63825363;
    public static final int HEADER_LENGTH = 236;
    public static final int MIN_MESSAGE_LENGTH = 300;

    private DhcpCodec() {
    }

    public static DhcpMessage decode(ByteBuf in) throws DhcpDecodeException {
        byte[] b = new byte[in.readableBytes()];
        in.getBytes(in.readerIndex(), b);
        return decode(b);
    }

    public static DhcpMessage decode(byte[] b) throws DhcpDecodeException {
        if (b.length < HEADER_LENGTH) {
            throw new DhcpDecodeException("too short for a DHCP message: " + b.length + " bytes (the header alone is 236)");
        }
        int op = b[0] & 0xff;
        if (op != DhcpMessage.BOOTREQUEST && op != DhcpMessage.BOOTREPLY) {
            throw new DhcpDecodeException("op is " + op + ", neither BOOTREQUEST (1) nor BOOTREPLY (2)");
        }
        int hlen = b[2] & 0xff;
        if (hlen > 16) {
            throw new DhcpDecodeException("hardware address length " + hlen + " exceeds 16");
        }
        DhcpMessage.Builder m = DhcpMessage.builder()
                .op(op).htype(b[1] & 0xff).hlen(hlen).hops(b[3] & 0xff)
                .xid(Ip4.fromBytes(b, 4))
                .secs(((b[8] & 0xff) << 8) | (b[9] & 0xff))
                .flags(((b[10] & 0xff) << 8) | (b[11] & 0xff))
                .ciaddr(Ip4.fromBytes(b, 12)).yiaddr(Ip4.fromBytes(b, 16)).siaddr(Ip4.fromBytes(b, 20))
                .giaddr(Ip4.fromBytes(b, 24))
                .chaddr(Arrays.copyOfRange(b, 28, 44))
                .sname(Arrays.copyOfRange(b, 44, 108))
                .file(Arrays.copyOfRange(b, 108, 236));
        if (b.length < HEADER_LENGTH + 4 || Ip4.fromBytes(b, HEADER_LENGTH) != MAGIC_COOKIE) {
            return m.build(); // plain BOOTP (or vendor-specific area): no DHCP options
        }
        Map<Integer, ByteArrayOutputStream> opts = new LinkedHashMap<>();
        parseOptions(b, HEADER_LENGTH + 4, b.length, "options", opts);
        ByteArrayOutputStream overload = opts.remove(DhcpOption.OVERLOAD);
        if (overload != null) {
            byte[] ov = overload.toByteArray();
            int mode = ov.length == 1 ? ov[0] & 0xff : 0;
            // the fields hold options, not names: once read they are empty, as re-encoding puts the options in
            // the options field (and would otherwise repeat them)
            if ((mode & 1) != 0) {
                parseOptions(b, 108, 236, "file field", opts);
                m.file(new byte[128]);
            }
            if ((mode & 2) != 0) {
                parseOptions(b, 44, 108, "sname field", opts);
                m.sname(new byte[64]);
            }
        }
        for (var e : opts.entrySet()) {
            m.option(e.getKey(), e.getValue().toByteArray());
        }
        return m.build();
    }

    private static void parseOptions(byte[] b, int from, int to, String where, Map<Integer, ByteArrayOutputStream> out)
            throws DhcpDecodeException {
        int i = from;
        while (i < to) {
            int code = b[i] & 0xff;
            if (code == DhcpOption.END) {
                return;
            }
            if (code == DhcpOption.PAD) {
                i++;
                continue;
            }
            if (i + 1 >= to) {
                throw new DhcpDecodeException("option " + code + " in the " + where + " has no length byte");
            }
            int len = b[i + 1] & 0xff;
            if (i + 2 + len > to) {
                throw new DhcpDecodeException("option " + code + " in the " + where + " claims " + len
                        + " bytes but only " + (to - i - 2) + " remain");
            }
            out.computeIfAbsent(code, k -> new ByteArrayOutputStream()).write(b, i + 2, len);
            i += 2 + len;
        }
        // A missing END option is tolerated: several PXE ROMs end the packet right after the last option.
    }

    public static void encode(DhcpMessage m, ByteBuf out) {
        out.writeBytes(encode(m));
    }

    public static byte[] encode(DhcpMessage m) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(576);
        o.write(m.op());
        o.write(m.htype());
        o.write(m.hlen());
        o.write(m.hops());
        o.writeBytes(Ip4.toBytes(m.xid()));
        o.write(m.secs() >>> 8);
        o.write(m.secs());
        o.write(m.flags() >>> 8);
        o.write(m.flags());
        o.writeBytes(Ip4.toBytes(m.ciaddr()));
        o.writeBytes(Ip4.toBytes(m.yiaddr()));
        o.writeBytes(Ip4.toBytes(m.siaddr()));
        o.writeBytes(Ip4.toBytes(m.giaddr()));
        o.writeBytes(m.chaddr());
        o.writeBytes(m.sname());
        o.writeBytes(m.file());
        o.writeBytes(Ip4.toBytes(MAGIC_COOKIE));
        for (var e : m.options().entrySet()) {
            byte[] v = e.getValue();
            int off = 0;
            do { // RFC 3396: split long values; an empty value is written once with length 0
                int n = Math.min(255, v.length - off);
                o.write(e.getKey());
                o.write(n);
                o.write(v, off, n);
                off += n;
            } while (off < v.length);
        }
        o.write(DhcpOption.END);
        while (o.size() < MIN_MESSAGE_LENGTH) {
            o.write(DhcpOption.PAD);
        }
        return o.toByteArray();
    }

    /** Parses an encapsulated option (43, 175, 82): sub-option code to value; later duplicates are joined. */
    public static Map<Integer, byte[]> subOptions(byte[] value) {
        Map<Integer, ByteArrayOutputStream> out = new LinkedHashMap<>();
        if (value != null) {
            int i = 0;
            while (i < value.length) {
                int code = value[i] & 0xff;
                if (code == DhcpOption.END) {
                    break;
                }
                if (code == DhcpOption.PAD) {
                    i++;
                    continue;
                }
                if (i + 1 >= value.length) {
                    break;
                }
                int len = value[i + 1] & 0xff;
                if (i + 2 + len > value.length) {
                    break; // truncated sub-option: keep what was complete
                }
                out.computeIfAbsent(code, k -> new ByteArrayOutputStream()).write(value, i + 2, len);
                i += 2 + len;
            }
        }
        Map<Integer, byte[]> result = new LinkedHashMap<>();
        out.forEach((k, v) -> result.put(k, v.toByteArray()));
        return result;
    }

    /** Encodes sub-options (code, length, value), without an END marker. */
    public static byte[] encodeSubOptions(Map<Integer, byte[]> subs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        subs.forEach((k, v) -> {
            o.write(k);
            o.write(v.length);
            o.writeBytes(v);
        });
        return o.toByteArray();
    }
}
