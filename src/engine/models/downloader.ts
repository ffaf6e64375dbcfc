/**
 * Downloads one model file over HTTPS (plain HTTP only from this machine): resumable (a `.part` file
 * and Range requests), its size, sha256 and GGUF structure checked, moved into place only when all
 * checks pass, with a free-space check first and AbortSignal cancellation.
 * This is the only network code in the product, and it runs only when the user asks for a model.
 */
import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { createReadStream, createWriteStream } from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import {
    DownloadError,
    diskFullError,
    httpError,
    offlineError,
    systemCode
} from "./downloadErrors";
import {
    checkDownloadUrl,
    checkGgufFile,
    checkSize,
    maxBytes,
    type ExpectedSize
} from "./verifyDownload";

export interface DownloadOptions {
    url: string;
    /** Final path; the data goes to `<dest>.part` until it is complete and verified. */
    dest: string;
    /** Expected lower-case hex sha256; when set, a mismatch rejects the file. */
    sha256?: string | null;
    /** Size to check free space against before the server tells us (catalog size). */
    expectedBytes?: number;
    /** The catalog's size: a file of another size (exact) or far from it (approximate) is refused. */
    expectedSize?: ExpectedSize;
    /** Check the GGUF structure before the file is moved into place (default true). */
    gguf?: boolean;
    signal?: AbortSignal;
    onProgress?: (progress: {
        receivedBytes: number;
        totalBytes: number;
        bytesPerSecond: number;
    }) => void;
    /** Free bytes on the destination's file system (tests replace it). */
    freeBytes?: (folder: string) => Promise<number>;
    /** Minimum interval between progress events, ms. */
    progressIntervalMs?: number;
}

export interface DownloadOutcome {
    path: string;
    sha256: string;
    bytes: number;
    resumedFrom: number;
    ms: number;
}

/** Space kept free beyond the file itself. */
const DISK_MARGIN = 64 * 1024 * 1024;

export async function defaultFreeBytes(folder: string): Promise<number> {
    const stats = await fs.statfs(folder);
    return stats.bavail * stats.bsize;
}

export function partPath(dest: string): string {
    return `${dest}.part`;
}

/** Abort reason for a shutdown or restart: the part file is kept so that the next download resumes. */
export const KEEP_PARTIAL = "apprentice:keep-partial";

export async function downloadFile(options: DownloadOptions): Promise<DownloadOutcome> {
    const started = performance.now();
    const { url, dest, signal } = options;
    const part = partPath(dest);
    const folder = path.dirname(dest);
    const freeBytes = options.freeBytes ?? defaultFreeBytes;
    checkDownloadUrl(url);
    await fs.mkdir(folder, { recursive: true });
    throwIfCancelled(signal);
    const limit = maxBytes(options.expectedSize);

    let have = await fileSize(part);
    if (options.expectedBytes && options.expectedBytes > have)
        await checkSpace(folder, options.expectedBytes - have, freeBytes);

    let response: Response;
    try {
        response = await fetch(url, {
            headers: have > 0 ? { Range: `bytes=${have}-` } : {},
            signal,
            redirect: "follow"
        });
    } catch (error) {
        throwIfCancelled(signal);
        throw offlineError(url, error);
    }
    if (response.status === 416 && have > 0) {
        // The part is already complete or larger than the file: start over rather than guess.
        await response.body?.cancel();
        await fs.rm(part, { force: true });
        return downloadFile(options);
    }
    if (!response.ok) {
        await response.body?.cancel();
        throw httpError(url, response.status);
    }
    // A redirect must not take the download to plain http elsewhere.
    if (response.url && response.url !== url) {
        try {
            checkDownloadUrl(response.url);
        } catch (error) {
            await response.body?.cancel();
            throw error;
        }
    }
    const resumed = response.status === 206 && contentRangeStart(response) === have;
    if (!resumed) have = 0; // the server ignored Range (or answered another range): start over
    const length = Number(response.headers.get("content-length") ?? NaN);
    const total = Number.isFinite(length) ? have + length : (options.expectedBytes ?? 0);
    if (Number.isFinite(length)) {
        try {
            if (limit !== undefined && have + length > limit)
                checkSize(have + length, options.expectedSize, "The file the server announces");
            await checkSpace(folder, length, freeBytes);
        } catch (error) {
            await response.body?.cancel();
            if (error instanceof DownloadError && error.code === "sizeMismatch")
                await fs.rm(part, { force: true });
            throw error;
        }
    }

    const hash = createHash("sha256");
    if (have > 0) await hashFile(part, hash);
    const out = createWriteStream(part, { flags: have > 0 ? "a" : "w" });
    // A write error (a full disk) must never be an unhandled 'error' event in the engine: keep it, throw it below.
    let writeError: unknown;
    out.on("error", (error) => {
        writeError ??= error;
    });
    let received = have;
    const interval = options.progressIntervalMs ?? 250;
    let lastReport = 0;
    const report = (force: boolean) => {
        const now = performance.now();
        if (!force && now - lastReport < interval) return;
        lastReport = now;
        const seconds = (now - started) / 1000;
        options.onProgress?.({
            receivedBytes: received,
            totalBytes: total,
            bytesPerSecond: seconds > 0 ? (received - have) / seconds : 0
        });
    };
    try {
        report(true);
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            hash.update(chunk);
            received += chunk.byteLength;
            if (writeError) throw writeError;
            if (limit !== undefined && received > limit) throw new SizeExceeded();
            if (!out.write(chunk)) await once(out, "drain"); // rejects if the stream fails (e.g. ENOSPC)
            report(false);
        }
        out.end();
        await finished(out);
        if (writeError) throw writeError;
    } catch (error) {
        out.destroy();
        await finished(out).catch(() => undefined); // settles at once when the stream had already failed
        if (signal?.aborted) {
            // The user cancelled: leave nothing behind. A shutdown keeps the part for resuming.
            if (signal.reason !== KEEP_PARTIAL) await fs.rm(part, { force: true });
            throw cancelled();
        }
        if (error instanceof SizeExceeded) {
            await fs.rm(part, { force: true });
            checkSize(received, options.expectedSize, "The file the server sends");
        }
        if (systemCode(error) === "ENOSPC")
            throw diskFullError(folder, total - received, await freeBytes(folder).catch(() => 0));
        // Anything else (a cut connection): keep the part, the next attempt resumes from it.
        throw new DownloadError(
            "interrupted",
            `The download was interrupted after ${(received / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB (${systemCode(error) ?? errorMessage(error)}).`,
            "Try again: the download resumes where it stopped.",
            { cause: error }
        );
    }
    report(true);
    if (Number.isFinite(length) && received !== total) {
        throw new DownloadError(
            "ioError",
            `The download ended early: ${received} of ${total} bytes.`,
            "Try again; the download resumes where it stopped."
        );
    }
    const digest = hash.digest("hex");
    try {
        checkSize(received, options.expectedSize, "The downloaded file");
        if (options.sha256 && digest !== options.sha256.toLowerCase()) {
            throw new DownloadError(
                "checksumMismatch",
                `The downloaded file's checksum does not match (expected ${options.sha256}, got ${digest}); it was deleted and is not used.`,
                "Try again; if it happens again the server (or mirror) serves a different file."
            );
        }
        if (options.gguf !== false) await checkGgufFile(part);
    } catch (error) {
        await fs.rm(part, { force: true });
        throw error;
    }
    await fs.rename(part, dest);
    return {
        path: dest,
        sha256: digest,
        bytes: received,
        resumedFrom: have,
        ms: Math.round(performance.now() - started)
    };
}

/** The server sent more than the model's size: stop reading at once. */
class SizeExceeded extends Error {
    override readonly name = "SizeExceeded";
}

function errorMessage(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

function cancelled(): DownloadError {
    return new DownloadError(
        "cancelled",
        "The download was cancelled.",
        "Start it again when you like."
    );
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw cancelled();
}

async function checkSpace(
    folder: string,
    needed: number,
    freeBytes: (folder: string) => Promise<number>
): Promise<void> {
    const free = await freeBytes(folder);
    if (free < needed + DISK_MARGIN) throw diskFullError(folder, needed, free);
}

function contentRangeStart(response: Response): number | undefined {
    const match = /^bytes (\d+)-/.exec(response.headers.get("content-range") ?? "");
    return match ? Number(match[1]) : undefined;
}

async function fileSize(file: string): Promise<number> {
    try {
        return (await fs.stat(file)).size;
    } catch {
        return 0;
    }
}

async function hashFile(file: string, hash: Hash): Promise<void> {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}
