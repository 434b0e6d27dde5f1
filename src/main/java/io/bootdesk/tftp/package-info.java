/** Read-only TFTP server (RFC 1350, 2347, 2348, 2349, 7440) for PXE ROMs fetching iPXE. */
package io.bootdesk.tftp;
