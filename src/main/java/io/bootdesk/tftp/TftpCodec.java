package io.bootdesk.tftp;

import io.bootdesk.tftp.TftpPacket.Ack;
import io.bootdesk.tftp.TftpPacket.Data;
import io.bootdesk.tftp.TftpPacket.ErrorPacket;
import io.bootdesk.tftp.TftpPacket.OptionAck;
import io.bootdesk.tftp.TftpPacket.ReadRequest;
import io.bootdesk.tftp.TftpPacket.WriteRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Translates TFTP packets to and from bytes (RFC 1350 §5, RFC 2347 options and OACK), nothing else: no server
 * state. Strings are NUL-terminated UTF-8 (RFC 1350 says netascii, which is its ASCII subset); file names, modes and
 * options must be valid UTF-8, error messages are decoded leniently. Tolerated on input, as real clients send them:
 * NUL padding after the last option, bytes after an ACK's block number or after an error message's NUL, an error
 * message without its NUL, and a repeated option (the first one counts, compared case-insensitively).
 */
public final class TftpCodec {
    /** The largest payload one UDP datagram can carry, and so the largest TFTP packet. */
    public static final int MAX_PACKET = 65_507;

    private TftpCodec() {
    }

    /** Decodes the readable bytes of {@code in} without moving its reader index. */
    public static TftpPacket decode(ByteBuf in) throws TftpDecodeException {
        byte[] b = new byte[in.readableBytes()];
        in.getBytes(in.readerIndex(), b);
        return decode(b);
    }

    public static TftpPacket decode(byte[] b) throws TftpDecodeException {
        if (b.length < 2) {
            throw new TftpDecodeException("too short for a TFTP packet: " + b.length + " bytes (the opcode alone is 2)");
        }
        int op = u16(b, 0);
        switch (op) {
            case TftpPacket.OP_RRQ, TftpPacket.OP_WRQ -> {
                String kind = op == TftpPacket.OP_RRQ ? "RRQ" : "WRQ";
                int[] pos = {2};
                String filename = strictString(b, pos, kind + " file name");
                String mode = strictString(b, pos, kind + " mode");
                Map<String, String> options = options(b, pos, kind);
                return op == TftpPacket.OP_RRQ ? new ReadRequest(filename, mode, options)
                        : new WriteRequest(filename, mode, options);
            }
            case TftpPacket.OP_DATA -> {
                requireLength(b, 4, "DATA");
                return new Data(u16(b, 2), Arrays.copyOfRange(b, 4, b.length));
            }
            case TftpPacket.OP_ACK -> {
                requireLength(b, 4, "ACK");
                return new Ack(u16(b, 2));
            }
            case TftpPacket.OP_ERROR -> {
                requireLength(b, 4, "ERROR");
                int end = indexOfNul(b, 4);
                String message = lenientString(b, 4, end < 0 ? b.length : end);
                return new ErrorPacket(u16(b, 2), message);
            }
            case TftpPacket.OP_OACK -> {
                int[] pos = {2};
                return new OptionAck(options(b, pos, "OACK"));
            }
            default -> throw new TftpDecodeException("unknown opcode " + op + " (TFTP has 1..6)");
        }
    }

    /** Writes {@code p} to {@code out}. */
    public static void encode(TftpPacket p, ByteBuf out) {
        out.writeShort(p.opcode());
        switch (p) {
            case ReadRequest r -> request(r.filename(), r.mode(), r.options(), out);
            case WriteRequest w -> request(w.filename(), w.mode(), w.options(), out);
            case Data d -> out.writeShort(d.block()).writeBytes(d.payload());
            case Ack a -> out.writeShort(a.block());
            case ErrorPacket e -> {
                out.writeShort(e.code());
                string(e.message(), out);
            }
            case OptionAck o -> options(o.options(), out);
        }
    }

    public static byte[] encode(TftpPacket p) {
        ByteBuf buf = Unpooled.buffer(p instanceof Data d ? 4 + d.length() : 64);
        encode(p, buf);
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        return b;
    }

    private static void request(String filename, String mode, Map<String, String> options, ByteBuf out) {
        string(filename, out);
        string(mode, out);
        options(options, out);
    }

    private static void options(Map<String, String> options, ByteBuf out) {
        options.forEach((k, v) -> {
            string(k, out);
            string(v, out);
        });
    }

    private static void string(String s, ByteBuf out) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }

    private static Map<String, String> options(byte[] b, int[] pos, String kind) throws TftpDecodeException {
        Map<String, String> options = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        while (pos[0] < b.length) {
            if (b[pos[0]] == 0) {
                for (int i = pos[0]; i < b.length; i++) {
                    if (b[i] != 0) {
                        throw new TftpDecodeException(kind + " has an empty option name at byte " + pos[0]);
                    }
                }
                break; // NUL padding after the last option
            }
            int at = pos[0];
            String name = strictString(b, pos, kind + " option name at byte " + at);
            if (pos[0] >= b.length) {
                throw new TftpDecodeException(kind + " option " + printable(name) + " has no value");
            }
            String value = strictString(b, pos, kind + " value of option " + printable(name));
            if (seen.add(OptionNames.fold(name))) {
                options.put(name, value);
            }
        }
        return options;
    }

    private static void requireLength(byte[] b, int min, String kind) throws TftpDecodeException {
        if (b.length < min) {
            throw new TftpDecodeException(kind + " needs at least " + min + " bytes, got " + b.length);
        }
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int indexOfNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String strictString(byte[] b, int[] pos, String what) throws TftpDecodeException {
        int end = indexOfNul(b, pos[0]);
        if (end < 0) {
            throw new TftpDecodeException(what + " is not terminated by NUL (truncated packet?)");
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, pos[0], end - pos[0]))
                    .toString();
            pos[0] = end + 1;
            return s;
        } catch (CharacterCodingException e) {
            throw new TftpDecodeException(what + " is not valid UTF-8");
        }
    }

    private static String lenientString(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /** A string safe to put in a log line: control characters escaped, at most 64 characters. */
    static String printable(String s) {
        StringBuilder o = new StringBuilder();
        for (int i = 0; i < s.length() && o.length() < 64; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                o.append(String.format("\\x%02x", (int) c));
            } else {
                o.append(c);
            }
        }
        return s.length() > 64 ? o + "..." : o.toString();
    }
}
