package io.bootdesk.core;

import io.bootdesk.store.LoaderCapabilityStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether an iPXE binary has HTTPS. An EFI build shows it: its feature list is plain text ("HTTPS" is present in
 * Debian 13's snponly.efi and absent from Debian 12's). A BIOS build (undionly.kpxe) is compressed; what a machine
 * reported after booting it (option 175) is remembered in the database by the file's SHA-256, so it is learned
 * once per binary, not once per serve.
 */
public final class LoaderCapabilities {
    private static final byte[] HTTPS_FEATURE = "HTTPS".getBytes(StandardCharsets.US_ASCII);

    private record Key(Path path, long size, long modified) {
    }

    private final LoaderCapabilityStore store;
    private final Map<Key, String> hashes = new ConcurrentHashMap<>();
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    /** @param store where learned answers are kept (null: memory only) */
    public LoaderCapabilities(LoaderCapabilityStore store) {
        this.store = store;
    }

    /** Whether {@code file} has HTTPS, if that is known. */
    public Optional<Boolean> https(Path file) {
        try {
            String sha = sha256(file);
            Boolean k = known.get(sha);
            if (k != null) {
                return Optional.of(k);
            }
            Optional<Boolean> found = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".efi")
                    ? Optional.of(contains(file, HTTPS_FEATURE))
                    : store == null ? Optional.empty() : store.https(sha);
            found.ifPresent(v -> known.put(sha, v));
            return found;
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A machine booted {@code file} and reported whether it has HTTPS. */
    public void learned(Path file, boolean https) {
        try {
            String sha = sha256(file);
            if (!Boolean.valueOf(https).equals(known.put(sha, https)) && store != null) {
                store.put(sha, file.getFileName().toString(), https);
            }
        } catch (IOException | RuntimeException e) {
            // not remembered: learned again next time
        }
    }

    private String sha256(Path file) throws IOException {
        Key key = new Key(file, Files.size(file), Files.getLastModifiedTime(file).toMillis());
        String h = hashes.get(key);
        if (h == null) {
            try (InputStream in = Files.newInputStream(file)) {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[65536];
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
                h = HexFormat.of().formatHex(d.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            hashes.put(key, h);
        }
        return h;
    }

    static boolean contains(Path file, byte[] needle) throws IOException {
        byte[] b = Files.readAllBytes(file);
        outer:
        for (int i = 0; i + needle.length <= b.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
