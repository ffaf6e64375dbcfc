/**
 * The workspace index of a running engine, driven as the extension drives it: the configure
 * notification, `workspace/didChangeWatchedFiles`, the search request, and the progress
 * notifications it sends back (every one is kept, with the time it arrived).
 */
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import type { ProtocolConnection } from "vscode-languageserver-protocol/node";
import {
    WorkspaceIndexConfigureNotification,
    WorkspaceIndexProgressNotification,
    WorkspaceSearchRequest,
    type WorkspaceIndexProgress,
    type WorkspaceSearchParams,
    type WorkspaceSearchResult
} from "../../../src/shared/workspaceIndexProtocol";

export interface TimedProgress extends WorkspaceIndexProgress {
    at: number;
}

export class IndexClient {
    readonly progress: TimedProgress[] = [];
    private waiters: {
        since: number;
        predicate: (p: WorkspaceIndexProgress) => boolean;
        resolve: (p: TimedProgress) => void;
    }[] = [];

    constructor(private readonly connection: ProtocolConnection) {
        connection.onNotification(WorkspaceIndexProgressNotification.type, (p) => {
            const timed = { ...p, at: performance.now() };
            this.progress.push(timed);
            const index = this.progress.length - 1;
            this.waiters = this.waiters.filter((w) => {
                if (index < w.since || !w.predicate(p)) return true;
                w.resolve(timed);
                return false;
            });
        });
    }

    get last(): TimedProgress | undefined {
        return this.progress[this.progress.length - 1];
    }

    /** Starts indexing `folder` (the index file kept in `storageFolder`; with `embeddingModel`, embedded too); returns the progress count before, for `waitFor`. */
    async configure(
        folder: string,
        storageFolder: string,
        embeddingModel?: string
    ): Promise<number> {
        const since = this.progress.length;
        await this.connection.sendNotification(WorkspaceIndexConfigureNotification.type, {
            enabled: true,
            folders: [folder],
            storageFolder,
            exclude: [],
            ...(embeddingModel ? { embeddingModel } : {})
        });
        return since;
    }

    async turnOff(timeoutMs = 60_000): Promise<void> {
        const since = this.progress.length;
        await this.connection.sendNotification(WorkspaceIndexConfigureNotification.type, {
            enabled: false,
            folders: [],
            storageFolder: "",
            exclude: []
        });
        await this.waitFor((p) => p.state === "off", since, timeoutMs);
    }

    /** Resolves with the first progress report from index `since` on that matches. */
    waitFor(
        predicate: (p: WorkspaceIndexProgress) => boolean,
        since: number,
        timeoutMs: number
    ): Promise<TimedProgress> {
        const seen = this.progress.slice(since).find(predicate);
        if (seen) return Promise.resolve(seen);
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.waiters = this.waiters.filter((w) => w.resolve !== done);
                reject(
                    new Error(
                        `The workspace index did not report the expected progress within ${timeoutMs} ms; last: ${JSON.stringify(this.last)}`
                    )
                );
            }, timeoutMs);
            const done = (p: TimedProgress) => {
                clearTimeout(timer);
                resolve(p);
            };
            this.waiters.push({ since, predicate, resolve: done });
        });
    }

    async filesChanged(files: readonly string[]): Promise<number> {
        const since = this.progress.length;
        await this.connection.sendNotification("workspace/didChangeWatchedFiles", {
            changes: files.map((f) => ({ uri: pathToFileURL(f).href, type: 2 }))
        });
        return since;
    }

    async search(
        params: WorkspaceSearchParams
    ): Promise<{ wallMs: number; result: WorkspaceSearchResult }> {
        const started = performance.now();
        const result = await this.connection.sendRequest(WorkspaceSearchRequest.type, params);
        return { wallMs: performance.now() - started, result };
    }
}
