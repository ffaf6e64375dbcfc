/** Warm keystroke latency while a chat turn streams, against the same keystrokes without chat. */
import { NOT_PRESENT } from "../engineAdapter";
import { fmt, fmtRatio, ratio, summarize } from "../stats";
import { skipped, type Suite } from "../suite";
import { CHAT_QUESTION } from "./chat";
import { replayEngine, splitColdWarm } from "./replay";

export const sharingSuite: Suite = {
    id: "sharing",
    title: "Sharing (completion while chat streams)",
    async run({ options, engine, positions }) {
        const adapter = await engine();
        if (!adapter.hasCompletion || !adapter.hasChat)
            return skipped(`${NOT_PRESENT}: needs both inline completion and chat`);
        // Disjoint positions for the two halves: a position replayed twice would be served from the answer cache.
        const all = positions();
        const half = Math.max(1, Math.floor(all.length / 2));
        const some = all.slice(0, half);
        const alone = splitColdWarm(await replayEngine(adapter, some, options.maxTokens)).warm;
        const stop = adapter.startChat(CHAT_QUESTION, 4096);
        let withChat: number[];
        try {
            withChat = splitColdWarm(
                await replayEngine(adapter, all.slice(half, half * 2), options.maxTokens)
            ).warm;
        } finally {
            await stop();
        }
        const a = summarize(alone);
        const c = summarize(withChat);
        return {
            status: "ok",
            figures: {
                warmP50Alone: a.p50,
                warmP50WithChat: c.p50,
                warmP95Alone: a.p95,
                warmP95WithChat: c.p95,
                p50Ratio: ratio(c.p50, a.p50),
                p95Ratio: ratio(c.p95, a.p95)
            },
            latency: [{ label: "warm, chat streaming", values: withChat }],
            tables: [
                {
                    title: `Warm keystrokes, ${some.length} positions alone and ${some.length} others while chat streams`,
                    columns: [
                        "percentile (ms)",
                        "alone",
                        "while chat streams",
                        "with chat / alone"
                    ],
                    rows: [
                        ["p50", fmt(a.p50, 0), fmt(c.p50, 0), fmtRatio(ratio(c.p50, a.p50))],
                        ["p95", fmt(a.p95, 0), fmt(c.p95, 0), fmtRatio(ratio(c.p95, a.p95))]
                    ]
                }
            ]
        };
    }
};
