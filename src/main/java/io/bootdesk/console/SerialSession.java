package io.bootdesk.console;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One open serial console (jSerialComm). The port is opened by its typed path (ptys are not enumerated by
 * jSerialComm but open when named); a reader thread appends what comes to the log file (after a session header
 * line) and hands it to listeners; {@link #write} sends typed bytes, {@link #sendBreak} a break.
 */
public final class SerialSession implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 200;

    private final ConsoleBinding.Serial binding;
    private final SerialPort port;
    private final OutputStream log;
    private final List<ConsoleListener> listeners = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closing;

    private SerialSession(ConsoleBinding.Serial binding, SerialPort port, OutputStream log, String name) {
        this.binding = binding;
        this.port = port;
        this.log = log;
        this.reader = Thread.ofPlatform().daemon().name(name).unstarted(this::readLoop);
    }

    /**
     * Opens the port, applies the binding's settings and starts reading into {@code logFile} (appended; null: no
     * log). Throws {@link ConsoleException} naming the cause: no such port, permission denied, port in use.
     */
    public static SerialSession open(ConsoleBinding.Serial b, Path logFile, ConsoleListener... listeners) {
        Path path = Path.of(b.portPath());
        if (!Files.exists(path)) {
            throw new ConsoleException("No such serial port " + b.portPath() + ": check the path (ptys and USB adapters"
                    + " get their names when they appear, e.g. /dev/ttyUSB0, /dev/pts/3).");
        }
        if (!Files.isReadable(path) || !Files.isWritable(path)) {
            throw permissionDenied(b.portPath());
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(b.portPath());
        } catch (RuntimeException e) {
            throw new ConsoleException("No such serial port " + b.portPath() + ": " + e.getMessage() + ".");
        }
        applySettings(port, b);
        if (!port.openPort()) {
            int err = port.getLastErrorCode();
            if (!Files.exists(path)) {
                throw new ConsoleException("No such serial port " + b.portPath() + " (the device went away).");
            }
            if (err == 13 || err == 1) {
                throw permissionDenied(b.portPath());
            }
            // jSerialComm reports a port another program holds open (TIOCEXCL/flock) as error 2 or 16
            throw new ConsoleException("Serial port " + b.portPath() + " is in use by another program (error " + err
                    + "): close the other terminal (screen, minicom, another BootDesk) first.");
        }
        // ENOTTY (25) after a successful open is normal on a pty: a serial-only ioctl failed; the settings that a
        // pty has (termios) were applied.
        applySettings(port, b);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_TIMEOUT_MS, 0);
        OutputStream out = null;
        try {
            if (logFile != null) {
                Files.createDirectories(logFile.getParent());
                out = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                out.write(("\n=== BootDesk console session " + Instant.now() + " " + b.describe() + " ===\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            port.closePort();
            throw new ConsoleException("Cannot write the console log " + logFile + ": " + e.getMessage() + ".");
        }
        SerialSession s = new SerialSession(b, port, out, "console " + b.portPath());
        s.listeners.addAll(List.of(listeners));
        s.reader.start();
        return s;
    }

    private static ConsoleException permissionDenied(String path) {
        return new ConsoleException("Permission denied opening " + path + ": serial ports belong to the 'dialout' group;"
                + " add yourself with 'sudo usermod -aG dialout $USER' and log in again.");
    }

    private static void applySettings(SerialPort port, ConsoleBinding.Serial b) {
        int stop = switch (b.stopBits()) {
            case ONE -> SerialPort.ONE_STOP_BIT;
            case ONE_POINT_FIVE -> SerialPort.ONE_POINT_FIVE_STOP_BITS;
            case TWO -> SerialPort.TWO_STOP_BITS;
        };
        int parity = switch (b.parity()) {
            case NONE -> SerialPort.NO_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case MARK -> SerialPort.MARK_PARITY;
            case SPACE -> SerialPort.SPACE_PARITY;
        };
        int flow = switch (b.flowControl()) {
            case NONE -> SerialPort.FLOW_CONTROL_DISABLED;
            case RTSCTS -> SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
            case XONXOFF -> SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
        };
        port.setComPortParameters(b.baud(), b.dataBits(), stop, parity);
        port.setFlowControl(flow);
    }

    public ConsoleBinding.Serial binding() {
        return binding;
    }

    /** The settings the port reports now (baud, data bits, stop bits, parity, as jSerialComm reads them back). */
    public String portSettings() {
        return port.getBaudRate() + " " + port.getNumDataBits() + " " + port.getParity() + " " + port.getNumStopBits()
                + " flow=" + port.getFlowControlSettings();
    }

    public boolean isOpen() {
        return reader.isAlive();
    }

    public void addListener(ConsoleListener l) {
        listeners.add(l);
    }

    public void removeListener(ConsoleListener l) {
        listeners.remove(l);
    }

    /** Sends typed bytes to the machine (all of them, or throws). */
    public synchronized void write(byte[] data) {
        int off = 0;
        while (off < data.length) {
            int n = port.writeBytes(data, data.length - off, off);
            if (n < 0) {
                throw new ConsoleException("Writing to " + binding.portPath() + " failed (error " + port.getLastErrorCode() + ").");
            }
            off += n;
        }
    }

    /**
     * Sends a break (the line held at space for {@code millis}). A pty has no line: the call succeeds and the
     * peer sees nothing.
     */
    public synchronized void sendBreak(int millis) {
        if (!port.setBreak()) {
            throw new ConsoleException("Sending a break on " + binding.portPath() + " failed (error " + port.getLastErrorCode() + ").");
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            port.clearBreak();
        }
    }

    private void readLoop() {
        byte[] buf = new byte[4096];
        String error = null;
        try {
            while (!closing) {
                int n = port.readBytes(buf, buf.length);
                if (n < 0) {
                    if (!closing) {
                        error = "The serial port " + binding.portPath() + " went away (error " + port.getLastErrorCode() + ").";
                    }
                    break;
                }
                if (n == 0) {
                    continue;
                }
                if (log != null) {
                    try {
                        log.write(buf, 0, n);
                        log.flush();
                    } catch (IOException e) {
                        error = "Writing the console log failed: " + e.getMessage() + ".";
                        break;
                    }
                }
                byte[] copy = java.util.Arrays.copyOf(buf, n);
                for (ConsoleListener l : listeners) {
                    try {
                        l.received(copy);
                    } catch (RuntimeException ignored) {
                        // a listener's failure is its own
                    }
                }
            }
        } finally {
            if (!closing) {
                port.closePort();
            }
            closeLog();
            for (ConsoleListener l : listeners) {
                try {
                    l.ended(error);
                } catch (RuntimeException ignored) {
                    // ditto
                }
            }
        }
    }

    private void closeLog() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException ignored) {
                // nothing more to write
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            reader.join(READ_TIMEOUT_MS * 5L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        port.closePort();
    }
}
