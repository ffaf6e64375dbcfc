/**
 * A latency histogram as a hand-written SVG (no chart library): one row of bars per series on a
 * shared logarithmic time axis, so that cold and warm, Apprentice and llama-server sit side by side.
 */
import type { BarChart, LatencySeries } from "./results";
import { percentile } from "./stats";

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

function escapeXml(text: string): string {
    return text.replace(
        /[<>&"']/g,
        (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!
    );
}

/** Edges of `bins` logarithmic bins covering [min, max] (ms, at least 0.1). */
export function logBins(min: number, max: number, bins: number): number[] {
    const lo = Math.log10(Math.max(0.1, min));
    const hi = Math.log10(Math.max(Math.max(0.1, min) * 1.01, max));
    return Array.from({ length: bins + 1 }, (_, i) => 10 ** (lo + ((hi - lo) * i) / bins));
}

/** How many values fall in each bin (the last bin includes its upper edge). */
export function histogram(values: readonly number[], edges: readonly number[]): number[] {
    const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
    for (const v of values) {
        if (!Number.isFinite(v)) continue;
        let i = edges.findIndex((edge, k) => k > 0 && v < edge) - 1;
        if (i < 0) i = v >= edges[edges.length - 1]! ? counts.length - 1 : 0;
        counts[i]! += 1;
    }
    return counts;
}

function tickLabel(ms: number): string {
    return ms >= 1000
        ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`
        : `${ms >= 10 ? Math.round(ms) : ms.toFixed(1)} ms`;
}

export function latencySvg(series: readonly LatencySeries[], title: string, bins = 30): string {
    const present = series.filter((s) => s.values.some(Number.isFinite));
    const width = 760;
    const rowHeight = 90;
    const left = 170;
    const right = 20;
    const top = 40;
    const height = top + Math.max(1, present.length) * rowHeight + 50;
    const parts: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
        `<rect width="100%" height="100%" fill="#ffffff"/>`,
        `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`
    ];
    if (present.length === 0) {
        parts.push(
            `<text x="${width / 2}" y="${top + 40}" text-anchor="middle">No latency samples in this run.</text>`,
            "</svg>"
        );
        return parts.join("\n");
    }
    const all = present.flatMap((s) => s.values.filter(Number.isFinite));
    const edges = logBins(Math.min(...all), Math.max(...all), bins);
    const plotWidth = width - left - right;
    const x = (ms: number) =>
        left +
        ((Math.log10(ms) - Math.log10(edges[0]!)) /
            (Math.log10(edges[edges.length - 1]!) - Math.log10(edges[0]!))) *
            plotWidth;
    present.forEach((s, row) => {
        const color = COLORS[row % COLORS.length]!;
        const base = top + (row + 1) * rowHeight - 10;
        const counts = histogram(s.values, edges);
        const peak = Math.max(1, ...counts);
        counts.forEach((count, i) => {
            if (count === 0) return;
            const h = (count / peak) * (rowHeight - 25);
            const x0 = x(edges[i]!);
            const w = Math.max(1, x(edges[i + 1]!) - x0 - 1);
            parts.push(
                `<rect x="${x0.toFixed(1)}" y="${(base - h).toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"><title>${count}</title></rect>`
            );
        });
        const p50 = percentile(s.values, 50);
        const p95 = percentile(s.values, 95);
        for (const [name, value] of [
            ["p50", p50],
            ["p95", p95]
        ] as const) {
            const px = x(value).toFixed(1);
            parts.push(
                `<line x1="${px}" x2="${px}" y1="${base - rowHeight + 20}" y2="${base}" stroke="#000" stroke-dasharray="${name === "p50" ? "4 2" : "1 2"}"/>`
            );
        }
        parts.push(
            `<line x1="${left}" x2="${width - right}" y1="${base}" y2="${base}" stroke="#999"/>`
        );
        parts.push(
            `<text x="${left - 8}" y="${base - 30}" text-anchor="end" fill="${color}">${escapeXml(s.label)}</text>`
        );
        parts.push(
            `<text x="${left - 8}" y="${base - 14}" text-anchor="end" fill="#555">n=${s.values.length} p50 ${escapeXml(tickLabel(p50))}</text>`
        );
    });
    const axisY = top + present.length * rowHeight + 5;
    for (
        let decade = Math.floor(Math.log10(edges[0]!));
        decade <= Math.ceil(Math.log10(edges[edges.length - 1]!));
        decade++
    ) {
        for (const m of [1, 2, 5]) {
            const ms = m * 10 ** decade;
            if (ms < edges[0]! || ms > edges[edges.length - 1]!) continue;
            const px = x(ms).toFixed(1);
            parts.push(
                `<line x1="${px}" x2="${px}" y1="${axisY - 5}" y2="${axisY}" stroke="#333"/>`
            );
            parts.push(
                `<text x="${px}" y="${axisY + 14}" text-anchor="middle">${escapeXml(tickLabel(ms))}</text>`
            );
        }
    }
    parts.push(
        `<text x="${left + plotWidth / 2}" y="${axisY + 34}" text-anchor="middle" fill="#555">latency per request (log scale); dashed: p50, dotted: p95</text>`
    );
    parts.push("</svg>");
    return parts.join("\n");
}

/** A grouped horizontal bar chart of rates (0..1): one group per measure, one bar per series. */
export function barChartSvg(chart: BarChart): string {
    const width = 760;
    const left = 190;
    const right = 60;
    const top = 50;
    const bar = 14;
    const groupHeight = chart.series.length * (bar + 3) + 14;
    const height = top + chart.groups.length * groupHeight + 40;
    const plotWidth = width - left - right;
    const parts: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
        `<rect width="100%" height="100%" fill="#ffffff"/>`,
        `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(chart.title)}</text>`
    ];
    chart.series.forEach((name, i) => {
        const x = left + i * 150;
        parts.push(
            `<rect x="${x}" y="32" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`,
            `<text x="${x + 16}" y="42">${escapeXml(name)}</text>`
        );
    });
    chart.groups.forEach((group, g) => {
        const y0 = top + g * groupHeight;
        parts.push(
            `<text x="${left - 8}" y="${y0 + (chart.series.length * (bar + 3)) / 2 + 4}" text-anchor="end">${escapeXml(group.label)}</text>`
        );
        group.values.forEach((value, i) => {
            const y = y0 + i * (bar + 3);
            const v = Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
            parts.push(
                `<rect x="${left}" y="${y}" width="${(v * plotWidth).toFixed(1)}" height="${bar}" fill="${COLORS[i % COLORS.length]}"><title>${escapeXml(chart.series[i] ?? "")}</title></rect>`
            );
            parts.push(
                `<text x="${(left + v * plotWidth + 4).toFixed(1)}" y="${y + bar - 3}" fill="#333">${Number.isFinite(value) ? value.toFixed(3) : "n/a"}</text>`
            );
        });
    });
    const axisY = top + chart.groups.length * groupHeight;
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
        const x = (left + t * plotWidth).toFixed(1);
        parts.push(
            `<line x1="${x}" x2="${x}" y1="${top - 4}" y2="${axisY}" stroke="#ddd"/>`,
            `<text x="${x}" y="${axisY + 14}" text-anchor="middle">${t}</text>`
        );
    }
    parts.push("</svg>");
    return parts.join("\n");
}
