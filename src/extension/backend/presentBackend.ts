/** What the backend status bar entry shows (pure, so it is unit-tested without VS Code). */
import type { BackendStatus } from "../../shared/backendProtocol";

/** Undefined for the local backend: the entry is shown only while code leaves the machine. */
export function presentBackend(
    status: BackendStatus
): { text: string; tooltip: string; warning: boolean } | undefined {
    if (status.kind === "local" || !status.host) return undefined;
    if (status.usingFallback) {
        return {
            text: `$(cloud-offline) ${status.host} down: local model`,
            tooltip:
                `${status.host} cannot be reached, so the local model answers for now.\n${status.message ?? ""}`.trim(),
            warning: true
        };
    }
    const base = `Code is sent to ${status.host} for completion and chat.`;
    switch (status.health) {
        case "unreachable":
        case "unauthorized":
        case "error":
            return {
                text: `$(cloud) ${status.host} $(warning)`,
                tooltip: `${base}\n${status.message ?? ""}`.trim(),
                warning: true
            };
        default:
            return {
                text: `$(cloud) ${status.host}`,
                tooltip: `${base} Click to check the connection.`,
                warning: false
            };
    }
}
