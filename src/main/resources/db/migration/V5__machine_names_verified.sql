-- BootDesk schema v5: machine names, what a machine's iPXE can do, verified client certificates (issue 4).

-- The operator's name for a machine ("rack 3 left"); NULL: none. Written only by a rename (MachineStore.rename),
-- never by serve's flush of its in-memory rows, so a rename is not overwritten by an older row.
ALTER TABLE machines ADD COLUMN name TEXT;
-- Whether the iPXE the machine last ran has HTTPS (1/0, DHCP option 175 feature 0x14); NULL: not known.
ALTER TABLE machines ADD COLUMN ipxe_https INTEGER;

-- Bumped by every rename and forget (by any process); a running serve polls it and applies them to its memory.
ALTER TABLE meta ADD COLUMN machine_rev INTEGER NOT NULL DEFAULT 0;

-- When a machine last presented this client certificate over mutual TLS and BootDesk accepted it (written at most
-- once a minute per certificate); NULL: never.
ALTER TABLE certificates ADD COLUMN verified_at INTEGER;

-- cert_rev tells a running serve to reload its revocation view (and regenerate its CRL): a verification changes
-- neither, so it no longer bumps it. Every other column still does.
DROP TRIGGER certificates_upd;
CREATE TRIGGER certificates_upd AFTER UPDATE OF serial, kind, mac, subject, issuer_fp, fingerprint, not_before,
    not_after, issued, revoked_at, revoke_reason, key_delivery, delivered_at ON certificates
BEGIN UPDATE meta SET cert_rev = cert_rev + 1; END;
