package io.bootdesk.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A FAT12/FAT16 file system image ("superfloppy": no partition table, as {@code mkfs.fat} makes on a file), written
 * in Java so no mtools are needed at run time. UEFI firmware mounts it from a USB stick or a virtual disk; iPXE
 * reads {@code autoexec.ipxe} from it. Long file names (VFAT) are written for every name that is not an upper-case
 * 8.3 name, with a unique {@code NAME~N.EXT} alias.
 *
 * <pre>
 * FatImage img = FatImage.builder().label("BOOTDESK")
 *         .file("EFI/BOOT/BOOTX64.EFI", Path.of("/usr/lib/ipxe/ipxe.efi"))
 *         .file("EFI/BOOT/autoexec.ipxe", script)
 *         .build();
 * img.writeTo(Path.of("boot.img"));
 * </pre>
 *
 * Layout: 512-byte sectors, one reserved sector, two FATs, a 512-entry root folder, geometry 64 heads x 32 sectors
 * (sizes are multiples of 16 KiB so tools that check the geometry are content), media byte F8. The FAT type follows
 * from the cluster count as the FAT specification defines it (FAT12 below 4085 clusters); sizes near the limits
 * are avoided.
 */
public final class FatImage {

    public enum Type { FAT12, FAT16 }

    static final int SECTOR = 512;
    static final int SECTORS_PER_TRACK = 32;
    static final int HEADS = 64;
    static final int RESERVED_SECTORS = 1;
    static final int FAT_COPIES = 2;
    static final int ROOT_ENTRIES = 512;
    static final int MEDIA = 0xF8;
    static final int ENTRY = 32;
    /** Sizes are multiples of this (one track). */
    public static final long SIZE_STEP = (long) SECTORS_PER_TRACK * SECTOR;
    public static final long MIN_SIZE = 128 * 1024;
    public static final long MAX_SIZE = 2L * 1024 * 1024 * 1024 - SIZE_STEP;
    private static final long MIB = 1024 * 1024;
    /** Keep clear of the FAT12/FAT16 boundaries, where implementations have disagreed by a few clusters. */
    private static final int MARGIN = 16;
    private static final int FAT12_MAX_CLUSTERS = 4084;
    private static final int FAT16_MIN_CLUSTERS = 4085;
    private static final int FAT16_MAX_CLUSTERS = 65524;
    private static final String SHORT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'()-@^_`{}~";
    private static final String LFN_FORBIDDEN = "\"*/:<>?\\|";

    private final Node root;
    private final Geometry g;
    private final String label;
    private final int volumeId;
    private final LocalDateTime time;

    private FatImage(Node root, Geometry g, String label, int volumeId, LocalDateTime time) {
        this.root = root;
        this.g = g;
        this.label = label;
        this.volumeId = volumeId;
        this.time = time;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Type type() {
        return g.type;
    }

    /** Image size in bytes. */
    public long size() {
        return g.totalSectors * SECTOR;
    }

    public int clusterSize() {
        return g.sectorsPerCluster * SECTOR;
    }

    public int clusterCount() {
        return (int) g.clusters;
    }

    /** Writes the image to {@code out} (through a temporary file in the same folder, then renamed). */
    public void writeTo(Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".fat-", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(new byte[1]), size() - 1); // sparse, full size
                write(new Sink() {
                    @Override
                    public void put(long offset, byte[] bytes) throws IOException {
                        ByteBuffer b = ByteBuffer.wrap(bytes);
                        while (b.hasRemaining()) {
                            ch.write(b, offset + b.position());
                        }
                    }

                    @Override
                    public void copy(long offset, Path source, long length) throws IOException {
                        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                            long done = 0;
                            while (done < length) {
                                long n = in.transferTo(done, length - done, ch.position(offset + done));
                                if (n <= 0) {
                                    throw new IOException(source + " became shorter while it was being written into the image");
                                }
                                done += n;
                            }
                        }
                    }
                });
                ch.force(true);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The whole image in memory (images up to 2 GiB - 1). */
    public byte[] toByteArray() throws IOException {
        if (size() > Integer.MAX_VALUE - 8) {
            throw new IOException("a " + size() / MIB + " MiB image does not fit in a byte array; write it to a file");
        }
        byte[] img = new byte[(int) size()];
        write(new Sink() {
            @Override
            public void put(long offset, byte[] bytes) {
                System.arraycopy(bytes, 0, img, (int) offset, bytes.length);
            }

            @Override
            public void copy(long offset, Path source, long length) throws IOException {
                byte[] data = Files.readAllBytes(source);
                if (data.length != length) {
                    throw new IOException(source + " changed size while it was being written into the image");
                }
                System.arraycopy(data, 0, img, (int) offset, data.length);
            }
        });
        return img;
    }

    private interface Sink {
        void put(long offset, byte[] bytes) throws IOException;

        void copy(long offset, Path source, long length) throws IOException;
    }

    private void write(Sink sink) throws IOException {
        sink.put(0, bootSector());
        byte[] fat = fat();
        for (int i = 0; i < FAT_COPIES; i++) {
            sink.put((long) (RESERVED_SECTORS + (long) i * g.fatSectors) * SECTOR, fat);
        }
        sink.put(g.rootOffset(), directory(root, null, ROOT_ENTRIES * ENTRY));
        writeContents(root, sink);
    }

    private void writeContents(Node dir, Sink sink) throws IOException {
        for (Node n : dir.children.values()) {
            if (n.isDir) {
                sink.put(g.clusterOffset(n.firstCluster), directory(n, dir, n.clusters * clusterSize()));
                writeContents(n, sink);
            } else if (n.size > 0) {
                if (n.data != null) {
                    sink.put(g.clusterOffset(n.firstCluster), n.data);
                } else {
                    if (Files.size(n.source) != n.size) {
                        throw new IOException(n.source + " changed size since the image was laid out");
                    }
                    sink.copy(g.clusterOffset(n.firstCluster), n.source, n.size);
                }
            }
        }
    }

    private byte[] bootSector() {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0xEB, 0x3C, (byte) 0x90});   // jump over the BPB to the stub at 0x3E
        b.put("MSWIN4.1".getBytes(StandardCharsets.US_ASCII)); // OEM name most FAT drivers expect
        b.putShort((short) SECTOR);
        b.put((byte) g.sectorsPerCluster);
        b.putShort((short) RESERVED_SECTORS);
        b.put((byte) FAT_COPIES);
        b.putShort((short) ROOT_ENTRIES);
        b.putShort((short) (g.totalSectors < 0x10000 ? g.totalSectors : 0));
        b.put((byte) MEDIA);
        b.putShort((short) g.fatSectors);
        b.putShort((short) SECTORS_PER_TRACK);
        b.putShort((short) HEADS);
        b.putInt(0);                                            // hidden sectors: no partition table
        b.putInt((int) (g.totalSectors < 0x10000 ? 0 : g.totalSectors));
        b.put((byte) 0x80);                                     // drive number
        b.put((byte) 0);
        b.put((byte) 0x29);                                     // extended boot signature: the next three fields exist
        b.putInt(volumeId);
        b.put(shortLabel());
        b.put((g.type == Type.FAT12 ? "FAT12   " : "FAT16   ").getBytes(StandardCharsets.US_ASCII));
        // 0x3E: if a BIOS boots this disk, "int 18h" hands back to the BIOS (try the next device), else halt.
        b.put(new byte[] {(byte) 0xCD, 0x18, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD});
        b.put(510, (byte) 0x55);
        b.put(511, (byte) 0xAA);
        return b.array();
    }

    private byte[] shortLabel() {
        return pad(label, 11).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] fat() {
        byte[] fat = new byte[g.fatSectors * SECTOR];
        int eoc = g.type == Type.FAT12 ? 0xFFF : 0xFFFF;
        setFat(fat, 0, (g.type == Type.FAT12 ? 0xF00 : 0xFF00) | MEDIA);
        setFat(fat, 1, eoc);
        chains(root, fat, eoc);
        return fat;
    }

    private void chains(Node dir, byte[] fat, int eoc) {
        for (Node n : dir.children.values()) {
            for (int i = 0; i < n.clusters; i++) {
                int c = n.firstCluster + i;
                setFat(fat, c, i == n.clusters - 1 ? eoc : c + 1);
            }
            if (n.isDir) {
                chains(n, fat, eoc);
            }
        }
    }

    private void setFat(byte[] fat, int cluster, int value) {
        if (g.type == Type.FAT16) {
            fat[cluster * 2] = (byte) value;
            fat[cluster * 2 + 1] = (byte) (value >>> 8);
            return;
        }
        int off = cluster + cluster / 2;
        if ((cluster & 1) == 0) {
            fat[off] = (byte) value;
            fat[off + 1] = (byte) ((fat[off + 1] & 0xF0) | ((value >>> 8) & 0x0F));
        } else {
            fat[off] = (byte) ((fat[off] & 0x0F) | ((value << 4) & 0xF0));
            fat[off + 1] = (byte) (value >>> 4);
        }
    }

    /** The entries of {@code dir} (a subfolder's start with "." and ".."; the root's with the volume label). */
    private byte[] directory(Node dir, Node parent, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (dir == root) {
            entry(b, pad(label, 11), 0x08, 0, 0);
        } else {
            entry(b, ".          ", 0x10, dir.firstCluster, 0);
            entry(b, "..         ", 0x10, parent == root ? 0 : parent.firstCluster, 0);
        }
        for (Node n : dir.children.values()) {
            if (n.needsLongName) {
                longNameEntries(b, n.name, checksum(n.shortName));
            }
            entry(b, n.shortName, n.isDir ? 0x10 : 0x20, n.size == 0 && !n.isDir ? 0 : n.firstCluster,
                    n.isDir ? 0 : n.size);
        }
        return b.array();
    }

    private void entry(ByteBuffer b, String name11, int attr, int cluster, long size) {
        int date = ((time.getYear() - 1980) << 9) | (time.getMonthValue() << 5) | time.getDayOfMonth();
        int clock = (time.getHour() << 11) | (time.getMinute() << 5) | (time.getSecond() / 2);
        b.put(name11.getBytes(StandardCharsets.US_ASCII));
        b.put((byte) attr);
        b.put((byte) 0);                                  // NT reserved (no case flags: long names carry case)
        b.put((byte) ((time.getSecond() % 2) * 100));     // creation time, tenths of a second
        b.putShort((short) clock);
        b.putShort((short) date);
        b.putShort((short) date);                         // last access
        b.putShort((short) 0);                            // high cluster word (FAT32 only)
        b.putShort((short) clock);
        b.putShort((short) date);
        b.putShort((short) cluster);
        b.putInt((int) size);
    }

    private static void longNameEntries(ByteBuffer b, String name, int checksum) {
        char[] units = name.toCharArray();
        int count = (units.length + 12) / 13;
        char[] padded = new char[count * 13];
        java.util.Arrays.fill(padded, (char) 0xFFFF);
        System.arraycopy(units, 0, padded, 0, units.length);
        if (units.length < padded.length) {
            padded[units.length] = 0;
        }
        for (int k = count; k >= 1; k--) {
            int base = (k - 1) * 13;
            b.put((byte) (k == count ? 0x40 | k : k));
            for (int i = 0; i < 5; i++) {
                b.putChar(padded[base + i]);
            }
            b.put((byte) 0x0F);   // attributes: read-only|hidden|system|volume = long-name entry
            b.put((byte) 0);
            b.put((byte) checksum);
            for (int i = 5; i < 11; i++) {
                b.putChar(padded[base + i]);
            }
            b.putShort((short) 0);
            for (int i = 11; i < 13; i++) {
                b.putChar(padded[base + i]);
            }
        }
    }

    /** The checksum of an 11-byte short name that ties long-name entries to their short entry. */
    static int checksum(String name11) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) + (sum >>> 1) + name11.charAt(i)) & 0xFF;
        }
        return sum;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    // ---------------------------------------------------------------------------------------------- layout

    private static final class Node {
        final String name;
        final boolean isDir;
        final Map<String, Node> children = new LinkedHashMap<>();
        byte[] data;
        Path source;
        long size;
        String shortName;
        boolean needsLongName;
        int firstCluster;
        int clusters;

        Node(String name, boolean isDir) {
            this.name = name;
            this.isDir = isDir;
        }

        int entries() {
            int n = 0;
            for (Node c : children.values()) {
                n += 1 + (c.needsLongName ? (c.name.length() + 12) / 13 : 0);
            }
            return n;
        }
    }

    record Geometry(Type type, long totalSectors, int sectorsPerCluster, int fatSectors, long clusters) {
        static final int ROOT_SECTORS = ROOT_ENTRIES * ENTRY / SECTOR;

        long rootOffset() {
            return (long) (RESERVED_SECTORS + FAT_COPIES * fatSectors) * SECTOR;
        }

        long clusterOffset(int cluster) {
            return rootOffset() + (long) ROOT_SECTORS * SECTOR + (long) (cluster - 2) * sectorsPerCluster * SECTOR;
        }

        /** The layout of an image of {@code totalSectors} of the given type, or null if none fits the type's range. */
        static Geometry of(long totalSectors, Type type) {
            for (int spc = 1; spc <= 64; spc *= 2) {
                int fatSectors = 1;
                long clusters;
                while (true) {
                    long data = totalSectors - RESERVED_SECTORS - (long) FAT_COPIES * fatSectors - ROOT_SECTORS;
                    clusters = Math.max(0, data / spc);
                    long bytes = type == Type.FAT12 ? ((clusters + 2) * 3 + 1) / 2 : (clusters + 2) * 2;
                    int need = (int) ((bytes + SECTOR - 1) / SECTOR);
                    if (need <= fatSectors) {
                        break;
                    }
                    fatSectors = need;
                }
                boolean fits = type == Type.FAT12
                        ? clusters >= 1 && clusters <= FAT12_MAX_CLUSTERS - MARGIN
                        : clusters >= FAT16_MIN_CLUSTERS + MARGIN && clusters <= FAT16_MAX_CLUSTERS - MARGIN;
                if (fits) {
                    return new Geometry(type, totalSectors, spc, fatSectors, clusters);
                }
                if (type == Type.FAT16 && clusters < FAT16_MIN_CLUSTERS + MARGIN) {
                    return null; // larger clusters only make fewer
                }
            }
            return null;
        }
    }

    /** Collects folders and files, then lays them out. Not thread-safe. */
    public static final class Builder {
        private final Node root = new Node("", true);
        private String label = "BOOTDESK";
        private Long size;
        private Type type;
        private Integer volumeId;
        private LocalDateTime time;

        private Builder() {
        }

        /** The volume label: up to 11 characters A-Z, 0-9, space and {@code !#$%&'()-@^_`{}~} (upper-cased). */
        public Builder label(String text) {
            String l = text.toUpperCase(Locale.ROOT);
            if (l.isEmpty() || l.length() > 11 || l.startsWith(" ")
                    || !l.chars().allMatch(c -> c == ' ' || SHORT_CHARS.indexOf(c) >= 0)) {
                throw new IllegalArgumentException("'" + text + "' is not a FAT volume label (1 to 11 characters: "
                        + "letters, digits, spaces and !#$%&'()-@^_`{}~)");
            }
            this.label = l;
            return this;
        }

        /** The image size (a multiple of 16 KiB); without it the smallest whole number of MiB that holds the files. */
        public Builder size(long bytes) {
            if (bytes < MIN_SIZE || bytes > MAX_SIZE || bytes % SIZE_STEP != 0) {
                throw new IllegalArgumentException("a FAT image size is a multiple of 16 KiB from 128 KiB to 2 GiB, not "
                        + bytes + " bytes");
            }
            this.size = bytes;
            return this;
        }

        /** Forces FAT12 or FAT16; without it images up to 4 MiB are FAT12 and larger ones FAT16. */
        public Builder type(Type t) {
            this.type = t;
            return this;
        }

        public Builder volumeId(int id) {
            this.volumeId = id;
            return this;
        }

        /** The time stamped on every entry (local time, as FAT keeps it); default: now. */
        public Builder time(LocalDateTime t) {
            if (t.getYear() < 1980 || t.getYear() > 2107) {
                throw new IllegalArgumentException("FAT time stamps run from 1980 to 2107, not " + t.getYear());
            }
            this.time = t;
            return this;
        }

        /** Adds a folder (and its parents), e.g. "EFI/BOOT". */
        public Builder directory(String path) {
            Node n = root;
            for (String part : split(path)) {
                n = child(n, part, true, path);
            }
            return this;
        }

        public Builder file(String path, byte[] content) {
            Node n = newFile(path);
            n.data = content.clone();
            n.size = content.length;
            return this;
        }

        /** Adds a file whose bytes are read from {@code source} when the image is written. */
        public Builder file(String path, Path source) throws IOException {
            if (!Files.isRegularFile(source)) {
                throw new IOException(source + " is not a file");
            }
            long length = Files.size(source);
            if (length > 0xFFFF_FFFFL) {
                throw new IOException(source + " is larger than a FAT file can be (4 GiB - 1)");
            }
            Node n = newFile(path);
            n.source = source;
            n.size = length;
            return this;
        }

        private Node newFile(String path) {
            List<String> parts = split(path);
            Node dir = root;
            for (String part : parts.subList(0, parts.size() - 1)) {
                dir = child(dir, part, true, path);
            }
            String name = parts.get(parts.size() - 1);
            if (dir.children.containsKey(key(name))) {
                throw new IllegalArgumentException("'" + path + "' is in the image already");
            }
            Node f = new Node(name, false);
            dir.children.put(key(name), f);
            return f;
        }

        private static Node child(Node dir, String name, boolean isDir, String path) {
            Node n = dir.children.get(key(name));
            if (n == null) {
                n = new Node(name, isDir);
                dir.children.put(key(name), n);
            } else if (!n.isDir) {
                throw new IllegalArgumentException("'" + path + "': '" + n.name + "' is a file in the image, not a folder");
            }
            return n;
        }

        private static String key(String name) {
            return name.toUpperCase(Locale.ROOT);
        }

        private static List<String> split(String path) {
            List<String> parts = new ArrayList<>();
            for (String p : path.split("/", -1)) {
                if (p.isEmpty()) {
                    continue;
                }
                validName(p, path);
                parts.add(p);
            }
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("'" + path + "' names no file or folder");
            }
            return parts;
        }

        private static void validName(String name, String path) {
            boolean bad = name.equals(".") || name.equals("..") || name.length() > 255
                    || name.endsWith(".") || name.endsWith(" ")
                    || name.chars().anyMatch(c -> c < 0x20 || LFN_FORBIDDEN.indexOf(c) >= 0);
            if (bad) {
                throw new IllegalArgumentException("'" + path + "': '" + name + "' is not a valid FAT long file name");
            }
        }

        /** Lays the image out; fails with a sentence when the files do not fit. */
        public FatImage build() {
            nameAll(root);
            if (root.entries() + 1 > ROOT_ENTRIES) {
                throw new IllegalArgumentException("the root folder can hold " + (ROOT_ENTRIES - 1)
                        + " directory entries; these files need " + root.entries() + " (long names take several)");
            }
            Geometry geometry;
            if (size != null) {
                Type t = type != null ? type : (size <= 4 * MIB ? Type.FAT12 : Type.FAT16);
                geometry = Geometry.of(size / SECTOR, t);
                if (geometry == null) {
                    throw new IllegalArgumentException("a " + describe(size) + " image cannot be " + t
                            + (t == Type.FAT12 ? " (too large; use FAT16)" : " (too small; use FAT12)"));
                }
                long need = clustersNeeded(root, geometry.sectorsPerCluster * SECTOR);
                if (need > geometry.clusters) {
                    throw new IllegalArgumentException("the files need " + describe(need * geometry.sectorsPerCluster * SECTOR)
                            + " but a " + describe(size) + " " + t + " image has room for "
                            + describe(geometry.clusters * geometry.sectorsPerCluster * SECTOR));
                }
            } else {
                geometry = null;
                for (long s = MIB; s <= MAX_SIZE && geometry == null; s += MIB) {
                    Type t = type != null ? type : (s <= 4 * MIB ? Type.FAT12 : Type.FAT16);
                    Geometry candidate = Geometry.of(Math.min(s, MAX_SIZE) / SECTOR, t);
                    if (candidate != null
                            && clustersNeeded(root, candidate.sectorsPerCluster * SECTOR) <= candidate.clusters) {
                        geometry = candidate;
                    }
                }
                if (geometry == null) {
                    throw new IllegalArgumentException("the files do not fit in a FAT12/FAT16 image of at most 2 GiB");
                }
            }
            int[] next = {2};
            allocate(root, geometry.sectorsPerCluster * SECTOR, next);
            int id = volumeId != null ? volumeId : ThreadLocalRandom.current().nextInt();
            LocalDateTime t = time != null ? time : LocalDateTime.now().withNano(0);
            return new FatImage(root, geometry, label, id, t);
        }

        private static String describe(long bytes) {
            return bytes % MIB == 0 ? bytes / MIB + " MiB" : (bytes + 1023) / 1024 + " KiB";
        }

        private static long clustersNeeded(Node dir, int clusterBytes) {
            long n = 0;
            for (Node c : dir.children.values()) {
                if (c.isDir) {
                    n += dirClusters(c, clusterBytes) + clustersNeeded(c, clusterBytes);
                } else {
                    n += (c.size + clusterBytes - 1) / clusterBytes;
                }
            }
            return n;
        }

        private static int dirClusters(Node dir, int clusterBytes) {
            long bytes = (long) (dir.entries() + 2) * ENTRY;
            return (int) Math.max(1, (bytes + clusterBytes - 1) / clusterBytes);
        }

        private static void allocate(Node dir, int clusterBytes, int[] next) {
            for (Node c : dir.children.values()) {
                c.clusters = c.isDir ? dirClusters(c, clusterBytes) : (int) ((c.size + clusterBytes - 1) / clusterBytes);
                c.firstCluster = c.clusters == 0 ? 0 : next[0];
                next[0] += c.clusters;
            }
            for (Node c : dir.children.values()) {
                if (c.isDir) {
                    allocate(c, clusterBytes, next);
                }
            }
        }

        /** Gives every entry its 8.3 name: the name itself when it is one, else a NAME~N.EXT alias plus a long name. */
        private static void nameAll(Node dir) {
            Set<String> used = new HashSet<>();
            for (Node c : dir.children.values()) {
                String s = exactShortName(c.name);
                c.shortName = s;
                c.needsLongName = s == null;
                if (s != null) {
                    used.add(s);
                }
            }
            for (Node c : dir.children.values()) {
                if (c.shortName == null) {
                    c.shortName = alias(c.name, used);
                    used.add(c.shortName);
                }
                if (c.isDir) {
                    nameAll(c);
                }
            }
        }
    }

    /** The padded 11-character form of an upper-case 8.3 name, or null if {@code name} is not one. */
    static String exactShortName(String name) {
        int dot = name.indexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        if (base.isEmpty() || base.length() > 8 || ext.length() > 3 || (dot >= 0 && ext.isEmpty())
                || !shortChars(base) || !shortChars(ext)) {
            return null;
        }
        return pad(base, 8) + pad(ext, 3);
    }

    private static boolean shortChars(String s) {
        return s.chars().allMatch(c -> SHORT_CHARS.indexOf(c) >= 0);
    }

    /** A unique BASE~N.EXT alias for a long name (letters upper-cased, other characters replaced by '_'). */
    static String alias(String name, Set<String> used) {
        String upper = name.toUpperCase(Locale.ROOT).replace(" ", "");
        while (upper.startsWith(".")) {
            upper = upper.substring(1);
        }
        int dot = upper.lastIndexOf('.');
        String base = clean(dot > 0 ? upper.substring(0, dot).replace(".", "") : upper.replace(".", ""));
        String ext = clean(dot > 0 ? upper.substring(dot + 1) : "");
        if (ext.length() > 3) {
            ext = ext.substring(0, 3);
        }
        if (base.isEmpty()) {
            base = "_";
        }
        for (int n = 1; n < 1_000_000; n++) {
            String tail = "~" + n;
            String b = base.substring(0, Math.min(base.length(), 8 - tail.length())) + tail;
            String candidate = pad(b, 8) + pad(ext, 3);
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("too many files whose names start like '" + name + "' in one folder");
    }

    private static String clean(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(SHORT_CHARS.indexOf(c) >= 0 ? (char) c : '_'));
        return b.toString();
    }
}
