/** The workspace index's state in words, for the status menu (no VS Code API: unit-tested). */
import type { WorkspaceIndexProgress } from "../../shared/workspaceIndexProtocol";

const count = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

export function describeIndex(p: WorkspaceIndexProgress): string {
    switch (p.state) {
        case "off":
            return "Off";
        case "error":
            return `Error: ${p.message ?? "see the log"}`;
        case "building":
            return p.filesTotal > 0
                ? `Indexing ${count(p.filesDone)} of ${plural(p.filesTotal, "file", "files")}`
                : "Listing files…";
        case "ready": {
            const size = `${plural(p.chunks, "chunk", "chunks")} in ${plural(p.files, "file", "files")}`;
            if (p.embeddedChunks === undefined) return `Ready · ${size} · words only`;
            if (p.embeddedChunks >= p.chunks) return `Ready · ${size} · words and embeddings`;
            const percent = p.chunks > 0 ? Math.floor((100 * p.embeddedChunks) / p.chunks) : 0;
            return `Ready · ${size} · embeddings ${percent}% (${count(p.embeddedChunks)} of ${count(p.chunks)})`;
        }
    }
}

/** The first-build notification's line and how far it is (0-1): files, then (with an embedding model) embeddings. */
export function describeNotice(p: WorkspaceIndexProgress): { message: string; fraction: number } {
    const files = p.filesTotal > 0 ? Math.min(1, p.filesDone / p.filesTotal) : 0;
    const filesDone = p.state !== "building" ? 1 : files;
    const fileWords =
        p.state !== "building"
            ? `${plural(p.chunks, "chunk", "chunks")} in ${plural(p.files, "file", "files")}`
            : p.filesTotal > 0
              ? `${count(p.filesDone)} of ${plural(p.filesTotal, "file", "files")}`
              : "listing files…";
    if (p.embeddedChunks === undefined) return { message: fileWords, fraction: filesDone };
    const embedded = p.chunks > 0 ? Math.min(1, p.embeddedChunks / p.chunks) : 0;
    return {
        message: `${fileWords} · embeddings ${Math.floor(100 * embedded)}%`,
        fraction: (filesDone + embedded) / 2
    };
}

/** Whether the first-build notification is done: the words are indexed and every chunk has its embedding (if any). */
export function noticeDone(p: WorkspaceIndexProgress): boolean {
    if (p.state === "building") return false;
    if (p.state !== "ready") return true;
    return p.embeddedChunks === undefined || p.embeddedChunks >= p.chunks;
}
