-- BootDesk schema v1: machines, images, assignments, leases, events.
-- Times are milliseconds since the epoch (UTC). MACs are lower-case colon form.

CREATE TABLE meta (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    config_rev  INTEGER NOT NULL           -- bumped on every change to images/assignments; a running serve polls it
);
INSERT INTO meta (id, config_rev) VALUES (1, 0);

CREATE TABLE images (
    name     TEXT PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('LINUX', 'SCRIPT', 'EFI')),
    kernel   TEXT,
    initrds  TEXT NOT NULL DEFAULT '',     -- newline-separated file names, in load order
    cmdline  TEXT NOT NULL DEFAULT '',
    script   TEXT,
    created  INTEGER NOT NULL
);

CREATE TABLE assignments (
    mac      TEXT PRIMARY KEY,
    image    TEXT NOT NULL REFERENCES images (name) ON DELETE CASCADE,
    once     INTEGER NOT NULL DEFAULT 0,
    created  INTEGER NOT NULL
);

CREATE TABLE machines (
    mac          TEXT PRIMARY KEY,
    ip           TEXT,
    vendor_class TEXT,
    arch         INTEGER NOT NULL DEFAULT -1,
    kind         TEXT NOT NULL DEFAULT 'OTHER',
    uuid         TEXT,
    stage        TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    progress     REAL NOT NULL DEFAULT -1,
    user_agent   TEXT,
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL
);

CREATE TABLE leases (
    ip        TEXT PRIMARY KEY,
    mac       TEXT,                        -- NULL for a declined (quarantined) address
    expires   INTEGER NOT NULL,
    declined  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX leases_mac ON leases (mac);

CREATE TABLE events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    time     INTEGER NOT NULL,
    mac      TEXT,
    ip       TEXT,
    type     TEXT NOT NULL,
    message  TEXT NOT NULL,
    bytes    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_mac ON events (mac, id);

CREATE TRIGGER images_ins AFTER INSERT ON images BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
CREATE TRIGGER images_upd AFTER UPDATE ON images BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
CREATE TRIGGER images_del AFTER DELETE ON images BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
CREATE TRIGGER assignments_ins AFTER INSERT ON assignments BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
CREATE TRIGGER assignments_upd AFTER UPDATE ON assignments BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
CREATE TRIGGER assignments_del AFTER DELETE ON assignments BEGIN UPDATE meta SET config_rev = config_rev + 1; END;
