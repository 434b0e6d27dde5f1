/** HTTP boot server (Netty): per-machine iPXE scripts, image files, iPXE binaries for UEFI HTTP Boot. */
package io.bootdesk.http;
