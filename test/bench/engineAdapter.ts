/**
 * Everything the benchmarks assume about the engine's protocol, in one place. Inline completion is
 * standard LSP `textDocument/inlineCompletion` (Apprentice adds `params.apprentice` options and
 * `result.apprentice.timings`, both optional here); chat is `apprentice/chat/send` with
 * `apprentice/chat/progress` notifications. A feature the engine lacks is detected, not assumed:
 * `inlineCompletionProvider` in the initialize result, and a probe of the chat method that
 * tells "method not found" from "bad params".
 */
import { performance } from "node:perf_hooks";
import {
    ErrorCodes,
    ResponseError,
    type InitializeResult
} from "vscode-languageserver-protocol/node";
import type { EngineStatus } from "../../src/shared/status";
import { EngineProcess } from "../support/engineProcess";
import { rssMiB } from "./machine";

export const INLINE_COMPLETION_METHOD = "textDocument/inlineCompletion";
export const CHAT_SEND_METHOD = "apprentice/chat/send";
export const CHAT_PROGRESS_METHOD = "apprentice/chat/progress";
export const CHAT_STOP_METHOD = "apprentice/chat/stop";

export const NOT_PRESENT = "feature not present in this engine";

export interface CompletionSample {
    wallMs: number;
    /** From `result.apprentice.timings` when the engine reports them, else NaN. */
    promptTokens: number;
    evaluated: number;
    reused: number;
    generated: number;
    /** Draft-and-verify: draft tokens verified and accepted (0 when the engine does not say). */
    drafted: number;
    accepted: number;
    text: string;
}

export interface ChatSample {
    /** Client-side: from sending the request to the first progress notification. */
    ttftMs: number;
    totalMs: number;
    generatedTokens: number;
    /** Generated tokens per second after the first token, as the engine reports it (else from wall time). */
    tokensPerSecond: number;
}

interface CompletionListLike {
    items?: { insertText?: string | { value?: string }; apprentice?: { confidence?: number } }[];
    apprentice?: {
        state?: string;
        timings?: {
            promptTokens?: number;
            evaluatedTokens?: number;
            reusedTokens?: number;
            generatedTokens?: number;
            draftedTokens?: number;
            acceptedDraftTokens?: number;
        };
    };
}

interface ChatResultLike {
    timings?: { generatedTokens?: number; tokensPerSecond?: number; timeToFirstTokenMs?: number };
}

export class EngineAdapter {
    private version = 0;
    private turn = 0;
    private progressWaiter: ((at: number) => void) | undefined;
    /** Resident memory right after the model was ready. */
    readonly rssAfterReady: number;
    /** Resident memory sampled every second from ready until shutdown. */
    readonly rssTimeline: { seconds: number; rssMiB: number }[] = [];
    private readonly sampler: NodeJS.Timeout;

    private constructor(
        readonly engine: EngineProcess,
        readonly init: InitializeResult,
        readonly ready: EngineStatus,
        readonly spawnToReadyMs: number,
        readonly hasChat: boolean
    ) {
        this.rssAfterReady = this.rssMiB();
        const readyAt = performance.now();
        this.rssTimeline.push({ seconds: 0, rssMiB: this.rssAfterReady });
        this.sampler = setInterval(
            () =>
                this.rssTimeline.push({
                    seconds: (performance.now() - readyAt) / 1000,
                    rssMiB: this.rssMiB()
                }),
            1000
        );
        this.sampler.unref();
        engine.connection.onNotification(CHAT_PROGRESS_METHOD, () => {
            const waiter = this.progressWaiter;
            this.progressWaiter = undefined;
            waiter?.(performance.now());
        });
    }

    /** Spawns the engine, initializes it with the model and waits until it is ready. */
    static async start(
        engineJs: string,
        modelPath: string,
        threads: number
    ): Promise<EngineAdapter> {
        const started = performance.now();
        const engine = EngineProcess.spawn({}, engineJs);
        try {
            const init = await engine.initialize({ modelPath, threads, gpu: "off" });
            const ready = await engine.waitForSettled(180_000, 0);
            const spawnToReadyMs = performance.now() - started;
            if (ready.state !== "ready")
                throw new Error(`The engine did not get ready: ${JSON.stringify(ready)}`);
            const hasChat = await probeMethod(engine, CHAT_SEND_METHOD);
            return new EngineAdapter(engine, init, ready, spawnToReadyMs, hasChat);
        } catch (error) {
            await engine.shutdown().catch(() => undefined);
            throw error;
        }
    }

    get hasCompletion(): boolean {
        return Boolean(this.init.capabilities.inlineCompletionProvider);
    }

    get pid(): number {
        return this.engine.child.pid ?? -1;
    }

    rssMiB(): number {
        return rssMiB(this.pid);
    }

    async openDocument(uri: string, text: string, languageId = "typescript"): Promise<void> {
        this.version = 1;
        await this.engine.connection.sendNotification("textDocument/didOpen", {
            textDocument: { uri, languageId, version: this.version, text }
        });
    }

    /** Replaces the whole text (the cursor jumped somewhere else in a fresh copy of the file). */
    async replaceDocument(uri: string, text: string): Promise<void> {
        await this.engine.connection.sendNotification("textDocument/didChange", {
            textDocument: { uri, version: ++this.version },
            contentChanges: [{ text }]
        });
    }

    /** One keystroke: inserts `text` at line/character, as VS Code's incremental sync sends it. */
    async type(uri: string, line: number, character: number, text: string): Promise<void> {
        const at = { line, character };
        await this.engine.connection.sendNotification("textDocument/didChange", {
            textDocument: { uri, version: ++this.version },
            contentChanges: [{ range: { start: at, end: at }, rangeLength: 0, text }]
        });
    }

    async closeDocument(uri: string): Promise<void> {
        await this.engine.connection.sendNotification("textDocument/didClose", {
            textDocument: { uri }
        });
    }

    /**
     * One automatic inline completion request, timed from send to answer. `computeAhead: false` keeps
     * the engine idle afterwards (no suggestion computed ahead), for suites that measure something
     * else on the same cores right after.
     */
    async complete(
        uri: string,
        line: number,
        character: number,
        maxTokens: number,
        computeAhead = true
    ): Promise<CompletionSample> {
        const started = performance.now();
        const result = (await this.engine.connection.sendRequest(INLINE_COMPLETION_METHOD, {
            textDocument: { uri },
            position: { line, character },
            context: { triggerKind: 2 },
            apprentice: { maxTokens, maxAlternatives: 1, computeAhead }
        })) as CompletionListLike | CompletionListLike["items"] | null;
        const wallMs = performance.now() - started;
        const list: CompletionListLike = Array.isArray(result) ? { items: result } : (result ?? {});
        const timings = list.apprentice?.timings;
        const first = list.items?.[0]?.insertText;
        return {
            wallMs,
            promptTokens: timings?.promptTokens ?? NaN,
            evaluated: timings?.evaluatedTokens ?? NaN,
            reused: timings?.reusedTokens ?? NaN,
            generated: timings?.generatedTokens ?? NaN,
            drafted: timings?.draftedTokens ?? 0,
            accepted: timings?.acceptedDraftTokens ?? 0,
            text: typeof first === "string" ? first : (first?.value ?? "")
        };
    }

    /**
     * One automatic inline completion request with the editor's options (`params.apprentice`, as the
     * extension sends its settings): the first item's text and confidence, timed from send to answer.
     */
    async suggest(
        uri: string,
        line: number,
        character: number,
        options: Record<string, unknown>
    ): Promise<{ wallMs: number; text: string; confidence?: number; state?: string }> {
        const started = performance.now();
        const result = (await this.engine.connection.sendRequest(INLINE_COMPLETION_METHOD, {
            textDocument: { uri },
            position: { line, character },
            context: { triggerKind: 2 },
            apprentice: options
        })) as CompletionListLike | CompletionListLike["items"] | null;
        const wallMs = performance.now() - started;
        const list: CompletionListLike = Array.isArray(result) ? { items: result } : (result ?? {});
        const item = list.items?.[0];
        const text =
            typeof item?.insertText === "string"
                ? item.insertText
                : (item?.insertText?.value ?? "");
        return {
            wallMs,
            text,
            confidence: item?.apprentice?.confidence,
            state: list.apprentice?.state
        };
    }

    /**
     * What the extension does when the chat view is shown (apprentice/chat/prepare): the engine works
     * out the chat format before the first question. Waits until it has (its log line), at most 30 s;
     * an engine without the method ignores it.
     */
    async prepareChat(): Promise<void> {
        await this.engine.connection.sendNotification("apprentice/chat/prepare");
        const deadline = performance.now() + 30_000;
        while (
            !this.engine.logs.some((line) => line.startsWith("Chat uses")) &&
            performance.now() < deadline
        ) {
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
    }

    /** What the editor sends when the cursor rests at a place (apprentice/completion/prefetch). */
    async prefetch(uri: string, line: number, character: number): Promise<void> {
        await this.engine.connection.sendNotification("apprentice/completion/prefetch", {
            textDocument: { uri },
            position: { line, character }
        });
    }

    /** Starts one chat turn; resolves with its timings when it ends. */
    async chat(text: string, maxTokens: number): Promise<ChatSample> {
        const turnId = `bench-${++this.turn}`;
        const started = performance.now();
        let firstAt = NaN;
        this.progressWaiter = (at) => {
            firstAt = at;
        };
        const result = (await this.engine.connection.sendRequest(CHAT_SEND_METHOD, {
            turnId,
            messages: [{ role: "user", text }],
            maxTokens
        })) as ChatResultLike;
        const totalMs = performance.now() - started;
        this.progressWaiter = undefined;
        const generatedTokens = result.timings?.generatedTokens ?? NaN;
        const ttftMs = Number.isFinite(firstAt)
            ? firstAt - started
            : (result.timings?.timeToFirstTokenMs ?? NaN);
        const tokensPerSecond =
            result.timings?.tokensPerSecond ?? generatedTokens / ((totalMs - ttftMs) / 1000);
        return { ttftMs, totalMs, generatedTokens, tokensPerSecond };
    }

    /** Starts a chat turn without waiting for it; returns a function that stops it and waits for its end. */
    startChat(text: string, maxTokens: number): () => Promise<void> {
        const turnId = `bench-${++this.turn}`;
        const done = this.engine.connection
            .sendRequest(CHAT_SEND_METHOD, {
                turnId,
                messages: [{ role: "user", text }],
                maxTokens
            })
            .catch(() => undefined);
        return async () => {
            await this.engine.connection
                .sendRequest(CHAT_STOP_METHOD, { turnId })
                .catch(() => undefined);
            await done;
        };
    }

    async shutdown(): Promise<void> {
        clearInterval(this.sampler);
        await this.engine.shutdown();
    }
}

/** Whether the engine knows a request method: a malformed call is answered "invalid params", an unknown one "method not found". */
async function probeMethod(engine: EngineProcess, method: string): Promise<boolean> {
    try {
        await engine.connection.sendRequest(method, { probe: true });
        return true;
    } catch (error) {
        return !(error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound);
    }
}
