/**
 * A team server with this machine's model as fallback (`apprentice.backend.fallbackToLocal`): while
 * the server cannot be reached, the same LocalInference answers, so a fallback answer gets the local
 * prompt layout, filter and post-processing, and says where it came from (`fallbackFrom`). After a
 * failure it goes straight to the local model for `retryAfterMs` (no timeout per keystroke), then
 * tries the server again. `onChange` tells the host when it switches, so the user is told once.
 */
import type { ChatSendResult } from "../../shared/chatProtocol";
import type { TurnRequest } from "../chat/turnRequest";
import { BackendError, isBackendError } from "./errors";
import type { CompletionJob, CompletionProduct, Inference } from "./inference";

/** Only failures of the connection fall back; a refused key or a bad request must be seen and fixed. */
function shouldFallBack(error: unknown): error is BackendError {
    return (
        isBackendError(error) &&
        (error.code === "unreachable" || error.code === "timeout" || error.code === "busy")
    );
}

export class FallbackInference implements Inference {
    private downUntil = 0;
    private fallingBack = false;

    constructor(
        private readonly remote: Inference,
        private readonly local: Inference,
        private readonly onChange: (usingFallback: boolean, error?: BackendError) => void,
        private readonly retryAfterMs = 30_000,
        private readonly now: () => number = Date.now
    ) {}

    get host(): string | undefined {
        return this.remote.host;
    }
    get usingFallback(): boolean {
        return this.fallingBack;
    }
    /** Work ahead runs on the local model, so only while it stands in for the server. */
    get worksAhead(): boolean {
        return this.fallingBack && this.local.worksAhead;
    }

    async complete(job: CompletionJob): Promise<CompletionProduct> {
        // Work ahead never goes to the server; on the local model only while it stands in.
        if (job.background)
            return this.fallingBack ? this.completeLocally(job) : { kind: "cancelled" };
        if (this.isDown()) return this.completeLocally(job);
        try {
            const product = await this.remote.complete(job);
            if (product.kind === "generated") this.markUp();
            return product;
        } catch (error) {
            if (!shouldFallBack(error) || job.signal.aborted) throw error;
            this.markDown(error);
            return this.completeLocally(job);
        }
    }

    async chat(
        request: TurnRequest,
        signal: AbortSignal,
        arrived: number
    ): Promise<ChatSendResult> {
        if (this.isDown()) return this.chatLocally(request, signal, arrived);
        let delivered = false;
        const watched: TurnRequest = {
            ...request,
            onPart: (part, text) => {
                delivered = true;
                request.onPart(part, text);
            }
        };
        try {
            const result = await this.remote.chat(watched, signal, arrived);
            if (delivered) this.markUp();
            return result;
        } catch (error) {
            if (!shouldFallBack(error) || signal.aborted) throw error;
            this.markDown(error);
            // Text already shown came from the server; the rest of the answer cannot be stitched on.
            if (delivered) throw error;
            return this.chatLocally(request, signal, arrived);
        }
    }

    prepareChat(): void {
        if (this.fallingBack) this.local.prepareChat();
    }

    private async completeLocally(job: CompletionJob): Promise<CompletionProduct> {
        const product = await this.local.complete(job);
        return product.kind === "generated"
            ? { ...product, timings: { ...product.timings, fallbackFrom: this.host } }
            : product;
    }

    private async chatLocally(
        request: TurnRequest,
        signal: AbortSignal,
        arrived: number
    ): Promise<ChatSendResult> {
        return { ...(await this.local.chat(request, signal, arrived)), fallbackFrom: this.host };
    }

    private isDown(): boolean {
        return this.now() < this.downUntil;
    }

    private markDown(error: BackendError): void {
        this.downUntil = this.now() + this.retryAfterMs;
        if (!this.fallingBack) {
            this.fallingBack = true;
            this.onChange(true, error);
        }
    }

    private markUp(): void {
        if (this.fallingBack) {
            this.fallingBack = false;
            this.onChange(false);
        }
    }
}
