/**
 * A JSON file that is never left half-written: each write goes to a temporary file in the same
 * folder, is flushed to disk (fsync) and then renamed over the old one, so a crash or power loss
 * leaves either the old or the new content. A file that cannot be parsed (or fails validation) is
 * moved aside, not overwritten, and the caller gets a message to show. No VS Code imports: used
 * for chat history and completion stats, tested without an editor.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
import * as path from "node:path";

export interface ReadResult<T> {
    /** The stored value, or undefined when there is none (or it was damaged). */
    value: T | undefined;
    /** Set when a damaged file was moved aside: what to tell the user. */
    notice?: string;
    movedTo?: string;
}

export interface AtomicJsonFileOptions<T> {
    /** Checks the parsed JSON; a value that fails is treated like a damaged file. */
    validate?: (value: unknown) => value is T;
    /** What the file holds, for messages ("chat history"). */
    label?: string;
}

const TMP_SUFFIX = ".tmp";

export class AtomicJsonFile<T> {
    private queue: Promise<void> = Promise.resolve();
    private readonly label: string;

    constructor(readonly file: string, private readonly options: AtomicJsonFileOptions<T> = {}) {
        this.label = options.label ?? path.basename(file);
    }

    async read(): Promise<ReadResult<T>> {
        await this.queue;
        await this.removeStaleTemporaryFiles();
        let text: string;
        try {
            text = await readFile(this.file, "utf8");
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "ENOENT") return { value: undefined };
            throw error;
        }
        let value: unknown;
        let problem: string | undefined;
        try {
            value = JSON.parse(text);
            if (this.options.validate && !this.options.validate(value)) problem = "its content has the wrong shape";
        } catch (error) {
            problem = `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
        }
        if (problem === undefined) return { value: value as T };
        const movedTo = `${this.file}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}`;
        await rename(this.file, movedTo);
        return {
            value: undefined,
            movedTo,
            notice: `The ${this.label} file could not be read because ${problem}. It was kept as ${movedTo} and a new one was started.`
        };
    }

    /** Writes atomically. Writes are serialized; each one replaces the whole file. */
    write(value: T): Promise<void> {
        const text = JSON.stringify(value);
        const run = this.queue.then(() => this.writeNow(text));
        this.queue = run.catch(() => undefined);
        return run;
    }

    private async writeNow(text: string): Promise<void> {
        const dir = path.dirname(this.file);
        await mkdir(dir, { recursive: true });
        const tmp = `${this.file}.${process.pid}-${randomBytes(4).toString("hex")}${TMP_SUFFIX}`;
        const handle = await open(tmp, "w", 0o600);
        try {
            await handle.writeFile(text, "utf8");
            await handle.sync();
        } catch (error) {
            await handle.close();
            await unlink(tmp).catch(() => undefined);
            throw error;
        }
        await handle.close();
        await rename(tmp, this.file);
        await syncFolder(dir);
    }

    /** Temporary files left by a write that was interrupted (the process died before the rename). */
    private async removeStaleTemporaryFiles(): Promise<void> {
        const dir = path.dirname(this.file);
        const prefix = `${path.basename(this.file)}.`;
        const names = await readdir(dir).catch(() => [] as string[]);
        await Promise.all(names.filter((n) => n.startsWith(prefix) && n.endsWith(TMP_SUFFIX))
            .map((n) => unlink(path.join(dir, n)).catch(() => undefined)));
    }
}

/** Makes the rename itself durable where the platform allows it (not on Windows). */
async function syncFolder(dir: string): Promise<void> {
    if (process.platform === "win32") return;
    try {
        const handle = await open(dir, "r");
        try { await handle.sync(); } finally { await handle.close(); }
    } catch {
        // Best effort: some file systems cannot fsync a folder.
    }
}
