/**
 * The chat sequence's token predictor: it predicts nothing, but node-llama-cpp awaits
 * `predictTokens()` before every evaluation step of a generation on the sequence (it is how a
 * predictor makes generation wait for its predictions), which makes it the place where a chat answer
 * pauses between two tokens while a completion runs (SequenceScheduler.pausePoint), and resumes
 * where it was. It implements TokenPredictor's shape rather than extending the class (whose other
 * methods are empty defaults): node-llama-cpp is ESM-only, and a type-only import keeps this file
 * loadable from CommonJS tests.
 */
import type { Token, TokenPredictor } from "node-llama-cpp";
import type { SequenceScheduler } from "./sequenceScheduler";

const NOTHING: Token[] = [];

export class PausingPredictor implements TokenPredictor {
    constructor(private readonly scheduler: SequenceScheduler) {}

    predictTokens(): Token[] | Promise<Token[]> {
        const pause = this.scheduler.pausePoint();
        return pause ? pause.then(() => NOTHING) : NOTHING;
    }

    reset(): void {
        /* nothing is predicted */
    }
    pushTokens(): void {
        /* nothing is predicted */
    }
    stop(): void {
        /* nothing runs in the background */
    }
    updateInputTokens(): void {
        /* nothing is predicted */
    }
    dispose(): void {
        /* nothing held */
    }
    [Symbol.dispose](): void {
        this.dispose();
    }
}
