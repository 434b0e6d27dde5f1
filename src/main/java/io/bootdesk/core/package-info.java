/**
 * The boot planner and everything the servers share: the catalog of images and assignments, the machine
 * inventory, the event log, journal and bus. Depends on model and store.
 */
package io.bootdesk.core;
