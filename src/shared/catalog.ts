/**
 * The model catalog (data in catalog.json) and the arithmetic on its entries: download URLs,
 * memory needed at a context size. Pure; used by the engine and the extension.
 */
import catalogJson from "./catalog.json";

export type ModelRole = "completion" | "chat" | "embedding";

export interface CatalogEntry {
    id: string;
    name: string;
    description: string;
    family: string;
    /** `<org>/<repo>/<file>` on Hugging Face. */
    hf: string;
    /** Approximate size on disk (display, estimates; a download more than 5% away is refused). */
    sizeBytes: number;
    /** Exact size in bytes where verified (a download of another size is refused), else null. */
    exactBytes: number | null;
    /** Lower-case hex sha256 of the file, or null when not known in advance. */
    sha256: string | null;
    /** Parameters in billions. */
    params: number;
    quantization: string;
    roles: ModelRole[];
    /** Fill-in-the-middle tokens (needed for inline completion). */
    fim: boolean;
    /** KV cache bytes per token of context (f16), per sequence. */
    kvBytesPerToken: number;
    trainContextSize: number;
    /** For an embedding model: text put before a question and before a document, as its card asks. */
    embedding?: { queryPrefix: string; documentPrefix: string };
}

export const HUGGING_FACE = "https://huggingface.co";

export const CATALOG: readonly CatalogEntry[] = (catalogJson.entries as CatalogEntry[]).map(
    (entry) => Object.freeze({ ...entry })
);

export function findEntry(id: string): CatalogEntry | undefined {
    return CATALOG.find((entry) => entry.id === id);
}

/** The file name the model is stored under in the models folder. */
export function entryFileName(entry: CatalogEntry): string {
    return entry.hf.slice(entry.hf.lastIndexOf("/") + 1);
}

/** The URI node-llama-cpp understands (`hf:<org>/<repo>/<file>`). */
export function hfUri(entry: CatalogEntry): string {
    return `hf:${entry.hf}`;
}

/** Download URL on Hugging Face, or on a mirror that serves the same paths (`<base>/<org>/<repo>/resolve/main/<file>`). */
export function downloadUrl(entry: CatalogEntry, mirror = ""): string {
    const base = (mirror.trim() || HUGGING_FACE).replace(/\/+$/, "");
    const parts = entry.hf.split("/");
    const repo = parts.slice(0, 2).join("/");
    const file = parts.slice(2).map(encodeURIComponent).join("/");
    return `${base}/${repo}/resolve/main/${file}`;
}

/** Compute buffers and runtime overhead on top of weights and KV cache. */
const OVERHEAD_BYTES = 200 * 1024 * 1024;

/** Memory the model needs with `sequences` sequences of `contextSize` tokens each. */
export function memoryNeeded(entry: CatalogEntry, contextSize: number, sequences = 2): number {
    return entry.sizeBytes + entry.kvBytesPerToken * contextSize * sequences + OVERHEAD_BYTES;
}
