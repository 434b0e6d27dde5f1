package io.bootdesk.core;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootImage;

/** The planner's answer; {@link #why()} explains the decision in words, for the event and the UI. */
public sealed interface BootPlan {

    String why();

    /** Give no boot information (the handler still gives an address in full mode). */
    record Nothing(String why) implements BootPlan {
    }

    /**
     * Load iPXE by TFTP: {@code file} is a name in the TFTP namespace (iPXE dir or TFTP root).
     *
     * @param trust send BootDesk's CA fingerprint (175.90): the iPXE loaded next reads it from this answer
     */
    record TftpLoader(String file, boolean trust, String why) implements BootPlan {
    }

    /**
     * UEFI HTTP Boot: the absolute URL of an EFI file (iPXE, or an EFI image such as a UKI).
     *
     * @param image the assigned image being booted directly, or null when the file is iPXE
     */
    record HttpEfi(String url, BootImage image, String why) implements BootPlan {
    }

    /**
     * Tell iPXE where its per-machine script is.
     *
     * @param trust send the CA fingerprint (175.90) and BootDesk's crosscert URL (175.93) along
     */
    record ScriptUrl(String url, boolean trust, String why) implements BootPlan {
    }

    /**
     * A script to serve: it boots the assigned image, or moves the machine on (to HTTPS, to mutual TLS, to an iPXE
     * that trusts BootDesk).
     *
     * @param image      the image it boots, or null when the script only moves the machine on
     * @param assignment the assignment it serves, or null
     * @param secret     the text holds secrets: never log or journal it
     */
    record Script(String text, BootImage image, Assignment assignment, boolean secret, String why) implements BootPlan {
    }

    /** No image is assigned: a script that shows a message and asks again. */
    record Wait(String text, String why) implements BootPlan {
    }

    /** The request is refused (HTTP {@code status}); {@code why} goes into the event. */
    record Refused(int status, String why) implements BootPlan {
    }
}
