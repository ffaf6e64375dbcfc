/** The status bar entry: follows the engine's state; a click opens Apprentice's menu. */
import * as vscode from "vscode";
import { describeStatus } from "../shared/status";
import type { ClientStatus, EngineClient } from "./engineClient";
import { Commands } from "./commandIds";
import { statusHover } from "./acceleration/hover";

export function presentStatus(status: ClientStatus): {
    text: string;
    tooltip: string;
    error: boolean;
    warning: boolean;
} {
    switch (status.state) {
        case "stopped":
            return {
                text: "$(error) Apprentice",
                tooltip: status.message,
                error: true,
                warning: false
            };
        case "crashed":
            return {
                text: "$(sync~spin) Apprentice",
                tooltip: status.message,
                error: false,
                warning: true
            };
        case "starting":
            return {
                text: "$(sync~spin) Apprentice",
                tooltip: describeStatus(status),
                error: false,
                warning: false
            };
        case "loading":
            return {
                text: `$(sync~spin) Apprentice ${Math.round(status.progress * 100)}%`,
                tooltip: `Loading ${status.modelPath}`,
                error: false,
                warning: false
            };
        case "noModel":
            return {
                text: "$(circle-slash) Apprentice: no model",
                tooltip: `${status.message} Click to choose or download a model.`,
                error: false,
                warning: true
            };
        case "ready":
            return {
                text: "$(sparkle) Apprentice",
                tooltip: `Ready: ${describeStatus(status)}${status.model.note ? `\n${status.model.note}` : ""}`,
                error: false,
                warning: false
            };
        case "error":
            return {
                text: "$(error) Apprentice",
                tooltip: `${status.message}\n${status.action}`,
                error: true,
                warning: false
            };
    }
}

export class StatusBar implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem(
        "apprentice.status",
        vscode.StatusBarAlignment.Right,
        100
    );
    private readonly subscription: vscode.Disposable;

    constructor(engine: EngineClient) {
        this.item.name = "Apprentice";
        this.item.command = Commands.showMenu;
        this.update(engine.status);
        this.subscription = engine.onDidChangeStatus((status) => this.update(status));
        this.item.show();
    }

    private update(status: ClientStatus): void {
        const view = presentStatus(status);
        this.item.text = view.text;
        this.item.tooltip = statusHover(status, view.tooltip);
        // Without a model the one useful click is choosing (or downloading) one.
        this.item.command = status.state === "noModel" ? Commands.chooseModel : Commands.showMenu;
        this.item.backgroundColor = view.error
            ? new vscode.ThemeColor("statusBarItem.errorBackground")
            : view.warning
              ? new vscode.ThemeColor("statusBarItem.warningBackground")
              : undefined;
    }

    dispose(): void {
        this.subscription.dispose();
        this.item.dispose();
    }
}
