-- BootDesk schema v3: per-machine secrets and approved network enrolments (issue 3).
-- A secret is served only inside a script fetched over mutual TLS by the machine it belongs to.
-- An enrolment approval lets a machine's next server-authenticated script set its client certificate and key once.

CREATE TABLE secrets (
    mac      TEXT NOT NULL,
    name     TEXT NOT NULL,
    value    TEXT NOT NULL,
    updated  INTEGER NOT NULL,
    PRIMARY KEY (mac, name)
);

CREATE TABLE enrolments (
    mac       TEXT PRIMARY KEY,
    approved  INTEGER NOT NULL               -- when the operator approved it; the row goes once the key is delivered
);

CREATE TRIGGER secrets_ins AFTER INSERT ON secrets BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
CREATE TRIGGER secrets_upd AFTER UPDATE ON secrets BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
CREATE TRIGGER secrets_del AFTER DELETE ON secrets BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
CREATE TRIGGER enrolments_ins AFTER INSERT ON enrolments BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
CREATE TRIGGER enrolments_upd AFTER UPDATE ON enrolments BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
CREATE TRIGGER enrolments_del AFTER DELETE ON enrolments BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
