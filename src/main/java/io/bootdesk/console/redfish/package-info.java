/**
 * Redfish BMC adapter: one-time boot override (PXE / UEFI HTTP with HttpBootUri) and reset of a
 * ComputerSystem over the JDK HTTP client, with certificate pinning for self-signed BMCs. Also holds the tiny
 * {@link io.bootdesk.console.redfish.Json} reader/writer and {@link io.bootdesk.console.redfish.PinnedTls},
 * which the PiKVM adapter reuses (candidates for a shared console package once it exists).
 */
package io.bootdesk.console.redfish;
