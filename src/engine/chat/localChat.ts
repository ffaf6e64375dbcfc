/**
 * A chat turn on this machine's model, the tuned path: the conversation fitted to the context by
 * real token counts (promptFit), run on the model host's chat sequence through its scheduler (one
 * turn at a time), thinking and answer streamed apart, timings measured. One LlamaChat per loaded
 * model, so a conversation's earlier tokens stay in the KV cache between turns. A model reload
 * stops the running turn (it keeps what was written). LocalInference and FallbackInference use it.
 */
import type { LlamaChat, LlamaChatResponseChunk } from "node-llama-cpp";
import type { ChatSendResult, ChatStopReason } from "../../shared/chatProtocol";
import type { Logger } from "../log";
import type { LoadedModel, ModelHost } from "../modelHost/modelHost";
import { chatFormatFor, type ChatFormat } from "./chatTemplate";
import { DEFAULT_SYSTEM_PROMPT, fitPrompt } from "./promptFit";
import { ThinkingParser } from "./thinkingParser";
import { TurnRecorder } from "./turnRecorder";
import type { TurnRequest } from "./turnRequest";

/** node-llama-cpp is imported on first use (it is ESM-only; this also lets CommonJS tests load this file). */
const llama = () => import("node-llama-cpp");

export class NoModelError extends Error {
    override readonly name = "NoModelError";
}

interface ChatState {
    loaded: LoadedModel;
    chat: LlamaChat;
    format: ChatFormat;
}

export class LocalChat {
    private state: ChatState | undefined;
    /** Turns running or waiting on this machine's model: a reload stops them. */
    private readonly running = new Set<AbortController>();
    private readonly subscription: { dispose(): void };

    constructor(
        private readonly host: ModelHost,
        private readonly log: Logger
    ) {
        this.subscription = host.onDidChangeModel(() => {
            for (const controller of this.running) controller.abort();
            this.state?.chat.dispose({ disposeSequence: false });
            this.state = undefined;
        });
    }

    /** Works out the chat format of the loaded model ahead of the first turn (it takes a moment). */
    prepare(): void {
        if (!this.host.loaded || this.state?.loaded === this.host.loaded) return;
        this.chatState().catch((error: unknown) => {
            this.log.warn(
                `Could not prepare chat: ${error instanceof Error ? error.message : String(error)}`
            );
        });
    }

    /** Runs the turn when the chat sequence is free; `signal` stops it (what was written is kept). */
    turn(request: TurnRequest, signal: AbortSignal, arrived: number): Promise<ChatSendResult> {
        const controller = new AbortController();
        if (signal.aborted) controller.abort();
        signal.addEventListener("abort", () => controller.abort(), { once: true });
        this.running.add(controller);
        const job = () => this.generate(request, controller.signal, arrived);
        const scheduler = this.host.loaded?.chatScheduler;
        const result = scheduler ? scheduler.run(job) : job();
        return result.finally(() => this.running.delete(controller));
    }

    private async chatState(): Promise<ChatState> {
        const loaded = this.host.loaded;
        if (!loaded) {
            const status = this.host.status;
            const why =
                status.state === "loading"
                    ? "The model is still loading; try again in a moment."
                    : status.state === "error"
                      ? `The model could not be loaded: ${status.message}`
                      : "No model is loaded. Choose a GGUF model file first.";
            throw new NoModelError(why);
        }
        if (this.state?.loaded !== loaded) {
            const module = await llama();
            // The model may have changed while the module was being imported.
            if (this.host.loaded !== loaded) return this.chatState();
            if (this.state?.loaded === loaded) return this.state;
            const format = chatFormatFor(loaded.model, module);
            this.state = {
                loaded,
                format,
                chat: new module.LlamaChat({
                    contextSequence: loaded.chatSequence,
                    chatWrapper: format.wrapper
                })
            };
            this.log.info(`Chat uses ${format.name}.`);
        }
        return this.state;
    }

    private async generate(
        request: TurnRequest,
        signal: AbortSignal,
        arrived: number
    ): Promise<ChatSendResult> {
        const { loaded, chat, format } = await this.chatState();
        const contextSize = loaded.context.contextSize;
        const maxTokens = Math.max(
            1,
            Math.min(request.maxTokens ?? 1024, Math.floor(contextSize / 4))
        );
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
            const response = await chat.generateResponse(fitted.history, {
                signal,
                stopOnAbortSignal: true,
                maxTokens,
                onResponseChunk
            });
            engineStop = response.metadata.stopReason;
        } catch (error) {
            // Stopped while the model was being unloaded (settings changed): keep what was written.
            if (!signal.aborted) throw error;
            engineStop = "abort";
        }
        for (const piece of parser.end()) turn.deliver(piece.part, piece.text);
        const stopReason: ChatStopReason =
            engineStop === "abort" ? "stopped" : engineStop === "maxTokens" ? "maxTokens" : "end";
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
        for (const controller of this.running) controller.abort();
        this.subscription.dispose();
        this.state?.chat.dispose({ disposeSequence: false });
        this.state = undefined;
    }
}
