package io.bootdesk.core;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootImage;

/** The planner's answer; {@link #why()} explains the decision in words, for the event and the UI. */
public sealed interface BootPlan {

    String why();

    /** Give no boot information (the handler still gives an address in full mode). */
    record Nothing(String why) implements BootPlan {
    }

    /** Load iPXE by TFTP: {@code file} is a name in the TFTP namespace (iPXE dir or TFTP root). */
    record TftpLoader(String file, String why) implements BootPlan {
    }

    /**
     * UEFI HTTP Boot: the absolute URL of an EFI file (iPXE, or an EFI image such as a UKI).
     *
     * @param image the assigned image being booted directly, or null when the file is iPXE
     */
    record HttpEfi(String url, BootImage image, String why) implements BootPlan {
    }

    /** Tell iPXE where its per-machine script is. */
    record ScriptUrl(String url, String why) implements BootPlan {
    }

    /** The script that boots the assigned image. */
    record Script(String text, BootImage image, Assignment assignment, String why) implements BootPlan {
    }

    /** No image is assigned: a script that shows a message and asks again. */
    record Wait(String text, String why) implements BootPlan {
    }
}
