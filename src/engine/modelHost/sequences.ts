/** The sequences of the model host's context, each with its scheduler. */
import type { LlamaContext, LlamaContextSequence } from "node-llama-cpp";
import { PausingPredictor } from "./pausingPredictor";
import { SequenceScheduler } from "./sequenceScheduler";

export interface Sequences {
    readonly completionSequence: LlamaContextSequence;
    readonly completionScheduler: SequenceScheduler;
    readonly chatSequence: LlamaContextSequence;
    readonly chatScheduler: SequenceScheduler;
}

/**
 * The completion and chat sequences of a context with their schedulers. Completion goes first: a
 * chat answer pauses between tokens while a completion job runs (./pausingPredictor).
 */
export function createSequences(context: LlamaContext): Sequences {
    const completionScheduler = new SequenceScheduler();
    const chatScheduler = new SequenceScheduler({ yieldTo: completionScheduler });
    return {
        completionSequence: context.getSequence(),
        completionScheduler,
        chatSequence: context.getSequence({ tokenPredictor: new PausingPredictor(chatScheduler) }),
        chatScheduler
    };
}
