/**
 * Download a catalog model and put it to use: a chat/completion model becomes
 * `apprentice.modelPath`, an embedding-only model `apprentice.workspaceIndex.embeddingModel`. A
 * failed download offers Retry, and the retry goes through the same steps, so it stores the file in
 * the same setting as the first try would have. No VS Code API here: the feature passes its steps in.
 */
import type { CatalogEntry } from "../../shared/catalog";
import type { CatalogItem } from "../../shared/modelsProtocol";
import { settingFor } from "./modelSetting";

export type FailureChoice = "Retry" | "Show Log" | undefined;

export interface InstallSteps {
    /** Downloads the model; resolves to its file, or undefined when the user cancelled; rejects when it failed. */
    download(item: CatalogItem): Promise<string | undefined>;
    /** Shows why the download failed and resolves with what the user chose. */
    showFailure(message: string): Promise<FailureChoice>;
    showLog(): void;
    useChatModel(file: string): Promise<void>;
    useEmbeddingModel(file: string): Promise<void>;
}

/** Stores a model file in the setting its role asks for. */
export function useModelFile(
    entry: CatalogEntry,
    file: string,
    steps: InstallSteps
): Promise<void> {
    return settingFor(entry) === "modelPath"
        ? steps.useChatModel(file)
        : steps.useEmbeddingModel(file);
}

/** The words for a failed download; undefined when the user cancelled it. */
export function describeDownloadError(error: unknown): string | undefined {
    const data = (error as { data?: { code?: string; action?: string } } | undefined)?.data;
    if (data?.code === "cancelled") return undefined;
    const message = error instanceof Error ? error.message : String(error);
    return `${message} ${data?.action ?? ""}`.trim();
}

/** Downloads the model and uses it; after a failure, as often as the user chooses Retry. Resolves with the file used. */
export async function downloadAndUse(
    item: CatalogItem,
    steps: InstallSteps
): Promise<string | undefined> {
    let file: string | undefined;
    try {
        file = await steps.download(item);
    } catch (error) {
        const message = describeDownloadError(error);
        if (message === undefined) return undefined;
        const choice = await steps.showFailure(message);
        if (choice === "Show Log") steps.showLog();
        return choice === "Retry" ? downloadAndUse(item, steps) : undefined;
    }
    if (file) await useModelFile(item.entry, file, steps);
    return file;
}
