/**
 * Engine settings: what the extension sends in `initializationOptions` and
 * later with `workspace/didChangeConfiguration`. Imported by all sides.
 */

export type GpuMode = "auto" | "off" | "cuda" | "vulkan" | "metal";

export const GPU_MODES: readonly GpuMode[] = ["auto", "off", "cuda", "vulkan", "metal"];

export interface EngineSettings {
    /** Absolute path of a GGUF file, or "" when none is configured. */
    modelPath: string;
    /** Context size in tokens; 0 lets the engine pick what fits the memory budget. */
    contextSize: number;
    /** CPU threads for inference; 0 means "from the core count". */
    threads: number;
    gpu: GpuMode;
    /** Upper bound for model + context memory in MiB; 0 means "from the machine's RAM". */
    memoryBudgetMB: number;
    /** Extra globs of files never used as model context, added to DEFAULT_SECRET_FILE_PATTERNS (secretFiles.ts). */
    secretFilePatterns: string[];
    /** Folder that holds downloaded models; "" when the client gave none. */
    modelsFolder: string;
    /** Base URL that replaces https://huggingface.co for downloads (a company mirror); "" for Hugging Face. */
    modelMirror: string;
}

export const DEFAULT_SETTINGS: EngineSettings = {
    modelPath: "",
    contextSize: 0,
    threads: 0,
    gpu: "auto",
    memoryBudgetMB: 0,
    secretFilePatterns: [],
    modelsFolder: "",
    modelMirror: ""
};

/** Settings whose change needs a new engine process (the native backend is chosen once per process). */
export const RESTART_KEYS: readonly (keyof EngineSettings)[] = ["gpu"];

/** Settings whose change makes the engine load the model again. */
export const RELOAD_KEYS: readonly (keyof EngineSettings)[] = [
    "modelPath",
    "contextSize",
    "threads",
    "memoryBudgetMB"
];

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function intIn(value: unknown, min: number, max: number, fallback: number): number {
    if (typeof value !== "number" || !Number.isFinite(value)) return fallback;
    return Math.min(max, Math.max(min, Math.round(value)));
}

/** Turns untrusted input (JSON from a client) into complete, valid settings. */
export function normalizeSettings(
    input: unknown,
    base: EngineSettings = DEFAULT_SETTINGS
): EngineSettings {
    if (!isRecord(input)) return { ...base };
    const gpu =
        typeof input.gpu === "string" && (GPU_MODES as readonly string[]).includes(input.gpu)
            ? (input.gpu as GpuMode)
            : base.gpu;
    return {
        modelPath: typeof input.modelPath === "string" ? input.modelPath.trim() : base.modelPath,
        contextSize: intIn(input.contextSize, 0, 1 << 20, base.contextSize),
        threads: intIn(input.threads, 0, 256, base.threads),
        gpu,
        memoryBudgetMB: intIn(input.memoryBudgetMB, 0, 1 << 24, base.memoryBudgetMB),
        secretFilePatterns: Array.isArray(input.secretFilePatterns)
            ? input.secretFilePatterns
                  .filter((p): p is string => typeof p === "string")
                  .slice(0, 1000)
            : base.secretFilePatterns,
        modelsFolder:
            typeof input.modelsFolder === "string" ? input.modelsFolder.trim() : base.modelsFolder,
        modelMirror:
            typeof input.modelMirror === "string" &&
            (input.modelMirror.trim() === "" || /^https?:\/\//i.test(input.modelMirror.trim()))
                ? input.modelMirror.trim()
                : base.modelMirror
    };
}

/** Keys whose values differ between two settings objects. */
export function changedKeys(a: EngineSettings, b: EngineSettings): (keyof EngineSettings)[] {
    return (Object.keys(a) as (keyof EngineSettings)[]).filter(
        (key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])
    );
}
