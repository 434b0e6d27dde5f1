/**
 * What the network console clients (Redfish, PiKVM, JetKVM) share: the small {@link io.bootdesk.console.client.Json}
 * reader/writer and {@link io.bootdesk.console.client.PinnedTls} (self-signed devices trusted by a confirmed SHA-256
 * fingerprint, never trust-all).
 */
package io.bootdesk.console.client;
