/** A status bar entry shown only while code leaves the machine: says to which host, and whether it answers. */
import * as vscode from "vscode";
import type { BackendStatus } from "../../shared/backendProtocol";
import { Commands } from "../commandIds";
import { presentBackend } from "./presentBackend";

export class BackendStatusItem implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem(
        "apprentice.backend",
        vscode.StatusBarAlignment.Right,
        99
    );

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
        this.item.backgroundColor = view.warning
            ? new vscode.ThemeColor("statusBarItem.warningBackground")
            : undefined;
        this.item.show();
    }

    dispose(): void {
        this.item.dispose();
    }
}
