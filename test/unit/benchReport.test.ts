import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { renderReport, renderTable } from "../bench/report";
import type { BenchResults } from "../bench/results";
import { histogram, latencySvg, logBins } from "../bench/svg";

const results: BenchResults = {
    startedAt: "2026-11-23T12:00:00.000Z",
    finishedAt: "2026-11-23T12:03:00.000Z",
    machine: {
        platform: "linux",
        arch: "x64",
        cpuModel: "cpu",
        cores: 2,
        totalMemMiB: 8000,
        node: "v20",
        nodeLlamaCpp: "3.21.1",
        loadAvgStart: [9, 5, 2],
        loadAvgEnd: [8, 6, 3]
    },
    options: {
        mode: "quick",
        model: "/m/shape.gguf",
        threads: 1,
        threadCounts: [1, 2],
        seed: 7,
        positions: 2,
        chars: 3,
        maxTokens: 16,
        restMs: 0,
        engine: "dist/engine.js"
    },
    warnings: ["The machine was loaded"],
    suites: [
        {
            id: "threads",
            title: "Threads",
            status: "ok",
            seconds: 3.25,
            figures: { a: 1 },
            tables: [
                {
                    title: "Speed",
                    columns: ["threads", "tok/s"],
                    rows: [
                        [1, "61.0"],
                        [2, "1.5"]
                    ],
                    note: "1 thread wins"
                }
            ],
            latency: [{ label: "cold", values: [100, 200] }]
        },
        {
            id: "chat",
            title: "Chat",
            status: "skipped",
            reason: "feature not present in this engine",
            seconds: 0,
            figures: {},
            tables: []
        }
    ]
};

describe("bench report", () => {
    it("renders a Markdown table with escaped cells and right-aligned numbers", () => {
        const md = renderTable({ title: "T", columns: ["a", "b"], rows: [["x|y", 2]] });
        assert.match(md, /\| a \| b \|\n\| --- \| ---: \|\n\| x\\\|y \| 2 \|/);
    });
    it("shows the machine, the load, the warnings, every suite with its status and the plot", () => {
        const md = renderReport(results, "latency.svg");
        assert.match(md, /2 cores/);
        assert.match(md, /node-llama-cpp 3\.21\.1/);
        assert.match(md, /start 9, 5, 2; end 8, 6, 3/);
        assert.match(md, /## Warnings\n\n- The machine was loaded/);
        assert.match(md, /\| Chat \| skipped \| 0\.0 s \| feature not present in this engine \|/);
        assert.match(md, /_skipped: feature not present in this engine_/);
        assert.match(md, /\| 2 \| 1\.5 \|/);
        assert.match(md, /!\[latency distributions\]\(latency\.svg\)/);
    });
});

describe("bench latency plot", () => {
    it("bins values on a log scale, counting each value once", () => {
        const edges = logBins(1, 1000, 3);
        assert.equal(edges.length, 4);
        assert.ok(Math.abs(edges[1]! - 10) < 1e-9 && Math.abs(edges[2]! - 100) < 1e-9);
        assert.deepEqual(histogram([1, 5, 10, 50, 500, 1000, NaN], edges), [2, 2, 2]);
    });
    it("draws one row of bars per series with labels, and says so when there is nothing to draw", () => {
        const svg = latencySvg(
            [
                { label: "Apprentice warm", values: [10, 12, 14, 200] },
                { label: "llama-server <warm>", values: [1900, 2100] }
            ],
            "Latency"
        );
        assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        assert.ok(svg.endsWith("</svg>"));
        assert.match(svg, /Apprentice warm/);
        assert.match(svg, /llama-server &lt;warm&gt;/);
        assert.ok((svg.match(/<rect x=/g) ?? []).length >= 3);
        assert.match(latencySvg([], "Latency"), /No latency samples/);
    });
});
