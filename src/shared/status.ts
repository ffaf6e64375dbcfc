/** The engine's state, as reported by the `apprentice/status` notification. */

export interface ModelFacts {
    /** File name shown to the user. */
    name: string;
    path: string;
    architecture: string;
    /** Context size in tokens actually allocated. */
    contextSize: number;
    trainContextSize: number;
    /** "cpu" or the GPU backend in use. */
    device: "cpu" | "cuda" | "vulkan" | "metal";
    /** Names of the GPU devices, when one is used. */
    gpuNames: string[];
    gpuLayers: number;
    /** The model's layer count (`gpuLayers` of them are on the GPU). */
    totalLayers?: number;
    /** An NVIDIA GPU is there and the CUDA build is not: the status bar offers to download it. */
    cudaOffer?: boolean;
    threads: number;
    sizeBytes: number;
    /** Whether the model has fill-in-the-middle tokens (inline completion). */
    fim: boolean;
    /** Whether the GGUF carries a chat template. */
    chatTemplate: boolean;
    loadMs: number;
    /** What runs where, for the user: "All 28 layers on the CUDA GPU.", or why the CPU is used. */
    note?: string;
}

export type EngineErrorCode =
    | "fileNotFound"
    | "notAFile"
    | "unreadable"
    | "notGguf"
    | "corrupt"
    | "truncated"
    | "unsupportedArchitecture"
    | "tooBig"
    | "backendFailed"
    | "loadFailed";

export type EngineStatus =
    | { state: "starting" }
    | { state: "noModel"; message: string }
    | { state: "loading"; modelPath: string; progress: number }
    | { state: "ready"; model: ModelFacts }
    | { state: "error"; code: EngineErrorCode; modelPath: string; message: string; action: string };

export type EngineState = EngineStatus["state"];

/** One line for a status bar or a log. */
export function describeStatus(status: EngineStatus): string {
    switch (status.state) {
        case "starting":
            return "Starting engine…";
        case "noModel":
            return "No model configured";
        case "loading":
            return `Loading model ${Math.round(status.progress * 100)}%`;
        case "ready": {
            const m = status.model;
            const device =
                m.device === "cpu"
                    ? `CPU, ${m.threads} ${m.threads === 1 ? "thread" : "threads"}`
                    : `${m.device.toUpperCase()} ${m.gpuNames.join(", ")}`.trim();
            return `${m.name} · ctx ${m.contextSize} · ${device}`;
        }
        case "error":
            return `${status.message} ${status.action}`.trim();
    }
}
