/**
 * The index file: what `Bm25` holds, without the code itself (file paths, their size and time,
 * each chunk's line range, token count and term frequencies). Written atomically (a temporary
 * file renamed over the old one); a file that cannot be read back is a `DamagedIndexError`.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import * as path from "node:path";

export const INDEX_FILE_NAME = "workspace-index.json";
export const INDEX_FORMAT = "apprentice-workspace-index";
export const INDEX_VERSION = 1;

export interface StoredChunk {
    startLine: number;
    endLine: number;
    length: number;
    /** Indexes into `StoredIndex.terms`, and their frequencies. */
    terms: number[];
    freqs: number[];
    /** The name the chunk declares, if any. */
    declares?: string;
}

export interface StoredFile {
    root: string;
    mtimeMs: number;
    size: number;
    chunks: StoredChunk[];
}

export interface StoredIndex {
    terms: string[];
    files: Map<string, StoredFile>;
}

export class DamagedIndexError extends Error {
    override readonly name = "DamagedIndexError";
}

const isNat = (v: unknown): v is number =>
    typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Serializes an index: `{format, version, terms, files: {path: [root, mtimeMs, size, [[start, end, length, [term, freq, …]], …]]}}`. */
export function encodeIndex(index: StoredIndex): string {
    const files: Record<string, unknown> = {};
    for (const [file, entry] of index.files) {
        files[file] = [
            entry.root,
            entry.mtimeMs,
            entry.size,
            entry.chunks.map((c) => {
                const pairs: number[] = [];
                for (let i = 0; i < c.terms.length; i++) pairs.push(c.terms[i], c.freqs[i]);
                return c.declares
                    ? [c.startLine, c.endLine, c.length, pairs, c.declares]
                    : [c.startLine, c.endLine, c.length, pairs];
            })
        ];
    }
    return JSON.stringify({
        format: INDEX_FORMAT,
        version: INDEX_VERSION,
        terms: index.terms,
        files
    });
}

/** Parses and checks an index file's text; throws DamagedIndexError for anything not written by `encodeIndex`. */
export function decodeIndex(text: string): StoredIndex {
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (error) {
        throw new DamagedIndexError(`not JSON (${(error as Error).message})`);
    }
    const fail = (why: string): never => {
        throw new DamagedIndexError(why);
    };
    if (typeof raw !== "object" || raw === null) fail("not an object");
    const r = raw as Record<string, unknown>;
    if (r.format !== INDEX_FORMAT) fail("not an Apprentice index");
    if (r.version !== INDEX_VERSION)
        fail(`format version ${String(r.version)}, expected ${INDEX_VERSION}`);
    if (!Array.isArray(r.terms) || r.terms.some((t) => typeof t !== "string"))
        fail("terms must be strings");
    const terms = r.terms as string[];
    if (typeof r.files !== "object" || r.files === null || Array.isArray(r.files))
        fail("files must be an object");
    const files = new Map<string, StoredFile>();
    for (const [file, value] of Object.entries(r.files as Record<string, unknown>)) {
        if (!Array.isArray(value) || value.length !== 4) fail(`bad entry for ${file}`);
        const [root, mtimeMs, size, chunks] = value as unknown[];
        if (
            typeof root !== "string" ||
            typeof mtimeMs !== "number" ||
            !isNat(size) ||
            !Array.isArray(chunks)
        )
            fail(`bad entry for ${file}`);
        const stored: StoredChunk[] = [];
        for (const c of chunks as unknown[]) {
            if (!Array.isArray(c) || (c.length !== 4 && c.length !== 5))
                fail(`bad chunk in ${file}`);
            const [startLine, endLine, length, pairs, declares] = c as unknown[];
            if (declares !== undefined && (typeof declares !== "string" || declares.length > 300))
                fail(`bad chunk in ${file}`);
            if (
                !isNat(startLine) ||
                !isNat(endLine) ||
                endLine < startLine ||
                !isNat(length) ||
                !Array.isArray(pairs) ||
                pairs.length % 2 !== 0
            )
                fail(`bad chunk in ${file}`);
            const list = pairs as unknown[];
            const chunkTerms: number[] = [];
            const freqs: number[] = [];
            for (let i = 0; i < list.length; i += 2) {
                const t = list[i],
                    f = list[i + 1];
                if (!isNat(t) || t >= terms.length || !isNat(f) || f === 0 || f > 65535)
                    fail(`bad term in ${file}`);
                chunkTerms.push(t as number);
                freqs.push(f as number);
            }
            stored.push({
                startLine: startLine as number,
                endLine: endLine as number,
                length: length as number,
                terms: chunkTerms,
                freqs,
                ...(declares ? { declares: declares as string } : {})
            });
        }
        files.set(file, {
            root: root as string,
            mtimeMs: mtimeMs as number,
            size: size as number,
            chunks: stored
        });
    }
    return { terms, files };
}

/** Reads the index file; undefined when there is none. Throws DamagedIndexError when it cannot be used. */
export async function readIndexFile(file: string): Promise<StoredIndex | undefined> {
    let text: string;
    try {
        text = await readFile(file, "utf8");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new DamagedIndexError(`unreadable (${(error as Error).message})`);
    }
    return decodeIndex(text);
}

/** Writes the index file atomically: a crash leaves the old file or the new one, never half of one. */
export async function writeIndexFile(file: string, text: string | Buffer): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${randomBytes(4).toString("hex")}.tmp`;
    try {
        const handle = await open(temporary, "w");
        try {
            await handle.writeFile(text);
            await handle.sync();
        } finally {
            await handle.close();
        }
        await rename(temporary, file);
    } catch (error) {
        await rm(temporary, { force: true });
        throw error;
    }
}
