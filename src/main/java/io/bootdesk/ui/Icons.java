package io.bootdesk.ui;

import io.bootdesk.model.BootStage;
import io.bootdesk.ui.model.CertificateView;
import org.kordamp.ikonli.javafx.FontIcon;

/** Icon codes (Ikonli, Material Design 2) the console uses, in one place so a test can check each resolves. */
final class Icons {
    static final String APP = "mdi2l-lan-connect";
    static final String START = "mdi2p-play";
    static final String STOP = "mdi2s-stop";
    static final String UNDO = "mdi2u-undo";
    static final String DARK = "mdi2w-weather-night";
    static final String LIGHT = "mdi2w-white-balance-sunny";
    static final String SETUP = "mdi2c-cog-outline";
    static final String WARNING = "mdi2a-alert";
    static final String ADD = "mdi2p-plus";
    static final String SEARCH = "mdi2m-magnify";
    static final String ONCE = "mdi2n-numeric-1-circle-outline";
    static final String COPY = "mdi2c-content-copy";
    static final String RENAME = "mdi2p-pencil";
    static final String UNASSIGN = "mdi2l-link-variant-off";
    static final String SCRIPT = "mdi2f-file-document-outline";
    static final String TIMELINE = "mdi2t-timeline-clock-outline";
    static final String EVENTS = "mdi2f-format-list-bulleted";
    static final String PROBE = "mdi2r-radar";
    static final String INTERFACE = "mdi2e-ethernet";
    static final String INFO = "mdi2i-information-outline";
    static final String FOLDER = "mdi2f-folder-open";
    static final String SERVER = "mdi2s-server-network";
    static final String MEDIUM = "mdi2u-usb-flash-drive-outline";
    static final String DEMO = "mdi2f-flask-outline";
    static final String TERMINAL = "mdi2c-console";

    static final String[] ALL = {TERMINAL, APP, START, STOP, UNDO, DARK, LIGHT, SETUP, WARNING, ADD, SEARCH, ONCE, COPY, RENAME,
            UNASSIGN, SCRIPT, TIMELINE, EVENTS, PROBE, INTERFACE, INFO, FOLDER, SERVER, MEDIUM, DEMO,
            "mdi2p-penguin", "mdi2c-chip", "mdi2s-script-text-outline",
            stage(BootStage.DISCOVERED), stage(BootStage.ADDRESSED), stage(BootStage.LOADER), stage(BootStage.SCRIPT),
            stage(BootStage.WAITING), stage(BootStage.DOWNLOADING), stage(BootStage.BOOTED), stage(BootStage.FAILED),
            certificate(CertificateView.State.NONE), certificate(CertificateView.State.ISSUED),
            certificate(CertificateView.State.VERIFIED), certificate(CertificateView.State.EXPIRING),
            certificate(CertificateView.State.REVOKED)};

    private Icons() {
    }

    static FontIcon icon(String code) {
        return new FontIcon(code);
    }

    static String stage(BootStage s) {
        return switch (s) {
            case DISCOVERED -> "mdi2r-radar";
            case ADDRESSED -> "mdi2i-ip-network-outline";
            case LOADER -> "mdi2c-chip";
            case SCRIPT -> "mdi2s-script-text-outline";
            case WAITING -> "mdi2t-timer-sand";
            case DOWNLOADING -> "mdi2d-download";
            case BOOTED -> "mdi2c-check-circle";
            case FAILED -> "mdi2c-close-circle";
        };
    }

    static String certificate(CertificateView.State s) {
        return switch (s) {
            case NONE -> "mdi2s-shield-off-outline";
            case ISSUED -> "mdi2c-certificate-outline";
            case VERIFIED -> "mdi2s-shield-check";
            case EXPIRING -> "mdi2s-shield-alert";
            case REVOKED -> "mdi2s-shield-remove";
        };
    }
}
