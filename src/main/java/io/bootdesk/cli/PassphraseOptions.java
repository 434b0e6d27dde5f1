package io.bootdesk.cli;

import io.bootdesk.engine.CaPassphrases;
import java.io.Console;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/** Where the CA key's passphrase comes from (besides BOOTDESK_CA_PASSPHRASE_FILE / BOOTDESK_CA_PASSPHRASE). */
final class PassphraseOptions {
    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Read the CA key's passphrase from the first line of FILE. Without it: --ask-passphrase, "
                    + "else the environment variable " + CaPassphrases.ENV_FILE + " (a file), else "
                    + CaPassphrases.ENV_VALUE + ". With none, a new CA key is stored unencrypted (mode 0600).")
    Path file;

    @Option(names = "--ask-passphrase", description = "Type the CA key's passphrase at the terminal.")
    boolean ask;

    /** {@code confirm}: ask twice (when a new key will be protected with it: init, rotate, first use). */
    CaPassphrases.Input input(boolean confirm) {
        if (file != null && ask) {
            throw new IllegalArgumentException("give --passphrase-file or --ask-passphrase, not both");
        }
        if (file != null) {
            return new CaPassphrases.Input(file, null);
        }
        if (!ask) {
            return CaPassphrases.Input.NONE;
        }
        return new CaPassphrases.Input(null, () -> {
            Console c = System.console();
            if (c == null) {
                throw new IllegalArgumentException("there is no terminal to type a passphrase at; use --passphrase-file FILE");
            }
            char[] first = c.readPassword("CA key passphrase: ");
            if (confirm) {
                char[] again = c.readPassword("The same again: ");
                boolean same = Arrays.equals(first, again);
                Arrays.fill(again == null ? new char[0] : again, '\0');
                if (!same) {
                    throw new IllegalArgumentException("the two passphrases differ");
                }
            }
            return first;
        });
    }
}
