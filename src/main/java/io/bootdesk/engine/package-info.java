/** Wires everything from a config; start/stop. The only place that knows all servers. */
package io.bootdesk.engine;
