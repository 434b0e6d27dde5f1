package io.bootdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which command a command line runs decides the log level (INFO for serve and demo, WARN for the short ones). */
class MainCommandTest {
    @Test
    void theCommandIsTheFirstWordThatIsNeitherAnOptionNorTheDataDir() {
        assertThat(Main.command(new String[] {"demo", "--machines", "1"})).isEqualTo("demo");
        assertThat(Main.command(new String[] {"--data-dir", "serve", "assign", "52:54:00:00:00:01", "demo"}))
                .isEqualTo("assign");
        assertThat(Main.command(new String[] {"image", "add", "linux", "--name", "serve"})).isEqualTo("image");
        assertThat(Main.command(new String[] {"--data-dir", "/tmp/x"})).isNull();
    }
}
