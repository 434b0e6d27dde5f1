package io.bootdesk.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bootdesk.pki.Passphrase;
import io.bootdesk.pki.PassphraseSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaPassphrasesTest {
    @TempDir
    Path tmp;

    @Test
    void theOrderIsOptionFileThenPromptThenEnvironmentFileThenEnvironmentValue() throws Exception {
        Path opt = Files.writeString(tmp.resolve("opt"), "from the option\nsecond line ignored\n");
        Path env = Files.writeString(tmp.resolve("env"), "from the env file\r\n");
        Map<String, String> both = Map.of(CaPassphrases.ENV_FILE, env.toString(), CaPassphrases.ENV_VALUE, "from the env value");

        assertThat(text(CaPassphrases.resolve(new CaPassphrases.Input(opt, null), both))).isEqualTo("from the option");
        assertThat(text(CaPassphrases.resolve(new CaPassphrases.Input(null, "typed it"::toCharArray), both))).isEqualTo("typed it");
        Passphrase fromEnvFile = CaPassphrases.resolve(CaPassphrases.Input.NONE, both);
        assertThat(text(fromEnvFile)).isEqualTo("from the env file");
        assertThat(fromEnvFile.origin()).isEqualTo("BOOTDESK_CA_PASSPHRASE_FILE (" + env + ")");
        assertThat(text(CaPassphrases.resolve(CaPassphrases.Input.NONE, Map.of(CaPassphrases.ENV_VALUE, "from the env value"))))
                .isEqualTo("from the env value");
        assertThat(CaPassphrases.resolve(CaPassphrases.Input.NONE, Map.of())).isNull();
    }

    @Test
    void badFilesAreNamedAndThePromptIsAskedOnceAndOnlyWhenNeeded() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        assertThatThrownBy(() -> CaPassphrases.resolve(new CaPassphrases.Input(empty, null), Map.of()))
                .hasMessage("the passphrase file " + empty + " is empty (the passphrase is its first line)");
        assertThatThrownBy(() -> CaPassphrases.resolve(new CaPassphrases.Input(tmp.resolve("nope"), null), Map.of()))
                .hasMessageContaining("cannot read the passphrase file");
        AtomicInteger asked = new AtomicInteger();
        PassphraseSource s = CaPassphrases.of(new CaPassphrases.Input(null, () -> {
            asked.incrementAndGet();
            return "typed once".toCharArray();
        }), Map.of());
        assertThat(asked).hasValue(0);
        assertThat(text(s.passphrase())).isEqualTo("typed once");
        assertThat(text(s.passphrase())).isEqualTo("typed once");
        assertThat(asked).hasValue(1);
        assertThat(s.hint()).contains("--passphrase-file").contains(CaPassphrases.ENV_FILE);
        assertThat(s.passphrase().toString()).doesNotContain("typed once");
    }

    private static String text(Passphrase p) {
        return new String(p.chars());
    }
}
