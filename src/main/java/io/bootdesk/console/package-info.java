/**
 * Out-of-band consoles bound to a machine: the binding (serial port, JetKVM, PiKVM, Redfish), where bindings are
 * kept ({@link io.bootdesk.console.ConsoleBindingStore}, table {@code console_bindings}) and the serial session
 * (jSerialComm) that copies a machine's console into {@code DATA-DIR/console/<mac>.log}, and the network consoles'
 * buttons: {@link io.bootdesk.console.MachineControl} with its Redfish and PiKVM adapters, opened by
 * {@link io.bootdesk.console.MachineControls#open}. May use model, store and
 * core; engine, cli and ui use it.
 */
package io.bootdesk.console;
