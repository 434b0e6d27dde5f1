/**
 * Redfish BMC adapter: one-time boot override (PXE / UEFI HTTP with HttpBootUri) and reset of a
 * ComputerSystem over the JDK HTTP client, with certificate pinning for self-signed BMCs
 * ({@link io.bootdesk.console.client.PinnedTls}).
 */
package io.bootdesk.console.redfish;
