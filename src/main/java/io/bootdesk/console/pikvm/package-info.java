/**
 * PiKVM / GL.iNet Comet (kvmd) adapter over its HTTP API: ATX power, one-shot key presses, virtual media
 * (MSD) from a BootDesk URL and JPEG snapshots, with the same certificate pinning as the Redfish adapter.
 */
package io.bootdesk.console.pikvm;
