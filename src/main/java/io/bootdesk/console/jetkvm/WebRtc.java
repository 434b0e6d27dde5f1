package io.bootdesk.console.jetkvm;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;

/**
 * The process-wide webrtc-java factory. Created once and never disposed: libwebrtc's threads outlive single
 * sessions, and disposing a factory while a peer connection's callbacks run crashes the JVM.
 *
 * <p>Gotchas (found on JDK 25 / Debian 12): the native {@code libwebrtc-java-linux-x86_64.so} comes from the
 * {@code linux-x86_64} classifier jar, is unpacked to {@code java.io.tmpdir} and needs {@code libpulse.so.0},
 * {@code libudev.so.1}, {@code libX11.so.6}, {@code libXfixes.so.3}, {@code libXrandr.so.2},
 * {@code libXcomposite.so.1} and {@code libdbus-1.so.3} at load time even though BootDesk uses no audio or screen
 * capture; the default {@code new PeerConnectionFactory()} aborts the whole JVM when no audio server runs
 * ("Failed to initialize the ADM"), so the {@link HeadlessAudioDeviceModule} is used.
 */
final class WebRtc {

    private static PeerConnectionFactory factory;
    private static Throwable failure;

    private WebRtc() {
    }

    /** The shared factory, or a {@link JetKvmException.Kind#WEBRTC_UNAVAILABLE} saying why it cannot load. */
    static synchronized PeerConnectionFactory factory() throws JetKvmException {
        if (factory == null && failure == null) {
            try {
                factory = new PeerConnectionFactory(new HeadlessAudioDeviceModule());
            } catch (Throwable t) {
                failure = t;
            }
        }
        if (factory == null) {
            Throwable root = failure;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String why = root instanceof UnsatisfiedLinkError
                    ? root.getMessage() + " (on Debian install libpulse0, libx11-6, libxfixes3, libxrandr2,"
                    + " libxcomposite1, libdbus-1-3 and libudev1)"
                    : "webrtc-java's native library for " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + " is not on the class path (the webrtc-java jar with that"
                    + " platform's classifier, e.g. linux-x86_64; " + root + ")";
            throw new JetKvmException(JetKvmException.Kind.WEBRTC_UNAVAILABLE, "WebRTC (webrtc-java) could not be"
                    + " loaded, so BootDesk cannot talk to a JetKVM: " + why + ".", failure);
        }
        return factory;
    }

    /**
     * No ICE servers (a JetKVM on the LAN needs none; nothing is sent to STUN/TURN), UDP host candidates only:
     * STUN, relay and TCP candidates are disabled, as is the "default local candidate" (which libwebrtc finds by
     * routing towards a public address). webrtc-java 0.14.0 does not expose libwebrtc's network ignore mask, so
     * the candidates are the host's interface addresses; libwebrtc skips loopback adapters by default.
     */
    static RTCConfiguration configuration() {
        RTCConfiguration c = new RTCConfiguration();
        c.iceServers.clear();
        c.iceTransportPolicy = RTCIceTransportPolicy.ALL;
        c.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        PortAllocatorConfig p = new PortAllocatorConfig();
        p.setDisableStun(true);
        p.setDisableRelay(true);
        p.setDisableTcp(true);
        p.setDisableUdpRelay(true);
        p.setDisableDefaultLocalCandidate(true);
        c.portAllocatorConfig = p;
        return c;
    }
}
