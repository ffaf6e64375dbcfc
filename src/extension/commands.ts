/** Apprentice's commands: restart, select a model file, show the log, settings, and the status bar menu. */
import * as vscode from "vscode";
import { Commands } from "./commandIds";
import type { EngineClient } from "./engineClient";
import { showStatusMenu, type StatusMenuSection } from "./statusMenu";

/** `menuSections`: the features' parts of the status menu. */
export function registerCommands(
    engine: EngineClient,
    log: vscode.LogOutputChannel,
    menuSections: readonly StatusMenuSection[] = []
): vscode.Disposable[] {
    return [
        vscode.commands.registerCommand(Commands.restartEngine, () => engine.restart()),
        vscode.commands.registerCommand(Commands.selectModelFile, () => selectModelFile()),
        vscode.commands.registerCommand(Commands.showLog, () => log.show(true)),
        vscode.commands.registerCommand(Commands.openSettings, () =>
            vscode.commands.executeCommand("workbench.action.openSettings", "apprentice")
        ),
        vscode.commands.registerCommand(Commands.showMenu, () =>
            showStatusMenu(engine.status, menuSections)
        )
    ];
}

/** Lets the user pick a .gguf file and stores it in the user settings. Returns the path or undefined. */
export async function selectModelFile(): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
        canSelectFiles: true,
        canSelectFolders: false,
        canSelectMany: false,
        openLabel: "Use this model",
        title: "Select a GGUF model file",
        filters: { "GGUF models": ["gguf"], "All files": ["*"] }
    });
    const file = picked?.[0];
    if (!file) return undefined;
    await vscode.workspace
        .getConfiguration("apprentice")
        .update("modelPath", file.fsPath, vscode.ConfigurationTarget.Global);
    return file.fsPath;
}
