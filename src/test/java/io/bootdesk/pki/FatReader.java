package io.bootdesk.pki;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An independent FAT12/16 reader for tests, written from the FAT specification's rules (BPB, cluster count decides
 * the type, long-name entries before their short entry, checksum), not from FatImage's code.
 */
public final class FatReader {
    public record Entry(String longName, String shortName, int attr, int cluster, long size, int checksumOk) {
        public boolean dir() {
            return (attr & 0x10) != 0;
        }
    }

    final ByteBuffer img;
    final int bytesPerSector;
    final int sectorsPerCluster;
    final int reserved;
    final int fats;
    final int rootEntries;
    final long totalSectors;
    final int fatSectors;
    final long clusters;
    final boolean fat12;
    public final String label;

    public FatReader(byte[] image) {
        img = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if ((image[510] & 0xFF) != 0x55 || (image[511] & 0xFF) != 0xAA) {
            throw new IllegalStateException("no boot signature");
        }
        bytesPerSector = img.getShort(11) & 0xFFFF;
        sectorsPerCluster = image[13] & 0xFF;
        reserved = img.getShort(14) & 0xFFFF;
        fats = image[16] & 0xFF;
        rootEntries = img.getShort(17) & 0xFFFF;
        int tot16 = img.getShort(19) & 0xFFFF;
        totalSectors = tot16 != 0 ? tot16 : img.getInt(32) & 0xFFFFFFFFL;
        fatSectors = img.getShort(22) & 0xFFFF;
        long rootSectors = (rootEntries * 32L + bytesPerSector - 1) / bytesPerSector;
        long data = totalSectors - reserved - (long) fats * fatSectors - rootSectors;
        clusters = data / sectorsPerCluster;
        fat12 = clusters < 4085;
        label = new String(image, 43, 11, StandardCharsets.US_ASCII).trim();
    }

    long rootOffset() {
        return (long) (reserved + fats * fatSectors) * bytesPerSector;
    }

    long clusterOffset(int c) {
        return rootOffset() + (long) rootEntries * 32 + (long) (c - 2) * sectorsPerCluster * bytesPerSector;
    }

    int fat(int copy, int cluster) {
        int base = (reserved + copy * fatSectors) * bytesPerSector;
        if (!fat12) {
            return img.getShort(base + cluster * 2) & 0xFFFF;
        }
        int off = base + cluster + cluster / 2;
        int v = (img.get(off) & 0xFF) | ((img.get(off + 1) & 0xFF) << 8);
        return (cluster & 1) == 0 ? v & 0xFFF : v >>> 4;
    }

    boolean endOfChain(int v) {
        return fat12 ? v >= 0xFF8 : v >= 0xFFF8;
    }

    List<Integer> chain(int first) {
        List<Integer> out = new ArrayList<>();
        for (int c = first; c >= 2 && !endOfChain(c); c = fat(0, c)) {
            if (out.size() > clusters) {
                throw new IllegalStateException("cluster chain loops");
            }
            out.add(c);
        }
        return out;
    }

    byte[] clusterData(int first, long limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int cs = sectorsPerCluster * bytesPerSector;
        for (int c : chain(first)) {
            byte[] b = new byte[cs];
            img.get((int) clusterOffset(c), b);
            out.writeBytes(b);
        }
        byte[] all = out.toByteArray();
        return limit < 0 ? all : java.util.Arrays.copyOf(all, (int) limit);
    }

    List<Entry> list(byte[] dir) {
        List<Entry> out = new ArrayList<>();
        Map<Integer, String> parts = new LinkedHashMap<>();
        int lfnChecksum = -1;
        ByteBuffer b = ByteBuffer.wrap(dir).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off + 32 <= dir.length; off += 32) {
            int first = dir[off] & 0xFF;
            if (first == 0) {
                break;
            }
            if (first == 0xE5) {
                continue;
            }
            int attr = dir[off + 11] & 0xFF;
            if (attr == 0x0F) {
                StringBuilder s = new StringBuilder();
                for (int i : new int[] {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30}) {
                    char ch = b.getChar(off + i);
                    if (ch == 0 || ch == 0xFFFF) {
                        break;
                    }
                    s.append(ch);
                }
                parts.put(first & 0x1F, s.toString());
                lfnChecksum = dir[off + 13] & 0xFF;
                continue;
            }
            String shortName = new String(dir, off, 11, StandardCharsets.US_ASCII);
            String longName = null;
            int ok = -1;
            if (!parts.isEmpty()) {
                StringBuilder s = new StringBuilder();
                for (int k = 1; k <= parts.size(); k++) {
                    s.append(parts.get(k));
                }
                longName = s.toString();
                ok = lfnChecksum == FatImage.checksum(shortName) ? 1 : 0;
                parts.clear();
            }
            out.add(new Entry(longName, shortName, attr, b.getShort(off + 26) & 0xFFFF, b.getInt(off + 28) & 0xFFFFFFFFL, ok));
        }
        return out;
    }

    byte[] rootDir() {
        byte[] b = new byte[rootEntries * 32];
        img.get((int) rootOffset(), b);
        return b;
    }

    static String name(Entry e) {
        if (e.longName() != null) {
            return e.longName();
        }
        String base = e.shortName().substring(0, 8).trim();
        String ext = e.shortName().substring(8).trim();
        return ext.isEmpty() ? base : base + "." + ext;
    }

    public Entry find(String path) {
        byte[] dir = rootDir();
        Entry found = null;
        for (String part : path.split("/")) {
            found = null;
            for (Entry e : list(dir)) {
                if ((e.attr() & 0x08) == 0 && name(e).toUpperCase(Locale.ROOT).equals(part.toUpperCase(Locale.ROOT))) {
                    found = e;
                    break;
                }
            }
            if (found == null) {
                throw new IllegalStateException(path + ": no " + part);
            }
            if (found.dir()) {
                dir = clusterData(found.cluster(), -1);
            }
        }
        return found;
    }

    public byte[] read(String path) {
        Entry e = find(path);
        return e.size() == 0 ? new byte[0] : clusterData(e.cluster(), e.size());
    }

    public List<Entry> listDir(String path) {
        return path.isEmpty() ? list(rootDir()) : list(clusterData(find(path).cluster(), -1));
    }
}
