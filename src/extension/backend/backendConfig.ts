/**
 * Reads `apprentice.backend.*`. Only the user's own settings count (the settings are machine-scoped
 * and workspace values are ignored), so an opened project cannot send code to a server of its choosing.
 */
import * as vscode from "vscode";
import {
    DEFAULT_BACKEND,
    normalizeBackendSettings,
    type BackendSettings
} from "../../shared/backend";

export const BACKEND_SECTION = "apprentice.backend";

export function readBackendSettings(): BackendSettings {
    const config = vscode.workspace.getConfiguration(BACKEND_SECTION);
    const user = <T>(key: keyof BackendSettings): T | undefined => {
        const inspected = config.inspect<T>(key);
        return inspected?.globalValue ?? inspected?.defaultValue;
    };
    return normalizeBackendSettings({
        kind: user("kind") ?? DEFAULT_BACKEND.kind,
        url: user("url") ?? "",
        model: user("model") ?? "",
        fimTemplate: user("fimTemplate") ?? DEFAULT_BACKEND.fimTemplate,
        timeoutMs: user("timeoutMs") ?? DEFAULT_BACKEND.timeoutMs,
        fallbackToLocal: user("fallbackToLocal") ?? DEFAULT_BACKEND.fallbackToLocal
    });
}
