/**
 * Background work for a request that has not been made yet, one job at a time:
 * - "ahead": after a suggestion is shown, the suggestion the user would get right after accepting
 *   it (the document with the suggestion inserted, the cursor at its end), into the result cache;
 *   llama.vscode does the same;
 * - "prefetch": when the cursor rests at a new place, the prompt there goes into the KV cache, so
 *   that the first keystroke evaluates a few tokens instead of hundreds.
 * Any new request aborts the job, unless it is the very request the job was for, which then waits
 * for it instead of starting over.
 */
import { WINDOW_LIMITS, type CursorWindow } from "./cursorWindow";

export type BackgroundKind = "ahead" | "prefetch";

interface Ahead {
    kind: BackgroundKind;
    uri: string;
    prefix: string;
    suffix: string;
    abort: AbortController;
    done: Promise<void>;
}

/** The window around the cursor once `accepted` is inserted at the cursor of `window`. */
export function windowAfterAccepting(window: CursorWindow, accepted: string): CursorWindow {
    const prefix = window.prefix + accepted;
    const linePrefix = prefix.slice(prefix.lastIndexOf("\n") + 1).slice(-WINDOW_LIMITS.lineChars);
    return {
        prefix,
        suffix: window.suffix,
        linePrefix,
        lineSuffix: window.lineSuffix,
        startLine: window.startLine
    };
}

export class Speculation {
    private ahead: Ahead | undefined;
    /** Per kind of job: started, completed, and asked for while still running. */
    readonly counts: Record<
        BackgroundKind,
        { started: number; completed: number; joined: number }
    > = {
        ahead: { started: 0, completed: 0, joined: 0 },
        prefetch: { started: 0, completed: 0, joined: 0 }
    };

    /** Starts `run` for the request at (uri, window); aborts the one before. */
    start(
        kind: BackgroundKind,
        uri: string,
        window: CursorWindow,
        run: (signal: AbortSignal) => Promise<boolean>
    ): void {
        this.abort();
        const abort = new AbortController();
        const counts = this.counts[kind];
        counts.started++;
        const done = run(abort.signal)
            .then(
                (completed) => {
                    if (completed) counts.completed++;
                },
                () => undefined
            )
            .finally(() => {
                if (this.ahead?.abort === abort) this.ahead = undefined;
            });
        this.ahead = { kind, uri, prefix: window.prefix, suffix: window.suffix, abort, done };
    }

    /**
     * Before a request is served: if the suggestion ahead is for this very request, waits for it
     * (it lands in the result cache); if the user is typing along towards it, lets it run;
     * otherwise aborts it.
     */
    async settle(uri: string, window: CursorWindow): Promise<void> {
        const ahead = this.ahead;
        if (!ahead) return;
        if (ahead.uri === uri && ahead.prefix === window.prefix && ahead.suffix === window.suffix) {
            this.counts[ahead.kind].joined++;
            await ahead.done;
            return;
        }
        // Typing along the shown suggestion heads for the same place: let it run.
        if (
            ahead.uri === uri &&
            ahead.suffix === window.suffix &&
            ahead.prefix.startsWith(window.prefix)
        )
            return;
        this.abort();
    }

    abort(): void {
        this.ahead?.abort.abort();
        this.ahead = undefined;
    }
}
