/**
 * Platform networking the protocol servers share: the boot interface, binding a socket to it
 * (SO_BINDTODEVICE through java.lang.foreign) and IPv6 router advertisements. Depends on nothing in BootDesk.
 */
package io.bootdesk.net;
