/** Text and order for the model picker and the download notification. Pure. */
import type {
    CatalogItem,
    DownloadProgress,
    Fit,
    MachineProfile
} from "../../shared/modelsProtocol";

export function formatSize(bytes: number): string {
    if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
    if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
    return `${Math.round(bytes / 1e3)} KB`;
}

export function formatDuration(seconds: number): string {
    if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
    if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
    return `${(seconds / 3600).toFixed(1)} h`;
}

/** "< 1 token/s" below one, "~1 token/s", "~12 tokens/s". */
export function formatSpeed(tokensPerSecond: number): string {
    if (tokensPerSecond < 1) return "< 1 token/s";
    const rounded = Math.round(tokensPerSecond);
    return `~${rounded} ${rounded === 1 ? "token" : "tokens"}/s`;
}

const FIT_ORDER: Record<Fit, number> = { fits: 0, tight: 1, tooBig: 2 };

/** The picker's order: the recommended models first, then what fits before what is tight or too big, smaller first. */
export function pickerOrder(items: readonly CatalogItem[]): CatalogItem[] {
    const recommended = (item: CatalogItem) =>
        (item.recommendedFor.includes("completion") ? 2 : 0) +
        (item.recommendedFor.includes("chat") ? 1 : 0);
    return [...items].sort(
        (a, b) =>
            recommended(b) - recommended(a) ||
            FIT_ORDER[a.assessment.fit] - FIT_ORDER[b.assessment.fit] ||
            a.entry.sizeBytes - b.entry.sizeBytes
    );
}

/** A short summary of the machine for the picker's catalog heading, e.g. "24 GiB RAM, 2 CPU cores". */
export function describeMachine(machine: MachineProfile): string {
    const ram = `${Math.round(machine.totalRamBytes / 1024 ** 3)} GiB RAM`;
    const cores = `${machine.cores} CPU ${machine.cores === 1 ? "core" : "cores"}`;
    if (machine.gpu === "cpu") return `${ram}, ${cores}`;
    const gpu = machine.gpuNames[0] ?? machine.gpu.toUpperCase();
    return machine.unifiedMemory
        ? `${ram}, ${gpu}`
        : `${ram}, ${gpu} with ${Math.round(machine.vramBytes / 1024 ** 3)} GiB`;
}

const FIT_TEXT = { fits: "fits", tight: "tight fit", tooBig: "too big" } as const;
const SPEED_TEXT = { fast: "fast", usable: "usable", slow: "slow" } as const;

export function describeItem(item: CatalogItem): {
    label: string;
    description: string;
    detail: string;
} {
    const { entry, assessment } = item;
    const icon = item.installed
        ? "$(check)"
        : item.recommendedFor.length > 0
          ? "$(star-full)"
          : assessment.fit === "tooBig"
            ? "$(circle-slash)"
            : "$(cloud-download)";
    const recommended =
        item.recommendedFor.length > 0
            ? `Recommended for ${item.recommendedFor.join(" and ")}. `
            : "";
    return {
        label: `${icon} ${entry.name}`,
        description: `${formatSize(entry.sizeBytes)} · ${FIT_TEXT[assessment.fit]} · ${SPEED_TEXT[assessment.speed]} (${formatSpeed(assessment.tokensPerSecond)}${assessment.device === "cpu" ? "" : ` on ${assessment.device === "gpu" ? "GPU" : "GPU + CPU"}`})${item.installed ? " · installed" : ""}`,
        detail: `${recommended}${entry.roles.includes("completion") ? "Inline completion and chat" : entry.roles.includes("chat") ? "Chat" : "Embeddings for @workspace search (not a chat model)"}. Needs about ${formatSize(assessment.memoryBytes)} of memory.`
    };
}

export function describeProgress(p: DownloadProgress): string {
    const total = p.totalBytes > 0 ? ` of ${formatSize(p.totalBytes)}` : "";
    const speed = p.bytesPerSecond > 0 ? ` · ${formatSize(p.bytesPerSecond)}/s` : "";
    const eta =
        p.etaSeconds !== undefined && p.etaSeconds > 0
            ? ` · ${formatDuration(p.etaSeconds)} left`
            : "";
    return `${formatSize(p.receivedBytes)}${total}${speed}${eta}`;
}
