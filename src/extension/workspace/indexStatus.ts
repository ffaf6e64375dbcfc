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
