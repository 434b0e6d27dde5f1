-- BootDesk schema v7: a network console's confirmed certificate and its network-boot key (issue 5).
-- tls_sha256: SHA-256 fingerprint of a self-signed device's certificate the operator confirmed (jetkvm, pikvm,
--             redfish); NULL means the JDK's normal trust (or plain HTTP).
-- boot_key:   the key a KVM presses during POST to pick network boot (jetkvm, pikvm), e.g. F12; NULL means F12.
ALTER TABLE console_bindings ADD COLUMN tls_sha256 TEXT;
ALTER TABLE console_bindings ADD COLUMN boot_key TEXT;
