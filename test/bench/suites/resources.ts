/** Engine memory after loading and after many completions, memory over the run, and the .vsix size. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { NOT_PRESENT } from "../engineAdapter";
import { REPO_ROOT } from "../../support/models";
import type { Table } from "../results";
import { loadAvg } from "../machine";
import { fmt } from "../stats";
import type { Suite } from "../suite";
import { REPLAY_URI } from "./replay";
import { documentBeforeTyping, pickPositions } from "../replay";

function vsixSize(build: boolean, log: (m: string) => void): { mib: number; note: string } {
    if (build) {
        try {
            return buildVsix(log);
        } catch (error) {
            const text = error instanceof Error ? error.message : String(error);
            return {
                mib: NaN,
                note: `packaging failed: ${text.split("\n").find((l) => /Error:/.test(l)) ?? text.slice(0, 200)}`
            };
        }
    }
    const existing = readdirSync(REPO_ROOT)
        .filter((f) => f.endsWith(".vsix"))
        .sort();
    if (existing.length)
        return {
            mib: statSync(path.join(REPO_ROOT, existing.at(-1)!)).size / 1024 / 1024,
            note: `existing ${existing.at(-1)} (not rebuilt; pass --package)`
        };
    return { mib: NaN, note: "not built (pass --package, or use --full)" };
}

function buildVsix(log: (m: string) => void): { mib: number; note: string } {
    const dir = path.join(REPO_ROOT, ".artifacts");
    mkdirSync(dir, { recursive: true });
    const out = path.join(dir, "bench.vsix");
    log("  packaging the .vsix");
    execFileSync(process.execPath, [path.join(REPO_ROOT, "scripts", "package.mjs"), "--out", out], {
        cwd: REPO_ROOT,
        stdio: "pipe"
    });
    return { mib: statSync(out).size / 1024 / 1024, note: "built by this run (npm run package)" };
}

export const resourcesSuite: Suite = {
    id: "resources",
    title: "Resources (memory, package size)",
    async run({ options, engine, positions, log, earlier }) {
        const adapter = await engine();
        const figures: Record<string, number> = {};
        const rows: (string | number)[][] = [];
        const afterLoad = adapter.rssAfterReady;
        figures.engineRssAfterLoadMiB = afterLoad;
        rows.push(["engine RSS after the model is ready", fmt(afterLoad, 0), "MiB"]);
        const readings: { completions: number; rssMiB: number }[] = [
            { completions: 0, rssMiB: adapter.rssMiB() }
        ];
        // Enough distinct positions that no answer repeats (the replay's files, another seed): the
        // loop's requests are model calls and typed-along answers, not cache hits of earlier rounds.
        const files = [...new Set(positions().map((p) => p.file))];
        const all = pickPositions(
            files,
            Math.ceil(options.memoryCompletions / options.chars),
            options.chars,
            options.seed + 1
        );
        if (adapter.hasCompletion && all.length > 0) {
            // A bounded loop over those positions in turn: at each, type its characters one by one
            // (a change and a completion each); then the next position replaces the document.
            const every = Math.max(1, Math.floor(options.memoryCompletions / 4));
            let index = -1;
            let position = all[0]!;
            let k = position.typed.length;
            log(
                `  ${options.memoryCompletions} completions over ${all.length} positions; RSS at 0: ${fmt(readings[0]!.rssMiB, 1)} MiB (load average ${loadAvg().join(" ")})`
            );
            for (let i = 1; i <= options.memoryCompletions; i++) {
                if (k >= position.typed.length) {
                    index = (index + 1) % all.length;
                    position = all[index]!;
                    k = 0;
                    if (i === 1)
                        await adapter.openDocument(REPLAY_URI, documentBeforeTyping(position));
                    else await adapter.replaceDocument(REPLAY_URI, documentBeforeTyping(position));
                }
                await adapter.type(REPLAY_URI, position.line, k, position.typed[k]!);
                await adapter.complete(REPLAY_URI, position.line, k + 1, options.maxTokens);
                k++;
                if (i % every === 0) {
                    readings.push({ completions: i, rssMiB: adapter.rssMiB() });
                    log(
                        `  RSS after ${i} completions: ${fmt(readings.at(-1)!.rssMiB, 1)} MiB (load average ${loadAvg().join(" ")})`
                    );
                }
            }
            await adapter.closeDocument(REPLAY_URI);
            const first = readings[0]!;
            const middle = readings[Math.floor((readings.length - 1) / 2)]!;
            const last = readings.at(-1)!;
            figures[`engineRssAfter${options.memoryCompletions}CompletionsMiB`] = last.rssMiB;
            figures.engineRssStartMiB = first.rssMiB;
            figures.engineRssMiddleMiB = middle.rssMiB;
            figures.engineRssEndMiB = last.rssMiB;
            figures.engineRssGrowthMiB = last.rssMiB - first.rssMiB;
            figures.engineRssGrowthSecondHalfMiB = last.rssMiB - middle.rssMiB;
            rows.push([
                `engine RSS at the start / after ${middle.completions} / after ${last.completions} completions`,
                `${fmt(first.rssMiB, 0)} / ${fmt(middle.rssMiB, 0)} / ${fmt(last.rssMiB, 0)}`,
                "MiB"
            ]);
            rows.push([
                `engine RSS after ${options.memoryCompletions} completions`,
                fmt(last.rssMiB, 0),
                "MiB"
            ]);
            rows.push([
                "growth over those completions (second half)",
                `${fmt(figures.engineRssGrowthMiB, 1)} (${fmt(figures.engineRssGrowthSecondHalfMiB, 1)})`,
                "MiB"
            ]);
            log(
                `  RSS start / middle / end: ${fmt(first.rssMiB, 1)} / ${fmt(middle.rssMiB, 1)} / ${fmt(last.rssMiB, 1)} MiB`
            );
        } else {
            rows.push([
                `engine RSS after ${options.memoryCompletions} completions`,
                "n/a",
                NOT_PRESENT
            ]);
        }
        const timeline = adapter.rssTimeline;
        figures.engineRssPeakMiB = Math.max(
            ...timeline.map((t) => t.rssMiB).filter(Number.isFinite),
            afterLoad
        );
        rows.push(["engine RSS peak over the whole run", fmt(figures.engineRssPeakMiB, 0), "MiB"]);
        rows.push([
            "extension host's added memory",
            "n/a",
            "needs the real VS Code harness; not measured by this script"
        ]);
        const vsix = vsixSize(
            options.packageVsix && existsSync(path.join(REPO_ROOT, "scripts", "package.mjs")),
            log
        );
        figures.vsixMiB = vsix.mib;
        rows.push([".vsix size", fmt(vsix.mib, 1), `MiB, ${vsix.note}`]);
        const startup = earlier.get("startup");
        if (startup?.status === "ok")
            rows.push([
                "engine cold start (startup suite)",
                fmt(startup.figures.engineColdStartMs, 0),
                "ms"
            ]);
        const tables: Table[] = [
            { title: "Resources", columns: ["measure", "value", "unit / note"], rows }
        ];
        if (timeline.length > 1) {
            const step = Math.max(1, Math.floor(timeline.length / 12));
            tables.push({
                title: "Engine RSS over the run (sampled every second)",
                columns: ["seconds since ready", "RSS (MiB)"],
                rows: timeline
                    .filter((_, i) => i % step === 0 || i === timeline.length - 1)
                    .map((t) => [fmt(t.seconds, 0), fmt(t.rssMiB, 0)])
            });
        }
        return { status: "ok", figures, tables, samples: { readings, timeline } };
    }
};
