/** The completion stats view's entry point: draws the numbers and charts it is sent, again at every update and resize. */
import { parseToStatsView, type FromStatsView, type StatsView } from "../../shared/statsProtocol";
import { el, icon } from "../dom";
import { latencyHistogram, languageBars, rateChart } from "./charts";

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const post = (message: FromStatsView) => vscode.postMessage(message);

const toggle = el("button", { type: "button", id: "toggle", class: "text-button" });
const settings = el(
    "button",
    { type: "button", id: "settings", class: "text-button secondary" },
    icon("gear"),
    "Settings"
);
const state = el("span", { id: "state", class: "state" });
const tiles = el("section", { id: "tiles", class: "tiles", "aria-label": "Totals" });
const rate = el("div", { id: "rate-chart", class: "chart-box" });
const latency = el("div", { id: "latency-chart", class: "chart-box" });
const languages = el("div", { id: "language-chart", class: "chart-box" });
const table = el("table", { id: "language-table", class: "language-table" });
const rateTitle = el("h2", { id: "rate-title" }, "Acceptance rate over time");
const latencyTitle = el("h2", { id: "latency-title" }, "Latency");
const legend = el(
    "div",
    { class: "legend", "aria-hidden": "true" },
    el("span", { class: "key key-accepted" }),
    "accepted",
    el("span", { class: "key key-shown" }),
    "shown, not accepted",
    el("span", { class: "key key-cancelled" }),
    "cancelled"
);

document.body.replaceChildren(
    el(
        "header",
        { class: "top" },
        el("h1", {}, icon("graph"), "Inline completion"),
        state,
        el("span", { class: "spacer" }),
        toggle,
        settings
    ),
    tiles,
    el(
        "div",
        { class: "cards" },
        el("section", { class: "card", "aria-labelledby": "rate-title" }, rateTitle, rate),
        el("section", { class: "card", "aria-labelledby": "latency-title" }, latencyTitle, latency),
        el(
            "section",
            { class: "card wide", "aria-labelledby": "language-title" },
            el("h2", { id: "language-title" }, "By language"),
            legend,
            languages,
            table
        )
    ),
    el(
        "footer",
        { class: "privacy" },
        icon("lock"),
        "Counted on this machine only. Nothing is sent anywhere."
    )
);

let last: StatsView | undefined;

function tile(id: string, label: string, value: string, detail = ""): HTMLElement {
    return el(
        "div",
        {
            class: "tile",
            id: `tile-${id}`,
            role: "group",
            "aria-label": `${label}: ${value}${detail ? `, ${detail}` : ""}`
        },
        el("div", { class: "tile-value" }, value),
        el("div", { class: "tile-label" }, label),
        el("div", { class: "tile-detail" }, detail)
    );
}

const widthOf = (box: HTMLElement) => Math.max(240, Math.floor(box.clientWidth));

function draw(s: StatsView): void {
    state.textContent = s.enabled ? "On" : "Off";
    state.className = `state ${s.enabled ? "state-on" : "state-off"}`;
    toggle.replaceChildren(
        icon(s.enabled ? "circle-slash" : "sparkle"),
        s.enabled ? "Turn Off" : "Turn On"
    );
    toggle.setAttribute(
        "aria-label",
        s.enabled ? "Turn inline completion off" : "Turn inline completion on"
    );
    const pct = `${Math.round(s.acceptanceRate * 100)}%`;
    tiles.replaceChildren(
        tile("shown", "Shown", String(s.shown)),
        tile("accepted", "Accepted", String(s.accepted), `${pct} of shown`),
        tile("partial", "Partly accepted", String(s.partiallyAccepted), "word or line"),
        tile("cancelled", "Cancelled", String(s.cancelled), "typed on first"),
        tile("p50", "Latency p50", s.latency.count ? `${s.latency.p50} ms` : "–"),
        tile("p95", "Latency p95", s.latency.count ? `${s.latency.p95} ms` : "–")
    );
    rateTitle.textContent = `Acceptance rate per ${s.rate.unit}`;
    latencyTitle.textContent = s.latency.count
        ? `Latency of the last ${s.latency.count} suggestions`
        : "Latency";
    rate.replaceChildren(rateChart(s.rate.points, s.rate.unit, widthOf(rate)));
    latency.replaceChildren(
        latencyHistogram(s.latency.buckets, s.latency.p50, s.latency.p95, widthOf(latency))
    );
    languages.replaceChildren(languageBars(s.languages, widthOf(languages)));
    table.replaceChildren(
        el(
            "thead",
            {},
            el(
                "tr",
                {},
                ...["Language", "Shown", "Accepted", "Rate", "Cancelled"].map((h) =>
                    el("th", { scope: "col" }, h)
                )
            )
        ),
        el(
            "tbody",
            {},
            ...s.languages.map((r) =>
                el(
                    "tr",
                    {},
                    el("th", { scope: "row" }, r.languageId),
                    el("td", {}, String(r.shown)),
                    el("td", {}, String(r.accepted)),
                    el(
                        "td",
                        {},
                        r.shown > 0
                            ? `${Math.round((100 * Math.min(r.accepted, r.shown)) / r.shown)}%`
                            : "–"
                    ),
                    el("td", {}, String(r.cancelled))
                )
            )
        )
    );
    table.hidden = s.languages.length === 0;
    legend.hidden = s.languages.length === 0;
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
    try {
        last = parseToStatsView(event.data).stats;
    } catch (error) {
        console.error(`Apprentice stats: rejected a message: ${(error as Error).message}`);
        return;
    }
    draw(last);
});

let resizing = 0;
new ResizeObserver(() => {
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(() => {
        if (last) draw(last);
    });
}).observe(document.body);

toggle.addEventListener("click", () => post({ type: "toggle" }));
settings.addEventListener("click", () => post({ type: "openSettings" }));
post({ type: "ready" });
