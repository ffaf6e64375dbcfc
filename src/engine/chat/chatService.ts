/**
 * The chat feature's turns: one at a time (a new turn stops the running one), each stoppable by its
 * id, answered by `inference.current` wherever the model runs (see ../inference/inference.ts).
 */
import type { ChatSendResult } from "../../shared/chatProtocol";
import type { Inference } from "../inference/inference";
import type { TurnRequest } from "./turnRequest";

export type { TurnRequest } from "./turnRequest";

export class ChatService {
    private readonly running = new Map<string, AbortController>();

    constructor(private readonly inference: () => Inference) {}

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
        // One conversation at a time: a new turn stops whatever is running.
        for (const other of this.running.values()) other.abort();
        this.running.set(request.turnId, controller);
        return this.inference()
            .chat(request, controller.signal, arrived)
            .finally(() => this.running.delete(request.turnId));
    }

    /** Works out the chat format ahead of the first turn, where the model runs on this machine. */
    prepare(): void {
        this.inference().prepareChat();
    }

    dispose(): void {
        for (const controller of this.running.values()) controller.abort();
        this.running.clear();
    }
}
