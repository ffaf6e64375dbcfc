/**
 * Inference on this machine's model: the tuned completion (LocalCompletion) and chat (LocalChat)
 * paths themselves, on the model host's sequences. No code leaves the machine.
 */
import type { ChatSendResult } from "../../shared/chatProtocol";
import { LocalChat } from "../chat/localChat";
import type { TurnRequest } from "../chat/turnRequest";
import { LocalCompletion } from "../completion/localCompletion";
import type { Logger } from "../log";
import type { ModelHost } from "../modelHost/modelHost";
import type { CompletionJob, CompletionProduct, Inference } from "./inference";

export class LocalInference implements Inference {
    readonly host = undefined;
    /** Work ahead needs a model with FIM tokens. */
    get worksAhead(): boolean {
        return this.completion.fimSupported === true;
    }
    readonly completion: LocalCompletion;
    private readonly chats: LocalChat;

    constructor(
        private readonly modelHost: ModelHost,
        log: Logger
    ) {
        this.completion = new LocalCompletion(modelHost, log);
        this.chats = new LocalChat(modelHost, log);
    }

    complete(job: CompletionJob): Promise<CompletionProduct> {
        return this.completion.complete(job);
    }

    chat(request: TurnRequest, signal: AbortSignal, arrived: number): Promise<ChatSendResult> {
        return this.chats.turn(request, signal, arrived);
    }

    prepareChat(): void {
        this.chats.prepare();
    }

    /** Model names offered (for a connection check). */
    modelNames(): string[] {
        const loaded = this.modelHost.loaded;
        return loaded ? [loaded.facts.name] : [];
    }

    dispose(): void {
        this.completion.dispose();
        this.chats.dispose();
    }
}
