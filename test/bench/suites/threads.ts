/**
 * Raw node-llama-cpp speed by thread count on this machine: prompt evaluation and generation
 * tokens per second, thread counts interleaved round by round (rotating the order) so that the
 * machine's load hits each of them alike.
 */
import type { Token } from "node-llama-cpp";
import { disposeDirectLlama, loadModelTimed, measureSpeed, type SpeedSample } from "../direct";
import { fmt, fmtRatio, median, ratio } from "../stats";
import type { Suite } from "../suite";

export const PROMPT_TOKENS = 512;
export const GENERATED_TOKENS = 32;
/** Longest a phase of one measurement may run (a starved thread count can run at 1 token/s). */
export const PHASE_BUDGET_MS = 10_000;

export const threadsSuite: Suite = {
    id: "threads",
    title: "node-llama-cpp speed by thread count",
    async run({ options, positions, log }) {
        const { model, loadMs } = await loadModelTimed(options.model);
        const loads = [loadMs];
        try {
            const source =
                positions()[0]?.file.lines.join("\n") ??
                "function f(x) { return x + 1; }\n".repeat(200);
            let tokens = model.tokenize(source) as Token[];
            while (tokens.length < PROMPT_TOKENS) tokens = [...tokens, ...tokens];
            const prompt = tokens.slice(0, PROMPT_TOKENS);
            const counts = options.threadCounts;
            const samples: SpeedSample[] = [];
            for (let round = 0; round < options.rounds; round++) {
                for (let k = 0; k < counts.length; k++) {
                    const threads = counts[(k + round) % counts.length]!;
                    const s = await measureSpeed(
                        model,
                        threads,
                        prompt,
                        GENERATED_TOKENS,
                        PHASE_BUDGET_MS
                    );
                    samples.push(s);
                    log(
                        `  round ${round + 1}, ${threads} threads: prompt ${s.promptTokensPerSecond.toFixed(0)} tok/s, generation ${s.generateTokensPerSecond.toFixed(1)} tok/s`
                    );
                }
            }
            const base = counts[0]!;
            const med = (
                threads: number,
                key: "promptTokensPerSecond" | "generateTokensPerSecond"
            ) => median(samples.filter((s) => s.threads === threads).map((s) => s[key]));
            const figures: Record<string, number> = { modelLoadMs: median(loads) };
            const rows = counts.map((t) => {
                const p = med(t, "promptTokensPerSecond");
                const g = med(t, "generateTokensPerSecond");
                figures[`prompt_tps_${t}t`] = p;
                figures[`generate_tps_${t}t`] = g;
                return [
                    String(t),
                    fmt(p, 0),
                    fmtRatio(ratio(p, med(base, "promptTokensPerSecond"))),
                    fmt(g, 1),
                    fmtRatio(ratio(g, med(base, "generateTokensPerSecond")))
                ];
            });
            const best = counts.reduce((a, b) =>
                med(b, "generateTokensPerSecond") > med(a, "generateTokensPerSecond") ? b : a
            );
            figures.bestGenerationThreads = best;
            return {
                status: "ok",
                figures,
                samples: { speed: samples },
                tables: [
                    {
                        title: `Tokens per second by threads (median of ${options.rounds} interleaved rounds; ${PROMPT_TOKENS}-token prompt, ${GENERATED_TOKENS} generated)`,
                        columns: [
                            "threads",
                            "prompt tok/s",
                            `vs ${base} thread${base === 1 ? "" : "s"}`,
                            "generation tok/s",
                            `vs ${base} thread${base === 1 ? "" : "s"}`
                        ],
                        rows,
                        note: `Each phase stops after ${PHASE_BUDGET_MS / 1000} s; the rate is what was done in that time. Fastest generation here: ${best} thread${best === 1 ? "" : "s"}. Model load: ${fmt(median(loads), 0)} ms.`
                    }
                ]
            };
        } finally {
            await model.dispose();
            await disposeDirectLlama();
        }
    }
};
