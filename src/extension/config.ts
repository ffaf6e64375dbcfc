/** Reads Apprentice's settings from VS Code and turns them into engine settings. */
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import { normalizeSettings, type EngineSettings } from "../shared/settings";

export const SECTION = "apprentice";

let defaultModelsFolder = "";

/** The models folder when `apprentice.modelsFolder` is empty (set at activation: the extension's global storage). */
export function setDefaultModelsFolder(folder: string): void {
    defaultModelsFolder = folder;
}

export function readEngineSettings(): EngineSettings {
    const config = vscode.workspace.getConfiguration(SECTION);
    return normalizeSettings({
        modelPath: resolveModelPath(config.get<string>("modelPath", "")),
        contextSize: config.get<number>("contextSize", 0),
        threads: config.get<number>("threads", 0),
        gpu: config.get<string>("gpu", "auto"),
        memoryBudgetMB: config.get<number>("memoryBudgetMB", 0),
        secretFilePatterns: readSecretFilePatterns(),
        modelsFolder:
            resolveModelPath(config.get<string>("modelsFolder", "")) || defaultModelsFolder,
        modelMirror: config.get<string>("modelMirror", "")
    });
}

/**
 * `apprentice.secretFilePatterns` from every level together (user, workspace, folder): VS Code lets a
 * workspace's array replace the user's, which would let an opened project take the user's own
 * patterns away. Here a workspace can only add patterns (the built-in ones always apply, secretFiles.ts).
 */
export function readSecretFilePatterns(): string[] {
    const inspected = vscode.workspace
        .getConfiguration(SECTION)
        .inspect<unknown>("secretFilePatterns");
    const levels = [
        inspected?.globalValue,
        inspected?.workspaceValue,
        inspected?.workspaceFolderValue
    ];
    const patterns = levels.flatMap((value) =>
        Array.isArray(value) ? value.filter((p): p is string => typeof p === "string") : []
    );
    return [...new Set(patterns)];
}

/**
 * Expands `~` and `${workspaceFolder}`; a relative path is taken from the first workspace folder.
 * In an untrusted workspace neither `${workspaceFolder}` nor a relative path is expanded (the engine
 * then refuses the path as not absolute): the folder's content must not choose the file that native
 * code parses until the user trusts it.
 */
export function resolveModelPath(raw: string): string {
    let value = raw.trim();
    if (!value) return "";
    if (value === "~" || value.startsWith("~/")) value = path.join(os.homedir(), value.slice(1));
    if (!vscode.workspace.isTrusted) return value;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (folder) value = value.replace(/\$\{workspaceFolder\}/g, folder);
    if (!path.isAbsolute(value) && folder) value = path.join(folder, value);
    return value;
}
