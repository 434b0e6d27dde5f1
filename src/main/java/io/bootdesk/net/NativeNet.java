package io.bootdesk.net;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.Channel;
import java.util.Locale;

/**
 * The few Linux socket calls the JDK has no API for: binding a socket to one interface (SO_BINDTODEVICE, so the
 * DHCP server hears broadcasts on the interface the operator named and no other) and a raw ICMPv6 socket for
 * router advertisements. Implemented with java.lang.foreign, which is final from Java 22; on Java 21 or a
 * non-Linux system {@link #available()} is false and callers must refuse what they cannot do safely.
 */
public interface NativeNet {

    boolean available();

    /** Why {@link #available()} is false, in a sentence; empty when available. */
    String unavailableReason();

    /** SO_BINDTODEVICE on the channel's socket: it then only receives from, and sends through, {@code ifname}. */
    void bindToDevice(Channel channel, String ifname) throws IOException;

    /** A raw ICMPv6 socket bound to {@code ifname}, joined to ff02::2 (router solicitations). */
    Icmp6Socket openIcmp6(String ifname) throws IOException;

    /**
     * Moves the calling thread (only it: Linux keeps the network namespace per thread) into the network namespace
     * named by {@code nsFile} (e.g. {@code /run/netns/NAME}) with {@code setns(2)}. Sockets the thread opens
     * afterwards, and threads it starts, belong to that namespace. Needs CAP_SYS_ADMIN.
     */
    default void enterNetworkNamespace(java.nio.file.Path nsFile) throws IOException {
        throw new IOException("cannot enter a network namespace: " + unavailableReason());
    }

    /** Blocking raw ICMPv6 socket (one reader thread). */
    interface Icmp6Socket extends AutoCloseable {
        /** Sends an ICMPv6 message (checksum filled in by the kernel) to {@code dest16} (16-byte IPv6 address). */
        void send(byte[] icmp, byte[] dest16) throws IOException;

        /**
         * Waits up to the receive timeout for a message; returns its length (source address in {@code from16}),
         * or -1 on timeout.
         */
        int receive(byte[] buf, byte[] from16) throws IOException;

        @Override
        void close();
    }

    static NativeNet get() {
        return Holder.INSTANCE;
    }

    /** The OS file descriptor behind a JDK socket channel (needs --add-exports java.base/sun.nio.ch). */
    static int fdOf(Channel channel) throws IOException {
        try {
            Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
            Method m = selCh.getMethod("getFDVal");
            return (int) m.invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot read the socket's file descriptor (the JVM needs"
                    + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED; java -jar bootdesk.jar sets it): " + e, e);
        }
    }

    final class Holder {
        static final NativeNet INSTANCE = load();

        private Holder() {
        }

        private static NativeNet load() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (!os.contains("linux")) {
                return new Unavailable("binding to one interface is implemented for Linux only (this is " + os + ")");
            }
            if (Runtime.version().feature() < 22) {
                return new Unavailable("binding to one interface needs Java 22 or newer (java.lang.foreign); this is Java "
                        + Runtime.version().feature());
            }
            try {
                return (NativeNet) Class.forName("io.bootdesk.net.FfmNativeNet").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return new Unavailable("native socket calls are unavailable: " + e);
            }
        }
    }

    record Unavailable(String unavailableReason) implements NativeNet {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public void bindToDevice(Channel channel, String ifname) throws IOException {
            throw new IOException(unavailableReason);
        }

        @Override
        public Icmp6Socket openIcmp6(String ifname) throws IOException {
            throw new IOException(unavailableReason);
        }
    }
}
