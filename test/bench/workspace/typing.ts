/**
 * Whether the index slows typing: the typing replay through the model-loaded engine, alternately
 * with its workspace index off and while it builds the index of a large folder from nothing
 * (ABBA order over the rounds, so drift of the machine's load hits both), in the same minutes.
 */
import type { EngineAdapter } from "../engineAdapter";
import { loadAvg } from "../machine";
import type { KeystrokeSample, ReplayPosition } from "../replay";
import { replayEngine } from "../suites/replay";
import { temporaryFolder } from "./build";
import { IndexClient } from "./indexClient";

export interface TypingRun {
    round: number;
    withIndex: boolean;
    samples: KeystrokeSample[];
    /** Keystrokes answered while the index reported "building". */
    duringBuild: number;
    /** Files the index got through during this replay (while building). */
    filesIndexed: number;
    seconds: number;
    loadAvg: number[];
}

/**
 * `positionSets[0]` warms the engine up (not counted); each run after it types its own set, since a
 * position typed twice would be answered from the engine's cache.
 */
export async function measureTyping(
    adapter: EngineAdapter,
    positionSets: readonly (readonly ReplayPosition[])[],
    folder: string,
    maxTokens: number,
    log: (m: string) => void
): Promise<TypingRun[]> {
    const client = new IndexClient(adapter.engine.connection);
    await client.turnOff();
    await replayEngine(adapter, positionSets[0]!, maxTokens);
    const rounds = Math.floor((positionSets.length - 1) / 2);
    const runs: TypingRun[] = [];
    for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? [false, true] : [true, false];
        for (const withIndex of order) {
            const storage = temporaryFolder("typing");
            try {
                let startFiles = 0;
                if (withIndex) {
                    const since = await client.configure(folder, storage.path);
                    const started = await client.waitFor(
                        (p) =>
                            (p.state === "building" && p.filesDone > 0) ||
                            p.state === "ready" ||
                            p.state === "error",
                        since,
                        300_000
                    );
                    if (started.state !== "building")
                        throw new Error(
                            `The index of ${folder} was not building when typing started (${started.state}); use a larger folder.`
                        );
                    startFiles = started.filesDone;
                }
                let duringBuild = 0;
                const began = performance.now();
                const samples = await replayEngine(
                    adapter,
                    positionSets[1 + runs.length]!,
                    maxTokens,
                    () => {
                        if (withIndex && client.last?.state === "building") duringBuild++;
                    }
                );
                const seconds = (performance.now() - began) / 1000;
                const filesIndexed = withIndex
                    ? (client.last?.filesDone ?? startFiles) - startFiles
                    : 0;
                runs.push({
                    round,
                    withIndex,
                    samples,
                    duringBuild,
                    filesIndexed,
                    seconds,
                    loadAvg: loadAvg()
                });
                log(
                    `  round ${round + 1}, index ${withIndex ? "building" : "off"}: ${samples.length} keystrokes in ${seconds.toFixed(1)} s${withIndex ? `, ${duringBuild} while building, ${filesIndexed} files indexed meanwhile` : ""} (load average ${loadAvg().join(" ")})`
                );
            } finally {
                if (withIndex) await client.turnOff();
                storage.dispose();
            }
        }
    }
    return runs;
}
