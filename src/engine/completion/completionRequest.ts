/**
 * One inline completion request as it goes through the pipeline's steps (see completionPipeline.ts):
 * what was asked, then what each step found. No LSP connection, no model: steps are plain functions
 * over this object.
 */
import type { Position } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { CompletionOptions } from "../../shared/completionProtocol";
import type { Chunk } from "./contextChunks";
import type { CursorWindow } from "./cursorWindow";

export interface CompletionRequest {
    readonly uri: string;
    readonly position: Position;
    /** Typing (one suggestion) rather than an explicit trigger (alternatives). */
    readonly automatic: boolean;
    readonly options: CompletionOptions;
    /** performance.now() when the request arrived. */
    readonly started: number;
    /** Aborted by a newer request or by the client's cancellation. */
    readonly signal: AbortSignal;
    /** window step: the document and the text around the cursor. */
    document?: TextDocument;
    window?: CursorWindow;
    /** context step: other files' chunks chosen for this window. */
    chunks?: readonly Chunk[];
}

/** A request that has passed the window step. */
export type WindowedRequest = CompletionRequest & { document: TextDocument; window: CursorWindow };
