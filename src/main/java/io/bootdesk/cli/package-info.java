/** The headless command line (picocli): serve, image, assign, unassign, machines, events. Depends on engine and model. */
package io.bootdesk.cli;
