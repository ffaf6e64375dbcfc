/**
 * The workspace code index (`@workspace` in chat) over LSP: the client says which folders to index
 * and where to keep the index; the engine builds it in the background, keeps it up to date from
 * `workspace/didChangeWatchedFiles`, reports progress, and answers searches with chunks of code.
 */
import { NotificationType, RequestType } from "vscode-languageserver-protocol";

export interface WorkspaceIndexConfigureParams {
    /** false: stop indexing and forget the index in memory (the saved file stays until the folder's storage is removed). */
    enabled: boolean;
    /** Absolute paths of the workspace folders to index. */
    folders: string[];
    /** Folder where the index file is kept (the extension's workspace storage); "" keeps it in memory only. */
    storageFolder: string;
    /** Globs of files and folders to leave out (the user's `files.exclude`), relative to a workspace folder. */
    exclude: string[];
    /** Absolute path of an embedding GGUF (`apprentice.workspaceIndex.embeddingModel`); absent or "": words only. */
    embeddingModel?: string;
}

export type WorkspaceIndexState = "off" | "building" | "ready" | "error";

/** Engine → client: how far the index is. */
export interface WorkspaceIndexProgress {
    state: WorkspaceIndexState;
    /** Files looked at so far in this pass, and how many there are in all (0 while still counting). */
    filesDone: number;
    filesTotal: number;
    /** Indexed files and chunks. */
    files: number;
    chunks: number;
    /** true for the first build of a folder (no saved index to start from): the client shows a notification. */
    firstBuild: boolean;
    message?: string;
}

/** The progress of an index that is off (or not started): nothing indexed. */
export const INDEX_OFF: Readonly<WorkspaceIndexProgress> = Object.freeze({
    state: "off",
    filesDone: 0,
    filesTotal: 0,
    files: 0,
    chunks: 0,
    firstBuild: false
});

export interface WorkspaceSearchParams {
    query: string;
    /** Most chunks to return (default 8, at most 50). */
    limit?: number;
    /** Stop adding chunks once their text reaches about this many tokens (default 1500). */
    maxTokens?: number;
}

export interface WorkspaceChunk {
    /** Absolute path of the file. */
    path: string;
    /** Path relative to its workspace folder, with `/`. */
    relativePath: string;
    /** 1-based, inclusive. */
    startLine: number;
    endLine: number;
    text: string;
    languageId: string;
    score: number;
}

export interface WorkspaceSearchResult {
    state: WorkspaceIndexState;
    chunks: WorkspaceChunk[];
    /** Which retrievers took part: "lexical" always, "embedding" when an embedding model is loaded. */
    retrievers: string[];
}

/** Client → engine: (re)configures the index; the engine loads the saved index and updates it in the background. */
export namespace WorkspaceIndexConfigureNotification {
    export const method = "apprentice/workspaceIndex/configure" as const;
    export const type = new NotificationType<WorkspaceIndexConfigureParams>(method);
}

/** Engine → client: progress of a build or an update. */
export namespace WorkspaceIndexProgressNotification {
    export const method = "apprentice/workspaceIndex/progress" as const;
    export const type = new NotificationType<WorkspaceIndexProgress>(method);
}

/** Client → engine: the chunks that best match a question (what the index has so far while it builds). */
export namespace WorkspaceSearchRequest {
    export const method = "apprentice/workspaceIndex/search" as const;
    export const type = new RequestType<WorkspaceSearchParams, WorkspaceSearchResult, void>(method);
}

/** Checks configure params from any client; returns a reason when they are malformed. */
export function validateConfigureParams(params: unknown): string | undefined {
    if (typeof params !== "object" || params === null) return "params must be an object";
    const p = params as Partial<WorkspaceIndexConfigureParams>;
    if (typeof p.enabled !== "boolean") return "enabled must be a boolean";
    if (!Array.isArray(p.folders) || p.folders.some((f) => typeof f !== "string"))
        return "folders must be an array of strings";
    if (typeof p.storageFolder !== "string") return "storageFolder must be a string";
    if (!Array.isArray(p.exclude) || p.exclude.some((f) => typeof f !== "string"))
        return "exclude must be an array of strings";
    if (p.embeddingModel !== undefined && typeof p.embeddingModel !== "string")
        return "embeddingModel must be a string";
    return undefined;
}
