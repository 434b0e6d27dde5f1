package io.bootdesk.tftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the bytes of one DATA block from the file with positional reads, so any block can be read again for a
 * retransmission without keeping the file in memory. A {@link Cursor} says where a block starts.
 */
abstract sealed class BlockReader {

    /**
     * Where a block starts: the file offset and, in netascii, the second byte of a CR LF / CR NUL pair that the
     * previous block had no room for (-1 for none).
     */
    record Cursor(long offset, int pending) {
        static final Cursor START = new Cursor(0, -1);
    }

    /** A block's length and where the next block starts. */
    record Block(int length, Cursor next) {
    }

    protected final FileChannel file;

    BlockReader(FileChannel file) {
        this.file = file;
    }

    static BlockReader of(FileChannel file, boolean netascii, int blksize) {
        return netascii ? new NetasciiReader(file, blksize) : new OctetReader(file);
    }

    /** Fills {@code out[0..blksize)} with the block at {@code at}; a block shorter than blksize is the last one. */
    abstract Block read(Cursor at, byte[] out, int blksize) throws IOException;

    /** Reads up to {@code length} bytes at {@code position}, fewer only at the end of the file. */
    protected final int readFully(long position, byte[] into, int length) throws IOException {
        int n = 0;
        ByteBuffer b = ByteBuffer.wrap(into, 0, length);
        while (b.hasRemaining()) {
            int r = file.read(b, position + n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    static final class OctetReader extends BlockReader {
        OctetReader(FileChannel file) {
            super(file);
        }

        @Override
        Block read(Cursor at, byte[] out, int blksize) throws IOException {
            int n = readFully(at.offset(), out, blksize);
            return new Block(n, new Cursor(at.offset() + n, -1));
        }
    }

    static final class NetasciiReader extends BlockReader {
        private final byte[] raw;

        NetasciiReader(FileChannel file, int blksize) {
            super(file);
            this.raw = new byte[blksize];
        }

        @Override
        Block read(Cursor at, byte[] out, int blksize) throws IOException {
            // each input byte yields at least one output byte, so blksize input bytes always fill a block
            int room = blksize - (at.pending() >= 0 ? 1 : 0);
            int n = readFully(at.offset(), raw, room);
            Netascii.Step s = Netascii.encode(raw, n, at.pending(), out, blksize);
            return new Block(s.written(), new Cursor(at.offset() + s.consumed(), s.pending()));
        }
    }
}
