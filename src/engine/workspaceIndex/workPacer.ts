/**
 * How the workspace index shares the engine with completions: work in slices of at most
 * `SLICE_MS`, then give the event loop a turn, and wait while the user types or a completion is
 * being computed.
 */
import type { IndexHooks } from "./indexTypes";

/** Longest stretch of work before the engine's event loop gets a turn (completion requests must not wait). */
const SLICE_MS = 8;
/** While the user is typing (an edit within this time), indexing pauses. */
const TYPING_PAUSE_MS = 400;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class WorkPacer {
    private sliceStart = 0;

    constructor(private readonly hooks: Pick<IndexHooks, "lastEdit" | "completionBusy">) {}

    /** Whether the current slice has run longer than `SLICE_MS`. */
    due(): boolean {
        return performance.now() - this.sliceStart > SLICE_MS;
    }

    /** Starts a new slice at the next `pace` (after a long step such as embedding a chunk). */
    restart(): void {
        this.sliceStart = 0;
    }

    /** Gives the event loop a turn after SLICE_MS of work, and waits while the user types. */
    async pace(signal: AbortSignal): Promise<void> {
        if (performance.now() - this.sliceStart < SLICE_MS) return;
        await yieldToEventLoop();
        const { lastEdit, completionBusy } = this.hooks;
        const typing = () =>
            (lastEdit !== undefined && performance.now() - lastEdit() < TYPING_PAUSE_MS) ||
            completionBusy?.() === true;
        while (!signal.aborted && typing()) await sleep(TYPING_PAUSE_MS / 2);
        this.sliceStart = performance.now();
    }
}
