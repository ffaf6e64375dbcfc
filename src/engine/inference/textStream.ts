/** Turns a callback-driven generation (`onText`) into an async iterable of text chunks. */
import type { GenerationResult } from "./sequenceGeneration";

export async function* streamText(run: (onText: (text: string) => void) => Promise<GenerationResult>): AsyncGenerator<string> {
    const pending: string[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    let failure: { error: unknown } | undefined;
    const done = run((text) => {
        pending.push(text);
        wake?.();
    }).then(() => { finished = true; wake?.(); }, (error: unknown) => { failure = { error }; finished = true; wake?.(); });
    try {
        for (;;) {
            while (pending.length > 0) yield pending.shift()!;
            if (finished) break;
            await new Promise<void>((resolve) => { wake = resolve; });
            wake = undefined;
        }
        if (failure) throw failure.error;
    } finally {
        await done;
    }
}
