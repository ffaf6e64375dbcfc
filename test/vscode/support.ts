/** Helpers for the suites that run inside VS Code: the extension's API, waiting for states, settings, documents. */
import * as path from "node:path";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as vscode from "vscode";
import type { ApprenticeApi, ChatApi } from "../../src/extension/api";
import type { CompletionEvent } from "../../src/extension/completion/completionEvent";
import type { ClientStatus } from "../../src/extension/engineClient";
import type { ToWebview } from "../../src/shared/webviewProtocol";
import { requireModel } from "../support/models";

export const EXTENSION_ID = "apprentice-dev.apprentice";

/** The Apprentice extension, activated; its API is what `activate` returned. */
export async function apprentice(): Promise<{
    extension: vscode.Extension<ApprenticeApi>;
    api: ApprenticeApi;
}> {
    const extension = vscode.extensions.getExtension<ApprenticeApi>(EXTENSION_ID);
    if (!extension) throw new Error(`Extension ${EXTENSION_ID} is not installed in this VS Code`);
    const api = await extension.activate();
    return { extension, api };
}

/** Polls `condition` until it returns a truthy value; the error names `what` and the last value seen. */
export async function waitFor<T>(
    what: string,
    condition: () => T | Promise<T>,
    timeoutMs = 60_000,
    intervalMs = 50
): Promise<NonNullable<T>> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    for (;;) {
        last = await condition();
        if (last) return last as NonNullable<T>;
        if (Date.now() > deadline)
            throw new Error(
                `Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`
            );
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
}

/**
 * Resolves with the first status (the current one, or a later one) that matches `predicate`.
 * On timeout the error shows the statuses seen, so a failure says where the engine got stuck.
 */
export function waitForStatus<S extends ClientStatus>(
    api: ApprenticeApi,
    what: string,
    predicate: (status: ClientStatus) => status is S,
    timeoutMs?: number
): Promise<S>;
export function waitForStatus(
    api: ApprenticeApi,
    what: string,
    predicate: (status: ClientStatus) => boolean,
    timeoutMs?: number
): Promise<ClientStatus>;
export function waitForStatus(
    api: ApprenticeApi,
    what: string,
    predicate: (status: ClientStatus) => boolean,
    timeoutMs = 60_000
): Promise<ClientStatus> {
    const seen: string[] = [];
    return new Promise((resolve, reject) => {
        const done = (status: ClientStatus) => {
            subscription.dispose();
            clearTimeout(timer);
            resolve(status);
        };
        const subscription = api.onDidChangeStatus((status) => {
            seen.push(status.state);
            if (predicate(status)) done(status);
        });
        const timer = setTimeout(() => {
            subscription.dispose();
            reject(
                new Error(
                    `Timed out after ${timeoutMs} ms waiting for ${what}; states seen: ${seen.join(" → ") || "none"}; now: ${JSON.stringify(api.status)}`
                )
            );
        }, timeoutMs);
        if (predicate(api.status)) done(api.status);
    });
}

export type Ready = Extract<ClientStatus, { state: "ready" }>;

/** Waits for `ready`, optionally with a given model file loaded. */
export function waitForReady(
    api: ApprenticeApi,
    modelFile?: string,
    timeoutMs?: number
): Promise<Ready> {
    return waitForStatus(
        api,
        `ready${modelFile ? ` with ${path.basename(modelFile)}` : ""}`,
        (s): s is Ready => s.state === "ready" && (!modelFile || s.model.path === modelFile),
        timeoutMs
    );
}

/**
 * Sets an `apprentice.*` setting for this workspace (the workspace's `.vscode/settings.json`): works
 * for machine-overridable settings in desktop VS Code and in a remote/server window alike.
 * `undefined` removes it.
 */
export async function setSetting(key: string, value: unknown): Promise<void> {
    await vscode.workspace
        .getConfiguration("apprentice")
        .update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** Absolute path of a test model from ../shared/models (or APPRENTICE_MODELS_DIR); throws when missing. */
export function testModel(file: string): string {
    return requireModel(file);
}

/** The first workspace folder's path (the test run opens one). */
export function workspaceDir(): string {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error("The test run must open a workspace folder");
    return folder.uri.fsPath;
}

/** Writes `content` to `<workspace>/<name>` and opens it in an editor. */
export async function openDocument(name: string, content: string): Promise<vscode.TextEditor> {
    const file = path.join(workspaceDir(), name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    const document = await vscode.workspace.openTextDocument(file);
    return vscode.window.showTextDocument(document);
}

/** The next answered inline completion request (subscribe before triggering one). */
export function nextProvide(
    api: ApprenticeApi,
    what: string,
    timeoutMs = 60_000
): Promise<CompletionEvent> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            subscription.dispose();
            reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        const subscription = api.completion!.onDidProvide((event) => {
            clearTimeout(timer);
            subscription.dispose();
            resolve(event);
        });
    });
}

/** Process ids of the engine processes this extension host started (Linux: read from /proc). */
export function engineProcesses(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            if (ppid !== process.pid) continue;
            if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(`dist${path.sep}engine.js`))
                pids.push(Number(entry));
        } catch {
            // the process ended while we looked
        }
    }
    return pids;
}

/** Whether a process is still running. */
export function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** What a chat suite works with: the API, its chat, and every message posted to the chat view so far. */
export interface ChatFixture {
    api: ApprenticeApi;
    chat: ChatApi;
    posted: ToWebview[];
}

/**
 * Mocha hooks for a chat suite: loads `modelFile` with a 512-token context and records what the chat
 * view is sent; afterwards leaves the engine as the other suites expect it (tiny-fim-random.gguf).
 * The returned object is filled in by `before`.
 */
export function useChatModel(modelFile: string, readyTimeoutMs = 60_000): ChatFixture {
    const fixture = { posted: [] as ToWebview[] } as ChatFixture;
    let subscription: vscode.Disposable | undefined;
    before(async () => {
        ({ api: fixture.api } = await apprentice());
        if (!fixture.api.chat) throw new Error("the API does not expose the chat");
        fixture.chat = fixture.api.chat;
        subscription = fixture.chat.onDidPostToWebview((m) => fixture.posted.push(m));
        await setSetting("contextSize", 512);
        await setSetting("modelPath", testModel(modelFile));
        await waitForReady(fixture.api, testModel(modelFile), readyTimeoutMs);
    });
    after(async () => {
        subscription?.dispose();
        await setSetting("contextSize", undefined);
        const tiny = testModel("tiny-fim-random.gguf");
        await setSetting("modelPath", tiny);
        await waitForReady(fixture.api, tiny);
    });
    return fixture;
}
