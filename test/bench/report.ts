/** Renders a run's results as Markdown: machine, warnings, then each suite's tables. Pure. */
import type { BenchResults, Table } from "./results";

function cell(value: string | number): string {
    return String(value).replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderTable(table: Table): string {
    const lines = [
        `**${table.title}**`,
        "",
        `| ${table.columns.map(cell).join(" | ")} |`,
        `| ${table.columns.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
        ...table.rows.map((row) => `| ${row.map(cell).join(" | ")} |`)
    ];
    if (table.note) lines.push("", table.note);
    return lines.join("\n");
}

export function renderReport(results: BenchResults, svgFile?: string): string {
    const m = results.machine;
    const o = results.options;
    const out: string[] = [
        "# Apprentice benchmark report",
        "",
        `Run ${results.startedAt}${results.finishedAt ? ` → ${results.finishedAt}` : ""}, mode **${o.mode}**, seed ${o.seed}.`,
        "",
        `- Machine: ${m.platform}-${m.arch}, ${m.cores} cores (${m.cpuModel}), ${m.totalMemMiB} MiB RAM, Node ${m.node}, node-llama-cpp ${m.nodeLlamaCpp}`,
        `- Load average (1, 5, 15 min): start ${m.loadAvgStart.join(", ")}${m.loadAvgEnd ? `; end ${m.loadAvgEnd.join(", ")}` : ""}`,
        `- Model: \`${o.model}\`; engine threads ${o.threads}; thread counts compared ${o.threadCounts.join(", ")}`,
        `- Typing replay: ${o.positions} positions × ${o.chars} characters, ${o.maxTokens} generated tokens at most${o.restMs ? `, a rest of ${o.restMs} ms at each position before typing` : ""}`,
        `- llama-server: ${o.llamaServerBin ? `${o.llamaServerBin}, started for each replay model` : (o.llamaServer ?? "not given (pass --llama-server URL or --llama-server-bin FILE to compare)")}`,
        ...(o.replayModels && o.replayModels.length > 1
            ? [
                  `- Typing replay models: ${o.replayModels.map((m) => m.split("/").pop()).join(", ")}`
              ]
            : []),
        ""
    ];
    if (results.warnings.length) {
        out.push("## Warnings", "", ...results.warnings.map((w) => `- ${w}`), "");
    }
    out.push("## Summary", "", "| suite | status | time | note |", "| --- | --- | ---: | --- |");
    for (const s of results.suites) {
        out.push(
            `| ${cell(s.title)} | ${s.status} | ${s.seconds.toFixed(1)} s | ${cell(s.reason ?? "")} |`
        );
    }
    out.push("");
    if (svgFile && results.suites.some((s) => s.latency?.some((l) => l.values.length > 0))) {
        out.push(`![latency distributions](${svgFile})`, "");
    }
    for (const s of results.suites) {
        out.push(`## ${s.title}`, "");
        if (s.status !== "ok") out.push(`_${s.status}: ${s.reason ?? "no reason given"}_`, "");
        for (const chart of s.charts ?? []) out.push(`![${chart.title}](${chart.file})`, "");
        for (const table of s.tables) out.push(renderTable(table), "");
    }
    return out.join("\n");
}
