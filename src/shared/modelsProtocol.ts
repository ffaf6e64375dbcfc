/** `apprentice/models/*`: the catalog, the recommendation, downloads and installed models. */
import { NotificationType, RequestType, RequestType0 } from "vscode-languageserver-protocol";
import type { CatalogEntry, ModelRole } from "./catalog";

/** The machine as the engine sees it. */
export interface MachineProfile {
    cores: number;
    totalRamBytes: number;
    freeRamBytes: number;
    /** "cpu" when no GPU backend is in use. */
    gpu: "cpu" | "cuda" | "vulkan" | "metal";
    gpuNames: string[];
    vramBytes: number;
    /** Apple silicon and other systems where GPU and CPU share memory. */
    unifiedMemory: boolean;
}

/** fits: comfortably within the memory budget; tight: fits but leaves little; tooBig: refused. */
export type Fit = "fits" | "tight" | "tooBig";
/** Expected generation speed: fast ≥ 25 tokens/s, usable ≥ 8, slow below. */
export type SpeedClass = "fast" | "usable" | "slow";

export interface Assessment {
    fit: Fit;
    speed: SpeedClass;
    /** Rough generation speed estimate from memory bandwidth, tokens per second. */
    tokensPerSecond: number;
    /** Memory needed at the default context (4096 tokens, two sequences). */
    memoryBytes: number;
    /** Where it would run. */
    device: "cpu" | "gpu" | "partial";
}

export interface Recommendation {
    completion: string | undefined;
    chat: string | undefined;
    /** Whether both recommended models can be loaded at the same time. */
    bothFit: boolean;
    /** One sentence explaining the choice. */
    reason: string;
}

export interface InstalledModel {
    fileName: string;
    path: string;
    sizeBytes: number;
    /** The catalog entry stored under this name, if any. */
    catalogId?: string;
    /** sha256 recorded when it was downloaded, if it was. */
    sha256?: string;
}

export interface CatalogItem {
    entry: CatalogEntry;
    assessment: Assessment;
    recommendedFor: ModelRole[];
    installed: boolean;
}

export interface ModelsList {
    folder: string;
    machine: MachineProfile;
    recommendation: Recommendation;
    /** Recommended first, then by fit and size. */
    catalog: CatalogItem[];
    installed: InstalledModel[];
    /** Partial downloads that can be resumed. */
    partial: { fileName: string; bytes: number }[];
}

export type DownloadErrorCode =
    | "offline"
    | "interrupted"
    | "notFound"
    | "httpError"
    | "diskFull"
    | "checksumMismatch"
    | "sizeMismatch"
    | "notGguf"
    | "insecureUrl"
    | "cancelled"
    | "busy"
    | "unknownModel"
    | "noFolder"
    | "ioError";

export interface DownloadParams {
    id: string;
}
export interface DownloadResult {
    path: string;
    sha256: string;
    bytes: number;
    resumedFrom: number;
    ms: number;
}
export interface DownloadProgress {
    id: string;
    receivedBytes: number;
    totalBytes: number;
    bytesPerSecond: number;
    etaSeconds: number | undefined;
}

export namespace ModelsListRequest {
    export const method = "apprentice/models/list" as const;
    export const type = new RequestType0<ModelsList, void>(method);
}
export namespace ModelsRecommendRequest {
    export const method = "apprentice/models/recommend" as const;
    export const type = new RequestType0<
        { machine: MachineProfile; recommendation: Recommendation },
        void
    >(method);
}
/** Downloads a catalog model into the models folder. Errors carry `data: { code: DownloadErrorCode }`. */
export namespace ModelsDownloadRequest {
    export const method = "apprentice/models/download" as const;
    export const type = new RequestType<
        DownloadParams,
        DownloadResult,
        { code: DownloadErrorCode }
    >(method);
}
export namespace ModelsDownloadProgressNotification {
    export const method = "apprentice/models/downloadProgress" as const;
    export const type = new NotificationType<DownloadProgress>(method);
}
export namespace ModelsCancelDownloadRequest {
    export const method = "apprentice/models/cancelDownload" as const;
    export const type = new RequestType<DownloadParams, { cancelled: boolean }, void>(method);
}
/** Deletes an installed model (or a partial download) by file name, inside the models folder only. */
export namespace ModelsDeleteRequest {
    export const method = "apprentice/models/delete" as const;
    export const type = new RequestType<
        { fileName: string },
        { deleted: boolean; freedBytes: number },
        void
    >(method);
}
/** Loads an installed catalog model (by id) or a GGUF file (by path) in the engine. */
export namespace ModelsUseRequest {
    export const method = "apprentice/models/use" as const;
    export const type = new RequestType<
        { id?: string; path?: string },
        { modelPath: string },
        void
    >(method);
}
