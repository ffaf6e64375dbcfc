/**
 * Runs chat turns on the model host's chat sequence, one at a time (a new turn stops the running
 * one). Streams thinking and answer text, measures timings, and keeps one LlamaChat per loaded
 * model so that a conversation's earlier tokens stay in the KV cache between turns.
 */
import { LlamaChat, type LlamaChatResponseChunk } from "node-llama-cpp";
import type { ChatSendResult, ChatStopReason } from "../../shared/chatProtocol";
import type { InferenceHost } from "../inference/inferenceHost";
import type { Logger } from "../log";
import type { LoadedModel, ModelHost } from "../modelHost/modelHost";
import { chatFormatFor, type ChatFormat } from "./chatTemplate";
import { DEFAULT_SYSTEM_PROMPT, fitPrompt } from "./promptFit";
import { runRemoteTurn } from "./remoteChat";
import { ThinkingParser } from "./thinkingParser";
import { TurnRecorder } from "./turnRecorder";
import type { TurnRequest } from "./turnRequest";

export type { TurnRequest } from "./turnRequest";

export class NoModelError extends Error {
    override readonly name = "NoModelError";
}

/** Where a server backend comes from, and which attachments must not be sent to it. */
export interface RemoteChatContext {
    backends: Pick<InferenceHost, "backend">;
    isSecret(name: string): boolean;
}

interface ChatState {
    loaded: LoadedModel;
    chat: LlamaChat;
    format: ChatFormat;
}

export class ChatService {
    private state: ChatState | undefined;
    private readonly running = new Map<string, AbortController>();
    private readonly subscription: { dispose(): void };

    constructor(private readonly host: ModelHost, private readonly log: Logger, private readonly remote?: RemoteChatContext) {
        this.subscription = host.onDidChangeModel(() => {
            // A turn answered by a server does not depend on the local model.
            const local = (this.remote?.backends.backend.kind ?? "local") === "local";
            if (local) for (const controller of this.running.values()) controller.abort();
            this.state?.chat.dispose({ disposeSequence: false });
            this.state = undefined;
        });
    }

    /** Stops a running or queued turn. */
    stop(turnId: string): boolean {
        const controller = this.running.get(turnId);
        controller?.abort();
        return controller !== undefined;
    }

    run(request: TurnRequest): Promise<ChatSendResult> {
        const arrived = performance.now();
        const controller = new AbortController();
        if (request.signal?.aborted) controller.abort();
        request.signal?.addEventListener("abort", () => controller.abort(), { once: true });
        // One chat sequence: a new turn stops whatever is running.
        for (const other of this.running.values()) other.abort();
        this.running.set(request.turnId, controller);
        // A turn on this machine waits for the chat sequence (its scheduler, owned by the model host).
        const local = (this.remote?.backends.backend.kind ?? "local") === "local";
        const scheduler = local ? this.host.loaded?.chatScheduler : undefined;
        const job = () => this.generate(request, controller.signal, arrived);
        const result = scheduler ? scheduler.run(job) : job();
        return result.finally(() => this.running.delete(request.turnId));
    }

    /** Works out the chat format of the loaded model ahead of the first turn (it takes a moment). */
    prepare(): void {
        if (this.remote && this.remote.backends.backend.kind !== "local") return;
        if (!this.host.loaded || this.state?.loaded === this.host.loaded) return;
        try {
            this.chatState();
        } catch (error) {
            this.log.warn(`Could not prepare chat: ${error instanceof Error ? error.message : String(error)}`);
        }
    }

    private chatState(): ChatState {
        const loaded = this.host.loaded;
        if (!loaded) {
            const status = this.host.status;
            const why = status.state === "loading" ? "The model is still loading; try again in a moment."
                : status.state === "error" ? `The model could not be loaded: ${status.message}`
                    : "No model is loaded. Choose a GGUF model file first.";
            throw new NoModelError(why);
        }
        if (this.state?.loaded !== loaded) {
            const format = chatFormatFor(loaded.model);
            this.state = { loaded, format, chat: new LlamaChat({ contextSequence: loaded.chatSequence, chatWrapper: format.wrapper }) };
            this.log.info(`Chat uses ${format.name}.`);
        }
        return this.state;
    }

    private async generate(request: TurnRequest, signal: AbortSignal, arrived: number): Promise<ChatSendResult> {
        const backend = this.remote?.backends.backend;
        if (backend && backend.kind !== "local") return runRemoteTurn(backend, request, signal, arrived, this.remote!.isSecret);
        const { loaded, chat, format } = this.chatState();
        const contextSize = loaded.context.contextSize;
        const maxTokens = Math.max(1, Math.min(request.maxTokens ?? 1024, Math.floor(contextSize / 4)));
        const fitted = fitPrompt({
            wrapper: format.wrapper,
            tokenizer: loaded.model.tokenizer,
            system: request.system ?? DEFAULT_SYSTEM_PROMPT,
            messages: request.messages,
            // A few tokens of slack: the wrapper may add a token or two when it renders the answer.
            budget: contextSize - maxTokens - 8
        });
        const parser = new ThinkingParser({ startInThinking: format.startsInThinking });
        const turn = new TurnRecorder(arrived, request.onPart);
        const onResponseChunk = (chunk: LlamaChatResponseChunk) => {
            turn.generatedTokens(chunk.tokens.length);
            if (chunk.type === "segment") {
                if (chunk.segmentType === "thought") turn.deliver("thinking", chunk.text);
                return;
            }
            for (const piece of parser.push(chunk.text)) turn.deliver(piece.part, piece.text);
        };
        let engineStop: string;
        try {
            const response = await chat.generateResponse(fitted.history, { signal, stopOnAbortSignal: true, maxTokens, onResponseChunk });
            engineStop = response.metadata.stopReason;
        } catch (error) {
            // Stopped while the model was being unloaded (settings changed): keep what was written.
            if (!signal.aborted) throw error;
            engineStop = "abort";
        }
        for (const piece of parser.end()) turn.deliver(piece.part, piece.text);
        const stopReason: ChatStopReason = engineStop === "abort" ? "stopped" : engineStop === "maxTokens" ? "maxTokens" : "end";
        return {
            turnId: request.turnId,
            text: turn.text,
            thinking: turn.thinking,
            stopReason,
            template: format.name,
            ...(fitted.trimmed ? { trimmed: fitted.trimmed } : {}),
            timings: turn.timings(fitted.promptTokens)
        };
    }

    dispose(): void {
        for (const controller of this.running.values()) controller.abort();
        this.subscription.dispose();
        this.state?.chat.dispose({ disposeSequence: false });
        this.state = undefined;
    }
}
