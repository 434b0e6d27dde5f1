package io.bootdesk.engine;

import io.bootdesk.pki.Passphrase;
import io.bootdesk.pki.PassphraseSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the CA key's passphrase comes from, first match wins:
 * <ol>
 *   <li>{@code --passphrase-file FILE} on the command line;</li>
 *   <li>{@code --ask-passphrase}: typed at the terminal;</li>
 *   <li>the environment variable {@value #ENV_FILE}: a file whose first line is the passphrase (for services:
 *       e.g. systemd {@code LoadCredential=ca:/etc/bootdesk/ca-passphrase} with
 *       {@code Environment=BOOTDESK_CA_PASSPHRASE_FILE=%d/ca});</li>
 *   <li>the environment variable {@value #ENV_VALUE}: the passphrase itself (simple, but visible to the same user
 *       in /proc/PID/environ; prefer the file).</li>
 * </ol>
 * With none, a new CA key is stored unencrypted (mode 0600) and a protected one cannot be unlocked. A passphrase
 * file is read when the key is needed, never logged.
 */
public final class CaPassphrases {
    public static final String ENV_FILE = "BOOTDESK_CA_PASSPHRASE_FILE";
    public static final String ENV_VALUE = "BOOTDESK_CA_PASSPHRASE";
    static final String HINT = "give it with --passphrase-file FILE, --ask-passphrase, or the environment variable "
            + ENV_FILE + " (a file) or " + ENV_VALUE;

    /**
     * How a command asks for the passphrase.
     *
     * @param file   a passphrase file given on the command line (null: none)
     * @param prompt asks the operator at the terminal (null: do not ask)
     */
    public record Input(Path file, Supplier<char[]> prompt) {
        public static final Input NONE = new Input(null, null);
    }

    private CaPassphrases() {
    }

    public static PassphraseSource of(Input input, Map<String, String> env) {
        return new PassphraseSource() {
            private Passphrase cached;

            @Override
            public synchronized Passphrase passphrase() {
                if (cached == null) {
                    cached = resolve(input, env);
                }
                return cached;
            }

            @Override
            public String hint() {
                return HINT;
            }
        };
    }

    static Passphrase resolve(Input input, Map<String, String> env) {
        if (input.file() != null) {
            return fromFile(input.file(), "--passphrase-file " + input.file());
        }
        if (input.prompt() != null) {
            char[] typed = input.prompt().get();
            if (typed == null || typed.length == 0) {
                throw new IllegalArgumentException("no passphrase was typed");
            }
            return new Passphrase(typed, "the terminal");
        }
        String file = env.get(ENV_FILE);
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file), ENV_FILE + " (" + file + ")");
        }
        String value = env.get(ENV_VALUE);
        if (value != null && !value.isEmpty()) {
            return new Passphrase(value.toCharArray(), ENV_VALUE);
        }
        return null;
    }

    /** The first line of {@code file}, without its line end. */
    static Passphrase fromFile(Path file, String origin) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the passphrase file " + file + ": " + e.getMessage(), e);
        }
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new IllegalArgumentException("the passphrase file " + file + " is empty (the passphrase is its first line)");
        }
        return new Passphrase(line.toCharArray(), origin);
    }
}
