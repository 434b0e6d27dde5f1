package io.bootdesk.ui.model;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootStage;
import io.bootdesk.model.MacAddress;
import io.bootdesk.model.Machine;
import java.time.Instant;
import java.util.Locale;

/**
 * One row of the machine table, ready to show: every column's text, computed once per update off the cell
 * factories.
 *
 * @param progress 0..1 while downloading, else -1
 * @param transfer "vmlinuz 3.1 MB of 14.2 MB · 11.0 MB/s" while downloading, else ""
 * @param image    the assigned image, or "" when none
 * @param vendor   who made the network card, from the MAC's OUI ({@code core.MacVendors}): "Dell", "locally
 *                 administered", or "" when unknown
 */
public record MachineView(MacAddress mac, String name, String ip, String vendorClass, String platform,
                          CertificateView certificate, BootStage stage, String detail, double progress,
                          String transfer, String image, boolean once, Instant lastSeen, Machine machine,
                          String vendor) {

    public static MachineView of(Machine m, String name, Assignment a, CertificateView cert, double rate) {
        return of(m, name, a, cert, rate, "");
    }

    public static MachineView of(Machine m, String name, Assignment a, CertificateView cert, double rate, String vendor) {
        boolean downloading = m.stage() == BootStage.DOWNLOADING && m.progress() >= 0;
        String transfer = "";
        if (downloading) {
            transfer = m.detail() == null ? "" : withoutFileName(m.detail());
            if (rate > 0) {
                transfer = transfer + (transfer.isEmpty() ? "" : " · ") + Sizes.rate(rate);
            }
        }
        return new MachineView(m.mac(), name == null ? "" : name, m.ip() == null ? "" : m.ip(),
                m.vendorClass() == null ? "" : m.vendorClass(), Platforms.describe(m), cert, m.stage(),
                m.detail() == null ? "" : m.detail(), downloading ? Math.min(1, m.progress()) : -1, transfer,
                a == null ? "" : a.image(), a != null && a.once(), m.lastSeen(), m, vendor == null ? "" : vendor);
    }

    /** "56.7 MB of 92.0 MB" from the engine's "fedora.efi 56.7 MB of 92.0 MB" (the file is in the tooltip). */
    static String withoutFileName(String detail) {
        int sp = detail.indexOf(' ');
        String d = sp > 0 && detail.indexOf(" of ") > sp && Character.isDigit(detail.charAt(sp + 1)) ? detail.substring(sp + 1) : detail;
        // "56.1 MB of 92.0 MB" -> "56.1 of 92.0 MB"
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([0-9.]+) (\\S+) of ([0-9.]+) (\\S+)$").matcher(d);
        return m.matches() && m.group(2).equals(m.group(4)) ? m.group(1) + " of " + m.group(3) + " " + m.group(4) : d;
    }

    /** The assignment column: "debian-12", "debian-12 (once)", or "—". */
    public String imageText() {
        return image.isEmpty() ? "—" : once ? image + " (once)" : image;
    }

    public static String stageText(BootStage s) {
        return switch (s) {
            case DISCOVERED -> "discovered";
            case ADDRESSED -> "addressed";
            case LOADER -> "loading iPXE";
            case SCRIPT -> "script";
            case WAITING -> "waiting";
            case DOWNLOADING -> "downloading";
            case BOOTED -> "booted";
            case FAILED -> "failed";
        };
    }

    public String stageText() {
        return stageText(stage);
    }

    /** The MAC column's tooltip: the vendor and the OUI it was read from. */
    public String vendorText() {
        String oui = mac.toString().substring(0, 8);
        if (vendor.isEmpty()) {
            return "OUI " + oui + ": vendor unknown";
        }
        if (vendor.equals("locally administered")) {
            return "Locally administered address (bit 0x02 of the first octet): set by software, not by a maker";
        }
        return vendor + " (OUI " + oui + ")";
    }

    /** Everything the filter box searches, lower case. */
    public String searchText() {
        return (mac + " " + mac.hyphenated() + " " + vendor + " " + name + " " + ip + " " + vendorClass + " " + platform + " "
                + stageText() + " " + stage.name() + " " + image + " " + certificate.label()).toLowerCase(Locale.ROOT);
    }
}
