/**
 * Checks of a model download that do not trust the server: plain http only to this machine, the
 * size the catalog records, and a GGUF structure that native code can safely read, all before the
 * file is moved to its final name.
 */
import { open } from "node:fs/promises";
import { isLoopbackHost } from "../../shared/backend";
import { checkGgufHeader, GGUF_HEADER_BYTES } from "../modelHost/ggufHeader";
import { checkGgufStructure } from "../modelHost/ggufStructure";
import { DownloadError } from "./downloadErrors";

/** What the catalog knows about the file's size: exact bytes, or an approximate size (rounded to three digits). */
export interface ExpectedSize {
    bytes: number;
    exact: boolean;
}

/** How far a download may be from an approximate catalog size (the catalog rounds to three significant digits). */
export const APPROXIMATE_SIZE_TOLERANCE = 0.05;

/** Refuses URLs that would carry the model over the network unencrypted (http to another machine) or that are not http(s). */
export function checkDownloadUrl(url: string): void {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        throw new DownloadError(
            "insecureUrl",
            `The download address ${url} is not a valid URL.`,
            "Set apprentice.modelMirror to an https:// address (or leave it empty for Hugging Face)."
        );
    }
    if (parsed.protocol === "https:") return;
    if (parsed.protocol === "http:" && isLoopbackHost(parsed.hostname)) return;
    throw new DownloadError(
        "insecureUrl",
        `Refused to download from ${parsed.protocol}//${parsed.host}: models are fetched over https (plain http only from this machine, 127.0.0.1 or localhost), so nobody on the way can swap the file.`,
        "Use an https:// mirror in apprentice.modelMirror, or a mirror on this machine."
    );
}

/** The largest size a download may have; `undefined` when nothing is known. */
export function maxBytes(expected: ExpectedSize | undefined): number | undefined {
    if (!expected) return undefined;
    return expected.exact
        ? expected.bytes
        : Math.ceil(expected.bytes * (1 + APPROXIMATE_SIZE_TOLERANCE));
}

/** Refuses a size that is not the catalog's (exact) or far from it (approximate). */
export function checkSize(
    received: number,
    expected: ExpectedSize | undefined,
    what: string
): void {
    if (!expected) return;
    const ok = expected.exact
        ? received === expected.bytes
        : Math.abs(received - expected.bytes) <= expected.bytes * APPROXIMATE_SIZE_TOLERANCE;
    if (ok) return;
    throw new DownloadError(
        "sizeMismatch",
        `${what} is ${received} bytes, but the catalog lists ${expected.exact ? "exactly " : "about "}${expected.bytes} bytes for this model; it was deleted and is not used.`,
        "Try again; if it happens again the server (or mirror) serves a different file."
    );
}

/** Walks the downloaded file's GGUF header, metadata and tensor table; throws `notGguf` when it is not a whole GGUF model. */
export async function checkGgufFile(file: string): Promise<void> {
    const handle = await open(file, "r");
    try {
        const { size } = await handle.stat();
        const head = Buffer.alloc(GGUF_HEADER_BYTES);
        await handle.read(head, 0, GGUF_HEADER_BYTES, 0);
        const header = checkGgufHeader(head.subarray(0, Math.min(size, GGUF_HEADER_BYTES)));
        if (!header.ok) throw notGguf(header.detail);
        const structure = await checkGgufStructure(
            handle,
            size,
            header.tensorCount,
            header.kvCount
        );
        if (!structure.ok) throw notGguf(structure.detail);
    } finally {
        await handle.close();
    }
}

function notGguf(detail: string): DownloadError {
    return new DownloadError(
        "notGguf",
        `The downloaded file is not a usable GGUF model (${detail}); it was deleted and is not used.`,
        "Try again; if it happens again the server (or mirror) serves something else than the model."
    );
}
