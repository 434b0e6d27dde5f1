package io.bootdesk.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.Channel;

/** Linux implementation of {@link NativeNet} with java.lang.foreign (compiled with release 22). */
final class FfmNativeNet implements NativeNet {

    private static final int SOL_SOCKET = 1;
    private static final int SO_BINDTODEVICE = 25;
    private static final int SO_RCVTIMEO = 20;
    private static final int AF_INET6 = 10;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int IPV6_UNICAST_HOPS = 16;
    private static final int IPV6_MULTICAST_IF = 17;
    private static final int IPV6_MULTICAST_HOPS = 18;
    private static final int IPV6_JOIN_GROUP = 20;
    private static final int EAGAIN = 11;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    private static final MethodHandle SETSOCKOPT = handle("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDTO = handle("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT));
    private static final MethodHandle RECVFROM = handle("recvfrom", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LIBC.find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            CAPTURE, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = handle("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LIBC.find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = LINKER.downcallHandle(LIBC.find("if_nametoindex").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, CAPTURE);
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public String unavailableReason() {
        return "";
    }

    @Override
    public void bindToDevice(Channel channel, String ifname) throws IOException {
        int fd = NativeNet.fdOf(channel);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocateFrom(ifname);
            MemorySegment state = a.allocate(CALL_STATE);
            int rc = (int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_BINDTODEVICE, name, (int) name.byteSize());
            check(rc, state, "SO_BINDTODEVICE " + ifname);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("SO_BINDTODEVICE " + ifname + ": " + t, t);
        }
    }

    @Override
    public Icmp6Socket openIcmp6(String ifname) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int ifindex = (int) IF_NAMETOINDEX.invokeExact(a.allocateFrom(ifname));
            if (ifindex == 0) {
                throw new IOException("no interface named " + ifname);
            }
            int fd = (int) SOCKET.invokeExact(state, AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
            check(fd, state, "socket(AF_INET6, SOCK_RAW, ICMPv6)");
            try {
                MemorySegment name = a.allocateFrom(ifname);
                check((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_BINDTODEVICE, name, (int) name.byteSize()),
                        state, "SO_BINDTODEVICE " + ifname);
                setInt(a, state, fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255, "IPV6_MULTICAST_HOPS");
                setInt(a, state, fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255, "IPV6_UNICAST_HOPS");
                setInt(a, state, fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex, "IPV6_MULTICAST_IF");
                MemorySegment mreq = a.allocate(20);
                mreq.set(ValueLayout.JAVA_BYTE, 0, (byte) 0xff);
                mreq.set(ValueLayout.JAVA_BYTE, 1, (byte) 0x02);
                mreq.set(ValueLayout.JAVA_BYTE, 15, (byte) 0x02);
                mreq.set(ValueLayout.JAVA_INT_UNALIGNED, 16, ifindex);
                check((int) SETSOCKOPT.invokeExact(state, fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, mreq, 20), state,
                        "joining ff02::2 on " + ifname);
                MemorySegment tv = a.allocate(16);
                tv.set(ValueLayout.JAVA_LONG, 0, 1L);
                tv.set(ValueLayout.JAVA_LONG, 8, 0L);
                check((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16), state, "SO_RCVTIMEO");
            } catch (IOException | RuntimeException e) {
                int ignored = (int) CLOSE.invokeExact(fd);
                throw e;
            }
            return new RawIcmp6(fd, ifindex);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("raw ICMPv6 socket on " + ifname + ": " + t, t);
        }
    }

    @Override
    public void enterNetworkNamespace(java.nio.file.Path nsFile) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, a.allocateFrom(nsFile.toString()), O_RDONLY | O_CLOEXEC, 0);
            check(fd, state, "opening " + nsFile);
            try {
                check((int) SETNS.invokeExact(state, fd, CLONE_NEWNET), state, "setns(" + nsFile + ", CLONE_NEWNET)");
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("entering the network namespace " + nsFile + ": " + t, t);
        }
    }

    private static void setInt(Arena a, MemorySegment state, int fd, int level, int opt, int value, String what)
            throws Throwable {
        MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
        v.set(ValueLayout.JAVA_INT, 0, value);
        check((int) SETSOCKOPT.invokeExact(state, fd, level, opt, v, 4), state, what);
    }

    private static void check(int rc, MemorySegment state, String what) throws IOException {
        if (rc < 0) {
            int errno = (int) ERRNO.get(state, 0L);
            throw new IOException(what + " failed: " + strerror(errno) + " (errno " + errno + ")");
        }
    }

    private static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }

    private static final class RawIcmp6 implements Icmp6Socket {
        private final int fd;
        private final int ifindex;
        private volatile boolean closed;

        RawIcmp6(int fd, int ifindex) {
            this.fd = fd;
            this.ifindex = ifindex;
        }

        @Override
        public void send(byte[] icmp, byte[] dest16) throws IOException {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment state = a.allocate(CALL_STATE);
                MemorySegment buf = a.allocate(icmp.length);
                MemorySegment.copy(icmp, 0, buf, ValueLayout.JAVA_BYTE, 0, icmp.length);
                MemorySegment sa = a.allocate(28);
                sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
                MemorySegment.copy(dest16, 0, sa, ValueLayout.JAVA_BYTE, 8, 16);
                sa.set(ValueLayout.JAVA_INT.withOrder(ByteOrder.nativeOrder()), 24, ifindex);
                long n = (long) SENDTO.invokeExact(state, fd, buf, (long) icmp.length, 0, sa, 28);
                check((int) Math.min(n, 0), state, "sending ICMPv6");
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException("sending ICMPv6: " + t, t);
            }
        }

        @Override
        public int receive(byte[] out, byte[] from16) throws IOException {
            if (closed) {
                throw new IOException("socket closed");
            }
            try (Arena a = Arena.ofConfined()) {
                MemorySegment state = a.allocate(CALL_STATE);
                MemorySegment buf = a.allocate(out.length);
                MemorySegment sa = a.allocate(28);
                MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
                len.set(ValueLayout.JAVA_INT, 0, 28);
                long n = (long) RECVFROM.invokeExact(state, fd, buf, (long) out.length, 0, sa, len);
                if (n < 0) {
                    int errno = (int) ERRNO.get(state, 0L);
                    if (errno == EAGAIN) {
                        return -1;
                    }
                    throw new IOException("receiving ICMPv6 failed: " + strerror(errno));
                }
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, out, 0, (int) n);
                MemorySegment.copy(sa, ValueLayout.JAVA_BYTE, 8, from16, 0, 16);
                return (int) n;
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException("receiving ICMPv6: " + t, t);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    int ignored = (int) CLOSE.invokeExact(fd);
                } catch (Throwable ignored) {
                    // nothing left to do
                }
            }
        }
    }
}
