/**
 * A remote backend that falls back to the local model while the server cannot be reached. After a
 * failure it goes straight to the local model for `retryAfterMs` (no timeout per keystroke), then
 * tries the server again. `onChange` tells the host when it switches, so the user is told once.
 */
import type { Backend, ChatRequest, InfillRequest } from "../remote/backend";
import { BackendError, isBackendError } from "./errors";

/** Only failures of the connection fall back; a refused key or a bad request must be seen and fixed. */
function shouldFallBack(error: unknown): error is BackendError {
    return isBackendError(error) && (error.code === "unreachable" || error.code === "timeout" || error.code === "busy");
}

export class FallbackBackend implements Backend {
    private downUntil = 0;
    private fallingBack = false;

    constructor(
        private readonly remote: Backend,
        private readonly local: Backend,
        private readonly onChange: (usingFallback: boolean, error?: BackendError) => void,
        private readonly retryAfterMs = 30_000,
        private readonly now: () => number = Date.now
    ) {}

    get kind() { return this.remote.kind; }
    get host() { return this.remote.host; }
    get usingFallback(): boolean { return this.fallingBack; }

    async infill(request: InfillRequest, signal: AbortSignal): Promise<string> {
        if (this.isDown()) return this.local.infill(request, signal);
        try {
            const text = await this.remote.infill(request, signal);
            this.markUp();
            return text;
        } catch (error) {
            if (!shouldFallBack(error) || signal.aborted) throw error;
            this.markDown(error);
            return this.local.infill(request, signal);
        }
    }

    async *chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<string> {
        if (this.isDown()) {
            yield* this.local.chat(request, signal);
            return;
        }
        let yielded = false;
        try {
            for await (const chunk of this.remote.chat(request, signal)) {
                if (!yielded) this.markUp();
                yielded = true;
                yield chunk;
            }
        } catch (error) {
            if (!shouldFallBack(error) || signal.aborted) throw error;
            this.markDown(error);
            // Text already shown came from the server; the rest of the answer cannot be stitched on.
            if (yielded) throw error;
            yield* this.local.chat(request, signal);
        }
    }

    models(signal: AbortSignal): Promise<string[]> {
        return this.remote.models(signal);
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

    dispose(): void {
        this.remote.dispose();
    }
}
