package io.bootdesk.model;

/** What a boot image consists of. */
public enum ImageKind {
    /** A Linux kernel, one or more initrds and a command line; BootDesk writes the iPXE script. */
    LINUX,
    /** An iPXE script written by the operator (a template: {{ server }}, {{ mac }}, {{ image }} are filled in). */
    SCRIPT,
    /** A single EFI executable (a UKI, a boot loader): chained by iPXE, or handed directly to UEFI HTTP Boot. */
    EFI
}
