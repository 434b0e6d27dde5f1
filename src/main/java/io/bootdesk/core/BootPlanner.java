package io.bootdesk.core;

import io.bootdesk.model.Assignment;
import io.bootdesk.model.BootImage;
import io.bootdesk.model.ClientKind;
import io.bootdesk.model.MacAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place that decides what a machine gets (design.md, "The one question"). Protocol handlers translate their
 * protocol into a {@link BootRequest} and the {@link BootPlan} back; the rules live here:
 * <ul>
 *   <li>iPXE is never handed iPXE again (chainload loop): it gets its script URL;</li>
 *   <li>PXE firmware gets the iPXE build for its architecture by TFTP;</li>
 *   <li>UEFI HTTP Boot gets an assigned EFI image directly, otherwise iPXE over HTTP;</li>
 *   <li>the script boots the assigned image, or waits and asks again.</li>
 * </ul>
 */
public final class BootPlanner {

    private final Endpoints endpoints;
    private final Loaders loaders;
    private final Catalog catalog;

    public BootPlanner(Endpoints endpoints, Loaders loaders, Catalog catalog) {
        this.endpoints = endpoints;
        this.loaders = loaders;
        this.catalog = catalog;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public BootPlan plan(BootRequest r) {
        return switch (r.step()) {
            case DHCP, PROXY_DHCP -> planDhcp(r);
            case SCRIPT, POLL -> planScript(r);
        };
    }

    private BootPlan planDhcp(BootRequest r) {
        String who = r.kind().label() + ", " + r.arch().label();
        return switch (r.kind()) {
            case IPXE -> new BootPlan.ScriptUrl(endpoints.scriptUrl(r.mac()),
                    "iPXE is running (" + r.arch().label() + "): it gets its per-machine script");
            case PXE -> loaders.find(r.arch())
                    .<BootPlan>map(f -> new BootPlan.TftpLoader(f, who + ": iPXE (" + f + ") by TFTP"))
                    .orElseGet(() -> noLoader(r));
            case UEFI_HTTP -> {
                Optional<BootImage> efi = assignedImage(r.mac()).filter(i -> i.kind() == io.bootdesk.model.ImageKind.EFI);
                if (efi.isPresent()) {
                    BootImage i = efi.get();
                    yield new BootPlan.HttpEfi(endpoints.imageFileUrl(i.name(), i.kernel(), r.mac()), i,
                            who + ": assigned EFI image " + i.name() + " directly over HTTP");
                }
                yield loaders.find(r.arch())
                        .<BootPlan>map(f -> new BootPlan.HttpEfi(endpoints.loaderUrl(f), null,
                                who + ": iPXE (" + f + ") over HTTP, which then asks for its script"))
                        .orElseGet(() -> noLoader(r));
            }
            case OTHER -> new BootPlan.Nothing("not a network-boot client (no PXEClient/HTTPClient vendor class, not iPXE)");
        };
    }

    private BootPlan noLoader(BootRequest r) {
        return new BootPlan.Nothing("no iPXE binary for " + r.arch().label() + ": looked for "
                + String.join(", ", Loaders.candidates(r.arch())) + " in "
                + loaders.dirs().stream().map(Path::toString).collect(Collectors.joining(", ")));
    }

    private Optional<BootImage> assignedImage(MacAddress mac) {
        return catalog.assignment(mac).flatMap(a -> catalog.image(a.image()));
    }

    private BootPlan planScript(BootRequest r) {
        Optional<Assignment> a = catalog.assignment(r.mac());
        Optional<BootImage> image = a.flatMap(x -> catalog.image(x.image()));
        if (a.isEmpty() || image.isEmpty()) {
            String why = a.isEmpty() ? "no image assigned" : "assigned image '" + a.get().image() + "' no longer exists";
            return r.step() == BootRequest.Step.POLL
                    ? new BootPlan.Wait("#!ipxe\n", why)
                    : new BootPlan.Wait(waitingScript(r.mac()), why + ": waiting script, asks again");
        }
        BootImage i = image.get();
        String text = bootScript(i, r.mac());
        return new BootPlan.Script(text, i, a.get(), (a.get().once() ? "one-time assignment: " : "assigned: ")
                + i.kind().name().toLowerCase(java.util.Locale.ROOT) + " image " + i.name());
    }

    /** Shows a message, then asks again in a loop; the server holds each poll a few seconds (long poll). */
    String waitingScript(MacAddress mac) {
        String poll = endpoints.scriptUrl(mac) + "?poll=1";
        return "#!ipxe\n"
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

    String bootScript(BootImage image, MacAddress mac) {
        String fail = ":failed\n"
                + "echo BootDesk: booting " + image.name() + " failed (${errno}); asking BootDesk again\n"
                + ":wait\n"
                + "chain --autofree " + endpoints.scriptUrl(mac) + "?poll=1 || goto wait\n"
                + "goto wait\n";
        return switch (image.kind()) {
            case LINUX -> {
                StringBuilder s = new StringBuilder("#!ipxe\n");
                s.append("echo BootDesk: ${mac} boots ").append(image.name()).append('\n');
                StringBuilder cmd = new StringBuilder();
                // EFI iPXE before 2020 needs initrd=<name> on the command line to hand the initrd to the EFI stub;
                // BIOS ignores it.
                for (String initrd : image.initrds()) {
                    cmd.append(" initrd=").append(baseName(initrd));
                }
                String cmdline = renderCmdline(image, mac);
                if (!cmdline.isBlank()) {
                    cmd.append(' ').append(cmdline.strip());
                }
                s.append("kernel ").append(endpoints.imageFileUrl(image.name(), image.kernel(), mac))
                        .append(cmd).append(" || goto failed\n");
                for (String initrd : image.initrds()) {
                    s.append("initrd ").append(endpoints.imageFileUrl(image.name(), initrd, mac)).append(" || goto failed\n");
                }
                s.append("boot || goto failed\n").append(fail);
                yield s.toString();
            }
            case EFI -> "#!ipxe\n"
                    + "echo BootDesk: ${mac} boots " + image.name() + "\n"
                    + "chain " + endpoints.imageFileUrl(image.name(), image.kernel(), mac) + " || goto failed\n"
                    + fail;
            case SCRIPT -> Templates.render(image.script(), templateValues(image, mac));
        };
    }

    private String renderCmdline(BootImage image, MacAddress mac) {
        return Templates.render(image.cmdline(), templateValues(image, mac));
    }

    /** The values scripts and command lines may use as {{ name }}. */
    public Map<String, String> templateValues(BootImage image, MacAddress mac) {
        return Map.of(
                "server", endpoints.httpBase(),
                "server_ip", endpoints.serverIp(),
                "mac", mac.toString(),
                "mac_hyphen", mac.hyphenated(),
                "image", image.name(),
                "files", endpoints.httpBase() + "/images/" + image.name(),
                "script_url", endpoints.scriptUrl(mac));
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
