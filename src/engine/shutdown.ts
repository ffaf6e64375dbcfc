/** Runs disposal steps in order, but never for longer than a limit: a hung native dispose must not keep the engine alive. */
import type { Logger } from "./log";

export const SHUTDOWN_LIMIT_MS = 3000;

export async function disposeWithin(
    steps: readonly (() => unknown)[],
    limitMs: number,
    log: Logger
): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const run = (async () => {
        for (const step of steps) {
            try {
                await step();
            } catch (error) {
                log.warn(
                    `Shutdown step failed: ${error instanceof Error ? error.message : String(error)}`
                );
            }
        }
        return true;
    })();
    const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), limitMs);
    });
    const finished = await Promise.race([run, late]);
    clearTimeout(timer);
    if (!finished)
        log.warn(`Shutdown took longer than ${limitMs} ms; exiting without waiting for the rest.`);
    return finished;
}
