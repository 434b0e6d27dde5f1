package io.bootdesk.engine.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a gzip-compressed cpio archive in the "newc" format the Linux kernel unpacks as an initramfs. Written in
 * Java so device nodes need no mknod (no root) and the archive is byte-for-byte reproducible (mtime 0, fixed
 * inode numbers). The demo image's initramfs and the end-to-end tests' payloads are written with it.
 */
public final class Cpio {
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int ino = 1;
    private boolean finished;

    public Cpio dir(String name) {
        entry(name, S_IFDIR | 0755, 2, 0, 0, new byte[0]);
        return this;
    }

    public Cpio file(String name, int perm, byte[] data) {
        entry(name, S_IFREG | perm, 1, 0, 0, data);
        return this;
    }

    public Cpio symlink(String name, String target) {
        entry(name, S_IFLNK | 0777, 1, 0, 0, target.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public Cpio charDevice(String name, int perm, int major, int minor) {
        entry(name, S_IFCHR | perm, 1, major, minor, new byte[0]);
        return this;
    }

    /** The archive (with its TRAILER!!! entry), uncompressed. */
    public byte[] bytes() {
        if (!finished) {
            entry("TRAILER!!!", 0, 1, 0, 0, new byte[0]);
            finished = true;
        }
        return out.toByteArray();
    }

    /** The archive gzip-compressed, as the kernel's initramfs unpacker reads it. */
    public byte[] gzipped() {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(z)) {
            gz.write(bytes());
        } catch (IOException e) {
            throw new IllegalStateException("gzip in memory: " + e.getMessage(), e);
        }
        byte[] b = z.toByteArray();
        b[4] = b[5] = b[6] = b[7] = 0; // gzip MTIME: already 0 in Java's header, kept explicit for reproducibility
        return b;
    }

    private void entry(String name, int mode, int nlink, int rdevMajor, int rdevMinor, byte[] data) {
        if (finished) {
            throw new IllegalStateException("archive already finished");
        }
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        int[] fields = {name.equals("TRAILER!!!") ? 0 : ino++, mode, 0, 0, nlink, 0, data.length, 0, 0,
                rdevMajor, rdevMinor, n.length, 0};
        for (int f : fields) {
            h.append(String.format("%08x", f));
        }
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(n);
        pad();
        out.writeBytes(data);
        pad();
    }

    private void pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }
}
