/** Text for the model picker and the download notification. Pure. */
import type { CatalogItem, DownloadProgress } from "../../shared/modelsProtocol";

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

const FIT_TEXT = { fits: "fits", tight: "tight fit", tooBig: "too big" } as const;
const SPEED_TEXT = { fast: "fast", usable: "usable", slow: "slow" } as const;

export function describeItem(item: CatalogItem): { label: string; description: string; detail: string } {
    const { entry, assessment } = item;
    const icon = item.installed ? "$(check)" : item.recommendedFor.length > 0 ? "$(star-full)" : assessment.fit === "tooBig" ? "$(circle-slash)" : "$(cloud-download)";
    const recommended = item.recommendedFor.length > 0 ? `Recommended for ${item.recommendedFor.join(" and ")}. ` : "";
    return {
        label: `${icon} ${entry.name}`,
        description: `${formatSize(entry.sizeBytes)} · ${FIT_TEXT[assessment.fit]} · ${SPEED_TEXT[assessment.speed]} (~${Math.round(assessment.tokensPerSecond)} tokens/s${assessment.device === "cpu" ? "" : ` on ${assessment.device === "gpu" ? "GPU" : "GPU + CPU"}`})${item.installed ? " · installed" : ""}`,
        detail: `${recommended}${entry.roles.includes("completion") ? "Inline completion and chat" : "Chat"}. Needs about ${formatSize(assessment.memoryBytes)} of memory.`
    };
}

export function describeProgress(p: DownloadProgress): string {
    const total = p.totalBytes > 0 ? ` of ${formatSize(p.totalBytes)}` : "";
    const speed = p.bytesPerSecond > 0 ? ` · ${formatSize(p.bytesPerSecond)}/s` : "";
    const eta = p.etaSeconds !== undefined && p.etaSeconds > 0 ? ` · ${formatDuration(p.etaSeconds)} left` : "";
    return `${formatSize(p.receivedBytes)}${total}${speed}${eta}`;
}
