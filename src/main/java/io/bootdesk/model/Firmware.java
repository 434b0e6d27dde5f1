package io.bootdesk.model;

/** The platform firmware a machine boots from. */
public enum Firmware {
    BIOS,
    UEFI,
    UNKNOWN
}
