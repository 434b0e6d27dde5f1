/**
 * The console's view models: plain classes (no JavaFX) that turn the engine's machines, events, images and
 * assignments into what the window shows, coalesce updates from engine threads, and carry out the operator's
 * actions through the engine. Tested without a window.
 */
package io.bootdesk.ui.model;
