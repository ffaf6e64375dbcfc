/** Lists the files of a workspace folder the index may read (see FileFilter), without following links. */
import { opendir } from "node:fs/promises";
import * as path from "node:path";
import type { FileFilter } from "./fileFilter";

/** More files than this in one workspace are not indexed (the rest is left out, with a note). */
export const MAX_FILES = 50_000;

export async function listFiles(
    root: string,
    filter: FileFilter,
    signal: AbortSignal,
    limit = MAX_FILES
): Promise<{ files: string[]; truncated: boolean }> {
    const files: string[] = [];
    const pending = [root];
    while (pending.length > 0) {
        if (signal.aborted) break;
        const folder = pending.pop()!;
        await filter.loadFolder(folder);
        let dir;
        try {
            dir = await opendir(folder);
        } catch {
            continue;
        }
        const subfolders: string[] = [];
        for await (const entry of dir) {
            const full = path.join(folder, entry.name);
            if (entry.isDirectory()) {
                if (!filter.skipsEntry(full, true)) subfolders.push(full);
            } else if (entry.isFile()) {
                if (!filter.skipsEntry(full, false)) {
                    if (files.length >= limit) return { files, truncated: true };
                    files.push(full);
                }
            }
        }
        pending.push(...subfolders.sort().reverse());
    }
    return { files, truncated: false };
}
