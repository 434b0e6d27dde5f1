package io.bootdesk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.console.ConsoleLogs;
import io.bootdesk.engine.Workspace;
import io.bootdesk.model.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bootdesk console bind, list, unbind and log on a data dir, in-process. */
class ConsoleCommandsTest {
    static final String MAC = "52:54:00:00:0c:02";
    static final String MAC2 = "52:54:00:00:0c:03";

    @TempDir
    Path tmp;

    CliRun.Result run(String... args) {
        return CliRun.run(tmp.resolve("data"), args);
    }

    @Test
    void bindListUnbind() {
        assertThat(run("console", "list").out()).contains("no console bindings");
        CliRun.Result r = run("console", "bind", MAC, "serial", "/dev/ttyUSB0", "9600", "--data-bits", "7",
                "--parity", "even", "--stop-bits", "2", "--flow", "rtscts");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("serial /dev/ttyUSB0 9600 7E2 rtscts");
        assertThat(run("console", "bind", MAC2, "redfish", "https://10.0.0.5", "--user", "admin", "--system", "1").code()).isZero();

        String list = run("console", "list").out();
        assertThat(list).contains("MAC").contains(MAC).contains("/dev/ttyUSB0").contains("9600 7E2 rtscts")
                .contains(MAC2).contains("redfish").contains("https://10.0.0.5").contains("user admin system 1");

        r = run("console", "bind", MAC, "serial", "/dev/ttyS0");
        assertThat(r.out()).contains("serial /dev/ttyS0 115200 8N1");
        assertThat(run("console", "list").out()).doesNotContain("ttyUSB0");

        assertThat(run("events", MAC).out()).contains("CONSOLE").contains("console bound: serial /dev/ttyUSB0 9600 7E2 rtscts");

        assertThat(run("console", "unbind", MAC).code()).isZero();
        r = run("console", "unbind", MAC);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("has no console binding");
        assertThat(run("console", "list").out()).doesNotContain(MAC).contains(MAC2);
    }

    @Test
    void aKvmKeepsItsBootKeyAndConfirmedCertificate() {
        String fp = "ab".repeat(32);
        CliRun.Result r = run("console", "bind", MAC, "jetkvm", "10.0.0.9", "--boot-key", "F11", "--tls-sha256", fp);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(run("console", "bind", MAC2, "pikvm", "https://10.0.0.7", "--user", "admin").code()).isZero();
        try (Workspace w = Workspace.open(tmp.resolve("data"))) {
            var j = (io.bootdesk.console.ConsoleBinding.JetKvm) w.consoleBindings().get(MacAddress.parse(MAC));
            assertThat(j.bootKey()).isEqualTo("F11");
            assertThat(j.tlsSha256()).isEqualTo(io.bootdesk.console.client.PinnedTls.normalize(fp));
            var p = (io.bootdesk.console.ConsoleBinding.PiKvm) w.consoleBindings().get(MacAddress.parse(MAC2));
            assertThat(p.bootKey()).isEqualTo("F12");
            assertThat(p.tlsSha256()).isNull();
        }
        r = run("console", "bind", MAC2, "redfish", "10.0.0.5", "--boot-key", "F12");
        assertThat(r.err()).contains("only a JetKVM or PiKVM presses a boot key");
        r = run("console", "bind", MAC2, "redfish", "10.0.0.5", "--tls-sha256", "abcd");
        assertThat(r.err()).contains("64 hex digits");
    }

    @Test
    void badSettingsAreNamed() {
        CliRun.Result r = run("console", "bind", MAC, "serial", "/dev/ttyS0", "--parity", "weird");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("parity is one of [none, odd, even, mark, space]");
        r = run("console", "bind", MAC, "telnet", "x");
        assertThat(r.err()).contains("serial, jetkvm, pikvm or redfish");
        r = run("console", "bind", MAC, "jetkvm", "10.0.0.9", "9600");
        assertThat(r.err()).contains("only a serial console takes a baud rate");
    }

    @Test
    void aPasswordIsAMachineSecretNotPartOfTheBinding() throws Exception {
        var in = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("s3cret\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(run("console", "bind", MAC, "pikvm", "10.0.0.7", "--user", "admin", "--password-stdin").code()).isZero();
        } finally {
            System.setIn(in);
        }
        try (Workspace w = Workspace.open(tmp.resolve("data"))) {
            assertThat(w.secretNames(MacAddress.parse(MAC))).containsExactly(Workspace.CONSOLE_PASSWORD_SECRET);
            assertThat(w.consoleBindings().get(MacAddress.parse(MAC)).toString()).doesNotContain("s3cret");
        }
        assertThat(run("console", "list").out()).doesNotContain("s3cret");
        var reserved = run("secret", "set", MAC, "console-password", "other");
        assertThat(reserved.code()).isNotZero();
        assertThat(reserved.err()).contains("the console's password, never a script's secret");
        run("console", "unbind", MAC);
        try (Workspace w = Workspace.open(tmp.resolve("data"))) {
            assertThat(w.secretNames(MacAddress.parse(MAC))).isEmpty();
        }
    }

    @Test
    void logPrintsTheMachinesConsoleLog() throws Exception {
        CliRun.Result r = run("console", "log", MAC);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no console log for " + MAC);
        Path log = ConsoleLogs.file(tmp.resolve("data"), MacAddress.parse(MAC));
        Files.createDirectories(log.getParent());
        Files.writeString(log, "\n=== BootDesk console session x ===\niPXE 1.21.1\n");
        r = run("console", "log", MAC);
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("iPXE 1.21.1");
        assertThat(log.getFileName().toString()).isEqualTo("52-54-00-00-0c-02.log");
    }

    @Test
    void sendUnescapesAndNamesAMissingConsole() {
        assertThat(ConsoleCommand.Send.unescape("\\x02ab\\r\\n\\\\\\t")).containsExactly(2, 'a', 'b', '\r', '\n', '\\', '\t');
        CliRun.Result r = run("console", "send", MAC, "\\xZZ");
        assertThat(r.err()).contains("\\x needs two hex digits");
        r = run("console", "send", MAC, "hello\\r");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("No console is attached at");
    }
}
