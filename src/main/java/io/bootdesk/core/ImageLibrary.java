package io.bootdesk.core;

import io.bootdesk.model.BootImage;
import io.bootdesk.model.ImageKind;
import io.bootdesk.store.Database;
import io.bootdesk.store.ImageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The image store: {@code <data-dir>/images/<name>/} holds an image's files (hard-linked when the source is on
 * the same file system, copied otherwise), and the database holds what they are. The HTTP server serves files
 * only through {@link #file}, which never resolves outside an image's folder.
 */
public final class ImageLibrary {

    private final Path root;
    private final ImageStore store;

    public ImageLibrary(Path dataDir, Database db) {
        this.root = dataDir.resolve("images");
        this.store = new ImageStore(db);
    }

    public Path root() {
        return root;
    }

    public List<BootImage> list() {
        return store.all();
    }

    public Optional<BootImage> get(String name) {
        return store.get(name);
    }

    /** Adds (or replaces) a Linux image: kernel, initrds in order, command line (may use {{ placeholders }}). */
    public BootImage addLinux(String name, Path kernel, List<Path> initrds, String cmdline) throws IOException {
        List<Path> all = new ArrayList<>();
        all.add(kernel);
        all.addAll(initrds);
        List<String> names = stage(name, all);
        Templates.names(cmdline == null ? "" : cmdline); // syntax only; values are known at boot time
        BootImage image = new BootImage(name, ImageKind.LINUX, names.get(0), names.subList(1, names.size()),
                cmdline, null, Instant.now());
        store.put(image);
        return image;
    }

    /** Adds (or replaces) a script image; the file must start with #!ipxe. */
    public BootImage addScript(String name, Path scriptFile) throws IOException {
        String text = Files.readString(scriptFile, StandardCharsets.UTF_8);
        checkScript(text, scriptFile.toString());
        BootImage image = new BootImage(name, ImageKind.SCRIPT, null, List.of(), "", text, Instant.now());
        Files.createDirectories(root);
        store.put(image);
        return image;
    }

    /** Adds (or replaces) an EFI image (a UKI or another EFI program). */
    public BootImage addEfi(String name, Path efiFile) throws IOException {
        if (!efiFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".efi")) {
            throw new IOException(efiFile + ": an EFI image's file name must end in .efi (UEFI HTTP Boot relies on it)");
        }
        List<String> names = stage(name, List.of(efiFile));
        BootImage image = new BootImage(name, ImageKind.EFI, names.get(0), List.of(), "", null, Instant.now());
        store.put(image);
        return image;
    }

    /**
     * Replaces the template of script image {@code name} with {@code text} (checked as {@link #addScript} checks a
     * file: it must start with #!ipxe). A running serve serves the new text after its next catalog poll.
     *
     * @param source what to call the text in an error ("the script", a file name)
     * @throws IllegalArgumentException if there is no such image or it is not a script image
     */
    public BootImage editScript(String name, String text, String source) throws IOException {
        checkName(name);
        BootImage old = get(name).orElseThrow(() -> new IllegalArgumentException("there is no image named '"
                + name + "'"));
        if (old.kind() != ImageKind.SCRIPT) {
            throw new IllegalArgumentException("image " + name + " is a " + old.kind().name().toLowerCase(
                    java.util.Locale.ROOT) + " image, not a script: only a script image's text can be edited");
        }
        checkScript(text, source);
        BootImage image = new BootImage(name, ImageKind.SCRIPT, null, List.of(), "", text, old.created());
        store.put(image);
        return image;
    }

    private static void checkScript(String text, String source) throws IOException {
        if (text == null || !text.startsWith("#!ipxe")) {
            throw new IOException(source + " is not an iPXE script: it must start with #!ipxe");
        }
    }

    /**
     * Renames image {@code from} to {@code to}: its files move to the new folder (hard links made first, so a running
     * serve never misses them), and the record and every assignment pointing at it follow in one transaction, with
     * {@code events} (given the machines whose assignment moved) journaled in it. The old folder goes last.
     *
     * @throws IllegalArgumentException if a name is invalid, there is no image {@code from}, or {@code to} exists
     */
    public Renamed rename(String from, String to, java.util.function.Function<List<io.bootdesk.model.MacAddress>,
            List<io.bootdesk.model.BootEvent>> events) throws IOException {
        checkName(from);
        checkName(to);
        BootImage old = get(from).orElseThrow(() -> new IllegalArgumentException("there is no image named '"
                + from + "'"));
        if (from.equals(to)) {
            return new Renamed(old, List.of());
        }
        if (get(to).isPresent()) {
            throw new IllegalArgumentException("there is an image named '" + to + "' already");
        }
        Path oldDir = folder(from);
        boolean staged = false;
        if (!old.files().isEmpty()) {
            stage(to, old.files().stream().map(oldDir::resolve).toList());
            staged = true;
        }
        List<io.bootdesk.model.MacAddress> moved;
        try {
            moved = store.rename(from, to, events);
        } catch (RuntimeException e) {
            if (staged) {
                deleteTree(folder(to));
            }
            throw e;
        }
        try {
            deleteTree(oldDir);
        } catch (IOException e) {
            // the rename is committed; a leftover folder is never served (no record names it) and an image added
            // later under the old name replaces it
            org.slf4j.LoggerFactory.getLogger(ImageLibrary.class).warn("image {} renamed to {}, but its old folder"
                    + " {} could not be removed: {}", from, to, oldDir, e.getMessage());
        }
        BootImage renamed = new BootImage(to, old.kind(), old.kernel(), old.initrds(), old.cmdline(), old.script(),
                old.created());
        return new Renamed(renamed, moved);
    }

    /** An image after a rename, and the machines whose assignment followed it. */
    public record Renamed(BootImage image, List<io.bootdesk.model.MacAddress> machines) {
    }

    private static void checkName(String name) {
        if (!BootImage.validName(name)) {
            throw new IllegalArgumentException("image name '" + name
                    + "' must be 1-64 characters of letters, digits, '.', '_' or '-', not starting with '.'");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public boolean remove(String name) throws IOException {
        boolean existed = store.delete(name);
        Path dir = folder(name);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return existed;
    }

    private Path folder(String name) {
        if (!BootImage.validName(name)) {
            throw new IllegalArgumentException("invalid image name '" + name + "'");
        }
        return root.resolve(name);
    }

    /** Puts the files into a fresh folder, then swaps it in; returns their names in the folder. */
    private List<String> stage(String name, List<Path> files) throws IOException {
        checkName(name);
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IOException("no such file: " + f);
            }
            String n = f.getFileName().toString();
            if (names.contains(n)) {
                throw new IOException("two files are named " + n + "; give them distinct names");
            }
            names.add(n);
        }
        Files.createDirectories(root);
        Path tmp = Files.createTempDirectory(root, "." + name + ".");
        try {
            for (Path f : files) {
                Path target = tmp.resolve(f.getFileName().toString());
                try {
                    Files.createLink(target, f.toRealPath());
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Path dir = folder(name);
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Path old = Files.createTempDirectory(root, "." + name + ".old.");
                Files.delete(old);
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                try (Stream<Path> s = Files.walk(old)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            } else {
                try {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    throw new IOException("image folder " + dir + " appeared meanwhile", e);
                }
            }
        } finally {
            if (Files.exists(tmp)) {
                try (Stream<Path> s = Files.walk(tmp)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        return names;
    }

    /**
     * The file {@code file} of image {@code name}, if the image exists, lists that file, and the path stays inside
     * the image's folder (no "..", no separators, no links out). Empty otherwise.
     */
    public Optional<Path> file(BootImage image, String file) {
        if (file == null || file.isEmpty() || !image.files().contains(file)) {
            return Optional.empty();
        }
        try {
            Path dir = folder(image.name()).toRealPath();
            Path p = dir.resolve(file).normalize();
            if (!p.getParent().equals(dir) || !Files.isRegularFile(p)) {
                return Optional.empty();
            }
            Path real = p.toRealPath();
            // hard links are fine; a symbolic link pointing elsewhere is not
            return real.startsWith(dir) ? Optional.of(real) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
