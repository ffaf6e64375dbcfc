/**
 * The stats view's charts, as small SVGs of our own: no library, no inline styles (the CSP allows
 * none); colours come from classes in media/stats.css, which read the theme's --vscode-charts-* colours.
 */
import type { LanguageRow, LatencyBucket, RatePoint } from "../../shared/statsProtocol";

const NS = "http://www.w3.org/2000/svg";

type Attrs = Record<string, string | number>;

function svgEl<K extends keyof SVGElementTagNameMap>(
    tag: K,
    attrs: Attrs = {},
    ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
    const element = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) element.setAttribute(k, String(v));
    element.append(...children);
    return element;
}

function chart(width: number, height: number, label: string): SVGSVGElement {
    return svgEl("svg", {
        width,
        height,
        viewBox: `0 0 ${width} ${height}`,
        role: "img",
        "aria-label": label,
        class: "chart"
    });
}

function text(
    x: number,
    y: number,
    content: string,
    cls: string,
    anchor: "start" | "middle" | "end" = "start"
): SVGTextElement {
    return svgEl("text", { x, y, class: cls, "text-anchor": anchor }, content);
}

/** A horizontal grid line (the axis at zero) across the plot, labelled left of it. */
function gridLine(
    svg: SVGSVGElement,
    left: number,
    width: number,
    y: number,
    axis: boolean,
    label: string,
    cls: string
): void {
    svg.append(
        svgEl("line", { x1: left, x2: left + width, y1: y, y2: y, class: axis ? "axis" : "grid" }),
        text(left - 6, y + 4, label, cls, "end")
    );
}

function empty(width: number, height: number, label: string, message: string): SVGSVGElement {
    const svg = chart(width, height, `${label}: ${message}`);
    svg.append(text(width / 2, height / 2, message, "chart-empty", "middle"));
    return svg;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function timeLabel(t: number, unit: "hour" | "day"): string {
    const d = new Date(t);
    return unit === "hour"
        ? `${String(d.getHours()).padStart(2, "0")}:00`
        : d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

/** Acceptance rate per hour or day (a line over 0-100%), with the number shown as faint bars behind it. */
export function rateChart(
    points: readonly RatePoint[],
    unit: "hour" | "day",
    width: number,
    height = 180
): SVGSVGElement {
    const label = "Acceptance rate over time";
    if (points.every((p) => p.shown === 0))
        return empty(width, height, label, "No suggestions shown yet.");
    const m = { left: 40, right: 12, top: 12, bottom: 24 };
    const w = Math.max(10, width - m.left - m.right);
    const h = Math.max(10, height - m.top - m.bottom);
    const step = w / points.length;
    const maxShown = Math.max(...points.map((p) => p.shown));
    const rated = points.map((p, i) => ({ ...p, i })).filter((p) => p.shown > 0);
    const total = rated.reduce(
        (a, p) => ({ shown: a.shown + p.shown, accepted: a.accepted + p.accepted }),
        { shown: 0, accepted: 0 }
    );
    const svg = chart(
        width,
        height,
        `${label}, per ${unit}: ${pct(total.accepted / total.shown)} of ${total.shown} suggestions accepted over ${points.length} ${unit}s`
    );
    for (const y of [0, 0.25, 0.5, 0.75, 1]) {
        gridLine(svg, m.left, w, m.top + h - y * h, y === 0, pct(y), "tick");
    }
    points.forEach((p, i) => {
        if (p.shown === 0) return;
        const bh = (p.shown / maxShown) * h * 0.9;
        svg.append(
            svgEl(
                "rect",
                {
                    x: m.left + i * step + step * 0.15,
                    y: m.top + h - bh,
                    width: Math.max(1, step * 0.7),
                    height: bh,
                    class: "bar-shown"
                },
                svgEl(
                    "title",
                    {},
                    `${timeLabel(p.start, unit)}: ${p.shown} shown, ${p.accepted} accepted`
                )
            )
        );
    });
    const xy = (p: { i: number; shown: number; accepted: number }) =>
        [
            m.left + p.i * step + step / 2,
            m.top + h - Math.min(1, p.accepted / p.shown) * h
        ] as const;
    // One line per run of consecutive hours (days) with suggestions: a gap (the night) is not bridged.
    let run: typeof rated = [];
    const flush = () => {
        if (run.length > 1)
            svg.append(
                svgEl("polyline", {
                    points: run.map((p) => xy(p).join(",")).join(" "),
                    class: "line-rate"
                })
            );
        run = [];
    };
    for (const p of rated) {
        if (run.length > 0 && p.i !== run[run.length - 1].i + 1) flush();
        run.push(p);
    }
    flush();
    for (const p of rated) {
        const [x, y] = xy(p);
        svg.append(
            svgEl(
                "circle",
                { cx: x, cy: y, r: 3, class: "dot-rate" },
                svgEl(
                    "title",
                    {},
                    `${timeLabel(p.start, unit)}: ${pct(p.accepted / p.shown)} accepted (${p.accepted} of ${p.shown})`
                )
            )
        );
    }
    const every = Math.max(1, Math.ceil(points.length / Math.max(2, Math.floor(w / 64))));
    points.forEach((p, i) => {
        if (i % every === 0 || (i === points.length - 1 && points.length <= 2))
            svg.append(
                text(
                    m.left + i * step + step / 2,
                    height - 6,
                    timeLabel(p.start, unit),
                    "tick",
                    "middle"
                )
            );
    });
    return svg;
}

/** Latency histogram with p50 and p95 marked. */
export function latencyHistogram(
    buckets: readonly LatencyBucket[],
    p50: number,
    p95: number,
    width: number,
    height = 180
): SVGSVGElement {
    const label = "Latency histogram";
    if (buckets.length === 0) return empty(width, height, label, "No latencies measured yet.");
    const m = { left: 40, right: 12, top: 22, bottom: 24 };
    const w = Math.max(10, width - m.left - m.right);
    const h = Math.max(10, height - m.top - m.bottom);
    const maxMs = buckets[buckets.length - 1].to;
    const maxCount = Math.max(...buckets.map((b) => b.count));
    const total = buckets.reduce((a, b) => a + b.count, 0);
    const svg = chart(
        width,
        height,
        `${label} of ${total} suggestions: p50 ${p50} ms, p95 ${p95} ms`
    );
    const x = (ms: number) => m.left + (Math.min(ms, maxMs) / maxMs) * w;
    const top = Math.max(1, maxCount);
    // Whole counts only, each once (a top of 1 has ticks 0 and 1, not 0, 1, 1).
    for (const count of new Set([0, Math.round(top / 2), top])) {
        gridLine(
            svg,
            m.left,
            w,
            m.top + h - (count / top) * h,
            count === 0,
            String(count),
            "tick tick-count"
        );
    }
    buckets.forEach((b, i) => {
        const bh = (b.count / top) * h;
        const last = i === buckets.length - 1;
        svg.append(
            svgEl(
                "rect",
                {
                    x: x(b.from) + 1,
                    y: m.top + h - bh,
                    width: Math.max(1, x(b.to) - x(b.from) - 2),
                    height: bh,
                    class: "bar-latency"
                },
                svgEl("title", {}, `${b.from}${last ? "+" : `-${b.to}`} ms: ${b.count}`)
            )
        );
    });
    const every = Math.max(1, Math.ceil(buckets.length / Math.max(2, Math.floor(w / 56))));
    buckets.forEach((b, i) => {
        if (i % every === 0) svg.append(text(x(b.from), height - 6, `${b.from}`, "tick", "middle"));
    });
    svg.append(text(m.left + w, height - 6, `${maxMs}+ ms`, "tick", "end"));
    const markers: [string, number, string][] = [
        ["p50", p50, "marker-p50"],
        ["p95", p95, "marker-p95"]
    ];
    for (const [name, ms, cls] of markers) {
        const mx = x(ms);
        const anchor = mx > m.left + w - 60 ? "end" : "start";
        svg.append(
            svgEl("line", { x1: mx, x2: mx, y1: m.top - 4, y2: m.top + h, class: `marker ${cls}` }),
            text(
                mx + (anchor === "start" ? 4 : -4),
                name === "p50" ? m.top - 10 + 4 : m.top + 4,
                `${name} ${ms} ms`,
                `marker-label ${cls}`,
                anchor
            )
        );
    }
    return svg;
}

/** Per language: accepted, shown but not accepted, and cancelled, as stacked bars with the numbers. */
export function languageBars(rows: readonly LanguageRow[], width: number): SVGSVGElement {
    const label = "Suggestions by language";
    if (rows.length === 0) return empty(width, 60, label, "No suggestions yet.");
    const rowH = 24;
    const m = { left: 96, right: 96, top: 4 };
    const height = m.top + rows.length * rowH + 4;
    const w = Math.max(10, width - m.left - m.right);
    const max = Math.max(...rows.map((r) => r.shown + r.cancelled), 1);
    const svg = chart(
        width,
        height,
        `${label}: ${rows.map((r) => `${r.languageId} ${r.shown} shown, ${r.accepted} accepted, ${r.cancelled} cancelled`).join("; ")}`
    );
    rows.forEach((r, i) => {
        const y = m.top + i * rowH;
        const scale = (n: number) => (n / max) * w;
        const accepted = Math.min(r.accepted, r.shown);
        let at = m.left;
        svg.append(text(m.left - 8, y + 16, r.languageId, "row-label", "end"));
        for (const [n, cls, what] of [
            [accepted, "seg-accepted", "accepted"],
            [r.shown - accepted, "seg-shown", "shown, not accepted"],
            [r.cancelled, "seg-cancelled", "cancelled"]
        ] as const) {
            if (n <= 0) continue;
            svg.append(
                svgEl(
                    "rect",
                    { x: at, y: y + 4, width: Math.max(1, scale(n)), height: rowH - 8, class: cls },
                    svgEl("title", {}, `${r.languageId}: ${n} ${what}`)
                )
            );
            at += scale(n);
        }
        svg.append(
            text(
                at + 6,
                y + 16,
                r.shown > 0
                    ? `${pct(accepted / r.shown)} of ${r.shown}`
                    : `${r.cancelled} cancelled`,
                "row-value"
            )
        );
    });
    return svg;
}
