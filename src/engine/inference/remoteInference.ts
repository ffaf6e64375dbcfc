/**
 * Inference on a team's server (`apprentice.backend.kind` other than local). Completion: one
 * `infill` request with the cursor window and the cross-file chunks (the server lays out the prompt);
 * chat: the conversation streamed through the same thinking parser as the local model. Secret files
 * are never sent: the completion feature refuses to complete in one, and they are never context or
 * attachments (checked here, just before anything leaves the machine).
 */
import { runRemoteTurn } from "../chat/remoteChat";
import type { TurnRequest } from "../chat/turnRequest";
import type { Backend } from "../remote/backend";
import type { CompletionJob, CompletionProduct, Inference } from "./inference";
import type { ChatSendResult } from "../../shared/chatProtocol";

/** Which files may leave the machine. */
export interface SecretCheck {
    /** Whether a document (by URI) may be used as context. */
    usable(uri: string): boolean;
    /** Whether a file (an attachment's name or URI) may hold secrets. */
    isSecret(name: string): boolean;
}

export class RemoteInference implements Inference {
    readonly worksAhead = false;

    constructor(
        readonly backend: Backend,
        private readonly secrets: SecretCheck
    ) {}

    get host(): string | undefined {
        return this.backend.host;
    }

    async complete(job: CompletionJob): Promise<CompletionProduct> {
        if (job.background) return { kind: "cancelled" };
        const started = performance.now();
        const extra = job.chunks
            .filter((c) => this.secrets.usable(c.uri))
            .map((c) => ({ filename: c.path, text: c.text }));
        const text = await this.backend.infill(
            {
                prefix: job.window.prefix,
                suffix: job.window.suffix,
                extra,
                maxTokens: job.options.maxTokens,
                temperature: 0
            },
            job.signal
        );
        if (job.signal.aborted) return { kind: "cancelled" };
        return {
            kind: "generated",
            // Servers report no token probabilities: a server's answer counts as confident.
            suggestions: [{ text, confidence: 1 }],
            timings: {
                source: "server",
                promptTokens: 0,
                evaluatedTokens: 0,
                reusedTokens: 0,
                generatedTokens: 0,
                buildMs: 0,
                promptMs: 0,
                generateMs: round(performance.now() - started)
            }
        };
    }

    chat(request: TurnRequest, signal: AbortSignal, arrived: number): Promise<ChatSendResult> {
        return runRemoteTurn(this.backend, request, signal, arrived, (name) =>
            this.secrets.isSecret(name)
        );
    }

    prepareChat(): void {
        /* the server knows its chat format */
    }
}

function round(ms: number): number {
    return Math.round(ms * 10) / 10;
}
