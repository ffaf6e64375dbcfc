/** Ranked chunk ids (from any retriever) to chunks with their current text, for a search's answer. */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import type { Bm25 } from "./bm25";
import { toPosix } from "./fileFilter";
import type { ChunkData, FileEntry, SearchHit } from "./indexTypes";
import { languageIdOf } from "./languages";

/** At most `limit` chunks, best first, until their text reaches about `maxTokens` (the first always counts). */
export async function chunkHits(
    ranked: readonly { id: number; score: number }[],
    limit: number,
    maxTokens: number,
    bm25: Bm25<ChunkData>,
    files: ReadonlyMap<string, FileEntry>
): Promise<SearchHit[]> {
    const out: SearchHit[] = [];
    const texts = new Map<string, string[] | undefined>();
    let tokens = 0;
    for (const { id, score } of ranked) {
        if (out.length >= limit) break;
        const chunk = bm25.get(id);
        if (!chunk) continue;
        const { file, startLine, endLine } = chunk.data;
        if (!texts.has(file))
            texts.set(
                file,
                await readFile(file, "utf8").then(
                    (t) => t.split(/\r?\n/),
                    () => undefined
                )
            );
        const lines = texts.get(file);
        if (!lines) continue;
        const text = lines.slice(startLine - 1, endLine).join("\n");
        const estimate = Math.ceil(text.length / 3.5);
        if (out.length > 0 && tokens + estimate > maxTokens) continue;
        tokens += estimate;
        const root = files.get(file)?.root ?? path.dirname(file);
        out.push({
            id,
            path: file,
            relativePath: toPosix(path.relative(root, file)),
            startLine,
            endLine,
            text,
            languageId: languageIdOf(file),
            score
        });
    }
    return out;
}
