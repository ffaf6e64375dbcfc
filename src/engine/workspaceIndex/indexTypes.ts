/** The workspace index's shapes, shared by its parts. */
import type { WorkspaceChunk, WorkspaceIndexProgress } from "../../shared/workspaceIndexProtocol";

export interface IndexOptions {
    folders: readonly string[];
    exclude: readonly string[];
    /** Folder for the index file; "" for memory only. */
    storageFolder: string;
}

export interface IndexHooks {
    isSecret(absolutePath: string): boolean;
    onProgress?(progress: WorkspaceIndexProgress): void;
    /** When the user last edited a document (performance.now()); indexing waits while they type. */
    lastEdit?(): number;
    /** Whether an inline completion is being computed; indexing waits until it is answered. */
    completionBusy?(): boolean;
    log?: { info(message: string): void; warn(message: string): void };
}

export interface ChunkData {
    file: string;
    startLine: number;
    endLine: number;
    /** Lower case. */
    declares?: string;
}

export interface FileEntry {
    root: string;
    mtimeMs: number;
    size: number;
    chunkIds: number[];
}

export interface SearchHit extends WorkspaceChunk {
    id: number;
}
