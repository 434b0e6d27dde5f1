-- BootDesk schema v6: out-of-band consoles bound to a machine (issue 5).
-- One binding per machine. Passwords are not kept here: they are the machine's secret 'console-password'
-- (table secrets, V3), like every other per-machine credential.

CREATE TABLE console_bindings (
    mac          TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('serial', 'jetkvm', 'pikvm', 'redfish')),
    address      TEXT NOT NULL,             -- serial: the port path; others: host[:port] or URL
    baud         INTEGER,                   -- serial only
    data_bits    INTEGER,
    parity       TEXT,
    stop_bits    TEXT,
    flow         TEXT,
    user         TEXT,                      -- pikvm, redfish
    system_id    TEXT,                      -- redfish
    updated      INTEGER NOT NULL
);

CREATE TABLE console_meta (rev INTEGER NOT NULL);
INSERT INTO console_meta (rev) VALUES (0);

-- A running serve polls console_meta.rev (not config_rev: bindings do not change the catalog).
CREATE TRIGGER console_bindings_ins AFTER INSERT ON console_bindings BEGIN UPDATE console_meta SET rev = rev + 1; END;
CREATE TRIGGER console_bindings_upd AFTER UPDATE ON console_bindings BEGIN UPDATE console_meta SET rev = rev + 1; END;
CREATE TRIGGER console_bindings_del AFTER DELETE ON console_bindings BEGIN UPDATE console_meta SET rev = rev + 1; END;
