-- BootDesk schema v2: certificates issued by the built-in CA (issue 3).
-- The certificates and keys are files under <data-dir>/ca/; this table is what BootDesk remembers of them:
-- which machine, validity, revocation (CRL and OCSP answer from it) and how a machine got its key.
-- Times are milliseconds since the epoch (UTC). MACs are lower-case colon form.

-- Bumped on every change to certificates; a running serve polls it (as config_rev) and reloads its revocation view.
ALTER TABLE meta ADD COLUMN cert_rev INTEGER NOT NULL DEFAULT 0;

CREATE TABLE certificates (
    serial        TEXT PRIMARY KEY,                 -- upper-case hex, as openssl x509 -serial prints it
    kind          TEXT NOT NULL CHECK (kind IN ('ROOT', 'SERVER', 'CLIENT', 'OCSP_SIGNER')),
    mac           TEXT,                             -- CLIENT: the machine (also in the certificate's SAN)
    subject       TEXT NOT NULL,                    -- RFC 4514
    issuer_fp     TEXT NOT NULL,                    -- SHA-256 (hex) of the signing root's DER; a root's own
    fingerprint   TEXT NOT NULL UNIQUE,             -- SHA-256 (hex) of this certificate's DER
    not_before    INTEGER NOT NULL,
    not_after     INTEGER NOT NULL,
    issued        INTEGER NOT NULL,
    revoked_at    INTEGER,                          -- NULL while valid
    revoke_reason TEXT,                             -- RFC 5280 reason name (KEY_COMPROMISE, SUPERSEDED, ...)
    key_delivery  TEXT NOT NULL DEFAULT 'NONE',     -- NONE, SCRIPT, BOOT_MEDIUM, IPXE_BUILD, FILE
    delivered_at  INTEGER,
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL)),
    CHECK (kind <> 'CLIENT' OR mac IS NOT NULL)
);
CREATE INDEX certificates_mac ON certificates (mac);
CREATE INDEX certificates_issuer ON certificates (issuer_fp);

CREATE TRIGGER certificates_ins AFTER INSERT ON certificates BEGIN UPDATE meta SET cert_rev = cert_rev + 1; END;
CREATE TRIGGER certificates_upd AFTER UPDATE ON certificates BEGIN UPDATE meta SET cert_rev = cert_rev + 1; END;
CREATE TRIGGER certificates_del AFTER DELETE ON certificates BEGIN UPDATE meta SET cert_rev = cert_rev + 1; END;
