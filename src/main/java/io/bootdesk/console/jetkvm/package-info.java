/**
 * JetKVM adapter (firmware 0.4.7 protocol): cookie login over HTTP(S), WebSocket signaling, a WebRTC peer
 * connection (webrtc-java, headless audio) and JSON-RPC 2.0 over its {@code rpc} data channel for ATX power,
 * keyboard reports, virtual media from a BootDesk URL and the serial-console extension.
 */
package io.bootdesk.console.jetkvm;
