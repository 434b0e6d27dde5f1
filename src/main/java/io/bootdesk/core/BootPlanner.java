package io.bootdesk.core;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.ClientArch;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.ImageKind;
import io.bootdesk.model.MacAddress;
import io.bootdesk.store.SecretStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place that decides what a machine gets (design.md, "The one question"). Protocol handlers translate their
 * protocol into a {@link BootRequest} and the {@link BootPlan} back; the rules live here:
 * <ul>
 *   <li>iPXE is never handed iPXE again in a loop: it gets its script URL, unless it lacks HTTPS and BootDesk has an
 *       HTTPS-capable iPXE to chain (once; the {@link HttpsTracker} knows when the chained binary is back);</li>
 *   <li>PXE firmware gets the iPXE build for its architecture by TFTP, with BootDesk's CA fingerprint (175.90) in
 *       the answer so the chained iPXE trusts BootDesk;</li>
 *   <li>UEFI HTTP Boot gets an assigned EFI image directly, otherwise iPXE over HTTP(S);</li>
 *   <li>an HTTPS-capable iPXE first gets a plain-HTTP stage script that tries HTTPS and otherwise chains an iPXE
 *       that will trust BootDesk, with a loop guard;</li>
 *   <li>the script boots the assigned image, or waits and asks again; a script that uses secrets is served only
 *       over mutual TLS to the machine whose certificate it is.</li>
 * </ul>
 */
public final class BootPlanner {

    private static final String EMPTY_SCRIPT = "#!ipxe\n";

    private final Endpoints endpoints;
    private final Loaders loaders;
    private final Catalog catalog;
    private final HttpsTracker https = new HttpsTracker();
    private final LoaderCapabilities capabilities;
    private final boolean uefiHttps;
    private final KeyIssuer keys;

    /** Plain HTTP only (no HTTPS listeners). */
    public BootPlanner(Endpoints endpoints, Loaders loaders, Catalog catalog) {
        this(endpoints, loaders, catalog, false, null, new LoaderCapabilities(null));
    }

    /**
     * @param uefiHttps UEFI HTTP Boot clients have BootDesk's CA enrolled in their firmware (TlsCaCertificate): give
     *                  them https:// URLs
     * @param keys      issues client keys for approved network enrolment (null: enrolment unavailable)
     * @param capabilities what is known of the iPXE binaries (HTTPS or not)
     */
    public BootPlanner(Endpoints endpoints, Loaders loaders, Catalog catalog, boolean uefiHttps, KeyIssuer keys,
                       LoaderCapabilities capabilities) {
        this.endpoints = endpoints;
        this.loaders = loaders;
        this.catalog = catalog;
        this.uefiHttps = uefiHttps && endpoints.https();
        this.keys = keys;
        this.capabilities = capabilities;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public HttpsTracker https() {
        return https;
    }

    public BootPlan plan(BootRequest r) {
        return switch (r.step()) {
            case DHCP, PROXY_DHCP -> planDhcp(r);
            case STAGE -> stageScript(r.mac());
            case SCRIPT, POLL -> planScript(r);
        };
    }

    // ---------------------------------------------------------------- DHCP

    private BootPlan planDhcp(BootRequest r) {
        String who = r.kind().label() + ", " + r.arch().label();
        boolean trust = endpoints.https();
        return switch (r.kind()) {
            case IPXE -> ipxe(r, trust);
            case PXE -> loaders.find(r.arch())
                    .<BootPlan>map(f -> {
                        if (trust) {
                            https.loaderHanded(r.mac(), f, r.exchange());
                        }
                        return new BootPlan.TftpLoader(f, trust, who + ": iPXE (" + f + ") by TFTP"
                                + (trust ? ", with BootDesk's CA fingerprint for the iPXE it starts" : ""));
                    })
                    .orElseGet(() -> noLoader(r));
            case UEFI_HTTP -> {
                Channel ch = uefiHttps ? Channel.HTTPS : Channel.HTTP;
                String over = uefiHttps ? "HTTPS (the firmware trusts BootDesk's CA)" : "HTTP";
                Optional<BootImage> efi = assignedImage(r.mac()).filter(i -> i.kind() == ImageKind.EFI && !usesSecrets(i));
                if (efi.isPresent()) {
                    BootImage i = efi.get();
                    yield new BootPlan.HttpEfi(endpoints.imageFileUrl(i.name(), i.kernel(), r.mac(), ch), i,
                            who + ": assigned EFI image " + i.name() + " directly over " + over);
                }
                yield loaders.find(r.arch())
                        .<BootPlan>map(f -> {
                            if (trust) {
                                https.loaderHanded(r.mac(), f, r.exchange());
                            }
                            return new BootPlan.HttpEfi(endpoints.loaderUrl(f, ch), null,
                                    who + ": iPXE (" + f + ") over " + over + ", which then asks for its script");
                        })
                        .orElseGet(() -> noLoader(r));
            }
            case OTHER -> new BootPlan.Nothing("not a network-boot client (no PXEClient/HTTPClient vendor class, not iPXE)");
        };
    }

    private BootPlan ipxe(BootRequest r, boolean trust) {
        String running = "iPXE is running (" + r.arch().label() + (r.ipxeHttps() ? ", with HTTPS" : ", without HTTPS") + ")";
        if (!trust) {
            return new BootPlan.ScriptUrl(endpoints.scriptUrl(r.mac()), false, running + ": it gets its per-machine script");
        }
        Optional<String> chained = https.ipxeSeen(r.mac(), r.exchange());
        chained.flatMap(loaders::resolve).ifPresent(f -> capabilities.learned(f, r.ipxeHttps()));
        if (r.ipxeHttps()) {
            return new BootPlan.ScriptUrl(endpoints.scriptUrl(r.mac()) + "?stage=1", true, running
                    + (chained.isPresent() ? " (BootDesk's " + chained.get() + ")" : "")
                    + ": the stage script tries HTTPS with BootDesk's CA");
        }
        if (chained.isPresent()) {
            return new BootPlan.ScriptUrl(endpoints.scriptUrl(r.mac()), true, running + ": it is BootDesk's "
                    + chained.get() + ", which has no HTTPS; plain HTTP. For HTTPS put an HTTPS-capable iPXE"
                    + " (e.g. Debian 13's ipxe package) in the iPXE directory");
        }
        Optional<String> loader = loaders.find(r.arch());
        if (loader.isEmpty()) {
            return new BootPlan.ScriptUrl(endpoints.scriptUrl(r.mac()), true, running
                    + ": no iPXE binary to chain for HTTPS; plain HTTP");
        }
        if (!loaders.resolve(loader.get()).flatMap(capabilities::https).orElse(true)) {
            return new BootPlan.ScriptUrl(endpoints.scriptUrl(r.mac()), true, running + ": the iPXE BootDesk could chain ("
                    + loader.get() + ") has no HTTPS either; plain HTTP");
        }
        https.loaderHanded(r.mac(), loader.get(), r.exchange());
        return new BootPlan.TftpLoader(loader.get(), true, running + ": chained to " + loader.get()
                + " by TFTP, with BootDesk's CA fingerprint, for HTTPS");
    }

    private BootPlan noLoader(BootRequest r) {
        return new BootPlan.Nothing("no iPXE binary for " + r.arch().label() + ": looked for "
                + String.join(", ", Loaders.candidates(r.arch())) + " in "
                + loaders.dirs().stream().map(Path::toString).collect(Collectors.joining(", ")));
    }

    private Optional<BootImage> assignedImage(MacAddress mac) {
        return catalog.assignment(mac).flatMap(a -> catalog.image(a.image()));
    }

    // ---------------------------------------------------------------- scripts

    /**
     * The plain-HTTP stage script of an HTTPS-capable iPXE: HTTPS first; if this iPXE does not trust BootDesk, chain
     * an iPXE that will (it reads BootDesk's CA fingerprint from this iPXE's DHCP answer); if that already failed
     * once within a minute, plain HTTP.
     */
    private BootPlan stageScript(MacAddress mac) {
        String plain = endpoints.scriptUrl(mac);
        StringBuilder s = new StringBuilder(EMPTY_SCRIPT)
                .append("chain --autofree ").append(endpoints.scriptUrl(mac, Channel.HTTPS)).append(" || goto fallback\n")
                .append(":fallback\n");
        if (https.stageServed(mac) > 1) {
            // this iPXE is the one the first stage chained: it had its chance at HTTPS
            s.append("echo BootDesk: HTTPS with BootDesk's CA failed (${errno}), also in the iPXE chained to carry the CA;"
                    + " booting over plain HTTP\n")
                    .append("chain --autofree ").append(plain).append('\n');
            return new BootPlan.Script(s.toString(), null, null, false,
                    "stage again (the chained iPXE): tries HTTPS, else plain HTTP, no further chaining");
        }
        s.append("echo BootDesk: this iPXE does not trust BootDesk's CA (${errno}); loading an iPXE that does\n");
        Map<String, String> seen = new LinkedHashMap<>();
        for (ClientArch a : List.of(ClientArch.BIOS_X86, ClientArch.EFI_X64, ClientArch.EFI_ARM64, ClientArch.EFI_IA32)) {
            loaders.find(a)
                    .filter(f -> loaders.resolve(f).flatMap(capabilities::https).orElse(true)) // no point chaining one without HTTPS
                    .ifPresent(f -> seen.putIfAbsent(a == ClientArch.BIOS_X86 ? "pcbios" : a.cpu(), f));
        }
        seen.forEach((key, file) -> s.append(key.equals("pcbios") ? "iseq ${platform} pcbios" : "iseq ${platform} efi && iseq ${buildarch} " + key)
                .append(" && chain --autofree ").append(endpoints.tftpUrl(file)).append(" ||\n"));
        s.append("echo BootDesk: no iPXE to chain here; booting over plain HTTP\n")
                .append("chain --autofree ").append(plain).append('\n');
        return new BootPlan.Script(s.toString(), null, null, false, "stage: tries HTTPS, else chains an iPXE that trusts BootDesk");
    }

    private BootPlan planScript(BootRequest r) {
        if (r.channel().encrypted()) {
            https.httpsSeen(r.mac());
        }
        Optional<Assignment> a = catalog.assignment(r.mac());
        Optional<BootImage> image = a.flatMap(x -> catalog.image(x.image()));
        if (a.isEmpty() || image.isEmpty()) {
            String why = a.isEmpty() ? "no image assigned" : "assigned image '" + a.get().image() + "' no longer exists";
            return r.step() == BootRequest.Step.POLL
                    ? new BootPlan.Wait(EMPTY_SCRIPT, why)
                    : new BootPlan.Wait(waitingScript(r.mac(), r.channel()), why + ": waiting script, asks again");
        }
        BootImage i = image.get();
        String kind = (a.get().once() ? "one-time assignment: " : "assigned: ") + i.kind().name().toLowerCase(Locale.ROOT)
                + " image " + i.name();
        if (!usesSecrets(i)) {
            return new BootPlan.Script(bootScript(i, r.mac(), r.channel(), Map.of()), i, a.get(), false, kind);
        }
        return secretScript(r, i, a.get(), kind);
    }

    /** An image whose script or command line uses {{ secret.NAME }}: only over mutual TLS, to its own machine. */
    private BootPlan secretScript(BootRequest r, BootImage i, Assignment a, String kind) {
        MacAddress mac = r.mac();
        if (!endpoints.mtls()) {
            return new BootPlan.Refused(403, "image " + i.name() + " uses secrets, which go out only over mutual TLS,"
                    + " and the mutual-TLS listener is off");
        }
        String mtlsUrl = endpoints.scriptUrl(mac, Channel.MTLS);
        return switch (r.channel()) {
            case MTLS -> {
                if (r.proven() == null) {
                    yield new BootPlan.Refused(403, "image " + i.name() + " uses secrets: no valid client certificate");
                }
                if (!r.proven().equals(mac)) {
                    yield new BootPlan.Refused(403, "the client certificate belongs to " + r.proven() + ", not to " + mac);
                }
                Map<String, String> secrets = new HashMap<>();
                catalog.secrets(mac).forEach((k, v) -> secrets.put("secret." + k, v));
                try {
                    yield new BootPlan.Script(bootScript(i, mac, Channel.MTLS, secrets), i, a, true,
                            kind + ", with its secrets, to the machine its certificate names");
                } catch (IllegalArgumentException e) {
                    if (Templates.names(template(i)).contains("secret." + SecretStore.CONSOLE_PASSWORD)) {
                        yield new BootPlan.Refused(500, "image " + i.name() + " asks for the console's password ("
                                + SecretStore.CONSOLE_PASSWORD + "), which never goes into a script");
                    }
                    yield new BootPlan.Refused(500, "image " + i.name() + " needs a secret " + mac + " does not have ("
                            + e.getMessage().replaceAll("\\(known: .*\\)", "").trim() + "); set it with bootdesk secret set");
                }
            }
            case HTTPS -> {
                if (keys != null && catalog.enrolmentApproved(mac)) {
                    String settings = keys.ipxeSettings(mac);
                    catalog.enrolmentDelivered(mac);
                    yield new BootPlan.Script(EMPTY_SCRIPT + "echo BootDesk: enrolling ${mac}: installing its certificate\n"
                            + settings + "chain --autofree " + mtlsUrl + "\n", null, a, true,
                            "approved network enrolment: certificate and key sent once over server-authenticated HTTPS");
                }
                yield new BootPlan.Script(toMutualTls(mtlsUrl), null, a, false,
                        "image " + i.name() + " uses secrets: continue on the mutual-TLS listener");
            }
            case HTTP -> new BootPlan.Script(toMutualTls(mtlsUrl), null, a, false,
                    "image " + i.name() + " uses secrets: continue on the mutual-TLS listener");
        };
    }

    private static String toMutualTls(String mtlsUrl) {
        return EMPTY_SCRIPT + "chain --autofree " + mtlsUrl + " || goto failed\n"
                + "exit\n"
                + ":failed\n"
                + "echo BootDesk: this image is served only over mutual TLS to the machine's own certificate (${errno})\n"
                + "echo Give the machine its certificate: bootdesk media create ${mac}, or bootdesk cert approve ${mac}\n"
                + "prompt --timeout 30000 Press any key to try again ||\n"
                + "chain --autofree " + mtlsUrl + "\n";
    }

    /** Whether the image's script or command line uses a secret. */
    public static boolean usesSecrets(BootImage image) {
        return Templates.names(template(image)).stream().anyMatch(n -> n.startsWith("secret."));
    }

    /** The image's template text: its script, or for a kernel image its command line ("" when it has none). */
    private static String template(BootImage image) {
        String t = image.kind() == ImageKind.SCRIPT ? image.script() : image.cmdline();
        return t == null ? "" : t;
    }

    /** Shows a message, then asks again in a loop; the server holds each poll a few seconds (long poll). */
    String waitingScript(MacAddress mac, Channel channel) {
        String poll = endpoints.scriptUrl(mac, channel) + "?poll=1";
        return EMPTY_SCRIPT
                + "echo\n"
                + "echo BootDesk: this machine (${mac}) has no image assigned yet.\n"
                + "echo Assign one in BootDesk (or: bootdesk assign ${mac} IMAGE); it boots within seconds.\n"
                + ":wait\n"
                + "chain --autofree " + poll + " || goto retry\n"
                + "goto wait\n"
                + ":retry\n"
                + "echo BootDesk: could not ask the server (${errno}), trying again\n"
                + "goto wait\n";
    }

    String bootScript(BootImage image, MacAddress mac, Channel channel, Map<String, String> secrets) {
        String fail = ":failed\n"
                + "echo BootDesk: booting " + image.name() + " failed (${errno}); asking BootDesk again\n"
                + ":wait\n"
                + "chain --autofree " + endpoints.scriptUrl(mac, channel) + "?poll=1 || goto wait\n"
                + "goto wait\n";
        return switch (image.kind()) {
            case LINUX -> {
                StringBuilder s = new StringBuilder(EMPTY_SCRIPT);
                s.append("echo BootDesk: ${mac} boots ").append(image.name()).append('\n');
                StringBuilder cmd = new StringBuilder();
                // EFI iPXE before 2020 needs initrd=<name> on the command line to hand the initrd to the EFI stub;
                // BIOS ignores it.
                for (String initrd : image.initrds()) {
                    cmd.append(" initrd=").append(baseName(initrd));
                }
                String cmdline = Templates.render(image.cmdline(), templateValues(image, mac, channel, secrets));
                if (!cmdline.isBlank()) {
                    cmd.append(' ').append(cmdline.strip());
                }
                s.append("kernel ").append(endpoints.imageFileUrl(image.name(), image.kernel(), mac, channel))
                        .append(cmd).append(" || goto failed\n");
                for (String initrd : image.initrds()) {
                    s.append("initrd ").append(endpoints.imageFileUrl(image.name(), initrd, mac, channel))
                            .append(" || goto failed\n");
                }
                s.append("boot || goto failed\n").append(fail);
                yield s.toString();
            }
            case EFI -> EMPTY_SCRIPT
                    + "echo BootDesk: ${mac} boots " + image.name() + "\n"
                    + "chain " + endpoints.imageFileUrl(image.name(), image.kernel(), mac, channel) + " || goto failed\n"
                    + fail;
            case SCRIPT -> Templates.render(image.script(), templateValues(image, mac, channel, secrets));
        };
    }

    /** The values scripts and command lines may use as {{ name }}; secrets only when given. */
    public Map<String, String> templateValues(BootImage image, MacAddress mac, Channel channel, Map<String, String> secrets) {
        Channel files = channel == Channel.MTLS ? Channel.HTTPS : channel;
        Map<String, String> v = new HashMap<>(secrets);
        v.put("server", endpoints.base(files));
        v.put("server_ip", endpoints.serverIp());
        v.put("mac", mac.toString());
        v.put("mac_hyphen", mac.hyphenated());
        v.put("image", image.name());
        v.put("files", endpoints.base(files) + "/images/" + image.name());
        v.put("script_url", endpoints.scriptUrl(mac, channel));
        return v;
    }

    private static String baseName(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? file : file.substring(slash + 1);
    }

    /** True if this request comes from a client that takes boot information at all. */
    public static boolean isNetworkBoot(ClientKind kind) {
        return kind != ClientKind.OTHER;
    }
}
