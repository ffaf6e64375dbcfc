/** The status bar hover's acceleration part: backend, GPU and layers, and the CUDA offer as a link. */
import * as vscode from "vscode";
import type { ClientStatus } from "../engineClient";
import { Commands } from "../commandIds";
import { CUDA_OFFER_TEXT, describeAcceleration } from "./describe";

/** `tooltip` with what runs where added when a model is ready; a Markdown hover with a link when CUDA is offered. */
export function statusHover(status: ClientStatus, tooltip: string): string | vscode.MarkdownString {
    if (status.state !== "ready") return tooltip;
    const text = `${tooltip}\n${describeAcceleration(status.model)}`;
    if (!status.model.cudaOffer) return text;
    const hover = new vscode.MarkdownString(undefined, true);
    hover.isTrusted = { enabledCommands: [Commands.enableCuda] };
    for (const line of text.split("\n")) hover.appendText(line).appendMarkdown("  \n");
    hover.appendMarkdown(
        `\nThis machine has an NVIDIA GPU. [$(zap) ${CUDA_OFFER_TEXT}](command:${Commands.enableCuda} "Download NVIDIA's CUDA build of llama.cpp (about 320 MB)")`
    );
    return hover;
}
