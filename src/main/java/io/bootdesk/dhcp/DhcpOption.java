package io.bootdesk.dhcp;

/** DHCP option codes BootDesk reads or writes (RFC 2132, 3004, 3046, 4578, PXE, iPXE). */
public final class DhcpOption {
    private DhcpOption() {
    }

    public static final int PAD = 0;
    public static final int SUBNET_MASK = 1;
    public static final int ROUTER = 3;
    public static final int DNS = 6;
    public static final int HOST_NAME = 12;
    public static final int DOMAIN_NAME = 15;
    public static final int BROADCAST = 28;
    public static final int VENDOR_SPECIFIC = 43;
    public static final int REQUESTED_IP = 50;
    public static final int LEASE_TIME = 51;
    public static final int OVERLOAD = 52;
    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_ID = 54;
    public static final int PARAMETER_LIST = 55;
    public static final int MESSAGE = 56;
    public static final int MAX_MESSAGE_SIZE = 57;
    public static final int RENEWAL_TIME = 58;
    public static final int REBINDING_TIME = 59;
    public static final int VENDOR_CLASS = 60;
    public static final int CLIENT_ID = 61;
    public static final int TFTP_SERVER = 66;
    public static final int BOOTFILE = 67;
    public static final int USER_CLASS = 77;
    public static final int RELAY_AGENT = 82;
    public static final int CLIENT_ARCH = 93;
    public static final int CLIENT_NDI = 94;
    public static final int CLIENT_UUID = 97;
    /** iPXE's encapsulated options ("Etherboot"). */
    public static final int IPXE = 175;
    public static final int END = 255;

    /** Sub-options of 175. */
    public static final int IPXE_FEATURE_HTTP = 0x13;
    public static final int IPXE_FEATURE_HTTPS = 0x14;
    /** 175.90 trust: SHA-256 fingerprints of trusted root certificates (read at iPXE start-up). */
    public static final int IPXE_TRUST = 90;
    /** 175.93 crosscert: where iPXE fetches cross-signing certificates. */
    public static final int IPXE_CROSSCERT = 93;
    public static final int IPXE_NO_PXEDHCP = 176;
    public static final int IPXE_BUS_ID = 177;
    public static final int IPXE_VERSION = 235;

    /** Sub-option of 43 for PXE clients: discovery control (bit 3 = boot the file named, skip discovery). */
    public static final int PXE_DISCOVERY_CONTROL = 6;
}
