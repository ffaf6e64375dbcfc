/**
 * The workspace index in memory ↔ what is saved of it: the BM25 chunks as a `StoredIndex` (only the
 * terms live chunks use, renumbered densely) and the chunk vectors as `StoredVectors` keyed by
 * file, size, time and lines, so a vector is taken back only for a chunk that has not changed.
 */
import type { Bm25 } from "./bm25";
import { isUnder } from "./fileFilter";
import type { StoredChunk, StoredIndex } from "./indexStore";
import type { ChunkData, FileEntry } from "./indexTypes";
import { chunkKey, type StoredVectors, type VectorStore } from "./vectorStore";

type Files = Map<string, FileEntry>;

/** The index as it is saved. */
export function snapshotOf(
    files: ReadonlyMap<string, FileEntry>,
    bm25: Bm25<ChunkData>
): StoredIndex {
    const remap = new Map<number, number>();
    const terms: string[] = [];
    const stored = new Map<
        string,
        { root: string; mtimeMs: number; size: number; chunks: StoredChunk[] }
    >();
    for (const [name, entry] of files) {
        const chunks = entry.chunkIds.map((id) => {
            const c = bm25.get(id)!;
            const ids = Array.from(c.terms, (t) => {
                let n = remap.get(t);
                if (n === undefined) {
                    n = terms.length;
                    remap.set(t, n);
                    terms.push(bm25.term(t));
                }
                return n;
            });
            return {
                startLine: c.data.startLine,
                endLine: c.data.endLine,
                length: c.length,
                terms: ids,
                freqs: Array.from(c.freqs),
                ...(c.data.declares ? { declares: c.data.declares } : {})
            };
        });
        stored.set(name, { root: entry.root, mtimeMs: entry.mtimeMs, size: entry.size, chunks });
    }
    return { terms, files: stored };
}

/**
 * Adds a saved index's files under `folders` to `bm25` and `files`; returns true when some were
 * left out (a folder no longer indexed), so the saved file is out of date.
 */
export function restoreSnapshot(
    stored: StoredIndex,
    folders: readonly string[],
    bm25: Bm25<ChunkData>,
    files: Files
): boolean {
    let leftOut = false;
    const ids = stored.terms.map((t) => bm25.termId(t));
    for (const [file, entry] of stored.files) {
        if (!folders.some((root) => root === entry.root) || !isUnder(entry.root, file)) {
            leftOut = true;
            continue;
        }
        const chunkIds = entry.chunks.map((c) =>
            bm25.addIds(
                Uint32Array.from(c.terms, (t) => ids[t]!),
                Uint16Array.from(c.freqs),
                c.length,
                {
                    file,
                    startLine: c.startLine,
                    endLine: c.endLine,
                    ...(c.declares ? { declares: c.declares } : {})
                }
            )
        );
        files.set(file, { root: entry.root, mtimeMs: entry.mtimeMs, size: entry.size, chunkIds });
    }
    return leftOut;
}

/** The vectors of the chunks as they are now, as they are saved. */
export function vectorsOf(
    files: ReadonlyMap<string, FileEntry>,
    bm25: Bm25<ChunkData>,
    store: VectorStore,
    model: string
): StoredVectors {
    const keys: string[] = [];
    const vectors: Float32Array[] = [];
    for (const [name, entry] of files) {
        for (const id of entry.chunkIds) {
            const vector = store.get(id);
            const chunk = bm25.get(id);
            if (!vector || !chunk) continue;
            keys.push(keyOf(name, entry, chunk.data));
            vectors.push(vector);
        }
    }
    return { model, dims: vectors[0]?.length ?? 1, keys, vectors };
}

/** Takes back the saved vectors of chunks that have not changed since (and have none yet). */
export function restoreVectors(
    stored: StoredVectors,
    files: ReadonlyMap<string, FileEntry>,
    bm25: Bm25<ChunkData>,
    store: VectorStore
): void {
    const byKey = new Map(stored.keys.map((key, i) => [key, stored.vectors[i]]));
    for (const [file, entry] of files) {
        for (const id of entry.chunkIds) {
            const chunk = bm25.get(id);
            const vector = chunk && byKey.get(keyOf(file, entry, chunk.data));
            if (vector && !store.has(id)) store.set(id, vector);
        }
    }
}

const keyOf = (file: string, entry: FileEntry, chunk: ChunkData) =>
    chunkKey(file, entry.mtimeMs, entry.size, chunk.startLine, chunk.endLine);
