-- BootDesk schema v4: what BootDesk learned about iPXE binaries while machines booted them (issue 3).
-- A compressed iPXE (undionly.kpxe) does not show its features until it runs; when one BootDesk handed out asks
-- DHCP again, its option 175 says whether it has HTTPS. Remembered by the file's SHA-256.
CREATE TABLE loader_capabilities (
    sha256   TEXT PRIMARY KEY,
    file     TEXT NOT NULL,     -- the name it was learned under (for people)
    https    INTEGER NOT NULL,
    learned  INTEGER NOT NULL
);
