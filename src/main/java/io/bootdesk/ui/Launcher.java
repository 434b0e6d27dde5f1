package io.bootdesk.ui;

import javafx.application.Application;

/**
 * Starts the console window. A plain class, not an {@link Application}: a JavaFX application class as the main
 * class of a class-path jar fails with "JavaFX runtime components are missing".
 */
public final class Launcher {
    private Launcher() {
    }

    /** {@code [--data-dir DIR]}. */
    public static void main(String[] args) {
        Application.launch(BootDeskApp.class, args);
    }
}
