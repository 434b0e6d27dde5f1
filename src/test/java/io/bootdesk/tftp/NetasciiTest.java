package io.bootdesk.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.tftp.BlockReader.Block;
import io.bootdesk.tftp.BlockReader.Cursor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NetasciiTest {

    @Test
    void lineEndsBecomeCrLfAndCrBecomesCrNul() {
        byte[] in = "a\nb\rc\r\n".getBytes();
        byte[] out = new byte[64];
        Netascii.Step s = Netascii.encode(in, in.length, -1, out, out.length);
        assertThat(new String(out, 0, s.written())).isEqualTo("a\r\nb\r\0c\r\0\r\n");
        assertThat(s.consumed()).isEqualTo(in.length);
        assertThat(s.pending()).isEqualTo(-1);
    }

    @Test
    void aPairCutByTheBlockEndIsFinishedInTheNextBlock() {
        byte[] in = "ab\n".getBytes();
        byte[] out = new byte[3];
        Netascii.Step s = Netascii.encode(in, in.length, -1, out, 3);
        assertThat(new String(out, 0, s.written())).isEqualTo("ab\r");
        assertThat(s.consumed()).isEqualTo(3);
        assertThat(s.pending()).isEqualTo('\n');
        Netascii.Step next = Netascii.encode(in, 0, s.pending(), out, 3);
        assertThat(next.written()).isEqualTo(1);
        assertThat(out[0]).isEqualTo((byte) '\n');
    }

    /** Reading a file block by block, at any block size, gives the translation of the whole file. */
    @Property(tries = 300)
    void blocksConcatenateToTheWholeTranslation(@ForAll("text") byte[] content, @ForAll @IntRange(min = 1, max = 40) int blksize)
            throws IOException {
        Path f = Files.createTempFile("bdtftp-netascii", ".txt");
        try (FileChannel ch = FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(content));
        }
        try (FileChannel ch = FileChannel.open(f)) {
            BlockReader r = BlockReader.of(ch, true, blksize);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            Cursor at = Cursor.START;
            byte[] buf = new byte[blksize];
            for (int guard = 0; guard < 10_000; guard++) {
                Block b = r.read(at, buf, blksize);
                got.write(buf, 0, b.length());
                // reading the same block again (a retransmission) gives the same bytes
                byte[] again = new byte[blksize];
                assertThat(r.read(at, again, blksize)).isEqualTo(b);
                assertThat(java.util.Arrays.copyOf(again, b.length())).isEqualTo(java.util.Arrays.copyOf(buf, b.length()));
                at = b.next();
                if (b.length() < blksize) {
                    break;
                }
            }
            assertThat(got.toByteArray()).isEqualTo(whole(content));
            assertThat(decode(got.toByteArray())).isEqualTo(content);
        } finally {
            Files.delete(f);
        }
    }

    @Provide
    Arbitrary<byte[]> text() {
        return Arbitraries.of((byte) 'a', (byte) '\n', (byte) '\r', (byte) 0, (byte) 'z')
                .array(byte[].class).ofMaxSize(120);
    }

    private static byte[] whole(byte[] in) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte b : in) {
            if (b == '\n') {
                o.write('\r');
                o.write('\n');
            } else if (b == '\r') {
                o.write('\r');
                o.write(0);
            } else {
                o.write(b);
            }
        }
        return o.toByteArray();
    }

    /** What a netascii client does on receipt: CR LF to LF, CR NUL to CR. */
    private static byte[] decode(byte[] in) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\r' && i + 1 < in.length && (in[i + 1] == '\n' || in[i + 1] == 0)) {
                o.write(in[i + 1] == '\n' ? '\n' : '\r');
                i++;
            } else {
                o.write(in[i]);
            }
        }
        return o.toByteArray();
    }
}
