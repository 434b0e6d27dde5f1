package io.bootdesk.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what {@code bootdesk events} and {@code bootdesk machines} print. */
final class BootdeskOutput {
    /** {@code 2026-11-22 01:02:03.456  52:54:00:..  10.99.1.100  DHCP_ACK  message}. */
    private static final Pattern EVENT = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\s+(\\S+)\\s+(\\S+)\\s+([A-Z][A-Z0-9_]*)\\s+(.*)$");

    private BootdeskOutput() {
    }

    record Event(String mac, String ip, String type, String message) {
    }

    static List<Event> events(String output) {
        List<Event> list = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = EVENT.matcher(line.strip());
            if (m.matches()) {
                list.add(new Event(m.group(1), m.group(2), m.group(3), m.group(4)));
            }
        }
        return list;
    }

    static List<String> eventTypes(String output) {
        return events(output).stream().map(Event::type).toList();
    }

    /**
     * The row for {@code mac} of a table printed with aligned columns under a header line (column name -> cell),
     * or null if there is no such row. Column names may contain single spaces ("LAST SEEN").
     */
    static Map<String, String> machineRow(String output, String mac) {
        List<String> lines = output.lines().toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("MAC")) {
            return null;
        }
        String header = lines.get(0);
        List<String> names = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        Matcher m = Pattern.compile("\\S+(?: \\S+)*").matcher(header);
        while (m.find()) {
            names.add(m.group());
            starts.add(m.start());
        }
        for (String line : lines.subList(1, lines.size())) {
            if (!line.toLowerCase(java.util.Locale.ROOT).startsWith(mac.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                int from = Math.min(starts.get(i), line.length());
                int to = i + 1 < names.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
                row.put(names.get(i), line.substring(from, to).strip());
            }
            return row;
        }
        return null;
    }
}
