/** DHCPv4 and proxyDHCP: codec (DhcpMessage, DhcpCodec), classification, lease bookkeeping and the Netty server. */
package io.bootdesk.dhcp;
