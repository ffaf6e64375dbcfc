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
        secretFilePatterns: config.get<string[]>("secretFilePatterns", []),
        modelsFolder: resolveModelPath(config.get<string>("modelsFolder", "")) || defaultModelsFolder,
        modelMirror: config.get<string>("modelMirror", "")
    });
}

/** Expands `~` and `${workspaceFolder}`; a relative path is taken from the first workspace folder. */
export function resolveModelPath(raw: string): string {
    let value = raw.trim();
    if (!value) return "";
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (value === "~" || value.startsWith("~/")) value = path.join(os.homedir(), value.slice(1));
    if (folder) value = value.replace(/\$\{workspaceFolder\}/g, folder);
    if (!path.isAbsolute(value) && folder) value = path.join(folder, value);
    return value;
}
