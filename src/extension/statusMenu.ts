/**
 * The status bar menu (Apprentice: Show Menu): what the engine is doing and which model it has,
 * then each feature's own section (inline completion: its on/off toggle and its stats), then actions.
 */
import * as vscode from "vscode";
import { describeStatus } from "../shared/status";
import { Commands } from "./commandIds";
import type { ClientStatus } from "./engineClient";

export interface StatusMenuItem extends vscode.QuickPickItem {
    /** The command a pick runs; none for a separator. */
    command?: string;
    args?: unknown[];
}

/** A feature's part of the menu, read each time the menu opens (so it shows the current state). */
export interface StatusMenuSection {
    readonly title: string;
    items(): StatusMenuItem[];
}

const separator = (label: string): StatusMenuItem => ({
    label,
    kind: vscode.QuickPickItemKind.Separator
});

/** The engine's state and the model, first in the menu. */
export function engineItems(status: ClientStatus): StatusMenuItem[] {
    const state = ((): StatusMenuItem => {
        switch (status.state) {
            case "ready":
                return {
                    label: "$(pass-filled) Ready",
                    description: describeStatus(status).replace(`${status.model.name} · `, ""),
                    detail: status.model.note
                };
            case "starting":
                return { label: "$(sync~spin) Starting the engine…" };
            case "loading":
                return {
                    label: `$(sync~spin) Loading the model… ${Math.round(status.progress * 100)}%`,
                    description: status.modelPath
                };
            case "noModel":
                return { label: "$(circle-slash) No model", description: status.message };
            case "error":
                return {
                    label: "$(error) Error",
                    description: status.message,
                    detail: status.action
                };
            case "crashed":
                return {
                    label: "$(sync~spin) Restarting the engine…",
                    description: status.message
                };
            case "stopped":
                return { label: "$(error) Stopped", description: status.message };
        }
    })();
    const model =
        status.state === "ready"
            ? status.model.name
            : status.state === "loading" || status.state === "error"
              ? (status.modelPath.split(/[\\/]/).pop() ?? "")
              : "none";
    return [
        { ...state, command: Commands.showLog },
        {
            label: `$(chip) Model: ${model}`,
            description: "Choose Model…",
            command: Commands.chooseModel
        }
    ];
}

const ACTIONS: StatusMenuItem[] = [
    { label: "$(debug-restart) Restart Engine", command: Commands.restartEngine },
    { label: "$(file) Select Model File…", command: Commands.selectModelFile },
    { label: "$(trash) Delete a Downloaded Model…", command: Commands.deleteModel },
    { label: "$(gear) Open Settings", command: Commands.openSettings },
    { label: "$(output) Show Log", command: Commands.showLog }
];

/** Every row of the menu, in order (separators included). */
export function statusMenuItems(
    status: ClientStatus,
    sections: readonly StatusMenuSection[]
): StatusMenuItem[] {
    return [
        separator("Engine"),
        ...engineItems(status),
        ...sections.flatMap((s) => [separator(s.title), ...s.items()]),
        separator("Actions"),
        ...ACTIONS
    ];
}

export async function showStatusMenu(
    status: ClientStatus,
    sections: readonly StatusMenuSection[]
): Promise<void> {
    const choice = await vscode.window.showQuickPick(statusMenuItems(status, sections), {
        title: "Apprentice",
        matchOnDescription: true
    });
    if (choice?.command)
        await vscode.commands.executeCommand(choice.command, ...(choice.args ?? []));
}
