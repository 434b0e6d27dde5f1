package io.bootdesk.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The CA's folder in the data dir and how files get into it: private files are created with mode 0600 (in a
 * 0700 folder) before any byte is written, every file is written to a temporary name and renamed into place, and
 * changes are serialised across threads and processes by a lock file.
 *
 * <pre>
 * ca/                      0700
 *   root.crt               the root certificate (PEM)
 *   root-key.pem           its key, PKCS#8 PEM, unencrypted, 0600      (no passphrase), or
 *   root-key.p12           a PKCS#12 keystore with key and certificate, 0600 (passphrase)
 *   server/server.crt      server leaf + root (PEM)
 *   server/server-key.pem  0600
 *   ocsp/ocsp.crt          delegated OCSP signer (PEM)
 *   ocsp/ocsp-key.pem      0600
 *   clients/SERIAL.crt     a machine's certificate (PEM)
 *   clients/SERIAL-key.pem its key, 0600 (deleted when the certificate is revoked)
 *   retired/STAMP-FP/root.crt  earlier roots (their keys are destroyed at rotation)
 *   .lock                  taken while anything here changes
 * </pre>
 */
final class CaFiles {
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    final Path dir;
    private final ReentrantLock lock;

    CaFiles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.lock = LOCKS.computeIfAbsent(this.dir, d -> new ReentrantLock());
    }

    Path rootCert() {
        return dir.resolve("root.crt");
    }

    Path rootKeyPem() {
        return dir.resolve("root-key.pem");
    }

    Path rootKeyP12() {
        return dir.resolve("root-key.p12");
    }

    Path serverCert() {
        return dir.resolve("server").resolve("server.crt");
    }

    Path serverKey() {
        return dir.resolve("server").resolve("server-key.pem");
    }

    Path ocspCert() {
        return dir.resolve("ocsp").resolve("ocsp.crt");
    }

    Path ocspKey() {
        return dir.resolve("ocsp").resolve("ocsp-key.pem");
    }

    Path clientCert(String serial) {
        return dir.resolve("clients").resolve(serial + ".crt");
    }

    Path clientKey(String serial) {
        return dir.resolve("clients").resolve(serial + "-key.pem");
    }

    Path retired() {
        return dir.resolve("retired");
    }

    /** Runs {@code work} holding the CA's lock (this JVM's threads and other processes). Re-entrant. */
    <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            if (lock.getHoldCount() > 1) {
                return work.get();
            }
            makeDir(dir);
            try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return work.get();
            } catch (IOException e) {
                throw new PkiException("cannot lock the CA folder " + dir + ": " + e.getMessage(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Creates {@code d} (and parents) and restricts it to its owner. */
    static void makeDir(Path d) {
        try {
            if (!Files.isDirectory(d)) {
                Files.createDirectories(d);
            }
            try {
                Files.setPosixFilePermissions(d, PRIVATE_DIR);
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder keeps the platform's default access
            }
        } catch (IOException e) {
            throw new PkiException("cannot create the folder " + d + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code content} to a new temporary file beside {@code target} (mode 0600, or 0644 when not secret; missing
     * folders are created 0700) and returns its path.
     */
    static Path stage(Path target, byte[] content, boolean secret) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (!Files.isDirectory(parent)) {
                try {
                    Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(parent);
                }
            }
            Path tmp;
            try {
                FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(PRIVATE);
                tmp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp", mode);
            } catch (UnsupportedOperationException e) {
                tmp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            if (!secret) {
                try {
                    Files.setPosixFilePermissions(tmp, PUBLIC);
                } catch (UnsupportedOperationException e) {
                    // default access
                }
            }
            return tmp;
        } catch (IOException e) {
            throw new PkiException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Renames a staged file to its target, replacing what is there. */
    static void install(Path staged, Path target) {
        try {
            try {
                Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new PkiException("cannot put " + target + " in place: " + e.getMessage(), e);
        }
    }

    /** Writes a new file that must not exist yet (mode 0600 or 0644). */
    static void create(Path target, byte[] content, boolean secret) {
        if (Files.exists(target)) {
            throw new PkiException(target + " exists already", new FileAlreadyExistsException(target.toString()));
        }
        install(stage(target, content, secret), target);
    }

    static void write(Path target, byte[] content, boolean secret) {
        install(stage(target, content, secret), target);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new PkiException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new PkiException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes without failing (cleaning up after an error that is reported instead). */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the original error is the one worth reporting
        }
    }

    static void deleteTree(Path d) {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new PkiException("cannot delete " + d + ": " + e.getMessage(), e);
        }
    }
}
