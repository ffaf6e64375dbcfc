/** The `apprentice.completion.*` settings. */
import * as vscode from "vscode";
import { COMPLETION_DEFAULTS, type CompletionOptions } from "../../shared/completionProtocol";

export interface CompletionSettings {
    enabled: boolean;
    /** Language ids with completion turned off. */
    disabledLanguages: string[];
    /** Tell the engine where the cursor rests (apprentice.completion.prefetch). */
    prefetch: boolean;
    options: Partial<CompletionOptions>;
}

export function readCompletionSettings(): CompletionSettings {
    const config = vscode.workspace.getConfiguration("apprentice.completion");
    return {
        enabled: config.get<boolean>("enabled", true),
        disabledLanguages: config.get<string[]>("disabledLanguages", [
            "plaintext",
            "markdown",
            "scminput"
        ]),
        prefetch: config.get<boolean>("prefetch", true),
        options: {
            maxLines: config.get<number>("maxLines", COMPLETION_DEFAULTS.maxLines),
            maxTokens: config.get<number>("maxTokens", COMPLETION_DEFAULTS.maxTokens),
            minConfidence: config.get<number>("minConfidence", COMPLETION_DEFAULTS.minConfidence)
        }
    };
}

export async function toggleCompletion(): Promise<boolean> {
    const config = vscode.workspace.getConfiguration("apprentice.completion");
    const next = !config.get<boolean>("enabled", true);
    await config.update("enabled", next, vscode.ConfigurationTarget.Global);
    return next;
}
