/**
 * The JSON-RPC error codes of Apprentice's own methods, in one place for the engine and every
 * client. JSON-RPC reserves -32768..-32000 (LSP uses -32899..-32800 and -32099..-32000 of it), so
 * Apprentice's codes lie outside, from -33000 down; `data.code` of an error names the case further.
 * Standard codes keep their standard meaning: a malformed request is InvalidParams (-32602), a
 * cancelled one RequestCancelled (-32800). The list is in docs/protocol.md.
 */
import { ErrorCodes, LSPErrorCodes } from "vscode-languageserver-protocol";

export const ApprenticeErrorCodes = {
    /** apprentice/chat/send: no model is loaded (data.code "noModel"). */
    chatNoModel: -33001,
    /** apprentice/chat/send: the question alone does not fit the context (data.code "tooLong"). */
    chatTooLong: -33002,
    /** apprentice/chat/send: the model failed while answering (data.code "engineFailed"). */
    chatEngineFailed: -33003,
    /** apprentice/chat/send: the team's server failed (data.code "server"). */
    chatServer: -33004,
    /** apprentice/chat/send: an attachment may hold secrets and is not sent to a server (data.code "secretFile"). */
    chatSecretFile: -33005,
    /** apprentice/models/*: every models failure; data.code names it (a download error code, "inUse", "badRequest", …). */
    models: -33101,
    /** apprentice/cuda/*: every CUDA install failure; data.code names it (a CudaErrorCode). */
    cuda: -33201
} as const;

/** A request whose params are malformed (JSON-RPC InvalidParams). */
export const INVALID_PARAMS = ErrorCodes.InvalidParams;

/** A request the client cancelled (LSP RequestCancelled). */
export const REQUEST_CANCELLED = LSPErrorCodes.RequestCancelled;

/** Whether `code` lies in a range JSON-RPC or LSP reserve (custom codes must not). */
export function isReservedErrorCode(code: number): boolean {
    return code >= -32768 && code <= -32000;
}

/** Whether an error thrown by a request is the client's own cancellation. */
export function isRequestCancelled(error: unknown): boolean {
    return (
        typeof error === "object" &&
        error !== null &&
        (error as { code?: unknown }).code === REQUEST_CANCELLED
    );
}
