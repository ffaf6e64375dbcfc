/**
 * Computing the next suggestion ahead. After a suggestion is shown, the engine works out, in the
 * background, the suggestion the user would get right after accepting it (the document with the
 * suggestion inserted, the cursor at its end), and puts it in the result cache; llama.vscode does
 * the same. Any new request aborts it, unless it is the very request it was computing, which then
 * waits for it instead of starting over.
 */
import { WINDOW_LIMITS, type CursorWindow } from "./cursorWindow";

interface Ahead {
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
    return { prefix, suffix: window.suffix, linePrefix, lineSuffix: window.lineSuffix, startLine: window.startLine };
}

export class Speculation {
    private ahead: Ahead | undefined;
    /** Suggestions computed ahead: started, completed, and asked for while still being computed. */
    readonly counts = { started: 0, completed: 0, joined: 0 };

    /** Starts `run` for the request at (uri, window); aborts the one before. */
    start(uri: string, window: CursorWindow, run: (signal: AbortSignal) => Promise<boolean>): void {
        this.abort();
        const abort = new AbortController();
        this.counts.started++;
        const done = run(abort.signal).then((completed) => { if (completed) this.counts.completed++; }, () => undefined).finally(() => {
            if (this.ahead?.abort === abort) this.ahead = undefined;
        });
        this.ahead = { uri, prefix: window.prefix, suffix: window.suffix, abort, done };
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
            this.counts.joined++;
            await ahead.done;
            return;
        }
        // Typing along the shown suggestion heads for the same place: let it run.
        if (ahead.uri === uri && ahead.suffix === window.suffix && ahead.prefix.startsWith(window.prefix)) return;
        this.abort();
    }

    abort(): void {
        this.ahead?.abort.abort();
        this.ahead = undefined;
    }
}
