/** A status bar entry shown only while code leaves the machine: says to which host, and whether it answers. */
import * as vscode from "vscode";
import type { BackendStatus } from "../../shared/backendProtocol";
import { Commands } from "../commandIds";

export function presentBackend(status: BackendStatus): { text: string; tooltip: string; warning: boolean } | undefined {
    if (status.kind === "local" || !status.host) return undefined;
    if (status.usingFallback) {
        return { text: `$(cloud-offline) ${status.host} down: local model`, tooltip: `${status.host} cannot be reached, so the local model answers for now.\n${status.message ?? ""}`.trim(), warning: true };
    }
    const base = `Code is sent to ${status.host} for completion and chat.`;
    switch (status.health) {
        case "unreachable": case "unauthorized": case "error":
            return { text: `$(cloud) ${status.host} $(warning)`, tooltip: `${base}\n${status.message ?? ""}`.trim(), warning: true };
        default:
            return { text: `$(cloud) ${status.host}`, tooltip: `${base} Click to check the connection.`, warning: false };
    }
}

export class BackendStatusItem implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem("apprentice.backend", vscode.StatusBarAlignment.Right, 99);

    constructor() {
        this.item.name = "Apprentice Backend";
        this.item.command = Commands.checkBackend;
    }

    update(status: BackendStatus): void {
        const view = presentBackend(status);
        if (!view) {
            this.item.hide();
            return;
        }
        this.item.text = view.text;
        this.item.tooltip = view.tooltip;
        this.item.backgroundColor = view.warning ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
        this.item.show();
    }

    dispose(): void {
        this.item.dispose();
    }
}
