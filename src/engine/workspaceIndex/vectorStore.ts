/**
 * The embeddings of the index's chunks: unit-length vectors in memory (cosine similarity is a dot
 * product), searched exhaustively, and their file next to the index file. A chunk's vector is
 * stored under the chunk's file, that file's size and time and the chunk's lines, so that after a
 * restart only chunks of changed files are embedded again; vectors of another model are dropped.
 */
import { readFile } from "node:fs/promises";
import { DamagedIndexError, writeIndexFile } from "./indexStore";

export const VECTORS_FILE_NAME = "workspace-embeddings.bin";
const MAGIC = "APPRENTICE-EMBEDDINGS\n";
const VERSION = 1;

/** Scales a vector to unit length (a zero vector stays zero). */
export function normalize(vector: ArrayLike<number>): Float32Array {
    const out = Float32Array.from(vector);
    let sum = 0;
    for (const v of out) sum += v * v;
    const norm = Math.sqrt(sum);
    if (norm > 0) for (let i = 0; i < out.length; i++) out[i] /= norm;
    return out;
}

export class VectorStore {
    private readonly vectors = new Map<number, Float32Array>();

    get size(): number {
        return this.vectors.size;
    }
    has(id: number): boolean {
        return this.vectors.has(id);
    }
    get(id: number): Float32Array | undefined {
        return this.vectors.get(id);
    }
    set(id: number, vector: Float32Array): void {
        this.vectors.set(id, vector);
    }
    delete(id: number): void {
        this.vectors.delete(id);
    }
    clear(): void {
        this.vectors.clear();
    }

    /** The `limit` chunks most similar to a unit-length query vector, best first. */
    search(query: Float32Array, limit: number): { id: number; score: number }[] {
        const top: { id: number; score: number }[] = [];
        for (const [id, vector] of this.vectors) {
            if (vector.length !== query.length) continue;
            let score = 0;
            for (let i = 0; i < vector.length; i++) score += vector[i] * query[i];
            if (top.length < limit) {
                top.push({ id, score });
                if (top.length === limit) top.sort((a, b) => b.score - a.score);
                continue;
            }
            if (score <= top[top.length - 1].score) continue;
            let at = top.length - 1;
            while (at > 0 && top[at - 1].score < score) at--;
            top.splice(at, 0, { id, score });
            top.pop();
        }
        return top.sort((a, b) => b.score - a.score);
    }
}

export interface StoredVectors {
    /** Which model made them (its path, size and time). */
    model: string;
    dims: number;
    /** Chunk keys (see `chunkKey`) and their vectors, in the same order. */
    keys: string[];
    vectors: Float32Array[];
}

/** The key a chunk's vector is stored under. */
export function chunkKey(
    file: string,
    mtimeMs: number,
    size: number,
    startLine: number,
    endLine: number
): string {
    return `${file}\n${mtimeMs}\n${size}\n${startLine}\n${endLine}`;
}

/** `MAGIC`, one line of JSON (version, model, dims, keys), then the vectors as little-endian float32. */
export function encodeVectors(stored: StoredVectors): Buffer {
    const header = Buffer.from(
        `${MAGIC}${JSON.stringify({ version: VERSION, model: stored.model, dims: stored.dims, keys: stored.keys })}\n`,
        "utf8"
    );
    const body = Buffer.alloc(stored.keys.length * stored.dims * 4);
    stored.vectors.forEach((vector, i) => {
        for (let d = 0; d < stored.dims; d++)
            body.writeFloatLE(vector[d] ?? 0, (i * stored.dims + d) * 4);
    });
    return Buffer.concat([header, body]);
}

/** Parses a vectors file; throws DamagedIndexError for anything `encodeVectors` did not write. */
export function decodeVectors(data: Buffer): StoredVectors {
    const fail = (why: string): never => {
        throw new DamagedIndexError(`embeddings file: ${why}`);
    };
    if (data.subarray(0, MAGIC.length).toString("utf8") !== MAGIC)
        fail("not an Apprentice embeddings file");
    const end = data.indexOf(0x0a, MAGIC.length);
    if (end < 0) fail("no header");
    let header: { version?: unknown; model?: unknown; dims?: unknown; keys?: unknown };
    try {
        header = JSON.parse(data.subarray(MAGIC.length, end).toString("utf8")) as typeof header;
    } catch (error) {
        return fail(`header is not JSON (${(error as Error).message})`);
    }
    if (header.version !== VERSION)
        fail(`format version ${String(header.version)}, expected ${VERSION}`);
    if (typeof header.model !== "string") fail("no model");
    const dims = header.dims;
    if (typeof dims !== "number" || !Number.isSafeInteger(dims) || dims <= 0 || dims > 65536)
        fail("bad dimensions");
    if (!Array.isArray(header.keys) || header.keys.some((k) => typeof k !== "string"))
        fail("bad keys");
    const keys = header.keys as string[];
    const body = data.subarray(end + 1);
    if (body.length !== keys.length * (dims as number) * 4)
        fail(`${body.length} bytes of vectors, expected ${keys.length * (dims as number) * 4}`);
    const vectors = keys.map((_, i) => {
        const vector = new Float32Array(dims as number);
        for (let d = 0; d < vector.length; d++) {
            const v = body.readFloatLE((i * vector.length + d) * 4);
            if (!Number.isFinite(v)) fail("a vector is not finite");
            vector[d] = v;
        }
        return vector;
    });
    return { model: header.model as string, dims: dims as number, keys, vectors };
}

/** Reads the vectors file; undefined when there is none. Throws DamagedIndexError when it cannot be used. */
export async function readVectorsFile(file: string): Promise<StoredVectors | undefined> {
    let data: Buffer;
    try {
        data = await readFile(file);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new DamagedIndexError(`embeddings file unreadable (${(error as Error).message})`);
    }
    return decodeVectors(data);
}

export async function writeVectorsFile(file: string, stored: StoredVectors): Promise<void> {
    await writeIndexFile(file, encodeVectors(stored));
}
