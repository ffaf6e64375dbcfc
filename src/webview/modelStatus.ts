/**
 * Which model answers: a compact indicator in the composer's toolbar (icon and name, cut with an
 * ellipsis to fit its width, the details in its tooltip), and a banner above the transcript while
 * no model can answer (starting, loading, none chosen, an error) that says why and what to do.
 */
import type { ModelLine } from "../shared/webviewProtocol";
import { el, icon } from "./dom";

export class ModelStatus {
    readonly banner: HTMLElement;
    private readonly bannerText: HTMLElement;
    private readonly pickButton: HTMLButtonElement;
    private current: ModelLine = { state: "busy", message: "Starting the engine…" };

    constructor(
        private readonly indicator: HTMLButtonElement,
        onPick: () => void
    ) {
        this.bannerText = el("span", { class: "banner-text" });
        this.pickButton = el(
            "button",
            { type: "button", id: "pick-model", class: "text-button primary" },
            "Choose Model…"
        );
        this.pickButton.addEventListener("click", onPick);
        this.banner = el(
            "div",
            { id: "model-banner", class: "banner", role: "status", hidden: true },
            this.bannerText,
            this.pickButton
        );
        this.show(this.current);
    }

    /** The model's name when one is ready. */
    get readyName(): string | undefined {
        return this.current.state === "ready" ? this.current.name : undefined;
    }

    show(model: ModelLine): void {
        this.current = model;
        const i = this.indicator;
        i.className = `model-indicator model-${model.state}`;
        if (model.state === "ready") {
            i.replaceChildren(icon("chip"), el("span", { class: "model-name" }, model.name));
            i.title = `${model.name}${model.template ? ` · ${model.template}` : ""}\nClick to choose another model.`;
            i.setAttribute("aria-label", `Model: ${model.name}. Choose another model`);
        } else {
            const busy = model.state === "busy";
            i.replaceChildren(
                icon(busy ? "loading" : "warning", busy ? "codicon-modifier-spin" : ""),
                el("span", { class: "model-name" }, busy ? model.message : "No model")
            );
            i.title = model.message;
            i.setAttribute("aria-label", `${model.message} Choose a model`);
        }
        this.banner.hidden = model.state === "ready";
        this.banner.className = `banner banner-${model.state}`;
        this.bannerText.replaceChildren(
            icon(
                model.state === "busy" ? "loading" : "warning",
                model.state === "busy" ? "codicon-modifier-spin" : ""
            ),
            ` ${model.state === "ready" ? "" : model.message}`
        );
        this.pickButton.hidden = !(model.state === "unavailable" && model.canPick);
    }
}
