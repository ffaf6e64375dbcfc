/**
 * One JSON file that is never half-written: every save goes to a temporary file in the same folder,
 * is fsynced, and replaces the file with an atomic rename (then the folder is fsynced where the OS
 * allows it). Saves are serialized: a save while one is being written waits, and several waiting
 * saves coalesce into one write of the last value. A file that cannot be read back (not JSON, the
 * wrong shape, a newer format) is moved aside to `<name>.corrupt-<timestamp>.json`, never deleted,
 * and reported to the caller. Temporary files left by a crash are removed by `load()`.
 *
 * No VS Code API here: unit tests and a crash-test child process use this module as it is.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import * as path from "node:path";

export interface AtomicJsonFileOptions<T> {
    /** Absolute path of the file. Its folder is created on the first save. */
    readonly file: string;
    /** Format version written into the file; a file with another version is not read. */
    readonly version: number;
    /** Checks and converts what was read (`data` of the envelope); throws an Error saying what is wrong. */
    readonly parse: (data: unknown) => T;
    /** The value when there is no file (or it was moved aside). */
    readonly empty: () => T;
    /** Files larger than this are not read (moved aside) and values larger than this are not written. Default 64 MiB. */
    readonly maxBytes?: number;
    /** Aborting drops saves that have not started; the write in progress still completes. */
    readonly signal?: AbortSignal;
}

/** A file that could not be read back and was moved aside (or could not be: then `movedTo` is undefined). */
export interface CorruptFileReport {
    readonly file: string;
    readonly movedTo: string | undefined;
    readonly reason: string;
}

export interface LoadResult<T> {
    readonly value: T;
    /** Set when the file was damaged: the caller tells the user once. */
    readonly corrupt?: CorruptFileReport;
    /** Temporary files of earlier, interrupted saves that were removed. */
    readonly removedTemporaryFiles: number;
}

/** A save failed (disk full, no permission…): the file still holds the previous complete value. */
export class JsonFileWriteError extends Error {
    override readonly name = "JsonFileWriteError";
    constructor(
        readonly file: string,
        cause: unknown
    ) {
        super(`Could not save ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, {
            cause
        });
    }
}

/** The value is larger than `maxBytes`; the caller must make it smaller. */
export class JsonFileTooLargeError extends Error {
    override readonly name = "JsonFileTooLargeError";
    constructor(
        readonly file: string,
        readonly bytes: number,
        readonly maxBytes: number
    ) {
        super(`Not saving ${file}: ${bytes} bytes is more than the limit of ${maxBytes}`);
    }
}

/** A save after `dispose()`, dropped because the signal was aborted, or refused because a damaged file could not be moved aside. */
export class JsonFileClosedError extends Error {
    override readonly name = "JsonFileClosedError";
    constructor(readonly file: string) {
        super(`${file} is closed; the value was not saved`);
    }
}

interface Waiter {
    resolve: () => void;
    reject: (error: unknown) => void;
}
interface Job {
    text: string;
    waiters: Waiter[];
}

const TEMP_SUFFIX = ".tmp";
/** A temporary file of a process that is still running is left alone unless it is this old. */
const STALE_TEMP_MS = 10 * 60_000;

export class AtomicJsonFile<T> {
    private readonly maxBytes: number;
    private next: Job | undefined;
    private writing: Promise<void> | undefined;
    private closed = false;
    private written = 0;

    constructor(private readonly options: AtomicJsonFileOptions<T>) {
        this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
        options.signal?.addEventListener("abort", () => this.dropPending(), { once: true });
    }

    get file(): string {
        return this.options.file;
    }
    /** Completed writes so far (coalesced saves count once). */
    get writes(): number {
        return this.written;
    }

    /** Reads the file; a missing file gives the empty value, a damaged one is moved aside and reported. */
    async load(signal?: AbortSignal): Promise<LoadResult<T>> {
        const { file } = this.options;
        const removedTemporaryFiles = await removeStaleTemporaryFiles(file);
        let text: string;
        try {
            const size = (await stat(file)).size;
            if (size > this.maxBytes)
                return this.damaged(
                    `it is ${size} bytes, more than the limit of ${this.maxBytes}`,
                    removedTemporaryFiles
                );
            text = await readFile(file, { encoding: "utf8", signal });
        } catch (error) {
            if (isCode(error, "ENOENT"))
                return { value: this.options.empty(), removedTemporaryFiles };
            if (signal?.aborted) throw error;
            // Unreadable (no permission, a folder in its place…): saving would replace it, so it is set aside too.
            return this.damaged(
                `it could not be read (${error instanceof Error ? error.message : String(error)})`,
                removedTemporaryFiles
            );
        }
        let value: T;
        try {
            value = this.decode(text);
        } catch (error) {
            return this.damaged(
                error instanceof Error ? error.message : String(error),
                removedTemporaryFiles
            );
        }
        return { value, removedTemporaryFiles };
    }

    /**
     * Saves `value` (serialized now). Resolves once it, or a later value, is on disk; several saves
     * made while a write is in progress are written once, with the last value.
     */
    save(value: T): Promise<void> {
        if (this.closed || this.options.signal?.aborted)
            return Promise.reject(new JsonFileClosedError(this.options.file));
        const text = `${JSON.stringify({ version: this.options.version, savedAt: new Date().toISOString(), data: value })}\n`;
        const bytes = Buffer.byteLength(text);
        if (bytes > this.maxBytes)
            return Promise.reject(
                new JsonFileTooLargeError(this.options.file, bytes, this.maxBytes)
            );
        const job: Job = { text, waiters: this.next?.waiters ?? [] };
        this.next = job;
        const done = new Promise<void>((resolve, reject) => job.waiters.push({ resolve, reject }));
        this.writing ??= this.drain();
        return done;
    }

    /** Resolves when every save made so far has been written (or has failed). */
    async flush(): Promise<void> {
        while (this.writing) await this.writing;
    }

    /** Writes what is pending, then refuses further saves. */
    async dispose(): Promise<void> {
        this.closed = true;
        await this.flush();
    }

    private async drain(): Promise<void> {
        try {
            for (let job = this.next; job; job = this.next) {
                this.next = undefined;
                try {
                    await writeAtomically(this.options.file, job.text);
                    this.written++;
                    for (const w of job.waiters) w.resolve();
                } catch (error) {
                    const failure = new JsonFileWriteError(this.options.file, error);
                    for (const w of job.waiters) w.reject(failure);
                }
            }
        } finally {
            this.writing = undefined;
        }
    }

    private dropPending(): void {
        const job = this.next;
        this.next = undefined;
        for (const w of job?.waiters ?? []) w.reject(new JsonFileClosedError(this.options.file));
    }

    private decode(text: string): T {
        if (text.trim() === "") throw new Error("the file is empty");
        let envelope: unknown;
        try {
            envelope = JSON.parse(text);
        } catch (error) {
            throw new Error(
                `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`
            );
        }
        if (
            typeof envelope !== "object" ||
            envelope === null ||
            !("version" in envelope) ||
            !("data" in envelope)
        ) {
            throw new Error("it is JSON but not an Apprentice file (no version and data)");
        }
        if (envelope.version !== this.options.version) {
            throw new Error(
                `it has format version ${JSON.stringify(envelope.version)}, this version of Apprentice reads ${this.options.version}`
            );
        }
        return this.options.parse(envelope.data);
    }

    private async damaged(reason: string, removedTemporaryFiles: number): Promise<LoadResult<T>> {
        const movedTo = await moveAside(this.options.file).catch(() => undefined);
        // Never overwrite a damaged file that is still in place: it may be all the user has.
        if (!movedTo) this.closed = true;
        return {
            value: this.options.empty(),
            corrupt: { file: this.options.file, movedTo, reason },
            removedTemporaryFiles
        };
    }
}

/** Writes `text` to a temporary file next to `file`, fsyncs it and renames it over `file`. */
export async function writeAtomically(file: string, text: string): Promise<void> {
    const dir = path.dirname(file);
    await mkdir(dir, { recursive: true });
    const temp = `${file}.${process.pid}-${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`;
    try {
        const handle = await open(temp, "wx", 0o600);
        try {
            await handle.writeFile(text, "utf8");
            await handle.sync();
        } finally {
            await handle.close();
        }
        await rename(temp, file);
    } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw error;
    }
    await syncFolder(dir);
}

/** Makes the rename durable. Windows cannot open a folder for fsync; the rename is still atomic there. */
async function syncFolder(dir: string): Promise<void> {
    let handle;
    try {
        handle = await open(dir, "r");
        await handle.sync();
    } catch {
        // EISDIR/EPERM/EINVAL on platforms without directory fsync.
    } finally {
        await handle?.close().catch(() => undefined);
    }
}

/** `<dir>/<name>.corrupt-<timestamp>.json` (with `-2`, `-3`… when taken); returns where it went. */
async function moveAside(file: string): Promise<string> {
    const { dir, name, ext } = path.parse(file);
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    for (let n = 1; ; n++) {
        const target = path.join(
            dir,
            `${name}.corrupt-${stamp}${n > 1 ? `-${n}` : ""}${ext || ".json"}`
        );
        if (await exists(target)) continue;
        await rename(file, target);
        return target;
    }
}

/** Removes `<file>.<pid>-<id>.tmp` left by interrupted saves: of processes that are gone, or old ones. */
async function removeStaleTemporaryFiles(file: string): Promise<number> {
    const dir = path.dirname(file);
    const prefix = `${path.basename(file)}.`;
    let removed = 0;
    for (const entry of await readdir(dir).catch(() => [] as string[])) {
        if (!entry.startsWith(prefix) || !entry.endsWith(TEMP_SUFFIX)) continue;
        const pid = Number(
            /^(\d+)-[0-9a-f]+$/.exec(entry.slice(prefix.length, -TEMP_SUFFIX.length))?.[1]
        );
        if (!pid || pid === process.pid) continue;
        const full = path.join(dir, entry);
        const age = await stat(full).then(
            (s) => Date.now() - s.mtimeMs,
            () => 0
        );
        if (isRunning(pid) && age < STALE_TEMP_MS) continue;
        await rm(full, { force: true }).then(
            () => removed++,
            () => undefined
        );
    }
    return removed;
}

function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return isCode(error, "EPERM");
    }
}

async function exists(file: string): Promise<boolean> {
    return access(file, constants.F_OK).then(
        () => true,
        () => false
    );
}

function isCode(error: unknown, code: string): boolean {
    return (
        typeof error === "object" && error !== null && (error as { code?: unknown }).code === code
    );
}
